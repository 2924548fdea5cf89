//! Crash safety and concurrency of `build`: a build killed with SIGKILL at any moment leaves
//! the whole previous or the whole new site, and the next build clears what it left; a
//! second build on the same output stops while the first holds the lock.

use super::*;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

fn build_as_of(root: &Path, out: &Path, as_of: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_almanac"));
    c.args(["build", "--root", root.to_str().unwrap()]).args([
        "--output",
        out.to_str().unwrap(),
        "--as-of",
        as_of,
    ]);
    c
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn quiet(mut c: Command) -> Child {
    c.stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits until `path` exists (true) or the build ends first (false).
fn wait_for(child: &mut Child, path: &Path) -> bool {
    loop {
        if path.exists() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_site_and_the_next_build_recovers() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("src");
    demo(&root, &["--teams", "2", "--months", "3"]);
    let dir = tmp.path().join("public");
    fs::create_dir_all(&dir).unwrap();
    let out = dir.join("site");
    // The two whole sites a build may leave: as of the end of August and of September
    // (different pages and figures).
    let as_of = ["2026-08-31", "2026-09-30"];
    let tmp_dir = dir.join(".site.almanac-tmp");
    let mut sites = Vec::new();
    // How long a whole build and its writing (from the temporary folder's appearance to the
    // end) take here: measured only to place the kills, never asserted.
    let (mut full, mut writing) = (Duration::ZERO, Duration::ZERO);
    for day in as_of {
        let start = Instant::now();
        let mut child = quiet(build_as_of(&root, &out, day));
        let appeared = wait_for(&mut child, &tmp_dir).then(Instant::now);
        assert!(child.wait().unwrap().success());
        full = full.max(start.elapsed());
        writing = writing.max(appeared.map_or(Duration::ZERO, |t| t.elapsed()));
        sites.push(tree(&out));
    }
    assert_ne!(sites[0], sites[1]);
    // Half the kills spread from 0 to 1.2 times a whole build, so they land in loading,
    // rendering and writing; the other half from 0 to 1.35 times the writing after the
    // temporary folder appears, so they land in writing, the swap and the cleanup.
    const KILLS: u32 = 20;
    let mut current = 1;
    for i in 0..KILLS {
        let next = 1 - current;
        let mut child = quiet(build_as_of(&root, &out, as_of[next]));
        let step = i / 2;
        let delay = if i % 2 == 0 {
            full * (6 * step) / (5 * KILLS / 2)
        } else {
            wait_for(&mut child, &tmp_dir);
            writing * (27 * step) / (20 * KILLS / 2)
        };
        std::thread::sleep(delay);
        // SIGKILL; an error only means the build had already finished.
        let _ = child.kill();
        child.wait().unwrap();
        let left = tree(&out);
        let whole = if cfg!(target_os = "linux") || out.exists() {
            left == sites[current] || left == sites[next]
        } else {
            // Without an atomic exchange a kill between the two renames leaves the whole
            // previous site beside the output, which the next build puts back.
            tree(&dir.join(".site.almanac-old")) == sites[current]
        };
        assert!(
            whole,
            "kill {i} after {delay:?} left neither whole site: {:?}",
            names(&dir)
        );
        let o = build_as_of(&root, &out, as_of[next]).output().unwrap();
        assert!(o.status.success(), "after kill {i}: {}", text(&o.stderr));
        assert!(tree(&out) == sites[next], "after kill {i}: wrong site");
        // No lock, temporary or old folder is left beside the output.
        assert_eq!(names(&dir), ["site"], "after kill {i}");
        current = next;
    }
}

#[test]
fn a_second_build_on_the_same_output_stops_while_the_first_holds_the_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert!(build(&fixture("basic"), &out).status.success());
    let before = tree(&out);
    // A build in progress, as almanac takes it: the lock file, locked, holding its pid.
    let lock_path = tmp.path().join(".site.almanac-lock");
    let lock = fs::File::create(&lock_path).unwrap();
    lock.lock().unwrap();
    fs::write(&lock_path, "4242\n").unwrap();
    let o = build(&fixture("basic"), &out);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    let want = format!(
        "error: another almanac build is writing {} (pid 4242); wait for it or remove {} if no build is running",
        out.display(),
        lock_path.display()
    );
    assert!(err.contains(&want), "{err}");
    assert_eq!(tree(&out), before);
    // The holder dies without removing its file: the next build takes the lock over.
    drop(lock);
    let o = build(&fixture("basic"), &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let note = format!(
        "note: took over {} from build 4242, which is no longer running",
        lock_path.display()
    );
    assert!(text(&o.stderr).contains(&note), "{}", text(&o.stderr));
    assert_eq!(names(tmp.path()), ["site"]);
}

#[test]
fn a_site_left_beside_the_output_is_restored_even_when_the_next_build_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let (root, out, before) = built_copy(tmp.path());
    // What a build killed between the two renames of the fallback swap leaves: no output,
    // the previous site as `.site.almanac-old`, a part-written `.site.almanac-tmp`.
    fs::rename(&out, tmp.path().join(".site.almanac-old")).unwrap();
    fs::create_dir_all(tmp.path().join(".site.almanac-tmp/teams")).unwrap();
    break_deployments(&root);
    let o = build(&root, &out);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("note: restored the previous site to"), "{err}");
    assert!(
        err.contains("build failed: nothing was written; the previous site is untouched"),
        "{err}"
    );
    assert_eq!(tree(&out), before);
    assert_eq!(names(tmp.path()), ["site", "src"]);
}

#[test]
fn a_failed_first_build_does_not_mention_a_previous_site() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("src");
    copy_dir(&fixture("basic"), &root);
    break_deployments(&root);
    let out = tmp.path().join("site");
    let o = build(&root, &out);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.ends_with("build failed: nothing was written\n"),
        "{err}"
    );
    assert!(!out.exists());
    assert_eq!(names(tmp.path()), ["src"]);
}
