//! Weekly reviews: the real binary builds the `basic` fixture with a review decision added,
//! and the week pages show hand-computed figures.

use super::*;

/// A copy of fixture `name`, changed by `edit` (given the copy's root), built: the temp dir
/// and the site.
fn built_from(name: &str, edit: impl FnOnce(&Path)) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("src");
    copy_dir(&fixture(name), &root);
    edit(&root);
    let out = tmp.path().join("site");
    let o = build(&root, &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    (tmp, out)
}

/// Rewrites the file at `path` with `change` applied to its text.
fn rewrite(path: PathBuf, change: impl FnOnce(String) -> String) {
    let text = fs::read_to_string(&path).unwrap();
    fs::write(path, change(text)).unwrap();
}

/// The `basic` fixture plus `content/reviews/2026-W27.md`, built.
fn reviewed_site() -> (tempfile::TempDir, PathBuf) {
    built_from("basic", |root| {
        fs::create_dir_all(root.join("content/reviews")).unwrap();
        fs::write(
            root.join("content/reviews/2026-W27.md"),
            "+++\ndecision = \"adjust\"\nnotes = \"Two SEV1-2 incidents from deploys: <add a canary>\"\n+++\nCanary before the next release.\n",
        )
        .unwrap();
    })
}

/// The part of a week page about one team: from its heading to the next team's.
fn team_part<'a>(html: &'a str, team: &str) -> &'a str {
    let start = html
        .find(&format!(">{team}</a></h2>"))
        .unwrap_or_else(|| panic!("no section for {team}"));
    let end = html[start + 1..]
        .find("<section class=\"band team-week\"")
        .map_or(html.len(), |e| start + 1 + e);
    &html[start..end]
}

#[test]
fn a_week_page_shows_each_teams_week_and_the_decision() {
    let (_tmp, out) = reviewed_site();
    let read = |p: &str| fs::read_to_string(out.join(p)).unwrap();
    // 2026-W27 is Mon 29 Jun - Sun 5 Jul 2026.
    let w27 = read("reviews/2026-W27.html");
    assert!(w27.contains("29 Jun – 5 Jul 2026"));
    assert!(w27.contains("<strong class=\"pill\">adjust</strong>"));
    assert!(w27.contains("&lt;add a canary&gt;"), "notes are escaped");
    assert!(w27.contains("Canary before the next release."));
    let shop = team_part(&w27, "Shop");
    // Counted api deployments in the week: d0 (30 Jun), d1, d2 (rolled back), d3; d4 failed
    // and d5 is staging: 4.
    assert!(shop.contains("<dt>Deployments</dt><dd>4</dd>"), "{shop}");
    // Lead times of the changes they shipped: c3 2 h, c1 4 h, c2 24 h, c4 48 h; the median
    // is (4 + 24) / 2 = 14 h, over 4 changes (c6 went out with failed d4).
    assert!(
        shop.contains("14 h <span class=\"note\">over 4 changes</span>"),
        "{shop}"
    );
    // New incidents: i1 (2 Jul) and i2 (3 Jul), newest first.
    let (i2, i1) = (shop.find(">i2</a>").unwrap(), shop.find(">i1</a>").unwrap());
    assert!(i2 < i1);
    // No item of i1's retro falls due before 10 Jul.
    assert!(shop.contains("None due this week, none overdue."));
    assert!(shop.contains("n/a: no SLOs on this team's services."));
    let web = team_part(&w27, "Web");
    assert!(web.contains("None started this week."));

    // 2026-W28 (6-12 Jul): "Add a canary stage" due 10 Jul, done 9 Jul: on time; "Alert on
    // checkout error rate" due 12 Jul, done 13 Jul: still open at the week's end (due that
    // day, so not yet overdue). Web's i3 started 10 Jul.
    let w28 = read("reviews/2026-W28.html");
    assert!(w28.contains("No decision recorded."));
    let shop = team_part(&w28, "Shop");
    let canary = &shop[shop.find("Add a canary stage").unwrap()..];
    assert!(canary[..canary.find("</tr>").unwrap()].contains("done on time"));
    let alert = &shop[shop.find("Alert on checkout error rate").unwrap()..];
    assert!(alert[..alert.find("</tr>").unwrap()].contains("<td>open</td>"));
    assert!(team_part(&w28, "Web").contains(">i3</a>"));

    // 2026-W29 is cut by as_of (15 Jul): 3 of 7 days. "Tune the connection pool" was due
    // 14 Jul and is not done: overdue by 1 day on 15 Jul.
    let w29 = read("reviews/2026-W29.html");
    assert!(w29.contains("Partial: 3 of 7 days"));
    let shop = team_part(&w29, "Shop");
    let pool = &shop[shop.find("Tune the connection pool").unwrap()..];
    assert!(pool[..pool.find("</tr>").unwrap()].contains("overdue by 1 day"));
}

