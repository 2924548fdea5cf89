//! Demo incidents and pages: takes the deployments, organisation, timeline and clock and
//! returns incidents (some caused by deployments, repeat causes per service, one big sev-1
//! outage, one or two unresolved) and on-call pages, plus their CSV text.

use super::clock::{bool_str, push_field, Clock};
use super::delivery::{deploy_id, Deploy, Status};
use super::org::Org;
use super::rng::Rng;
use super::timeline::Timeline;
use crate::model::{Ts, DAY, HOUR};
use crate::output::push_padded;
use chrono::Datelike;

pub const CAUSES: [&str; 6] = [
    "bad-deploy",
    "config-change",
    "dependency-failure",
    "capacity",
    "certificate-expiry",
    "data-migration",
];

#[derive(Debug, Clone)]
pub struct Incident {
    pub id: String,
    pub service: u32,
    pub severity: u8,
    pub started: Ts,
    pub detected: Ts,
    pub acknowledged: Ts,
    pub resolved: Option<Ts>,
    pub caused_by: Option<u32>,
    /// Index into `CAUSES`: the category the retro prose is drawn from.
    pub cause: usize,
    /// The `cause` written to `incidents.csv`: specific where the title names a specific
    /// failure mode, else the category (see `title`).
    pub cause_tag: &'static str,
    pub title: String,
    pub big: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub service: u32,
    pub at: Ts,
    pub actionable: bool,
    pub after_hours: bool,
}

const MINUTE: i64 = 60;

pub fn generate(
    seed: u64,
    org: &Org,
    tl: &Timeline,
    clock: &Clock,
    deploys: &[Deploy],
    rate: f64,
) -> Vec<Incident> {
    let mut rng = Rng::stream(seed, "incidents", 0);
    let mut out = Vec::new();
    for (i, d) in deploys.iter().enumerate() {
        if !d.counted() {
            continue;
        }
        let caused = d.big
            || (d.status == Status::RolledBack && rng.bernoulli(0.55 * rate))
            || (d.status == Status::Success && rng.bernoulli(0.006 * rate));
        if caused {
            out.push(from_deploy(&mut rng, i as u32, d, org, tl, clock));
        }
    }
    for s in 0..org.services.len() {
        background(seed, s, org, tl, clock, rate, &mut out);
    }
    finish(&mut rng, out, org, tl, clock)
}

fn severity(rng: &mut Rng, deploy_caused: bool) -> u8 {
    let w: &[f64] = if deploy_caused {
        &[2.0, 14.0, 44.0, 40.0]
    } else {
        &[3.0, 15.0, 42.0, 40.0]
    };
    rng.weighted(w) as u8 + 1
}

/// Detection, acknowledgement and resolution times after `started`.
fn timings(rng: &mut Rng, sev: u8, started: Ts, fix_median_h: f64, clock: &Clock) -> (Ts, Ts, Ts) {
    let k = (sev - 1) as usize;
    let detect = [4.0, 6.0, 12.0, 40.0][k];
    let ack = [3.0, 5.0, 10.0, 25.0][k] * if clock.after_hours(started) { 2.0 } else { 1.0 };
    let detected = started + (rng.lognormal(detect, 0.8) * MINUTE as f64) as i64;
    let acknowledged = detected + (rng.lognormal(ack, 0.7) * MINUTE as f64) as i64;
    let fix = (rng.lognormal(fix_median_h, 0.8) * HOUR as f64) as i64;
    let resolved = (started + fix).max(acknowledged + 5 * MINUTE);
    (detected, acknowledged, resolved)
}

fn from_deploy(
    rng: &mut Rng,
    i: u32,
    d: &Deploy,
    org: &Org,
    tl: &Timeline,
    clock: &Clock,
) -> Incident {
    let svc = &org.services[d.service as usize];
    if d.big {
        let started = d.at + 8 * MINUTE;
        let (detected, acknowledged) = (started + 6 * MINUTE, started + 9 * MINUTE);
        return Incident {
            id: String::new(),
            service: d.service,
            severity: 1,
            started,
            detected,
            acknowledged,
            resolved: Some(started + 4 * HOUR + 35 * MINUTE),
            caused_by: Some(i),
            cause: 0,
            cause_tag: CAUSES[0],
            title: format!(
                "{} outage: payments failing for four hours after a release",
                svc.id
            ),
            big: true,
        };
    }
    let sev = severity(rng, true);
    let date = clock.local_date(d.at);
    let migrating = svc.team == tl.migration.2 && tl.migration.0 <= date && date <= tl.migration.1;
    let cause = match rng.weighted(&[70.0, 20.0, if migrating { 40.0 } else { 10.0 }]) {
        0 => 0,
        1 => 1,
        _ => 5,
    };
    let (started, fix_h) = if d.status == Status::RolledBack {
        (
            d.at + (rng.lognormal(15.0, 0.7) * MINUTE as f64) as i64,
            0.8,
        )
    } else {
        (d.at + (rng.lognormal(3.0, 1.0) * HOUR as f64) as i64, 2.5)
    };
    let fix_h = fix_h * [2.0, 1.5, 1.0, 1.2][(sev - 1) as usize];
    let (detected, acknowledged, resolved) = timings(rng, sev, started, fix_h, clock);
    let (title, cause_tag) = title(rng, cause, &svc.id);
    Incident {
        id: String::new(),
        service: d.service,
        severity: sev,
        started,
        detected,
        acknowledged,
        resolved: Some(resolved),
        caused_by: Some(i),
        cause,
        cause_tag,
        title,
        big: false,
    }
}

