//! Tests of `evaluate`, the status rules and `sort_by_risk`: published numbers (Kibana,
//! burn-rate definitions) and hand-computed window, timezone, timeslice and quarter cases.

use super::testutil::*;
use super::*;
use crate::config::SloWindow;
use chrono_tz::Tz;
use std::sync::Arc;

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-6)
}

/// Kibana's SLO error-budget unit test (elastic/kibana, observability SLO plugin; numbers as
/// quoted in the almanac issue): 97 of 100
/// good at objective 0.95 consumes 0.6 of the budget; 770 of 777 good at 0.999 consumes
/// 9.009009 (7 bad / 0.777 allowed).
#[test]
fn kibana_error_budget() {
    let cal = utc(2025, 11, 30);
    let at = ts(2025, 11, 10, 0);
    let f = evaluate(
        &slo(0.95, SloWindow::Rolling { days: 30 }),
        &[row(at, 97, 100)],
        &cal,
        cal.as_of,
    );
    assert!(close(f.error_budget_remaining, 1.0 - 0.6), "{f:?}");
    assert!(close(f.attainment, 0.97));
    let f = evaluate(
        &slo(0.999, SloWindow::Rolling { days: 30 }),
        &[row(at, 770, 777)],
        &cal,
        cal.as_of,
    );
    assert!(close(f.error_budget_remaining, 1.0 - 9.009009), "{f:?}");
    assert_eq!(f.status, SloStatus::Exhausted);
}

/// Burn rate = error rate / (1 - objective): 90 of 100 good is an error rate of 0.1, so
/// 1 at objective 0.9, 10 at 0.99, 0.5 at 0.8 (Google SRE Workbook, "Alerting on SLOs").
#[test]
fn burn_rate_definition() {
    let cal = utc(2025, 11, 30);
    let rows = [row(ts(2025, 11, 30, 12), 90, 100)];
    for (objective, want) in [(0.9, 1.0), (0.99, 10.0), (0.8, 0.5)] {
        let f = evaluate(
            &slo(objective, SloWindow::Rolling { days: 7 }),
            &rows,
            &cal,
            cal.as_of,
        );
        assert!(close(f.burn_rate_window, want), "{objective}: {f:?}");
        assert!(close(f.burn_rate_1d, want));
        assert!(close(f.burn_rate_7d, want));
    }
}

#[test]
fn budget_overspent_eight_times_is_minus_eight() {
    // objective 0.99 allows 1 bad in 100; 9 bad -> 1 - 9/1 = -8
    let cal = utc(2025, 11, 30);
    let f = evaluate(
        &slo(0.99, SloWindow::Month),
        &[row(ts(2025, 11, 3, 0), 91, 100)],
        &cal,
        cal.as_of,
    );
    assert!(close(f.error_budget_remaining, -8.0), "{f:?}");
    assert_eq!(f.status, SloStatus::Exhausted);
}

#[test]
fn rolling_window_edges() {
    // 7 days at Nov 7 (UTC): [Nov 1 00:00, Nov 8 00:00)
    let def = slo(0.9, SloWindow::Rolling { days: 7 });
    let cal = utc(2025, 11, 30);
    let rows = [
        row(ts(2025, 11, 1, 0) - 1, 0, 1000), // one second early: out
        row(ts(2025, 11, 1, 0), 80, 100),     // exactly at the start: in
        row(ts(2025, 11, 7, 23), 100, 100),   // last hour of the end day: in
        row(ts(2025, 11, 8, 0), 0, 1000),     // exactly at the end: out
    ];
    let f = evaluate(&def, &rows, &cal, d(2025, 11, 7));
    assert_eq!((f.good, f.total, f.buckets), (180, 200, 2));
    assert_eq!(
        (f.window_start, f.window_end),
        (ts(2025, 11, 1, 0), ts(2025, 11, 8, 0))
    );
    // 20 bad of 200 at 0.9 -> burn 1, budget 0 -> exhausted
    assert!(close(f.error_budget_remaining, 0.0));
    assert_eq!(f.status, SloStatus::Exhausted);
    // Nov 7 alone: 100/100
    assert!(close(f.burn_rate_1d, 0.0));
}

