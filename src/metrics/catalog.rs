//! Metric catalogue: takes a figure key and returns what the site needs to show it (name,
//! unit, better direction, default tolerance) and its value in a `Figures` row.

use crate::metrics::Figures;
use crate::model::{Better, MetricDef};

/// How a figure is measured, which decides how it is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    PerWeek,
    Hours,
    Ratio,
    Count,
    Days,
}

/// Built-in knowledge of one figure; `content/metrics/<id>.md` may rename it and set its
/// better direction and tolerance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricInfo {
    pub key: &'static str,
    pub name: &'static str,
    pub unit: Unit,
    pub better: Better,
    /// Relative change within which a move reads "unchanged".
    pub tolerance: f64,
}

const fn m(key: &'static str, name: &'static str, unit: Unit, better: Better) -> MetricInfo {
    MetricInfo {
        key,
        name,
        unit,
        better,
        tolerance: 0.05,
    }
}

pub const CATALOG: &[MetricInfo] = &[
    m("deployments", "Deployments", Unit::Count, Better::Higher),
    m(
        "deploys_per_week",
        "Deployment frequency",
        Unit::PerWeek,
        Better::Higher,
    ),
    m(
        "failed_attempts",
        "Failed deployment attempts",
        Unit::Count,
        Better::Lower,
    ),
    m("rework_rate", "Rework rate", Unit::Ratio, Better::Lower),
    m("changes", "Changes shipped", Unit::Count, Better::Higher),
    m(
        "lead_time_median_hours",
        "Lead time for changes (median)",
        Unit::Hours,
        Better::Lower,
    ),
    m(
        "lead_time_p90_hours",
        "Lead time for changes (p90)",
        Unit::Hours,
        Better::Lower,
    ),
    m(
        "failed_deployments",
        "Failed deployments",
        Unit::Count,
        Better::Lower,
    ),
    m(
        "change_failure_rate",
        "Change failure rate",
        Unit::Ratio,
        Better::Lower,
    ),
    m("incidents", "Incidents", Unit::Count, Better::Lower),
    m(
        "unresolved_incidents",
        "Unresolved incidents",
        Unit::Count,
        Better::Lower,
    ),
    m(
        "time_to_restore_median_hours",
        "Time to restore (median)",
        Unit::Hours,
        Better::Lower,
    ),
    m(
        "failed_deployment_recovery_median_hours",
        "Failed deployment recovery time (median)",
        Unit::Hours,
        Better::Lower,
    ),
    m(
        "retro_within_72h_rate",
        "Retros within 72 h",
        Unit::Ratio,
        Better::Higher,
    ),
    m(
        "action_items_on_time_rate",
        "Action items done on time",
        Unit::Ratio,
        Better::Higher,
    ),
    m(
        "retros_missing",
        "Retros missing",
        Unit::Count,
        Better::Lower,
    ),
    m(
        "action_items_open",
        "Open action items",
        Unit::Count,
        Better::Lower,
    ),
    m(
        "action_items_overdue",
        "Overdue action items",
        Unit::Count,
        Better::Lower,
    ),
    m(
        "repeat_incidents",
        "Repeat incidents",
        Unit::Count,
        Better::Lower,
    ),
    m(
        "median_days_to_fix",
        "Days to fix (median)",
        Unit::Days,
        Better::Lower,
    ),
    m(
        "time_to_detect_median_hours",
        "Time to detect (median)",
        Unit::Hours,
        Better::Lower,
    ),
    m(
        "time_to_acknowledge_median_hours",
        "Time to acknowledge (median)",
        Unit::Hours,
        Better::Lower,
    ),
    m(
        "pages_per_week",
        "Pages per week",
        Unit::PerWeek,
        Better::Lower,
    ),
    m(
        "actionable_page_rate",
        "Actionable pages",
        Unit::Ratio,
        Better::Higher,
    ),
    m(
        "after_hours_page_rate",
        "After-hours pages",
        Unit::Ratio,
        Better::Lower,
    ),
];

/// The four keys, in dashboard order.
pub const FOUR_KEYS: [&str; 4] = [
    "deploys_per_week",
    "lead_time_median_hours",
    "change_failure_rate",
    "time_to_restore_median_hours",
];

