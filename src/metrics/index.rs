//! Event index: takes the `Dataset` and `Calendar` and returns per-service, time-sorted
//! event lists (plus lead times and failure flags) so any scope and period is a range lookup,
//! and the per-incident facts both the figures and the incident pages read (earliest retro,
//! status, time to retro, repeat-of), each computed once per build.

use crate::metrics::repeat::repeats_of;
use crate::metrics::retro::{done_by, done_on_time, status, time_to_retro, Status};
use crate::metrics::slo::SliSeries;
use crate::model::{Dataset, DeployStatus, Ts, HOUR};
use crate::period::Calendar;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::HashMap;

/// An action item reduced to what the figures need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemFact {
    pub due: NaiveDate,
    /// Done on or before its due date (and on or before `as_of`).
    pub on_time: bool,
    pub done: Option<NaiveDate>,
    /// The local date its retro was published: the item does not exist before.
    pub opened: NaiveDate,
}

/// Global lookups built once per build.
pub struct Index<'a> {
    pub ds: &'a Dataset,
    pub cal: Calendar,
    /// Counted deployments (production, success or rolled_back, not after as_of) per service, by time.
    pub deploys: Vec<Vec<u32>>,
    /// Timestamps of failed production attempts per service, sorted.
    pub failed_attempts: Vec<Vec<Ts>>,
    /// Incidents (started by as_of) per service, by start time.
    pub incidents: Vec<Vec<u32>>,
    /// Per deployment: rolled back, or named by an incident that started by as_of.
    pub deploy_failed: Vec<bool>,
    /// Lead times in hours of the changes each deployment shipped: `lead_values[lead_offsets[d]..lead_offsets[d+1]]`.
    pub lead_offsets: Vec<u32>,
    pub lead_values: Vec<f64>,
    /// The earliest retro published by as_of per incident index (into `Dataset::retros`).
    pub retro_of: Vec<Option<u32>>,
    /// Per incident index: where it stands as of as_of (given `retro_of`).
    pub status: Vec<Status>,
    /// Per incident index: seconds from its resolution (by as_of) to `retro_of`'s publication.
    pub time_to_retro: Vec<Option<i64>>,
    /// Per incident index: the incident it repeats (named by its retro's `repeats`, or the same
    /// service and specific cause within 90 days; `metrics::repeat`), for incidents started
    /// by as_of.
    pub repeat_of: Vec<Option<u32>>,
    /// Action items per service (of the retro's incident), sorted by due date.
    pub items: Vec<Vec<ItemFact>>,
    /// On-call pages (by as_of) per service, by time.
    pub pages: Vec<Vec<u32>>,
    /// The first timestamp of each kind of data: periods ending before it have no data.
    pub coverage: Coverage,
    /// Each SLO's buckets, prepared for range sums (aligned with `Dataset::slos`).
    pub slo_series: Vec<SliSeries>,
}

/// Where each kind of data starts; `None` when that kind has no rows at all.
#[derive(Debug, Clone, Copy, Default)]
pub struct Coverage {
    pub deployments: Option<Ts>,
    pub incidents: Option<Ts>,
    pub pages: Option<Ts>,
    /// The local day of the latest timestamp anywhere in `data/`: a period that starts
    /// after it has no figures at all (n/a), whatever `as_of` says.
    pub data_end: Option<chrono::NaiveDate>,
}

/// The local day of the latest timestamp of `data/` up to the end of `as_of` (rows after
/// it do not exist), `None` when there is none.
pub fn data_end(ds: &Dataset, cal: &Calendar) -> Option<chrono::NaiveDate> {
    let by_as_of = |t: &Ts| *t < cal.as_of_end;
    let incidents = ds.incidents.iter().flat_map(|i| {
        [
            Some(i.started_at),
            i.detected_at,
            i.acknowledged_at,
            i.resolved_at,
        ]
        .into_iter()
        .flatten()
    });
    let latest = ds
        .deployments
        .iter()
        .map(|d| d.at)
        .chain(ds.changes.iter().map(|c| c.committed_at))
        .chain(incidents)
        .chain(ds.sli.iter().map(|r| r.at))
        .chain(ds.pages.iter().map(|p| p.at))
        .filter(by_as_of)
        .max();
    latest.map(|t| cal.date_of(t))
}

