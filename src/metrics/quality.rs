//! Data quality: takes the dataset and calendar (and, for the warnings, load's diagnostics)
//! and returns `DataQuality`: per service and kind of data its coverage (rows, first and
//! last row, ISO weeks without deployments or SLI rows), changes never deployed, incidents
//! without a cause or a resolution, the check warnings grouped by catalogue entry, and the
//! row that set the report date. Only rows up to the end of `as_of` exist.

use crate::diag::{catalogue::entry_of, Diagnostics, Severity};
use crate::model::{Dataset, Latest, Ts};
use crate::period::{containing, next_start, Calendar, Grain};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The kinds of event data a service has rows of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DataKind {
    Deployments,
    Changes,
    Incidents,
    Sli,
    Pages,
}

impl DataKind {
    pub const ALL: [DataKind; 5] = [
        DataKind::Deployments,
        DataKind::Changes,
        DataKind::Incidents,
        DataKind::Sli,
        DataKind::Pages,
    ];

    /// The contract file its rows come from.
    pub fn file(self) -> &'static str {
        match self {
            DataKind::Deployments => "data/deployments.csv",
            DataKind::Changes => "data/changes.csv",
            DataKind::Incidents => "data/incidents.csv",
            DataKind::Sli => "data/sli.csv",
            DataKind::Pages => "data/pages.csv",
        }
    }

    /// Whether a week without rows of this kind is a gap worth listing (a service deploys
    /// and reports SLI every week; it need not have an incident or a page).
    pub fn weekly(self) -> bool {
        matches!(self, DataKind::Deployments | DataKind::Sli)
    }
}

/// One service's rows of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub kind: DataKind,
    pub rows: usize,
    pub first: Option<Ts>,
    pub last: Option<Ts>,
    /// For weekly kinds: runs of ISO weeks without a row, from the week of the first row
    /// to the week of `as_of`, each as (first week, last week, number of weeks).
    pub gaps: Vec<(String, String, u32)>,
}

impl Coverage {
    /// Weeks without a row, across every gap.
    pub fn empty_weeks(&self) -> u32 {
        self.gaps.iter().map(|g| g.2).sum()
    }
}

/// One service's coverage, one entry per `DataKind::ALL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceQuality {
    pub service: u32,
    pub kinds: Vec<Coverage>,
}

/// The warnings of one catalogue entry (or of no entry, `id` empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningGroup {
    pub id: &'static str,
    pub file: &'static str,
    /// Each warning, located (`path:line:column: message`), in file order.
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataQuality {
    /// Every service, by name.
    pub services: Vec<ServiceQuality>,
    /// Changes with no deployment, per service id: (service, count, earliest commit).
    pub never_deployed: Vec<(u32, usize, Ts)>,
    /// Incidents started by `as_of` without a cause, newest first.
    pub no_cause: Vec<u32>,
    /// Incidents started by `as_of` not resolved by then, newest first.
    pub unresolved: Vec<u32>,
    /// The check warnings, grouped; set by the pipeline from load's diagnostics.
    pub warnings: Vec<WarningGroup>,
    /// The row that set the report date, when the data set it (no configured `as_of`).
    pub as_of_row: Option<Latest>,
}

/// Coverage of the timestamps `ats` (any order), with gaps for a weekly kind.
fn coverage(kind: DataKind, mut ats: Vec<Ts>, cal: &Calendar) -> Coverage {
    let gaps = match kind.weekly() {
        true => {
            ats.sort_unstable();
            match ats.first() {
                Some(&first) => gaps(
                    &week_starts(&ats, cal),
                    containing(Grain::Week, cal.date_of(first)).0,
                    cal.as_of,
                ),
                None => Vec::new(),
            }
        }
        false => Vec::new(),
    };
    Coverage {
        kind,
        rows: ats.len(),
        first: ats.iter().min().copied(),
        last: ats.iter().max().copied(),
        gaps,
    }
}

/// The Mondays of the local weeks the sorted timestamps `ats` fall in, each once, in
/// order. A week's local date is worked out once, at its first timestamp; the later ones
/// before the next Monday's local midnight are in the same week.
fn week_starts(ats: &[Ts], cal: &Calendar) -> Vec<NaiveDate> {
    let mut weeks: Vec<NaiveDate> = Vec::new();
    let mut next: Option<Ts> = None;
    for &t in ats {
        if next.is_some_and(|n| t < n) {
            continue;
        }
        let monday = containing(Grain::Week, cal.date_of(t)).0;
        weeks.push(monday);
        next = Some(cal.day_start(next_start(Grain::Week, monday)));
    }
    weeks
}