fn background(
    seed: u64,
    s: usize,
    org: &Org,
    tl: &Timeline,
    clock: &Clock,
    rate: f64,
    out: &mut Vec<Incident>,
) {
    let mut rng = Rng::stream(seed, "background-incidents", s as u64);
    let svc = &org.services[s];
    for day in 0..tl.days {
        let date = tl.date(day);
        let migrating =
            svc.team == tl.migration.2 && tl.migration.0 <= date && date <= tl.migration.1;
        let n = rng.poisson(rate * if migrating { 0.04 } else { 0.015 });
        for _ in 0..n {
            let mut w = [
                8.0,
                20.0,
                35.0,
                25.0,
                8.0,
                if migrating { 60.0 } else { 4.0 },
            ];
            w[svc.weak_spot] += 40.0;
            let cause = rng.weighted(&w);
            let sec = if rng.bernoulli(0.7) {
                rng.range(8 * HOUR, 20 * HOUR)
            } else {
                rng.range(0, DAY - 1)
            };
            let started = clock.at_local(date, sec);
            let sev = severity(&mut rng, false);
            let fix_h = [3.0, 2.0, 3.0, 10.0][(sev - 1) as usize];
            let (detected, acknowledged, resolved) = timings(&mut rng, sev, started, fix_h, clock);
            let (title, cause_tag) = title(&mut rng, cause, &svc.id);
            out.push(Incident {
                id: String::new(),
                service: s as u32,
                severity: sev,
                started,
                detected,
                acknowledged,
                resolved: Some(resolved),
                caused_by: None,
                cause,
                cause_tag,
                title,
                big: false,
            });
        }
    }
}

/// Sorts, keeps at most one naturally unresolved incident (adding one recent unresolved
/// incident), drops the rest that would end after the data, and assigns `INC-YYYY-NNNN` ids.
fn finish(
    rng: &mut Rng,
    mut all: Vec<Incident>,
    org: &Org,
    tl: &Timeline,
    clock: &Clock,
) -> Vec<Incident> {
    let last = tl.last_ts();
    all.retain(|i| i.started >= tl.start_ts);
    all.sort_by_key(|i| (i.started, i.service));
    let open_natural = all
        .iter()
        .rposition(|i| i.resolved.is_some_and(|r| r > last) && i.acknowledged <= last);
    let mut kept: Vec<Incident> = Vec::with_capacity(all.len() + 1);
    for (k, mut inc) in all.into_iter().enumerate() {
        if inc.resolved.is_some_and(|r| r > last) {
            if Some(k) != open_natural {
                continue;
            }
            inc.resolved = None;
        }
        kept.push(inc);
    }
    let s = (org.services.len() - 1) as u32;
    let started = last - 3 * HOUR - rng.range(0, HOUR);
    if started > tl.start_ts {
        kept.push(Incident {
            id: String::new(),
            service: s,
            severity: 3,
            started,
            detected: started + 7 * MINUTE,
            acknowledged: started + 16 * MINUTE,
            resolved: None,
            caused_by: None,
            cause: 3,
            cause_tag: CAUSES[3],
            title: format!(
                "{}: queue backlog growing, jobs delayed",
                org.services[s as usize].id
            ),
            big: false,
        });
        kept.sort_by_key(|i| (i.started, i.service));
    }
    let mut year = 0;
    let mut seq = 0;
    for inc in kept.iter_mut() {
        let y = clock.local_date(inc.started).year();
        if y != year {
            year = y;
            seq = 0;
        }
        seq += 1;
        inc.id = format!("INC-{y}-{seq:04}");
    }
    kept
}

