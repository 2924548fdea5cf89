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

/// Every scope's rows of a built site's exports (`data/index.json` lists the files), in
/// the index's order, each as an object (see [`table_rows`]).
fn export_rows(out: &Path) -> Vec<serde_json::Value> {
    export_files(out, "metrics")
        .iter()
        .flat_map(table_rows)
        .collect()
}

/// The rows of an export table (schema 3) as objects: each line's values by the table's
/// `columns`, with the table's `scope` when it has one. Every line has one value per column.
fn table_rows(table: &serde_json::Value) -> Vec<serde_json::Value> {
    let columns = table["columns"].as_array().unwrap();
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let values = row.as_array().unwrap();
            assert_eq!(values.len(), columns.len(), "{row}");
            let mut object = serde_json::Map::new();
            if let Some(scope) = table.get("scope") {
                object.insert("scope".into(), scope.clone());
            }
            for (c, v) in columns.iter().zip(values) {
                object.insert(c.as_str().unwrap().into(), v.clone());
            }
            serde_json::Value::Object(object)
        })
        .collect()
}

/// The files of kind `what` (`metrics` or `trends`) of every scope `data/index.json` lists.
fn export_files(out: &Path, what: &str) -> Vec<serde_json::Value> {
    let index: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("data/index.json")).unwrap()).unwrap();
    assert_eq!(index["schema"], 3);
    index["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let path = out.join(s[what].as_str().unwrap());
            let file: serde_json::Value =
                serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
            assert_eq!(file["schema"], 3, "{}", path.display());
            file
        })
        .collect()
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

/// JSON figures carry 6 significant digits: compare within that rounding.
fn approx(v: &serde_json::Value, want: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"));
    assert!((got - want).abs() <= 5e-6 * want.abs(), "{got} vs {want}");
}

