//! Every metric rule with a boundary, pinned on the `tests/fixtures/bounds` site: an event
//! exactly on the edge and one a second (or a day) either side, with the expected figure
//! worked out in a comment. Period edges are checked in UTC and in Europe/Berlin (UTC+2 in
//! summer, UTC+1 in winter; DST starts 2026-03-29 and ends 2026-10-25). TESTING.md lists
//! the planted bugs each test catches.

use crate::metrics::catalog::Metric;
use crate::metrics::incidents::tests::{date, ids, ix};
use crate::metrics::learning::tests::at;
use crate::metrics::monthly::Tally;
use crate::metrics::retro::{deadline_passed, item_state, ItemState, Status};
use crate::metrics::{compute, Report};
use crate::model::Dataset;
use crate::period::{Calendar, Grain};
use chrono_tz::Tz;
use std::path::Path;

/// The fixture computed as of `as_of` in timezone `tz` (its timestamps are all UTC, so only
/// the cutting of days changes with the zone).
fn report(tz: Tz, as_of: &str) -> (Dataset, Report) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bounds");
    let (mut loaded, warnings) = crate::pipeline::load(&root, Some(date(as_of)))
        .unwrap_or_else(|d| panic!("{:?}", d.sorted()));
    assert!(!warnings.has_errors(), "{:?}", warnings.sorted());
    loaded.config.timezone = tz;
    let report = compute(&loaded.config, &loaded.ds, Calendar::new(tz, date(as_of)));
    (loaded.ds, report)
}

fn get(r: &Report, scope: &str, period: &str, m: Metric) -> Option<f64> {
    at(r, scope, period).get(m)
}

fn deploys(r: &Report, period: &str) -> Option<f64> {
    get(r, "service:api", period, Metric::Deployments)
}

const BERLIN: Tz = chrono_tz::Europe::Berlin;

#[test]
fn quarter_month_and_week_edges_in_utc() {
    let (_, r) = report(Tz::UTC, "2026-07-15");
    // Q2/Q3 and June/July meet at 2026-07-01T00:00:00Z. Before it: b1 (23:59:59), and b7,
    // b8, b9 (21:59:59-22:00:01, the Berlin edge, still 30 June in UTC) -> 4. b22 and b23
    // (31 March, 21:59:59 and 22:00:00) are Q1 in UTC. Q3 up to the end of 15 July
    // (2026-07-16T00:00:00Z, exclusive): b2 (exactly 00:00:00), b3, b4, b5, b6, b10, b11,
    // b12, b13 (15 July 23:59:59), b15, b16 -> 11; b14 (16 July 00:00:00) is after as_of.
    assert_eq!(deploys(&r, "2026-Q1"), Some(2.0));
    assert_eq!(deploys(&r, "2026-Q2"), Some(4.0));
    assert_eq!(deploys(&r, "2026-Q3"), Some(11.0));
    assert_eq!(deploys(&r, "2026-06"), Some(4.0));
    assert_eq!(deploys(&r, "2026-07"), Some(11.0));
    // W27 is 29 June - 5 July, W28 starts Monday 2026-07-06T00:00:00Z. W27: b1, b7, b8,
    // b9, b2, b3, b4 (5 July 23:59:59), b10, b11, b12 -> 10; W28: b5 (exactly 00:00:00),
    // b6 -> 2; W29 (to 15 July): b13, b15, b16 -> 3.
    assert_eq!(deploys(&r, "2026-W27"), Some(10.0));
    assert_eq!(deploys(&r, "2026-W28"), Some(2.0));
    assert_eq!(deploys(&r, "2026-W29"), Some(3.0));
}

#[test]
fn quarter_month_and_week_edges_in_berlin_summer_time() {
    let (_, r) = report(BERLIN, "2026-07-15");
    // Berlin Q3 starts 2026-06-30T22:00:00Z. Q2: b7 (21:59:59Z) and b23 (2026-03-31T22:00Z
    // = 1 April 00:00 CEST, the first second of April) -> 2; Q1: b22 (31 March 23:59:59
    // CEST) -> 1. The end of 15 July is 2026-07-15T22:00:00Z: b15 (21:59:59Z) counts, b16
    // (exactly 22:00:00Z), b13 and b14 do not. Q3: b8 (exactly 22:00:00Z), b9, b1, b2, b3,
    // b4, b5, b6, b10, b11, b12, b15 -> 12.
    assert_eq!(deploys(&r, "2026-Q1"), Some(1.0));
    assert_eq!(deploys(&r, "2026-Q2"), Some(2.0));
    assert_eq!(deploys(&r, "2026-Q3"), Some(12.0));
    assert_eq!(deploys(&r, "2026-03"), Some(1.0));
    assert_eq!(deploys(&r, "2026-04"), Some(1.0));
    assert_eq!(deploys(&r, "2026-06"), Some(1.0));
    // W28 starts Monday 6 July 00:00 CEST = 2026-07-05T22:00:00Z. W27: b7, b8, b9, b1, b2,
    // b3, b10 (21:59:59Z) -> 7; W28: b11 (exactly 22:00:00Z), b12, b4, b5, b6 -> 5;
    // W29 (13-15 July): b15 -> 1.
    assert_eq!(deploys(&r, "2026-W27"), Some(7.0));
    assert_eq!(deploys(&r, "2026-W28"), Some(5.0));
    assert_eq!(deploys(&r, "2026-W29"), Some(1.0));
}