#[test]
fn a_week_page_lists_the_slos_that_are_not_healthy_and_counts_the_rest() {
    // The `incidents` fixture (Shop owns api and pay; api-availability has SLI rows from
    // 15 June, all good but 5 July's 20 bad of 400, within its 1% budget) plus two SLOs on
    // pay: pay-availability, all good from 1 July, and pay-latency, with no SLI rows.
    let (_tmp, out) = built_from("incidents", |root| {
        rewrite(root.join("almanac.toml"), |mut config| {
            for id in ["pay-availability", "pay-latency"] {
                config.push_str(&format!(
                    "\n[[slo]]\nid = \"{id}\"\nservice = \"pay\"\nobjective = 0.99\nwindow = \"28d\"\n"
                ));
            }
            config
        });
        rewrite(root.join("data/sli.csv"), |sli| {
            sli + "pay-availability,2026-07-01T00:00:00Z,100,100\n"
        });
    });
    let rows = |shop: &str| {
        shop.matches("<tr><th scope=\"row\"><a href=\"../slos/")
            .count()
    };
    // 2026-W26 (to 28 June): neither pay SLO has data yet, both listed; api's counted.
    let w26 = fs::read_to_string(out.join("reviews/2026-W26.html")).unwrap();
    let shop = team_part(&w26, "Shop");
    assert_eq!(rows(shop), 2, "{shop}");
    assert!(shop.contains(
        ">pay-availability</a></th><td><span class=\"status status-no-data\">no data</span>"
    ));
    assert!(shop.contains("The other SLO is healthy"), "{shop}");
    assert!(!shop.contains(">api-availability</a>"));
    // 2026-W27 (to 5 July): pay-availability has data and is healthy; only pay-latency,
    // without data, is listed, the other two counted.
    let w27 = fs::read_to_string(out.join("reviews/2026-W27.html")).unwrap();
    let shop = team_part(&w27, "Shop");
    assert_eq!(rows(shop), 1, "{shop}");
    assert!(shop
        .contains(">pay-latency</a></th><td><span class=\"status status-no-data\">no data</span>"));
    assert!(shop.contains("The other 2 SLOs are healthy"), "{shop}");
    // Web owns no SLO.
    assert!(team_part(&w27, "Web").contains("n/a: no SLOs on this team's services."));
}

#[test]
fn a_week_page_lists_recently_overdue_items_and_counts_the_older_ones() {
    // The `incidents` fixture with its report date moved to 31 August: Shop's "Canary every
    // checkout deploy" (i2's retro) was due 10 July and is never done.
    let (_tmp, out) = built_from("incidents", |root| {
        rewrite(root.join("almanac.toml"), |config| {
            config.replace("as_of = 2026-07-15", "as_of = 2026-08-31")
        });
    });
    let week = |w: &str| fs::read_to_string(out.join(format!("reviews/{w}.html"))).unwrap();
    // 2026-W32 begins Mon 3 August; 28 days before is 6 July, and 10 July is after it:
    // listed, overdue by 30 days at the week's end (9 August).
    let w32 = week("2026-W32");
    let shop = team_part(&w32, "Shop");
    assert!(shop.contains("Canary every checkout deploy"), "{shop}");
    assert!(shop.contains("overdue by 30 days"));
    assert!(!shop.contains("older overdue"));
    // 2026-W33 begins 10 August; 28 days before is 13 July: the item is counted, not listed.
    let w33 = week("2026-W33");
    let shop = team_part(&w33, "Shop");
    assert!(!shop.contains("Canary every checkout deploy"), "{shop}");
    assert!(shop.contains(
        "1 older overdue item, due before 2026-07-13 (the oldest on 2026-07-10): on <a href=\"../actions.html\">the action board</a>."
    ));
    assert!(!shop.contains("None due this week, none overdue."));
}

#[test]
fn the_index_lists_every_week_and_the_dashboard_links_the_latest_complete_one() {
    let (_tmp, out) = reviewed_site();
    let index = fs::read_to_string(out.join("reviews/index.html")).unwrap();
    // Newest first; W29 is partial, so W28 is the latest complete week.
    let (w29, w28, w27) = (
        index.find(">2026-W29</a>").unwrap(),
        index.find(">2026-W28</a></th>").unwrap(),
        index.find(">2026-W27</a>").unwrap(),
    );
    assert!(w29 < w28 && w28 < w27);
    assert!(index.contains("Latest complete week: <a href=\"2026-W28.html\">2026-W28</a>"));
    assert!(index.contains("(partial)"));
    let w27_row = &index[w27..];
    assert!(w27_row[..w27_row.find("</tr>").unwrap()].contains("<td>adjust</td>"));
    let dashboard = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(dashboard.contains("<a href=\"reviews/2026-W28.html\">Weekly review, 2026-W28</a>"));
}

/// A week no incident data covers reads n/a, not "none" or 0: with `incidents.csv` holding
/// only its header (and the retros that name its incidents taken out), every team's list
/// and the index's "New incidents" column say so. With the data, Shop's 2026-W28 (no api
/// incident from 6 to 12 July: i3 is web's) is a real none.
#[test]
fn a_week_without_incident_data_is_na_not_none() {
    let (_tmp, out) = built_from("basic", |root| {
        rewrite(root.join("data/incidents.csv"), |t| {
            t.lines().next().unwrap().to_string() + "\n"
        });
        fs::remove_dir_all(root.join("content/retros")).unwrap();
    });
    let w27 = fs::read_to_string(out.join("reviews/2026-W27.html")).unwrap();
    let shop = team_part(&w27, "Shop");
    assert!(
        shop.contains("n/a: no incident data covers this week.") && !shop.contains("None started"),
        "{shop}"
    );
    // The index row's cells after the week: days, deployments, new incidents, overdue
    // items, decision.
    let incidents_cell = |out: &Path, week: &str| {
        let index = fs::read_to_string(out.join("reviews/index.html")).unwrap();
        let row = &index[index.find(&format!(">{week}</a>")).unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        row.split("<td>").nth(3).unwrap().to_string()
    };
    assert!(incidents_cell(&out, "2026-W27").contains("n/a"));

    let (_tmp, out) = reviewed_site();
    let w28 = fs::read_to_string(out.join("reviews/2026-W28.html")).unwrap();
    assert!(team_part(&w28, "Shop").contains("None started this week."));
    // i1 and i2 (api, 2 and 3 July) started in 2026-W27.
    assert!(incidents_cell(&out, "2026-W27").starts_with("2</td>"));
}
