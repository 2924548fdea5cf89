//! Figures at the end of `as_of`, where a row exactly at midnight after it does not exist
//! yet: data quality's counts, the data's last day and an incident's earliest retro.

use super::tests::{dataset, date, full_site, report_with, retro, site, CONFIG};
use super::*;
use crate::config;
use crate::load::time::parse_timestamp;

/// Data quality at its edges, as_of 15 July (rows exist up to 16 July 00:00 UTC, excluded):
/// - deployments d1 and d2 (the day's last second) count, d3 at midnight does not: 2 rows;
/// - c2 and c3 have no deployment and are committed by then, c4 at midnight is not: api has 2
///   changes never deployed, the earliest c3 (1 July 09:00); c1 is deployed;
/// - i1 has no cause; i2 resolved at midnight is unresolved as of 15 July, i3 resolved a
///   second before midnight is resolved.
#[test]
fn data_quality_counts_rows_up_to_the_end_of_as_of() {
    let dir = site(&[
        (
            "data/deployments.csv",
            "deploy_id,service,environment,status,deployed_at
d1,api,production,success,2026-07-01T10:00:00Z
d2,api,production,success,2026-07-15T23:59:59Z
d3,api,production,success,2026-07-16T00:00:00Z
",
        ),
        (
            "data/changes.csv",
            "change_id,service,committed_at,deploy_id
c1,api,2026-06-30T10:00:00Z,d1
c2,api,2026-07-02T10:00:00Z,
c3,api,2026-07-01T09:00:00Z,
c4,api,2026-07-16T00:00:00Z,
",
        ),
        (
            "data/incidents.csv",
            "incident_id,service,severity,started_at,resolved_at,caused_by_deploy,cause,title
i1,api,2,2026-07-02T11:00:00Z,2026-07-02T13:00:00Z,,,Outage
i2,api,2,2026-07-10T11:00:00Z,2026-07-16T00:00:00Z,,bad-deploy,Slow
i3,api,2,2026-07-11T11:00:00Z,2026-07-15T23:59:59Z,,capacity,Full
",
        ),
    ]);
    let r = report_with(dir.path(), CONFIG, vec![]);
    let q = &r.quality;
    let (_, ds) = dataset(dir.path(), false);
    let api = ds.services.get("api").unwrap();
    let name = |i: &u32| ds.incidents[*i as usize].id.clone();
    let api_q = q.services.iter().find(|s| s.service == api).unwrap();
    let deploys = &api_q.kinds[0];
    assert_eq!(
        (deploys.kind, deploys.rows),
        (quality::DataKind::Deployments, 2)
    );
    assert_eq!(deploys.last, parse_timestamp("2026-07-15T23:59:59Z"));
    assert_eq!(
        q.never_deployed,
        [(api, 2, parse_timestamp("2026-07-01T09:00:00Z").unwrap())]
    );
    assert_eq!(q.no_cause.iter().map(name).collect::<Vec<_>>(), ["i1"]);
    assert_eq!(q.unresolved.iter().map(name).collect::<Vec<_>>(), ["i2"]);
}

/// The warnings are grouped for the data-quality page; errors are not among them.
#[test]
fn data_quality_groups_warnings_only() {
    use crate::diag::{Diagnostics, Pos};
    let mut d = Diagnostics::new();
    let at = |line| Some(Pos { line, column: 1 });
    d.warn("data/b.csv", at(3), "second");
    d.error("data/a.csv", at(1), "an error");
    d.warn("data/a.csv", at(2), "first");
    let groups = quality::group_warnings(&d);
    let items: Vec<&String> = groups.iter().flat_map(|g| &g.items).collect();
    assert_eq!(
        items,
        [
            "data/a.csv:2:1: warning: first",
            "data/b.csv:3:1: warning: second"
        ]
    );
}

/// The data's last day counts rows up to the end of as_of only. Deployments end on 1 May;
/// one more row sits exactly at midnight after as_of (15 July), so it does not exist yet:
/// the data ends on 1 May, and June's and July's figures are n/a, not zeros. A row a second
/// earlier moves the end to 15 July.
#[test]
fn the_data_ends_on_the_last_row_before_the_end_of_as_of() {
    let rows = |last: &str| {
        format!(
            "deploy_id,service,environment,status,deployed_at
d1,api,production,success,2026-05-01T10:00:00Z
d2,api,production,success,{last}
"
        )
    };
    let cal = Calendar::new(chrono_tz::UTC, date("2026-07-15"));
    let config = config::parse(CONFIG).unwrap();
    let end_with = |last: &str| {
        let dir = site(&[("data/deployments.csv", &rows(last))]);
        let (ds, _) = crate::load::load_data(dir.path(), &config, vec![]);
        index::data_end(&ds, &cal)
    };
    assert_eq!(end_with("2026-07-16T00:00:00Z"), Some(date("2026-05-01")));
    assert_eq!(end_with("2026-07-15T23:59:59Z"), Some(date("2026-07-15")));
}

/// An incident with more than one retro is counted by its earliest published one (by
/// as_of): i1's retro of 3 July (index 0) stands against a later one of 5 July after it in
/// file order, and yields to an earlier one of 2 July after both; one of 20 July, after as_of
/// (15 July), does not exist yet.
#[test]
fn an_incident_s_retro_is_its_earliest_published() {
    let dir = full_site();
    let (_, mut ds) = dataset(dir.path(), true);
    let cal = Calendar::new(chrono_tz::UTC, date("2026-07-15"));
    let i1 = ds.incidents.iter().position(|i| i.id == "i1").unwrap();
    ds.retros.push(retro("i1", "2026-07-05T10:00:00Z", vec![]));
    assert_eq!(Index::new(&ds, cal).retro_of[i1], Some(0));
    ds.retros.push(retro("i1", "2026-07-02T10:00:00Z", vec![]));
    ds.retros.push(retro("i1", "2026-07-20T10:00:00Z", vec![]));
    assert_eq!(Index::new(&ds, cal).retro_of[i1], Some(3));
}
