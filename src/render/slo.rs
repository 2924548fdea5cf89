//! SLO section: takes a scope's `SloFigures` (evaluated at as_of) and returns the rows the
//! dashboard, team and service pages and the SLO index show, sorted by risk (never by
//! team), with every figure formatted ("n/a" for no data, overspent budgets negative).

use crate::config::Config;
use crate::metrics::scope::ScopeKind;
use crate::metrics::slo::{sort_by_risk, status_counts, Exhaustion, SloFigures, SloStatus};
use crate::output::slug;
use crate::render::charts::slo::pct;
use crate::render::paths::scope_path;
use crate::render::records::Records;
use serde::Serialize;
use std::sync::Arc;

/// One SLO as a row of the SLO table.
#[derive(Debug, Serialize)]
pub struct SloRow {
    pub id: String,
    pub href: String,
    pub service: String,
    pub service_href: String,
    /// The owning team's name and page, when a team owns the service.
    pub team: Option<String>,
    pub team_href: Option<String>,
    pub objective: String,
    pub window: String,
    pub attainment: String,
    /// Whether the attainment is below the objective.
    pub below: bool,
    pub budget: String,
    pub overspent: bool,
    pub burn_7d: String,
    pub exhaustion: String,
    pub status: &'static str,
    /// `exhausted`, `at-risk`, `healthy` or `no-data`, for CSS.
    pub status_class: &'static str,
}

/// The SLO section of a page: a one-line summary and the rows.
#[derive(Debug, Serialize)]
pub struct SloSection {
    pub summary: String,
    pub rows: Vec<SloRow>,
    /// Relative link to the SLO index.
    pub index_href: String,
    /// True on the SLO index itself: no band heading, no link to the index.
    pub standalone: bool,
    /// Healthy SLOs left out of a short section (listed on the SLO index).
    pub more: usize,
}

/// A one-screen dashboard's SLO band holds this many rows, riskiest first.
pub const GLANCE_ROWS: usize = 4;

/// As `section`, keeping the `GLANCE_ROWS` riskiest rows; `more` counts the rest, whatever
/// their status (the summary line still counts every SLO).
pub fn glance_section(
    config: &Config,
    ds: &Records,
    figures: &[Arc<SloFigures>],
    root: &str,
) -> SloSection {
    let mut s = section(config, ds, figures, root);
    s.more = s.rows.len().saturating_sub(GLANCE_ROWS);
    s.rows.truncate(GLANCE_ROWS);
    s
}

/// The section for `figures` on a page whose root prefix is `root`.
pub fn section(
    config: &Config,
    ds: &Records,
    figures: &[Arc<SloFigures>],
    root: &str,
) -> SloSection {
    let mut sorted = figures.to_vec();
    sort_by_risk(&mut sorted);
    SloSection {
        summary: summary(&sorted),
        rows: sorted.iter().map(|f| row(config, ds, f, root)).collect(),
        index_href: format!("{root}slos/index.html"),
        standalone: false,
        more: 0,
    }
}

/// "5 SLOs: 1 exhausted, 1 at risk, 2 healthy, 1 no data."
pub fn summary(figures: &[Arc<SloFigures>]) -> String {
    if figures.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = status_counts(figures)
        .iter()
        .map(|(st, n)| format!("{n} {}", st.as_str()))
        .collect();
    let n = figures.len();
    format!(
        "{n} SLO{}: {}.",
        if n == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

/// The path of an SLO's page.
pub fn slo_path(id: &str) -> String {
    format!("slos/{}.html", slug(id))
}

fn row(config: &Config, ds: &Records, f: &SloFigures, root: &str) -> SloRow {
    let team = owner(config, ds, &f.service);
    SloRow {
        id: f.id.clone(),
        href: format!("{root}{}", slo_path(&f.id)),
        service: f.service.clone(),
        service_href: format!("{root}{}", scope_path(ScopeKind::Service, &f.service)),
        team_href: team.map(|(id, _)| format!("{root}{}", scope_path(ScopeKind::Team, id))),
        team: team.map(|(_, name)| name.to_string()),
        objective: pct_plain(f.objective),
        window: window_text(&f.window),
        attainment: f
            .attainment
            .map_or("n/a".to_string(), |a| pct(a, f.objective)),
        below: f
            .attainment
            .is_some_and(|a| a < f.objective - crate::metrics::slo::EPS),
        budget: budget_text(f.error_budget_remaining),
        overspent: f.error_budget_remaining.is_some_and(|b| b < 0.0),
        burn_7d: burn_text(f.burn_rate_7d),
        exhaustion: exhaustion_text(f.exhaustion),
        status: f.status.as_str(),
        status_class: status_class(f.status),
    }
}

/// The owning team (id, name) of a service, if any.
pub fn owner<'a>(config: &'a Config, ds: &Records, service: &str) -> Option<(&'a str, &'a str)> {
    let id = ds.services.get(service)?;
    let t = ds.service_team.get(id as usize).copied().flatten()?;
    let team = config.teams.get(t as usize)?;
    Some((team.id.as_str(), team.name.as_str()))
}

pub fn status_class(s: SloStatus) -> &'static str {
    match s {
        SloStatus::Exhausted => "exhausted",
        SloStatus::AtRisk => "at-risk",
        SloStatus::Healthy => "healthy",
        SloStatus::NoData => "no-data",
    }
}

