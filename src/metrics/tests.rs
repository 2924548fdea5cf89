//! Hand-computed checks of every figure on a small dataset (see the arithmetic inline).

use super::*;
use crate::config;
use crate::load::time::parse_timestamp;
use crate::metrics::catalog::Metric;
use crate::model::{ActionItem, MetricDef, Retro};
use std::path::Path;

pub(crate) const CONFIG: &str = r#"
title = "Test"
[[team]]
id = "shop"
services = ["api"]
[[team]]
id = "web"
services = ["web"]
"#;

const DEPLOYS: &str = "deploy_id,service,environment,status,deployed_at
d0,api,production,success,2026-06-30T23:00:00Z
d1,api,production,success,2026-07-01T10:00:00Z
d2,api,production,rolled_back,2026-07-02T10:00:00Z
d3,api,production,success,2026-07-03T10:00:00Z
d4,api,production,failed,2026-07-04T10:00:00Z
d5,api,staging,success,2026-07-05T10:00:00Z
d6,web,production,success,2026-07-06T10:00:00Z
d7,api,production,success,2026-07-20T10:00:00Z
";

const CHANGES: &str = "change_id,service,committed_at,deploy_id
c1,api,2026-07-01T06:00:00Z,d1
c2,api,2026-06-30T10:00:00Z,d1
c3,api,2026-07-02T08:00:00Z,d2
c4,api,2026-07-01T10:00:00Z,d3
c5,web,2026-07-06T00:00:00Z,d6
c6,api,2026-07-04T09:00:00Z,d4
c7,api,2026-07-05T09:00:00Z,
";

const INCIDENTS: &str =
    "incident_id,service,severity,started_at,resolved_at,caused_by_deploy,cause,title
i1,api,1,2026-07-02T11:00:00Z,2026-07-02T13:00:00Z,d2,bad-deploy,Checkout errors
i2,api,2,2026-07-03T12:00:00Z,2026-07-04T12:00:00Z,d3,bad-deploy,Slow checkout
i3,web,3,2026-07-10T00:00:00Z,,,capacity,Slow pages
i4,web,1,2026-07-14T00:00:00Z,2026-07-16T00:00:00Z,,dependency,CDN outage
";

/// A site with the deployments, changes and incidents above.
pub(crate) fn full_site() -> tempfile::TempDir {
    site(&[
        ("data/deployments.csv", DEPLOYS),
        ("data/changes.csv", CHANGES),
        ("data/incidents.csv", INCIDENTS),
    ])
}

pub(crate) fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

pub(crate) fn date(s: &str) -> NaiveDate {
    crate::load::time::parse_date(s).unwrap()
}

pub(crate) fn item(due: &str, done: Option<&str>) -> ActionItem {
    ActionItem {
        title: "x".into(),
        team: "shop".into(),
        due: date(due),
        done: done.map(date),
        line: 1,
    }
}

pub(crate) fn retro(incident: &str, published: &str, items: Vec<ActionItem>) -> Retro {
    Retro {
        path: format!("content/retros/{incident}.md"),
        slug: incident.into(),
        title: incident.into(),
        incident: incident.into(),
        incident_line: 2,
        published_at: parse_timestamp(published).unwrap(),
        action_items: items,
        repeats: vec![],
        repeats_line: 0,
        contributing_factors: vec![],
        body: String::new(),
    }
}

pub(crate) fn dataset(root: &Path, with_retros: bool) -> (Config, Dataset) {
    let config = config::parse(CONFIG).unwrap();
    let (mut ds, diags) = crate::load::load_data(root, &config, vec![]);
    assert!(diags.is_empty(), "{:?}", diags.sorted());
    if with_retros {
        ds.present.retros = true;
        ds.retros = vec![
            // i1 resolved 07-02 13:00; published 07-03 10:00 is within 72 h.
            retro(
                "i1",
                "2026-07-03T10:00:00Z",
                vec![
                    item("2026-07-10", Some("2026-07-09")), // on time
                    item("2026-07-12", Some("2026-07-13")), // late
                    item("2026-07-20", None),               // due after as_of: not counted
                ],
            ),
            // i2 resolved 07-04 12:00; the deadline is 07-07 12:00, published 07-08: late.
            retro("i2", "2026-07-08T12:00:00Z", vec![item("2026-07-14", None)]), // open past due
        ];
    }
    (config, ds)
}

