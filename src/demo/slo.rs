//! Demo SLI data: takes the SLO catalogue, incidents, timeline and clock and returns
//! `data/sli.csv` (`slo,timestamp,good,total`): daily buckets over the whole span, hourly
//! buckets over the last ~3 months for the hourly SLOs, with incidents burning budget.

use super::clock::Clock;
use super::incidents::Incident;
use super::org::{Org, SloKind, SloSpec};
use super::rng::Rng;
use super::timeline::Timeline;
use crate::model::{Ts, HOUR};
use crate::output::push_u64;
use chrono::{Datelike, Days, Weekday};

/// Error share added while an incident of severity 1..4 is running.
fn impact_weight(kind: SloKind, sev: u8) -> f64 {
    let w = match kind {
        SloKind::Availability => [0.35, 0.12, 0.03, 0.005],
        SloKind::Latency => [0.30, 0.15, 0.05, 0.01],
    };
    w[(sev.clamp(1, 4) - 1) as usize]
}

/// Bucket start instants: local midnights (daily) or UTC hours (hourly); the last
/// element is the exclusive end of the final bucket.
fn bucket_edges(slo: &SloSpec, tl: &Timeline, clock: &Clock) -> Vec<Ts> {
    if slo.hourly {
        let from = clock.at_local(tl.hourly_from, 0);
        (0..=(tl.stop_ts - from) / HOUR)
            .map(|h| from + h * HOUR)
            .collect()
    } else {
        (0..=tl.days)
            .map(|d| clock.at_local(tl.start + Days::new(d as u64), 0))
            .collect()
    }
}

/// Share of each bucket's requests made bad by the service's incidents.
fn incident_impact(slo: &SloSpec, edges: &[Ts], incidents: &[&Incident], last: Ts) -> Vec<f64> {
    let mut impact = vec![0.0; edges.len().saturating_sub(1)];
    for inc in incidents {
        let (s, e) = (inc.started, inc.resolved.unwrap_or(last));
        let first = edges.partition_point(|&x| x <= s).saturating_sub(1);
        for b in first..impact.len() {
            let (a, z) = (edges[b], edges[b + 1]);
            if a >= e {
                break;
            }
            let overlap = (e.min(z) - s.max(a)).max(0) as f64 / (z - a) as f64;
            impact[b] += overlap * impact_weight(slo.kind, inc.severity);
        }
    }
    impact
}

fn traffic_factor(clock: &Clock, at: Ts, hourly: bool) -> f64 {
    let weekday = match clock.local_date(at).weekday() {
        Weekday::Sat | Weekday::Sun => 0.7,
        _ => 1.0,
    };
    if hourly {
        let h = clock.local_hour(at) as f64;
        weekday * (1.0 + 0.7 * (std::f64::consts::TAU * (h - 8.0) / 24.0).sin()) / 24.0
    } else {
        weekday
    }
}

pub fn sli_csv(
    seed: u64,
    org: &Org,
    tl: &Timeline,
    clock: &Clock,
    incidents: &[Incident],
) -> String {
    let mut by_service: Vec<Vec<&Incident>> = vec![Vec::new(); org.services.len()];
    for i in incidents {
        by_service[i.service as usize].push(i);
    }
    let rows_guess = org.slos.len() * tl.days as usize + 2 * 24 * 92;
    let mut s = String::with_capacity(rows_guess * 64 + 32);
    s.push_str("slo,timestamp,good,total\n");
    for (k, slo) in org.slos.iter().enumerate() {
        let mut rng = Rng::stream(seed, "sli", k as u64);
        let edges = bucket_edges(slo, tl, clock);
        let impact = incident_impact(slo, &edges, &by_service[slo.service], tl.last_ts());
        let traffic = org.services[slo.service].traffic;
        let budget = 1.0 - slo.objective;
        for (b, w) in edges.windows(2).enumerate() {
            let at = w[0];
            let day = tl.day_index(clock.local_date(at)).max(0) as u32;
            let growth = 1.0 + 0.3 * tl.progress(day);
            let total = (traffic
                * growth
                * traffic_factor(clock, at, slo.hourly)
                * rng.lognormal(1.0, 0.08))
            .round()
            .max(1.0);
            let mut err = match (slo.kind, slo.timeslice_target) {
                (_, Some(_)) => 0.012 * rng.lognormal(1.0, 0.35),
                (SloKind::Availability, None) => budget * 0.25 * rng.lognormal(1.0, 0.5),
                (SloKind::Latency, None) => budget * 0.3 * rng.lognormal(1.0, 0.4),
            };
            if rng.bernoulli(if slo.hourly { 0.003 } else { 0.01 }) {
                err += match slo.timeslice_target {
                    Some(_) => rng.uniform(0.05, 0.2),
                    None => budget * rng.uniform(0.5, 3.0),
                };
            }
            err += impact[b];
            let bad = (total * err.min(1.0)).round();
            s.push_str(&slo.id);
            s.push(',');
            clock.push_local(&mut s, at);
            s.push(',');
            push_u64(&mut s, (total - bad) as u64);
            s.push(',');
            push_u64(&mut s, total as u64);
            s.push('\n');
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impact_is_prorated_by_overlap() {
        let slo = SloSpec {
            id: "x".into(),
            service: 0,
            kind: SloKind::Availability,
            objective: 0.999,
            window: "28d",
            timeslice_target: None,
            hourly: true,
            description: String::new(),
        };
        let edges = [0, HOUR, 2 * HOUR, 3 * HOUR];
        let inc = Incident {
            id: "INC-1".into(),
            service: 0,
            severity: 1,
            started: HOUR / 2,
            detected: HOUR / 2,
            acknowledged: HOUR / 2,
            resolved: Some(2 * HOUR),
            caused_by: None,
            cause: 0,
            cause_tag: "bad-deploy",
            title: String::new(),
            big: false,
        };
        let got = incident_impact(&slo, &edges, &[&inc], 10 * HOUR);
        // Half of hour 0 and all of hour 1 at sev-1 weight 0.35; hour 2 untouched.
        assert_eq!(got, vec![0.175, 0.35, 0.0]);
    }
}
