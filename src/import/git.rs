//! `import git`: deployments from a repository's release tags (or from
//! `data/deployments.csv` rows with a `commit`), and the changes each one shipped: every
//! non-merge commit reachable from a deployment and from no earlier deployment of the
//! service (earlier by `deployed_at`). Reads the text git prints for `TAG_FORMAT`,
//! `LOG_FORMAT` and `git cat-file --batch-check`; running git is the CLI's job.

use super::{glob, Planned, Record};
use crate::diag::{Diagnostics, Pos};
use crate::load::csv::Table;
use crate::load::delivery::{CHANGES, CHANGE_COLUMNS, DEPLOYMENT_COLUMNS};
use crate::load::time::parse_timestamp;
use crate::model::Ts;
use rustc_hash::FxHashMap;

/// `git for-each-ref --format` for tags: name, type, object, peeled type and object, and
/// the creator date (an annotated tag's tagger date, a lightweight tag's commit's committer
/// date), NUL-separated.
pub const TAG_FORMAT: &str = "%(refname:strip=2)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)%00%(creatordate:iso-strict)";

/// `git log --format`: the commit, its parents and its committer date with its offset.
pub const LOG_FORMAT: &str = "%H%x00%P%x00%cI";

/// One deployment whose changes are looked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Deploy {
    pub id: String,
    /// The deployed commit: a full SHA once resolved.
    pub commit: String,
    /// `deployed_at` as the source wrote it.
    pub at: String,
    pub ts: Ts,
    /// Where the commit is written (a `deployments.csv` row), for errors.
    pub pos: Option<Pos>,
}

/// The tags matching `pattern` that name a commit, as deployments. A tag of a tree or a
/// blob is left out with a note.
pub fn tags(text: &str, pattern: &str, notes: &mut Vec<String>) -> Vec<Deploy> {
    let mut out = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\0').collect();
        let [name, kind, object, peeled_kind, peeled, date] = f[..] else {
            continue;
        };
        if !glob(pattern, name) {
            continue;
        }
        let commit = match (kind, peeled_kind) {
            ("commit", _) => object,
            ("tag", "commit") => peeled,
            _ => {
                notes.push(format!(
                    "tag `{name}` names a {} and not a commit; it is not a deployment",
                    if kind == "tag" { peeled_kind } else { kind }
                ));
                continue;
            }
        };
        let Some(ts) = parse_timestamp(date) else {
            notes.push(format!(
                "tag `{name}` has no readable date (`{date}`); it is not a deployment"
            ));
            continue;
        };
        out.push(Deploy {
            id: name.to_string(),
            commit: commit.to_string(),
            at: date.to_string(),
            ts,
            pos: None,
        });
    }
    out
}

/// The commit graph git printed with `LOG_FORMAT`.
#[derive(Debug, Default)]
pub struct Graph {
    index: FxHashMap<String, u32>,
    shas: Vec<String>,
    parents: Vec<Vec<u32>>,
    merge: Vec<bool>,
    at: Vec<String>,
    ts: Vec<Ts>,
}

