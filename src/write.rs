//! Write stage: takes the built `OutputFile`s and an output directory and writes them into a
//! temporary sibling directory that replaces the output only when every file was written.

use crate::output::OutputFile;
use rayon::prelude::*;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The marker file that says a directory is an almanac site and may be replaced.
pub const MARKER: &str = ".almanac-site";

/// Why the site could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// A file path that would leave the output directory.
    UnsafePath(String),
    /// The output would replace something that is not a built almanac site.
    Refused(String),
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::UnsafePath(p) => write!(
                f,
                "refusing to write `{p}`: the path would leave the output directory"
            ),
            WriteError::Refused(why) => f.write_str(why),
            WriteError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for WriteError {}

/// Checks that a relative output path stays inside the directory it is joined to.
pub fn safe_relative(path: &str) -> Result<&Path, WriteError> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && !path.contains('\\')
        && p.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(p)
    } else {
        Err(WriteError::UnsafePath(path.to_string()))
    }
}

/// Replaces `out` with exactly `files`: written to a temporary sibling first, then swapped
/// in; on any failure the previous site is left untouched. `source_root` must not be inside
/// `out` (so a wrong `--output` can never delete the site's sources).
pub fn write_site(out: &Path, source_root: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    for f in files {
        safe_relative(&f.path)?;
    }
    let out = absolute(out)?;
    let root = absolute(source_root)?;
    if root.starts_with(&out) {
        return Err(WriteError::Refused(format!(
            "refusing to build into {}: it contains the site's sources; choose another --output",
            out.display()
        )));
    }
    if out.exists() && !is_replaceable(&out) {
        return Err(WriteError::Refused(format!(
            "refusing to replace {}: it is not empty and was not built by almanac (no {MARKER} file); choose another --output or remove it",
            out.display()
        )));
    }
    let parent = out
        .parent()
        .ok_or_else(|| WriteError::Refused("the output directory has no parent".into()))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    fs::create_dir_all(parent).map_err(|e| WriteError::Io(parent.to_path_buf(), e))?;
    let tmp = parent.join(format!(".{name}.almanac-tmp"));
    let old = parent.join(format!(".{name}.almanac-old"));
    remove_if_exists(&tmp)?;
    remove_if_exists(&old)?;
    if let Err(e) = write_all(&tmp, files) {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if out.exists() {
        fs::rename(&out, &old).map_err(|e| WriteError::Io(out.clone(), e))?;
    }
    if let Err(e) = fs::rename(&tmp, &out) {
        let _ = fs::rename(&old, &out);
        return Err(WriteError::Io(out, e));
    }
    remove_if_exists(&old)
}

/// Writes `files` into `dir`, creating folders, overwriting only these files (for `demo`
/// and `new`). Paths are checked first; nothing is written when one is unsafe.
pub fn write_files(dir: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    for f in files {
        safe_relative(&f.path)?;
    }
    for f in files {
        let path = dir.join(&f.path);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(|e| WriteError::Io(p.to_path_buf(), e))?;
        }
        fs::write(&path, &f.bytes).map_err(|e| WriteError::Io(path.clone(), e))?;
    }
    Ok(())
}

fn write_all(dir: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    fs::create_dir_all(dir).map_err(|e| WriteError::Io(dir.to_path_buf(), e))?;
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| dir.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fs::create_dir_all(d).map_err(|e| WriteError::Io(d.clone(), e))?;
    }
    fs::write(
        dir.join(MARKER),
        b"built by almanac; this directory is replaced on every build\n",
    )
    .map_err(|e| WriteError::Io(dir.join(MARKER), e))?;
    files.par_iter().try_for_each(|f| {
        let path = dir.join(&f.path);
        fs::write(&path, &f.bytes).map_err(|e| WriteError::Io(path, e))
    })
}

fn is_replaceable(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
        || fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false)
}

fn remove_if_exists(dir: &Path) -> Result<(), WriteError> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(WriteError::Io(dir.to_path_buf(), e)),
        _ => Ok(()),
    }
}

fn absolute(p: &Path) -> Result<PathBuf, WriteError> {
    let abs = std::path::absolute(p).map_err(|e| WriteError::Io(p.to_path_buf(), e))?;
    // Resolve `..` lexically so the containment checks compare like with like.
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        for p in ["../x", "/etc/passwd", "a/../../b", "", "a\\b", "./a"] {
            assert!(safe_relative(p).is_err(), "{p}");
        }
        assert!(safe_relative("teams/pay.html").is_ok());
    }

    #[test]
    fn replaces_a_built_site_and_refuses_other_dirs() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("src");
        fs::create_dir_all(&root).unwrap();
        let out = tmp.path().join("site");
        write_site(&out, &root, &[OutputFile::new("a/b.html", "one")]).unwrap();
        write_site(&out, &root, &[OutputFile::new("c.html", "two")]).unwrap();
        assert!(!out.join("a/b.html").exists());
        assert_eq!(fs::read_to_string(out.join("c.html")).unwrap(), "two");
        // A folder with someone's files is never replaced.
        let docs = tmp.path().join("docs");
        fs::create_dir_all(&docs).unwrap();
        fs::write(docs.join("thesis.txt"), "precious").unwrap();
        assert!(matches!(
            write_site(&docs, &root, &[]),
            Err(WriteError::Refused(_))
        ));
        // Nor the source root or a parent of it.
        assert!(matches!(
            write_site(tmp.path(), &root, &[]),
            Err(WriteError::Refused(_))
        ));
        // An unsafe path leaves the previous site untouched.
        assert!(write_site(&out, &root, &[OutputFile::new("../evil", "x")]).is_err());
        assert_eq!(fs::read_to_string(out.join("c.html")).unwrap(), "two");
    }
}
