//! Integration tests: run the real `almanac` binary on the fixture sites in
//! `tests/fixtures/` and on the example site at the repository root.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn almanac(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_almanac"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir`, relative path -> bytes, in order.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn build(root: &Path, out: &Path) -> Output {
    almanac(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ])
}

#[test]
fn builds_the_basic_fixture() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&fixture("basic"), &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).starts_with("built "), "{}", text(&o.stdout));
    for page in [
        "index.html",
        "teams/index.html",
        "teams/shop.html",
        "services/api.html",
        "services/web.html",
        "retros/index.html",
        "retros/i1.html",
        "retros/i2.html",
        "metrics/index.html",
        "metrics/lead_time_median_hours.html",
        "data-contract.html",
        "methodology.html",
        "data/metrics.json",
        "static/style.css",
        "static/charts.css",
    ] {
        assert!(out.join(page).is_file(), "missing {page}");
    }
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("<svg"), "the dashboard has charts");
    assert!(index.contains("Deployments per week"));
    // The freeze title is escaped wherever it appears.
    assert!(
        index.contains("Release freeze &lt;for &quot;audit&quot;&gt;")
            || index.contains("Release freeze &lt;for &#34;audit&#34;&gt;")
    );
    assert!(!index.contains("<for \"audit\">"));
    // Retro markdown is sanitised.
    let retro = fs::read_to_string(out.join("retros/i1.html")).unwrap();
    assert!(!retro.contains("<script>"));
    assert!(
        retro.contains("done on time") && retro.contains("done 1 days late")
            || retro.contains("done 1 day late")
    );
}

