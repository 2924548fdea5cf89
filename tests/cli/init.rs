//! `almanac init DIR`: a new report repository that builds and checks clean at once, and
//! a non-empty folder refused untouched.

use super::*;

#[test]
fn a_new_repository_builds_and_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("reports");
    let o = almanac(&["init", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    for f in [
        "almanac.toml",
        ".gitignore",
        ".github/workflows/almanac.yml",
        "data/deployments.csv",
        "data/changes.csv",
        "data/incidents.csv",
        "data/sli.csv",
        "data/annotations.csv",
        "data/pages.csv",
        "content/metrics/change_failure_rate.md",
        "content/governance/how-we-use-metrics.md",
        "content/reports/2026-q2.md",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    assert!(fs::read_to_string(dir.join(".gitignore"))
        .unwrap()
        .lines()
        .any(|l| l == "site/"));
    let o = build(&dir, &dir.join("site"));
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stderr), "", "no warnings");
    assert!(dir.join("site/retros/inc-2.html").is_file());
    let o = almanac(&["check", "--root", dir.to_str().unwrap(), "--strict"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).starts_with("no problems found\n"),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn a_non_empty_folder_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let o = almanac(&["init", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("is not empty (it has notes.txt)"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(tree(tmp.path()).len(), 1, "nothing written");
}
