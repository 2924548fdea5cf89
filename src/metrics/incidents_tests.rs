//! Hand-computed checks of the incident facts, the retro rule, action-item states and the
//! monthly review on the `tests/fixtures/incidents` site (as of 2026-07-15, UTC: the
//! report's end is 2026-07-16 00:00).

use super::{RepeatOf, Status};
use crate::metrics::incident_window::{per_day, Days};
use crate::metrics::monthly::{ClosedItem, Tally};
use crate::metrics::retro::{done_on_time, item_state, ItemState, RETRO_DEADLINE};
use crate::metrics::{compute, Report};
use crate::model::{ActionItem, Dataset, HOUR};
use crate::period::{Calendar, Grain};
use chrono::NaiveDate;
use std::path::Path;

pub(crate) fn date(s: &str) -> NaiveDate {
    crate::load::time::parse_date(s).unwrap()
}

pub(crate) fn load() -> (Dataset, Report) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/incidents");
    let (loaded, _) = crate::pipeline::load(&root, Some(date("2026-07-15")))
        .unwrap_or_else(|d| panic!("{:?}", d.sorted()));
    let cal = Calendar::new(loaded.config.timezone, date("2026-07-15"));
    let report = compute(&loaded.config, &loaded.ds, cal);
    (loaded.ds, report)
}

/// The index of incident `id`.
pub(crate) fn ix(ds: &Dataset, id: &str) -> u32 {
    ds.incidents.iter().position(|i| i.id == id).unwrap() as u32
}

pub(crate) fn ids(ds: &Dataset, list: &[u32]) -> Vec<String> {
    list.iter()
        .map(|&i| ds.incidents[i as usize].id.clone())
        .collect()
}

#[test]
fn visible_incidents_newest_first() {
    let (ds, r) = load();
    // Starts: i7 14 Jul 20:00, i6 14 Jul 09:00, i5 8 Jul, i4 5 Jul, i3 2 Jul, i2 25 Jun,
    // i1 20 Apr, i8 10 Jan; all before the end of 15 July.
    assert_eq!(
        ids(&ds, &r.incidents.visible),
        ["i7", "i6", "i5", "i4", "i3", "i2", "i1", "i8"]
    );
}

#[test]
fn status_of_every_incident() {
    let (ds, r) = load();
    let st = |id: &str| r.incidents.status[ix(&ds, id) as usize];
    // SEV4, no retro: none needed.
    assert_eq!(st("i8"), Status::Closed);
    // Retro with both items done (10 May, 20 June) by 15 July.
    assert_eq!(st("i1"), Status::Closed);
    // Retro with "Canary every checkout deploy" still open.
    assert_eq!(st("i2"), Status::FollowUp);
    // Retro without action items.
    assert_eq!(st("i3"), Status::Closed);
    // Items done 11 and 14 July, both by as_of.
    assert_eq!(st("i4"), Status::Closed);
    // SEV2 resolved 9 July 12:00; 72 h later is 12 July 12:00 < 16 July 00:00; no retro.
    assert_eq!(st("i5"), Status::RetroMissing);
    // No resolution.
    assert_eq!(st("i6"), Status::Unresolved);
    // SEV1 resolved 15 July 02:00; due 18 July 02:00, after the end of 15 July.
    assert_eq!(st("i7"), Status::RetroDue);
}

#[test]
fn repeats_with_whole_days_between_starts() {
    let (ds, r) = load();
    let rep = |id: &str| r.incidents.repeat_of[ix(&ds, id) as usize];
    // i3 (2 Jul 08:00) repeats i1 (20 Apr 10:00), named by i3's retro (config-change is coarse):
    // 73 days less 2 h = 72 d 22 h -> 72 whole days.
    assert_eq!(
        rep("i3"),
        Some(RepeatOf {
            incident: ix(&ds, "i1"),
            days: 72
        })
    );
    // i4 (5 Jul 00:00) repeats i2 (25 Jun 10:00), named by i4's YAML retro: 9 d 14 h -> 9.
    assert_eq!(
        rep("i4"),
        Some(RepeatOf {
            incident: ix(&ds, "i2"),
            days: 9
        })
    );
    // i6 (14 Jul 09:00) repeats i5 (8 Jul 12:00), db-connection-limit on web: 5 d 21 h -> 5.
    assert_eq!(
        rep("i6"),
        Some(RepeatOf {
            incident: ix(&ds, "i5"),
            days: 5
        })
    );
    // i7's earlier dependency incident i8 started 185 days before: past the 90-day window.
    assert_eq!(rep("i7"), None);
    assert_eq!(rep("i1"), None);
    assert_eq!(rep("i2"), None);
}

