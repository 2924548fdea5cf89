//! Delivery tables: parses `data/deployments.csv` and `data/changes.csv` bytes into
//! `Deployment`s (with an id index) and `Change`s, reporting bad rows with line and column.

use std::collections::BTreeMap;

use crate::diag::{Diagnostics, Pos};
use crate::load::csv::{opt, req, Col, Row, Spot, Table};
use crate::load::ids::{refused_row, Ids};
use crate::load::stamps::Stamps;
use crate::model::{Change, DeployStatus, Deployment, IdList, Interner, Latest, Ts};

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
    /// The service the last row named: rows of one service often come together.
    last: Option<u32>,
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
            last: None,
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
    if let Some(id) = services.last {
        if services.names.name(id).as_bytes() == name {
            services.count(id, 1);
            return Some(id);
        }
    }
    let before = services.names.len();
    let id = services.names.intern(&String::from_utf8_lossy(name));
    services.last = Some(id);
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
    /// The ids of rows that were refused (each reported on its row), with the line of the
    /// first: a change naming one is told so, not that the id does not exist.
    pub refused: BTreeMap<String, u32>,
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
    let parts = read_parts(table, &ids, |part, ids, d| deploy_rows(part, base, ids, d));
    let rows = parts.iter().map(|(p, _, _)| p.rows.len()).sum();
    out.rows.reserve_exact(rows);
    out.ids = IdList::with_capacity(rows);
    let mut stamps = Stamps::default();
    stamps.reserve(rows);
    ids.reserve(parts.iter().map(|(_, part_ids, _)| part_ids.len()).sum());
    let mut environments: Vec<Environment> = Vec::new();
    for (p, part_ids, d) in parts {
        for e in p.environments {
            tally(&mut environments, &e.value, e.first, e.rows);
        }
        let map = out.services.absorb(&p.services);
        // An id repeated from an earlier part is reported by `ids`; links resolve to its
        // first row.
        let id_of = |k: usize| &p.id_text[p.id_ends[k] as usize..p.id_ends[k + 1] as usize];
        for ((mut row, stamp), k) in p.rows.iter().copied().zip(&p.stamps).zip(0..) {
            if out.ids.insert(id_of(k)).is_ok() {
                row.service = map[row.service as usize];
                out.rows.push(row);
                stamps.add(stamp.0, stamp.1);
            }
        }
        for (id, line) in p.refused {
            out.refused.entry(id).or_insert(line);
        }
        ids.append(part_ids);
        diags.extend(d);
    }
    for e in environments.iter().filter(|e| near_production(&e.value)) {
        let value = String::from_utf8_lossy(&e.value);
        let message = match e.rows {
            1 => format!("environment `{value}` is not `production`, so this deployment counts in no figure; write `production`, the one value that counts"),
            n => format!("environment `{value}` ({n} rows, the first here) is not `production`, so these deployments count in no figure; write `production`, the one value that counts"),
        };
        diags.error(DEPLOYMENTS, Some(e.first.pos(bytes)), message);
    }
    out.latest = finish(ids, stamps, DEPLOYMENTS, bytes, diags);
    out
}

/// Reports a file's repeated ids and checks its timestamps, side by side (each sorts a row
/// list of the whole file); returns the latest sane timestamp.
fn finish(
    ids: Ids,
    stamps: Stamps,
    path: &'static str,
    bytes: &[u8],
    diags: &mut Diagnostics,
) -> Option<Latest> {
    let mut repeats = Diagnostics::new();
    let mut times = Diagnostics::new();
    let ((), latest) = rayon::join(
        || ids.finish(&mut repeats),
        || stamps.check(path, |s| s.pos(bytes), &mut times),
    );
    diags.extend(repeats);
    diags.extend(times);
    latest
}

/// Reads the parts of one file side by side with `read` (`Table::read_parts`), each with its
/// own ids (of the same column as `ids`) and diagnostics, in file order.
fn read_parts<'a, T: Send>(
    table: Table<'a>,
    ids: &Ids<'a>,
    read: impl Fn(Table<'a>, &mut Ids<'a>, &mut Diagnostics) -> T + Sync,
) -> Vec<(T, Ids<'a>, Diagnostics)> {
    table
        .read_parts(|part, d| {
            let mut part_ids = ids.empty();
            let t = read(part, &mut part_ids, d);
            (t, part_ids)
        })
        .into_iter()
        .map(|((t, part_ids), d)| (t, part_ids, d))
        .collect()
}