#[test]
fn windows_are_cut_in_the_site_timezone() {
    // Berlin is UTC+2 in July: July 1 runs 2026-06-30T22:00Z .. 2026-07-01T22:00Z.
    let cal = Calendar::new(Tz::Europe__Berlin, d(2026, 7, 31));
    let def = slo(0.99, SloWindow::Rolling { days: 1 });
    let rows = [
        row(ts(2026, 6, 30, 21), 0, 10), // 23:00 June 30 in Berlin: out
        row(ts(2026, 6, 30, 22), 7, 10), // 00:00 July 1: in
        row(ts(2026, 7, 1, 21), 10, 10), // 23:00 July 1: in
        row(ts(2026, 7, 1, 22), 0, 10),  // 00:00 July 2: out
    ];
    let f = evaluate(&def, &rows, &cal, d(2026, 7, 1));
    assert_eq!((f.good, f.total), (17, 20));
    assert_eq!(f.window_start, ts(2026, 6, 30, 22));
    // the last hour before the end of July 1 holds the 21:00Z bucket only: burn 0
    assert!(close(f.burn_rate_1h, 0.0));
    // 6h: 16:00Z..22:00Z holds the same bucket
    assert!(close(f.burn_rate_6h, 0.0));
}

#[test]
fn missing_buckets_are_none() {
    let cal = utc(2025, 11, 30);
    let def = slo(0.99, SloWindow::Rolling { days: 28 });
    // daily buckets Nov 1..10 only
    let rows = clean(ts(2025, 11, 1, 0), DAY, 10, 100);
    let f = evaluate(&def, &rows, &cal, cal.as_of);
    assert!(close(f.attainment, 1.0));
    assert_eq!(f.burn_rate_1d, None); // no bucket on Nov 30
    assert_eq!(f.burn_rate_7d, None); // none Nov 24..30
    assert_eq!(f.burn_rate_1h, None); // daily buckets are too coarse for 1h
    assert_eq!(f.bucket_seconds, Some(DAY));
    assert_eq!(f.time_to_exhaustion_hours, None);
    assert_eq!(f.status, SloStatus::Healthy);
    // no rows at all
    let none = evaluate(&def, &[], &cal, cal.as_of);
    assert_eq!(none.status, SloStatus::NoData);
    assert_eq!((none.attainment, none.error_budget_remaining), (None, None));
    let json = serde_json::to_value(&none).unwrap();
    assert_eq!(json["status"], "no data");
    assert!(json["attainment"].is_null());
    assert_eq!(json["window"], "28d");
}

#[test]
fn timeslices_count_good_buckets() {
    let mut def = slo(0.75, SloWindow::Rolling { days: 1 });
    def.budgeting = Budgeting::Timeslices { target: 0.95 };
    let cal = utc(2025, 11, 1);
    let rows = [
        row(ts(2025, 11, 1, 0), 100, 100), // good slice
        row(ts(2025, 11, 1, 1), 95, 100),  // 0.95 >= 0.95: good slice
        row(ts(2025, 11, 1, 2), 90, 100),  // bad slice
        row(ts(2025, 11, 1, 3), 0, 0),     // no traffic: not a slice
    ];
    let f = evaluate(&def, &rows, &cal, cal.as_of);
    // 2 of 3 slices good; budget = 1 - (1/3) / 0.25 = -1/3
    assert!(close(f.attainment, 2.0 / 3.0));
    assert!(close(f.error_budget_remaining, -1.0 / 3.0));
    assert_eq!((f.good_slices, f.slices), (Some(2), Some(3)));
    assert_eq!((f.good, f.total), (285, 300));
    assert_eq!(f.budgeting, "timeslices");
}

#[test]
fn calendar_quarter_mid_period() {
    let def = slo(0.99, SloWindow::Quarter);
    let cal = utc(2025, 11, 15);
    let rows = [
        row(ts(2025, 9, 30, 23), 0, 100),   // Q3: out
        row(ts(2025, 10, 1, 0), 99, 100),   // in
        row(ts(2025, 11, 15, 0), 100, 100), // in
        row(ts(2025, 11, 16, 0), 0, 100),   // after as_of: does not exist
    ];
    let f = evaluate(&def, &rows, &cal, cal.as_of);
    assert_eq!((f.good, f.total), (199, 200));
    assert_eq!(f.window, "quarter");
    // so-far view: 1 bad of allowed 2 -> 0.5 left
    assert!(close(f.error_budget_remaining, 0.5));
    // the 7-day burn is 0 (Nov 9..15 holds only the clean Nov 15 bucket): no exhaustion
    assert!(close(f.burn_rate_7d, 0.0));
    assert_eq!(f.time_to_exhaustion_hours, None);
    assert_eq!(f.status, SloStatus::Healthy);
}

