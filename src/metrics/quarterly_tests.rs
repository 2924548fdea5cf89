//! Quarterly figures: goals met, missed and n/a; scope names; a quarter's counts from the
//! full test site (`metrics::tests`), by hand.

use super::*;
use crate::metrics::compute;
use crate::metrics::tests::{full_site, item, report_with, retro, site, CONFIG};
use crate::published::FigureRow;

fn scope(key: &str, metric: &str, value: Option<f64>, previous: Option<f64>) -> ScopeQuarter {
    ScopeQuarter {
        key: key.into(),
        name: key.into(),
        figures: vec![FigureRow {
            metric: metric.into(),
            value,
            previous,
            verdict: "n/a".into(),
        }],
        slos: SloCounts::default(),
        slos_previous: None,
        severity: [0; 4],
        severity_previous: None,
    }
}

fn g(metric: &str, scope: &str, target: Option<f64>, change: Option<f64>) -> Goal {
    Goal {
        metric: metric.into(),
        scope: scope.into(),
        target,
        target_change: change,
        line: 1,
    }
}

#[test]
fn goals_are_met_missed_or_na() {
    let ds = Dataset::default();
    let lead = [scope(
        "org",
        "lead_time_median_hours",
        Some(8.0),
        Some(10.0),
    )];
    // Lower is better: 8 <= 9 is met; 8 <= 7 is missed.
    assert_eq!(
        goal(
            &g("lead_time_median_hours", "org", Some(9.0), None),
            &lead,
            false,
            &ds
        )
        .status,
        "met"
    );
    assert_eq!(
        goal(
            &g("lead_time_median_hours", "org", Some(7.0), None),
            &lead,
            false,
            &ds
        )
        .status,
        "missed"
    );
    // (8 - 10) / 10 = -0.2: a -0.2 target is met (<=), a -0.25 target missed.
    assert_eq!(
        goal(
            &g("lead_time_median_hours", "org", None, Some(-0.2)),
            &lead,
            false,
            &ds
        )
        .status,
        "met"
    );
    assert_eq!(
        goal(
            &g("lead_time_median_hours", "org", None, Some(-0.25)),
            &lead,
            false,
            &ds
        )
        .status,
        "missed"
    );
    // Higher is better for deployment frequency: 12 >= 10 met; +10% on 10 needs 11: met.
    let dpw = [scope(
        "team:shop",
        "deploys_per_week",
        Some(12.0),
        Some(10.0),
    )];
    assert_eq!(
        goal(
            &g("deploys_per_week", "shop", Some(10.0), None),
            &dpw,
            false,
            &ds
        )
        .status,
        "met"
    );
    assert_eq!(
        goal(
            &g("deploys_per_week", "team:shop", None, Some(0.1)),
            &dpw,
            false,
            &ds
        )
        .status,
        "met"
    );
    // The bare id `shop` resolves to `team:shop`.
    assert_eq!(
        goal(
            &g("deploys_per_week", "shop", Some(10.0), None),
            &dpw,
            false,
            &ds
        )
        .scope,
        "team:shop"
    );
    // A partial quarter judges nothing; no data, or a relative goal on a baseline of 0, is n/a.
    assert_eq!(
        goal(
            &g("deploys_per_week", "shop", Some(10.0), None),
            &dpw,
            true,
            &ds
        )
        .status,
        "n/a"
    );
    let none = [scope("org", "incidents", None, Some(3.0))];
    assert_eq!(
        goal(&g("incidents", "org", Some(2.0), None), &none, false, &ds).status,
        "n/a"
    );
    let zero = [scope("org", "incidents", Some(2.0), Some(0.0))];
    assert_eq!(
        goal(&g("incidents", "org", None, Some(-0.5)), &zero, false, &ds).status,
        "n/a"
    );
}

#[test]
fn scope_names_resolve_to_keys() {
    let keys = ["org", "team:shop", "service:api"];
    assert_eq!(scope_key("org", keys).as_deref(), Some("org"));
    assert_eq!(scope_key("shop", keys).as_deref(), Some("team:shop"));
    assert_eq!(scope_key("api", keys).as_deref(), Some("service:api"));
    assert_eq!(scope_key("team:web", keys), None);
}

