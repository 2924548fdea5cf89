//! The data-quality page: the real binary builds the `basic` fixture and the page shows
//! hand-computed coverage, gaps and lists; every page's footer links it.

use super::*;

/// The table row of `service`'s `file` on the page (from `file` to the row's end).
fn kind_row<'a>(html: &'a str, service: &str, file: &str) -> &'a str {
    let at = html
        .find(&format!(">{service}</a></th>"))
        .unwrap_or_else(|| panic!("no {service}"));
    let start = at + html[at..].find(&format!("<code>{file}</code>")).unwrap();
    &html[start..start + html[start..].find("</tr>").unwrap()]
}

#[test]
fn the_data_quality_page_shows_coverage_gaps_and_what_is_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&fixture("basic"), &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let html = fs::read_to_string(out.join("data-quality.html")).unwrap();
    assert!(html.contains("The report date, 2026-07-15, was set by `as_of` in almanac.toml"));
    // api deployments up to as_of (15 Jul): d0 (30 Jun 23:00) to d5 (5 Jul); d7 (20 Jul) is
    // after as_of. All in W27; W28 and W29 (the week of as_of) have none: 2 weeks.
    let api = kind_row(&html, "api", "data/deployments.csv");
    assert!(api.contains("<td>6</td>"), "{api}");
    assert!(
        api.contains("2026-06-30 23:00") && api.contains("2026-07-05 10:00"),
        "{api}"
    );
    assert!(api.contains("2: 2026-W28 – 2026-W29"), "{api}");
    // web deployed once, d6 on 6 Jul (W28): W29 is empty.
    let web = kind_row(&html, "web", "data/deployments.csv");
    assert!(
        web.contains("<td>1</td>") && web.contains("1: 2026-W29"),
        "{web}"
    );
    // Incidents are not a weekly kind: no gaps listed.
    assert!(kind_row(&html, "web", "data/incidents.csv").contains("n/a"));
    // c7 (api, committed 5 Jul 09:00) names no deployment.
    let never =
        &html[html.find("id=\"undeployed\"").unwrap()..html.find("id=\"no-cause\"").unwrap()];
    assert!(
        never.contains(">api</a></th><td>1</td><td>2026-07-05 09:00</td>"),
        "{never}"
    );
    // Every incident names a cause; i3 is open and i4 resolves on 16 Jul, after as_of.
    assert!(html.contains("None: every incident names its cause."));
    let open =
        &html[html.find("id=\"unresolved\"").unwrap()..html.find("id=\"warnings\"").unwrap()];
    let (i4, i3) = (open.find(">i4</a>").unwrap(), open.find(">i3</a>").unwrap());
    assert!(i4 < i3, "newest first");
    assert!(!open.contains(">i1</a>") && !open.contains(">i2</a>"));
    // The one check warning, under its catalogue entry.
    let warnings = &html[html.find("id=\"warnings\"").unwrap()..];
    assert!(warnings.contains("<a href=\"errors.html#retro-item-overdue\">retro-item-overdue</a>"));
    assert!(warnings
        .contains("content/retros/i2.md:6:1: warning: action item `Tune the connection pool`"));
    // Every page's footer links it.
    for page in ["index.html", "teams/shop.html", "retros/i1.html"] {
        let p = fs::read_to_string(out.join(page)).unwrap();
        assert!(p.contains("data-quality.html\">Data quality</a>"), "{page}");
    }
}
