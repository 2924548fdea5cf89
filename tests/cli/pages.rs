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

/// The figure on the dashboard tile named `name`.
fn tile_figure<'a>(html: &'a str, name: &str) -> &'a str {
    let at = html
        .find(&format!(">{name}</a></h3>"))
        .unwrap_or_else(|| panic!("no tile {name}"));
    let fig = at + html[at..].find("<p class=\"figure\">").unwrap() + 18;
    &html[fig..fig + html[fig..].find("</p>").unwrap()]
}

#[test]
fn the_dashboard_answers_five_questions_with_dora_grouped_as_in_2024() {
    let (_tmp, out) = basic_site();
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    let order = [
        "Are we shipping?",
        "Throughput",
        "Deployment frequency",
        "Lead time for changes",
        "Failed deployment recovery time",
        "Instability",
        "Change failure rate",
        "Rework rate",
        "Are customers feeling pain? Are we within our SLOs?",
        "Are incidents trending?",
        "Time to restore",
        "Do we know what to do next?",
        "id=\"teams\">Teams<",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|s| html.find(s).unwrap_or_else(|| panic!("missing {s}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    // The quarter to 15 Jul is partial, and says so.
    assert!(html.contains("2026-Q3 to date (1 Jul 2026 – 15 Jul 2026, 15 days), partial"));
    // Counted deployments in Q3 to date: d1, d2, d3 (api) and d6 (web): 4 x 7 / 15 days
    // = 1.87 a week.
    assert_eq!(tile_figure(&html, "Deployment frequency"), "1.9 /wk");
    // d2 rolled back and d3 named by i2: 2 of 4 failed.
    assert_eq!(tile_figure(&html, "Change failure rate"), "50%");
    // deployments.csv has no rework column: no data, not zero.
    assert!(tile_figure(&html, "Rework rate").contains("n/a"));
    // i1-i4 started in Q3; i3 is open and i4 resolves after as_of.
    assert_eq!(tile_figure(&html, "Incidents"), "4");
    assert_eq!(tile_figure(&html, "Unresolved incidents"), "2");
    // The sparklines are accessible SVG and link to their full chart on trends.html.
    assert!(html.contains("<a class=\"spark\" href=\"trends.html#org-lead-time\"><svg"));
    // Its id is the scope and the figure's catalogue position: lead_time_median_hours is
    // the sixth figure (deployments, deploys_per_week, failed_attempts, rework_rate,
    // changes, lead_time_median_hours), position 5.
    assert!(html.contains("role=\"img\" aria-labelledby=\"org-s5-t org-s5-d\""));
    // No full-width chart on the dashboard itself.
    assert!(!html.contains("<figure class=\"chart\""));
}
