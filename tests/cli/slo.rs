//! SLOs (issue 3): SLO pages, the dashboard SLO band, SLO figures and SLO checks, on the
//! `slo` and `slo_broken` fixtures.

use super::*;

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
    let read = |p: &str| fs::read_to_string(out.join(p)).unwrap();
    let index = read("index.html");
    assert!(index.contains("Are we within our SLOs?"));
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
                                                   // 0.714 per window that lasts 0.94565 x 2,208 h / 0.714286 = 2,923 h, beyond the 1,968 h
                                                   // left in the quarter: it does not run out at this rate -> null.
    assert_eq!(t["time_to_exhaustion_hours"], serde_json::Value::Null);
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

/// Exports v2: each SLO's figures are in its own file, said once; a scope's rows carry
/// only the ids of its SLOs and how many are in each status. The figures are those of
/// `slo_figures_in_metrics_json_match_hand_computed_values`: at 2026-Q3's end (as_of
/// 10 July), one SLO each exhausted, at risk, healthy and with no data.
#[test]
fn slo_figures_have_their_own_export_and_scope_rows_count_statuses() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&fixture("slo"), &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let read = |p: &str| -> serde_json::Value {
        serde_json::from_slice(&fs::read(out.join(p)).unwrap()).unwrap()
    };
    let index = read("data/index.json");
    let slos = index["slos"].as_array().unwrap();
    assert_eq!(slos.len(), 4);
    let api = slos.iter().find(|s| s["id"] == "api-availability").unwrap();
    assert_eq!(api["file"], "data/slos/api-availability.json");
    let table = read("data/slos/api-availability.json");
    // What is the same at every period's end is said once, above the rows.
    assert_eq!(
        (
            &table["schema"],
            &table["service"],
            &table["objective"],
            &table["window"]
        ),
        (
            &serde_json::json!(3),
            &serde_json::json!("api"),
            &serde_json::json!(0.99),
            &serde_json::json!("7d")
        )
    );
    let rows = super::table_rows(&table);
    let q3 = rows.iter().find(|r| r["period"] == "2026-Q3").unwrap();
    assert_eq!(q3["status"], "exhausted");
    // 16,600 good of 16,800 requests = 0.988095 (6 significant digits).
    assert_eq!(q3["attainment"], 0.988095);
    let org_q3 = export_rows(&out)
        .into_iter()
        .find(|r| r["scope"] == "org" && r["period"] == "2026-Q3")
        .unwrap();
    assert!(org_q3.get("slos").is_none(), "{org_q3}");
    // The scope's SLO ids are the same every period: said once, in the table's head.
    let org = read("data/metrics/org.json");
    let mut ids: Vec<&str> = org["slo_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "api-availability",
            "api-latency-slices",
            "web-latency",
            "web-month"
        ]
    );
    assert_eq!(
        org_q3["slo_status"],
        serde_json::json!({"at risk": 1, "exhausted": 1, "healthy": 1, "no data": 1})
    );
}