#[test]
fn calendar_status_projects_to_the_period_end() {
    // November (30 days), daily buckets of 1000, objective 0.99 (10 bad allowed a day).
    let def = slo(0.99, SloWindow::Month);
    let cal = utc(2025, 11, 10);
    // Days 1-3: 9 bad each; days 4-10: 2 bad each.
    let mut rows = clean(ts(2025, 11, 1, 0), DAY, 10, 1000);
    for (i, r) in rows.iter_mut().enumerate() {
        r.good = if i < 3 { 991 } else { 998 };
    }
    let f = evaluate(&def, &rows, &cal, cal.as_of);
    // so far: 27 + 14 = 41 bad of 100 allowed -> 0.59
    assert!(close(f.error_budget_remaining, 0.59));
    // expected 30000 -> budget 300; 1 - 41/300 = 0.8633; 7d burn = 14/7000/0.01 = 0.2
    // 0.86333 x 720 h / 0.2 = 3108 h > 480 h left: it does not run out -> null, healthy
    assert_eq!(f.time_to_exhaustion_hours, None);
    assert_eq!(f.exhaustion, Exhaustion::NotAtThisRate);
    assert_eq!(f.status, SloStatus::Healthy);
    // Variants (good on days 1-3, good on days 4-10):
    // 9 and 9 bad: 7d burn 0.9; 90 bad of 300 expected -> 0.7 x 720 / 0.9 = 560 h > 480 h.
    // 9 and 10 bad: burn 1.0 (not above 1); 97 bad -> 0.6767 x 720 = 487 h > 480 h.
    // 0 and 11 bad: burn 1.1 > 1 -> at risk although 77 of 100 allowed so far is unspent.
    // (While budget is left and the 7d burn is <= 1, the projection outlasts the period
    // whenever the buckets so far match the elapsed time: the projection rule is a
    // safety net, the 7d burn rule decides in practice.)
    for (first, rest, want) in [
        (991, 991, SloStatus::Healthy),
        (991, 990, SloStatus::Healthy),
        (1000, 989, SloStatus::AtRisk),
    ] {
        let rows: Vec<_> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| row(r.at, if i < 3 { first } else { rest }, 1000))
            .collect();
        assert_eq!(
            evaluate(&def, &rows, &cal, cal.as_of).status,
            want,
            "{first} {rest}"
        );
    }
}

#[test]
fn rolling_status_at_risk_when_the_week_burns_fast() {
    // 28d window, objective 0.99; 20 clean days then 7 days at 2% errors (burn 2).
    let def = slo(0.99, SloWindow::Rolling { days: 28 });
    let cal = utc(2025, 11, 27);
    let mut rows = clean(ts(2025, 11, 1, 0), DAY, 27, 1000);
    for r in rows.iter_mut().skip(20) {
        r.good = 980;
    }
    let f = evaluate(&def, &rows, &cal, cal.as_of);
    // window: 140 bad of 27000, allowed 270 -> 1 - 140/270 = 0.48148
    assert!(close(f.error_budget_remaining, 1.0 - 140.0 / 270.0));
    assert!(close(f.burn_rate_7d, 2.0));
    // tte = 0.48148 x 672 h / 2 = 161.8 h
    assert!(close(
        f.time_to_exhaustion_hours,
        (1.0 - 140.0 / 270.0) * 672.0 / 2.0
    ));
    assert_eq!(f.status, SloStatus::AtRisk);
}

