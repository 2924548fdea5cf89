//! Annotation scoping of the chart plan, on a small hand-built site: which annotations
//! `applies` puts on which scope's charts, and the automatic ones (severity 1 incidents on
//! their service and team, metric definition changes on that metric's chart only).

use super::*;
use crate::config;
use crate::metrics;
use crate::metrics::scope::{applies, ScopeDef};
use crate::model::{Annotation, ChangelogEntry, Dataset, MetricDef, Scope};
use crate::period::Calendar;
use chrono::NaiveDate;

const CONFIG: &str = r#"
title = "Test"
[[team]]
id = "shop"
services = ["api", "cart"]
[[team]]
id = "web"
services = ["web"]
"#;

const DEPLOYS: &str = "deploy_id,service,environment,status,deployed_at
d1,api,production,success,2026-06-01T10:00:00Z
d2,cart,production,success,2026-06-02T10:00:00Z
d3,web,production,success,2026-06-03T10:00:00Z
";

// i1: severity 1 on api, resolved two days later (a range); i2: severity 2 on api (not
// automatic); i3: severity 1 on web, unresolved (a single day); i4: severity 1 after as_of.
const INCIDENTS: &str =
    "incident_id,service,severity,started_at,resolved_at,caused_by_deploy,cause,title
i1,api,1,2026-06-10T08:00:00Z,2026-06-12T08:00:00Z,,bad-deploy,Checkout down
i2,api,2,2026-06-11T08:00:00Z,2026-06-11T09:00:00Z,,bad-deploy,Slow cart
i3,web,1,2026-06-15T08:00:00Z,,,capacity,Pages slow
i4,web,1,2026-07-15T08:00:00Z,,,capacity,Later
";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn ann(scope: Scope, title: &str) -> Annotation {
    Annotation {
        date: d("2026-06-05"),
        end_date: None,
        scope,
        kind: AnnotationKind::Launch,
        title: title.to_string(),
        link: None,
    }
}

fn site() -> (Config, Dataset) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/deployments.csv"), DEPLOYS).unwrap();
    std::fs::write(dir.path().join("data/incidents.csv"), INCIDENTS).unwrap();
    let config = config::parse(CONFIG).unwrap();
    let (mut ds, diags) = crate::load::load_data(dir.path(), &config, vec![]);
    assert!(!diags.has_errors(), "{:?}", diags.sorted());
    ds.annotations = vec![
        ann(Scope::Org, "org launch"),
        ann(Scope::Team("shop".into()), "shop launch"),
        ann(Scope::Service("cart".into()), "cart launch"),
    ];
    ds.metric_defs = vec![MetricDef {
        path: "content/metrics/lead_time_median_hours.md".into(),
        id: "lead_time_median_hours".into(),
        name: "Lead time".into(),
        version: "2".into(),
        version_line: 0,
        owner: "x".into(),
        unit: "hours".into(),
        better: crate::model::Better::Lower,
        tolerance: 0.05,
        changelog: vec![ChangelogEntry {
            version: "2".into(),
            date: d("2026-06-08"),
            note: "from first commit".into(),
        }],
        body: String::new(),
    }];
    (config, ds)
}

fn scope<'a>(scopes: &'a [ScopeDef], key: &str) -> &'a ScopeDef {
    scopes.iter().find(|s| s.key == key).unwrap()
}

#[test]
fn applies_follows_org_team_and_service() {
    let (config, ds) = site();
    let scopes = crate::metrics::scope::all_scopes(&config, &ds);
    let on = |a: Scope, key: &str| applies(&a, scope(&scopes, key), &ds, &config);
    // The org's annotations are on every chart.
    for key in ["org", "team:shop", "team:web", "service:api", "service:web"] {
        assert!(on(Scope::Org, key), "{key}");
    }
    // A team's: on the team and its services, not on the org nor the other team's.
    let shop = || Scope::Team("shop".into());
    assert!(on(shop(), "team:shop"));
    assert!(on(shop(), "service:api") && on(shop(), "service:cart"));
    assert!(!on(shop(), "org") && !on(shop(), "team:web") && !on(shop(), "service:web"));
    // A service's: on that service only, not on its team.
    let cart = || Scope::Service("cart".into());
    assert!(on(cart(), "service:cart"));
    assert!(!on(cart(), "service:api") && !on(cart(), "team:shop") && !on(cart(), "org"));
}

