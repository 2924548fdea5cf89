//! Write stage: takes the built `OutputFile`s and an output directory and writes them into a
//! temporary sibling directory that replaces the output only when every file was written.
//! The files come one by one, from any thread, as the render stage makes them
//! ([`Output::replace_with`] hands the build a [`Staging`] sink), so the site is never held
//! in memory whole.
//!
//! For an output `site`, the stage uses three siblings: `.site.almanac-lock` (the lock),
//! `.site.almanac-tmp` (the site being written) and `.site.almanac-old` (the previous site,
//! only on systems without an atomic exchange). A build goes through these states:
//!
//! 1. **lock** ([`open_output`]): `flock` the lock file and write the pid into it. A lock
//!    held by a live process stops the build ([`WriteError::Busy`]); a lock file nobody
//!    holds was left by a killed build and is taken over with a note.
//! 2. **recover**: `site` missing and `old` present means a build was killed between its two
//!    renames: `old` is the whole previous site, renamed back to `site`. `old` next to `site`
//!    is a previous site being deleted, and `tmp` is a site never published or a previous
//!    one being deleted: both are removed. Nothing is removed while no `site` exists.
//! 3. **check**: `site` must be an almanac site (it has the marker file) or empty.
//! 4. **write** ([`Output::replace_with`]): every file into a fresh `tmp` as it is made, the
//!    marker last, once the build succeeded; a failed build removes `tmp`.
//! 5. **swap**: with no `site`, rename `tmp` to `site` (atomic). Otherwise, on Linux,
//!    `renameat2(tmp, site, RENAME_EXCHANGE)` trades them in one step and `tmp` holds the
//!    previous site; elsewhere (or on a file system without the flag) rename `site` to `old`,
//!    then `tmp` to `site`.
//! 6. **clean**: remove `tmp` or `old`, then the lock file (when [`Output`] is dropped).
//!
//! So at every instant `site` is the whole previous or the whole new site, except between
//! the fallback's two renames, when `old` is the whole previous site and step 2 of the next
//! build puts it back. A build killed at any step leaves at most a lock file nobody holds
//! and a `tmp` or `old`, which the next build clears (steps 1 and 2).

use crate::output::{OutputFile, Sink};
use rayon::prelude::*;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

mod lock;
mod swap;

/// The marker file that says a directory is an almanac site and may be replaced.
pub const MARKER: &str = ".almanac-site";

/// Why the site could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// A file path that would leave the output directory.
    UnsafePath(String),
    /// The output would replace something that is not a built almanac site.
    Refused(String),
    /// Another build holds the lock on `dir`.
    Busy {
        dir: PathBuf,
        pid: Option<u32>,
        lock: PathBuf,
    },
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
            WriteError::Busy { dir, pid, lock } => {
                let pid = pid.map_or("pid unknown".to_string(), |p| format!("pid {p}"));
                write!(
                    f,
                    "another almanac build is writing {} ({pid}); wait for it or remove {} if no build is running",
                    dir.display(),
                    lock.display()
                )
            }
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

/// Replaces `out` with exactly `files` (see the module doc): [`open_output`] then
/// [`Output::replace`].
pub fn write_site(out: &Path, source_root: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    open_output(out, source_root)?.replace(files).map(|_| ())
}

/// An output directory locked for one build, with an interrupted build's leftovers cleared.
#[derive(Debug)]
pub struct Output {
    out: PathBuf,
    tmp: PathBuf,
    old: PathBuf,
    notes: Vec<String>,
    _lock: lock::Lock,
}

