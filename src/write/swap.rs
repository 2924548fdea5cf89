//! Swapping a finished directory in for the output: an atomic exchange where the system
//! offers one (Linux `renameat2(RENAME_EXCHANGE)`), two renames elsewhere.

use std::fs;
use std::io;
use std::path::Path;

/// How the new site went in.
#[derive(Debug, PartialEq, Eq)]
pub enum Swapped {
    /// `new` and `out` traded places in one step; `new` now holds the previous site.
    Exchanged,
    /// `out` was renamed to `old`, then `new` to `out`; `old` holds the previous site.
    Renamed,
}

/// Puts `new` at `out`, which exists. Uses the atomic exchange when it can, otherwise
/// [`swap_by_renames`].
pub fn swap(new: &Path, out: &Path, old: &Path) -> io::Result<Swapped> {
    if exchange(new, out)? {
        Ok(Swapped::Exchanged)
    } else {
        swap_by_renames(new, out, old)
    }
}

/// The fallback: `out` -> `old`, then `new` -> `out`. Between the two renames there is no
/// `out`; a build killed there leaves the previous site complete in `old`, which the next
/// build restores. If the second rename fails, the first is undone.
pub fn swap_by_renames(new: &Path, out: &Path, old: &Path) -> io::Result<Swapped> {
    fs::rename(out, old)?;
    if let Err(e) = fs::rename(new, out) {
        let _ = fs::rename(old, out);
        return Err(e);
    }
    Ok(Swapped::Renamed)
}

/// Exchanges `a` and `b` atomically. `Ok(false)`: this system or file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
    };
    let (ca, cb) = (c(a)?, c(b)?);
    // SAFETY: both pointers are valid NUL-terminated strings that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        // No such system call (old kernel or libc), or a file system without the flag.
        Some(libc::ENOSYS) | Some(libc::EINVAL) | Some(libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn site(dir: &Path, text: &str) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("index.html"), text).unwrap();
    }

    fn index(dir: &Path) -> String {
        fs::read_to_string(dir.join("index.html")).unwrap()
    }

    /// A temporary folder with a new site `n`, a previous site `o` and a path `x` for it.
    fn two_sites() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let [new, out, old] = ["n", "o", "x"].map(|n| tmp.path().join(n));
        site(&new, "new");
        site(&out, "previous");
        (tmp, new, out, old)
    }

    #[test]
    fn swap_puts_the_new_site_in_and_keeps_the_previous_one_aside() {
        let (_tmp, new, out, old) = two_sites();
        let how = swap(&new, &out, &old).unwrap();
        assert_eq!(index(&out), "new");
        // Wherever the previous site went, it is whole.
        let aside = match how {
            Swapped::Exchanged => &new,
            Swapped::Renamed => &old,
        };
        assert_eq!(index(aside), "previous");
    }

    #[test]
    fn the_fallback_puts_the_new_site_in_and_the_previous_one_at_old() {
        let (_tmp, new, out, old) = two_sites();
        assert_eq!(swap_by_renames(&new, &out, &old).unwrap(), Swapped::Renamed);
        assert_eq!(index(&out), "new");
        assert_eq!(index(&old), "previous");
        assert!(!new.exists());
    }

    #[test]
    fn the_fallback_undoes_its_first_rename_when_the_second_fails() {
        let (_tmp, new, out, old) = two_sites();
        // `new` is missing, so the second rename fails.
        fs::remove_dir_all(&new).unwrap();
        assert!(swap_by_renames(&new, &out, &old).is_err());
        assert_eq!(index(&out), "previous");
        assert!(!old.exists());
    }
}
