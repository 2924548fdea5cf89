//! Demo delivery: takes the organisation, timeline and clock and returns deployments
//! (production and staging, sorted by time) and the changes they shipped, plus their CSV.

use super::clock::{bool_str, push_field, push_utc, Clock};
use super::org::Org;
use super::rng::Rng;
use super::timeline::Timeline;
use crate::model::{Ts, DAY, HOUR};
use crate::output::push_padded;
use chrono::{Datelike, Weekday};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Success,
    RolledBack,
    Failed,
}

impl Status {
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::RolledBack => "rolled_back",
            Status::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Deploy {
    pub service: u32,
    pub at: Ts,
    pub production: bool,
    pub status: Status,
    pub rework: bool,
    /// The deployment that starts the big incident.
    pub big: bool,
}

impl Deploy {
    /// Reached production: `success` or `rolled_back`.
    pub fn counted(&self) -> bool {
        self.production && self.status != Status::Failed
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub service: u32,
    pub committed_at: Ts,
    /// Index into the deployments.
    pub deploy: Option<u32>,
}

pub struct Delivery {
    pub deploys: Vec<Deploy>,
    pub changes: Vec<Change>,
}

/// Mean changes per counted production deployment.
const CHANGES_PER_DEPLOY: f64 = 4.0;

/// Scales every team's pace so `--teams 40 --services-per-team 3 --months 36` gives
/// about 340k deployments.
const PACE_SCALE: f64 = 1.1;

/// Deployments and their changes; `rate` scales every service's deployment pace (1 = the
/// example's).
pub fn generate(seed: u64, org: &Org, tl: &Timeline, clock: &Clock, rate: f64) -> Delivery {
    let mut deploys = Vec::new();
    for s in 0..org.services.len() {
        service_deploys(seed, s, org, tl, clock, rate, &mut deploys);
    }
    deploys.sort_by_key(|d| (d.at, d.service, !d.production));
    let mut changes = Vec::with_capacity(deploys.len() * 3);
    let mut rng = Rng::stream(seed, "changes", 0);
    for (i, d) in deploys.iter().enumerate() {
        if d.counted() {
            ship_changes(&mut rng, i as u32, d, org, tl, clock, &mut changes);
        }
    }
    for s in 0..org.services.len() {
        let n = rng.poisson(2.0).min(6);
        for _ in 0..n {
            let committed_at = tl.last_ts() - rng.range(HOUR / 2, 36 * HOUR);
            changes.push(Change {
                service: s as u32,
                committed_at,
                deploy: None,
            });
        }
    }
    Delivery { deploys, changes }
}

fn weekday_factor(w: Weekday) -> f64 {
    match w {
        Weekday::Mon | Weekday::Tue | Weekday::Wed | Weekday::Thu => 1.0,
        Weekday::Fri => 0.55,
        Weekday::Sat | Weekday::Sun => 0.03,
    }
}

/// A local time of day for a deployment: working hours mostly, a few early or late.
fn deploy_second(rng: &mut Rng) -> i64 {
    if rng.bernoulli(0.9) {
        rng.range(9 * HOUR, 17 * HOUR + 1800)
    } else {
        rng.range(6 * HOUR, 22 * HOUR)
    }
}

/// Production deployment attempts expected on one day for a team: its pace, improving
/// over the span, busier before its launch and after new hires, near zero in a freeze.
fn day_pace(t: usize, base: f64, day: u32, tl: &Timeline) -> f64 {
    let date = tl.date(day);
    let mut pace = PACE_SCALE * base * (1.0 + 0.25 * tl.progress(day));
    let to_launch = tl.day_index(tl.launch.0) - day as i64;
    if t == tl.launch.1 && (1..=21).contains(&to_launch) {
        pace *= 1.3;
    }
    if t == tl.staffing.1 && date >= tl.staffing.0 {
        pace *= 1.15;
    }
    pace * weekday_factor(date.weekday())
}

/// A production deployment's status; the one after a rollback is often rework.
fn production(rng: &mut Rng, rollback: f64, prev_rolled_back: &mut bool) -> (Status, bool) {
    let status = if rng.bernoulli(0.04) {
        return (Status::Failed, false);
    } else if rng.bernoulli(rollback) {
        Status::RolledBack
    } else {
        Status::Success
    };
    let rework = rng.bernoulli(if *prev_rolled_back { 0.45 } else { 0.025 });
    *prev_rolled_back = status == Status::RolledBack;
    (status, rework)
}

fn service_deploys(
    seed: u64,
    s: usize,
    org: &Org,
    tl: &Timeline,
    clock: &Clock,
    rate: f64,
    out: &mut Vec<Deploy>,
) {
    let mut rng = Rng::stream(seed, "deploys", s as u64);
    let t = org.services[s].team;
    let team = &org.teams[t];
    let mut prev_rolled_back = false;
    let mut day_times: Vec<(i64, bool)> = Vec::new();
    for day in 0..tl.days {
        let date = tl.date(day);
        let pace = rate * day_pace(t, team.pace, day, tl);
        let frozen = tl.in_freeze(date);
        let prod = rng.poisson(pace * if frozen { 0.02 } else { 1.0 });
        let staging = rng.poisson(pace * 0.25 * if frozen { 0.3 } else { 1.0 });
        day_times.clear();
        day_times.extend((0..prod).map(|_| (deploy_second(&mut rng), true)));
        day_times.extend((0..staging).map(|_| (deploy_second(&mut rng), false)));
        day_times.sort_unstable();
        let rollback = team.rollback_rate * (1.0 - 0.3 * tl.progress(day));
        for &(sec, is_prod) in &day_times {
            let (status, rework) = if is_prod {
                production(&mut rng, rollback, &mut prev_rolled_back)
            } else if rng.bernoulli(0.06) {
                (Status::Failed, false)
            } else {
                (Status::Success, false)
            };
            let at = clock.at_local(date, sec);
            out.push(Deploy {
                service: s as u32,
                at,
                production: is_prod,
                status,
                rework,
                big: false,
            });
        }
        if s == 0 && date == tl.big_incident {
            let at = clock.at_local(date, 14 * HOUR + 2 * 60);
            let status = Status::RolledBack;
            out.push(Deploy {
                service: 0,
                at,
                production: true,
                status,
                rework: false,
                big: true,
            });
        }
    }
}

/// Changes shipped by one counted production deployment, committed before it.
fn ship_changes(
    rng: &mut Rng,
    idx: u32,
    d: &Deploy,
    org: &Org,
    tl: &Timeline,
    clock: &Clock,
    out: &mut Vec<Change>,
) {
    let t = org.services[d.service as usize].team;
    let team = &org.teams[t];
    let date = clock.local_date(d.at);
    let day = tl.day_index(date).max(0) as u32;
    let p = tl.progress(day);
    let mut median = team.lead_median_h * (1.0 - 0.2 * p);
    if t == tl.intervention.1 && date >= tl.intervention.0 {
        median *= 0.4;
    }
    let n = if d.rework {
        1 + rng.below(2) as u32
    } else {
        1 + rng.poisson(CHANGES_PER_DEPLOY - 1.0)
    };
    if d.rework {
        median = median.min(3.0);
    }
    // Changes queued behind a freeze wait for it to end.
    let backlog = tl
        .freezes
        .iter()
        .find(|(_, b)| date > *b && (date - *b).num_days() <= 3)
        .map(|(a, b)| ((*b - *a).num_days() + 1) * DAY);
    for _ in 0..n {
        let mut committed_at = 0;
        for _ in 0..3 {
            let mut lead = (rng.lognormal(median, 0.9) * HOUR as f64) as i64;
            if let Some(extra) = backlog {
                lead += rng.range(0, extra);
            }
            committed_at = d.at - lead.max(10 * 60);
            let h = clock.local_hour(committed_at);
            let weekend = matches!(
                clock.local_date(committed_at).weekday(),
                Weekday::Sat | Weekday::Sun
            );
            if (8..20).contains(&h) && !weekend {
                break;
            }
        }
        out.push(Change {
            service: d.service,
            committed_at,
            deploy: Some(idx),
        });
    }
}

/// Deploy ids are sequential in time order.
pub fn deploy_id(out: &mut String, i: u32) {
    out.push_str("dep-");
    push_padded(out, i as u64 + 1, 6);
}

/// Change ids look like short commit hashes: a bijection on 48 bits of (index + salt),
/// so they are unique without a lookup table.
pub fn change_id(out: &mut String, seed: u64, i: u64) {
    const MASK: u64 = (1 << 48) - 1;
    let mut x = (i.wrapping_add(seed.wrapping_mul(0x9E37_79B9))) & MASK;
    x = x.wrapping_mul(0x5DEE_CE66D) & MASK;
    x ^= x >> 23;
    x = x.wrapping_mul(0xBF58_476D_1CE5) & MASK; // odd, so invertible mod 2^48
    x ^= x >> 19;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for k in (0..12).rev() {
        out.push(HEX[((x >> (k * 4)) & 15) as usize] as char);
    }
}

pub fn deployments_csv(org: &Org, deploys: &[Deploy], clock: &Clock) -> String {
    let mut s = String::with_capacity(deploys.len() * 80 + 64);
    s.push_str("deploy_id,service,environment,status,deployed_at,rework\n");
    for (i, d) in deploys.iter().enumerate() {
        deploy_id(&mut s, i as u32);
        s.push(',');
        push_field(&mut s, &org.services[d.service as usize].id);
        s.push_str(if d.production {
            ",production,"
        } else {
            ",staging,"
        });
        s.push_str(d.status.as_str());
        s.push(',');
        clock.push_local(&mut s, d.at);
        s.push(',');
        s.push_str(bool_str(d.rework));
        s.push('\n');
    }
    s
}

pub fn changes_csv(seed: u64, org: &Org, changes: &[Change]) -> String {
    let mut s = String::with_capacity(changes.len() * 64 + 64);
    s.push_str("change_id,service,committed_at,deploy_id\n");
    for (i, c) in changes.iter().enumerate() {
        change_id(&mut s, seed, i as u64);
        s.push(',');
        push_field(&mut s, &org.services[c.service as usize].id);
        s.push(',');
        push_utc(&mut s, c.committed_at);
        s.push(',');
        if let Some(d) = c.deploy {
            deploy_id(&mut s, d);
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn change_ids_are_unique_hex() {
        let mut seen = BTreeSet::new();
        for i in 0..50_000u64 {
            let mut s = String::new();
            change_id(&mut s, 42, i);
            assert_eq!(s.len(), 12);
            assert!(seen.insert(s));
        }
    }

    #[test]
    fn deploy_ids_are_padded_and_one_based() {
        let mut s = String::new();
        deploy_id(&mut s, 0);
        s.push(' ');
        deploy_id(&mut s, 1_234_566);
        assert_eq!(s, "dep-000001 dep-1234567");
    }
}
