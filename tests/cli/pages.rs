//! Page snapshots: the real binary builds the `basic` fixture and a few small pages are
//! compared whole with their reviewed snapshots (tests/cli/snapshots/), so any change to
//! what a reader sees shows up in review.

use super::*;

fn basic_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&fixture("basic"), &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    (tmp, out)
}

#[test]
fn page_snapshots() {
    let (_tmp, out) = basic_site();
    for (name, page) in [
        ("page_retro_i1", "retros/i1.html"),
        ("page_retro_i2_yaml", "retros/i2.html"),
        (
            "page_metric_definition",
            "metrics/lead_time_median_hours.html",
        ),
        ("page_teams_index", "teams/index.html"),
    ] {
        let html = fs::read_to_string(out.join(page)).unwrap();
        insta::assert_snapshot!(name, html);
    }
}

/// Phones: a wide table scrolls inside its own container, never the page. Every generated
/// table sits in a `table-scroll` region; markdown tables (in `.prose`) scroll by CSS.
#[test]
fn every_generated_table_scrolls_in_its_own_container() {
    let (_tmp, out) = basic_site();
    let mut checked = 0;
    for (path, bytes) in tree(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for (at, _) in html.match_indices("<table") {
            let before = &html[..at];
            let in_prose = before.rfind("<article class=\"prose\"") > before.rfind("</article>");
            let wrapped = before
                .rfind("<div")
                .is_some_and(|d| before[d..].starts_with("<div class=\"table-scroll\""));
            assert!(
                in_prose || wrapped,
                "{path}: a table outside a table-scroll region"
            );
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} tables seen");
}

/// Print: A4 pages, charts kept whole with their captions, the narrow-screen layout not
/// applied to paper.
#[test]
fn the_stylesheet_prints_on_a4_and_keeps_charts_whole() {
    let (_tmp, out) = basic_site();
    let css = fs::read_to_string(out.join("static/style.css")).unwrap();
    let print = &css[css.rfind("@media print").unwrap()..];
    assert!(print.contains("@page { size: A4;"));
    assert!(print.contains("figure.chart, .tile"));
    assert!(print.contains("break-inside: avoid"));
    assert!(css.contains("@media screen and (max-width: 50rem)"));
}