#[test]
fn time_to_retro_and_the_72_hour_deadline() {
    let (ds, r) = load();
    let f = &r.incidents;
    let ttr = |id: &str| f.time_to_retro[ix(&ds, id) as usize];
    // i1: resolved 20 Apr 12:00, retro 21 Apr 10:00 = 22 h.
    assert_eq!(ttr("i1"), Some(22 * HOUR));
    // i2: resolved 25 Jun 14:00, retro 26 Jun 09:00 = 19 h.
    assert_eq!(ttr("i2"), Some(19 * HOUR));
    // i3: resolved 2 Jul 10:00, retro 3 Jul 12:00 = 26 h.
    assert_eq!(ttr("i3"), Some(26 * HOUR));
    // i4: resolved 6 Jul 00:00, retro 10 Jul 00:00 = 96 h, past the 72 h.
    assert_eq!(ttr("i4"), Some(96 * HOUR));
    assert_eq!(f.retro_timely(ix(&ds, "i4")), Some(false));
    assert_eq!(f.retro_timely(ix(&ds, "i3")), Some(true));
    // No retro (i5), or no resolution (i6).
    assert_eq!(ttr("i5"), None);
    assert_eq!(ttr("i6"), None);
    assert_eq!(f.retro_timely(ix(&ds, "i6")), None);
    // 72 h exactly is in time.
    assert_eq!(RETRO_DEADLINE, 72 * HOUR);
    assert!(crate::metrics::retro::within_deadline(72 * HOUR));
    assert!(!crate::metrics::retro::within_deadline(72 * HOUR + 1));
}

#[test]
fn action_item_days_overdue_and_late() {
    let as_of = date("2026-07-15");
    let item = |due: &str, done: Option<&str>| ActionItem {
        title: "t".into(),
        team: "shop".into(),
        due: date(due),
        done: done.map(date),
        line: 1,
    };
    // Open, due 10 July: 15 - 10 = 5 days overdue.
    assert_eq!(
        item_state(&item("2026-07-10", None), as_of),
        ItemState::Overdue(5)
    );
    // Done 20 July is after as_of: still overdue by 5.
    assert_eq!(
        item_state(&item("2026-07-10", Some("2026-07-20")), as_of),
        ItemState::Overdue(5)
    );
    // Due 1 June, done 20 June: 30 - 1 + 20 = 19 days late.
    assert_eq!(
        item_state(&item("2026-06-01", Some("2026-06-20")), as_of),
        ItemState::DoneLate(19)
    );
    assert_eq!(
        item_state(&item("2026-07-12", Some("2026-07-11")), as_of),
        ItemState::DoneOnTime
    );
    // Due on as_of: not yet overdue.
    assert_eq!(
        item_state(&item("2026-07-15", None), as_of),
        ItemState::Open
    );
}

#[test]
fn done_on_time_is_on_or_before_the_due_date() {
    let item = ActionItem {
        title: "t".into(),
        team: "shop".into(),
        due: date("2026-07-10"),
        done: None,
        line: 1,
    };
    // The due day itself counts; a day later does not.
    assert!(done_on_time(&item, date("2026-07-09")));
    assert!(done_on_time(&item, date("2026-07-10")));
    assert!(!done_on_time(&item, date("2026-07-11")));
}

#[test]
fn lists_by_team_service_severity_and_status() {
    let (ds, r) = load();
    let l = &r.incidents.lists;
    let names = |lists: &[Vec<u32>]| -> Vec<Vec<String>> {
        lists.iter().map(|list| ids(&ds, list)).collect()
    };
    // Shop owns api and pay: i7 (pay), i4, i3, i2, i1 (api), i8 (pay), newest first;
    // Web owns web: i6, i5.
    assert_eq!(
        names(&l.by_team),
        [vec!["i7", "i4", "i3", "i2", "i1", "i8"], vec!["i6", "i5"]]
    );
    // By service name: api, pay, web.
    let services: Vec<(&str, Vec<String>)> = l
        .by_service
        .iter()
        .map(|(s, list)| (ds.services.name(*s), ids(&ds, list)))
        .collect();
    assert_eq!(
        services,
        [
            (
                "api",
                vec!["i4".to_string(), "i3".into(), "i2".into(), "i1".into()]
            ),
            ("pay", vec!["i7".to_string(), "i8".into()]),
            ("web", vec!["i6".to_string(), "i5".into()])
        ]
    );
    // SEV1 i7, i4, i2; SEV2 i5, i3, i1; SEV3 i6; SEV4 i8.
    assert_eq!(
        names(&l.by_severity),
        [
            vec!["i7", "i4", "i2"],
            vec!["i5", "i3", "i1"],
            vec!["i6"],
            vec!["i8"]
        ]
    );
    // Status::ALL order: unresolved i6, retro missing i5, retro due i7, follow-up i2,
    // closed i4, i3, i1, i8 (see status_of_every_incident).
    assert_eq!(
        names(&l.by_status),
        [
            vec!["i6"],
            vec!["i5"],
            vec!["i7"],
            vec!["i2"],
            vec!["i4", "i3", "i1", "i8"]
        ]
    );
    // The end of 15 July less 90 days is 17 April 00:00: i1 (20 April) is in, i8
    // (10 January) is out.
    assert_eq!(
        ids(&ds, &l.recent),
        ["i7", "i6", "i5", "i4", "i3", "i2", "i1"]
    );
}

