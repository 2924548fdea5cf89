//! Every metric rule with a boundary, pinned on the `tests/fixtures/bounds` site: an event
//! exactly on the edge and one a second (or a day) either side, with the expected figure
//! worked out in a comment. Period edges are checked in UTC and in Europe/Berlin (UTC+2 in
//! summer, UTC+1 in winter; DST starts 2026-03-29 and ends 2026-10-25). TESTING.md lists
//! the planted bugs each test catches.

use crate::metrics::basis::covers;
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
    // day late), F (done a day early: on time), G (done on its due day, 6 July: on time)
    // -> 3 / 6. C is due 16 July, after as_of.
    assert_eq!(
        get(&r, "service:api", "2026-Q3", Metric::ActionItemsOnTimeRate),
        Some(0.5)
    );
    // W28 is Monday 6 July - Sunday 12 July. Items due in it: G (due 6 July, the first day,
    // done that day: on time), F (due 9, done 8: on time), D (due 10, done 10: on time), E
    // (due 10, done 11: late) -> 3 / 4. Leaving out the first day's G gives 2 / 3.
    assert_eq!(
        get(&r, "service:api", "2026-W28", Metric::ActionItemsOnTimeRate),
        Some(0.75)
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
    // July: k1 (exactly 1 July 00:00:00), k2, k3 (SEV2), k4, k5, k6 (SEV1), k7 (SEV4); k0
    // started 30 June 23:59:59 belongs to June. Severity 1-2: 6.
    assert_eq!(
        ids(&ds, &july.incidents),
        ["k7", "k6", "k5", "k4", "k3", "k2", "k1"]
    );
    assert_eq!(july.severe, 6);
    let t = |count, repeats| Tally { count, repeats };
    assert_eq!(july.severities, [t(3, 0), t(3, 0), t(0, 0), t(1, 0)]);
    // Done in July: G (6 July, due 6: on time), F (8 July, due 9: on time), D (10 July, due
    // 10: on time), E (11 July, due 10: late).
    let closed: Vec<(String, bool)> = july
        .closed
        .iter()
        .map(|c| (c.done.to_string(), c.on_time))
        .collect();
    assert_eq!(
        closed,
        [
            ("2026-07-06".to_string(), true),
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

#[test]
fn data_reaches_a_period_only_when_its_first_row_is_before_the_end() {
    let cal = Calendar::new(Tz::UTC, date("2026-07-15"));
    // 2026-W28 runs from Monday 6 July 00:00:00Z to Monday 13 July 00:00:00Z (exclusive).
    let w = cal.period(Grain::Week, date("2026-07-06")).unwrap();
    let data_end = Some(date("2026-07-15"));
    // A file whose first row is a second before the end reaches the week; one whose first
    // row is exactly at the end (or later) starts in the next week: n/a, not 0.
    assert!(covers(Some(w.end - 1), data_end, &w));
    assert!(!covers(Some(w.end), data_end, &w));
    assert!(!covers(Some(w.end + 1), data_end, &w));
    assert!(!covers(None, data_end, &w));
    // Data as a whole ending on the week's first day (6 July) still reaches it; ending the
    // day before does not.
    assert!(covers(Some(w.start), Some(date("2026-07-06")), &w));
    assert!(!covers(Some(w.start), Some(date("2026-07-05")), &w));
}

#[test]
fn action_item_done_on_the_last_day_is_not_open_at_its_end() {
    // As of 10 July, W28 (6-12 July) and July are cut to 1 or 6 .. 10 July; the backlog is
    // taken on 10 July. Items of service api: A, B, C open (retro published 4 July); D done
    // on 10 July itself (closed); E done 11 July, after as_of (still open on 10 July); F
    // done 8 July (closed). Open: A, B, C, E -> 4. Counting an item done on the day as
    // still open gives 5. Overdue on 10 July: E is due 10 July (not yet overdue), A, B, C
    // are due later -> 0.
    let (_, r) = report(Tz::UTC, "2026-07-10");
    for period in ["2026-W28", "2026-07"] {
        assert_eq!(
            get(&r, "service:api", period, Metric::ActionItemsOpen),
            Some(4.0),
            "{period}"
        );
        assert_eq!(
            get(&r, "service:api", period, Metric::ActionItemsOverdue),
            Some(0.0),
            "{period}"
        );
    }
}

/// A site of these deployment and incident rows under `metrics::tests::CONFIG` (team shop
/// owns api), computed as of 15 July 2026 in UTC: the report ends at 2026-07-16T00:00:00Z.
fn small_site(deploys: &str, incidents: &str) -> Report {
    use crate::metrics::tests::{report_with, site, CONFIG};
    let dir = site(&[
        ("data/deployments.csv", deploys),
        ("data/incidents.csv", incidents),
    ]);
    report_with(dir.path(), CONFIG, vec![])
}

#[test]
fn recovery_counts_only_counted_deployments_before_the_end_of_as_of() {
    let r = small_site(
        "deploy_id,service,environment,status,deployed_at
r1,api,production,success,2026-07-15T20:00:00Z
r2,api,staging,success,2026-07-15T21:00:00Z
r3,api,production,failed,2026-07-15T21:30:00Z
r4,api,production,success,2026-07-16T00:00:00Z
",
        "incident_id,service,severity,started_at,resolved_at,caused_by_deploy,cause,title
n1,api,2,2026-07-15T20:10:00Z,2026-07-15T22:00:00Z,r1,x,Counted deployment
n2,api,2,2026-07-15T21:10:00Z,2026-07-15T23:30:00Z,r2,x,Staging deployment
n3,api,2,2026-07-15T21:40:00Z,2026-07-15T23:00:00Z,r3,x,Failed attempt
n4,api,2,2026-07-15T23:00:00Z,2026-07-15T23:45:00Z,r4,x,Deployment exactly at the end
",
    );
    // Only r1 is a counted deployment by the end of as_of: r2 is staging, r3 failed, r4 is
    // exactly at 2026-07-16T00:00:00Z, the first second after as_of. Recovery: n1 22:00 -
    // r1 20:00 = 2 h. Taking every one (`||` for `&&`): 2, 2.5 (r2 21:00 -> 23:30), 1.5 (r3
    // 21:30 -> 23:00), -0.25 (r4 00:00 -> 23:45 the evening before) -> median (1.5 + 2) / 2
    // = 1.75 h. Taking r4 too (`<=` for `<`): median of 2 and -0.25 = 0.875 h.
    let f = at(&r, "org", "2026-Q3");
    assert_eq!(
        f.get(Metric::FailedDeploymentRecoveryMedianHours),
        Some(2.0)
    );
}

#[test]
fn detection_and_acknowledgement_count_only_before_the_end_of_as_of() {
    use crate::metrics::tests::{site, CONFIG};
    let dir = site(&[(
        "data/incidents.csv",
        "incident_id,service,severity,started_at,detected_at,acknowledged_at,resolved_at,caused_by_deploy,cause,title
t1,api,3,2026-07-15T20:00:00Z,2026-07-15T21:00:00Z,2026-07-15T21:30:00Z,,,x,All before the end
t2,api,3,2026-07-15T21:00:00Z,2026-07-16T00:00:00Z,2026-07-16T00:10:00Z,,,x,Detected exactly at the end
t3,api,3,2026-07-15T22:00:00Z,2026-07-15T23:00:00Z,2026-07-16T00:00:00Z,,,x,Acknowledged exactly at the end
t4,api,3,2026-07-15T22:30:00Z,2026-07-16T00:00:00Z,2026-07-15T23:40:00Z,,,x,Detected at the end and acknowledged before
",
    )]);
    let config = crate::config::parse(CONFIG).unwrap();
    let (ds, diags) = crate::load::load_data(dir.path(), &config, vec![]);
    // t4's acknowledgement before its detection is a warning, not an error: the row counts.
    assert!(!diags.has_errors(), "{:?}", diags.sorted());
    let r = crate::metrics::compute(&config, &ds, Calendar::new(Tz::UTC, date("2026-07-15")));
    let f = at(&r, "org", "2026-Q3");
    // The report ends at 2026-07-16T00:00:00Z; a time exactly then is after as_of.
    // Detect: t1 1 h, t3 1 h (t2 and t4 are detected at the end) -> 1 h. Taking the end
    // too adds t2 3 h and t4 1.5 h -> (1 + 1.5) / 2 = 1.25 h.
    assert_eq!(f.get(Metric::TimeToDetectMedianHours), Some(1.0));
    // Acknowledge: t1 0.5 h (t3 is acknowledged at the end, t2 and t4 detected at it)
    // -> 0.5 h. Taking t3's acknowledgement gives (0.5 + 1) / 2 = 0.75 h; taking t4's
    // detection gives 23:40 - 00:00 = -1/3 h -> (0.5 - 1/3) / 2 = 1/12 h.
    assert_eq!(f.get(Metric::TimeToAcknowledgeMedianHours), Some(0.5));
}

#[test]
fn weekly_review_cuts_incidents_and_items_at_the_week_edges() {
    use crate::metrics::weekly::{TeamWeek, WeekItem};
    let week = |r: &Report, key: &str| -> TeamWeek {
        let k = r.periods[&Grain::Week]
            .iter()
            .position(|p| p.key == key)
            .unwrap();
        r.weekly[k].teams[0].clone()
    };
    let (ds, r) = report(Tz::UTC, "2026-07-15");
    let item = |w: &WeekItem| {
        let retro = &ds.retros[w.retro as usize];
        let title = &retro.action_items[w.item as usize].title;
        (title[..1].to_string(), w.done.map(|d| d.to_string()))
    };
    // W28 runs from Monday 6 July 00:00:00Z to Monday 13 July 00:00:00Z (exclusive).
    // Incidents started in it: k4, k5, k6 (12 July 20:00:00-02), newest first; k7 starts
    // exactly at the end (13 July 00:00:00), so it is W29's.
    let w28 = week(&r, "2026-W28");
    assert_eq!(ids(&ds, &w28.incidents), ["k6", "k5", "k4"]);
    // Items due 6-12 July, by due date: G (6 July, the first day; done 6), F (9; done 8),
    // D and E (10; done 10 and 11, both by the week's last day, 12 July).
    let due: Vec<_> = w28.due.iter().map(item).collect();
    let done = |d: &str| Some(d.to_string());
    assert_eq!(
        due,
        [
            ("G".to_string(), done("2026-07-06")),
            ("F".to_string(), done("2026-07-08")),
            ("D".to_string(), done("2026-07-10")),
            ("E".to_string(), done("2026-07-11")),
        ]
    );
    assert!(w28.overdue.is_empty());
    // W29, cut to 13-15 July: k7 (exactly its first second); due B (14 July) and A (15 July),
    // both open.
    let w29 = week(&r, "2026-W29");
    assert_eq!(ids(&ds, &w29.incidents), ["k7"]);
    let due: Vec<_> = w29.due.iter().map(item).collect();
    assert_eq!(due, [("B".to_string(), None), ("A".to_string(), None)]);
    // As of 20 July, W30 is that one day: nothing due, and B (14), A (15) and C (16), due
    // before the week and still open at its end, are overdue.
    let (_, r) = report(Tz::UTC, "2026-07-20");
    let w30 = week(&r, "2026-W30");
    assert!(w30.due.is_empty());
    let overdue: Vec<_> = w30.overdue.iter().map(item).collect();
    assert_eq!(
        overdue,
        [
            ("B".to_string(), None),
            ("A".to_string(), None),
            ("C".to_string(), None)
        ]
    );
}

/// A month's noisiest services count the pages from the month's first second up to, not
/// including, the next month's first second. api has one incident in June and three pages
/// near the edge: 30 June 23:59:59 (June), 1 July 00:00:00 (July) and 1 July 00:00:01
/// (July): June's row for api shows 1 page.
#[test]
fn a_month_counts_pages_up_to_its_last_second() {
    let dir = crate::metrics::tests::site(&[
        (
            "data/incidents.csv",
            "incident_id,service,severity,started_at,resolved_at,caused_by_deploy,cause,title
n1,api,2,2026-06-10T10:00:00Z,2026-06-10T11:00:00Z,,capacity,Slow
",
        ),
        (
            "data/pages.csv",
            "page_id,service,paged_at,actionable,after_hours
p1,api,2026-06-30T23:59:59Z,true,true
p2,api,2026-07-01T00:00:00Z,true,true
p3,api,2026-07-01T00:00:01Z,false,true
",
        ),
    ]);
    let r = crate::metrics::tests::report_at(dir.path(), Tz::UTC, false);
    let june = r.periods[&Grain::Month]
        .iter()
        .position(|p| p.key == "2026-06")
        .unwrap();
    let noisy = &r.monthly[june].noisy;
    assert_eq!(noisy.len(), 1);
    assert_eq!((noisy[0].incidents, noisy[0].pages), (1, 1));
}

#[test]
fn a_quarter_counts_incidents_from_its_first_second_to_before_its_end() {
    let (_, r) = report(Tz::UTC, "2026-07-15");
    let quarter = |key: &str| r.quarters.iter().find(|q| q.quarter == key).unwrap();
    let org = |key: &str| {
        let q = quarter(key);
        q.scopes.iter().find(|s| s.key == "org").unwrap().clone()
    };
    // 2026-Q2 ends at 2026-07-01T00:00:00Z. In it: q1, c1, s1 (1 April), q2, c2, s2
    // (30 June, 12:00) and k0 (30 June 23:59:59), all SEV3 -> [0, 0, 7, 0]. k1 starts
    // exactly at the end, so it is Q3's.
    assert_eq!(org("2026-Q2").severity, [0, 0, 7, 0]);
    // 2026-Q3 to 15 July: k4, k5, k6 SEV1; k1, k2, k3 SEV2; k7 SEV4 -> [3, 3, 0, 1]; the
    // previous quarter's counts are Q2's.
    assert_eq!(org("2026-Q3").severity, [3, 3, 0, 1]);
    assert_eq!(org("2026-Q3").severity_previous, Some([0, 0, 7, 0]));
    // Severity 1-2 incidents: none in Q2 (k1 is Q3's); Q3 lists all six.
    assert!(quarter("2026-Q2").incidents.is_empty());
    let mut q3: Vec<&str> = quarter("2026-Q3")
        .incidents
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    q3.sort();
    assert_eq!(q3, ["k1", "k2", "k3", "k4", "k5", "k6"]);
}
