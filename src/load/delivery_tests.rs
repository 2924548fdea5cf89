//! Tests of the delivery tables: deployments and changes, their ids, links and times.

use super::*;

fn messages(d: Diagnostics) -> Vec<String> {
    d.sorted().iter().map(|d| d.to_string()).collect()
}

const DEPLOYS: &str = "deploy_id,service,environment,status,deployed_at\n\
    d1,api,production,success,2026-07-01T10:00:00Z\n\
    d2,api,production,rolled_back,2026-07-02T10:00:00+02:00\n\
    d3,api,staging,failed,2026-07-03T10:00:00Z\n";

#[test]
fn parses_deployments() {
    let mut d = Diagnostics::new();
    let t = deployments(DEPLOYS.as_bytes(), &Interner::default(), &mut d);
    assert!(d.is_empty(), "{:?}", messages(d));
    assert_eq!(t.rows.len(), 3);
    assert_eq!(t.rows[1].status, DeployStatus::RolledBack);
    // 2026-07-02T10:00:00+02:00 is 08:00Z, 22 hours after d1.
    assert_eq!(t.rows[1].at - t.rows[0].at, 22 * 3600);
    assert!(!t.rows[2].production);
    assert_eq!(t.ids.find(b"d3"), Some(2));
    assert!(!t.has_rework);
}

#[test]
fn reports_every_bad_deployment_row() {
    let text = "deploy_id,service,environment,status,deployed_at\n\
        d1,api,production,ok,2026-07-01T10:00:00\n\
        d1,api,production,success,2026-07-01T10:00:00Z\n";
    let mut d = Diagnostics::new();
    deployments(text.as_bytes(), &Interner::default(), &mut d);
    assert_eq!(
        messages(d),
        vec![
            "data/deployments.csv:2:19: error: unknown status `ok`; use success, rolled_back or failed",
            "data/deployments.csv:2:22: error: `deployed_at`: timestamp `2026-07-01T10:00:00` has no UTC offset; add one, e.g. `2026-07-01T10:00:00Z` or `2026-07-01T10:00:00+02:00`",
            "data/deployments.csv:3:1: error: duplicate deploy_id `d1`; first used on line 2",
        ]
    );
}

#[test]
fn changes_link_to_deployments() {
    let mut d = Diagnostics::new();
    let deploys = deployments(DEPLOYS.as_bytes(), &Interner::default(), &mut d);
    let text = "change_id,service,committed_at,deploy_id\n\
        c1,api,2026-07-01T08:00:00Z,d1\n\
        c2,api,2026-07-01T08:00:00Z,\n\
        c3,api,2026-07-01T08:00:00Z,d9\n\
        c4,api,2026-07-01T11:00:00Z,d1\n";
    let t = changes(text.as_bytes(), &Interner::default(), &deploys, &mut d);
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rows[0].deploy, Some(0));
    assert_eq!(t.rows[1].deploy, None);
    let m = messages(d);
    assert_eq!(m.len(), 2);
    assert!(
        m[0].starts_with("data/changes.csv:4:29: error: deploy_id `d9` does not exist"),
        "{}",
        m[0]
    );
    assert!(
        m[1].starts_with("data/changes.csv:5:8: error: committed_at is after its deployment `d1`"),
        "{}",
        m[1]
    );
}

/// A change naming a deployment whose row was refused (d2, line 3, for its status) is told
/// which line to fix, not that the id does not exist; an id in no row still does not exist.
/// Column 29: `c1,api,2026-07-01T08:00:00Z,` is 28 characters.
#[test]
fn a_change_naming_a_refused_deployment_names_its_line() {
    let mut d = Diagnostics::new();
    let text = DEPLOYS.replace("rolled_back", "rolledback");
    let deploys = deployments(text.as_bytes(), &Interner::default(), &mut d);
    assert_eq!(deploys.rows.len(), 2);
    assert_eq!(
        deploys.refused.iter().collect::<Vec<_>>(),
        [(&"d2".to_string(), &3)]
    );
    let text = "change_id,service,committed_at,deploy_id\n\
        c1,api,2026-07-01T08:00:00Z,d2\n\
        c2,api,2026-07-01T08:00:00Z,d9\n";
    changes(text.as_bytes(), &Interner::default(), &deploys, &mut d);
    assert_eq!(
        messages(d),
        vec![
            "data/deployments.csv:3:19: error: unknown status `rolledback`; use success, rolled_back or failed",
            "data/changes.csv:2:29: error: deploy_id `d2` is the deployment on line 3 of data/deployments.csv, which was refused (its error is reported there); fix that row",
            "data/changes.csv:3:29: error: deploy_id `d9` does not exist in data/deployments.csv; fix the id or add the deployment",
        ]
    );
}