/// Steps 1 to 3 of the module doc: locks `out`, recovers from a killed build and checks that
/// `out` may be replaced. `source_root` must not be inside `out` (so a wrong `--output` can
/// never delete the site's sources).
pub fn open_output(out: &Path, source_root: &Path) -> Result<Output, WriteError> {
    let out = absolute(out)?;
    let root = absolute(source_root)?;
    if root.starts_with(&out) {
        return Err(WriteError::Refused(format!(
            "refusing to build into {}: it contains the site's sources; choose another --output",
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
    let sibling = |what: &str| parent.join(format!(".{name}.almanac-{what}"));
    let lock_path = sibling("lock");
    let (lock, stale) = match lock::acquire(&lock_path) {
        Ok(taken) => taken,
        Err(lock::LockError::Held(pid)) => {
            return Err(WriteError::Busy {
                dir: out,
                pid,
                lock: lock_path,
            })
        }
        Err(lock::LockError::Io(e)) => return Err(WriteError::Io(lock_path, e)),
    };
    let mut site = Output {
        tmp: sibling("tmp"),
        old: sibling("old"),
        out,
        notes: Vec::new(),
        _lock: lock,
    };
    if let Some(pid) = stale {
        site.notes.push(format!(
            "took over {} from build {pid}, which is no longer running",
            lock_path.display()
        ));
    }
    site.recover()?;
    if site.out.exists() && !is_replaceable(&site.out) {
        return Err(WriteError::Refused(format!(
            "refusing to replace {}: it is not empty and was not built by almanac (no {MARKER} file); choose another --output or remove it",
            site.out.display()
        )));
    }
    Ok(site)
}

impl Output {
    /// What recovery did, for the user: one sentence each.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The output directory, absolute.
    pub fn path(&self) -> &Path {
        &self.out
    }

    /// Whether a built site is there now (and stays there if this build fails).
    pub fn has_previous_site(&self) -> bool {
        self.out.join(MARKER).is_file()
    }

    /// Steps 4 to 6 of the module doc: writes `files` and swaps them in; on any failure the
    /// previous site, if any, is left as it was. Returns notes (a leftover it could not
    /// remove, which the next build retries).
    pub fn replace(self, files: &[OutputFile]) -> Result<Vec<String>, WriteError> {
        for f in files {
            safe_relative(&f.path)?;
        }
        let put = |staging: &Staging| files.par_iter().try_for_each(|f| staging.put(f.clone()));
        match self.replace_with(put) {
            Ok(((), notes)) => Ok(notes),
            Err(Replaced::Build(e) | Replaced::Write(e)) => Err(e),
        }
    }

    /// Steps 4 to 6 of the module doc, for a build that makes its files as it goes: `build`
    /// puts them into the [`Staging`] sink (from any thread); when it returns `Ok`, the marker
    /// is written and the new site swapped in. When it fails, or a file cannot be written,
    /// the staging folder is removed and the previous site, if any, is left as it was.
    /// Returns what `build` returned and notes (a leftover it could not remove).
    pub fn replace_with<T, E>(
        self,
        build: impl FnOnce(&Staging) -> Result<T, E>,
    ) -> Result<(T, Vec<String>), Replaced<E>> {
        remove_if_exists(&self.tmp).map_err(Replaced::Write)?;
        let staging = Staging::new(&self.tmp).map_err(Replaced::Write)?;
        let made = match build(&staging) {
            Ok(made) => made,
            Err(e) => {
                let _ = fs::remove_dir_all(&self.tmp);
                return Err(Replaced::Build(e));
            }
        };
        // Last, so a directory with the marker is a whole site.
        if let Err(e) = write_marker(&self.tmp) {
            let _ = fs::remove_dir_all(&self.tmp);
            return Err(Replaced::Write(e));
        }
        self.swap_in()
            .map(|notes| (made, notes))
            .map_err(Replaced::Write)
    }

    /// Steps 5 and 6 of the module doc, once `tmp` holds the whole new site.
    fn swap_in(&self) -> Result<Vec<String>, WriteError> {
        if !self.out.exists() {
            return fs::rename(&self.tmp, &self.out)
                .map(|()| Vec::new())
                .map_err(|e| WriteError::Io(self.out.clone(), e));
        }
        let aside = match swap::swap(&self.tmp, &self.out, &self.old) {
            Ok(swap::Swapped::Exchanged) => &self.tmp,
            Ok(swap::Swapped::Renamed) => &self.old,
            Err(e) => {
                let _ = fs::remove_dir_all(&self.tmp);
                return Err(WriteError::Io(self.out.clone(), e));
            }
        };
        Ok(match remove_if_exists(aside) {
            Ok(()) => Vec::new(),
            Err(e) => vec![format!(
                "could not remove the previous site: {e}; the next build removes it"
            )],
        })
    }

    /// Step 2 of the module doc.
    fn recover(&mut self) -> Result<(), WriteError> {
        if self.old.exists() && !self.out.exists() {
            fs::rename(&self.old, &self.out).map_err(|e| WriteError::Io(self.old.clone(), e))?;
            self.notes.push(format!(
                "restored the previous site to {} from {}, left by an interrupted build",
                self.out.display(),
                self.old.display()
            ));
        }
        for leftover in [&self.old, &self.tmp] {
            if leftover.exists() {
                remove_if_exists(leftover)?;
                self.notes.push(format!(
                    "removed {}, left by an interrupted build",
                    leftover.display()
                ));
            }
        }
        Ok(())
    }
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

/// The list of files `write_owned` wrote into a folder, one relative path a line.
pub const OWNED_LIST: &str = ".almanac-demo";

/// Writes `files` into `dir` like `write_files`, and removes the files that an earlier
/// call wrote there (listed in `dir/OWNED_LIST`) and this one does not (a previous demo's
/// retros); files it did not write are never touched. Returns the removed paths.
pub fn write_owned(dir: &Path, files: &[OutputFile]) -> Result<Vec<String>, WriteError> {
    write_files(dir, files)?;
    let list = dir.join(OWNED_LIST);
    let before = fs::read_to_string(&list).unwrap_or_default();
    let now: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut removed = Vec::new();
    for old in before.lines().filter(|p| !now.contains(p)) {
        if safe_relative(old).is_ok() && dir.join(old).is_file() {
            fs::remove_file(dir.join(old)).map_err(|e| WriteError::Io(dir.join(old), e))?;
            removed.push(old.to_string());
        }
    }
    let mut paths: Vec<&str> = now.into_iter().collect();
    paths.sort_unstable();
    fs::write(&list, paths.join("\n") + "\n").map_err(|e| WriteError::Io(list, e))?;
    Ok(removed)
}

/// Why [`Output::replace_with`] failed: the build's own error, or the output's.
#[derive(Debug)]
pub enum Replaced<E> {
    Build(E),
    Write(WriteError),
}

/// The folder a build's files go into before the swap: the sink `write` hands the build.
/// Each file's path is checked before anything is written; folders are made as needed.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    /// Folders already made, so each is made once.
    made: Mutex<std::collections::HashSet<PathBuf>>,
}

impl Staging {
    fn new(dir: &Path) -> Result<Staging, WriteError> {
        fs::create_dir_all(dir).map_err(|e| WriteError::Io(dir.to_path_buf(), e))?;
        Ok(Staging {
            dir: dir.to_path_buf(),
            made: Mutex::new(std::collections::HashSet::new()),
        })
    }
}

impl Sink for Staging {
    type Error = WriteError;

    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        let path = self.dir.join(safe_relative(&file.path)?);
        if let Some(parent) = path.parent() {
            // Held while the folder is made, so no file is written into it before it exists.
            let mut made = self.made.lock().expect("no writer panicked");
            if !made.contains(parent) {
                fs::create_dir_all(parent).map_err(|e| WriteError::Io(parent.to_path_buf(), e))?;
                made.insert(parent.to_path_buf());
            }
        }
        fs::write(&path, &file.bytes).map_err(|e| WriteError::Io(path, e))
    }
}

fn write_marker(dir: &Path) -> Result<(), WriteError> {
    fs::write(
        dir.join(MARKER),
        b"built by almanac; this directory is replaced on every build\n",
    )
    .map_err(|e| WriteError::Io(dir.join(MARKER), e))
}

fn is_replaceable(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
        || fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false)
}

/// Removes `dir` and everything in it, if it exists: the files side by side (a previous site
/// holds tens of thousands), then the folders, deepest first. Links are removed, never
/// followed.
fn remove_if_exists(dir: &Path) -> Result<(), WriteError> {
    let io_error = |path: &Path, e: io::Error| WriteError::Io(path.to_path_buf(), e);
    let gone = |r: io::Result<()>| match r {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    };
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error(dir, e)),
        Ok(m) if !m.is_dir() => return gone(fs::remove_file(dir)).map_err(|e| io_error(dir, e)),
        Ok(_) => {}
    }
    let (mut files, mut folders) = (Vec::new(), Vec::new());
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .contents_first(true)
    {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            WriteError::Io(path, e.into())
        })?;
        if entry.file_type().is_dir() {
            folders.push(entry.into_path());
        } else {
            files.push(entry.into_path());
        }
    }
    files
        .par_iter()
        .try_for_each(|f| gone(fs::remove_file(f)).map_err(|e| io_error(f, e)))?;
    // Contents first: each folder comes after everything in it.
    for folder in &folders {
        gone(fs::remove_dir(folder)).map_err(|e| io_error(folder, e))?;
    }
    Ok(())
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

    /// A previous site is removed whole, folders at any depth, and a link in it is removed
    /// without touching what it points to; a missing folder is no error.
    #[cfg(unix)]
    #[test]
    fn a_previous_site_is_removed_and_links_are_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside");
        fs::create_dir_all(outside.join("keep")).unwrap();
        fs::write(outside.join("keep/file.txt"), "kept").unwrap();
        let site = tmp.path().join("old-site");
        fs::create_dir_all(site.join("a/b/c")).unwrap();
        for (i, rel) in ["index.html", "a/x.html", "a/b/y.html", "a/b/c/z.html"]
            .iter()
            .enumerate()
        {
            fs::write(site.join(rel), i.to_string()).unwrap();
        }
        std::os::unix::fs::symlink(outside.join("keep"), site.join("a/link")).unwrap();
        remove_if_exists(&site).unwrap();
        assert!(!site.exists());
        assert_eq!(
            fs::read_to_string(outside.join("keep/file.txt")).unwrap(),
            "kept"
        );
        remove_if_exists(&site).unwrap();
    }

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
