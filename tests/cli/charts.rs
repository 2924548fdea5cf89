//! Every chart on a built example site is accessible and has its data: the real binary
//! builds the repository root into a temp dir, and every HTML page is scanned.
//!
//! The rule: every `<svg>` has `role="img"`, a `<title>` and a `<desc>`. Every full chart
//! (a `<figure class="chart">`) also has a data table in `<details>` and a CSV link that
//! resolves to a file of the build. Sparklines inside tiles have no table of their own:
//! the tile states the figure, and the same series is in the full chart's table and CSV on
//! the same page.

use super::build;
use std::fs;
use std::path::Path;

/// Every `<figure class="chart" ...>...</figure>` of a page.
fn figures(html: &str) -> Vec<&str> {
    html.split("<figure class=\"chart\"")
        .skip(1)
        .map(|rest| rest.split("</figure>").next().unwrap())
        .collect()
}

/// Every `<svg ...>...</svg>` of a page.
fn svgs(html: &str) -> Vec<&str> {
    html.split("<svg ")
        .skip(1)
        .map(|rest| rest.split("</svg>").next().unwrap())
        .collect()
}

#[test]
fn every_chart_on_the_example_site_has_title_desc_table_and_csv() {
    let (_tmp, out) = super::example_site();
    let (mut pages, mut charts, mut sparks) = (0, 0, 0);
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        pages += 1;
        let page = entry
            .path()
            .strip_prefix(&out)
            .unwrap()
            .display()
            .to_string();
        let html = fs::read_to_string(entry.path()).unwrap();
        for svg in svgs(&html) {
            let head = svg.split('>').next().unwrap();
            assert!(head.contains("role=\"img\""), "{page}: {head}");
            assert!(svg.contains("<title id="), "{page}: no title in {head}");
            assert!(svg.contains("<desc id="), "{page}: no desc in {head}");
            let desc = svg.split("<desc").nth(1).unwrap();
            assert!(desc.len() > 30, "{page}: an empty desc in {head}");
            if head.contains("chart-spark") {
                sparks += 1;
            }
        }
        for fig in figures(&html) {
            charts += 1;
            let id = fig
                .split(" id=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            assert_eq!(svgs(fig).len(), 1, "{page} {id}: one svg per figure");
            assert!(
                fig.contains("<details>") && fig.contains("<table>"),
                "{page} {id}"
            );
            assert!(
                fig.matches("<tr>").count() >= 2,
                "{page} {id}: an empty table"
            );
            let href = fig
                .split("<a href=\"")
                .filter_map(|a| a.split_once("\" download>"))
                .map(|(href, _)| href)
                .next()
                .unwrap_or_else(|| panic!("{page} {id}: no CSV download link"));
            let href = href.replace("&amp;", "&");
            assert!(href.ends_with(".csv"), "{page} {id}: {href}");
            let csv = entry.path().parent().unwrap().join(&href);
            let data = fs::read_to_string(&csv)
                .unwrap_or_else(|e| panic!("{page} {id}: {href} does not resolve ({e})"));
            assert!(data.lines().count() >= 2, "{page} {id}: {href} is empty");
        }
    }
    // The dashboard and 16 scope pages each show the four keys (+ the Search team's
    // intervention chart) and five tile sparklines.
    assert!(pages > 100, "{pages} pages");
    assert!(charts > 17 * 4, "{charts} charts");
    assert!(sparks >= 17 * 5, "{sparks} sparklines");
}

#[test]
fn the_longest_weekly_chart_of_the_example_site_fits_8_kb() {
    // The example site's weekly charts span its whole history (78 weeks) with its
    // annotations, severity 1 incidents and the DORA bands drawn in.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert!(build(root, &out).status.success());
    let mut largest = (0, String::new());
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = fs::read_to_string(entry.path()).unwrap();
        for svg in svgs(&html) {
            let weekly = svg.contains(">2025-W") || svg.contains(">2026-W");
            let bytes = "<svg ".len() + svg.len() + "</svg>".len();
            if weekly && bytes > largest.0 {
                largest = (bytes, svg.split('>').next().unwrap().to_string());
            }
        }
    }
    assert!(largest.0 > 3000, "no long weekly chart found: {largest:?}");
    assert!(largest.0 <= 8192, "{} bytes: {}", largest.0, largest.1);
}

#[test]
fn each_scope_has_a_trends_file_beside_its_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert!(build(&super::fixture("basic"), &out).status.success());
    let tables = super::export_files(&out, "metrics");
    let scopes = super::export_files(&out, "trends");
    // One file per scope, in the same order as the scopes' tables.
    assert_eq!(scopes.len(), 5, "org, 2 teams, 2 services");
    for (s, table) in scopes.iter().zip(&tables) {
        assert_eq!(s["scope"], table["scope"]);
        assert_eq!(s["method"]["before_after_weeks"], 6);
        assert_eq!(s["as_of"], "2026-07-15");
        assert!(s["trend"]["figures"]["deploys_per_week"]["verdict"].is_string());
    }
}
