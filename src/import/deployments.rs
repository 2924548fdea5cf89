//! `import deployments --format github`: a JSON array of GitHub deployments (as listed by
//! `GET /repos/{owner}/{repo}/deployments`), each with a `statuses` array (as listed by
//! `GET .../deployments/{id}/statuses`), becomes `data/deployments.csv` rows. The newest
//! status that is not `inactive` decides: `success` is success, `failure` and `error` are
//! failed, `pending`, `queued` and `in_progress` are skipped with a note (still running);
//! `inactive` (GitHub's mark on an older deployment once a newer one succeeds) is never a
//! failure. `deployed_at` is the deciding status's `created_at`.

use super::{Planned, Record};
use crate::diag::{Diagnostics, Pos};
use crate::load::delivery::{DEPLOYMENTS, DEPLOYMENT_COLUMNS};
use crate::load::time::{parse_timestamp, timestamp_hint};
use serde_json::Value;
use std::collections::HashMap;

/// What a deployment's statuses say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A contract status (`success`, `failed`) and the index of the deciding status.
    Final(&'static str, usize),
    /// Not written: why, for a note.
    Skip(&'static str),
}

/// The outcome of one deployment's statuses, each `(state, created_at instant)`. The
/// newest status (by `created_at`, then by its place in the list: GitHub lists the newest
/// first) that is not `inactive` decides. `Err` names an unknown state's index.
pub fn outcome(statuses: &[(&str, i64)]) -> Result<Outcome, usize> {
    let mut order: Vec<usize> = (0..statuses.len()).collect();
    // Newest first; equal instants keep the list's order (newest first already).
    order.sort_by_key(|&i| std::cmp::Reverse(statuses[i].1));
    for i in order {
        match statuses[i].0 {
            "inactive" => continue,
            "success" => return Ok(Outcome::Final("success", i)),
            "failure" | "error" => return Ok(Outcome::Final("failed", i)),
            "pending" | "queued" | "in_progress" => return Ok(Outcome::Skip("still running")),
            _ => return Err(i),
        }
    }
    Ok(Outcome::Skip(if statuses.is_empty() {
        "no status"
    } else {
        "only inactive statuses"
    }))
}

/// The rows of a saved deployments JSON for `service`; skipped deployments are counted in
/// `notes`, bad ones reported at their position.
pub fn plan(
    path: &str,
    bytes: &[u8],
    service: &str,
    notes: &mut Vec<String>,
    diags: &mut Diagnostics,
) -> Planned {
    let mut planned = planned(Vec::new());
    let v: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            let pos = Pos {
                line: e.line() as u32,
                column: e.column() as u32,
            };
            diags.file_error(path, Some(pos), format!("not JSON: {e}; {SAVE}"));
            return planned;
        }
    };
    let Some(list) = v.as_array() else {
        diags.file_error(
            path,
            Some(Pos { line: 1, column: 1 }),
            format!("the file is not a JSON array of deployments; {SAVE}"),
        );
        return planned;
    };
    let spots = positions(bytes);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut skipped: Vec<(String, &str)> = Vec::new();
    for (i, d) in list.iter().enumerate() {
        let (at, status_at) = spots.get(i).cloned().unwrap_or_default();
        let mut err = |message: String| diags.error(path, Some(at), message);
        let id = match &d["id"] {
            Value::Number(n) => n.to_string(),
            Value::String(s) if !s.trim().is_empty() => s.trim().to_string(),
            _ => {
                err(format!("deployment {} has no `id`; {SAVE}", i + 1));
                continue;
            }
        };
        if let Some(first) = seen.insert(id.clone(), i + 1) {
            err(format!(
                "deployment {id} is listed twice (first as deployment {first}); save each page once"
            ));
            continue;
        }
        let environment = d["environment"].as_str().unwrap_or("").trim().to_string();
        if environment.is_empty() {
            err(format!("deployment {id} has no `environment`; {SAVE}"));
        }
        let Some(statuses) = d["statuses"].as_array() else {
            err(format!(
                "deployment {id} has no `statuses` array; add the list of GET /repos/OWNER/REPO/deployments/{id}/statuses as `statuses`"
            ));
            continue;
        };
        let mut read = Vec::new();
        for (j, s) in statuses.iter().enumerate() {
            let pos = status_at.get(j).copied().unwrap_or(at);
            let state = s["state"].as_str().unwrap_or("");
            let created = s["created_at"].as_str().unwrap_or("");
            match parse_timestamp(created) {
                Some(t) => read.push((state, t, created)),
                None => diags.error(
                    path,
                    Some(pos),
                    format!(
                        "status created_at of deployment {id}: {}",
                        timestamp_hint(created)
                    ),
                ),
            }
        }
        if read.len() < statuses.len() {
            continue;
        }
        let pairs: Vec<(&str, i64)> = read.iter().map(|(s, t, _)| (*s, *t)).collect();
        match outcome(&pairs) {
            Err(j) => diags.error(
                path,
                Some(status_at.get(j).copied().unwrap_or(at)),
                format!(
                    "unknown state `{}` of deployment {id}; GitHub's states are error, failure, inactive, in_progress, queued, pending and success",
                    pairs[j].0
                ),
            ),
            Ok(Outcome::Skip(why)) => skipped.push((id, why)),
            Ok(Outcome::Final(status, j)) if !environment.is_empty() => {
                planned.records.push(vec![
                    ("deploy_id", id),
                    ("service", service.to_string()),
                    ("environment", environment),
                    ("status", status.to_string()),
                    ("deployed_at", read[j].2.trim().to_string()),
                    ("commit", d["sha"].as_str().unwrap_or("").to_string()),
                ]);
            }
            Ok(Outcome::Final(..)) => {}
        }
    }
    if !skipped.is_empty() {
        let list: Vec<String> = skipped
            .iter()
            .map(|(id, why)| format!("{id} ({why})"))
            .collect();
        notes.push(format!(
            "{path}: {} deployment{} not written, having no final status: {}; import again once they finish",
            skipped.len(),
            if skipped.len() == 1 { "" } else { "s" },
            list.join(", ")
        ));
    }
    planned
}