#[test]
fn metrics_json_matches_hand_computed_figures() {
    let o = almanac(&[
        "metrics",
        "--root",
        fixture("basic").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["scope"], "org");
    assert_eq!(v["period"], "2026-Q3");
    assert_eq!(v["start"], "2026-07-01");
    assert_eq!(v["end"], "2026-07-15");
    // d1, d2, d3, d6 counted; 4 x 7 / 15 days.
    assert_eq!(v["deployments"], 4);
    assert!((v["deploys_per_week"].as_f64().unwrap() - 28.0 / 15.0).abs() < 1e-9);
    // Lead times 2, 4, 10, 24, 48 h: median 10, p90 24 + 24 x 0.6 = 38.4.
    assert_eq!(v["lead_time_median_hours"], 10.0);
    assert!((v["lead_time_p90_hours"].as_f64().unwrap() - 38.4).abs() < 1e-9);
    assert_eq!(v["change_failure_rate"], 0.5);
    assert_eq!(v["time_to_restore_median_hours"], 13.0);
    assert_eq!(v["retro_within_72h_rate"], 0.5);
    assert_eq!(v["rework_rate"], serde_json::Value::Null);
    assert!(v["slos"].is_array());

    let o = almanac(&[
        "metrics",
        "--root",
        fixture("basic").to_str().unwrap(),
        "--scope",
        "team:web",
        "--period",
        "2026-W28",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // Week 28 is 6-12 July: d6 only; i3 started 10 July.
    assert_eq!(v["deployments"], 1);
    assert_eq!(v["incidents"], 1);
    assert_eq!(v["time_to_restore_median_hours"], serde_json::Value::Null);
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("elsewhere/b"));
    assert!(build(&fixture("basic"), &a).status.success());
    assert!(build(&fixture("basic"), &b).status.success());
    let (ta, tb) = (tree(&a), tree(&b));
    assert_eq!(ta.len(), tb.len());
    for ((pa, ba), (pb, bb)) in ta.iter().zip(&tb) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between builds");
    }
}

#[test]
fn check_reports_every_problem_with_locations() {
    let o = almanac(&["check", "--root", fixture("broken").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    let expected = [
        "content/retros/ghost.md:3:1: error: retro names incident `i404`, which is not in data/incidents.csv",
        "data/changes.csv:2:29: error: deploy_id `d9` does not exist in data/deployments.csv",
        "data/changes.csv:3:8: error: committed_at is after its deployment `d1`",
        "data/deployments.csv:3:19: error: unknown status `ok`; use success, rolled_back or failed",
        "data/deployments.csv:4:1: error: duplicate deploy_id `d1`; first used on line 2",
        "data/deployments.csv:4:27: error: `deployed_at`: timestamp `2026-07-03T10:00:00` has no UTC offset",
        "data/deployments.csv:5:1: warning: service `billing` is not owned by any team",
        "data/incidents.csv:2:8: error: severity `7` must be 1 (worst), 2, 3 or 4",
    ];
    for e in expected {
        assert!(err.contains(e), "missing `{e}` in:\n{err}");
    }
    assert!(err.contains("7 errors, 1 warning"), "{err}");
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site-src");
    copy_dir(&fixture("basic"), &root);
    let out = tmp.path().join("out");
    assert!(build(&root, &out).status.success());
    let before = tree(&out);
    fs::write(root.join("data/deployments.csv"), "deploy_id,service,environment,status,deployed_at\nd1,api,production,ok,2026-07-01T10:00:00Z\n").unwrap();
    let o = build(&root, &out);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("data/deployments.csv:2:19: error: unknown status `ok`"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(tree(&out), before);
}

#[test]
fn the_example_site_checks_clean_and_builds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = almanac(&["check", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let tmp = tempfile::tempdir().unwrap();
    let o = build(root, &tmp.path().join("site"));
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn demo_writes_a_site_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("demo");
    let o = almanac(&[
        "demo",
        "--out",
        root.to_str().unwrap(),
        "--teams",
        "2",
        "--services-per-team",
        "2",
        "--months",
        "4",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = almanac(&["check", "--root", root.to_str().unwrap()]);
    assert!(!text(&o.stderr).contains("error:"), "{}", text(&o.stderr));
    let o = build(&root, &tmp.path().join("site"));
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn refuses_to_overwrite_a_folder_it_did_not_build() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::write(docs.join("notes.txt"), "mine").unwrap();
    let o = build(&fixture("basic"), &docs);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("refusing to replace"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(fs::read_to_string(docs.join("notes.txt")).unwrap(), "mine");
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn metrics_json(root: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec![
        "metrics",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ];
    all.extend_from_slice(args);
    let o = almanac(&all);
    assert!(o.status.success(), "{}", text(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn incident_figures_match_hand_computed_values() {
    let root = fixture("incidents");
    let v = metrics_json(&root, &[]);
    assert_eq!(v["period"], "2026-Q3");
    // i3, i4, i6 repeat a cause on their service within 90 days (i3's twin i1 is in Q2).
    assert_eq!(v["repeat_incidents"], 3);
    // i5: severity 2, resolved 9 July 12:00, no retro by the end of 15 July.
    assert_eq!(v["retros_missing"], 1);
    // i2's two open items; the one due 10 July is overdue.
    assert_eq!(v["action_items_open"], 2);
    assert_eq!(v["action_items_overdue"], 1);
    // i4: resolved 6 July, last item done 14 July.
    assert_eq!(v["median_days_to_fix"], 8.0);
    // Detect 5, 20, 30, 60 min -> 25 min; acknowledge 5, 10, 60 min -> 10 min.
    assert!((v["time_to_detect_median_hours"].as_f64().unwrap() - 25.0 / 60.0).abs() < 1e-9);
    assert!((v["time_to_acknowledge_median_hours"].as_f64().unwrap() - 10.0 / 60.0).abs() < 1e-9);
    // Six pages in 15 days; 4 actionable, 4 after hours.
    assert!((v["pages_per_week"].as_f64().unwrap() - 2.8).abs() < 1e-9);
    assert!((v["actionable_page_rate"].as_f64().unwrap() - 4.0 / 6.0).abs() < 1e-9);
    assert!((v["after_hours_page_rate"].as_f64().unwrap() - 4.0 / 6.0).abs() < 1e-9);
    // Q1 has no pages yet: null, not zero.
    let q1 = metrics_json(&root, &["--period", "2026-Q1"]);
    assert_eq!(q1["pages_per_week"], serde_json::Value::Null);
    assert_eq!(q1["repeat_incidents"], 0);
    // The basic fixture has no detected_at column and no pages.csv.
    let basic = metrics_json(&fixture("basic"), &[]);
    assert_eq!(
        basic["time_to_detect_median_hours"],
        serde_json::Value::Null
    );
    assert_eq!(basic["pages_per_week"], serde_json::Value::Null);
    // Its i2 item (due 14 July) is open and overdue on 15 July; i1's item due 20 July is open.
    assert_eq!(basic["action_items_open"], 2);
    assert_eq!(basic["action_items_overdue"], 1);
}

#[test]
fn incident_pages_show_the_learning_loop() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&fixture("incidents"), &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    // Tera escapes `/` in attributes; compare paths unescaped.
    let read = |p: &str| {
        fs::read_to_string(out.join(p))
            .unwrap_or_else(|_| panic!("missing {p}"))
            .replace("&#x2F;", "/")
    };
    let i4 = read("incidents/i4.html");
    // The title is escaped; timeline, repeat, retro, factors, items and charts are there.
    assert!(i4.contains("Checkout errors &lt;again&gt;"));
    assert!(!i4.contains("<again>"));
    assert!(i4.contains("2026-07-05 00:20") && i4.contains("+20 min"));
    assert!(i4.contains("24 h"));
    assert!(
        i4.contains("href=\"../incidents/i2.html\""),
        "links the earlier incident"
    );
    assert!(i4.contains("../retros/i4.html"));
    assert!(i4.contains("Rollback was manual"));
    assert!(i4.contains("done on time"));
    assert!(i4.contains("Deployments of api per day"));
    assert!(i4.contains("Daily bad-event rate"));
    let i3 = read("incidents/i3.html");
    assert!(i3.contains("<strong>d2</strong>") && i3.contains("../services/api.html"));
    assert!(i3.contains("The retro has no action items."));
    let i5 = read("incidents/i5.html");
    assert!(i5.contains("retro missing"));
    // The retro page links back and shows its contributing factors.
    let retro = read("retros/i4.html");
    assert!(retro.contains("../incidents/i4.html"));
    assert!(retro.contains("Contributing factors"));
    // Filtered lists exist without JavaScript.
    let web = read("incidents/team/web.html");
    assert!(web.contains("i5.html") && web.contains("i6.html") && !web.contains("i4.html"));
    assert!(read("incidents/severity/1.html").contains("i7.html"));
    assert!(read("incidents/status/unresolved.html").contains("i6.html"));
    assert!(read("incidents/service/pay.html").contains("i8.html"));
    assert!(!read("incidents/index.html").contains("<script"));
    // The board lists open items, oldest due first, grouped by owner team.
    let board = read("actions.html");
    assert!(board.contains("overdue by 5 days"));
    let (canary, smoke) = (
        board.find("Canary every checkout deploy").unwrap(),
        board.find("Add a checkout smoke test").unwrap(),
    );
    assert!(canary < smoke);
    assert!(!board.contains("Roll back automatically"));
    // The monthly review.
    let july = read("incidents/monthly/2026-07.html");
    for part in [
        "Recurring causes",
        "Noisiest services",
        "Retros still missing",
        "Action items closed",
    ] {
        assert!(july.contains(part), "{part}");
    }
    assert!(
        july.contains("72 days before"),
        "i3 repeats i1 across the quarter boundary"
    );
    assert!(read("incidents/monthly/index.html").contains("2026-07.html"));
    // On-call load on team pages.
    let shop = read("teams/shop.html");
    assert!(shop.contains("On-call load") && shop.contains("Pages per week"));
    // The navigation has both new sections.
    let index = read("index.html");
    assert!(index.contains("incidents/index.html") && index.contains("actions.html"));
}

#[test]
fn new_retro_writes_a_skeleton_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site-src");
    copy_dir(&fixture("incidents"), &root);
    let r = root.to_str().unwrap();
    let o = almanac(&["new", "retro", "i5", "--root", r]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let written = fs::read_to_string(root.join("content/retros/i5.md")).unwrap();
    assert!(written.contains("incident = \"i5\""));
    assert!(written.contains("## What went well"));
    // Again: refused, and the file is unchanged.
    fs::write(root.join("content/retros/i5.md"), "mine").unwrap();
    let o = almanac(&["new", "retro", "i5", "--root", r]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("already exists"));
    assert_eq!(
        fs::read_to_string(root.join("content/retros/i5.md")).unwrap(),
        "mine"
    );
    let o = almanac(&["new", "retro", "nope", "--root", r]);
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains("data/incidents.csv"),
        "{}",
        text(&o.stderr)
    );
}