/// The report of the site at `root` (as_of 2026-07-15, UTC) under `config_text` with the
/// definition pages `defs`.
pub(crate) fn report_with(root: &Path, config_text: &str, defs: Vec<MetricDef>) -> Report {
    let config = config::parse(config_text).unwrap();
    let (mut ds, diags) = crate::load::load_data(root, &config, vec![]);
    assert!(diags.is_empty(), "{:?}", diags.sorted());
    ds.metric_defs = defs;
    compute(
        &config,
        &ds,
        Calendar::new(chrono_tz::UTC, date("2026-07-15")),
    )
}

pub(crate) fn report_at(root: &Path, tz: chrono_tz::Tz, retros: bool) -> Report {
    let (mut config, ds) = dataset(root, retros);
    config.timezone = tz;
    compute(&config, &ds, Calendar::new(tz, date("2026-07-15")))
}

fn figures<'a>(r: &'a Report, scope: &str, period: &str) -> &'a Figures {
    let s = r.scope(scope).unwrap();
    s.series
        .values()
        .flatten()
        .find(|f| f.period == period)
        .unwrap()
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

#[test]
fn org_quarter_figures() {
    let dir = full_site();
    let r = report_at(dir.path(), chrono_tz::UTC, true);
    let f = figures(&r, "org", "2026-Q3");
    assert_eq!(
        (f.start.as_str(), f.end.as_str()),
        ("2026-07-01", "2026-07-15")
    );
    let d = f;
    // Counted in Q3 up to as_of 07-15: d1, d2, d3, d6 (d4 failed, d5 staging, d7 after as_of).
    assert_eq!(d.get(Metric::Deployments), Some(4.0));
    // 4 deployments x 7 / 15 days (Q3 clipped to 1-15 July).
    close(d.get(Metric::DeploysPerWeek), 4.0 * 7.0 / 15.0);
    assert_eq!(d.get(Metric::FailedAttempts), Some(1.0));
    // Lead times: c1 4 h, c2 24 h, c3 2 h, c4 48 h, c5 10 h -> sorted 2, 4, 10, 24, 48.
    assert_eq!(d.get(Metric::Changes), Some(5.0));
    close(d.get(Metric::LeadTimeMedianHours), 10.0);
    // p90 rank 0.9 x 4 = 3.6 -> 24 + (48 - 24) x 0.6 = 38.4
    close(d.get(Metric::LeadTimeP90Hours), 38.4);
    // d2 rolled back, d3 named by i2: 2 of 4.
    assert_eq!(d.get(Metric::FailedDeployments), Some(2.0));
    close(d.get(Metric::ChangeFailureRate), 0.5);
    assert_eq!(d.get(Metric::ReworkRate), None); // no rework column
                                                 // i1..i4 started in Q3; i3 never resolved, i4 resolved after as_of.
    assert_eq!(d.get(Metric::Incidents), Some(4.0));
    assert_eq!(d.get(Metric::UnresolvedIncidents), Some(2.0));
    // Restore: i1 2 h, i2 24 h -> median 13 h.
    close(d.get(Metric::TimeToRestoreMedianHours), 13.0);
    // Recovery from the deploy: i1 13:00 - d2 10:00 = 3 h; i2 07-04 12:00 - d3 07-03 10:00 = 26 h -> 14.5 h.
    close(d.get(Metric::FailedDeploymentRecoveryMedianHours), 14.5);
    // Sev 1-2 resolved by as_of: i1 (retro in time), i2 (late) -> 1 / 2.
    close(f.get(Metric::RetroWithin72hRate), 0.5);
    // Items due 1-15 July: on time, late, open -> 1 / 3.
    close(f.get(Metric::ActionItemsOnTimeRate), 1.0 / 3.0);
}

