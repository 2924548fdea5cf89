//! Delivery tables: parses `data/deployments.csv` and `data/changes.csv` bytes into
//! `Deployment`s (with an id index) and `Change`s, reporting bad rows with line and column.

use crate::diag::{Diagnostics, Pos};
use crate::load::csv::{opt, req, Col, Row, Table};
use crate::load::ids::Ids;
use crate::load::stamps::Stamps;
use crate::model::{Change, DeployStatus, Deployment, IdList, Interner, Latest, Ts};
use rayon::prelude::*;

pub const DEPLOYMENTS: &str = "data/deployments.csv";
pub const CHANGES: &str = "data/changes.csv";

/// The services a table names: the base ones (from the config) first, then new ones with
/// the line where each first appears.
#[derive(Debug, Default, Clone)]
pub struct Services {
    pub names: Interner,
    pub base_len: usize,
    /// Where each service past `base_len` is first named (its field's line and column).
    pub first_at: Vec<Pos>,
    /// How many rows name each service (by id).
    pub rows: Vec<u32>,
}

impl Services {
    /// Adds another table's services (read later in the same file); returns the map from
    /// its ids to ours.
    pub fn absorb(&mut self, other: &Services) -> Vec<u32> {
        (0..other.names.len() as u32)
            .map(|id| {
                let before = self.names.len();
                let ours = self.names.intern(other.names.name(id));
                if self.names.len() > before {
                    self.first_at
                        .push(other.first_at[id as usize - other.base_len]);
                }
                self.count(ours, other.rows.get(id as usize).copied().unwrap_or(0));
                ours
            })
            .collect()
    }

    pub fn from_base(base: &Interner) -> Self {
        Services {
            names: base.clone(),
            base_len: base.len(),
            first_at: Vec::new(),
            rows: vec![0; base.len()],
        }
    }

    /// Adds `n` rows to a service's count.
    fn count(&mut self, id: u32, n: u32) {
        if self.rows.len() <= id as usize {
            self.rows.resize(id as usize + 1, 0);
        }
        self.rows[id as usize] += n;
    }
}

/// Interns a row's service id, reporting an empty one.
pub fn service(
    row: &Row,
    col: usize,
    services: &mut Services,
    diags: &mut Diagnostics,
) -> Option<u32> {
    let name = row.raw(col);
    if name.is_empty() {
        row.error(
            diags,
            col,
            "`service` is empty; name the service this row belongs to",
        );
        return None;
    }
    let before = services.names.len();
    let id = services.names.intern(&String::from_utf8_lossy(name));
    if services.names.len() > before {
        services.first_at.push(row.pos(col));
    }
    services.count(id, 1);
    Some(id)
}

/// The parsed deployments with an index from deploy id to row.
#[derive(Debug, Default, Clone)]
pub struct DeployTable {
    pub rows: Vec<Deployment>,
    /// Each row's id, found again by its bytes.
    pub ids: IdList,
    pub services: Services,
    pub has_rework: bool,
    /// The latest sane timestamp and its row (`stamps::Stamps::check`).
    pub latest: Option<Latest>,
}

/// The columns of `data/deployments.csv`, in the order the parser indexes them.
/// `commit` (the deployed SHA) is optional and only read by `almanac import git
/// --deploys-from`; the site does not use it.
pub const DEPLOYMENT_COLUMNS: [Col; 7] = [
    req("deploy_id"),
    req("service"),
    req("environment"),
    req("status"),
    req("deployed_at"),
    opt("rework"),
    opt("commit"),
];

