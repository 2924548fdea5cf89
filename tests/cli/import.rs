//! `almanac import`: each importer on small fixtures, appended to an `almanac init` site;
//! a second run adds nothing, and the site still builds and checks without errors.

use super::*;
use almanac::diag::catalogue::entry_of;

/// Runs git in `dir` with a clean configuration and fixed dates, so the repository (and its
/// SHAs) is the same on every machine.
fn git(dir: &Path, date: &str, args: &[&str]) -> String {
    let o = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Dev", "-c", "user.email=dev@example.com"])
        .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
        .args(["-c", "init.defaultBranch=main"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git {args:?}: {}", text(&o.stderr));
    text(&o.stdout).trim().to_string()
}

/// Commits a change of `file` on the current branch; returns its SHA.
fn commit(dir: &Path, file: &str, date: &str) -> String {
    fs::write(dir.join(file), date).unwrap();
    git(dir, date, &["add", file]);
    git(dir, date, &["commit", "-q", "-m", file]);
    git(dir, date, &["rev-parse", "HEAD"])
}

/// The fixture repository, by hand:
///
/// ```text
/// c1 ── c2 ──────── c3 ── m ── c4
///        └── f1 ──────────┘
/// ```
/// c2 has the lightweight tag `v1.0` (deployed at c2's committer date); m, a merge, has the
/// annotated tag `v1.1` (deployed at its tagger date, 2026-07-04T14:00:00+02:00); c4 has the
/// lightweight tag `nightly`, which `v*` does not match.
struct Repo {
    c1: String,
    c2: String,
    f1: String,
    c3: String,
}

fn make_repo(dir: &Path) -> Repo {
    fs::create_dir_all(dir).unwrap();
    git(dir, "2026-07-01T09:00:00+02:00", &["init", "-q"]);
    let c1 = commit(dir, "a", "2026-07-01T09:00:00+02:00");
    let c2 = commit(dir, "b", "2026-07-02T09:00:00-05:00");
    git(dir, "2026-07-02T09:00:00-05:00", &["tag", "v1.0"]);
    git(
        dir,
        "2026-07-03T08:00:00+02:00",
        &["checkout", "-q", "-b", "feature"],
    );
    let f1 = commit(dir, "f", "2026-07-03T08:00:00+02:00");
    git(
        dir,
        "2026-07-03T09:00:00+02:00",
        &["checkout", "-q", "main"],
    );
    let c3 = commit(dir, "c", "2026-07-03T10:00:00+02:00");
    git(
        dir,
        "2026-07-04T09:00:00+02:00",
        &["merge", "-q", "--no-ff", "-m", "merge", "feature"],
    );
    git(
        dir,
        "2026-07-04T14:00:00+02:00",
        &["tag", "-a", "v1.1", "-m", "release 1.1"],
    );
    commit(dir, "d", "2026-07-05T09:00:00+02:00");
    git(dir, "2026-07-05T09:00:00+02:00", &["tag", "nightly"]);
    Repo { c1, c2, f1, c3 }
}

fn init_site(tmp: &Path) -> PathBuf {
    let site = tmp.join("site");
    let o = almanac(&["init", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    site
}

/// The lines a file gained since `before`.
fn gained(site: &Path, file: &str, before: &str) -> Vec<String> {
    let now = fs::read_to_string(site.join(file)).unwrap();
    assert!(
        now.starts_with(before),
        "{file}: existing rows were rewritten"
    );
    now[before.len()..].lines().map(String::from).collect()
}

/// Builds and checks the site: both succeed and `check` reports no error.
fn builds_and_checks(site: &Path) {
    let o = build(site, &site.join("public"));
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = almanac(&["check", "--root", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!text(&o.stderr).contains(": error:"), "{}", text(&o.stderr));
}

/// `almanac import git` of `repo` as service `api` into `site`, with `--tags` or
/// `--deploys-from` and its value.
fn import_git(site: &Path, repo: &Path, how: &str, value: &str) -> Output {
    let repo = repo.to_str().unwrap();
    run_in(
        site,
        &[
            "import",
            "git",
            "--repo",
            repo,
            "--service",
            "api",
            how,
            value,
        ],
    )
}

fn run_in(site: &Path, args: &[&str]) -> Output {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--root", site.to_str().unwrap()]);
    almanac(&all)
}

#[test]
fn git_tags_become_deployments_and_their_commits_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let repo_dir = tmp.path().join("repo");
    let r = make_repo(&repo_dir);
    // Read from a clone, as a user trying almanac on a public repository would.
    let clone = tmp.path().join("clone");
    git(
        tmp.path(),
        "2026-07-06T00:00:00Z",
        &[
            "clone",
            "-q",
            repo_dir.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
    );
    let repo_dir = clone;
    let site = init_site(tmp.path());
    let deploys_before = fs::read_to_string(site.join("data/deployments.csv")).unwrap();
    let changes_before = fs::read_to_string(site.join("data/changes.csv")).unwrap();
    let o = import_git(&site, &repo_dir, "--tags", "v*");
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        "data/deployments.csv: 2 rows added, 0 skipped (already there)\n\
         data/changes.csv: 4 rows added, 0 skipped (already there)\n"
    );
    // The init site's deployments.csv has no `commit` column: said, not added.
    assert!(
        text(&o.stderr).contains("has no `commit` column"),
        "{}",
        text(&o.stderr)
    );
    // v1.0 is lightweight: c2's committer date as git wrote it; v1.1 is annotated: the
    // tagger date. `nightly` does not match `v*`.
    assert_eq!(
        gained(&site, "data/deployments.csv", &deploys_before),
        [
            "v1.0,api,production,success,2026-07-02T09:00:00-05:00,",
            "v1.1,api,production,success,2026-07-04T14:00:00+02:00,",
        ]
    );
    // v1.0 ships c1 and c2; v1.1 ships f1 (08:00+02:00) and c3 (10:00+02:00), in committer
    // order, but not the merge m; c4 is in no deployment.
    assert_eq!(
        gained(&site, "data/changes.csv", &changes_before),
        [
            format!("{},api,2026-07-01T09:00:00+02:00,v1.0", r.c1),
            format!("{},api,2026-07-02T09:00:00-05:00,v1.0", r.c2),
            format!("{},api,2026-07-03T08:00:00+02:00,v1.1", r.f1),
            format!("{},api,2026-07-03T10:00:00+02:00,v1.1", r.c3),
        ]
    );
    let after = tree(&site);
    let o = import_git(&site, &repo_dir, "--tags", "v*");
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        "data/deployments.csv: 0 rows added, 2 skipped (already there)\n\
         data/changes.csv: 0 rows added, 4 skipped (already there)\n"
    );
    assert_eq!(tree(&site), after, "a second run changes nothing");
    builds_and_checks(&site);
}

#[test]
fn git_deploys_from_finds_the_changes_of_listed_commits() {
    let tmp = tempfile::tempdir().unwrap();
    let repo_dir = tmp.path().join("repo");
    let r = make_repo(&repo_dir);
    let site = tmp.path().join("site");
    fs::create_dir_all(site.join("data")).unwrap();
    fs::write(
        site.join("almanac.toml"),
        "title = \"T\"\n[[team]]\nid = \"shop\"\nservices = [\"api\"]\n",
    )
    .unwrap();
    // d1 deploys c1 by a short SHA; d2 (staging) is not a production deployment; d3
    // deploys c3, whose history holds c2 and c3 but not the feature branch.
    let deploys = format!(
        "deploy_id,service,environment,status,deployed_at,commit\n\
         d1,api,production,success,2026-07-01T12:00:00Z,{}\n\
         d2,api,staging,success,2026-07-03T12:00:00Z,{}\n\
         d3,api,production,success,2026-07-03T12:00:00Z,{}\n",
        &r.c1[..10],
        r.f1,
        r.c3
    );
    fs::write(site.join("data/deployments.csv"), &deploys).unwrap();
    let o = import_git(&site, &repo_dir, "--deploys-from", "data/deployments.csv");
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        "data/changes.csv: 3 rows added, 0 skipped (already there)\n"
    );
    assert_eq!(
        fs::read_to_string(site.join("data/changes.csv")).unwrap(),
        format!(
            "change_id,service,committed_at,deploy_id\n\
             {},api,2026-07-01T09:00:00+02:00,d1\n\
             {},api,2026-07-02T09:00:00-05:00,d3\n\
             {},api,2026-07-03T10:00:00+02:00,d3\n",
            r.c1, r.c2, r.c3
        )
    );
    assert_eq!(
        fs::read_to_string(site.join("data/deployments.csv")).unwrap(),
        deploys,
        "untouched"
    );
    let o = import_git(&site, &repo_dir, "--deploys-from", "data/deployments.csv");
    assert_eq!(
        text(&o.stdout),
        "data/changes.csv: 0 rows added, 3 skipped (already there)\n"
    );
    builds_and_checks(&site);
}

#[test]
fn an_unknown_commit_is_an_error_at_its_field_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let repo_dir = tmp.path().join("repo");
    make_repo(&repo_dir);
    let site = tmp.path().join("site");
    fs::create_dir_all(site.join("data")).unwrap();
    fs::write(
        site.join("data/deployments.csv"),
        "deploy_id,service,environment,status,deployed_at,commit\n\
         d1,api,production,success,2026-07-01T12:00:00Z,0badc0ffee\n",
    )
    .unwrap();
    let before = tree(&site);
    let o = import_git(&site, &repo_dir, "--deploys-from", "data/deployments.csv");
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    // `d1,api,production,success,2026-07-01T12:00:00Z,` is 47 characters: column 48.
    let first = err.lines().next().unwrap();
    assert!(
        first.starts_with(
            "data/deployments.csv:2:48: error: commit `0badc0ffee` of deployment `d1` is not in "
        ),
        "{err}"
    );
    assert_catalogued(&err);
    assert_eq!(tree(&site), before, "nothing written");
}

/// Every `path:line:col: error: message` line of an import's output has a catalogue entry.
fn assert_catalogued(stderr: &str) {
    for line in stderr.lines().filter(|l| l.contains(": error: ")) {
        let message = &line[line.find(": error: ").unwrap() + 9..];
        assert!(
            entry_of(message).is_some(),
            "no catalogue entry for {message}"
        );
    }
}

#[test]
fn prometheus_counters_become_sli_rows_with_resets_and_gaps_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path());
    let before = fs::read_to_string(site.join("data/sli.csv")).unwrap();
    let good = fixture("import/prometheus_good.json");
    let total = fixture("import/prometheus_total.json");
    let args = [
        "import",
        "prometheus",
        "--slo",
        "api-availability",
        "--good",
        good.to_str().unwrap(),
        "--total",
        total.to_str().unwrap(),
    ];
    let o = run_in(&site, &args);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        "data/sli.csv: 4 rows added, 0 skipped (already there)\n"
    );
    // Hourly counter values from 2026-07-01T00:00Z (the first is the baseline):
    //   good  1000 1090 1185  --  1380  40  130
    //   total 1000 1100 1200 1300 1400  50  150
    // 01:00 90/100, 02:00 95/100; good lacks 03:00, so neither 03:00 nor 04:00 (whose
    // increase spans the gap) is written; 05:00 is a reset in both, counted from 0: 40/50;
    // 06:00 130-40 = 90 of 150-50 = 100.
    assert_eq!(
        gained(&site, "data/sli.csv", &before),
        [
            "api-availability,2026-07-01T01:00:00Z,90,100",
            "api-availability,2026-07-01T02:00:00Z,95,100",
            "api-availability,2026-07-01T05:00:00Z,40,50",
            "api-availability,2026-07-01T06:00:00Z,90,100",
        ]
    );
    let err = text(&o.stderr);
    for said in [
        "1 step missing after 2026-07-01T02:00:00Z",
        "prometheus_good.json: counter reset at 2026-07-01T05:00:00Z",
        "prometheus_total.json: counter reset at 2026-07-01T05:00:00Z",
        "2 steps are in only one of the two files (first: 2026-07-01T03:00:00Z)",
    ] {
        assert!(err.contains(said), "{said}: {err}");
    }
    let after = tree(&site);
    let o = run_in(&site, &args);
    assert_eq!(
        text(&o.stdout),
        "data/sli.csv: 0 rows added, 4 skipped (already there)\n"
    );
    assert_eq!(tree(&site), after, "a second run changes nothing");
    builds_and_checks(&site);
    // An SLO the site does not define is refused before anything is read.
    let o = run_in(
        &site,
        &[
            "import",
            "prometheus",
            "--slo",
            "nope",
            "--good",
            good.to_str().unwrap(),
            "--total",
            total.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("SLO `nope` is not defined"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn pagerduty_and_opsgenie_exports_become_incidents() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path());
    let before = fs::read_to_string(site.join("data/incidents.csv")).unwrap();
    let pd = fixture("import/pagerduty.csv");
    let og = fixture("import/opsgenie.csv");
    let pd_args = [
        "import",
        "incidents",
        "--from",
        pd.to_str().unwrap(),
        "--preset",
        "pagerduty",
    ];
    let og_args = [
        "import",
        "incidents",
        "--from",
        og.to_str().unwrap(),
        "--preset",
        "opsgenie",
    ];
    let o = run_in(&site, &pd_args);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        "data/incidents.csv: 3 rows added, 0 skipped (already there)\n"
    );
    let o = run_in(&site, &og_args);
    assert_eq!(
        text(&o.stdout),
        "data/incidents.csv: 2 rows added, 0 skipped (already there)\n"
    );
    // The init file's columns: incident_id,service,severity,started_at,detected_at,
    // resolved_at,caused_by_deploy,cause,title. PagerDuty: P1 -> 1; 1042 has no priority,
    // so its urgency low -> 4; P3 -> 3, unresolved. Opsgenie: P2 -> 2, P5 -> 4.
    assert_eq!(
        gained(&site, "data/incidents.csv", &before),
        [
            "1041,api,1,2026-06-20T09:15:00Z,,2026-06-20T10:05:00Z,,,Checkout returns 502",
            "1042,web,4,2026-06-22T14:00:00+02:00,,2026-06-22T15:30:00+02:00,,,\"Search slow, timeouts\"",
            "1043,api,3,2026-06-28T08:00:00Z,,,,,Disk almost full",
            "77,api,2,2026-06-24T03:10:00Z,,2026-06-24T04:40:00Z,,,Payments queue stuck",
            "78,web,4,2026-06-26T11:00:00Z,,2026-06-26T11:20:00Z,,,Login errors for EU users",
        ]
    );
    let after = tree(&site);
    let o = run_in(&site, &pd_args);
    assert_eq!(
        text(&o.stdout),
        "data/incidents.csv: 0 rows added, 3 skipped (already there)\n"
    );
    assert_eq!(tree(&site), after, "a second run changes nothing");
    builds_and_checks(&site);
    // An unmapped urgency is an error at its field, and nothing is written.
    let incidents = fs::read(site.join("data/incidents.csv")).unwrap();
    let bad = tmp.path().join("bad.csv");
    fs::write(&bad, "Incident Number,Title,Urgency,Service Name,Created At,Resolved At\n9,X,medium,api,2026-06-20T09:15:00Z,\n").unwrap();
    let o = run_in(
        &site,
        &[
            "import",
            "incidents",
            "--from",
            bad.to_str().unwrap(),
            "--preset",
            "pagerduty",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    // `9,X,` is 4 characters: the urgency starts at column 5.
    assert!(
        err.contains("bad.csv:2:5: error: severity `medium` has no mapping"),
        "{err}"
    );
    assert_catalogued(&err);
    assert_eq!(
        fs::read(site.join("data/incidents.csv")).unwrap(),
        incidents,
        "nothing written"
    );
}
