//! Published quarters: reads `content/reports/*.snapshot.json` (written by `almanac
//! publish`) into `Snapshot`s, and the SHA-256 of every input file (`digests`), which a
//! snapshot records and `manifest.json` lists. A snapshot that cannot be read exactly is an
//! error at its line and column.

use crate::diag::{Diagnostics, Pos};
use crate::load::content::REPORTS_DIR;
use crate::model::Snapshot;
use crate::published::{quarter_of_stem, SnapshotFile, SNAPSHOT_SCHEMA};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;
use walkdir::WalkDir;

/// The suffix of a snapshot file.
pub const SNAPSHOT_SUFFIX: &str = ".snapshot.json";

/// Every snapshot of `content/reports`, by path.
pub fn load_snapshots(root: &Path, diags: &mut Diagnostics) -> Vec<Snapshot> {
    let Ok(dir) = std::fs::read_dir(root.join(REPORTS_DIR)) else {
        return Vec::new();
    };
    let mut names: Vec<String> = dir
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(SNAPSHOT_SUFFIX) && !n.starts_with('.'))
        .collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|name| {
            let rel = format!("{REPORTS_DIR}/{name}");
            let bytes = match std::fs::read(root.join(&rel)) {
                Ok(b) => b,
                Err(e) => {
                    diags.error(
                        &rel,
                        None,
                        format!("cannot read this file ({e}); check its permissions"),
                    );
                    return None;
                }
            };
            parse(
                &rel,
                &name[..name.len() - SNAPSHOT_SUFFIX.len()],
                &bytes,
                diags,
            )
        })
        .collect()
}

/// One snapshot file's bytes; `stem` is its name without the suffix (`2026-q3`).
pub fn parse(rel: &str, stem: &str, bytes: &[u8], diags: &mut Diagnostics) -> Option<Snapshot> {
    let Some(quarter) = quarter_of_stem(stem) else {
        diags.error(rel, None, "a snapshot is named after its quarter, e.g. 2026-q3.snapshot.json; `almanac publish` writes it: rename or remove this file");
        return None;
    };
    let file: SnapshotFile = match serde_json::from_slice(bytes) {
        Ok(f) => f,
        Err(e) => {
            let pos = (e.line() > 0).then(|| Pos {
                line: e.line() as u32,
                column: e.column() as u32,
            });
            diags.error(rel, pos, format!("cannot read this snapshot ({e}); it is written by `almanac publish`: restore it from version control rather than editing it by hand"));
            return None;
        }
    };
    let mut ok = true;
    if file.schema != SNAPSHOT_SCHEMA {
        diags.error(rel, None, format!("snapshot schema {} is not {SNAPSHOT_SCHEMA}, the one this almanac reads; use the almanac version that wrote it", file.schema));
        ok = false;
    }
    if file.quarter != quarter {
        diags.error(rel, None, format!("this snapshot is of {}, but its file name says {quarter}; restore it from version control", file.quarter));
        ok = false;
    }
    let numbered = !file.revisions.is_empty()
        && file
            .revisions
            .iter()
            .enumerate()
            .all(|(i, r)| r.revision as usize == i + 1 && r.figures.quarter == quarter);
    if !numbered {
        diags.error(rel, None, "a snapshot holds revisions 1, 2, ... of its quarter in order; restore it from version control");
        ok = false;
    }
    ok.then(|| Snapshot {
        path: rel.to_string(),
        file,
    })
}

/// The SHA-256 (lowercase hex) of every input: `almanac.toml` and each file under `data/`
/// and `content/` but hidden files and snapshots, by path from the root with `/`; but the
/// files in `skip`, which the load digests from the bytes it reads (`digest_read`).
pub fn digests(root: &Path, skip: &[&str]) -> BTreeMap<String, String> {
    let mut files: Vec<String> = Vec::new();
    if root.join(crate::config::CONFIG_FILE).is_file() {
        files.push(crate::config::CONFIG_FILE.to_string());
    }
    for dir in ["data", "content"] {
        let walker = WalkDir::new(root.join(dir))
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
        for e in walker.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy();
            if e.file_type().is_file() && !name.ends_with(SNAPSHOT_SUFFIX) {
                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                let parts: Vec<_> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect();
                let rel = parts.join("/");
                if !skip.contains(&rel.as_str()) {
                    files.push(rel);
                }
            }
        }
    }
    files
        .into_par_iter()
        .filter_map(|rel| {
            let d = digest(root, &rel)?;
            Some((rel, d))
        })
        .collect()
}

