//! DORA figures: takes one scope's events and one period and returns deployment frequency,
//! lead time, change failure rate, time to restore and recovery time (`Dora`), `None` for no data.

use crate::metrics::index::{hours, Index};
use crate::metrics::scope::{range, ScopeEvents};
use crate::metrics::stats::{median, percentile, ratio};
use crate::period::Period;
use serde::Serialize;

/// The four keys and their parts, with the JSON key names of the data contract.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Dora {
    pub deployments: Option<u64>,
    pub deploys_per_week: Option<f64>,
    pub failed_attempts: Option<u64>,
    pub rework_rate: Option<f64>,
    pub changes: Option<u64>,
    pub lead_time_median_hours: Option<f64>,
    pub lead_time_p90_hours: Option<f64>,
    pub failed_deployments: Option<u64>,
    pub change_failure_rate: Option<f64>,
    pub incidents: Option<u64>,
    pub unresolved_incidents: Option<u64>,
    pub time_to_restore_median_hours: Option<f64>,
    pub failed_deployment_recovery_median_hours: Option<f64>,
}

/// Whether a kind of data starting at `first` (if any) reaches into the period.
pub fn covers(first: Option<crate::model::Ts>, p: &Period) -> bool {
    first.is_some_and(|t| t < p.end)
}

pub fn dora(ix: &Index, ev: &ScopeEvents, p: &Period) -> Dora {
    let mut out = Dora::default();
    delivery(ix, ev, p, &mut out);
    restore(ix, ev, p, &mut out);
    out
}

fn delivery(ix: &Index, ev: &ScopeEvents, p: &Period, out: &mut Dora) {
    let ds = ix.ds;
    if !(ds.present.deployments && covers(ix.coverage.deployments, p)) {
        return;
    }
    let deploys = &ev.deploys[range(&ev.deploy_at, p.start, p.end)];
    let n = deploys.len() as u64;
    out.deployments = Some(n);
    out.deploys_per_week = Some(n as f64 * 7.0 / p.days as f64);
    out.failed_attempts = Some(range(&ev.failed_attempts, p.start, p.end).len() as u64);
    let failed = deploys
        .iter()
        .filter(|&&d| ix.deploy_failed[d as usize])
        .count() as u64;
    out.failed_deployments = Some(failed);
    out.change_failure_rate = ratio(failed, n);
    if ds.present.rework {
        let rework = deploys
            .iter()
            .filter(|&&d| ds.deployments[d as usize].rework == Some(true))
            .count() as u64;
        out.rework_rate = ratio(rework, n);
    }
    if ds.present.changes {
        let mut leads: Vec<f64> = deploys
            .iter()
            .flat_map(|&d| ix.lead_times(d).iter().copied())
            .collect();
        out.changes = Some(leads.len() as u64);
        out.lead_time_p90_hours = percentile(&mut leads, 0.9);
        out.lead_time_median_hours = percentile(&mut leads, 0.5);
    }
}

fn restore(ix: &Index, ev: &ScopeEvents, p: &Period, out: &mut Dora) {
    let ds = ix.ds;
    if !(ds.present.incidents && covers(ix.coverage.incidents, p)) {
        return;
    }
    let end = ix.cal.as_of_end;
    let incidents = &ev.incidents[range(&ev.incident_at, p.start, p.end)];
    out.incidents = Some(incidents.len() as u64);
    let mut restore = Vec::new();
    let mut recovery = Vec::new();
    let mut unresolved = 0;
    for &i in incidents {
        let inc = &ds.incidents[i as usize];
        match inc.resolved_at.filter(|&r| r < end) {
            None => unresolved += 1,
            Some(r) => {
                restore.push(hours(inc.started_at, r));
                let counted = inc
                    .caused_by
                    .map(|d| &ds.deployments[d as usize])
                    .filter(|d| d.counted() && d.at < end);
                if let Some(d) = counted {
                    recovery.push(hours(d.at, r));
                }
            }
        }
    }
    out.unresolved_incidents = Some(unresolved);
    out.time_to_restore_median_hours = median(&mut restore);
    out.failed_deployment_recovery_median_hours = median(&mut recovery);
}