/// The example site (the repository root) built into a temp dir: the dir, kept alive by
/// the caller, and the output folder.
fn example_site() -> (tempfile::TempDir, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(root, &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    (tmp, out)
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
        "trends.html",
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
        "data/index.json",
        "data/metrics/org.json",
        "data/trends/org.json",
        "static/style.css",
        "static/charts.css",
    ] {
        assert!(out.join(page).is_file(), "missing {page}");
    }
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    // One stylesheet: the theme's, with the charts' CSS after it (`charts.css` is still
    // written alone for themes that link it).
    let style = fs::read_to_string(out.join("static/style.css")).unwrap();
    let charts = fs::read_to_string(out.join("static/charts.css")).unwrap();
    assert!(style.ends_with(&format!("\n{charts}")) && charts.starts_with("/* charts */"));
    assert_eq!(index.matches("rel=\"stylesheet\"").count(), 1);
    assert!(index.contains("<svg"), "the dashboard has sparklines");
    assert!(index.contains("Are we shipping?"));
    // The full charts are one click away, on trends.html.
    assert!(index.contains("href=\"trends.html#org-lead-time\""));
    let trends = fs::read_to_string(out.join("trends.html")).unwrap();
    assert!(trends.contains("Deployments per week"));
    // The freeze title is escaped wherever it appears.
    assert!(
        trends.contains("Release freeze &lt;for &quot;audit&quot;&gt;")
            || trends.contains("Release freeze &lt;for &#34;audit&#34;&gt;")
    );
    assert!(!trends.contains("<for \"audit\">"));
    assert!(!index.contains("<for \"audit\">"));
    // Retro markdown is sanitised.
    let retro = fs::read_to_string(out.join("retros/i1.html")).unwrap();
    assert!(!retro.contains("<script>"));
    assert!(retro.contains("done on time") && retro.contains("done 1 day late"));
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
    // d1, d2, d3, d6 counted; 4 x 7 / 15 days = 1.8666..., written with 6 significant digits.
    assert_eq!(v["deployments"], 4);
    assert_eq!(v["deploys_per_week"], 1.86667);
    // Lead times 2, 4, 10, 24, 48 h: median 10, p90 24 + 24 x 0.6 = 38.4.
    assert_eq!(v["lead_time_median_hours"], 10.0);
    approx(&v["lead_time_p90_hours"], 38.4);
    assert_eq!(v["change_failure_rate"], 0.5);
    assert_eq!(v["time_to_restore_median_hours"], 13.0);
    assert_eq!(v["retro_within_72h_rate"], 0.5);
    assert_eq!(v["rework_rate"], serde_json::Value::Null);
    assert!(v["slos"].is_array());
    // as_of 15 July cuts Q3 to 15 of 92 days: a partial row, compared with the same 15
    // days of Q2 (1 .. 15 April), never with all of Q2. Those days hold no data (d0 is
    // 30 June, incidents start in July), so no figure has a verdict: against the whole
    // Q2 deployments would have read "improved" (1 -> 4) from a quarter not yet over.
    assert_eq!(
        (&v["partial"], &v["days"]),
        (&serde_json::json!(true), &serde_json::json!(15))
    );
    assert_eq!(
        v["compared_with"],
        serde_json::json!({"period": "2026-Q2", "start": "2026-04-01", "end": "2026-04-15", "days": 15})
    );
    assert_eq!(v["vs_previous"], serde_json::json!({}));
    // The table says so on its first line.
    let o = almanac(&["metrics", "--root", fixture("basic").to_str().unwrap()]);
    assert_eq!(
        text(&o.stdout).lines().next(),
        Some(
            "org 2026-Q3 (2026-07-01 to 2026-07-15, partial, 15 of 92 days; compared with \
             2026-Q2 2026-04-01 to 2026-04-15)"
        )
    );
    // Incident data starts in July: Q2 has no incident figures, so there is no verdict.
    assert!(v["vs_previous"].get("incidents").is_none());

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

/// Schema 3 says each thing once: a scope's table holds its figures, one period per line;
/// only a partial row's comparison (with days no line holds) is written beside them; the
/// 13-week trends and the interventions are in the scope's trends file.
#[test]
fn exports_hold_figures_partial_comparisons_and_trends_once() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert!(build(&fixture("basic"), &out).status.success());
    let rows = export_rows(&out);
    let row = |scope: &str, period: &str| {
        rows.iter()
            .find(|r| r["scope"] == scope && r["period"] == period)
            .unwrap()
    };
    // No row repeats what the previous row, or the trends file, already says.
    for key in [
        "vs_previous",
        "compared_with",
        "trend_13w",
        "interventions",
        "slos",
    ] {
        assert!(rows.iter().all(|r| r.get(key).is_none()), "{key}");
    }
    // The latest week, 2026-W29 (13-19 July), is clipped to 15 July: partial, 3 days,
    // compared with the first 3 days of W28 (6-8 July). July (15 days) is compared with
    // 1-15 June and Q3 (15 of 92 days) with 1-15 April: as_of cuts exactly three rows.
    let partial = row("org", "2026-W29");
    assert_eq!(
        (&partial["partial"], &partial["days"]),
        (&serde_json::json!(true), &serde_json::json!(3))
    );
    let org = &export_files(&out, "metrics")[0];
    assert_eq!(org["scope"], "org");
    let compared: Vec<(&str, &str, &str)> = org["partial_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert!(p["vs_previous"].is_object(), "{p}");
            (
                p["period"].as_str().unwrap(),
                p["compared_with"]["start"].as_str().unwrap(),
                p["compared_with"]["end"].as_str().unwrap(),
            )
        })
        .collect();
    let mut compared = compared;
    compared.sort_unstable();
    assert_eq!(
        compared,
        [
            ("2026-07", "2026-06-01", "2026-06-15"),
            ("2026-Q3", "2026-04-01", "2026-04-15"),
            ("2026-W29", "2026-07-06", "2026-07-08"),
        ]
    );
    // Q2's first 15 days hold no data (d0 is 30 June): nothing has a verdict.
    let q3 = org["partial_rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["period"] == "2026-Q3")
        .unwrap();
    assert_eq!(q3["vs_previous"], serde_json::json!({}));
    let latest = row("org", "2026-W28");
    assert_eq!(
        (&latest["partial"], &latest["days"]),
        (&serde_json::json!(false), &serde_json::json!(7))
    );
    // The trends file: the 13-week trends at the latest complete week, W28; two weeks of
    // data are fewer than the 6 points a trend needs.
    let trends = export_files(&out, "trends");
    let trend_of = |scope: &str| trends.iter().find(|t| t["scope"] == scope).unwrap();
    assert_eq!(trend_of("org")["trend"]["week"], "2026-W28");
    assert_eq!(
        trend_of("org")["trend"]["figures"]["lead_time_median_hours"]["verdict"],
        "not enough data"
    );
    // "CI caching enabled" (team shop, 9 July, in W28) is among shop's interventions.
    let shop = trend_of("team:shop");
    assert_eq!(shop["interventions"][0]["title"], "CI caching enabled");
    assert_eq!(shop["interventions"][0]["date"], "2026-07-09");
    assert!(shop.get("changes").is_none());
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
        "data/deployments.csv:5:4: warning: 1 service is not owned by any team: `billing` (1 row, first at data/deployments.csv:5)",
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
    let (root, out, before) = built_copy(tmp.path());
    break_deployments(&root);
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

/// The README's promise: the example site is `almanac demo`'s default output, so
/// `almanac demo --out .` regenerates it. Only what `almanac publish` added since (a
/// published report's frozen figures) is the repository's own.
#[test]
fn the_example_site_is_the_demo_default_output() {
    let tmp = tempfile::tempdir().unwrap();
    demo(tmp.path(), &[]);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = |dir: &Path| fs::read(dir.join("almanac.toml")).unwrap();
    assert!(
        config(tmp.path()) == config(root),
        "almanac.toml differs from the demo's"
    );
    for part in ["data", "content"] {
        let ours: Vec<_> = tree(&root.join(part))
            .into_iter()
            .filter(|(path, _)| !path.ends_with(".snapshot.json"))
            .collect();
        let demo = tree(&tmp.path().join(part));
        let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&ours),
            names(&demo),
            "{part}/ holds other files than the demo writes"
        );
        for ((path, a), (_, b)) in ours.iter().zip(&demo) {
            assert!(a == b, "{part}/{path} differs from the demo's");
        }
    }
}

