//! Demo organisation: takes the demo options and returns the teams, services, their
//! delivery character, the SLO catalogue, and the `almanac.toml` text describing them.

use super::clock::quoted;
use super::rng::Rng;
use super::DemoOptions;
use std::collections::BTreeSet;
use std::fmt::Write;

pub const TITLE: &str = "Northwind Engineering";
pub const TIMEZONE: &str = "Europe/Berlin";

/// Named teams with hand-picked services; more teams get generic names.
const NAMED: &[(&str, &[&str])] = &[
    (
        "Payments",
        &[
            "checkout-api",
            "billing",
            "payment-gateway",
            "ledger",
            "refunds",
        ],
    ),
    (
        "Search",
        &[
            "search-api",
            "indexer",
            "query-suggest",
            "ranking",
            "crawler",
        ],
    ),
    (
        "Platform",
        &[
            "api-gateway",
            "auth",
            "service-mesh",
            "build-runners",
            "secrets",
        ],
    ),
    (
        "Mobile",
        &[
            "mobile-bff",
            "push-notifications",
            "app-config",
            "ios-release",
            "android-release",
        ],
    ),
    ("Identity", &["accounts", "sso", "profile", "permissions"]),
    (
        "Growth",
        &["experiments", "referrals", "onboarding", "campaigns"],
    ),
    (
        "Data",
        &[
            "event-pipeline",
            "warehouse-loader",
            "metrics-api",
            "feature-store",
        ],
    ),
    (
        "Messaging",
        &["email-sender", "sms-gateway", "inbox", "templates"],
    ),
];

const MORE_NAMES: &[&str] = &[
    "Catalog",
    "Fulfillment",
    "Notifications",
    "Risk",
    "Pricing",
    "Ads",
    "Analytics",
    "Storage",
    "Networking",
    "Observability",
    "Developer Experience",
    "Security",
    "Compliance",
    "Logistics",
    "Inventory",
    "Partner API",
    "Support Tools",
    "Marketplace",
    "Recommendations",
    "Media",
    "Maps",
    "Reporting",
    "Accounts Payable",
    "Subscriptions",
    "Loyalty",
    "Fraud",
    "Edge",
    "Integrations",
    "Web",
    "Desktop",
    "Localization",
    "Reviews",
];

const SUFFIXES: &[&str] = &[
    "api",
    "worker",
    "web",
    "scheduler",
    "store",
    "gateway",
    "sync",
    "admin",
];

/// One team and how it delivers.
#[derive(Debug, Clone)]
pub struct TeamSpec {
    pub id: String,
    pub name: String,
    /// Indexes into `Org::services`.
    pub services: Vec<usize>,
    /// Production deployment attempts per service per working day at the start.
    pub pace: f64,
    /// Share of production deployments rolled back at the start.
    pub rollback_rate: f64,
    /// Median commit-to-production hours at the start.
    pub lead_median_h: f64,
}