impl Graph {
    /// Reads `LOG_FORMAT` lines. A parent git did not print (a shallow clone's edge) is
    /// left out.
    pub fn parse(text: &str) -> Graph {
        let mut g = Graph::default();
        let mut raw_parents: Vec<&str> = Vec::new();
        for line in text.lines() {
            let mut f = line.split('\0');
            let (Some(sha), Some(parents), Some(at)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            g.index.insert(sha.to_string(), g.shas.len() as u32);
            g.shas.push(sha.to_string());
            raw_parents.push(parents);
            g.merge
                .push(parents.split(' ').filter(|p| !p.is_empty()).count() > 1);
            g.at.push(at.to_string());
            g.ts.push(parse_timestamp(at).unwrap_or(0));
        }
        g.parents = raw_parents
            .iter()
            .map(|p| {
                p.split(' ')
                    .filter_map(|s| g.index.get(s).copied())
                    .collect()
            })
            .collect();
        g
    }

    pub fn len(&self) -> usize {
        self.shas.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shas.is_empty()
    }
}

/// What `plan` found: the rows to append and what the user should hear about.
pub struct Plan {
    /// `data/deployments.csv` rows (for tags; `None` with `--deploys-from`).
    pub deployments: Option<Planned>,
    pub changes: Planned,
    pub notes: Vec<String>,
}

/// The deployments at or after `since` (all when `None`) and the changes each shipped.
/// Every deployment counts for reachability, so a change shipped before `since` is never
/// given to a later deployment. A commit dated after its deployment (a clock skew or a
/// rebase) is left out with a note, since the contract refuses it.
pub fn plan(
    mut deploys: Vec<Deploy>,
    graph: &Graph,
    service: &str,
    since: Option<Ts>,
    write_deployments: bool,
) -> Plan {
    deploys.sort_by(|a, b| (a.ts, &a.id).cmp(&(b.ts, &b.id)));
    let mut owner: Vec<Option<u32>> = vec![None; graph.len()];
    let mut changes: Vec<Record> = Vec::new();
    let (mut late, mut first_late) = (0usize, None);
    let mut stack: Vec<u32> = Vec::new();
    for (d, dep) in deploys.iter().enumerate() {
        let Some(&start) = graph.index.get(&dep.commit) else {
            continue;
        };
        let mut mine: Vec<u32> = Vec::new();
        stack.push(start);
        while let Some(c) = stack.pop() {
            if owner[c as usize].is_some() {
                continue;
            }
            owner[c as usize] = Some(d as u32);
            if !graph.merge[c as usize] {
                mine.push(c);
            }
            stack.extend(graph.parents[c as usize].iter().copied());
        }
        if since.is_some_and(|s| dep.ts < s) {
            continue;
        }
        mine.sort_by(|&a, &b| {
            (graph.ts[a as usize], &graph.shas[a as usize])
                .cmp(&(graph.ts[b as usize], &graph.shas[b as usize]))
        });
        for c in mine {
            let c = c as usize;
            if graph.ts[c] > dep.ts {
                late += 1;
                first_late.get_or_insert_with(|| {
                    (
                        graph.shas[c].clone(),
                        graph.at[c].clone(),
                        dep.id.clone(),
                        dep.at.clone(),
                    )
                });
                continue;
            }
            changes.push(vec![
                ("change_id", graph.shas[c].clone()),
                ("service", service.to_string()),
                ("committed_at", graph.at[c].clone()),
                ("deploy_id", dep.id.clone()),
            ]);
        }
    }
    let mut notes = Vec::new();
    if let Some((sha, at, id, dep_at)) = first_late {
        notes.push(format!(
            "{late} commit{} dated after the deployment that shipped {} left out (first: {sha} committed {at}, deployed by `{id}` at {dep_at}); changes.csv refuses a change committed after its deployment",
            if late == 1 { "" } else { "s" },
            if late == 1 { "it was" } else { "them were" },
        ));
    }
    let deployments = write_deployments.then(|| {
        super::deployments::planned(
            deploys
                .iter()
                .filter(|d| since.is_none_or(|s| d.ts >= s))
                .map(|d| {
                    vec![
                        ("deploy_id", d.id.clone()),
                        ("service", service.to_string()),
                        ("environment", "production".to_string()),
                        ("status", "success".to_string()),
                        ("deployed_at", d.at.clone()),
                        ("commit", d.commit.clone()),
                    ]
                })
                .collect(),
        )
    });
    Plan {
        deployments,
        changes: Planned {
            path: CHANGES,
            columns: &CHANGE_COLUMNS,
            header: &["change_id", "service", "committed_at", "deploy_id"],
            key: &["change_id"],
            records: changes,
        },
        notes,
    }
}

/// The index of `commit` in `DEPLOYMENT_COLUMNS`.
const COMMIT: usize = 6;

/// The production deployments of `service` in a `deployments.csv` that reached production
/// (`success` or `rolled_back`) and name a `commit`; how many others of the service have
/// no commit is counted in a note. Bad timestamps are errors at their position.
pub fn deployed(
    path: &str,
    bytes: &[u8],
    service: &str,
    notes: &mut Vec<String>,
    diags: &mut Diagnostics,
) -> Vec<Deploy> {
    let Some(table) = Table::open(path, bytes, &DEPLOYMENT_COLUMNS, diags) else {
        return Vec::new();
    };
    if !table.has(COMMIT) {
        diags.file_error(
            path,
            Some(Pos { line: 1, column: 1 }),
            "missing column `commit`; --deploys-from needs the deployed commit of each deployment (add a `commit` column with its SHA)",
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut bare = 0;
    table.for_each_row(diags, |row, diags| {
        let shipped = matches!(row.raw(3), b"success" | b"rolled_back");
        if row.raw(1) != service.as_bytes() || row.raw(2) != b"production" || !shipped {
            return;
        }
        let Some(ts) = row.timestamp(4, "deployed_at", diags) else {
            return;
        };
        if row.is_empty(COMMIT) {
            bare += 1;
            return;
        }
        out.push(Deploy {
            id: row.text(0),
            commit: row.text(COMMIT),
            at: row.text(4),
            ts,
            pos: Some(row.pos(COMMIT)),
        });
    });
    if bare > 0 {
        notes.push(format!(
            "{bare} production deployment{} of `{service}` in {path} ha{} no commit; {} changes are not looked for",
            if bare == 1 { "" } else { "s" },
            if bare == 1 { "s" } else { "ve" },
            if bare == 1 { "its" } else { "their" },
        ));
    }
    out
}

/// The `git cat-file --batch-check` input that resolves every deployment's commit.
pub fn batch_query(deploys: &[Deploy]) -> String {
    deploys
        .iter()
        .map(|d| format!("{}^{{commit}}\n", d.commit))
        .collect()
}

/// Replaces each deployment's commit by the full SHA git answered (one line per query:
/// `<sha> commit`, or `<query> missing`); an unknown commit is an error at its field.
pub fn resolve(
    deploys: &mut Vec<Deploy>,
    answers: &str,
    path: &str,
    repo: &str,
    diags: &mut Diagnostics,
) {
    let mut lines = answers.lines();
    deploys.retain_mut(|d| {
        let answer = lines.next().unwrap_or("");
        match answer.split_once(' ') {
            Some((sha, "commit")) => {
                d.commit = sha.to_string();
                true
            }
            _ => {
                diags.error(
                    path,
                    d.pos,
                    format!(
                        "commit `{}` of deployment `{}` is not in {repo}; fetch it (git fetch --tags) or fix the SHA",
                        d.commit, d.id
                    ),
                );
                false
            }
        }
    });
}

/// `--since DATE` as the first second of that day in UTC.
pub fn since(date: chrono::NaiveDate) -> Ts {
    date.and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::rows;

    /// A history with a merge, by hand: a1 <- a2 <- m (merge of a2 and b1, b1 <- a1) <- a3.
    /// Committer dates one hour apart from 2026-07-01T08:00:00Z, b1 at 08:30.
    const LOG: &str = "a3\0m\x002026-07-01T12:00:00Z\n\
        m\0a2 b1\x002026-07-01T11:00:00+02:00\n\
        b1\0a1\x002026-07-01T08:30:00Z\n\
        a2\0a1\x002026-07-01T09:00:00Z\n\
        a1\0\x002026-07-01T08:00:00Z\n";

    fn dep(id: &str, commit: &str, at: &str) -> Deploy {
        Deploy {
            id: id.into(),
            commit: commit.into(),
            at: at.into(),
            ts: parse_timestamp(at).unwrap(),
            pos: None,
        }
    }

    #[test]
    fn tags_pick_the_glob_and_the_right_date() {
        let text = "v1.0\0tag\0t1\0commit\0a2\x002026-07-01T10:00:00+02:00\n\
            v1.1\0commit\0a3\0\0\x002026-07-01T12:00:00Z\n\
            nightly\0commit\0a3\0\0\x002026-07-01T12:00:00Z\n\
            v-tree\0tag\0t2\0tree\0x\x002026-07-01T12:00:00Z\n";
        let mut notes = Vec::new();
        let t = tags(text, "v*", &mut notes);
        assert_eq!(
            t,
            vec![
                dep("v1.0", "a2", "2026-07-01T10:00:00+02:00"),
                dep("v1.1", "a3", "2026-07-01T12:00:00Z"),
            ]
        );
        assert_eq!(
            notes,
            ["tag `v-tree` names a tree and not a commit; it is not a deployment"]
        );
    }

    #[test]
    fn each_commit_goes_to_the_first_deployment_that_reaches_it() {
        let g = Graph::parse(LOG);
        // v1 at a2 (09:30Z) gets a1 and a2; v2 at a3 gets b1 and a3 (not the merge m, 09:00Z).
        // Listed in the order given, v2 first, to show they are sorted by deployed_at.
        let p = plan(
            vec![
                dep("v2", "a3", "2026-07-01T12:30:00Z"),
                dep("v1", "a2", "2026-07-01T09:30:00Z"),
            ],
            &g,
            "api",
            None,
            true,
        );
        assert_eq!(
            rows(&p.changes),
            [
                "a1,api,2026-07-01T08:00:00Z,v1",
                "a2,api,2026-07-01T09:00:00Z,v1",
                "b1,api,2026-07-01T08:30:00Z,v2",
                "a3,api,2026-07-01T12:00:00Z,v2",
            ]
        );
        assert_eq!(
            rows(p.deployments.as_ref().unwrap()),
            [
                "v1,api,production,success,2026-07-01T09:30:00Z,a2",
                "v2,api,production,success,2026-07-01T12:30:00Z,a3",
            ]
        );
        assert!(p.notes.is_empty());
    }

    #[test]
    fn since_writes_later_deployments_only_and_late_commits_are_noted() {
        let g = Graph::parse(LOG);
        // v2 at 11:30Z: a3 (12:00Z) is after it and left out; v1's commits stay v1's even
        // though v1 is before --since and not written.
        let p = plan(
            vec![
                dep("v1", "a2", "2026-07-01T09:30:00Z"),
                dep("v2", "a3", "2026-07-01T11:30:00Z"),
            ],
            &g,
            "api",
            parse_timestamp("2026-07-01T10:00:00Z"),
            true,
        );
        assert_eq!(rows(&p.changes), ["b1,api,2026-07-01T08:30:00Z,v2"]);
        assert_eq!(p.deployments.unwrap().records.len(), 1);
        assert_eq!(p.notes.len(), 1);
        assert!(p.notes[0].starts_with("1 commit dated after the deployment that shipped it was left out (first: a3 committed 2026-07-01T12:00:00Z, deployed by `v2`"), "{}", p.notes[0]);
    }

    #[test]
    fn deploys_from_reads_production_rows_with_a_commit() {
        let csv = "deploy_id,service,environment,status,deployed_at,commit\n\
            d1,api,production,success,2026-07-01T09:30:00Z,a2\n\
            d2,api,staging,success,2026-07-01T10:00:00Z,a3\n\
            d3,api,production,failed,2026-07-01T10:00:00Z,a3\n\
            d4,web,production,success,2026-07-01T10:00:00Z,a3\n\
            d5,api,production,success,2026-07-01T11:00:00Z,\n\
            d6,api,production,rolled_back,2026-07-01T12:30:00Z,a3\n";
        let (mut notes, mut d) = (Vec::new(), Diagnostics::new());
        let mut deploys = deployed(
            "data/deployments.csv",
            csv.as_bytes(),
            "api",
            &mut notes,
            &mut d,
        );
        assert_eq!(
            deploys.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
            ["d1", "d6"]
        );
        assert_eq!(notes, ["1 production deployment of `api` in data/deployments.csv has no commit; its changes are not looked for"]);
        assert_eq!(batch_query(&deploys), "a2^{commit}\na3^{commit}\n");
        // git answers the second as missing: an error at row 7, column 49 (`commit`).
        resolve(
            &mut deploys,
            "a2full commit\na3^{commit} missing\n",
            "data/deployments.csv",
            "repo",
            &mut d,
        );
        assert_eq!(deploys.len(), 1);
        assert_eq!(deploys[0].commit, "a2full");
        let m: Vec<String> = d.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(m, ["data/deployments.csv:7:52: error: commit `a3` of deployment `d6` is not in repo; fetch it (git fetch --tags) or fix the SHA"]);
    }

    #[test]
    fn deploys_from_needs_the_commit_column() {
        let (mut notes, mut d) = (Vec::new(), Diagnostics::new());
        let csv = "deploy_id,service,environment,status,deployed_at\n";
        assert!(deployed(
            "data/deployments.csv",
            csv.as_bytes(),
            "api",
            &mut notes,
            &mut d
        )
        .is_empty());
        assert!(d.sorted()[0].message.starts_with("missing column `commit`"));
    }
}