pub fn deployments(bytes: &[u8], base: &Interner, diags: &mut Diagnostics) -> DeployTable {
    let mut out = DeployTable {
        services: Services::from_base(base),
        ..DeployTable::default()
    };
    let Some(table) = Table::open(DEPLOYMENTS, bytes, &DEPLOYMENT_COLUMNS, diags) else {
        return out;
    };
    out.has_rework = table.has(5);
    let mut ids = Ids::new(&table, 0, "deploy_id");
    // Read in parts side by side, as `changes.csv` is, then joined in file order.
    let tables = table.split(rayon::current_num_threads());
    let parts = read_parts(tables, &ids, |part, ids, d| deploy_rows(part, base, ids, d));
    let rows = parts.iter().map(|(p, _, _)| p.rows.len()).sum();
    out.rows.reserve_exact(rows);
    out.ids = IdList::with_capacity(rows);
    let mut stamps = Stamps::default();
    stamps.reserve(rows);
    ids.reserve(parts.iter().map(|(_, part_ids, _)| part_ids.len()).sum());
    for (p, part_ids, d) in parts {
        let map = out.services.absorb(&p.services);
        // An id repeated from an earlier part is reported by `ids`; links resolve to its
        // first row.
        for ((mut row, stamp), k) in p.rows.into_iter().zip(p.stamps).zip(0..) {
            if out.ids.insert(&p.ids[k]).is_ok() {
                row.service = map[row.service as usize];
                out.rows.push(row);
                stamps.add(stamp.0, stamp.1);
            }
        }
        ids.append(part_ids);
        diags.extend(d);
    }
    ids.finish(diags);
    out.latest = stamps.check(DEPLOYMENTS, diags);
    out
}

/// Reads the parts of one file side by side with `read`, each with its own ids (of the same
/// column as `ids`) and diagnostics, in file order.
fn read_parts<'a, T: Send>(
    tables: Vec<Table<'a>>,
    ids: &Ids<'a>,
    read: impl Fn(Table<'a>, &mut Ids<'a>, &mut Diagnostics) -> T + Sync,
) -> Vec<(T, Ids<'a>, Diagnostics)> {
    tables
        .into_par_iter()
        .map(|part| {
            let mut d = Diagnostics::new();
            let mut part_ids = ids.empty();
            let t = read(part, &mut part_ids, &mut d);
            (t, part_ids, d)
        })
        .collect()
}

/// The deployments of one part of the file, with their own service numbering and each
/// row's time and where it was written.
struct DeployPart {
    rows: Vec<Deployment>,
    ids: IdList,
    services: Services,
    stamps: Vec<(Ts, Pos)>,
}

fn deploy_rows(
    table: Table,
    base: &Interner,
    ids: &mut Ids,
    diags: &mut Diagnostics,
) -> DeployPart {
    let rows = table.rows_at_most();
    ids.reserve(rows);
    let mut out = DeployPart {
        rows: Vec::with_capacity(rows),
        ids: IdList::with_capacity(rows),
        services: Services::from_base(base),
        stamps: Vec::with_capacity(rows),
    };
    table.for_each_row(diags, |row, diags| {
        let fresh = ids.add(row, 0, diags);
        let service = service(row, 1, &mut out.services, diags);
        let status = match row.raw(3) {
            b"success" => Some(DeployStatus::Success),
            b"rolled_back" => Some(DeployStatus::RolledBack),
            b"failed" => Some(DeployStatus::Failed),
            other => {
                row.error(
                    diags,
                    3,
                    format!(
                        "unknown status `{}`; use success, rolled_back or failed",
                        String::from_utf8_lossy(other)
                    ),
                );
                None
            }
        };
        if row.is_empty(2) {
            row.error(
                diags,
                2,
                "`environment` is empty; write e.g. production or staging",
            );
        }
        let at = row.timestamp(4, "deployed_at", diags);
        let rework = row.opt_bool(5, "rework", diags);
        if let (true, Some(service), Some(status), Some(at), Ok(rework)) =
            (fresh, service, status, at, rework)
        {
            // A repeated id is reported by `ids`; links resolve to its first row.
            if out
                .ids
                .insert(&String::from_utf8_lossy(row.raw(0)))
                .is_err()
            {
                return;
            }
            out.stamps.push((at, row.pos(4)));
            out.rows.push(Deployment {
                service,
                at,
                status,
                production: row.raw(2) == b"production",
                rework,
            });
        }
    });
    out
}

/// Parsed changes, with their local service table.
#[derive(Debug, Default, Clone)]
pub struct ChangeTable {
    pub rows: Vec<Change>,
    pub services: Services,
    /// The latest sane timestamp and its row (`stamps::Stamps::check`).
    pub latest: Option<Latest>,
    /// The timestamps of the rows, checked once the parts are joined.
    pub stamps: Stamps,
}