#[derive(Debug, Clone)]
pub struct ServiceSpec {
    pub id: String,
    pub team: usize,
    /// The incident cause this service is prone to (repeat incidents).
    pub weak_spot: usize,
    /// Requests per day.
    pub traffic: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SloKind {
    Availability,
    Latency,
}

#[derive(Debug, Clone)]
pub struct SloSpec {
    pub id: String,
    pub service: usize,
    pub kind: SloKind,
    pub objective: f64,
    pub window: &'static str,
    pub timeslice_target: Option<f64>,
    /// Hourly buckets over the last ~3 months instead of daily over the span.
    pub hourly: bool,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct Org {
    pub teams: Vec<TeamSpec>,
    pub services: Vec<ServiceSpec>,
    pub slos: Vec<SloSpec>,
}

/// Builds the organisation; deterministic in `opts`.
pub fn build(opts: &DemoOptions) -> Org {
    let mut rng = Rng::stream(opts.seed, "org", 0);
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut teams = Vec::new();
    let mut services = Vec::new();
    for t in 0..opts.teams as usize {
        let (name, id) = team_name(t);
        taken.insert(id.clone());
        let mut svc_idx = Vec::new();
        for k in 0..opts.services_per_team as usize {
            let sid = unique(service_name(t, k, &id), &mut taken);
            svc_idx.push(services.len());
            services.push(ServiceSpec {
                id: sid,
                team: t,
                weak_spot: rng.below(6) as usize,
                traffic: rng.lognormal(400_000.0, 1.0).clamp(20_000.0, 20_000_000.0),
            });
        }
        let (pace, rollback_rate, lead_median_h) = character(t, &mut rng);
        teams.push(TeamSpec {
            id,
            name,
            services: svc_idx,
            pace,
            rollback_rate,
            lead_median_h,
        });
    }
    let slos = slo_catalogue(&services);
    Org {
        teams,
        services,
        slos,
    }
}

fn team_name(t: usize) -> (String, String) {
    let all = NAMED.len() + MORE_NAMES.len();
    let base = if t % all < NAMED.len() {
        NAMED[t % all].0
    } else {
        MORE_NAMES[t % all - NAMED.len()]
    };
    let round = t / all;
    let name = if round == 0 {
        base.to_string()
    } else {
        format!("{base} {}", round + 1)
    };
    let id = crate::output::slug(&name);
    (name, id)
}

fn service_name(t: usize, k: usize, team_id: &str) -> String {
    let all = NAMED.len() + MORE_NAMES.len();
    match NAMED.get(t % all) {
        Some((_, list)) if t < all && k < list.len() => list[k].to_string(),
        _ => format!("{team_id}-{}", SUFFIXES[k % SUFFIXES.len()]),
    }
}

fn unique(name: String, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{name}-{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// (pace, rollback rate, lead-time median hours). The first four are hand-tuned to
/// differ clearly; their mean pace matches the random ones' (about 2.6) so scale holds.
fn character(t: usize, rng: &mut Rng) -> (f64, f64, f64) {
    match t {
        0 => (2.0, 0.08, 22.0),
        1 => (4.5, 0.06, 30.0),
        2 => (2.5, 0.05, 14.0),
        3 => (1.2, 0.12, 70.0),
        _ => (
            rng.uniform(0.8f64.ln(), 6f64.ln()).exp(),
            rng.uniform(0.04, 0.13),
            rng.lognormal(24.0, 0.6).clamp(3.0, 120.0),
        ),
    }
}

/// Two SLOs per service (availability and latency). The first few carry the special
/// shapes: hourly data, a calendar-month window, a quarter window, timeslice budgeting.
fn slo_catalogue(services: &[ServiceSpec]) -> Vec<SloSpec> {
    let mut out = Vec::with_capacity(services.len() * 2);
    for (i, s) in services.iter().enumerate() {
        for kind in [SloKind::Availability, SloKind::Latency] {
            let (suffix, objective, description) = match kind {
                SloKind::Availability => (
                    "availability",
                    if i % 3 == 1 { 0.995 } else { 0.999 },
                    format!("Requests to {} succeed (non-5xx responses)", s.id),
                ),
                SloKind::Latency => (
                    "latency",
                    0.99,
                    format!("Requests to {} complete within 300 ms", s.id),
                ),
            };
            out.push(SloSpec {
                id: format!("{}-{suffix}", s.id),
                service: i,
                kind,
                objective,
                window: "28d",
                timeslice_target: None,
                hourly: false,
                description,
            });
        }
    }
    // Index 0: service 0 availability, hourly (the big incident shows here).
    out[0].hourly = true;
    // Index 1: service 0 latency, hourly, timeslices: an hour is good when 95% are fast.
    out[1].hourly = true;
    out[1].timeslice_target = Some(0.95);
    out[1].description = format!(
        "Hours in which at least 95% of {} requests complete within 300 ms",
        services[0].id
    );
    if out.len() > 2 {
        out[2].window = "month";
    }
    if out.len() > 5 {
        out[5].window = "quarter";
    }
    out
}

/// The questions a quarterly report asks when a metric moved the wrong way.
const COACHING: &str = r#"
[coaching]
deploys_per_week = ["What made shipping harder: a freeze, bigger batches, a slower pipeline, fewer people?"]
lead_time_median_hours = ["Where does work wait: review, QA, approvals, rework?"]
change_failure_rate = ["Which failures shared a cause, and what would have caught them before production: tests, canaries, smaller changes?"]
time_to_restore_median_hours = ["What slowed recovery: detection, diagnosis, or the fix itself? Could a rollback have ended it sooner?"]
retro_within_72h_rate = ["What kept retros from being written while the incident was fresh?"]
action_items_on_time_rate = ["Are the action items the right size, and do their owners have the time to finish them?"]
"#;

/// The `almanac.toml` text: title, timezone, base address, coaching questions, teams and
/// SLOs (no `as_of`).
pub fn almanac_toml(org: &Org) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Generated by `almanac demo`: a fictional organisation."
    );
    let _ = writeln!(s, "title = {}", quoted(TITLE));
    let _ = writeln!(s, "timezone = {}", quoted(TIMEZONE));
    let _ = writeln!(s, "base_url = \"https://metrics.northwind.example/\"");
    s.push_str(COACHING);
    for t in &org.teams {
        let names: Vec<String> = t
            .services
            .iter()
            .map(|&i| quoted(&org.services[i].id))
            .collect();
        let _ = writeln!(
            s,
            "\n[[team]]\nid = {}\nname = {}",
            quoted(&t.id),
            quoted(&t.name)
        );
        let _ = writeln!(s, "services = [{}]", names.join(", "));
    }
    for slo in &org.slos {
        let _ = writeln!(s, "\n[[slo]]\nid = {}", quoted(&slo.id));
        let _ = writeln!(s, "service = {}", quoted(&org.services[slo.service].id));
        let _ = writeln!(s, "objective = {}", slo.objective);
        let _ = writeln!(s, "window = {}", quoted(slo.window));
        let _ = writeln!(s, "description = {}", quoted(&slo.description));
        if let Some(t) = slo.timeslice_target {
            let _ = writeln!(s, "budgeting = \"timeslices\"\ntimeslice_target = {t}");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{self, Budgeting, SloWindow};

    #[test]
    fn names_stay_unique_and_valid_beyond_the_lists() {
        let opts = DemoOptions {
            teams: 90,
            services_per_team: 7,
            ..DemoOptions::default()
        };
        let org = build(&opts);
        let ids: BTreeSet<&str> = org.services.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids.len(), 90 * 7);
        let teams: BTreeSet<&str> = org.teams.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(teams.len(), 90);
        assert!(teams.is_disjoint(&ids));
        assert_eq!(org.teams[0].name, "Payments");
        assert_eq!(org.services[0].id, "checkout-api");
    }

    #[test]
    fn config_parses_with_the_special_slos() {
        let org = build(&DemoOptions::default());
        let cfg = config::parse(&almanac_toml(&org)).expect("demo config parses");
        assert_eq!(cfg.teams.len(), 4);
        assert_eq!(cfg.slos.len(), 24); // 4 teams x 3 services x 2 SLOs
        assert_eq!(cfg.timezone, chrono_tz::Europe::Berlin);
        assert!(cfg.as_of.is_none());
        let windows: Vec<SloWindow> = cfg.slos.iter().map(|s| s.window).collect();
        assert!(windows.contains(&SloWindow::Month));
        assert!(windows.contains(&SloWindow::Quarter));
        assert!(cfg
            .slos
            .iter()
            .any(|s| s.budgeting == Budgeting::Timeslices { target: 0.95 }));
    }
}
