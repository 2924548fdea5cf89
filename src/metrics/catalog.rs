//! Metric catalogue: one entry per `Metric` (its JSON key, name, unit, better direction,
//! default tolerance, and the definition versions the code implements with the pure
//! function computing each). Takes a scope-period `Basis` and returns every figure
//! (`evaluate`); takes a metric and the site's definitions and returns what a page needs.
//!
//! Adding a metric is one entry in `catalogue!` below plus one pure function
//! `fn(&Basis) -> Option<f64>`; every `Figures` row, the exports (`data/metrics/`, `data/trends/`) and
//! `almanac metrics` pick it up from `Metric::ALL`.

use crate::config::Config;
use crate::metrics::basis::Basis;
use crate::metrics::{dora, learning, oncall};
use crate::model::{Better, MetricDef};

/// How a figure is measured, which decides how render prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    PerWeek,
    Hours,
    Ratio,
    Count,
    Days,
}

/// A metric function: one figure of one scope and period, `None` where there is no data.
pub type Compute = fn(&Basis) -> Option<f64>;

/// One version of a metric's definition, as the code implements it.
#[derive(Debug, Clone, Copy)]
pub struct Version {
    pub number: u32,
    pub definition: &'static str,
    pub compute: Compute,
}

/// A catalogue entry: built-in knowledge of one figure. `content/metrics/<key>.md` may
/// rename it and set its better direction and tolerance.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The JSON key (and the id of its definition page).
    pub key: &'static str,
    pub name: &'static str,
    pub unit: Unit,
    pub better: Better,
    /// Relative change within which a move reads "unchanged".
    pub tolerance: f64,
    /// Versions 1..=n in order; the last one is current, the one every figure uses.
    pub versions: &'static [Version],
}

/// The default tolerance of every built-in figure.
const TOLERANCE: f64 = 0.05;

const fn entry(
    key: &'static str,
    name: &'static str,
    unit: Unit,
    better: Better,
    versions: &'static [Version],
) -> Entry {
    Entry {
        key,
        name,
        unit,
        better,
        tolerance: TOLERANCE,
        versions,
    }
}

const fn v(number: u32, definition: &'static str, compute: Compute) -> Version {
    Version {
        number,
        definition,
        compute,
    }
}

