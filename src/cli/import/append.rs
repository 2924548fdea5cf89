//! Appending to the site's contract files: every file's append is planned first (all or
//! nothing), then each file is replaced whole through a temporary file beside it.

use crate::cli::{fail, plural, report};
use almanac::diag::Diagnostics;
use almanac::import::{plan_append, Append, Planned};
use std::path::Path;
use std::process::ExitCode;

/// Plans every file's append (all or nothing), writes them, and prints what each file
/// gained: `data/changes.csv: 12 rows added, 3 skipped (already there)`.
pub fn append_all(root: &Path, planned: &[Planned], mut diags: Diagnostics) -> ExitCode {
    let mut appends: Vec<(Append, Vec<u8>)> = Vec::new();
    for p in planned {
        let existing = match read_existing(root, p.path) {
            Ok(e) => e,
            Err(e) => return fail(&e),
        };
        if let Some(a) = plan_append(existing.as_deref(), p, &mut diags) {
            appends.push((a, existing.unwrap_or_default()));
        }
    }
    if diags.has_errors() {
        report(diags);
        eprintln!("import failed: nothing was written");
        return ExitCode::FAILURE;
    }
    for (a, existing) in &appends {
        if a.text.is_empty() {
            continue;
        }
        let mut bytes = existing.clone();
        bytes.extend_from_slice(a.text.as_bytes());
        if let Err(e) = replace(&root.join(a.path), &bytes) {
            return fail(&e);
        }
    }
    for (a, _) in &appends {
        out!(
            "{}: {} row{} added, {} skipped (already there)",
            a.path,
            a.added,
            plural(a.added),
            a.skipped
        );
        for note in &a.notes {
            eprintln!("note: {note}");
        }
    }
    ExitCode::SUCCESS
}

/// A contract file's bytes, `None` when it does not exist.
fn read_existing(root: &Path, path: &str) -> Result<Option<Vec<u8>>, String> {
    match std::fs::read(root.join(path)) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {} ({e})", root.join(path).display())),
    }
}

/// Writes a file whole through a temporary file beside it, so a reader never sees half.
fn replace(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write as _;
    let dir = path.parent().unwrap_or(Path::new("."));
    let err = |e: std::io::Error| format!("cannot write {} ({e})", path.display());
    std::fs::create_dir_all(dir).map_err(err)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// A note when the service is in no team of the site's almanac.toml (its rows then count
/// for no team, and `check` warns).
pub fn note_unowned(root: &Path, service: &str) {
    let Ok(text) = std::fs::read_to_string(root.join("almanac.toml")) else {
        return;
    };
    if let Ok(config) = almanac::config::parse(&text) {
        if !config
            .teams
            .iter()
            .any(|t| t.services.iter().any(|s| s == service))
        {
            eprintln!(
                "note: service `{service}` is in no [[team]]'s services in almanac.toml; add it to a team so its figures count for one"
            );
        }
    }
}

/// A path as the user gave it, with `/` separators, for diagnostics.
pub fn shown(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}