/// A change may be committed up to the second its deployment ships (d1, 10:00:00Z),
/// not a second later: c1 at 10:00:00 is kept, c2 at 10:00:01 is an error at its
/// `committed_at` (line 3, column 8: `c2,api,` is 7 characters).
#[test]
fn a_change_committed_the_second_its_deployment_ships_is_kept() {
    let mut d = Diagnostics::new();
    let deploys = deployments(DEPLOYS.as_bytes(), &Interner::default(), &mut d);
    let text = "change_id,service,committed_at,deploy_id\n\
        c1,api,2026-07-01T10:00:00Z,d1\n\
        c2,api,2026-07-01T10:00:01Z,d1\n";
    let t = changes(text.as_bytes(), &Interner::default(), &deploys, &mut d);
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.rows[0].committed_at, deploys.rows[0].at);
    assert_eq!(
        messages(d),
        ["data/changes.csv:3:8: error: committed_at is after its deployment `d1` (2026-07-01T10:00:00Z); a change must be committed before it ships"]
    );
}

/// A deployment row with an empty `service` or `environment` is an error at that
/// field, and the row is not kept (d2's service is empty: line 3, column 4; d3's
/// environment: line 4, column 8).
#[test]
fn empty_service_or_environment_is_an_error() {
    let text = "deploy_id,service,environment,status,deployed_at\n\
        d1,api,production,success,2026-07-01T10:00:00Z\n\
        d2,,production,success,2026-07-01T11:00:00Z\n\
        d3,api,,success,2026-07-01T12:00:00Z\n";
    let mut d = Diagnostics::new();
    let t = deployments(text.as_bytes(), &Interner::default(), &mut d);
    assert_eq!(
        messages(d),
        [
            "data/deployments.csv:3:4: error: `service` is empty; name the service this row belongs to",
            "data/deployments.csv:4:8: error: `environment` is empty; write e.g. production or staging",
        ]
    );
    // d3 is kept (its environment is not production), d2 is not.
    assert_eq!(t.ids.iter().collect::<Vec<_>>(), ["d1", "d3"]);
    assert_eq!(t.services.rows, [2]);
}

/// Each table numbers the config's services first (`web` 0, `api` 1), then the ones
/// it names first (`late` 2, first at line 3, column 4, after `d2,` or `c2,`); a
/// changes file that cannot be read (no `deploy_id` column) still starts from them.
#[test]
fn tables_number_new_services_after_the_configs() {
    let mut base = Interner::default();
    base.intern("web");
    base.intern("api");
    let mut d = Diagnostics::new();
    let deploys = deployments(
        "deploy_id,service,environment,status,deployed_at\n\
        d1,api,production,success,2026-07-01T10:00:00Z\n\
        d2,late,production,success,2026-07-01T11:00:00Z\n"
            .as_bytes(),
        &base,
        &mut d,
    );
    let changes_text = "change_id,service,committed_at,deploy_id\n\
        c1,api,2026-07-01T08:00:00Z,d1\n\
        c2,late,2026-07-01T08:00:00Z,d2\n";
    let t = changes(changes_text.as_bytes(), &base, &deploys, &mut d);
    assert!(d.is_empty(), "{:?}", messages(d));
    let services = |s: &Services| {
        let lines: Vec<_> = s.first_at.iter().map(|p| (p.line, p.column)).collect();
        (s.names.names().to_vec(), s.base_len, lines, s.rows.clone())
    };
    let expected = (
        vec!["web".to_string(), "api".into(), "late".into()],
        2,
        vec![(3, 4)],
        vec![0, 1, 1],
    );
    assert_eq!(services(&deploys.services), expected);
    assert_eq!(services(&t.services), expected);
    let deploy_services: Vec<u32> = deploys.rows.iter().map(|r| r.service).collect();
    let change_services: Vec<u32> = t.rows.iter().map(|r| r.service).collect();
    assert_eq!((deploy_services, change_services), (vec![1, 2], vec![1, 2]));
    let bad = changes(b"change_id,service\n", &base, &deploys, &mut d);
    assert_eq!(bad.services.names.names(), ["web", "api"]);
    assert_eq!(bad.services.base_len, 2);
}

#[test]
fn a_repeated_deploy_id_is_an_error_and_links_resolve_to_its_first_row() {
    // 30,000 rows; row 20,000 (line 20,002) names a service first seen there and repeats
    // the id of row 10 (line 12): it is an error, links resolve to row 10, and the service
    // it named is still known (first seen on its line). 29,999 deployments are kept.
    let mut text = String::from("deploy_id,service,environment,status,deployed_at\n");
    for i in 0..30_000 {
        let (id, service) = match i {
            20_000 => ("d10".to_string(), "late"),
            _ => (format!("d{i}"), "api"),
        };
        text.push_str(&format!(
            "{id},{service},production,success,2026-07-01T08:00:00Z\n"
        ));
    }
    let mut d = Diagnostics::new();
    let t = deployments(text.as_bytes(), &Interner::default(), &mut d);
    assert_eq!((t.rows.len(), t.ids.len()), (29_999, 29_999));
    assert_eq!(t.ids.find(b"d10"), Some(10));
    assert_eq!(t.ids.find(b"d20001"), Some(20_000));
    assert_eq!(&t.ids[20_000], "d20001");
    assert_eq!(t.services.names.names(), ["api", "late"]);
    let lines: Vec<u32> = t.services.first_at.iter().map(|p| p.line).collect();
    assert_eq!(lines, vec![2, 20_002]);
    assert!(t.rows.iter().all(|r| r.service == 0));
    let m: Vec<String> = d.sorted().iter().map(|d| d.to_string()).collect();
    assert_eq!(
        m,
        vec![
            "data/deployments.csv:20002:1: error: duplicate deploy_id `d10`; first used on line 12"
        ]
    );
}