/// `28d` -> "28 days", `month` -> "calendar month".
pub fn window_text(label: &str) -> String {
    match label {
        "month" => "calendar month".to_string(),
        "quarter" => "calendar quarter".to_string(),
        other => match other.strip_suffix('d') {
            Some("1") => "1 day".to_string(),
            Some(n) => format!("{n} days"),
            None => other.to_string(),
        },
    }
}

/// An objective as a percent without trailing zeros: 0.999 -> "99.9%".
pub fn pct_plain(v: f64) -> String {
    let s = format!("{:.4}", v * 100.0);
    format!("{}%", s.trim_end_matches('0').trim_end_matches('.'))
}

/// Remaining budget: "62%", "3.5%", "−800% (overspent 8×)", "n/a".
pub fn budget_text(v: Option<f64>) -> String {
    let Some(v) = v else {
        return "n/a".to_string();
    };
    let p = v * 100.0;
    let num = if p.abs() < 10.0 {
        trim(format!("{:.1}", p.abs()))
    } else {
        format!("{:.0}", p.abs())
    };
    if num == "0" || p >= 0.0 {
        return format!("{num}%");
    }
    if v <= -1.0 {
        let times = trim(format!("{:.1}", -v));
        format!("\u{2212}{num}% (overspent {times}\u{d7})")
    } else {
        format!("\u{2212}{num}% (overspent)")
    }
}

/// A burn rate: "2.5×", "0×", "n/a".
pub fn burn_text(v: Option<f64>) -> String {
    v.map_or("n/a".to_string(), |b| {
        let s = if b >= 10.0 {
            format!("{b:.0}")
        } else {
            trim(format!("{b:.2}"))
        };
        format!("{s}\u{d7}")
    })
}

/// When the budget runs out: "spent", "in 14 h", "in 3.5 days", "not at this rate" (a
/// rolling window burning at most 1, or a calendar budget that outlasts the period), "n/a"
/// (no data).
pub fn exhaustion_text(e: Exhaustion) -> String {
    match e {
        Exhaustion::Unknown => "n/a".to_string(),
        Exhaustion::NotAtThisRate => "not at this rate".to_string(),
        Exhaustion::Spent => "spent".to_string(),
        Exhaustion::In(h) if h <= 0.0 => "spent".to_string(),
        Exhaustion::In(h) if h < 48.0 => format!("in {} h", trim(format!("{h:.1}"))),
        Exhaustion::In(h) => format!("in {} days", trim(format!("{:.1}", h / 24.0))),
    }
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn budgets_show_overspending_as_negative() {
        assert_eq!(budget_text(Some(-8.0)), "\u{2212}800% (overspent 8\u{d7})");
        assert_eq!(budget_text(Some(-0.25)), "\u{2212}25% (overspent)");
        assert_eq!(budget_text(Some(0.626)), "63%");
        assert_eq!(budget_text(Some(0.035)), "3.5%");
        assert_eq!(budget_text(Some(-0.0001)), "0%");
        assert_eq!(budget_text(None), "n/a");
    }

    #[test]
    fn figures_read_for_people() {
        assert_eq!(burn_text(Some(2.5)), "2.5\u{d7}");
        assert_eq!(burn_text(Some(14.4)), "14\u{d7}");
        assert_eq!(burn_text(None), "n/a");
        assert_eq!(exhaustion_text(Exhaustion::Spent), "spent");
        assert_eq!(exhaustion_text(Exhaustion::In(30.0)), "in 30 h");
        // 84 h / 24 = 3.5 days
        assert_eq!(exhaustion_text(Exhaustion::In(84.0)), "in 3.5 days");
        assert_eq!(
            exhaustion_text(Exhaustion::NotAtThisRate),
            "not at this rate"
        );
        assert_eq!(exhaustion_text(Exhaustion::Unknown), "n/a");
        assert_eq!(pct_plain(0.999), "99.9%");
        assert_eq!(pct_plain(0.95), "95%");
        assert_eq!(window_text("28d"), "28 days");
        assert_eq!(window_text("quarter"), "calendar quarter");
    }
}