/// Declares `Metric` (one variant per entry, in catalogue order), `Metric::ALL` and the
/// entry of each variant from one list, so a variant without an entry cannot exist.
macro_rules! catalogue {
    ($( $(#[$cfg:meta])* $variant:ident = $entry:expr; )*) => {
        /// Every figure the metrics stage computes, in catalogue (and JSON) order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Metric {
            $( $(#[$cfg])* $variant, )*
        }

        impl Metric {
            /// Every metric in catalogue order; `ALL[m as usize] == m`.
            pub const ALL: [Metric; Metric::COUNT] = [ $( $(#[$cfg])* Metric::$variant, )* ];
            pub const COUNT: usize = [ $( $(#[$cfg])* Metric::$variant, )* ].len();

            /// The catalogue entry of this metric.
            pub const fn entry(self) -> &'static Entry {
                match self {
                    $( $(#[$cfg])* Metric::$variant => {
                        const E: Entry = $entry;
                        &E
                    } )*
                }
            }
        }
    };
}

catalogue! {
    Deployments = entry("deployments", "Deployments", Unit::Count, Better::Higher, &[
        v(1, "Counted production deployments (success or rolled_back) in the period.", dora::deployments),
    ]);
    DeploysPerWeek = entry("deploys_per_week", "Deployment frequency", Unit::PerWeek, Better::Higher, &[
        v(1, "Counted deployments x 7 / days in the period.", dora::deploys_per_week),
    ]);
    FailedAttempts = entry("failed_attempts", "Failed deployment attempts", Unit::Count, Better::Lower, &[
        v(1, "Production deployments with status failed in the period.", dora::failed_attempts),
    ]);
    ReworkRate = entry("rework_rate", "Rework rate", Unit::Ratio, Better::Lower, &[
        v(1, "Counted deployments marked rework over counted deployments.", dora::rework_rate),
    ]);
    Changes = entry("changes", "Changes shipped", Unit::Count, Better::Higher, &[
        v(1, "Changes shipped by the period's counted deployments.", dora::changes),
    ]);
    LeadTimeMedianHours = entry("lead_time_median_hours", "Lead time for changes (median)", Unit::Hours, Better::Lower, &[
        v(1, "Median hours from commit to deployment of the changes shipped.", dora::lead_time_median_hours),
    ]);
    LeadTimeP90Hours = entry("lead_time_p90_hours", "Lead time for changes (p90)", Unit::Hours, Better::Lower, &[
        v(1, "90th percentile (PERCENTILE_CONT) of the same lead times.", dora::lead_time_p90_hours),
    ]);
    FailedDeployments = entry("failed_deployments", "Failed deployments", Unit::Count, Better::Lower, &[
        v(1, "Counted deployments rolled back or named by an incident's caused_by_deploy.", dora::failed_deployments),
    ]);
    ChangeFailureRate = entry("change_failure_rate", "Change failure rate", Unit::Ratio, Better::Lower, &[
        v(1, "Rolled-back deployments over counted deployments.", dora::change_failure_rate_v1),
        v(2, "Deployments rolled back or named by an incident's caused_by_deploy over counted deployments.", dora::change_failure_rate_v2),
    ]);
    Incidents = entry("incidents", "Incidents", Unit::Count, Better::Lower, &[
        v(1, "Incidents started in the period.", dora::incidents),
    ]);
    UnresolvedIncidents = entry("unresolved_incidents", "Unresolved incidents", Unit::Count, Better::Lower, &[
        v(1, "The period's incidents not resolved by as_of.", dora::unresolved_incidents),
    ]);
    TimeToRestoreMedianHours = entry("time_to_restore_median_hours", "Time to restore (median)", Unit::Hours, Better::Lower, &[
        v(1, "Median hours from start to resolution of the incidents started in the period and resolved by as_of.", dora::time_to_restore_median_hours),
    ]);
    FailedDeploymentRecoveryMedianHours = entry("failed_deployment_recovery_median_hours", "Failed deployment recovery time (median)", Unit::Hours, Better::Lower, &[
        v(1, "Median hours from a counted causing deployment to the resolution of its incident (started in the period, resolved by as_of).", dora::failed_deployment_recovery_median_hours),
    ]);
    RetroWithin72hRate = entry("retro_within_72h_rate", "Retros within 72 h", Unit::Ratio, Better::Higher, &[
        v(1, "Severity 1-2 incidents started in the period and resolved by as_of with a retro published within 72 h of resolution.", learning::retro_within_72h_rate),
    ]);
    ActionItemsOnTimeRate = entry("action_items_on_time_rate", "Action items done on time", Unit::Ratio, Better::Higher, &[
        v(1, "Action items due in the period done by their due date.", learning::action_items_on_time_rate),
    ]);
    RetrosMissing = entry("retros_missing", "Retros missing", Unit::Count, Better::Lower, &[
        v(1, "Severity 1-2 incidents past the 72 h deadline with no retro.", learning::retros_missing),
    ]);
    ActionItemsOpen = entry("action_items_open", "Open action items", Unit::Count, Better::Lower, &[
        v(1, "Action items open at the end of the period.", learning::action_items_open),
    ]);
    ActionItemsOverdue = entry("action_items_overdue", "Overdue action items", Unit::Count, Better::Lower, &[
        v(1, "Open action items past their due date at the end of the period.", learning::action_items_overdue),
    ]);
    RepeatIncidents = entry("repeat_incidents", "Repeat incidents", Unit::Count, Better::Lower, &[
        v(1, "Incidents whose retro names an earlier incident they repeat, or with the same specific (not coarse) cause as an incident on the same service in the 90 days before.", learning::repeat_incidents),
    ]);
    MedianDaysToFix = entry("median_days_to_fix", "Days to fix (median)", Unit::Days, Better::Lower, &[
        v(1, "Median whole days from resolution to the retro's last action item done.", learning::median_days_to_fix),
    ]);
    TimeToDetectMedianHours = entry("time_to_detect_median_hours", "Time to detect (median)", Unit::Hours, Better::Lower, &[
        v(1, "Median hours from start to detection.", learning::time_to_detect_median_hours),
    ]);
    TimeToAcknowledgeMedianHours = entry("time_to_acknowledge_median_hours", "Time to acknowledge (median)", Unit::Hours, Better::Lower, &[
        v(1, "Median hours from detection to acknowledgement.", learning::time_to_acknowledge_median_hours),
    ]);
    PagesPerWeek = entry("pages_per_week", "Pages per week", Unit::PerWeek, Better::Lower, &[
        v(1, "On-call pages x 7 / days in the period.", oncall::pages_per_week),
    ]);
    ActionablePageRate = entry("actionable_page_rate", "Actionable pages", Unit::Ratio, Better::Higher, &[
        v(1, "Actionable pages over pages.", oncall::actionable_page_rate),
    ]);
    AfterHoursPageRate = entry("after_hours_page_rate", "After-hours pages", Unit::Ratio, Better::Lower, &[
        v(1, "Pages outside working hours over pages.", oncall::after_hours_page_rate),
    ]);
    // A test-only metric: proves that one entry plus one function is a whole new figure.
    #[cfg(test)]
    TestResolvedIncidents = entry("test_resolved_incidents", "Resolved incidents (test)", Unit::Count, Better::Higher, &[
        v(1, "Incidents of the period resolved by as_of.", tests::resolved_incidents),
    ]);
}

/// Compile-time checks: the variants are in catalogue order, and the catalogue is well
/// formed (`well_formed`).
const _: () = {
    let mut i = 0;
    while i < Metric::COUNT {
        assert!(Metric::ALL[i] as usize == i);
        i += 1;
    }
    let mut entries = [*Metric::ALL[0].entry(); Metric::COUNT];
    let mut i = 0;
    while i < Metric::COUNT {
        entries[i] = *Metric::ALL[i].entry();
        i += 1;
    }
    assert!(
        well_formed(&entries),
        "metric keys repeat or versions are not 1..=n"
    );
};

/// Whether `entries` have distinct keys, and each at least one version, numbered 1..=n.
const fn well_formed(entries: &[Entry]) -> bool {
    let mut i = 0;
    while i < entries.len() {
        let e = entries[i];
        if e.versions.is_empty() {
            return false;
        }
        let mut n = 0;
        while n < e.versions.len() {
            if e.versions[n].number as usize != n + 1 {
                return false;
            }
            n += 1;
        }
        let mut j = 0;
        while j < i {
            if same(e.key, entries[j].key) {
                return false;
            }
            j += 1;
        }
        i += 1;
    }
    true
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The definition version every period of each metric is computed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Versions([u32; Metric::COUNT]);

impl Versions {
    /// The current version of every metric, with the site's valid pins applied (an
    /// invalid pin is an error from `check`, and never reaches here in a build).
    pub fn of(config: &Config) -> Versions {
        let mut v: [u32; Metric::COUNT] = std::array::from_fn(|i| Metric::ALL[i].current().number);
        for pin in &config.definitions {
            if let Some(m) = Metric::from_key(&pin.metric) {
                if m.version(pin.version).is_some() {
                    v[m as usize] = pin.version;
                }
            }
        }
        Versions(v)
    }

    /// Every metric under its current version.
    pub fn current() -> Versions {
        Versions(std::array::from_fn(|i| Metric::ALL[i].current().number))
    }

    pub fn get(&self, m: Metric) -> u32 {
        self.0[m as usize]
    }

    /// Every metric's version by key, as a snapshot and `manifest.json` record them.
    pub fn by_key(&self) -> std::collections::BTreeMap<String, u32> {
        Metric::ALL
            .iter()
            .map(|&m| (m.key().to_string(), self.get(m)))
            .collect()
    }

    /// True when the site pinned `m` below its current version.
    pub fn pinned(&self, m: Metric) -> bool {
        self.get(m) != m.current().number
    }
}

/// A figure's values indexed by `Metric` (counts too, as `f64`); `None` where no data.
pub type Values = [Option<f64>; Metric::COUNT];

/// Every figure of one scope and period, each under the version `versions` gives it.
pub fn evaluate(b: &Basis, versions: &Versions) -> Values {
    std::array::from_fn(|i| {
        let m = Metric::ALL[i];
        let v = m.version(versions.get(m)).unwrap_or(m.current());
        (v.compute)(b)
    })
}

impl Metric {
    /// The JSON key, e.g. `deploys_per_week`.
    pub const fn key(self) -> &'static str {
        self.entry().key
    }

    pub const fn unit(self) -> Unit {
        self.entry().unit
    }

    /// The metric with JSON key `key`.
    pub fn from_key(key: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.key() == key)
    }

    /// The version every figure uses (the latest the code implements).
    pub fn current(self) -> &'static Version {
        let versions = self.entry().versions;
        &versions[versions.len() - 1]
    }

    /// Version `number` of the definition; `None` when the code has no such version.
    pub fn version(self, number: u32) -> Option<&'static Version> {
        self.entry().versions.iter().find(|v| v.number == number)
    }

    /// The figure by version `number`; `None` when the code has no such version.
    pub fn compute_version(self, number: u32, b: &Basis) -> Option<Option<f64>> {
        Some((self.version(number)?.compute)(b))
    }

    /// What a page needs to show the figure: the catalogue entry, with the better direction
    /// and tolerance of the site's own definition of the metric if it has one.
    pub fn info(self, defs: &[MetricDef]) -> Entry {
        let mut info = *self.entry();
        if let Some(def) = self.def(defs) {
            info.better = def.better;
            info.tolerance = def.tolerance;
        }
        info
    }

    /// The site's definition page of this metric, if it has one.
    pub fn def(self, defs: &[MetricDef]) -> Option<&MetricDef> {
        defs.iter().find(|d| d.id == self.key())
    }
}

/// The four keys, in dashboard order.
pub const FOUR_KEYS: [Metric; 4] = [
    Metric::DeploysPerWeek,
    Metric::LeadTimeMedianHours,
    Metric::ChangeFailureRate,
    Metric::TimeToRestoreMedianHours,
];

/// DORA throughput, grouped as the 2024 and 2025 reports group it.
pub const THROUGHPUT_KEYS: [Metric; 3] = [
    Metric::DeploysPerWeek,
    Metric::LeadTimeMedianHours,
    Metric::FailedDeploymentRecoveryMedianHours,
];

/// DORA instability, grouped as the 2024 and 2025 reports group it.
pub const INSTABILITY_KEYS: [Metric; 2] = [Metric::ChangeFailureRate, Metric::ReworkRate];

/// "Are incidents trending?": the incident figures, time to restore among them.
pub const INCIDENT_KEYS: [Metric; 4] = [
    Metric::Incidents,
    Metric::UnresolvedIncidents,
    Metric::TimeToRestoreMedianHours,
    Metric::RepeatIncidents,
];

/// "Do we know what to do next?": the follow-through figures.
pub const FOLLOW_THROUGH_KEYS: [Metric; 4] = [
    Metric::RetrosMissing,
    Metric::ActionItemsOverdue,
    Metric::ActionItemsOnTimeRate,
    Metric::RetroWithin72hRate,
];

impl Unit {
    /// The unit's name, as render's value formatter reads it (`render::words`).
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The test-only metric's one function: the period's incidents resolved by as_of.
    pub fn resolved_incidents(b: &Basis) -> Option<f64> {
        Some(dora::incidents(b)? - dora::unresolved_incidents(b)?)
    }

    const ONE: &[Version] = &[v(1, "one", resolved_incidents)];
    const ONE_TWO: &[Version] = &[
        v(1, "one", resolved_incidents),
        v(2, "two", resolved_incidents),
    ];

    fn e(key: &'static str, versions: &'static [Version]) -> Entry {
        entry(key, key, Unit::Count, Better::Higher, versions)
    }

    /// The compile-time check's rule, on catalogues that break it: the real one passes; a key
    /// used twice (also two entries apart), versions that start at 2, repeat or are missing
    /// fail.
    #[test]
    fn a_catalogue_needs_distinct_keys_and_versions_one_to_n() {
        let all: Vec<Entry> = Metric::ALL.iter().map(|m| *m.entry()).collect();
        assert!(well_formed(&all));
        assert!(well_formed(&[e("a", ONE), e("b", ONE_TWO)]));
        assert!(!well_formed(&[e("a", ONE), e("b", ONE), e("a", ONE)]));
        assert!(!well_formed(&[e("a", ONE), e("a", ONE_TWO)]));
        const FROM_TWO: &[Version] = &[v(2, "two", resolved_incidents)];
        const REPEATED: &[Version] = &[
            v(1, "one", resolved_incidents),
            v(1, "again", resolved_incidents),
        ];
        assert!(!well_formed(&[e("a", FROM_TWO)]));
        assert!(!well_formed(&[e("a", ONE), e("b", REPEATED)]));
        assert!(!well_formed(&[e("a", &[])]));
        // Keys compare whole: a prefix is another key.
        assert!(same("ab", "ab") && same("", ""));
        assert!(!same("ab", "ac") && !same("ab", "abc") && !same("abc", "ab"));
    }
}