#[test]
fn a_large_changes_file_read_in_parts_matches_the_rows() {
    let mut d = Diagnostics::new();
    let deploys = deployments(DEPLOYS.as_bytes(), &Interner::default(), &mut d);
    // 40,000 rows of ~45 bytes (about 1.8 MB, so it is split); row 30,000 (line 30,002)
    // names a service first seen there and repeats the id of row 10 (line 12).
    let mut text = String::from("change_id,service,committed_at,deploy_id\n");
    for i in 0..40_000 {
        let (id, service) = if i == 30_000 {
            ("c10".to_string(), "late")
        } else {
            (format!("c{i}"), "api")
        };
        text.push_str(&format!("{id},{service},2026-07-01T08:00:00Z,d1\n"));
    }
    let t = changes(text.as_bytes(), &Interner::default(), &deploys, &mut d);
    assert_eq!(t.rows.len(), 40_000);
    assert_eq!(t.services.names.names(), ["api", "late"]);
    assert_eq!(
        t.services
            .first_at
            .iter()
            .map(|p| p.line)
            .collect::<Vec<_>>(),
        vec![2, 30_002]
    );
    assert_eq!(t.rows[30_000].service, 1);
    let m: Vec<String> = d.sorted().iter().map(|d| d.to_string()).collect();
    assert_eq!(
        m,
        vec!["data/changes.csv:30002:1: error: duplicate change_id `c10`; first used on line 12"]
    );
}

/// Rows naming the deployment of the row before, or the next one in deployments.csv, skip
/// the lookup (`change_rows`): c2 names c1's d2, c5 c4's d1, and c6 d2, the row after d1. Any
/// other id is looked up, so an unknown one is still an error (line 4, column 29:
/// `c3,api,2026-07-01T09:00:00Z,` is 28 characters) and d1 after it (not the row after d2)
/// resolves to row 0.
#[test]
fn consecutive_rows_of_one_deployment_resolve_alike() {
    let mut d = Diagnostics::new();
    let deploys = deployments(DEPLOYS.as_bytes(), &Interner::default(), &mut d);
    let text = "change_id,service,committed_at,deploy_id\n\
        c1,api,2026-07-01T09:00:00Z,d2\n\
        c2,api,2026-07-01T09:00:00Z,d2\n\
        c3,api,2026-07-01T09:00:00Z,d9\n\
        c4,api,2026-07-01T09:00:00Z,d1\n\
        c5,api,2026-07-01T09:00:00Z,d1\n\
        c6,api,2026-07-01T09:00:00Z,d2\n";
    let t = changes(text.as_bytes(), &Interner::default(), &deploys, &mut d);
    let linked: Vec<Option<u32>> = t.rows.iter().map(|r| r.deploy).collect();
    // d1 is row 0 and d2 row 1 of DEPLOYS.
    assert_eq!(linked, [Some(1), Some(1), Some(0), Some(0), Some(1)]);
    let m = messages(d);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].starts_with("data/changes.csv:4:29: error: deploy_id `d9` does not exist"),
        "{m:?}"
    );
}

/// An environment written like `production` without being it is an error, once per value at
/// its first row with the count: `Production` on lines 2 and 4 (column 8, after `d1,api,`),
/// `prod` on line 3. `staging` and `qa` are other environments, and `producton` (one letter
/// short, within `similar::closest`'s reach) is a near miss too. None of them counts.
#[test]
fn an_environment_written_like_production_is_an_error() {
    let text = "deploy_id,service,environment,status,deployed_at\n\
        d1,api,Production,success,2026-07-01T10:00:00Z\n\
        d2,api,prod,success,2026-07-02T10:00:00Z\n\
        d3,api,Production,success,2026-07-03T10:00:00Z\n\
        d4,api,staging,success,2026-07-04T10:00:00Z\n\
        d5,api,qa,success,2026-07-05T10:00:00Z\n\
        d6,api,producton,success,2026-07-06T10:00:00Z\n\
        d7,api,production,success,2026-07-07T10:00:00Z\n";
    let mut d = Diagnostics::new();
    let t = deployments(text.as_bytes(), &Interner::default(), &mut d);
    let counted: Vec<bool> = t.rows.iter().map(|r| r.production).collect();
    assert_eq!(counted, [false, false, false, false, false, false, true]);
    let tail = "is not `production`, so";
    assert_eq!(
        messages(d),
        [
            format!("data/deployments.csv:2:8: error: environment `Production` (2 rows, the first here) {tail} these deployments count in no figure; write `production`, the one value that counts"),
            format!("data/deployments.csv:3:8: error: environment `prod` {tail} this deployment counts in no figure; write `production`, the one value that counts"),
            format!("data/deployments.csv:7:8: error: environment `producton` {tail} this deployment counts in no figure; write `production`, the one value that counts"),
        ]
    );
}