/// The runs of weeks from `from` to the week of `to` whose Monday is not in `weeks`
/// (sorted Mondays of the weeks that have rows).
fn gaps(weeks: &[NaiveDate], from: NaiveDate, to: NaiveDate) -> Vec<(String, String, u32)> {
    let mut out: Vec<(String, String, u32)> = Vec::new();
    let mut open: Option<(String, String, u32)> = None;
    let mut week = from;
    while week <= to {
        let key = containing(Grain::Week, week).1;
        if weeks.binary_search(&week).is_ok() {
            out.extend(open.take());
        } else {
            match &mut open {
                Some(run) => {
                    run.1 = key;
                    run.2 += 1;
                }
                None => open = Some((key.clone(), key, 1)),
            }
        }
        week = next_start(Grain::Week, week);
    }
    out.extend(open);
    out
}

/// Everything but the warnings, which the pipeline adds (`group_warnings`).
pub fn compute(ds: &Dataset, cal: &Calendar, visible: &[u32]) -> DataQuality {
    let end = cal.as_of_end;
    let kinds = DataKind::ALL.len();
    // Each service's timestamps of each kind, at `service * kinds + kind`.
    let mut by: Vec<Vec<Ts>> = vec![Vec::new(); ds.services.len() * kinds];
    let mut add = |service: u32, kind: DataKind, at: Ts| {
        if at < end {
            by[service as usize * kinds + kind as usize].push(at);
        }
    };
    for d in &ds.deployments {
        add(d.service, DataKind::Deployments, d.at);
    }
    for c in &ds.changes {
        add(c.service, DataKind::Changes, c.committed_at);
    }
    for i in &ds.incidents {
        add(i.service, DataKind::Incidents, i.started_at);
    }
    for p in &ds.pages {
        add(p.service, DataKind::Pages, p.at);
    }
    let slo_service: Vec<Option<u32>> = ds
        .slos
        .iter()
        .map(|slo| ds.services.get(&slo.service))
        .collect();
    for r in &ds.sli {
        if let Some(s) = slo_service[r.slo as usize] {
            add(s, DataKind::Sli, r.at);
        }
    }
    let mut ids: Vec<u32> = (0..ds.services.len() as u32).collect();
    ids.sort_by_key(|&s| ds.services.name(s));
    let services = ids
        .into_iter()
        .map(|service| ServiceQuality {
            service,
            kinds: DataKind::ALL
                .iter()
                .map(|&k| {
                    let ats = std::mem::take(&mut by[service as usize * kinds + k as usize]);
                    coverage(k, ats, cal)
                })
                .collect(),
        })
        .collect();
    let mut never: BTreeMap<u32, (usize, Ts)> = BTreeMap::new();
    for c in ds
        .changes
        .iter()
        .filter(|c| c.deploy.is_none() && c.committed_at < end)
    {
        let e = never.entry(c.service).or_insert((0, c.committed_at));
        e.0 += 1;
        e.1 = e.1.min(c.committed_at);
    }
    let mut never_deployed: Vec<(u32, usize, Ts)> =
        never.into_iter().map(|(s, (n, t))| (s, n, t)).collect();
    never_deployed.sort_by_key(|&(s, _, _)| ds.services.name(s));
    let incident = |i: u32| &ds.incidents[i as usize];
    DataQuality {
        services,
        never_deployed,
        no_cause: visible
            .iter()
            .copied()
            .filter(|&i| incident(i).cause.is_none())
            .collect(),
        unresolved: visible
            .iter()
            .copied()
            .filter(|&i| incident(i).resolved_at.is_none_or(|r| r >= end))
            .collect(),
        warnings: Vec::new(),
        as_of_row: None,
    }
}