/// The learning-loop figures shown in the dashboard's bottom band.
pub const LEARNING_KEYS: [&str; 8] = [
    "incidents",
    "unresolved_incidents",
    "retro_within_72h_rate",
    "action_items_on_time_rate",
    "repeat_incidents",
    "retros_missing",
    "action_items_overdue",
    "median_days_to_fix",
];

/// The catalogue entry, adjusted by the site's own definition of the metric if it has one.
pub fn info(key: &str, defs: &[MetricDef]) -> Option<MetricInfo> {
    let mut info = *CATALOG.iter().find(|m| m.key == key)?;
    if let Some(def) = defs.iter().find(|d| d.id == key) {
        info.better = def.better;
        info.tolerance = def.tolerance;
    }
    Some(info)
}

/// A figure's value by key, as `f64` (counts too); `None` where there is no data.
pub fn value(f: &Figures, key: &str) -> Option<f64> {
    let d = &f.dora;
    let l = &f.learning;
    let count = |c: Option<u64>| c.map(|c| c as f64);
    match key {
        "deployments" => count(d.deployments),
        "deploys_per_week" => d.deploys_per_week,
        "failed_attempts" => count(d.failed_attempts),
        "rework_rate" => d.rework_rate,
        "changes" => count(d.changes),
        "lead_time_median_hours" => d.lead_time_median_hours,
        "lead_time_p90_hours" => d.lead_time_p90_hours,
        "failed_deployments" => count(d.failed_deployments),
        "change_failure_rate" => d.change_failure_rate,
        "incidents" => count(d.incidents),
        "unresolved_incidents" => count(d.unresolved_incidents),
        "time_to_restore_median_hours" => d.time_to_restore_median_hours,
        "failed_deployment_recovery_median_hours" => d.failed_deployment_recovery_median_hours,
        "retro_within_72h_rate" => l.retro_within_72h_rate,
        "action_items_on_time_rate" => l.action_items_on_time_rate,
        "retros_missing" => count(l.retros_missing),
        "action_items_open" => count(l.action_items_open),
        "action_items_overdue" => count(l.action_items_overdue),
        "repeat_incidents" => count(l.repeat_incidents),
        "median_days_to_fix" => l.median_days_to_fix,
        "time_to_detect_median_hours" => l.time_to_detect_median_hours,
        "time_to_acknowledge_median_hours" => l.time_to_acknowledge_median_hours,
        "pages_per_week" => f.oncall.pages_per_week,
        "actionable_page_rate" => f.oncall.actionable_page_rate,
        "after_hours_page_rate" => f.oncall.after_hours_page_rate,
        _ => None,
    }
}

impl Unit {
    /// The unit name `trend::format_value` understands.
    pub fn label(&self) -> &'static str {
        match self {
            Unit::PerWeek => "/wk",
            Unit::Hours => "h",
            Unit::Ratio => "ratio",
            Unit::Count => "count",
            Unit::Days => "days",
        }
    }
}

/// Prints a value in its unit: "n/a" for no data, "1.9 /wk", "31 h" or "2.5 d", "12.5%", "4".
pub fn format(v: Option<f64>, unit: Unit) -> String {
    v.map_or_else(
        || "n/a".to_string(),
        |v| crate::metrics::trend::format_value(v, unit.label()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_unit() {
        assert_eq!(format(None, Unit::Hours), "n/a");
        assert_eq!(format(Some(31.4), Unit::Hours), "31 h");
        assert_eq!(format(Some(2.54), Unit::Hours), "2.5 h");
        assert_eq!(format(Some(60.0), Unit::Hours), "2.5 d"); // 60 / 24
        assert_eq!(format(Some(0.125), Unit::Ratio), "12.5%");
        assert_eq!(format(Some(0.05), Unit::Ratio), "5%");
        assert_eq!(format(Some(0.0), Unit::Ratio), "0%");
        assert_eq!(format(Some(1.8667), Unit::PerWeek), "1.9 /wk");
        assert_eq!(format(Some(0.0), Unit::Count), "0");
        assert_eq!(format(Some(8.0), Unit::Days), "8 days");
    }
}