#[test]
fn team_and_service_scopes() {
    let dir = full_site();
    let r = report_at(dir.path(), chrono_tz::UTC, true);
    let api = figures(&r, "service:api", "2026-Q3");
    let shop = figures(&r, "team:shop", "2026-Q3");
    assert_eq!(api.values, shop.values);
    assert_eq!(api.get(Metric::Deployments), Some(3.0));
    // Lead times 4, 24, 2, 48 -> sorted 2, 4, 24, 48: median (4 + 24) / 2 = 14.
    close(api.get(Metric::LeadTimeMedianHours), 14.0);
    // p90 rank 0.9 x 3 = 2.7 -> 24 + (48 - 24) x 0.7 = 40.8
    close(api.get(Metric::LeadTimeP90Hours), 40.8);
    close(api.get(Metric::ChangeFailureRate), 2.0 / 3.0);
    let web = figures(&r, "team:web", "2026-Q3");
    assert_eq!(web.get(Metric::Deployments), Some(1.0));
    assert_eq!(web.get(Metric::FailedDeployments), Some(0.0));
    // d4, the one failed attempt, is api's: web has none.
    assert_eq!(web.get(Metric::FailedAttempts), Some(0.0));
    close(web.get(Metric::ChangeFailureRate), 0.0);
    assert_eq!(web.get(Metric::TimeToRestoreMedianHours), None); // nothing resolved by as_of
    assert_eq!(web.get(Metric::RetroWithin72hRate), None); // i4 resolved after as_of
    assert_eq!(web.get(Metric::ActionItemsOnTimeRate), None); // no items
}

#[test]
fn weeks_and_timezones() {
    let dir = site(&[
        ("data/deployments.csv", DEPLOYS),
        ("data/changes.csv", CHANGES),
    ]);
    let utc = report_at(dir.path(), chrono_tz::UTC, false);
    // 2026-W27 is Mon 29 June .. Sun 5 July: d0, d1, d2, d3.
    assert_eq!(
        figures(&utc, "org", "2026-W27").get(Metric::Deployments),
        Some(4.0)
    );
    assert_eq!(
        figures(&utc, "org", "2026-Q2").get(Metric::Deployments),
        Some(1.0)
    );
    // In Berlin (UTC+2), d0 at 30 June 23:00Z is 1 July 01:00: it moves into Q3.
    let berlin = report_at(dir.path(), chrono_tz::Europe::Berlin, false);
    // So the first quarter with data is Q3.
    assert_eq!(berlin.periods[&Grain::Quarter][0].key, "2026-Q3");
    assert_eq!(
        figures(&berlin, "org", "2026-Q3").get(Metric::Deployments),
        Some(5.0)
    );
}

#[test]
fn missing_data_is_null_not_zero() {
    let dir = site(&[("data/deployments.csv", DEPLOYS)]);
    let r = report_at(dir.path(), chrono_tz::UTC, false);
    let f = figures(&r, "org", "2026-Q3");
    // No changes.csv: no lead time, and no change count.
    assert_eq!(f.get(Metric::Changes), None);
    assert_eq!(f.get(Metric::LeadTimeMedianHours), None);
    // No incidents.csv: no incident figures at all (rolled-back deploys still fail).
    assert_eq!(f.get(Metric::Incidents), None);
    assert_eq!(f.get(Metric::TimeToRestoreMedianHours), None);
    assert_eq!(f.get(Metric::FailedDeployments), Some(1.0));
    // No retros folder: no retro figure.
    assert_eq!(f.get(Metric::RetroWithin72hRate), None);
    // A week before the first deployment has no data: null, not zero.
    let w = r.periods[&Grain::Week].first().unwrap();
    assert_eq!(w.key, "2026-W27");
    let json = serde_json::to_value(figures(&r, "service:web", "2026-W27")).unwrap();
    assert_eq!(json["deployments"], 0); // data exists and web really deployed nothing that week
    assert_eq!(json["change_failure_rate"], serde_json::Value::Null); // 0 / 0
}