/// Load's warnings grouped by catalogue entry, in catalogue-file then id order.
pub fn group_warnings(diags: &Diagnostics) -> Vec<WarningGroup> {
    let mut warnings: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    warnings.sort_by_key(|d| (&d.path, d.line, d.column));
    let mut groups: BTreeMap<(&'static str, &'static str), Vec<String>> = BTreeMap::new();
    for d in warnings {
        let (file, id) = entry_of(&d.message).map_or(("", ""), |e| (e.file, e.id));
        groups.entry((file, id)).or_default().push(d.to_string());
    }
    groups
        .into_iter()
        .map(|((file, id), items)| WarningGroup { id, file, items })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn gaps_are_runs_of_weeks_without_rows() {
        // Weeks with rows: W27 (29 Jun) and W30 (20 Jul); from W27 to the week of 5 Aug
        // (W32): W28-W29 (2 weeks) and W31-W32 (2 weeks) are empty.
        let weeks = [day("2026-06-29"), day("2026-07-20")];
        assert_eq!(
            gaps(&weeks, day("2026-06-29"), day("2026-08-05")),
            [
                ("2026-W28".to_string(), "2026-W29".to_string(), 2),
                ("2026-W31".to_string(), "2026-W32".to_string(), 2),
            ]
        );
        assert!(gaps(&weeks[..1], day("2026-06-29"), day("2026-07-01")).is_empty());
    }

    /// Deployment rows on Tuesday 30 June (W27) and Tuesday 21 July (W30), as_of Wednesday
    /// 5 August (W32), given out of order: 2 rows, first the June one, last the July one; as
    /// a weekly kind the gaps are W28-W29 and W31-W32, 4 empty weeks. Incidents at the same
    /// times have no gaps (a week without an incident is no gap), and no rows none at all.
    #[test]
    fn coverage_counts_rows_and_lists_gaps_for_weekly_kinds_only() {
        let ts = |s: &str| crate::load::time::parse_timestamp(s).unwrap();
        let (june, july) = (ts("2026-06-30T10:00:00Z"), ts("2026-07-21T10:00:00Z"));
        let cal = Calendar::new(chrono_tz::UTC, day("2026-08-05"));
        let deploys = coverage(DataKind::Deployments, vec![july, june], &cal);
        assert_eq!(
            (deploys.rows, deploys.first, deploys.last),
            (2, Some(june), Some(july))
        );
        assert_eq!(
            deploys.gaps,
            [
                ("2026-W28".to_string(), "2026-W29".to_string(), 2),
                ("2026-W31".to_string(), "2026-W32".to_string(), 2),
            ]
        );
        assert_eq!(deploys.empty_weeks(), 4);
        let incidents = coverage(DataKind::Incidents, vec![july, june], &cal);
        assert_eq!((incidents.rows, incidents.empty_weeks()), (2, 0));
        assert!(incidents.gaps.is_empty());
        let none = coverage(DataKind::Sli, Vec::new(), &cal);
        assert_eq!((none.rows, none.first, none.gaps.len()), (0, None, 0));
        // Weekly: a service deploys and reports SLI every week, not so the other kinds.
        let weekly: Vec<bool> = DataKind::ALL.iter().map(|k| k.weekly()).collect();
        assert_eq!(weekly, [true, false, false, true, false]);
    }

    /// Week starts are worked out once a week, so the edges matter. In Europe/Berlin,
    /// Monday 30 March 2026 starts at 2026-03-29T22:00:00Z (CEST, UTC+2, from the 29th);
    /// Monday 23 March at 2026-03-22T23:00:00Z (CET, UTC+1). A row a second before the
    /// first is in W13 (Monday 23 March), one exactly on it in W14 (30 March); the row on
    /// Sunday 22 March 23:00 UTC is Monday 23 March's first second (W13), the one a second
    /// before it Sunday (W12, Monday 16 March); the last row is in W15 (6 April), the only
    /// row of W14 on its first second. Each week once, in order.
    #[test]
    fn week_starts_are_local_weeks_each_once_across_a_clock_change() {
        let ts = |s: &str| crate::load::time::parse_timestamp(s).unwrap();
        let cal = Calendar::new(chrono_tz::Europe::Berlin, day("2026-04-30"));
        let ats = [
            ts("2026-03-22T22:59:59Z"),
            ts("2026-03-22T23:00:00Z"),
            ts("2026-03-25T12:00:00Z"),
            ts("2026-03-29T21:59:59Z"),
            ts("2026-03-29T22:00:00Z"),
            ts("2026-04-06T08:00:00Z"),
        ];
        assert_eq!(
            week_starts(&ats, &cal),
            [
                day("2026-03-16"),
                day("2026-03-23"),
                day("2026-03-30"),
                day("2026-04-06")
            ]
        );
        // The same as each row's own week, deduplicated.
        let mut each: Vec<NaiveDate> = ats
            .iter()
            .map(|&t| containing(Grain::Week, cal.date_of(t)).0)
            .collect();
        each.dedup();
        assert_eq!(week_starts(&ats, &cal), each);
        assert!(week_starts(&[], &cal).is_empty());
    }

    /// Each kind names the contract file its rows come from, a file of the table registry.
    #[test]
    fn each_kind_names_its_contract_file() {
        let files: Vec<&str> = DataKind::ALL.iter().map(|k| k.file()).collect();
        assert_eq!(
            files,
            [
                "data/deployments.csv",
                "data/changes.csv",
                "data/incidents.csv",
                "data/sli.csv",
                "data/pages.csv"
            ]
        );
        let registry: Vec<&str> = crate::load::tables::TABLES
            .iter()
            .map(|t| t.path())
            .collect();
        assert!(files.iter().all(|f| registry.contains(f)), "{registry:?}");
    }
}
