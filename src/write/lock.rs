//! One build at a time per output directory: an advisory lock (`flock`) on a file next to the
//! output that holds the pid of the build writing it. The kernel drops the lock when that
//! process ends, however it ends, so a lock file without a lock is stale by definition.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The lock on one output directory, held until dropped (which also removes the file).
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    file: File,
}

/// Why the lock was not taken.
#[derive(Debug)]
pub enum LockError {
    /// Another live process holds it; the pid it wrote, if it wrote one yet.
    Held(Option<u32>),
    Io(io::Error),
}

/// Takes the lock at `path`. On success also returns the pid left in the file by a build that
/// ended without removing it (killed), if any.
pub fn acquire(path: &Path) -> Result<(Lock, Option<u32>), LockError> {
    loop {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(LockError::Io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(LockError::Held(read_pid(&mut file))),
            Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
        }
        // The holder before us removes the file before it unlocks: if it did so between our
        // `open` and `try_lock`, we hold a lock on a file nobody else will see. Start again.
        if !still_at(&file, path) {
            continue;
        }
        let stale = read_pid(&mut file);
        file.set_len(0).map_err(LockError::Io)?;
        file.rewind().map_err(LockError::Io)?;
        writeln!(file, "{}", std::process::id()).map_err(LockError::Io)?;
        let lock = Lock {
            path: path.to_path_buf(),
            file,
        };
        return Ok((lock, stale));
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Remove first, then unlock (closing the file) so no one can lock the removed file
        // and believe it holds the lock: `acquire` checks the file is still at its path.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

fn read_pid(file: &mut File) -> Option<u32> {
    let mut s = String::new();
    file.rewind().ok()?;
    file.read_to_string(&mut s).ok()?;
    s.trim().parse().ok()
}

#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_at(_file: &File, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(".site.almanac-lock");
        let (first, stale) = acquire(&path).unwrap();
        assert_eq!(stale, None);
        // The file names this process as the holder.
        let me = std::process::id();
        assert_eq!(fs::read_to_string(&path).unwrap(), format!("{me}\n"));
        assert!(matches!(acquire(&path), Err(LockError::Held(Some(p))) if p == me));
        drop(first);
        assert!(!path.exists());
        let (_again, stale) = acquire(&path).unwrap();
        assert_eq!(stale, None);
    }

    #[test]
    fn a_lock_file_nobody_holds_is_taken_over_and_its_pid_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(".site.almanac-lock");
        // What a killed build leaves: its pid, no lock.
        fs::write(&path, "4242\n").unwrap();
        let (_lock, stale) = acquire(&path).unwrap();
        assert_eq!(stale, Some(4242));
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            format!("{}\n", std::process::id())
        );
    }
}