#[test]
fn week_and_month_edges_across_the_october_dst_change() {
    // As of 30 November, so W43, W44, October and November are all in range.
    let (_, berlin) = report(BERLIN, "2026-11-30");
    // DST ends Sunday 25 October; W44 starts Monday 26 October 00:00 CET =
    // 2026-10-25T23:00:00Z. W43: b17 (22:59:59Z) -> 1; W44 (26 October - 1 November): b18
    // (exactly 23:00:00Z), b19, b20, b21 -> 4.
    assert_eq!(deploys(&berlin, "2026-W43"), Some(1.0));
    assert_eq!(deploys(&berlin, "2026-W44"), Some(4.0));
    // November starts 2026-10-31T23:00:00Z (CET): October b17, b18, b19, b20 (22:59:59Z)
    // -> 4; November b21 (exactly 23:00:00Z) -> 1.
    assert_eq!(deploys(&berlin, "2026-10"), Some(4.0));
    assert_eq!(deploys(&berlin, "2026-11"), Some(1.0));
    // W43 runs from 2026-10-18T22:00Z (CEST) to 2026-10-25T23:00Z (CET): 7 days + 1 hour.
    let w43 = berlin.periods[&Grain::Week]
        .iter()
        .find(|p| p.key == "2026-W43")
        .unwrap();
    assert_eq!(w43.end - w43.start, 7 * 86_400 + 3_600);
    // The same rows in UTC: b17-b19 are all Sunday 25 October (W43); b20 and b21 are
    // both Saturday 31 October (W44, and October).
    let (_, utc) = report(Tz::UTC, "2026-11-30");
    assert_eq!(deploys(&utc, "2026-W43"), Some(3.0));
    assert_eq!(deploys(&utc, "2026-W44"), Some(2.0));
    assert_eq!(deploys(&utc, "2026-10"), Some(5.0));
    // In UTC the fixture's last timestamp (b21) falls on 31 October, so November starts
    // after the last day of all the data: n/a, not 0 (`basis::covers`). In Berlin b21 is
    // already 1 November, so November is inside the data there and counts 1.
    assert_eq!(deploys(&utc, "2026-11"), None);
}

#[test]
fn retro_deadline_is_72_hours_after_resolution_inclusive() {
    let (ds, r) = report(Tz::UTC, "2026-07-15");
    // Severity 1-2 incidents of service api resolved in Q3, each started 10 h before its
    // resolution: k1 retro exactly 72 h after resolution (on time), k2 72 h + 1 s (late),
    // k3 72 h - 1 s (on time) -> 2 / 3. Counted from started_at instead, k1 and k3 are
    // 82 h late -> 0; with `<` instead of `<=`, k1 is late -> 1 / 3. (k0 is severity 3.)
    let rate = get(&r, "service:api", "2026-Q3", Metric::RetroWithin72hRate).unwrap();
    assert!((rate - 2.0 / 3.0).abs() < 1e-12, "{rate}");
    let t = &r.incidents.time_to_retro;
    assert_eq!(t[ix(&ds, "k1") as usize], Some(72 * 3600));
    assert_eq!(t[ix(&ds, "k2") as usize], Some(72 * 3600 + 1));
    assert_eq!(t[ix(&ds, "k3") as usize], Some(72 * 3600 - 1));
}

#[test]
fn retro_is_missing_only_after_the_deadline_passed() {
    let (ds, r) = report(Tz::UTC, "2026-07-15");
    // The report ends at 2026-07-16T00:00:00Z. k4 resolved 12 July 23:59:59: due 15 July
    // 23:59:59, passed -> missing. k5 resolved 13 July 00:00:00: due exactly at the end
    // -> still due. k6 one second later -> due. Missing: 1.
    assert_eq!(
        get(&r, "service:db", "2026-Q3", Metric::RetrosMissing),
        Some(1.0)
    );
    let status = |id: &str| r.incidents.status[ix(&ds, id) as usize];
    assert_eq!(status("k4"), Status::RetroMissing);
    assert_eq!(status("k5"), Status::RetroDue);
    assert_eq!(status("k6"), Status::RetroDue);
    let end = r.calendar.as_of_end;
    assert!(deadline_passed(&ds.incidents[ix(&ds, "k4") as usize], end));
    assert!(!deadline_passed(&ds.incidents[ix(&ds, "k5") as usize], end));
}