#[test]
fn rework_rate_counts_rework_deployments() {
    let text = "deploy_id,service,environment,status,deployed_at,rework
a,api,production,success,2026-07-01T10:00:00Z,true
b,api,production,success,2026-07-02T10:00:00Z,false
c,api,production,rolled_back,2026-07-03T10:00:00Z,false
e,api,production,failed,2026-07-04T10:00:00Z,true
";
    let dir = site(&[("data/deployments.csv", text)]);
    let r = report_at(dir.path(), chrono_tz::UTC, false);
    // 1 rework among 3 counted deployments (the failed attempt e is not counted).
    close(
        figures(&r, "org", "2026-Q3").get(Metric::ReworkRate),
        1.0 / 3.0,
    );
}

#[test]
fn json_has_the_contract_keys() {
    let dir = site(&[("data/deployments.csv", DEPLOYS)]);
    let r = report_at(dir.path(), chrono_tz::UTC, false);
    let json = serde_json::to_value(figures(&r, "org", "2026-Q3")).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    for k in [
        "scope",
        "period",
        "start",
        "end",
        "deployments",
        "deploys_per_week",
        "failed_attempts",
        "rework_rate",
        "changes",
        "lead_time_median_hours",
        "lead_time_p90_hours",
        "failed_deployments",
        "change_failure_rate",
        "incidents",
        "unresolved_incidents",
        "time_to_restore_median_hours",
        "failed_deployment_recovery_median_hours",
        "retro_within_72h_rate",
        "action_items_on_time_rate",
    ] {
        assert!(keys.iter().any(|key| *key == k), "missing {k}");
    }
}

/// Runs `f` on the basis of one scope and period of the dataset (as_of 2026-07-15, UTC).
fn with_basis<T>(root: &Path, scope: &str, period: &str, f: impl Fn(&Basis) -> T) -> T {
    let (config, ds) = dataset(root, false);
    let cal = Calendar::new(chrono_tz::UTC, date("2026-07-15"));
    let p = Grain::ALL
        .iter()
        .flat_map(|&g| cal.periods(g, first_day(&ds, &cal)))
        .find(|p| p.key == period)
        .unwrap();
    let ix = Index::new(&ds, cal);
    let scopes = scope::all_scopes(&config, &ds);
    let ev = ScopeEvents::gather(&ix, scope::find(&scopes, scope).unwrap());
    f(&Basis::new(&ix, &ev, &p))
}

#[test]
fn change_failure_rate_by_version() {
    let deploys = "deploy_id,service,environment,status,deployed_at
a,api,production,success,2026-07-01T10:00:00Z
b,api,production,rolled_back,2026-07-02T10:00:00Z
c,api,production,success,2026-07-03T10:00:00Z
d,api,production,success,2026-07-04T10:00:00Z
e,api,production,failed,2026-07-05T10:00:00Z
";
    let incidents =
        "incident_id,service,severity,started_at,resolved_at,caused_by_deploy,cause,title
i1,api,2,2026-07-03T11:00:00Z,2026-07-03T12:00:00Z,c,bad-deploy,Names c
i2,api,2,2026-07-02T11:00:00Z,2026-07-02T12:00:00Z,b,bad-deploy,Names b again
i3,api,2,2026-07-20T11:00:00Z,,d,bad-deploy,Starts after as_of
i4,api,3,2026-07-05T11:00:00Z,2026-07-05T12:00:00Z,e,bad-deploy,Names the failed attempt
";
    let dir = site(&[
        ("data/deployments.csv", deploys),
        ("data/incidents.csv", incidents),
    ]);
    // Counted in Q3 to 15 July: a, b, c, d (e failed: an attempt, not counted) -> 4.
    // v1, rollbacks only: b -> 1 / 4 = 0.25.
    // v2, also named by an incident started by as_of: b (rolled back, and named by i2,
    // counted once), c (i1); d's incident i3 starts after as_of; e is not counted -> 2 / 4 = 0.5.
    let cfr = Metric::ChangeFailureRate;
    let (v1, v2, v3) = with_basis(dir.path(), "org", "2026-Q3", |b| {
        (
            cfr.compute_version(1, b),
            cfr.compute_version(2, b),
            cfr.compute_version(3, b),
        )
    });
    assert_eq!(v1, Some(Some(0.25)));
    assert_eq!(v2, Some(Some(0.5)));
    assert_eq!(v3, None); // the code has no version 3
                          // Figures use the current version, 2, as the site has since 2025-12-01.
    assert_eq!(cfr.current().number, 2);
    let r = report_at(dir.path(), chrono_tz::UTC, false);
    let f = figures(&r, "org", "2026-Q3");
    assert_eq!(f.get(cfr), Some(0.5));
    assert_eq!(f.get(Metric::FailedDeployments), Some(2.0));
    // A week with no counted deployment: 0 / 0 under either version is no data, not 0.
    let (w1, w2) = with_basis(dir.path(), "org", "2026-W29", |b| {
        (cfr.compute_version(1, b), cfr.compute_version(2, b))
    });
    assert_eq!((w1, w2), (Some(None), Some(None)));
}

