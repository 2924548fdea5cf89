//! `almanac diff`: between two folders and between two commits of a temporary git
//! repository (a changed data row, a changed definition, no change), markdown and JSON,
//! `--fail-on any`, and the working tree left untouched.

use super::*;

/// Two new report repositories, `a` (the base of a diff) and `b` (its head), in a temporary
/// folder the caller keeps alive.
fn two_new_repositories() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    init(&a);
    init(&b);
    (tmp, a, b)
}

fn diff(base: &str, root: &Path, extra: &[&str]) -> Output {
    almanac(
        &[
            &["diff", "--base", base, "--root", root.to_str().unwrap()],
            extra,
        ]
        .concat(),
    )
}

/// d-004 (api, 2026-04-07) rolled back instead of successful.
fn roll_back_d004(root: &Path) {
    edit(
        &root.join("data/deployments.csv"),
        "d-004,api,production,success",
        "d-004,api,production,rolled_back",
    );
}

fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git {args:?}: {}", text(&o.stderr));
    text(&o.stdout)
}

#[test]
fn identical_folders_say_so_in_one_line() {
    let (_tmp, a, b) = two_new_repositories();
    let o = diff(a.to_str().unwrap(), &b, &["--fail-on", "any"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("no material change"), "{out}");
}

#[test]
fn a_changed_data_row_lists_the_figures_it_moves() {
    let (_tmp, a, b) = two_new_repositories();
    roll_back_d004(&b);
    let o = diff(a.to_str().unwrap(), &b, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    // 2026-Q2's counted production deployments: d-004, d-006 (api), d-005, d-008 (web);
    // d-006 already failed (INC-2 names it). Rolling d-004 back: org 1/4 = 25% -> 2/4 =
    // 50%, api 1/2 = 50% -> 2/2 = 100%; web's figures do not move.
    for row in [
        "| org | 2026-Q2 | change_failure_rate | 25% | 50% | worsened |",
        "| team:core | 2026-Q2 | change_failure_rate | 25% | 50% | worsened |",
        "| service:api | 2026-Q2 | change_failure_rate | 50% | 100% | worsened |",
    ] {
        assert!(out.contains(row), "missing `{row}` in:\n{out}");
    }
    assert!(!out.contains("service:web"), "{out}");
    assert!(
        out.contains("site pages that change: dashboard (`index.html`)"),
        "{out}"
    );
    assert!(!out.contains("### Metric definitions"), "{out}");
    // The same in JSON, and --fail-on any fails.
    let o = diff(
        a.to_str().unwrap(),
        &b,
        &["--format", "json", "--fail-on", "any"],
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["material"], true);
    assert_eq!(v["restatements"].as_array().unwrap().len(), 0);
    let figs = v["figures"].as_array().unwrap();
    assert_eq!(figs.len(), 3, "{v}");
    assert_eq!(figs[0]["scope"], "org");
    approx(&figs[0]["old"], 0.25);
    approx(&figs[0]["new"], 0.5);
    assert_eq!(figs[0]["verdict"], "worsened");
    // --fail-on restatement: nothing published is restated.
    let o = diff(a.to_str().unwrap(), &b, &["--fail-on", "restatement"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn a_correction_to_an_earlier_quarter_lists_its_figures_apart() {
    let (_tmp, a, b) = two_new_repositories();
    // Both trees get d-000 (api, 2025-12-02), the one deployment of 2025-Q4; head rolls it
    // back. The data runs to 2026-06-29, so 2026-Q2 and 2026-Q1 are the current and previous
    // quarters and 2025-Q4 is earlier: its change failure rate goes 0/1 = 0% -> 1/1 = 100%
    // for the org, core and api; no figure of 2026 moves.
    for root in [&a, &b] {
        edit(
            &root.join("data/deployments.csv"),
            "d-001,",
            "d-000,api,production,success,2025-12-02T10:00:00Z,false\nd-001,",
        );
    }
    edit(
        &b.join("data/deployments.csv"),
        "d-000,api,production,success",
        "d-000,api,production,rolled_back",
    );
    let out = text(&diff(a.to_str().unwrap(), &b, &[]).stdout);
    assert!(
        out.contains(
            "### Earlier quarters that change\n\n3 headline figures of one quarter: 2025-Q4.\n"
        ),
        "{out}"
    );
    for row in [
        "| org | 2025-Q4 | change_failure_rate | 0% | 100% | worsened |",
        "| team:core | 2025-Q4 | change_failure_rate | 0% | 100% | worsened |",
        "| service:api | 2025-Q4 | change_failure_rate | 0% | 100% | worsened |",
    ] {
        assert!(out.contains(row), "missing `{row}` in:\n{out}");
    }
    assert!(!out.contains("### Headline figures that change"), "{out}");
    let o = diff(
        a.to_str().unwrap(),
        &b,
        &["--format", "json", "--fail-on", "any"],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "a changed earlier quarter is material"
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["figures"].as_array().unwrap().len(), 0, "{v}");
    let earlier = v["earlier_figures"].as_array().unwrap();
    assert_eq!(earlier.len(), 3, "{v}");
    assert_eq!(
        (&earlier[2]["scope"], &earlier[2]["period"]),
        (
            &serde_json::json!("service:api"),
            &serde_json::json!("2025-Q4")
        )
    );
    approx(&earlier[2]["new"], 1.0);
}

#[test]
fn rows_taken_out_of_an_old_quarter_list_its_figures_as_gone() {
    let (_tmp, a, b) = two_new_repositories();
    // Base has d-000 (api, 2025-12-02), the one deployment of 2025-Q4; head has not, so
    // its data starts in 2026 and 2025-Q4 is not one of its quarters at all. Base's
    // change failure rate there, 0/1 = 0%, reads n/a in head for the org, core and api.
    edit(
        &a.join("data/deployments.csv"),
        "d-001,",
        "d-000,api,production,success,2025-12-02T10:00:00Z,false\nd-001,",
    );
    let out = text(&diff(a.to_str().unwrap(), &b, &[]).stdout);
    assert!(out.contains("### Earlier quarters that change"), "{out}");
    for row in [
        "| org | 2025-Q4 | change_failure_rate | 0% | n/a | n/a |",
        "| team:core | 2025-Q4 | change_failure_rate | 0% | n/a | n/a |",
        "| service:api | 2025-Q4 | change_failure_rate | 0% | n/a | n/a |",
    ] {
        assert!(out.contains(row), "missing `{row}` in:\n{out}");
    }
    let o = diff(
        a.to_str().unwrap(),
        &b,
        &["--format", "json", "--fail-on", "any"],
    );
    assert_eq!(o.status.code(), Some(1), "a quarter taken out is material");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let gone = v["earlier_figures"].as_array().unwrap();
    let cfr = gone
        .iter()
        .find(|f| f["scope"] == "org" && f["metric"] == "change_failure_rate")
        .unwrap_or_else(|| panic!("no org change failure rate in {v}"));
    assert_eq!(
        (&cfr["period"], &cfr["new"]),
        (&serde_json::json!("2025-Q4"), &serde_json::Value::Null)
    );
    approx(&cfr["old"], 0.0);
}

#[test]
fn a_team_merged_into_another_lists_its_figures_as_gone() {
    let (_tmp, a, b) = two_new_repositories();
    // Base: web belongs to its own team, edge. Head merges it into core, so team:edge has
    // no figures in head. web's one deployment of 2026-Q2, d-005 (success), gives edge a
    // change failure rate of 0/1 = 0% in base and n/a in head.
    edit(
        &a.join("almanac.toml"),
        r#"services = ["api", "web"]"#,
        "services = [\"api\"]\n\n[[team]]\nid = \"edge\"\nname = \"Edge\"\nservices = [\"web\"]",
    );
    let out = text(&diff(a.to_str().unwrap(), &b, &[]).stdout);
    assert!(out.contains("### Headline figures that change"), "{out}");
    let row = "| team:edge | 2026-Q2 | change_failure_rate | 0% | n/a | n/a |";
    assert!(out.contains(row), "missing `{row}` in:\n{out}");
}

#[test]
fn commits_of_a_git_repository_are_compared_without_touching_the_working_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    init(&repo);
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "start"]);
    // No change at all.
    let o = diff("HEAD", &repo, &["--fail-on", "any"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("no material change"));
    // A changed definition, committed.
    let def = repo.join("content/metrics/rework_rate.md");
    edit(&def, "better = \"lower\"", "better = \"higher\"");
    git(&repo, &["commit", "-q", "-am", "rework is good now"]);
    let o = diff("HEAD~1", &repo, &[]);
    let out = text(&o.stdout);
    assert!(
        out.contains("- `rework_rate` changed: version 1, unchanged; changed: better"),
        "{out}"
    );
    // A changed data row, not committed: the working tree against HEAD.
    roll_back_d004(&repo);
    let status = git(&repo, &["status", "--porcelain"]);
    let o = diff("HEAD", &repo, &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("| org | 2026-Q2 | change_failure_rate | 25% | 50% | worsened |"),
        "{out}"
    );
    assert!(!out.contains("rework_rate"), "{out}");
    assert_eq!(
        git(&repo, &["status", "--porcelain"]),
        status,
        "working tree untouched"
    );
    // A ref that does not exist is a usage error.
    let o = diff("no-such-branch", &repo, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("neither a folder nor a git ref"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn a_later_quarter_only_the_base_has_is_a_headline_not_an_earlier_one() {
    let (_tmp, a, b) = two_new_repositories();
    // Base has d-009 (api, 2026-07-07, success), so its report date is in 2026-Q3; head's
    // data ends in 2026-Q2. Base's 2026-Q3 change failure rate, 0/1 = 0%, reads n/a in
    // head: the latest quarter of the two trees, listed with the headline figures.
    edit(
        &a.join("data/deployments.csv"),
        "d-008,web,production,success,2026-06-16T13:20:00Z,false",
        "d-008,web,production,success,2026-06-16T13:20:00Z,false\nd-009,api,production,success,2026-07-07T10:00:00Z,false",
    );
    let o = diff(a.to_str().unwrap(), &b, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let in_section = |section: &str, period: &str| {
        v[section]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["period"] == period)
    };
    assert!(in_section("figures", "2026-Q3"), "{v}");
    assert!(!in_section("earlier_figures", "2026-Q3"), "{v}");
    let cfr = v["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["scope"] == "org" && f["period"] == "2026-Q3" && f["metric"] == "change_failure_rate"
        })
        .unwrap_or_else(|| panic!("no org 2026-Q3 change failure rate in {v}"));
    approx(&cfr["old"], 0.0);
    assert_eq!(cfr["new"], serde_json::Value::Null);
    let out = text(&diff(a.to_str().unwrap(), &b, &[]).stdout);
    let row = "| org | 2026-Q3 | change_failure_rate | 0% | n/a | n/a |";
    let headline = out.split("### Earlier quarters").next().unwrap();
    assert!(
        headline.contains(row),
        "`{row}` not among the headline figures:\n{out}"
    );
}
