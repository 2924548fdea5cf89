//! Incidents and the learning loop (issue 4): figures, incident pages, the action board,
//! monthly reviews and `almanac new retro`, on the `incidents` fixture.

use super::*;

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
    // i3 and i4 repeat the incidents their retros name (i3's i1 is in Q2), i6 the specific
    // cause of i5 on web within 90 days.
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
    let read = |p: &str| fs::read_to_string(out.join(p)).unwrap_or_else(|_| panic!("missing {p}"));
    let i4 = read("incidents/i4.html");
    // The title is escaped; timeline, repeat, retro, factors, items and charts are there.
    assert!(i4.contains("Checkout errors &lt;again&gt;"));
    assert!(!i4.contains("<again>"));
    // The timeline's date and time apart, so a phone wraps between them, not inside the date.
    assert!(i4.contains("<span class=\"day\">2026-07-05</span> 00:20") && i4.contains("+20 min"));
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
    // Its two small charts' data is one table, a row a day (14 either side of 5 July: 21
    // June to 15 July, the report date, so 25 rows) and a column a chart; the charts have
    // none of their own.
    let around = i4.split("id=\"around\"").nth(1).unwrap();
    assert_eq!(around.matches("<figure").count(), 2);
    assert_eq!(around.matches("<summary>Data table</summary>").count(), 1);
    assert!(around.contains(
        "<th scope=\"col\">day</th><th scope=\"col\">deployments</th><th scope=\"col\">api-availability bad events (%)</th>"
    ));
    assert_eq!(around.matches("<tr><td>").count(), 25);
    // 5 July: the incident's day, no deployment, four SLI rows of 95 good in 100: 20 bad
    // of 400, 5%.
    assert!(around.contains("<tr><td>Jul 5</td><td>0</td><td>5</td></tr>"));
    // The index's filters link every service's list; a team's list only its own services'
    // (Shop owns api and pay), a severity's list none, each then linking the index's.
    let filters = |p: &str| {
        let html = read(p);
        let nav = html.split("<nav class=\"filters\"").nth(1).unwrap();
        nav.split("</nav>").next().unwrap().to_string()
    };
    let index = filters("incidents/index.html");
    for s in ["api", "pay", "web"] {
        assert!(
            index.contains(&format!("incidents/service/{s}.html")),
            "{s}"
        );
    }
    assert!(!index.contains("Every service"));
    let shop = filters("incidents/team/shop.html");
    assert!(
        shop.contains("incidents/service/api.html") && shop.contains("incidents/service/pay.html")
    );
    assert!(!shop.contains("incidents/service/web.html"));
    assert!(
        shop.contains("incidents/team/web.html"),
        "every team stays linked"
    );
    // Shown open there; the index's service list (400 links at a large organisation) stays
    // folded.
    assert!(shop.contains("<details id=\"services\" open>"));
    assert!(index.contains("<details id=\"services\">"));
    let sev = filters("incidents/severity/2.html");
    assert!(!sev.contains("incidents/service/"));
    assert!(sev.contains("<a href=\"../../incidents/index.html#services\">Every service</a>"));
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