#[test]
fn missing_retro_warning_names_i5_only() {
    let (ds, r) = load();
    let w = crate::metrics::retro::missing_retro_warnings(&ds, &r.calendar).sorted();
    // i5 (SEV2, resolved 9 July, no retro file); i7's 72 h have not passed; i8 is SEV4.
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].line, Some(7));
    assert!(w[0].message.contains("`i5`"));
}

#[test]
fn july_review() {
    let (ds, r) = load();
    let k = r.periods[&Grain::Month]
        .iter()
        .position(|p| p.key == "2026-07")
        .unwrap();
    let m = &r.monthly[k];
    assert_eq!(ids(&ds, &m.incidents), ["i7", "i6", "i5", "i4", "i3"]);
    // Severity 1-2: i7, i5, i4, i3.
    assert_eq!(m.severe, 4);
    // SEV1 i7, i4 (i4 repeats); SEV2 i5, i3 (i3 repeats); SEV3 i6 (repeats).
    let t = |count, repeats| Tally { count, repeats };
    assert_eq!(m.severities, [t(2, 1), t(2, 1), t(1, 1), t(0, 0)]);
    // db-connection-limit 2 (i6 repeats); then one each, by label: bad-deploy, config-change, dependency.
    let causes: Vec<(&str, Tally)> = m
        .causes
        .iter()
        .map(|(c, t)| (ds.causes.name(c.unwrap()), *t))
        .collect();
    assert_eq!(
        causes,
        [
            ("db-connection-limit", t(2, 1)),
            ("bad-deploy", t(1, 1)),
            ("config-change", t(1, 1)),
            ("dependency", t(1, 0))
        ]
    );
    // One repeat each; worst severity first: bad-deploy (i4, SEV1), config-change (i3,
    // SEV2), db-connection-limit (i6, SEV3).
    let rec: Vec<(&str, Vec<String>, u8)> = m
        .recurring
        .iter()
        .map(|x| (ds.causes.name(x.cause), ids(&ds, &x.incidents), x.worst))
        .collect();
    assert_eq!(
        rec,
        [
            ("bad-deploy", vec!["i4".to_string()], 1),
            ("config-change", vec!["i3".to_string()], 2),
            ("db-connection-limit", vec!["i6".to_string()], 3)
        ]
    );
    // api: i4, i3 (both severe), July pages p1, p2, p3; web: i6, i5 (i5 severe), p4, p5;
    // pay: i7 (severe), p6.
    let noisy: Vec<(&str, usize, usize, usize)> = m
        .noisy
        .iter()
        .map(|n| (ds.services.name(n.service), n.incidents, n.severe, n.pages))
        .collect();
    assert_eq!(
        noisy,
        [("api", 2, 2, 3), ("web", 2, 1, 2), ("pay", 1, 1, 1)]
    );
    assert_eq!(ids(&ds, &m.missing), ["i5"]);
    // Done 1-15 July: i4's items, 11 July (due 12 July) and 14 July (due 1 August).
    let i4 = ix(&ds, "i4");
    let retro = r.incidents.retro_of[i4 as usize].unwrap();
    let closed = |item, done| ClosedItem {
        incident: i4,
        retro,
        item,
        done: date(done),
        on_time: true,
    };
    assert_eq!(m.closed, [closed(0, "2026-07-11"), closed(1, "2026-07-14")]);
}

#[test]
fn deployments_per_local_day() {
    let cal = Calendar::new(chrono_tz::UTC, date("2026-07-15"));
    let t = |s: &str| crate::load::time::parse_timestamp(s).unwrap();
    let times = [
        t("2026-07-01T23:59:59Z"),
        t("2026-07-02T00:00:00Z"),
        t("2026-07-02T12:00:00Z"),
        t("2026-07-04T01:00:00Z"),
    ];
    // 1 July: 1; 2 July: 2 (midnight belongs to the new day); 3 July: 0; 4 July: 1.
    let (first, last) = (date("2026-07-01"), date("2026-07-04"));
    let days = Days::new(&cal, date("2026-06-30"), date("2026-07-05"));
    assert_eq!(per_day(&times, days.bounds(first, last)), [1, 2, 0, 1]);
    assert_eq!(days.bounds(first, last).len(), 5);
}

#[test]
fn an_incident_charts_only_its_own_service_s_slos() {
    let (ds, r) = load();
    let daily = |id: &str| r.incidents.daily[ix(&ds, id) as usize].clone().unwrap();
    let slos = |id: &str| -> Vec<String> {
        daily(id)
            .sli
            .iter()
            .map(|(k, _)| ds.slos[*k as usize].id.clone())
            .collect()
    };
    // The fixture's one SLO, api-availability, is api's: i3 (api) charts it, i5 (web) none.
    assert_eq!(slos("i3"), ["api-availability"]);
    assert!(slos("i5").is_empty());
    assert!(daily("i5").sli_since.is_empty());
    // i3 started 2 July: its days run from 18 June to as_of, 15 July (13 + 15 = 28 days);
    // the SLO's first SLI row is on 15 June.
    let i3 = daily("i3");
    assert_eq!(i3.sli[0].1.len(), 28);
    assert_eq!(
        i3.sli_since
            .values()
            .map(|d| d.to_string())
            .collect::<Vec<_>>(),
        ["2026-06-15"]
    );
}
