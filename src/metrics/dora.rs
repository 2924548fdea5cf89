//! DORA figures: pure metric functions that take one scope-period `Basis` and return one
//! figure each (deployment frequency, lead time, change failure rate, time to restore,
//! recovery time and their parts), `None` where there is no data.

use crate::metrics::basis::Basis;
use crate::metrics::index::hours;
use crate::metrics::stats::{median, ratio};
use crate::model::DeployStatus;

/// Counted production deployments in the period.
pub fn deployments(b: &Basis) -> Option<f64> {
    b.deploys.map(|d| d.len() as f64)
}

/// Counted deployments per 7 days of the period.
pub fn deploys_per_week(b: &Basis) -> Option<f64> {
    b.deploys
        .map(|d| d.len() as f64 * 7.0 / b.period.days as f64)
}

/// Production attempts that did not deploy (status `failed`).
pub fn failed_attempts(b: &Basis) -> Option<f64> {
    b.deploys?;
    let (start, end) = (b.period.start, b.period.end);
    Some(crate::metrics::scope::range(&b.ev.failed_attempts, start, end).len() as f64)
}

/// Share of counted deployments flagged as rework.
pub fn rework_rate(b: &Basis) -> Option<f64> {
    let d = b.deploys.filter(|_| b.ds().present.rework)?;
    let deployments = &b.ds().deployments;
    let rework = d
        .iter()
        .filter(|&&i| deployments[i as usize].rework == Some(true))
        .count() as u64;
    ratio(rework, d.len() as u64)
}

/// Changes shipped by the period's deployments.
pub fn changes(b: &Basis) -> Option<f64> {
    b.lead_times.map(|l| l.count as f64)
}

/// Median commit-to-deploy hours of the changes shipped.
pub fn lead_time_median_hours(b: &Basis) -> Option<f64> {
    b.lead_times?.median
}

/// 90th percentile commit-to-deploy hours of the changes shipped.
pub fn lead_time_p90_hours(b: &Basis) -> Option<f64> {
    b.lead_times?.p90
}

/// Counted deployments rolled back or named by an incident (the version-2 failure).
pub fn failed_deployments(b: &Basis) -> Option<f64> {
    b.failed.map(|n| n as f64)
}

/// Change failure rate, version 1: rolled-back deployments over counted deployments.
pub fn change_failure_rate_v1(b: &Basis) -> Option<f64> {
    let d = b.deploys?;
    let deployments = &b.ds().deployments;
    let rolled_back = d
        .iter()
        .filter(|&&i| deployments[i as usize].status == DeployStatus::RolledBack)
        .count() as u64;
    ratio(rolled_back, d.len() as u64)
}

/// Change failure rate, version 2: deployments rolled back or named by an incident's
/// `caused_by_deploy` (an incident started by as_of) over counted deployments.
pub fn change_failure_rate_v2(b: &Basis) -> Option<f64> {
    ratio(b.failed?, b.deploys?.len() as u64)
}

/// Incidents started in the period.
pub fn incidents(b: &Basis) -> Option<f64> {
    b.incidents.map(|i| i.len() as f64)
}

/// Incidents of the period not resolved by as_of.
pub fn unresolved_incidents(b: &Basis) -> Option<f64> {
    Some(b.resolved()?.filter(|(_, r)| r.is_none()).count() as f64)
}

/// Median hours from start to resolution of the period's resolved incidents.
pub fn time_to_restore_median_hours(b: &Basis) -> Option<f64> {
    let incidents = &b.ds().incidents;
    let mut restore: Vec<f64> = b
        .resolved()?
        .filter_map(|(i, r)| Some(hours(incidents[i as usize].started_at, r?)))
        .collect();
    median(&mut restore)
}

/// Median hours from a counted causing deployment to the resolution of its incident.
pub fn failed_deployment_recovery_median_hours(b: &Basis) -> Option<f64> {
    let ds = b.ds();
    let end = b.ix.cal.as_of_end;
    let mut recovery: Vec<f64> = b
        .resolved()?
        .filter_map(|(i, r)| {
            let r = r?;
            let d = &ds.deployments[ds.incidents[i as usize].caused_by? as usize];
            (d.counted() && d.at < end).then(|| hours(d.at, r))
        })
        .collect();
    median(&mut recovery)
}
