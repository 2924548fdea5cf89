//! Quarterly figures: goals met, missed and n/a; scope names; a quarter's counts from the
//! full test site (`metrics::tests`), by hand.

use super::*;
use crate::metrics::tests::{full_site, report_with, CONFIG};
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