#[test]
fn a_quarter_counts_incidents_by_severity_and_lists_the_severe_ones() {
    // The full test site to 2026-07-15: i1 (api, SEV1), i2 (api, SEV2), i3 (web, SEV3),
    // i4 (web, SEV1), all started in 2026-Q3, which is partial.
    let dir = full_site();
    let r = report_with(dir.path(), CONFIG, vec![]);
    let q3 = r.quarters.iter().find(|q| q.quarter == "2026-Q3").unwrap();
    assert!(q3.partial);
    assert_eq!(q3.previous.as_deref(), Some("2026-Q2"));
    let org = q3.scopes.iter().find(|s| s.key == "org").unwrap();
    assert_eq!(org.severity, [2, 1, 1, 0]);
    let shop = q3.scopes.iter().find(|s| s.key == "team:shop").unwrap();
    assert_eq!(shop.severity, [1, 1, 0, 0]);
    // SEV1-2 only, by start: i1 (07-02), i2 (07-03), i4 (07-14).
    let ids: Vec<&str> = q3.incidents.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["i1", "i2", "i4"]);
    // A partial quarter has no verdicts.
    assert!(org.figures.iter().all(|f| f.verdict == "n/a"));
    // Deployments: 4 counted in Q3 (d1, d2, d3, d6); 1 in Q2 (d0, 06-30 23:00 UTC).
    let deploys = org.figure("deployments").unwrap();
    assert_eq!((deploys.value, deploys.previous), (Some(4.0), Some(1.0)));
    // No SLOs on this site: every count is 0, which the page reads as "no SLOs".
    assert_eq!(org.slos, SloCounts::default());
}

fn narrative(quarter: &str, goals: Vec<Goal>) -> Narrative {
    Narrative {
        path: format!("content/reports/{}.md", quarter.to_lowercase()),
        quarter: quarter.into(),
        title: None,
        body: String::new(),
        goals,
        figures: vec![],
        text: String::new(),
    }
}

fn annotation(day: &str) -> crate::model::Annotation {
    crate::model::Annotation {
        date: day.parse().unwrap(),
        end_date: None,
        scope: crate::model::Scope::Org,
        kind: crate::model::AnnotationKind::Launch,
        title: day.into(),
        link: None,
    }
}

fn find<'a>(r: &'a Report, key: &str) -> &'a QuarterFigures {
    r.quarters.iter().find(|q| q.quarter == key).unwrap()
}