/// The deployments of one part of the file, with their own service numbering and each
/// row's time and where it was written.
struct DeployPart {
    rows: Vec<Deployment>,
    /// Each row's id, one after another: row `k`'s is `id_text[id_ends[k]..id_ends[k + 1]]`.
    /// A repeated id is dropped when the parts are joined (and reported by `Ids`).
    id_text: String,
    id_ends: Vec<u32>,
    services: Services,
    stamps: Vec<(Ts, Spot)>,
    /// The id and line of each row refused for a bad field.
    refused: Vec<(String, u32)>,
    /// Each environment other than `production` met, with where it is first and how many
    /// rows have it (a few values: staging, qa, ...).
    environments: Vec<Environment>,
}

/// An environment other than `production`: its value, the field where it is first, and its
/// rows.
struct Environment {
    value: Vec<u8>,
    first: Spot,
    rows: u64,
}

/// Counts `rows` rows of environment `value` in `list`, first met at `first` if it is new
/// there (parts are tallied in file order, so the earliest spot stays).
fn tally(list: &mut Vec<Environment>, value: &[u8], first: Spot, rows: u64) {
    match list.iter_mut().find(|e| e.value == value) {
        Some(e) => e.rows += rows,
        None => list.push(Environment {
            value: value.to_vec(),
            first,
            rows,
        }),
    }
}

/// Whether an environment is written like `production` without being it (`Production`,
/// `prod`, `prodution`): such rows are not counted, which a team would not mean.
fn near_production(value: &[u8]) -> bool {
    let text = String::from_utf8_lossy(value).to_ascii_lowercase();
    matches!(text.as_str(), "production" | "prod" | "prd")
        || crate::diag::similar::closest(&text, ["production"]).is_some()
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
        id_text: String::new(),
        id_ends: Vec::with_capacity(rows + 1),
        services: Services::from_base(base),
        stamps: Vec::with_capacity(rows),
        refused: Vec::new(),
        environments: Vec::new(),
    };
    out.id_ends.push(0);
    let short_or_long = table.for_each_row(diags, |row, diags| {
        let environment = row.raw(2);
        if environment != b"production" && !environment.is_empty() {
            tally(&mut out.environments, environment, row.spot(2), 1);
        }
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
        if environment.is_empty() {
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
            out.id_text.push_str(&String::from_utf8_lossy(row.raw(0)));
            out.id_ends.push(out.id_text.len() as u32);
            out.stamps.push((at, row.spot(4)));
            out.rows.push(Deployment {
                service,
                at,
                status,
                production: environment == b"production",
                rework,
            });
        } else if fresh {
            out.refused.push((row.text(0), row.line));
        }
    });
    out.refused.extend(short_or_long);
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
    let parts = read_parts(table, &ids, |part, ids, d| {
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
    out.latest = finish(ids, std::mem::take(&mut out.stamps), CHANGES, bytes, diags);
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
    // A changes export lists a deployment's changes together, and often the deployments in
    // their file's order: most rows name the deployment of the row before, or the one after
    // it in deployments.csv, found again without a lookup.
    let mut last: Option<u32> = None;
    table.for_each_row(diags, |row, diags| {
        let fresh = ids.add(row, 0, diags);
        let service = service(row, 1, &mut out.services, diags);
        let committed = row.timestamp(2, "committed_at", diags);
        let raw = row.raw(3);
        let names = |d: &u32| deploys.ids.get(*d as usize).map(str::as_bytes) == Some(raw);
        let near = [last, last.map(|d| d + 1)].into_iter().flatten().find(names);
        let deploy = match near {
            Some(d) => Some(Some(d)),
            None => resolve_deploy(row, 3, deploys, diags),
        };
        if let Some(Some(d)) = deploy {
            last = Some(d);
        }
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
            out.stamps.add(committed_at, row.spot(2));
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
            let message = match deploys.refused.get(id.as_ref()) {
                Some(&line) => format!(
                    "deploy_id `{id}` is {}",
                    refused_row("deployment", line, DEPLOYMENTS)
                ),
                None => format!(
                    "deploy_id `{id}` does not exist in {DEPLOYMENTS}; fix the id or add the deployment"
                ),
            };
            row.error_after(diags, DEPLOYMENTS, col, message);
            None
        }
    }
}

#[cfg(test)]
#[path = "delivery_tests.rs"]
mod tests;
