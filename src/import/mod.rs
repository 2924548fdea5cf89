//! Importers: turn a source (git's output, a Prometheus range query, an incident tool's CSV
//! export, GitHub's deployments JSON) and the contract rows already in `data/` into the
//! rows to append. Pure and deterministic: the CLI layer (`cli/import.rs`) reads the
//! sources, runs git and appends. Existing rows are never rewritten; a row whose key is
//! already in the file is skipped, so running an import twice adds nothing.

pub mod git;
pub mod incidents;
pub mod prometheus;

use crate::diag::Diagnostics;
use crate::load::csv::{Col, Table};
use crate::load::time::parse_timestamp;
use std::collections::HashSet;

/// One row to append: contract column name and value.
pub type Record = Vec<(&'static str, String)>;

/// What an importer wants appended to one contract file.
#[derive(Clone)]
pub struct Planned {
    /// The contract file, e.g. `data/changes.csv`.
    pub path: &'static str,
    /// The registry's columns of that file (checked against an existing header).
    pub columns: &'static [Col],
    /// The header of a new file.
    pub header: &'static [&'static str],
    /// The columns that identify a row: a record whose key is already in the file is
    /// skipped. Timestamps are compared as instants.
    pub key: &'static [&'static str],
    pub records: Vec<Record>,
}

/// The text to append to one file and what it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Append {
    pub path: &'static str,
    /// The bytes to add at the end of the file (with the header when the file is new).
    pub text: String,
    pub added: usize,
    pub skipped: usize,
    /// Things the user should know (a value the file has no column for).
    pub notes: Vec<String>,
}

/// Plans the append of `planned` to the file whose current bytes are `existing` (`None`
/// when it does not exist). An existing header lacking a contract column is reported like
/// `check` does and gives `None`.
pub fn plan_append(
    existing: Option<&[u8]>,
    planned: &Planned,
    diags: &mut Diagnostics,
) -> Option<Append> {
    let existing = existing.filter(|b| !b.iter().all(u8::is_ascii_whitespace));
    let (header, mut seen, mut text) = match existing {
        None => (
            planned.header.iter().map(|s| s.to_string()).collect(),
            HashSet::new(),
            line(planned.header.iter().copied()),
        ),
        Some(bytes) => {
            let (header, seen) = existing_keys(bytes, planned, diags)?;
            let sep = if bytes.ends_with(b"\n") { "" } else { "\n" };
            (header, seen, sep.to_string())
        }
    };
    let (mut added, mut skipped) = (0, 0);
    let mut dropped: Vec<&str> = Vec::new();
    for record in &planned.records {
        let value = |name: &str| record.iter().find(|(n, _)| *n == name).map(|(_, v)| v);
        let key: Vec<String> = planned
            .key
            .iter()
            .map(|k| normal(value(k).map_or("", String::as_str)))
            .collect();
        if !seen.insert(key) {
            skipped += 1;
            continue;
        }
        for (name, v) in record {
            if !v.is_empty() && !header.iter().any(|h| h == name) && !dropped.contains(name) {
                dropped.push(name);
            }
        }
        text.push_str(&line(
            header.iter().map(|h| value(h).map_or("", String::as_str)),
        ));
        added += 1;
    }
    if added == 0 {
        text.clear();
    }
    let notes = dropped
        .iter()
        .map(|c| {
            format!(
                "{} has no `{c}` column, so the imported rows' {c} values are not written; add the column to its header to keep them",
                planned.path
            )
        })
        .collect();
    Some(Append {
        path: planned.path,
        text,
        added,
        skipped,
        notes,
    })
}

/// The header and the keys of the rows already in a file.
fn existing_keys(
    bytes: &[u8],
    planned: &Planned,
    diags: &mut Diagnostics,
) -> Option<(Vec<String>, HashSet<Vec<String>>)> {
    let table = Table::open(planned.path, bytes, planned.columns, diags)?;
    let header: Vec<String> = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes)
        .headers()
        .map(|h| {
            h.iter()
                .map(|s| s.trim().trim_start_matches('\u{feff}').to_string())
                .collect()
        })
        .unwrap_or_default();
    let idx: Vec<usize> = planned
        .key
        .iter()
        .map(|k| planned.columns.iter().position(|c| c.name == *k))
        .collect::<Option<_>>()?;
    let mut seen = HashSet::new();
    table.for_each_row(diags, |row, _| {
        seen.insert(idx.iter().map(|&i| normal(&row.text(i))).collect());
    });
    Some((header, seen))
}

