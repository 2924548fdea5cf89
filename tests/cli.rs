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

/// JSON figures carry 6 significant digits: compare within that rounding.
fn approx(v: &serde_json::Value, want: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"));
    assert!((got - want).abs() <= 5e-6 * want.abs(), "{got} vs {want}");
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
    // Against 2026-Q2 (91 days, only d0): deployments 1 -> 4, +3, relative 3 / 1 = 3.
    let d = &v["vs_previous"]["deployments"];
    assert_eq!(
        (d["absolute"].as_f64(), d["relative"].as_f64()),
        (Some(3.0), Some(3.0))
    );
    assert_eq!(d["verdict"], "improved");
    // deploys_per_week 1 x 7 / 91 = 0.0769231 -> 1.866667: +1.789744, relative x23.2667.
    approx(
        &v["vs_previous"]["deploys_per_week"]["absolute"],
        4.0 * 7.0 / 15.0 - 7.0 / 91.0,
    );
    approx(
        &v["vs_previous"]["deploys_per_week"]["relative"],
        (4.0 * 7.0 / 15.0 - 7.0 / 91.0) / (7.0 / 91.0),
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

#[test]
fn metrics_json_rows_carry_trends_and_interventions() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert!(build(&fixture("basic"), &out).status.success());
    let rows: Vec<serde_json::Value> =
        serde_json::from_slice(&fs::read(out.join("data/metrics.json")).unwrap()).unwrap();
    let row = |scope: &str, period: &str| {
        rows.iter()
            .find(|r| r["scope"] == scope && r["period"] == period)
            .unwrap()
    };
    // Every row has the comparison object; the first week has nothing to compare with.
    assert!(rows.iter().all(|r| r["vs_previous"].is_object()));
    assert_eq!(row("org", "2026-W27")["vs_previous"], serde_json::json!({}));
    // The latest week (2026-W29, 13-19 July, clipped to 15 July) carries the 13-week trends;
    // three weeks of data are fewer than the 6 points a trend needs.
    let latest = row("org", "2026-W29");
    assert_eq!(
        latest["trend_13w"]["lead_time_median_hours"]["verdict"],
        "not enough data"
    );
    assert!(row("org", "2026-W28").get("trend_13w").is_none());
    // "CI caching enabled" (team shop, 9 July) sits on shop's week 28 row.
    let week = row("team:shop", "2026-W28");
    assert_eq!(week["interventions"][0]["title"], "CI caching enabled");
    assert!(row("team:shop", "2026-W27").get("interventions").is_none());
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

// ---- SLOs (issue 3): the `slo` and `slo_broken` fixtures ----

fn slo_fixture_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&fixture("slo"), &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    (tmp, out)
}

/// Where each string first occurs in `haystack`, panicking when one is missing.
fn positions(haystack: &str, needles: &[&str]) -> Vec<usize> {
    needles
        .iter()
        .map(|n| haystack.find(n).unwrap_or_else(|| panic!("missing `{n}`")))
        .collect()
}

#[test]
fn builds_slo_pages_and_the_dashboard_slo_section() {
    let (_tmp, out) = slo_fixture_site();
    for page in [
        "slos/index.html",
        "slos/api-availability.html",
        "slos/web-month.html",
        "slos/api-latency-slices.html",
        "slos/web-latency.html",
        "data/charts/slo-api-availability-sli.csv",
        "data/charts/slo-web-month-burn-down.csv",
    ] {
        assert!(out.join(page).is_file(), "missing {page}");
    }
    // Tera escapes `/` in attributes and text as `&#x2F;`; compare with plain slashes.
    let read = |p: &str| {
        fs::read_to_string(out.join(p))
            .unwrap()
            .replace("&#x2F;", "/")
    };
    let index = read("index.html");
    assert!(index.contains("Reliability: SLOs"));
    assert!(index.contains("href=\"slos/index.html\">SLOs</a>"));
    // Sorted by risk: exhausted, at risk, healthy, no data.
    let pos = positions(
        &index,
        &[
            "href=\"slos/api-availability.html\"",
            "href=\"slos/web-month.html\"",
            "href=\"slos/api-latency-slices.html\"",
            "href=\"slos/web-latency.html\"",
        ],
    );
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{pos:?}");
    assert!(index.contains("4 SLOs: 1 exhausted, 1 at risk, 1 healthy, 1 no data."));
    // 200 bad of 16,800 against a 1% budget of 168: 1 - 200/168 = -19%.
    assert!(index.contains("\u{2212}19% (overspent)"), "{index}");
    // The web service page shows only web's SLOs; the team page all of its services'.
    let web = read("services/web.html");
    assert!(web.contains("web-month") && web.contains("web-latency"));
    assert!(!web.contains("api-availability"));
    assert!(read("teams/shop.html").contains("api-latency-slices"));

    let api = read("slos/api-availability.html");
    assert!(api.contains("<figure class=\"chart\" id=\"slo-api-availability-sli\">"));
    assert!(api.contains("<figure class=\"chart\" id=\"slo-api-availability-burn-down\">"));
    // Hourly data: 1h/5m and 6h/30m are not computable; 24h/2h first fires at the end of
    // the first bad bucket (10 July 02:00-03:00): 2h = 50 bad of 200 -> burn 25 > 0.7 and
    // 24h = 50 of 2,400 -> 2.08 > 0.7 (factor 0.1 x 168 h / 24 h = 0.7).
    assert!(api.contains("the SLI data has 1h buckets; the 5m short window"));
    assert!(api.contains("<span class=\"result\">fired</span>"));
    assert!(api.contains("<td>2026-07-10 03:00</td>"));
    assert!(api.contains("<td class=\"num\">0.7</td>"));
    assert!(api.contains("Shop</a> (the team that owns api)"));
    assert!(api.contains("<code>almanac.toml:13</code>"));
    // The OpenSLO SLO has no SLI rows: every figure reads n/a, status "no data".
    let none = read("slos/web-latency.html");
    assert!(none.contains("status-no-data\">no data</span>"));
    assert!(none.contains("No SLI data in the window."));
    assert!(none.contains("<code>data/slos/web.yaml:"));
    // The calendar SLO says which view each number uses.
    let month = read("slos/web-month.html");
    assert!(
        month.contains("against the expected whole-period traffic, as Sloth does: 31,000 requests")
    );
    // Daily SLI of 10 July: 2,200 of 2,400 good = 91.667%, plotted at noon.
    let csv = read("data/charts/slo-api-availability-sli.csv");
    assert!(csv.contains("2026-07-10 12:00,91.667\n"), "{csv}");
    // Sloth's burn-down for web-month: expected 1,000/day x 31 days = 31,000, budget 1,550;
    // after 1 July 10 bad -> 99.355%, after 10 July 390 bad -> 1 - 390/1550 = 74.839%.
    let bd = read("data/charts/slo-web-month-burn-down.csv");
    assert!(bd.contains("2026-07-02 00:00,,99.355\n") && bd.contains("2026-07-11 00:00,,74.839\n"));
    assert!(
        bd.contains("2026-08-01 00:00,0,\n"),
        "the ideal line ends at 0 at the month's end"
    );
    let method = read("methodology.html");
    assert!(
        method.contains("Multiwindow, multi-burn-rate alerts") && method.contains("OpenSLO files")
    );
}

#[test]
fn slo_figures_in_metrics_json_match_hand_computed_values() {
    let o = almanac(&[
        "metrics",
        "--root",
        fixture("slo").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let slos = v["slos"].as_array().unwrap();
    assert_eq!(slos.len(), 4);
    let get = |id: &str| slos.iter().find(|s| s["id"] == id).unwrap().clone();
    let close = |x: &serde_json::Value, want: f64| {
        let got = x.as_f64().unwrap_or_else(|| panic!("{x} is not a number"));
        // The JSON carries 6 significant digits.
        assert!(
            (got - want).abs() <= 5e-6 * want.abs().max(1e-300),
            "{got} vs {want}"
        );
    };
    // api-availability, 7d rolling at 2026-07-10: 4 to 10 July, 168 hourly buckets of 100
    // = 16,800 requests, 200 bad (10 July 02:00-05:00, 50 each).
    let a = get("api-availability");
    assert_eq!(
        (a["service"].clone(), a["window"].clone()),
        ("api".into(), "7d".into())
    );
    close(&a["objective"], 0.99);
    close(&a["attainment"], 16_600.0 / 16_800.0); // 0.988095
    close(
        &a["error_budget_remaining"],
        1.0 - 200.0 / (0.01 * 16_800.0),
    ); // -0.190476
    close(&a["burn_rate_1d"], 200.0 / 2_400.0 / 0.01); // 8.3333
    close(&a["burn_rate_7d"], 200.0 / 16_800.0 / 0.01); // 1.190476
    close(&a["burn_rate_window"], 200.0 / 16_800.0 / 0.01);
    close(&a["burn_rate_1h"], 0.0); // 10 July 23:00 is clean
    assert_eq!(a["status"], "exhausted");
    // web-month, calendar month: 1 to 10 July, 10 daily buckets of 1,000; 990 good a day
    // but 700 on 7 July -> 9 x 10 + 300 = 390 bad of 10,000.
    let m = get("web-month");
    close(&m["attainment"], 0.961);
    close(
        &m["error_budget_remaining"],
        1.0 - 390.0 / (0.05 * 10_000.0),
    ); // 0.22
    close(&m["burn_rate_1d"], 10.0 / 1_000.0 / 0.05); // 0.2
    close(&m["burn_rate_7d"], 360.0 / 7_000.0 / 0.05); // 4-10 July: 1.028571 > 1
    close(&m["burn_rate_window"], 390.0 / 10_000.0 / 0.05); // 0.78
    assert_eq!(m["burn_rate_1h"], serde_json::Value::Null); // daily buckets
    assert_eq!(m["status"], "at risk");
    // api-latency-slices, quarter, timeslices at 95%: 240 hourly slices, 12 bad (10 July
    // 00:00-11:00 at 90% good).
    let t = get("api-latency-slices");
    close(&t["attainment"], 228.0 / 240.0); // 0.95
    close(&t["error_budget_remaining"], 1.0 - 12.0 / (0.1 * 240.0)); // 0.5
    close(&t["burn_rate_1d"], 12.0 / 24.0 / 0.1); // 5
    close(&t["burn_rate_7d"], 12.0 / 168.0 / 0.1); // 0.714286
                                                   // Sloth's view: expected 2,208 slices (92 days x 24), 1 - 12/220.8 = 0.94565 left; at
                                                   // 0.714 per window that lasts 0.94565 x 2,208 h / 0.714286 = 2,923 h > the 1,968 h left.
    close(
        &t["time_to_exhaustion_hours"],
        (1.0 - 12.0 / 220.8) * 2_208.0 / (12.0 / 16.8),
    );
    assert_eq!(t["status"], "healthy");
    // The OpenSLO SLO without rows: null figures, "no data".
    let n = get("web-latency");
    assert_eq!(n["window"], "28d");
    assert_eq!(n["attainment"], serde_json::Value::Null);
    assert_eq!(n["error_budget_remaining"], serde_json::Value::Null);
    assert_eq!(n["status"], "no data");

    let o = almanac(&[
        "metrics",
        "--root",
        fixture("slo").to_str().unwrap(),
        "--scope",
        "service:web",
    ]);
    let table = text(&o.stdout);
    assert!(table.contains("  slos (2)"), "{table}");
    assert!(table.contains("    web-month (web, objective 95.000%, month): attainment 96.100%, error budget remaining 22.000%, burn rate 1d 0.200 7d 1.029 window 0.780, at risk"), "{table}");
    assert!(!table.contains("api-availability"));
}

#[test]
fn check_reports_bad_sli_rows_and_openslo_fields_with_locations() {
    let o = almanac(&["check", "--root", fixture("slo_broken").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    for e in [
        "data/sli.csv:3:1: error: unknown SLO `nope`",
        "data/sli.csv:4:39: error: good (101) is greater than total (100)",
        "data/sli.csv:5:39: error: `good` is negative (-1)",
        "data/slos/web.yaml:8:7: error: rolling window `1y` is not supported",
    ] {
        assert!(err.contains(e), "missing `{e}` in:\n{err}");
    }
    assert!(err.contains("4 errors, 0 warnings"), "{err}");
}

#[test]
fn slo_page_charts_snapshot() {
    let (_tmp, out) = slo_fixture_site();
    let page = fs::read_to_string(out.join("slos/api-availability.html")).unwrap();
    let svgs: Vec<&str> = page
        .split("<svg")
        .skip(1)
        .map(|s| &s[..s.find("</svg>").unwrap() + "</svg>".len()])
        .collect();
    assert_eq!(svgs.len(), 2);
    insta::assert_snapshot!("slo_api_availability_sli", format!("<svg{}", svgs[0]));
    insta::assert_snapshot!("slo_api_availability_burn_down", format!("<svg{}", svgs[1]));
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
    approx(&v["time_to_detect_median_hours"], 25.0 / 60.0);
    approx(&v["time_to_acknowledge_median_hours"], 10.0 / 60.0);
    // Six pages in 15 days; 4 actionable, 4 after hours.
    approx(&v["pages_per_week"], 2.8);
    approx(&v["actionable_page_rate"], 4.0 / 6.0);
    approx(&v["after_hours_page_rate"], 4.0 / 6.0);
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

#[path = "cli/charts.rs"]
mod charts;