/// The digest of a file the load has read whole (`bytes`), as `digests` records it; `None`
/// when `digests` does not list it (a symlink). Taken from the bytes parsed, it is the digest
/// of exactly what the figures were computed from.
pub fn digest_read(root: &Path, rel: &str, bytes: &[u8]) -> Option<String> {
    let plain = std::fs::symlink_metadata(root.join(rel)).ok()?.is_file();
    (plain && digested(rel)).then(|| hex(&Sha256::digest(bytes)))
}

/// The digest of one file under the root (`None` when it cannot be read), as `digests`
/// records it.
pub fn digest(root: &Path, rel: &str) -> Option<String> {
    // `digests` walks without following links: a symlink is not listed.
    if !std::fs::symlink_metadata(root.join(rel)).ok()?.is_file() {
        return None;
    }
    // Streamed through a small buffer, not read whole: the digests are taken once the
    // dataset is in memory, and the largest inputs are 100 MB and more.
    let file = std::fs::File::open(root.join(rel)).ok()?;
    let mut hasher = Sha256::new();
    std::io::copy(
        &mut std::io::BufReader::with_capacity(1 << 16, file),
        &mut hasher,
    )
    .ok()?;
    Some(hex(&hasher.finalize()))
}

/// Whether `digests` lists a file at `rel` (relative, `/`-separated) when it exists: the
/// config, and files under `data/` and `content/` with no hidden segment that are not
/// snapshots.
pub fn digested(rel: &str) -> bool {
    let hidden = rel.split('/').any(|s| s.starts_with('.'));
    let under = rel.starts_with("data/") || rel.starts_with("content/");
    rel == crate::config::CONFIG_FILE || (under && !hidden && !rel.ends_with(SNAPSHOT_SUFFIX))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_sha256_of_each_input_but_snapshots() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("data")).unwrap();
        std::fs::create_dir_all(root.join("content/reports")).unwrap();
        std::fs::write(root.join("almanac.toml"), "").unwrap();
        std::fs::write(root.join("data/a.csv"), "abc").unwrap();
        std::fs::write(root.join("content/reports/2026-q3.snapshot.json"), "{}").unwrap();
        let d = digests(root, &[]);
        assert_eq!(d.keys().collect::<Vec<_>>(), ["almanac.toml", "data/a.csv"]);
        // The SHA-256 test vectors of "" and "abc" (FIPS 180-2).
        assert_eq!(
            d["almanac.toml"],
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            d["data/a.csv"],
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_broken_snapshot_is_an_error_at_its_position() {
        let mut d = Diagnostics::new();
        let s = parse(
            "content/reports/2026-q3.snapshot.json",
            "2026-q3",
            b"{\n  \"schema\": 1,\n  \"quarter\": 3\n}",
            &mut d,
        );
        assert!(s.is_none());
        let m: Vec<String> = d.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(m.len(), 1);
        assert!(
            m[0].starts_with("content/reports/2026-q3.snapshot.json:3:"),
            "{m:?}"
        );
    }

    /// `digested` says which paths `digests` lists: the config, and files under `data/`
    /// and `content/` with no hidden segment that are not snapshots. Both agree on a site
    /// holding one of each kind.
    #[test]
    fn digested_names_exactly_the_files_digests_lists() {
        let paths = [
            "almanac.toml",
            "data/a.csv",
            "data/slos/web.yaml",
            "content/retros/r.md",
            "data/.hidden.csv",
            "content/.git/x.md",
            "content/reports/2026-q3.snapshot.json",
            "theme/page.html",
            "database/x.csv",
            "notes.toml",
        ];
        let dir = tempfile::tempdir().unwrap();
        for rel in paths {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, rel).unwrap();
        }
        let listed: Vec<String> = digests(dir.path(), &[]).into_keys().collect();
        let said: Vec<&str> = paths.into_iter().filter(|p| digested(p)).collect();
        assert_eq!(
            said,
            [
                "almanac.toml",
                "data/a.csv",
                "data/slos/web.yaml",
                "content/retros/r.md"
            ]
        );
        assert_eq!(
            listed,
            [
                "almanac.toml",
                "content/retros/r.md",
                "data/a.csv",
                "data/slos/web.yaml"
            ]
        );
    }

    /// A 2026-Q2 snapshot file holding revisions numbered `numbers`, each of quarter
    /// `fig_quarter`, written as `almanac publish` writes it.
    fn snapshot_json(schema: u32, quarter: &str, numbers: &[u32], fig_quarter: &str) -> String {
        let mut figures = crate::published::tests::figures(Some(0.25), 1);
        figures.quarter = fig_quarter.into();
        let revisions = numbers
            .iter()
            .map(|&revision| crate::published::Revision {
                revision,
                published: "2026-07-02".parse().unwrap(),
                reason: None,
                almanac_version: "0.1.0".into(),
                as_of: "2026-07-01".parse().unwrap(),
                definitions: BTreeMap::new(),
                inputs: BTreeMap::new(),
                narrative: None,
                figures: figures.clone(),
            })
            .collect();
        let file = SnapshotFile {
            schema,
            quarter: quarter.into(),
            revisions,
        };
        serde_json::to_string_pretty(&file).unwrap()
    }

    /// The snapshots of `content/reports`: only `*.snapshot.json` files that are not
    /// hidden; the narrative next to it and a hidden copy (even a broken one) are not
    /// snapshots. The one snapshot keeps its two revisions.
    #[test]
    fn loads_each_visible_snapshot_file() {
        let dir = tempfile::tempdir().unwrap();
        let reports = dir.path().join(REPORTS_DIR);
        std::fs::create_dir_all(&reports).unwrap();
        let good = snapshot_json(SNAPSHOT_SCHEMA, "2026-Q2", &[1, 2], "2026-Q2");
        std::fs::write(reports.join("2026-q2.snapshot.json"), &good).unwrap();
        std::fs::write(reports.join("2026-q2.md"), "Q2").unwrap();
        std::fs::write(reports.join(".2026-q1.snapshot.json"), "{").unwrap();
        let mut d = Diagnostics::new();
        let s = load_snapshots(dir.path(), &mut d);
        assert!(d.is_empty(), "{:?}", d.sorted());
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].path, "content/reports/2026-q2.snapshot.json");
        assert_eq!(s[0].file.quarter, "2026-Q2");
        assert_eq!(s[0].file.revisions.len(), 2);
    }

    /// Each way a well-formed snapshot can disagree with its name or its schema is one
    /// error, and the snapshot is not read.
    #[test]
    fn a_snapshot_must_match_its_schema_name_and_numbering() {
        for (json, what) in [
            (
                snapshot_json(SNAPSHOT_SCHEMA + 1, "2026-Q2", &[1], "2026-Q2"),
                "snapshot schema 2 is not 1",
            ),
            (
                snapshot_json(SNAPSHOT_SCHEMA, "2026-Q3", &[1], "2026-Q2"),
                "this snapshot is of 2026-Q3",
            ),
            (
                snapshot_json(SNAPSHOT_SCHEMA, "2026-Q2", &[], "2026-Q2"),
                "revisions 1, 2, ...",
            ),
            (
                snapshot_json(SNAPSHOT_SCHEMA, "2026-Q2", &[2], "2026-Q2"),
                "revisions 1, 2, ...",
            ),
            (
                snapshot_json(SNAPSHOT_SCHEMA, "2026-Q2", &[1, 3], "2026-Q2"),
                "revisions 1, 2, ...",
            ),
            (
                snapshot_json(SNAPSHOT_SCHEMA, "2026-Q2", &[1], "2026-Q3"),
                "revisions 1, 2, ...",
            ),
        ] {
            let mut d = Diagnostics::new();
            let s = parse(
                "content/reports/2026-q2.snapshot.json",
                "2026-q2",
                json.as_bytes(),
                &mut d,
            );
            assert!(s.is_none(), "{what}");
            let m: Vec<String> = d.sorted().iter().map(|d| d.message.clone()).collect();
            assert_eq!(m.len(), 1, "{what}: {m:?}");
            assert!(m[0].contains(what), "{what}: {m:?}");
        }
    }
}