/// The test-only catalogue entry `TestResolvedIncidents` (one entry in `catalogue!` plus one
/// function, `catalog::tests::resolved_incidents`) is a whole figure: in every `Figures` row,
/// in its JSON (as an integer, in catalogue order) and in the period-over-period changes.
#[test]
fn a_new_catalogue_entry_is_a_whole_figure() {
    let dir = full_site();
    let r = report_at(dir.path(), chrono_tz::UTC, false);
    let m = Metric::TestResolvedIncidents;
    assert_eq!(Metric::from_key("test_resolved_incidents"), Some(m));
    // Q3 to 15 July: i1..i4 started, i3 never resolved and i4 resolved 16 July (after
    // as_of) -> 4 - 2 = 2 resolved.
    let q3 = figures(&r, "org", "2026-Q3");
    assert_eq!(q3.get(m), Some(2.0));
    // team:web has i3 and i4, neither resolved by as_of -> 2 - 2 = 0.
    assert_eq!(figures(&r, "team:web", "2026-Q3").get(m), Some(0.0));
    let json = String::from_utf8(serde_json::to_vec(q3).unwrap()).unwrap();
    assert!(
        json.contains(r#""after_hours_page_rate":null,"test_resolved_incidents":2,"slos""#),
        "{json}"
    );
    // Q2 ends before the first incident (i1, 2 July): no incident data, null not zero.
    assert_eq!(figures(&r, "org", "2026-Q2").get(m), None);
    // W27 (29 June - 5 July): i1 and i2, both resolved -> 2. W28: i3, unresolved -> 0.
    let (w27, w28) = (
        figures(&r, "org", "2026-W27"),
        figures(&r, "org", "2026-W28"),
    );
    assert_eq!((w27.get(m), w28.get(m)), (Some(2.0), Some(0.0)));
    // The trends compare it like any other figure: 2 -> 0 is -2, relative -2 / 2 = -1;
    // higher is better -> worsened.
    let changes = crate::metrics::trends::row_changes(w28, Some(w27), &[]);
    let c = &changes["test_resolved_incidents"];
    assert_eq!((c.absolute, c.relative), (Some(-2.0), Some(-1.0)));
    assert_eq!(
        c.verdict,
        crate::metrics::trend::ComparisonVerdict::Worsened
    );
}

/// Past the end of all the data a count is unknown, not zero. The data's latest
/// timestamp is d7, 2026-07-20 10:00 UTC, so with as_of 2026-12-31: W29 (13-19 Jul) has
/// no deployment yet it is inside the data, a real 0; W30 (20-26 Jul) starts on the last
/// day and counts d7, 1; W31 (from 27 Jul), August and 2026-Q4 start after it, so every
/// figure of theirs is n/a.
#[test]
fn periods_after_the_data_ends_are_not_zero() {
    let dir = full_site();
    let (config, ds) = dataset(dir.path(), true);
    let r = compute(
        &config,
        &ds,
        Calendar::new(chrono_tz::UTC, date("2026-12-31")),
    );
    assert_eq!(
        figures(&r, "org", "2026-W29").get(Metric::Deployments),
        Some(0.0)
    );
    assert_eq!(
        figures(&r, "org", "2026-W30").get(Metric::Deployments),
        Some(1.0)
    );
    for period in ["2026-W31", "2026-W52", "2026-08", "2026-Q4"] {
        let f = figures(&r, "org", period);
        for m in [
            Metric::Deployments,
            Metric::Incidents,
            Metric::DeploysPerWeek,
        ] {
            assert_eq!(f.get(m), None, "{period} {}", m.key());
        }
    }
    // The quarter the data ends in keeps its figures: 2026-Q3 has i1..i4.
    assert_eq!(
        figures(&r, "org", "2026-Q3").get(Metric::Incidents),
        Some(4.0)
    );
}

/// The data starts on Tuesday 30 June 2026 and as_of is Wednesday 15 July, so the weeks are
/// W27 (29 Jun-5 Jul), W28 (6-12 Jul) and W29 (13-19 Jul, cut short); the months June and
/// July (cut short); the quarters 2026-Q2 and 2026-Q3 (cut short). The current period is
/// the last of each list and the latest complete one the last not cut short.
#[test]
fn the_current_period_is_the_last_and_the_latest_complete_is_the_last_not_cut_short() {
    let dir = full_site();
    let r = report_at(dir.path(), chrono_tz::UTC, false);
    let key = |g: Grain, i: Option<usize>| i.map(|i| r.periods[&g][i].key.as_str());
    assert_eq!(key(Grain::Week, r.current(Grain::Week)), Some("2026-W29"));
    assert_eq!(r.current(Grain::Week), Some(2));
    assert_eq!(r.current(Grain::Quarter), Some(1));
    let complete = |g: Grain| r.latest_complete(g).map(|p| p.key.as_str());
    assert_eq!(complete(Grain::Week), Some("2026-W28"));
    assert_eq!(complete(Grain::Month), Some("2026-06"));
    assert_eq!(complete(Grain::Quarter), Some("2026-Q2"));
}

/// `almanac metrics` computes a scope's figures for the periods it asks for alone; they are
/// the rows the whole report holds for those periods (2026-Q3 cut short at 15 July, and
/// 2026-Q2 holding only d0's day). An unknown scope is `None`.
#[test]
fn figures_for_a_few_periods_are_the_reports_rows() {
    let dir = full_site();
    let (config, ds) = dataset(dir.path(), true);
    let cal = Calendar::new(chrono_tz::UTC, date("2026-07-15"));
    let r = compute(&config, &ds, cal);
    let quarters = &r.periods[&Grain::Quarter];
    let wanted: Vec<&Period> = vec![&quarters[1], &quarters[0]];
    for scope in ["org", "team:shop", "service:web"] {
        let rows = for_periods(&config, &ds, cal, scope, &wanted).expect("a known scope");
        let expected = [figures(&r, scope, "2026-Q3"), figures(&r, scope, "2026-Q2")];
        assert_eq!(rows.iter().collect::<Vec<_>>(), expected, "{scope}");
    }
    // The org's 2026-Q3 counts d1, d2, d3 (api) and d6 (web): 4 deployments (d4 failed,
    // d5 went to staging, d7 is after as_of); 2026-Q2 counts d0.
    let org = for_periods(&config, &ds, cal, "org", &wanted).unwrap();
    assert_eq!(org[0].get(Metric::Deployments), Some(4.0));
    assert_eq!(org[1].get(Metric::Deployments), Some(1.0));
    assert_eq!(for_periods(&config, &ds, cal, "team:nope", &wanted), None);
}