#[test]
fn sort_by_risk_orders_statuses_then_budget_then_id() {
    let cal = utc(2025, 11, 30);
    let at = ts(2025, 11, 30, 0);
    let mk = |id: &str, good: u64, total: u64| {
        let mut def = slo(0.99, SloWindow::Rolling { days: 7 });
        def.id = id.into();
        let rows: Vec<_> = (total > 0)
            .then(|| row(at, good, total))
            .into_iter()
            .collect();
        Arc::new(evaluate(&def, &rows, &cal, cal.as_of))
    };
    let mut v = vec![
        mk("e-none", 0, 0),
        mk("d-healthy", 1000, 1000),
        mk("c-healthy-low", 995, 1000),
        mk("b-exhausted", 900, 1000),
        mk("a-none", 0, 0),
        mk("f-exhausted-worse", 800, 1000),
    ];
    sort_by_risk(&mut v);
    let ids: Vec<&str> = v.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "f-exhausted-worse",
            "b-exhausted",
            "c-healthy-low",
            "d-healthy",
            "a-none",
            "e-none"
        ]
    );
    // Two exhausted, two healthy, two without data; no SLO at risk, so no such entry.
    assert_eq!(
        status_counts(&v),
        [
            (SloStatus::Exhausted, 2),
            (SloStatus::Healthy, 2),
            (SloStatus::NoData, 2)
        ]
    );
}

#[test]
fn a_budget_lasts_window_hours_over_the_burn_rate() {
    // 30-day window = 720 h; at 2x it lasts 720 / 2 = 360 h, at 0.5x 1,440 h.
    assert_eq!(budget_lasts_hours(2.0, 30.0), Some(360.0));
    assert_eq!(budget_lasts_hours(0.5, 30.0), Some(1440.0));
    // Nothing spent: it does not run out.
    assert_eq!(budget_lasts_hours(0.0, 30.0), None);
}

