//! `almanac diff --base REF_OR_DIR`: reads the base tree (a folder, or a git ref of the
//! root's repository exported with `git archive` into a temporary folder, never touching
//! the working tree), compares it with the root and prints the review summary.

use super::{fail, usage};
use almanac::diff::{self, format, Tree};
use clap::ValueEnum;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

/// How `diff` prints.
#[derive(Clone, Copy, ValueEnum)]
pub enum DiffFormat {
    /// A pull-request comment.
    Markdown,
    /// One JSON object with every section.
    Json,
}

/// What makes `diff` exit 1.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// A published quarter would change.
    Restatement,
    /// Anything material changed.
    Any,
}

pub fn run(base: &str, root: &Path, format: DiffFormat, fail_on: Option<FailOn>) -> ExitCode {
    let as_dir = Path::new(base);
    let exported;
    let base_root: &Path = if as_dir.is_dir() {
        as_dir
    } else {
        exported = match export(root, base) {
            Ok(t) => t,
            Err(Export::Usage(m)) => return usage(&m),
            Err(Export::Failed(m)) => return fail(&m),
        };
        &exported.1
    };
    let (b, h) = rayon::join(|| Tree::read(base_root), || Tree::read(root));
    let summary = diff::summarise(&b, &h);
    let text = match format {
        DiffFormat::Markdown => format::markdown(&summary, base),
        DiffFormat::Json => format::json(&summary, base),
    };
    out!("{}", text.trim_end());
    let failed = match fail_on {
        Some(FailOn::Restatement) => summary.restates(),
        Some(FailOn::Any) => summary.material(),
        None => false,
    };
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

enum Export {
    Usage(String),
    Failed(String),
}

/// Exports `root` as it is at git ref `rev` into a temporary folder: the folder (kept
/// alive by the guard) and the root inside it.
fn export(root: &Path, rev: &str) -> Result<(tempfile::TempDir, PathBuf), Export> {
    let git = |args: &[&str]| -> Result<String, String> {
        let o = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run git ({e}); install git or pass a folder as --base"))?;
        if o.status.success() {
            Ok(String::from_utf8_lossy(&o.stdout).trim_end().to_string())
        } else {
            Err(String::from_utf8_lossy(&o.stderr).trim().to_string())
        }
    };
    let prefix = git(&["rev-parse", "--show-prefix"]).map_err(|e| {
        Export::Usage(format!(
            "--base `{rev}` is not a folder, and {} is not in a git repository ({e}); pass a folder or a git ref",
            root.display()
        ))
    })?;
    let commit = git(&["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])
        .map_err(|_| {
            Export::Usage(format!(
                "--base `{rev}` is neither a folder nor a git ref of {}; pass a branch, tag or commit (fetch it first in a shallow clone) or a folder",
                root.display()
            ))
        })?;
    let tmp = tempfile::Builder::new()
        .prefix("almanac-diff-")
        .tempdir()
        .map_err(|e| Export::Failed(format!("cannot make a temporary folder ({e})")))?;
    let tree = format!("{commit}:{prefix}");
    let mut archive = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["archive", "--format=tar", &tree])
        .stdout(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .map_err(|e| Export::Failed(format!("cannot run git archive ({e})")))?;
    let stdout = archive.stdout.take().expect("piped");
    let untar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(tmp.path())
        .stdin(stdout)
        .status();
    let archived = archive.wait();
    match (archived, untar) {
        (Ok(a), Ok(t)) if a.success() && t.success() => {}
        (a, t) => {
            return Err(Export::Failed(format!(
                "cannot export {tree} with git archive | tar -x (git: {a:?}, tar: {t:?})"
            )))
        }
    }
    let path = tmp.path().to_path_buf();
    Ok((tmp, path))
}