#[test]
fn repeats_must_name_earlier_incidents_in_the_data() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site-src");
    copy_dir(&fixture("incidents"), &root);
    // i5 started 8 July; i6 started 14 July (later), `i5` is itself, `i99` is no incident.
    fs::write(
        root.join("content/retros/i5.md"),
        "+++\ntitle = \"Slow pages\"\nincident = \"i5\"\npublished_at = 2026-07-10T00:00:00Z\nrepeats = [\"i99\", \"i6\", \"i5\", \"i1\"]\n+++\nBody.\n",
    )
    .unwrap();
    let o = almanac(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    // `repeats` is line 5 of the file; i1 (20 April) is earlier and fine.
    for want in [
        "content/retros/i5.md:5:1: error: `repeats` names incident `i99`, which is not in data/incidents.csv",
        "content/retros/i5.md:5:1: error: `repeats` names incident `i6`, which did not start before `i5`",
        "content/retros/i5.md:5:1: error: `repeats` names incident `i5`, which did not start before `i5`",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
    assert!(!err.contains("`i1`"), "{err}");
}

/// A list of more than 200 incidents is split into pages of 200 rows, newest first, linked
/// by a pager; together the pages hold every incident of the list exactly once. On a demo
/// organisation with enough incidents for the closed list to need several pages.
#[test]
fn long_incident_lists_and_the_retro_index_are_paged_by_200_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("demo");
    let r = root.to_str().unwrap();
    let o = almanac(&[
        "demo",
        "--out",
        r,
        "--teams",
        "4",
        "--services-per-team",
        "3",
        "--months",
        "24",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let retros = fs::read_dir(root.join("content/retros")).unwrap().count();
    let out = tmp.path().join("site");
    let o = build(&root, &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let rows = |html: &str| html.matches("<tr class=\"status-").count();
    let read = |p: String| fs::read_to_string(out.join(p)).unwrap();
    let first = read("incidents/status/closed.html".into());
    // "N incidents, newest first. Page 1 of P: incidents 1 to 200."
    let lede = first.split("<p class=\"lede\">").nth(1).unwrap();
    let total: usize = lede.split(' ').next().unwrap().parse().unwrap();
    assert!(
        total > 200,
        "the demo should close more than 200 incidents: {total}"
    );
    let pages = total.div_ceil(200);
    assert!(
        lede.starts_with(&format!(
            "{total} incidents, newest first. Page 1 of {pages}: incidents 1 to 200."
        )),
        "{lede}"
    );
    assert!(first.contains("<nav class=\"pager\""));
    assert!(first.contains("href=\"../../incidents/status/closed/2.html\" rel=\"next\""));
    let mut seen = rows(&first);
    assert_eq!(seen, 200);
    for n in 2..=pages {
        let page = read(format!("incidents/status/closed/{n}.html"));
        // One level deeper than the first page: links climb three folders.
        assert!(
            page.contains("href=\"../../../incidents/status/closed.html\""),
            "page {n}"
        );
        assert!(
            page.contains(&format!("aria-current=\"page\">{n}</a>")),
            "page {n}"
        );
        let here = rows(&page);
        assert!(here <= 200 && here > 0, "page {n} has {here} rows");
        seen += here;
    }
    assert_eq!(seen, total);
    assert!(!out
        .join(format!("incidents/status/closed/{}.html", pages + 1))
        .exists());

    // The retro index: every retro once, newest first, 200 a page.
    assert!(
        retros > 200,
        "the demo should write more than 200 retros: {retros}"
    );
    let pages = retros.div_ceil(200);
    let links = |html: &str| -> Vec<String> {
        html.split("<tr><th scope=\"row\"><a href=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_string())
            .collect()
    };
    let first = read("retros/index.html".into());
    assert!(first.contains(&format!(
        "<p class=\"lede\">Page 1 of {pages}: retros 1 to 200.</p>"
    )));
    assert!(first.contains("href=\"../retros/index/2.html\" rel=\"next\""));
    let mut all = links(&first);
    assert_eq!(all.len(), 200);
    for n in 2..=pages {
        let page = read(format!("retros/index/{n}.html"));
        // Links climb from retros/index/: two folders.
        let here = links(&page);
        assert!(
            here.iter().all(|h| h.starts_with("../../retros/")),
            "page {n}"
        );
        all.extend(here.into_iter().map(|h| h.replacen("../", "", 1)));
    }
    let rows = all.len();
    all.sort();
    all.dedup();
    assert_eq!(
        (rows, all.len()),
        (retros, retros),
        "each retro on exactly one page"
    );
    assert!(!out
        .join(format!("retros/index/{}.html", pages + 1))
        .exists());
}