impl<'a> Index<'a> {
    pub fn new(ds: &'a Dataset, cal: Calendar) -> Self {
        // Four independent parts, side by side: deployments, incidents and what hangs on
        // them, lead times, and the SLO series.
        let ((deployments, incident_facts), ((lead_offsets, lead_values), slo_series)) =
            rayon::join(
                || rayon::join(|| by_deployment(ds, &cal), || by_incident(ds, &cal)),
                || rayon::join(|| lead_times(ds), || slo_series(ds, &cal)),
            );
        let (deploys, failed_attempts) = deployments;
        let IncidentFacts {
            incidents,
            deploy_failed,
            retro_of,
            status,
            time_to_retro,
            repeat_of,
        } = incident_facts;
        let end = cal.as_of_end;
        let items = item_facts(ds, &cal);
        let pages = per_service(ds.pages.len(), ds.services.len(), |i| {
            let p = &ds.pages[i];
            (p.at < end).then_some((p.service, p.at))
        });
        let coverage = Coverage {
            deployments: ds.deployments.iter().map(|d| d.at).min(),
            incidents: ds.incidents.iter().map(|i| i.started_at).min(),
            pages: ds.pages.iter().map(|p| p.at).min(),
            data_end: data_end(ds, &cal),
        };
        Index {
            slo_series,
            ds,
            cal,
            deploys,
            failed_attempts,
            incidents,
            deploy_failed,
            lead_offsets,
            lead_values,
            retro_of,
            status,
            time_to_retro,
            repeat_of,
            items,
            pages,
            coverage,
        }
    }

    pub fn lead_times(&self, deploy: u32) -> &[f64] {
        let d = deploy as usize;
        &self.lead_values[self.lead_offsets[d] as usize..self.lead_offsets[d + 1] as usize]
    }
}

/// Row indices `0..rows` grouped by service (`n_services` lists), each list by (time, index):
/// `of(i)` gives row `i`'s service and time, or `None` to leave it out.
fn per_service(
    rows: usize,
    n_services: usize,
    of: impl Fn(usize) -> Option<(u32, Ts)>,
) -> Vec<Vec<u32>> {
    let mut lists: Vec<Vec<(Ts, u32)>> = vec![Vec::new(); n_services];
    for i in 0..rows {
        if let Some((service, at)) = of(i) {
            lists[service as usize].push((at, i as u32));
        }
    }
    lists.into_par_iter().map(in_time_order).collect()
}