#[test]
fn demo_writes_a_site_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("demo");
    demo(
        &root,
        &["--teams", "2", "--services-per-team", "2", "--months", "4"],
    );
    let o = almanac(&["check", "--root", root.to_str().unwrap()]);
    assert!(!text(&o.stderr).contains("error:"), "{}", text(&o.stderr));
    let o = build(&root, &tmp.path().join("site"));
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn a_theme_overrides_templates_and_a_broken_one_shows_the_whole_error_chain() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("src");
    copy_dir(&fixture("basic"), &root);
    let config = fs::read_to_string(root.join("almanac.toml")).unwrap();
    fs::write(
        root.join("almanac.toml"),
        format!("theme = \"mine\"\n{config}"),
    )
    .unwrap();
    let templates = root.join("themes/mine/templates");
    fs::create_dir_all(&templates).unwrap();
    // A working override: only this file replaces the default.
    fs::write(
        templates.join("page.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Mine: {{ title }}</h1>{% endblock main %}",
    )
    .unwrap();
    let out = tmp.path().join("site");
    let o = build(&root, &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(fs::read_to_string(out.join("methodology.html"))
        .unwrap()
        .contains("<h1>Mine: Methodology</h1>"));
    assert!(fs::read_to_string(out.join("index.html"))
        .unwrap()
        .contains("Are we shipping?"));
    // A template that calls an unknown filter: the build fails, says which page and
    // template, and prints tera's underlying cause; the site stays as it was.
    let before = tree(&out);
    fs::write(templates.join("page.html"), "{{ title | no_such_filter }}").unwrap();
    let o = build(&root, &out);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("caused by"), "{err}");
    assert!(err.contains("no_such_filter"), "{err}");
    assert_eq!(tree(&out), before);
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

/// A new report repository (`almanac init`) in `dir`.
fn init(dir: &Path) {
    let o = almanac(&["init", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

/// Replaces the first `from` in the file at `path` with `to` (which must be there).
fn edit(path: &Path, from: &str, to: &str) {
    let s = fs::read_to_string(path).unwrap();
    assert!(s.contains(from), "{from} not in {}", path.display());
    fs::write(path, s.replacen(from, to, 1)).unwrap();
}

/// Writes the demo organisation into `root` with these options.
fn demo(root: &Path, options: &[&str]) {
    let mut args = vec!["demo", "--out", root.to_str().unwrap()];
    args.extend_from_slice(options);
    let o = almanac(&args);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

/// Copies the `basic` fixture to `<dir>/src` and builds it into `<dir>/site`; returns both
/// paths and the built files.
fn built_copy(dir: &Path) -> (PathBuf, PathBuf, Vec<(String, Vec<u8>)>) {
    let root = dir.join("src");
    copy_dir(&fixture("basic"), &root);
    let out = dir.join("site");
    let o = build(&root, &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let built = tree(&out);
    (root, out, built)
}

/// Makes the site at `root` invalid: one deployment has the unknown status `ok`, at
/// `data/deployments.csv:2:19`.
fn break_deployments(root: &Path) {
    fs::write(root.join("data/deployments.csv"), "deploy_id,service,environment,status,deployed_at\nd1,api,production,ok,2026-07-01T10:00:00Z\n").unwrap();
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

#[path = "cli/charts.rs"]
mod charts;

#[path = "cli/slo.rs"]
mod slo;

#[path = "cli/incidents.rs"]
mod incidents;

#[path = "cli/pages.rs"]
mod pages;

#[path = "cli/hostile.rs"]
mod hostile;

#[path = "cli/crash.rs"]
mod crash;

#[path = "cli/strict.rs"]
mod strict;

#[path = "cli/diag.rs"]
mod diag;

#[path = "cli/catalogue.rs"]
mod catalogue;

#[path = "cli/check_ci.rs"]
mod check_ci;

#[path = "cli/init.rs"]
mod init;

#[path = "cli/diff.rs"]
mod diff;

#[path = "cli/serve.rs"]
mod serve;

#[path = "cli/import.rs"]
mod import;
#[path = "cli/publish.rs"]
mod publish;
#[path = "cli/reviews.rs"]
mod reviews;

#[path = "cli/quality.rs"]
mod quality;

#[path = "cli/links.rs"]
mod links;