/// A key field as compared: a timestamp as its instant, anything else as written.
fn normal(v: &str) -> String {
    parse_timestamp(v).map_or_else(|| v.trim().to_string(), |t| t.to_string())
}

/// One CSV line, quoted where needed.
fn line<'a>(fields: impl Iterator<Item = &'a str>) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let fields: Vec<&str> = fields.collect();
    // Writing into a Vec cannot fail.
    let _ = w.write_record(&fields);
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Whether `name` matches a shell-style glob: `*` any run of characters, `?` one.
pub fn glob(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    // Classic two-pointer match with backtracking to the last `*`.
    let (mut i, mut j, mut star, mut mark) = (0, 0, None, 0);
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some(i);
            mark = j;
            i += 1;
        } else if let Some(s) = star {
            i = s + 1;
            mark += 1;
            j = mark;
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == '*')
}

/// The records of a plan as CSV-like lines, for tests.
#[cfg(test)]
pub fn rows(p: &Planned) -> Vec<String> {
    p.records
        .iter()
        .map(|r| {
            r.iter()
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::signals::{SLI, SLI_COLUMNS};

    fn sli(records: &[(&str, &str)]) -> Planned {
        Planned {
            path: SLI,
            columns: &SLI_COLUMNS,
            header: &["slo", "timestamp", "good", "total"],
            key: &["slo", "timestamp"],
            records: records
                .iter()
                .map(|(ts, good)| {
                    vec![
                        ("slo", "api".to_string()),
                        ("timestamp", ts.to_string()),
                        ("good", good.to_string()),
                        ("total", "10".to_string()),
                        ("note", "x, y".to_string()),
                    ]
                })
                .collect(),
        }
    }

    #[test]
    fn a_new_file_gets_the_header_and_every_row() {
        let mut d = Diagnostics::new();
        let a = plan_append(None, &sli(&[("2026-07-01T00:00:00Z", "9")]), &mut d).unwrap();
        assert_eq!(
            a.text,
            "slo,timestamp,good,total\napi,2026-07-01T00:00:00Z,9,10\n"
        );
        assert_eq!((a.added, a.skipped), (1, 0));
        // `note` is no column of the new header.
        assert_eq!(a.notes.len(), 1);
    }

    #[test]
    fn existing_rows_are_skipped_by_instant_and_the_file_order_is_kept() {
        // The existing row is 02:00+02:00, the same instant as 00:00Z; the header has its
        // own order and an extra column, which the new row leaves empty; the file lacks a
        // final newline, so the append starts with one.
        let existing = b"total,good,timestamp,slo,note\n10,8,2026-07-01T02:00:00+02:00,api,old";
        let mut d = Diagnostics::new();
        let p = sli(&[
            ("2026-07-01T00:00:00Z", "9"),
            ("2026-07-01T01:00:00Z", "7"),
            ("2026-07-01T01:00:00Z", "7"),
        ]);
        let a = plan_append(Some(existing), &p, &mut d).unwrap();
        assert!(d.is_empty());
        assert_eq!(a.text, "\n10,7,2026-07-01T01:00:00Z,api,\"x, y\"\n");
        assert_eq!((a.added, a.skipped), (1, 2));
        assert!(a.notes.is_empty());
    }

    #[test]
    fn nothing_new_appends_nothing() {
        let existing = b"slo,timestamp,good,total\napi,2026-07-01T00:00:00Z,9,10\n";
        let mut d = Diagnostics::new();
        let a = plan_append(
            Some(existing),
            &sli(&[("2026-07-01T00:00:00Z", "9")]),
            &mut d,
        )
        .unwrap();
        assert_eq!((a.text.as_str(), a.added, a.skipped), ("", 0, 1));
    }

    #[test]
    fn a_header_missing_a_contract_column_is_reported_like_check() {
        let mut d = Diagnostics::new();
        let a = plan_append(Some(b"slo,timestamp,good\n"), &sli(&[]), &mut d);
        assert!(a.is_none());
        let m: Vec<String> = d.sorted().iter().map(|d| d.to_string()).collect();
        assert!(
            m[0].starts_with("data/sli.csv:1:1: error: missing column `total`"),
            "{m:?}"
        );
    }

    #[test]
    fn globs_match_like_the_shell() {
        assert!(glob("v*", "v1.2.0"));
        assert!(glob("v?.*", "v1.2"));
        assert!(glob("*-rc*", "v2-rc1"));
        assert!(!glob("v*", "release-1"));
        assert!(!glob("v?", "v10"));
        assert!(glob("*", ""));
    }
}