#[test]
fn json_has_the_documented_keys() {
    let cal = utc(2025, 11, 30);
    let f = evaluate(
        &slo(0.99, SloWindow::Month),
        &[row(ts(2025, 11, 1, 0), 99, 100)],
        &cal,
        cal.as_of,
    );
    let json = serde_json::to_value(&f).unwrap();
    for key in [
        "id",
        "service",
        "objective",
        "window",
        "attainment",
        "error_budget_remaining",
        "burn_rate_1h",
        "burn_rate_6h",
        "burn_rate_1d",
        "burn_rate_7d",
        "burn_rate_window",
        "time_to_exhaustion_hours",
        "status",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert_eq!(json["window"], "month");
    assert_eq!(json["status"], "exhausted");
}

/// Time to exhaustion on a rolling window exists only at a 7-day burn rate above 1.
#[test]
fn rolling_exhaustion_only_above_burn_one() {
    // 28d window, objective 0.99, daily buckets of 1000 on 1-28 Nov, as_of 28 Nov: days
    // 1-21 clean, days 22-28 with k bad each. Budget 280 bad; remaining = 1 - 7k/280;
    // burn_7d = 7k/7000/0.01 = k/10.
    let def = slo(0.99, SloWindow::Rolling { days: 28 });
    let cal = utc(2025, 11, 28);
    let eval = |k: u64| {
        let mut rows = clean(ts(2025, 11, 1, 0), DAY, 28, 1000);
        for r in rows.iter_mut().skip(21) {
            r.good = 1000 - k;
        }
        evaluate(&def, &rows, &cal, cal.as_of)
    };
    // k = 3: b = 0.3, remaining 1 - 21/280 = 0.925. The old formula said 0.925 x 672 / 0.3
    // = 2072 h; at a steady 0.3 the budget tends to 0.7 and never runs out.
    let f = eval(3);
    assert!(close(f.burn_rate_7d, 0.3));
    assert_eq!(f.time_to_exhaustion_hours, None);
    assert_eq!(f.exhaustion, Exhaustion::NotAtThisRate);
    assert_eq!(f.status, SloStatus::Healthy);
    // k = 10: b = 1 (not above 1), remaining 0.75: tends to 0, never below -> null.
    let f = eval(10);
    assert!(close(f.burn_rate_7d, 1.0));
    assert!(close(f.error_budget_remaining, 0.75));
    assert_eq!(f.time_to_exhaustion_hours, None);
    assert_eq!(f.status, SloStatus::Healthy);
    // k = 20: b = 2, remaining 0.5 -> 0.5 x 672 h / 2 = 168 h; at risk.
    let f = eval(20);
    assert!(close(f.burn_rate_7d, 2.0));
    assert!(close(f.time_to_exhaustion_hours, 168.0));
    assert_eq!(f.status, SloStatus::AtRisk);
    // k = 40: remaining 1 - 280/280 = 0 -> spent (0 h), exhausted.
    let f = eval(40);
    assert_eq!(f.time_to_exhaustion_hours, Some(0.0));
    assert_eq!(f.exhaustion, Exhaustion::Spent);
    assert_eq!(f.status, SloStatus::Exhausted);
}

/// Time to exhaustion on a calendar window exists only if it falls before the period ends.
#[test]
fn calendar_exhaustion_only_before_the_period_ends() {
    // November (30 days = 720 h), objective 0.99, daily buckets of 1000 on 1-10 Nov, as_of
    // 10 Nov: 480 h left. Expected total 30 x 1000 = 30000 -> budget 300 bad. Days 1-3
    // have x bad, days 4-10 k bad: burn_7d = 7k/7000/0.01 = k/10.
    let def = slo(0.99, SloWindow::Month);
    let cal = utc(2025, 11, 10);
    let eval = |x: u64, k: u64| {
        let rows: Vec<_> = clean(ts(2025, 11, 1, 0), DAY, 10, 1000)
            .iter()
            .enumerate()
            .map(|(i, r)| row(r.at, 1000 - if i < 3 { x } else { k }, 1000))
            .collect();
        evaluate(&def, &rows, &cal, cal.as_of)
    };
    // b = 0.3 (x 0, k 3): 21 bad -> 1 - 21/300 = 0.93; 0.93 x 720 / 0.3 = 2232 h > 480 h.
    let f = eval(0, 3);
    assert!(close(f.burn_rate_7d, 0.3));
    assert_eq!(f.time_to_exhaustion_hours, None);
    assert_eq!(f.exhaustion, Exhaustion::NotAtThisRate);
    assert_eq!(f.status, SloStatus::Healthy);
    // b = 1 (x 9, k 10): 27 + 70 = 97 bad -> 0.67667 x 720 / 1 = 487.2 h > 480 h -> null.
    let f = eval(9, 10);
    assert!(close(f.burn_rate_7d, 1.0));
    assert_eq!(f.time_to_exhaustion_hours, None);
    assert_eq!(f.status, SloStatus::Healthy);
    // b = 1.1 (x 0, k 11): 77 bad -> 0.74333 x 720 / 1.1 = 486.5 h > 480 h: the budget
    // outlasts the month -> null, but the 7-day burn above 1 makes it at risk.
    let f = eval(0, 11);
    assert!(close(f.burn_rate_7d, 1.1));
    assert_eq!(f.time_to_exhaustion_hours, None);
    assert_eq!(f.status, SloStatus::AtRisk);
    // b = 1.3 (x 0, k 13): 91 bad -> 1 - 91/300 = 0.69667; 0.69667 x 720 / 1.3 = 385.8 h
    // < 480 h: runs out on 26 Nov -> shown, at risk.
    let f = eval(0, 13);
    assert!(close(
        f.time_to_exhaustion_hours,
        (1.0 - 91.0 / 300.0) * 720.0 / 1.3
    ));
    assert_eq!(f.status, SloStatus::AtRisk);
}

/// A calendar budget overspent by the traffic so far is spent, even while the burn-down
/// (judged against the whole period's expected traffic) still has budget: its time to
/// exhaustion is 0, as METHOD says, not a time in the future beside an "exhausted" status.
#[test]
fn a_calendar_budget_spent_so_far_is_spent() {
    // November, objective 0.99, daily buckets of 1000 on 1-10 Nov, as_of 10 Nov; days 1-3
    // have 50 bad each, days 4-10 have 2: 150 + 14 = 164 bad of 10000. Remaining: 1 -
    // 164 / (0.01 x 10000) = -0.64, spent. The burn-down: expected 30 x 1000 = 30000, so
    // 1 - 164 / 300 = 0.45333 left, which at burn_7d = 14 / 7000 / 0.01 = 0.2 would last
    // 0.45333 x 720 / 0.2 = 1632 h; the 7-day burn is below 1 too. Still: spent, 0 h.
    let def = slo(0.99, SloWindow::Month);
    let cal = utc(2025, 11, 10);
    let rows: Vec<_> = clean(ts(2025, 11, 1, 0), DAY, 10, 1000)
        .iter()
        .enumerate()
        .map(|(i, r)| row(r.at, 1000 - if i < 3 { 50 } else { 2 }, 1000))
        .collect();
    let f = evaluate(&def, &rows, &cal, cal.as_of);
    assert!(close(f.error_budget_remaining, -0.64), "{f:?}");
    assert!(close(f.burn_rate_7d, 0.2), "{f:?}");
    assert_eq!(f.exhaustion, Exhaustion::Spent);
    assert_eq!(f.time_to_exhaustion_hours, Some(0.0));
    assert_eq!(f.status, SloStatus::Exhausted);
}

#[test]
fn each_status_has_its_json_name() {
    for (s, name) in [
        (SloStatus::Exhausted, "exhausted"),
        (SloStatus::AtRisk, "at risk"),
        (SloStatus::Healthy, "healthy"),
        (SloStatus::NoData, "no data"),
    ] {
        assert_eq!(s.as_str(), name);
        assert_eq!(serde_json::to_value(s).unwrap(), name);
    }
}

#[test]
fn the_six_hour_burn_rate_looks_back_six_hours() {
    // Hourly buckets of 100 on 1 Nov 2025 (UTC), as_of that day: the window ends at
    // 2 Nov 00:00. The 20:00 bucket has 10 bad. 6 h back (18:00-24:00) holds 10 bad of
    // 600: 10 / 600 / (1 - 0.9) = 1/6; the last hour (23:00) holds none: 0.
    let def = slo(0.9, SloWindow::Rolling { days: 1 });
    let cal = utc(2025, 11, 1);
    let mut rows = clean(ts(2025, 11, 1, 0), HOUR, 24, 100);
    rows[20].good = 90;
    let f = evaluate(&def, &rows, &cal, cal.as_of);
    assert!(close(f.burn_rate_6h, 1.0 / 6.0), "{f:?}");
    assert!(close(f.burn_rate_1h, 0.0));
}

/// The edges of "runs out" and "at risk": a 7-day burn of exactly 1 + EPS is not above it,
/// and a calendar budget lasting exactly to the period's end does not run out within it.
#[test]
fn exhaustion_and_risk_edges() {
    // Rolling: the budget left and the 7-day burn are given; 0.5 left at 1 + EPS does not
    // run out, at 1 + 2 EPS it does (0.5 x 24 h / (1 + 2e-9), just under 12 h).
    let def = slo(0.99, SloWindow::Rolling { days: 1 });
    let cal = utc(2025, 11, 10);
    let s = SliSeries::new(&def, &[], &cal);
    let w = window(def.window, &cal, cal.as_of);
    let tte = |b: f64| time_to_exhaustion(&def, &s, &w, Some(0.5), Some(b));
    assert_eq!(tte(1.0 + EPS), Exhaustion::NotAtThisRate);
    assert!(matches!(tte(1.0 + 2.0 * EPS), Exhaustion::In(h) if h < 12.0 && h > 11.9));
    assert_eq!(
        status(Some(0.5), Some(1.0 + EPS), Exhaustion::NotAtThisRate),
        SloStatus::Healthy
    );
    assert_eq!(
        status(Some(0.5), Some(1.0 + 2.0 * EPS), Exhaustion::NotAtThisRate),
        SloStatus::AtRisk
    );
    // Calendar: November (720 h), clean daily buckets on 1-10 Nov, as_of 10 Nov: 480 h
    // left and the whole budget (1.0) left. At a burn of 1.5 it lasts 1 x 720 / 1.5 =
    // 480 h, exactly to the end of November: it does not run out within it. At 1.6, 450 h.
    let month = slo(0.99, SloWindow::Month);
    let rows = clean(ts(2025, 11, 1, 0), DAY, 10, 1000);
    let s = SliSeries::new(&month, &rows, &cal);
    let w = window(month.window, &cal, cal.as_of);
    assert_eq!(w.seconds_left(), 480 * HOUR);
    let tte = |b: f64| time_to_exhaustion(&month, &s, &w, Some(1.0), Some(b));
    assert_eq!(tte(1.5), Exhaustion::NotAtThisRate);
    assert_eq!(tte(1.6), Exhaustion::In(450.0));
}