/// The annotation titles listed under a scope's chart named `name`.
fn listed(charts: &Charts, scope: &str, name: &str) -> Vec<String> {
    let id = format!("{}-{name}", slug(scope));
    let view = charts
        .views_for(scope, "")
        .into_iter()
        .find(|v| v.id() == id)
        .unwrap_or_else(|| panic!("no chart {id}"));
    view.annotations.into_iter().map(|a| a.title).collect()
}

#[test]
fn automatic_annotations_land_on_the_right_charts() {
    let (config, ds) = site();
    let report = metrics::compute(&config, &ds, Calendar::new(chrono_tz::UTC, d("2026-06-30")));
    let charts = build(&config, &Records::of(&ds), &report, None);
    let sev1_api = "SEV1 i1: Checkout down";
    let sev1_web = "SEV1 i3: Pages slow";
    let def = "Lead time definition v2: from first commit";
    // api: the org's and shop's launches, its own SEV1 (not the SEV2, not web's), and on
    // the lead time chart only, the lead time definition change. Sorted by date.
    assert_eq!(
        listed(&charts, "service:api", "lead-time"),
        ["org launch", "shop launch", def, sev1_api]
    );
    assert_eq!(
        listed(&charts, "service:api", "deployments"),
        ["org launch", "shop launch", sev1_api]
    );
    // cart: its own launch too, no SEV1 (api's incident is not cart's).
    assert_eq!(
        listed(&charts, "service:cart", "deployments"),
        ["cart launch", "org launch", "shop launch"]
    );
    // The shop team gets its services' SEV1s; web gets web's, but not the one after as_of.
    assert_eq!(
        listed(&charts, "team:shop", "time-to-restore"),
        ["org launch", "shop launch", sev1_api]
    );
    assert_eq!(
        listed(&charts, "team:web", "time-to-restore"),
        ["org launch", sev1_web]
    );
    // The org's charts carry org annotations, definition changes and every SEV1 started
    // by as_of (i1 and i3; i4 starts after it).
    assert_eq!(
        listed(&charts, "org", "lead-time"),
        ["org launch", def, sev1_api, sev1_web]
    );
    // A resolved SEV1 is a range from start to resolution; an unresolved one a single day.
    let api = charts.views_for("service:api", "");
    let i1 = api[0]
        .annotations
        .iter()
        .find(|a| a.title == sev1_api)
        .unwrap();
    assert_eq!(
        (i1.when.as_str(), i1.kind),
        ("2026-06-10 – 2026-06-12", "incident")
    );
    let web = charts.views_for("service:web", "");
    let i3 = web[0]
        .annotations
        .iter()
        .find(|a| a.title == sev1_web)
        .unwrap();
    assert_eq!(i3.when, "2026-06-15");
    // The definition change links to its definition page.
    let lead = &api[1];
    let d = lead.annotations.iter().find(|a| a.title == def).unwrap();
    assert_eq!(
        d.href.as_deref(),
        Some("metrics/lead_time_median_hours.html")
    );
}

#[test]
fn a_definition_change_is_on_its_metric_only_and_every_thing_is_listed_once() {
    let (config, mut ds) = site();
    let row = |kind, day: &str, title: &str| Annotation {
        date: d(day),
        end_date: None,
        scope: Scope::Org,
        kind,
        title: title.to_string(),
        link: None,
    };
    // The lead time change is also a CSV row on its changelog day; an incident row names
    // i1, which is already a SEV1 marker; a CSV definition row naming lead time by key.
    ds.annotations = vec![
        row(
            AnnotationKind::Definition,
            "2026-06-08",
            "Lead time now counts from the first commit (v2)",
        ),
        row(
            AnnotationKind::Incident,
            "2026-06-10",
            "i1: checkout outage",
        ),
        row(
            AnnotationKind::Definition,
            "2026-06-20",
            "lead_time_median_hours excludes reverts",
        ),
    ];
    let report = metrics::compute(&config, &ds, Calendar::new(chrono_tz::UTC, d("2026-06-30")));
    let charts = build(&config, &Records::of(&ds), &report, None);
    let def = "Lead time definition v2: from first commit";
    // Lead time: the changelog entry (which links its page) stands for the CSV row of the
    // same day; the key-named change of 20 June; i1 once, as its SEV1 marker.
    assert_eq!(
        listed(&charts, "service:api", "lead-time"),
        [
            def,
            "SEV1 i1: Checkout down",
            "lead_time_median_hours excludes reverts"
        ]
    );
    // The other metrics' charts carry no lead time definition change.
    for chart in ["deployments", "change-failure-rate", "time-to-restore"] {
        assert_eq!(
            listed(&charts, "service:api", chart),
            ["SEV1 i1: Checkout down"],
            "{chart}"
        );
    }
}
