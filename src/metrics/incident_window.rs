//! Incident chart figures: takes the event `Index` and one incident and returns the days
//! around it (±14, never past `as_of`) with the service's counted production deployments
//! and each of the service's SLOs' SLI per day (`IncidentDaily`).

use crate::metrics::index::Index;
use crate::metrics::slo::sli_by_day;
use crate::model::Ts;
use crate::period::Calendar;
use chrono::{Duration, NaiveDate};
use std::collections::BTreeMap;

/// Days shown either side of the incident's start.
pub const INCIDENT_DAYS: i64 = 14;

/// The first and last day shown around an incident that started on `started`.
pub fn window(started: NaiveDate, as_of: NaiveDate) -> (NaiveDate, NaiveDate) {
    (
        started - Duration::days(INCIDENT_DAYS),
        (started + Duration::days(INCIDENT_DAYS)).min(as_of),
    )
}

/// One incident's daily figures, each aligned with the days `first..=last`.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentDaily {
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Counted production deployments of the incident's service per day.
    pub deploys: Vec<u64>,
    /// Each SLO of the service (index into `Dataset::slos`) with its SLI per day.
    pub sli: Vec<(u32, Vec<Option<f64>>)>,
    /// Each of those SLOs that has any SLI row before `as_of` ends, with the local day of
    /// its first row.
    pub sli_since: BTreeMap<u32, NaiveDate>,
}

/// The times of each service's counted production deployments (`Index::deploys`), sorted:
/// built once, shared by every incident of the service.
pub fn deploy_times(ix: &Index) -> Vec<Vec<Ts>> {
    ix.deploys
        .iter()
        .map(|list| {
            list.iter()
                .map(|&d| ix.ds.deployments[d as usize].at)
                .collect()
        })
        .collect()
}

/// The SLOs (indices into `ds.slos`) of each service, in file order: built once, shared
/// by every incident of the service.
pub fn service_slos(ix: &Index) -> Vec<Vec<usize>> {
    let ds = ix.ds;
    let mut out = vec![Vec::new(); ds.services.len()];
    for (k, slo) in ds.slos.iter().enumerate() {
        if let Some(s) = ds.services.get(&slo.service) {
            out[s as usize].push(k);
        }
    }
    out
}

/// The local midnights of the days `first..=last` and the one after `last`, worked out
/// once and shared by every incident's window (each midnight is a time zone lookup).
pub struct Days {
    first: NaiveDate,
    starts: Vec<Ts>,
}

impl Days {
    pub fn new(cal: &Calendar, first: NaiveDate, last: NaiveDate) -> Days {
        Days {
            first,
            starts: cal.day_starts(first, last),
        }
    }

    /// The midnights that bound the days `from..=to` (within the span, `from <= to`): one
    /// more than there are days.
    pub fn bounds(&self, from: NaiveDate, to: NaiveDate) -> &[Ts] {
        let at = |d: NaiveDate| (d - self.first).num_days() as usize;
        &self.starts[at(from)..=at(to) + 1]
    }
}

/// The span of days every incident of `visible` shows (`window`), `None` without one.
pub fn span(ix: &Index, visible: &[u32]) -> Option<(NaiveDate, NaiveDate)> {
    let cal = &ix.cal;
    let windows = visible.iter().map(|&i| {
        let started = ix.ds.incidents[i as usize].started_at;
        window(cal.date_of(started), cal.as_of)
    });
    windows.fold(None, |acc, (a, b)| match acc {
        None => Some((a, b)),
        Some((x, y)) => Some((x.min(a), y.max(b))),
    })
}

/// The daily figures around incident `i`, given `deploy_times(ix)`, `service_slos(ix)`
/// and the midnights of a span of days that holds its window (`span`); `i` started by
/// `as_of`.
pub fn daily(
    ix: &Index,
    deploy_times: &[Vec<Ts>],
    service_slos: &[Vec<usize>],
    days: &Days,
    i: u32,
) -> IncidentDaily {
    let (ds, cal) = (ix.ds, &ix.cal);
    let inc = &ds.incidents[i as usize];
    let (first, last) = window(cal.date_of(inc.started_at), cal.as_of);
    let bounds = days.bounds(first, last);
    let times = &deploy_times[inc.service as usize];
    let slos = &service_slos[inc.service as usize];
    let sli_since = slos
        .iter()
        .filter_map(|&k| {
            let first = ix.slo_series[k].times().first()?;
            Some((k as u32, cal.date_of(*first)))
        })
        .collect();
    let sli = slos
        .iter()
        .map(|&k| (k as u32, sli_by_day(&ix.slo_series[k], bounds)))
        .collect();
    IncidentDaily {
        first,
        last,
        deploys: per_day(times, bounds),
        sli,
        sli_since,
    }
}

/// How many of the sorted timestamps `times` fall in each day between consecutive
/// midnights of `bounds`.
pub fn per_day(times: &[Ts], bounds: &[Ts]) -> Vec<u64> {
    let before: Vec<usize> = bounds
        .iter()
        .map(|&b| times.partition_point(|&t| t < b))
        .collect();
    before.windows(2).map(|w| (w[1] - w[0]) as u64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn window_is_clipped_to_as_of() {
        // Started 2 July 2026: 14 days before is 18 June; 14 days after would be 16 July,
        // clipped to as_of 15 July: 13 + 15 = 28 days.
        assert_eq!(
            window(d("2026-07-02"), d("2026-07-15")),
            (d("2026-06-18"), d("2026-07-15"))
        );
        // Without clipping: 18 June .. 16 July.
        assert_eq!(
            window(d("2026-07-02"), d("2026-07-31")),
            (d("2026-06-18"), d("2026-07-16"))
        );
    }
}