#[test]
fn a_quarter_lists_the_items_open_at_its_end_its_annotations_and_its_own_goals() {
    // The full test site to 2026-07-15 (UTC): 2026-Q2 (its last day 30 June) and 2026-Q3
    // (partial, its last day 15 July).
    let dir = full_site();
    let config = crate::config::parse(CONFIG).unwrap();
    let (mut ds, diags) = crate::load::load_data(dir.path(), &config, vec![]);
    assert!(diags.is_empty(), "{:?}", diags.sorted());
    ds.present.retros = true;
    // Published 3 July, inside Q3: none of its items is Q2's. Due 10, 11 and 20 July.
    ds.retros = vec![retro(
        "i1",
        "2026-07-03T10:00:00Z",
        vec![
            item("2026-07-10", Some("2026-07-15")), // done on Q3's last day: not open
            item("2026-07-11", Some("2026-07-16")), // done the day after: open at its end
            item("2026-07-20", None),               // never done: open
        ],
    )];
    ds.annotations = ["2026-06-30", "2026-07-01", "2026-07-15", "2026-07-16"]
        .map(annotation)
        .to_vec();
    ds.narratives = vec![narrative(
        "2026-Q3",
        vec![g("deployments", "org", Some(3.0), None)],
    )];
    let r = compute(
        &config,
        &ds,
        crate::period::Calendar::new(chrono_tz::UTC, "2026-07-15".parse().unwrap()),
    );
    let (q2, q3) = (find(&r, "2026-Q2"), find(&r, "2026-Q3"));
    let dues = |q: &QuarterFigures| {
        q.open_items
            .iter()
            .map(|i| i.due.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(dues(q3), ["2026-07-11", "2026-07-20"]);
    assert!(dues(q2).is_empty());
    // Annotations from the first day to the last, both included: 30 June is Q2's last day,
    // 1 July Q3's first, 15 July Q3's last; 16 July is after it.
    let days = |q: &QuarterFigures| {
        q.annotations
            .iter()
            .map(|a| a.title.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(days(q2), ["2026-06-30"]);
    assert_eq!(days(q3), ["2026-07-01", "2026-07-15"]);
    // Only Q3's narrative's goals: 4 deployments >= 3, but a partial quarter judges nothing.
    assert!(q2.goals.is_empty());
    assert_eq!(q3.goals.len(), 1);
    assert_eq!(
        (q3.goals[0].result, q3.goals[0].status.as_str()),
        (Some(4.0), "n/a")
    );
}

#[test]
fn history_holds_the_last_six_quarters() {
    // Deployments on 15 January 2025, 15 October 2025 (load rejects a gap of more than a
    // year) and 1 July 2026: seven quarters, 2025-Q1 to 2026-Q3.
    // 2026-Q3's charts show six of them, 2025-Q2 to 2026-Q3; 2025-Q2's show 2025-Q1 and Q2.
    let dir = site(&[(
        "data/deployments.csv",
        "deploy_id,service,environment,status,deployed_at
d1,api,production,success,2025-01-15T10:00:00Z
d2,api,production,success,2025-10-15T10:00:00Z
d3,api,production,success,2026-07-01T10:00:00Z
",
    )]);
    let r = report_with(dir.path(), CONFIG, vec![]);
    let keys = |q: &QuarterFigures| {
        q.history
            .iter()
            .map(|p| p.quarter.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(r.quarters.len(), 7);
    assert_eq!(
        keys(find(&r, "2026-Q3")),
        ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    );
    assert_eq!(keys(find(&r, "2025-Q2")), ["2025-Q1", "2025-Q2"]);
}

#[test]
fn slo_counts_count_each_status() {
    // 1 healthy, 2 at risk, 3 exhausted, 4 without data.
    let dir = full_site();
    let r = report_with(dir.path(), CONFIG, vec![]);
    let mut f = r.scope("org").unwrap().series[&Grain::Quarter][0].clone();
    let def = crate::config::SloDef {
        id: "s".into(),
        service: "api".into(),
        objective: 0.99,
        window: crate::config::SloWindow::Month,
        description: String::new(),
        budgeting: crate::config::Budgeting::Occurrences,
        path: "almanac.toml".into(),
        line: 1,
    };
    let base = crate::metrics::slo::evaluate(&def, &[], &r.calendar, r.calendar.as_of);
    let statuses = [
        (SloStatus::Healthy, 1),
        (SloStatus::AtRisk, 2),
        (SloStatus::Exhausted, 3),
        (SloStatus::NoData, 4),
    ];
    f.slos = statuses
        .iter()
        .flat_map(|&(status, n)| {
            let one = crate::metrics::slo::SloFigures {
                status,
                ..base.clone()
            };
            std::iter::repeat_n(std::sync::Arc::new(one), n)
        })
        .collect();
    assert_eq!(
        slo_counts(&f),
        SloCounts {
            met: 1,
            at_risk: 2,
            exhausted: 3,
            no_data: 4
        }
    );
}

#[test]
fn check_names_unknown_metrics_and_scopes_and_narratives_without_data() {
    // The full test site has data in 2026-Q2 and Q3 only; its scopes are org, team:shop,
    // team:web, service:api and service:web.
    let dir = full_site();
    let r = report_with(dir.path(), CONFIG, vec![]);
    let narratives = [
        narrative("2026-Q3", vec![g("deployments", "shop", Some(3.0), None)]),
        narrative("2025-Q1", vec![g("deploymentz", "nobody", Some(3.0), None)]),
    ];
    // The names are checked against the scopes alone (before any figure is computed).
    let scopes: Vec<_> = r.scopes.iter().map(|s| s.scope.clone()).collect();
    let mut d = check_quarters(&r, &narratives);
    d.extend(check_names(&narratives, &scopes));
    let d = d.sorted();
    let got: Vec<(&str, bool, &str)> = d
        .iter()
        .map(|x| {
            (
                x.path.as_str(),
                x.severity == crate::diag::Severity::Error,
                x.message.as_str(),
            )
        })
        .collect();
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got.iter().all(|(p, ..)| *p == "content/reports/2025-q1.md"));
    assert!(got.contains(&(
        "content/reports/2025-q1.md",
        false,
        "there is no data in 2025-Q1, so this narrative has no report; check the file name (e.g. 2026-q3.md) or the data"
    )));
    assert!(got.iter().any(|(_, e, m)| *e
        && m.starts_with("this goal names `deploymentz`, which is not a metric almanac computes")));
    // The scopes offered leave out services (`service:ID` stands for them).
    assert!(got.contains(&(
        "content/reports/2025-q1.md",
        true,
        "this goal names the scope `nobody`, which is not the org, a team or a service; use one of org, team:shop, team:web or `service:ID`"
    )));
}