/// A title for an incident of cause category `cause` (index into `CAUSES`) and the cause
/// tag written to `incidents.csv`: specific where the title names a specific failure mode
/// (`database-disk-full`), the coarse category where it does not (`bad-deploy`).
fn title(rng: &mut Rng, cause: usize, svc: &str) -> (String, &'static str) {
    let options: &[(&str, &str)] = match cause {
        0 => &[
            ("{svc} returned 5xx errors after a release", "bad-deploy"),
            ("Elevated error rate on {svc} after deploy", "bad-deploy"),
            (
                "{svc}: unhandled null in the new request handler, partial outage",
                "bad-deploy",
            ),
            (
                "Regression in {svc} broke requests with empty payloads, clients retried",
                "bad-deploy",
            ),
        ],
        1 => &[
            (
                "Feature flag misconfigured, {svc} disabled for some users",
                "config-change",
            ),
            (
                "{svc}: rate-limit config too strict, requests rejected",
                "rate-limit-config",
            ),
            (
                "Wrong connection-pool setting caused {svc} timeouts",
                "connection-pool-config",
            ),
        ],
        2 => &[
            (
                "Upstream DNS failures caused {svc} timeouts",
                "upstream-dns",
            ),
            (
                "{svc} degraded: third-party API slow, retries piled up",
                "dependency",
            ),
            (
                "Message broker outage delayed {svc} jobs",
                "message-broker-outage",
            ),
        ],
        3 => &[
            ("{svc} saturated CPU during the traffic peak", "capacity"),
            (
                "Disk full on the {svc} database, writes failing",
                "database-disk-full",
            ),
            (
                "Connection limit reached on {svc}, intermittent 503s",
                "database-connection-limit",
            ),
        ],
        4 => &[
            (
                "Expired TLS certificate on the {svc} endpoint",
                "tls-certificate-expiry",
            ),
            (
                "{svc}: internal mTLS certificate expired, calls rejected",
                "mtls-certificate-expiry",
            ),
        ],
        _ => &[
            (
                "Schema migration locked {svc} tables",
                "schema-migration-lock",
            ),
            (
                "{svc}: backfill job overloaded the primary database",
                "unthrottled-backfill",
            ),
            (
                "Data migration left {svc} serving stale reads",
                "data-migration",
            ),
        ],
    };
    let &(title, tag) = rng.pick(options);
    (title.replace("{svc}", svc), tag)
}

/// On-call pages: one per sev 1-3 incident at detection, plus background alerts; the
/// on-call change cuts noise for its team.
pub fn pages(
    seed: u64,
    org: &Org,
    tl: &Timeline,
    clock: &Clock,
    incidents: &[Incident],
) -> Vec<Page> {
    let mut out: Vec<Page> = Vec::new();
    let last = tl.last_ts();
    for i in incidents
        .iter()
        .filter(|i| i.severity <= 3 && i.detected <= last)
    {
        out.push(Page {
            service: i.service,
            at: i.detected,
            actionable: true,
            after_hours: clock.after_hours(i.detected),
        });
    }
    for s in 0..org.services.len() {
        let mut rng = Rng::stream(seed, "pages", s as u64);
        let team = org.services[s].team;
        for day in 0..tl.days {
            let date = tl.date(day);
            let tuned = team == tl.oncall.1 && date >= tl.oncall.0;
            let n = rng.poisson(if tuned { 0.09 } else { 0.16 });
            for _ in 0..n {
                let sec = if rng.bernoulli(0.55) {
                    rng.range(9 * HOUR, 18 * HOUR)
                } else {
                    rng.range(0, DAY - 1)
                };
                let at = clock.at_local(date, sec);
                let actionable = rng.bernoulli(if tuned { 0.85 } else { 0.6 });
                out.push(Page {
                    service: s as u32,
                    at,
                    actionable,
                    after_hours: clock.after_hours(at),
                });
            }
        }
    }
    out.retain(|p| p.at <= last);
    out.sort_by_key(|p| (p.at, p.service, !p.actionable));
    out
}

pub fn incidents_csv(org: &Org, incidents: &[Incident], clock: &Clock) -> String {
    let mut s = String::with_capacity(incidents.len() * 220 + 128);
    s.push_str("incident_id,service,severity,started_at,detected_at,acknowledged_at,resolved_at,caused_by_deploy,cause,title\n");
    for i in incidents {
        s.push_str(&i.id);
        s.push(',');
        push_field(&mut s, &org.services[i.service as usize].id);
        s.push(',');
        s.push((b'0' + i.severity) as char);
        for ts in [
            Some(i.started),
            Some(i.detected),
            Some(i.acknowledged),
            i.resolved,
        ] {
            s.push(',');
            if let Some(ts) = ts {
                clock.push_local(&mut s, ts);
            }
        }
        s.push(',');
        if let Some(d) = i.caused_by {
            deploy_id(&mut s, d);
        }
        s.push(',');
        s.push_str(i.cause_tag);
        s.push(',');
        push_field(&mut s, &i.title);
        s.push('\n');
    }
    s
}

pub fn pages_csv(org: &Org, pages: &[Page], clock: &Clock) -> String {
    let mut s = String::with_capacity(pages.len() * 72 + 64);
    s.push_str("page_id,service,paged_at,actionable,after_hours\n");
    for (k, p) in pages.iter().enumerate() {
        s.push_str("PG-");
        push_padded(&mut s, k as u64 + 1, 6);
        s.push(',');
        push_field(&mut s, &org.services[p.service as usize].id);
        s.push(',');
        clock.push_local(&mut s, p.at);
        s.push(',');
        s.push_str(bool_str(p.actionable));
        s.push(',');
        s.push_str(bool_str(p.after_hours));
        s.push('\n');
    }
    s
}