#[test]
fn action_item_due_on_the_evaluation_day_is_not_overdue() {
    let (ds, r) = report(Tz::UTC, "2026-07-15");
    // As of 15 July, open items A (due 15 July), B (due 14 July), C (due 16 July): 3 open,
    // only B is overdue.
    assert_eq!(
        get(&r, "service:api", "2026-Q3", Metric::ActionItemsOpen),
        Some(3.0)
    );
    assert_eq!(
        get(&r, "service:api", "2026-Q3", Metric::ActionItemsOverdue),
        Some(1.0)
    );
    // The action board says the same.
    assert_eq!((r.actions.open, r.actions.overdue), (3, 1));
    // And the per-item state, by due date.
    let items = &ds
        .retros
        .iter()
        .find(|x| x.incident == "k1")
        .unwrap()
        .action_items;
    let state = |k: usize| item_state(&items[k], date("2026-07-15"));
    assert_eq!(state(0), ItemState::Open);
    assert_eq!(state(1), ItemState::Overdue(1));
    assert_eq!(state(2), ItemState::Open);
}

#[test]
fn action_item_done_on_its_due_day_is_on_time() {
    let (_, r) = report(Tz::UTC, "2026-07-15");
    // Items due 1-15 July: A (open), B (open), D (done on its due day: on time), E (done a
    // day late), F (done a day early: on time) -> 2 / 5. C is due 16 July, after as_of.
    assert_eq!(
        get(&r, "service:api", "2026-Q3", Metric::ActionItemsOnTimeRate),
        Some(0.4)
    );
}

#[test]
fn check_warns_only_for_items_due_before_as_of() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bounds");
    let (_, warnings) = crate::pipeline::load(&root, Some(date("2026-07-15"))).unwrap();
    // B (due 14 July) is overdue by 1 day; A (due 15 July, as_of) and C are not.
    let overdue: Vec<String> = warnings
        .sorted()
        .iter()
        .filter(|d| d.message.contains("is overdue"))
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    assert!(overdue[0].contains("`B: due the day before as_of, open` is overdue by 1 day (due"));
}

#[test]
fn repeat_window_is_90_days_inclusive() {
    let (ds, r) = report(Tz::UTC, "2026-07-15");
    // Same service, same cause: q2 started exactly 90 days after q1 (1 April + 30 + 31 + 29
    // days = 30 June, same time) -> repeat; s2 90 days less one second after s1 -> repeat;
    // c2 90 days and one second after c1 -> not. Q2: q2, s2 -> 2.
    assert_eq!(
        get(&r, "org", "2026-Q2", Metric::RepeatIncidents),
        Some(2.0)
    );
    let rep = |id: &str| {
        r.incidents.repeat_of[ix(&ds, id) as usize].map(|x| (ids(&ds, &[x.incident]), x.days))
    };
    // Whole days between the starts: 90, and 89 for s2 (one second short of 90).
    assert_eq!(rep("q2"), Some((vec!["q1".to_string()], 90)));
    assert_eq!(rep("s2"), Some((vec!["s1".to_string()], 89)));
    assert_eq!(rep("c2"), None);
}

#[test]
fn monthly_review_counts_severities_and_on_time_items() {
    let (ds, r) = report(Tz::UTC, "2026-07-15");
    let month = |key: &str| {
        let k = r.periods[&Grain::Month]
            .iter()
            .position(|p| p.key == key)
            .unwrap();
        &r.monthly[k]
    };
    let july = month("2026-07");
    // July: k1 (exactly 1 July 00:00:00), k2, k3 (SEV2), k4, k5, k6 (SEV1); k0 started
    // 30 June 23:59:59 belongs to June. Severity 1-2: 6.
    assert_eq!(
        ids(&ds, &july.incidents),
        ["k6", "k5", "k4", "k3", "k2", "k1"]
    );
    assert_eq!(july.severe, 6);
    let t = |count, repeats| Tally { count, repeats };
    assert_eq!(july.severities, [t(3, 0), t(3, 0), t(0, 0), t(0, 0)]);
    // Done in July: F (8 July, due 9: on time), D (10 July, due 10: on time), E (11 July,
    // due 10: late).
    let closed: Vec<(String, bool)> = july
        .closed
        .iter()
        .map(|c| (c.done.to_string(), c.on_time))
        .collect();
    assert_eq!(
        closed,
        [
            ("2026-07-08".to_string(), true),
            ("2026-07-10".to_string(), true),
            ("2026-07-11".to_string(), false)
        ]
    );
    // k4 is the one missing retro.
    assert_eq!(ids(&ds, &july.missing), ["k4"]);
    // June: k0 (SEV3, 23:59:59), q2, c2, s2 (SEV3); q2 and s2 repeat. No severe incident.
    let june = month("2026-06");
    assert_eq!(june.incidents.len(), 4);
    assert_eq!(june.severe, 0);
    assert_eq!(june.severities, [t(0, 0), t(0, 0), t(4, 2), t(0, 0)]);
}

#[test]
fn every_status_has_its_own_slug_and_label() {
    // The incident list filters by these slugs and shows these labels (cargo-mutants found
    // no unit test reading them).
    let got: Vec<(&str, &str)> = Status::ALL.iter().map(|s| (s.slug(), s.label())).collect();
    assert_eq!(
        got,
        [
            ("unresolved", "unresolved"),
            ("retro-missing", "retro missing"),
            ("retro-due", "retro due (within 72 h)"),
            ("follow-up", "action items open"),
            ("closed", "closed"),
        ]
    );
}