/// The indices of `keyed` (time, index) pairs by time, then index. The sort is stable, so
/// lists already in order, or made of sorted runs (a scope's per-service lists one after
/// another), cost little.
pub fn in_time_order(mut keyed: Vec<(Ts, u32)>) -> Vec<u32> {
    keyed.sort();
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// Counted production deployments per service by time, and the times of the failed
/// attempts per service, sorted.
fn by_deployment(ds: &Dataset, cal: &Calendar) -> (Vec<Vec<u32>>, Vec<Vec<Ts>>) {
    let end = cal.as_of_end;
    let in_prod = |i: usize| {
        let d = &ds.deployments[i];
        (d.at < end && d.production).then_some(d)
    };
    let deploys = per_service(ds.deployments.len(), ds.services.len(), |i| {
        in_prod(i)
            .filter(|d| d.counted())
            .map(|d| (d.service, d.at))
    });
    let mut failed_attempts = vec![Vec::new(); ds.services.len()];
    for d in (0..ds.deployments.len()).filter_map(in_prod) {
        if !d.counted() {
            failed_attempts[d.service as usize].push(d.at);
        }
    }
    failed_attempts.iter_mut().for_each(|v| v.sort_unstable());
    (deploys, failed_attempts)
}

/// The incident lists of `Index` and the facts that hang on them.
struct IncidentFacts {
    incidents: Vec<Vec<u32>>,
    deploy_failed: Vec<bool>,
    retro_of: Vec<Option<u32>>,
    status: Vec<Status>,
    time_to_retro: Vec<Option<i64>>,
    repeat_of: Vec<Option<u32>>,
}

fn by_incident(ds: &Dataset, cal: &Calendar) -> IncidentFacts {
    let end = cal.as_of_end;
    let incidents = per_service(ds.incidents.len(), ds.services.len(), |i| {
        let inc = &ds.incidents[i];
        (inc.started_at < end).then_some((inc.service, inc.started_at))
    });
    let mut deploy_failed: Vec<bool> = ds
        .deployments
        .iter()
        .map(|d| d.status == DeployStatus::RolledBack)
        .collect();
    for inc in ds.incidents.iter().filter(|inc| inc.started_at < end) {
        if let Some(d) = inc.caused_by {
            deploy_failed[d as usize] = true;
        }
    }
    let retro_of = first_retros(ds, end);
    let (status, time_to_retro) = ds
        .incidents
        .iter()
        .zip(&retro_of)
        .map(|(inc, &r)| (status(ds, cal, inc, r), time_to_retro(ds, cal, inc, r)))
        .unzip();
    let repeat_of = repeats_of(ds, &incidents, &retro_of);
    IncidentFacts {
        incidents,
        deploy_failed,
        retro_of,
        status,
        time_to_retro,
        repeat_of,
    }
}

/// Lead times grouped by deployment (compressed rows): for each change with a deployment,
/// `deployed_at - committed_at` in hours.
fn lead_times(ds: &Dataset) -> (Vec<u32>, Vec<f64>) {
    let n = ds.deployments.len();
    let mut offsets = vec![0u32; n + 1];
    for c in &ds.changes {
        if let Some(d) = c.deploy {
            offsets[d as usize + 1] += 1;
        }
    }
    for i in 0..n {
        offsets[i + 1] += offsets[i];
    }
    let mut fill = offsets.clone();
    let mut values = vec![0.0; offsets[n] as usize];
    for c in &ds.changes {
        if let Some(d) = c.deploy {
            let slot = &mut fill[d as usize];
            values[*slot as usize] =
                (ds.deployments[d as usize].at - c.committed_at) as f64 / HOUR as f64;
            *slot += 1;
        }
    }
    (offsets, values)
}

/// The index of the earliest retro published by `end` for each incident.
pub fn first_retros(ds: &Dataset, end: Ts) -> Vec<Option<u32>> {
    let by_id: HashMap<&str, usize> = ds
        .incidents
        .iter()
        .enumerate()
        .map(|(i, inc)| (inc.id.as_str(), i))
        .collect();
    let mut out: Vec<Option<u32>> = vec![None; ds.incidents.len()];
    for (ri, r) in ds.retros.iter().enumerate() {
        let Some(&i) = by_id
            .get(r.incident.as_str())
            .filter(|_| r.published_at < end)
        else {
            continue;
        };
        let earlier = out[i].is_some_and(|o| ds.retros[o as usize].published_at <= r.published_at);
        if !earlier {
            out[i] = Some(ri as u32);
        }
    }
    out
}

fn item_facts(ds: &Dataset, cal: &Calendar) -> Vec<Vec<ItemFact>> {
    let as_of = cal.as_of;
    let by_id: HashMap<&str, u32> = ds
        .incidents
        .iter()
        .map(|inc| (inc.id.as_str(), inc.service))
        .collect();
    let mut out = vec![Vec::new(); ds.services.len()];
    for r in &ds.retros {
        let Some(&service) = by_id.get(r.incident.as_str()) else {
            continue;
        };
        let opened = cal.date_of(r.published_at);
        for item in &r.action_items {
            let done = done_by(item, as_of);
            out[service as usize].push(ItemFact {
                due: item.due,
                on_time: done.is_some_and(|d| done_on_time(item, d)),
                done,
                opened,
            });
        }
    }
    out.iter_mut()
        .for_each(|v| v.sort_by_key(|f| (f.due, f.done)));
    out
}

/// Every SLO's rows, grouped and prepared once.
fn slo_series(ds: &Dataset, cal: &Calendar) -> Vec<SliSeries> {
    let mut rows = vec![Vec::new(); ds.slos.len()];
    for r in &ds.sli {
        rows[r.slo as usize].push(*r);
    }
    ds.slos
        .par_iter()
        .zip(rows)
        .map(|(def, mut rows)| {
            rows.sort_unstable_by_key(|r| r.at);
            SliSeries::new(def, &rows, cal)
        })
        .collect()
}

/// Hours between two timestamps.
pub fn hours(from: Ts, to: Ts) -> f64 {
    (to - from) as f64 / HOUR as f64
}