/// The columns of `data/changes.csv`, in the order the parser indexes them.
pub const CHANGE_COLUMNS: [Col; 4] = [
    req("change_id"),
    req("service"),
    req("committed_at"),
    req("deploy_id"),
];

pub fn changes(
    bytes: &[u8],
    base: &Interner,
    deploys: &DeployTable,
    diags: &mut Diagnostics,
) -> ChangeTable {
    let Some(table) = Table::open(CHANGES, bytes, &CHANGE_COLUMNS, diags) else {
        return ChangeTable {
            services: Services::from_base(base),
            ..ChangeTable::default()
        };
    };
    let mut ids = Ids::new(&table, 0, "change_id");
    // The largest file: its parts are read in parallel, then joined in file order.
    let tables = table.split(rayon::current_num_threads());
    let parts = read_parts(tables, &ids, |part, ids, d| {
        change_rows(part, base, deploys, ids, d)
    });
    let mut out = ChangeTable {
        services: Services::from_base(base),
        ..ChangeTable::default()
    };
    // Joined into room made once: appending into a growing table would copy it again.
    out.rows
        .reserve_exact(parts.iter().map(|(t, _, _)| t.rows.len()).sum());
    out.stamps
        .reserve(parts.iter().map(|(t, _, _)| t.stamps.len()).sum());
    ids.reserve(parts.iter().map(|(_, part_ids, _)| part_ids.len()).sum());
    for (mut t, part_ids, d) in parts {
        let map = out.services.absorb(&t.services);
        t.rows
            .iter_mut()
            .for_each(|r| r.service = map[r.service as usize]);
        out.rows.append(&mut t.rows);
        out.stamps.append(&mut t.stamps);
        ids.append(part_ids);
        diags.extend(d);
    }
    ids.finish(diags);
    out.latest = std::mem::take(&mut out.stamps).check(CHANGES, diags);
    out
}

fn change_rows(
    table: Table,
    base: &Interner,
    deploys: &DeployTable,
    ids: &mut Ids,
    diags: &mut Diagnostics,
) -> ChangeTable {
    let rows = table.rows_at_most();
    ids.reserve(rows);
    let mut out = ChangeTable {
        rows: Vec::with_capacity(rows),
        services: Services::from_base(base),
        ..ChangeTable::default()
    };
    out.stamps.reserve(rows);
    table.for_each_row(diags, |row, diags| {
        let fresh = ids.add(row, 0, diags);
        let service = service(row, 1, &mut out.services, diags);
        let committed = row.timestamp(2, "committed_at", diags);
        let deploy = resolve_deploy(row, 3, deploys, diags);
        if let (Some(Some(d)), Some(c)) = (deploy, committed) {
            let dep = &deploys.rows[d as usize];
            if c > dep.at {
                row.error(
                    diags,
                    2,
                    format!(
                        "committed_at is after its deployment `{}` ({}); a change must be committed before it ships",
                        &deploys.ids[d as usize],
                        crate::load::time::format_utc(dep.at)
                    ),
                );
                return;
            }
        }
        if let (true, Some(service), Some(committed_at), Some(deploy)) = (fresh, service, committed, deploy) {
            out.stamps.add(committed_at, row.pos(2));
            out.rows.push(Change {
                service,
                committed_at,
                deploy,
            });
        }
    });
    out
}

/// Looks up a deploy id column: `Some(None)` when empty, `None` (reported) when unknown.
pub fn resolve_deploy(
    row: &Row,
    col: usize,
    deploys: &DeployTable,
    diags: &mut Diagnostics,
) -> Option<Option<u32>> {
    let raw = row.raw(col);
    if raw.is_empty() {
        return Some(None);
    }
    match deploys.ids.find(raw) {
        Some(i) => Some(Some(i)),
        None => {
            let id = String::from_utf8_lossy(raw);
            row.error_after(
                diags,
                DEPLOYMENTS,
                col,
                format!("deploy_id `{id}` does not exist in {DEPLOYMENTS}; fix the id or add the deployment"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
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
            m[1].starts_with(
                "data/changes.csv:5:8: error: committed_at is after its deployment `d1`"
            ),
            "{}",
            m[1]
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
            vec![
                "data/changes.csv:30002:1: error: duplicate change_id `c10`; first used on line 12"
            ]
        );
    }
}