/// The plan of `data/deployments.csv` rows (a new file's header has `commit`), keyed by
/// `deploy_id`; shared with `import git --tags`.
pub fn planned(records: Vec<Record>) -> Planned {
    Planned {
        path: DEPLOYMENTS,
        columns: &DEPLOYMENT_COLUMNS,
        header: &[
            "deploy_id",
            "service",
            "environment",
            "status",
            "deployed_at",
            "commit",
        ],
        key: &["deploy_id"],
        records,
    }
}

/// How to save the file, for messages.
const SAVE: &str = "save a JSON array of GET /repos/OWNER/REPO/deployments, each with its `statuses` (see the README)";

/// The position of each deployment object (the elements of the top-level array) and of
/// each object of its `statuses` array, in document order.
fn positions(bytes: &[u8]) -> Vec<(Pos, Vec<Pos>)> {
    // Each open container: is it an object, and the key it is the value of.
    let mut stack: Vec<(bool, String)> = Vec::new();
    let mut out: Vec<(Pos, Vec<Pos>)> = Vec::new();
    let (mut line, mut column) = (1u32, 1u32);
    let (mut in_string, mut escape, mut start) = (false, false, 0usize);
    let (mut last_string, mut key) = (String::new(), String::new());
    for (i, &b) in bytes.iter().enumerate() {
        let pos = Pos { line, column };
        if b == b'\n' {
            line += 1;
            column = 1;
        } else if b & 0xC0 != 0x80 {
            column += 1;
        }
        if in_string {
            match b {
                _ if escape => escape = false,
                b'\\' => escape = true,
                b'"' => {
                    in_string = false;
                    last_string = String::from_utf8_lossy(&bytes[start..i]).into_owned();
                }
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                start = i + 1;
            }
            b':' => key = std::mem::take(&mut last_string),
            b',' => key.clear(),
            b'{' | b'[' => {
                let object = b == b'{';
                let depth = stack.len();
                if object && depth == 1 {
                    out.push((pos, Vec::new()));
                } else if object && depth == 3 && stack[2].1 == "statuses" && stack[1].0 {
                    if let Some(d) = out.last_mut() {
                        d.1.push(pos);
                    }
                }
                stack.push((object, std::mem::take(&mut key)));
            }
            b'}' | b']' => {
                stack.pop();
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::rows;

    fn run(text: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
        let (mut notes, mut d) = (Vec::new(), Diagnostics::new());
        let p = plan("d.json", text.as_bytes(), "api", &mut notes, &mut d);
        let m = d.sorted().iter().map(|d| d.to_string()).collect();
        (rows(&p), notes, m)
    }

    #[test]
    fn the_newest_status_that_is_not_inactive_decides() {
        // Times are instants; GitHub lists newest first, the order here is mixed on purpose.
        let s = |v: &[(&'static str, i64)]| outcome(v);
        assert_eq!(
            s(&[("success", 20), ("in_progress", 10)]),
            Ok(Outcome::Final("success", 0))
        );
        // Inactive after a success: the success stands.
        assert_eq!(
            s(&[("in_progress", 10), ("inactive", 30), ("success", 20)]),
            Ok(Outcome::Final("success", 2))
        );
        assert_eq!(
            s(&[("error", 20), ("pending", 10)]),
            Ok(Outcome::Final("failed", 0))
        );
        // A retry still running after a failure is not final yet.
        assert_eq!(
            s(&[("failure", 10), ("queued", 20)]),
            Ok(Outcome::Skip("still running"))
        );
        assert_eq!(s(&[]), Ok(Outcome::Skip("no status")));
        assert_eq!(
            s(&[("inactive", 10)]),
            Ok(Outcome::Skip("only inactive statuses"))
        );
        assert_eq!(s(&[("success", 10), ("done", 20)]), Err(1));
    }

    #[test]
    fn deployments_become_rows_and_unfinished_ones_a_note() {
        let text = r#"[
  {"id": 3, "sha": "c3", "ref": "main", "environment": "production", "created_at": "2026-07-03T09:00:00Z",
   "statuses": [{"state": "in_progress", "created_at": "2026-07-03T09:01:00Z"}]},
  {"id": 2, "sha": "c2", "ref": "main", "environment": "production", "created_at": "2026-07-02T09:00:00Z",
   "statuses": [{"state": "inactive", "created_at": "2026-07-03T09:05:00Z"},
                {"state": "success", "created_at": "2026-07-02T09:04:00+02:00"}]},
  {"id": 1, "sha": "c1", "ref": "v1", "environment": "staging", "created_at": "2026-07-01T09:00:00Z",
   "statuses": [{"state": "failure", "created_at": "2026-07-01T09:03:00Z"}]}
]"#;
        let (rows, notes, m) = run(text);
        assert!(m.is_empty(), "{m:?}");
        // 2: the inactive (newer) is passed over, the success decides, at its own created_at.
        assert_eq!(
            rows,
            [
                "2,api,production,success,2026-07-02T09:04:00+02:00,c2",
                "1,api,staging,failed,2026-07-01T09:03:00Z,c1",
            ]
        );
        assert_eq!(notes, ["d.json: 1 deployment not written, having no final status: 3 (still running); import again once they finish"]);
    }

    #[test]
    fn bad_deployments_are_errors_at_their_objects() {
        let text = "[\n {\"id\": 1, \"environment\": \"production\", \"statuses\": [\n   {\"state\": \"done\", \"created_at\": \"2026-07-01T09:00:00Z\"},\n   {\"state\": \"success\", \"created_at\": \"2026-07-01\"}]},\n {\"id\": 1, \"statuses\": []},\n {\"environment\": \"production\"}\n]";
        let (rows, _, m) = run(text);
        assert!(rows.is_empty());
        // Line 3 column 4 opens the first status, line 4 column 4 the second; each
        // deployment object opens at column 2 of its line.
        assert_eq!(m, [
            "d.json:4:4: error: status created_at of deployment 1: `2026-07-01` is not an RFC 3339 timestamp; write e.g. `2026-07-01T10:00:00Z`",
            "d.json:5:2: error: deployment 1 is listed twice (first as deployment 1); save each page once",
            "d.json:6:2: error: deployment 3 has no `id`; save a JSON array of GET /repos/OWNER/REPO/deployments, each with its `statuses` (see the README)",
        ]);
        let (_, _, m) = run("{\"id\": 1}");
        assert_eq!(m, ["d.json:1:1: error: the file is not a JSON array of deployments; save a JSON array of GET /repos/OWNER/REPO/deployments, each with its `statuses` (see the README)"]);
    }
}
