//! Property tests (proptest) over small generated sites: every rate lies in [0, 1]; median
//! and p90 lie within [min, max] with p90 >= median; weeks, months and quarters each
//! partition the deployments exactly in any timezone; rows after `as_of` and the order of
//! rows change nothing, down to the bytes of `metrics.json` and of the whole built site.
//! Case counts are small (64, 8 for whole builds) to keep CI quick.

use crate::metrics::catalog::{Metric, Unit};
use crate::metrics::stats::{median, percentile};
use crate::period::Grain;
use chrono::DateTime;
use proptest::prelude::*;
use std::path::Path;

/// 2026-01-01T00:00:00Z; rows fall in the 181 days up to as_of 2026-06-30.
const BASE: i64 = 1_767_225_600;
const SPAN: i64 = 181 * 86_400;
/// 2026-07-02T00:00:00Z: after the end of 30 June in every zone below.
const AFTER: i64 = BASE + 182 * 86_400;
const ZONES: [&str; 6] = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
];
const SERVICES: [&str; 2] = ["api", "web"];
const CAUSES: [&str; 3] = ["bad-deploy", "capacity", "dependency"];

#[derive(Debug, Clone)]
struct Deploy {
    at: i64,
    ok: bool,
    service: usize,
}

#[derive(Debug, Clone)]
struct Incident {
    at: i64,
    lasts: i64,
    severity: u8,
    service: usize,
    cause: usize,
    /// Caused by the latest earlier deployment, when there is one.
    by_deploy: bool,
}

#[derive(Debug, Clone)]
struct Page {
    at: i64,
    service: usize,
    actionable: bool,
    after_hours: bool,
}

#[derive(Debug, Clone)]
struct Site {
    zone: &'static str,
    deploys: Vec<Deploy>,
    incidents: Vec<Incident>,
    pages: Vec<Page>,
}

fn deploys(at: std::ops::Range<i64>, n: usize) -> impl Strategy<Value = Vec<Deploy>> {
    prop::collection::vec(
        (at, any::<bool>(), 0..SERVICES.len()).prop_map(|(at, ok, service)| Deploy {
            at,
            ok,
            service,
        }),
        0..n,
    )
}

fn incidents(at: std::ops::Range<i64>, n: usize, by: bool) -> impl Strategy<Value = Vec<Incident>> {
    prop::collection::vec(
        (
            at,
            60..3 * 86_400i64,
            1..=4u8,
            0..SERVICES.len(),
            0..CAUSES.len(),
            any::<bool>(),
        )
            .prop_map(move |(at, lasts, severity, service, cause, b)| Incident {
                at,
                lasts,
                severity,
                service,
                cause,
                by_deploy: b && by,
            }),
        0..n,
    )
}

fn pages(at: std::ops::Range<i64>, n: usize) -> impl Strategy<Value = Vec<Page>> {
    prop::collection::vec(
        (at, 0..SERVICES.len(), any::<bool>(), any::<bool>()).prop_map(
            |(at, service, actionable, after_hours)| Page {
                at,
                service,
                actionable,
                after_hours,
            },
        ),
        0..n,
    )
}

fn site() -> impl Strategy<Value = Site> {
    (
        prop::sample::select(&ZONES[..]),
        deploys(BASE..BASE + SPAN, 40),
        incidents(BASE..BASE + SPAN, 12, true),
        pages(BASE..BASE + SPAN, 20),
    )
        .prop_map(|(zone, deploys, incidents, pages)| Site {
            zone,
            deploys,
            incidents,
            pages,
        })
}

fn stamp(t: i64) -> String {
    DateTime::from_timestamp(t, 0)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// The CSV files of `site`, rows in the order `order` gives (a permutation seed: 0 keeps
/// the generated order). Ids are fixed by the generated position, so a reordering moves
/// the same rows.
fn files(site: &Site, order: u64) -> Vec<(&'static str, String)> {
    let mut dep = vec!["deploy_id,service,environment,status,deployed_at".to_string()];
    let mut rows: Vec<String> = site
        .deploys
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let status = if d.ok { "success" } else { "failed" };
            format!(
                "d{k},{},production,{status},{}",
                SERVICES[d.service],
                stamp(d.at)
            )
        })
        .collect();
    shuffle(&mut rows, order);
    dep.extend(rows);
    let mut inc = vec!["incident_id,service,severity,started_at,detected_at,acknowledged_at,resolved_at,caused_by_deploy,cause,title".to_string()];
    let mut rows: Vec<String> = site
        .incidents
        .iter()
        .enumerate()
        .map(|(k, i)| {
            let by = site
                .deploys
                .iter()
                .enumerate()
                .filter(|(_, d)| i.by_deploy && d.service == i.service && d.at <= i.at)
                .max_by_key(|(j, d)| (d.at, *j))
                .map(|(j, _)| format!("d{j}"))
                .unwrap_or_default();
            format!(
                "i{k},{},{},{},,,{},{by},{},Incident {k}",
                SERVICES[i.service],
                i.severity,
                stamp(i.at),
                stamp(i.at + i.lasts),
                CAUSES[i.cause]
            )
        })
        .collect();
    shuffle(&mut rows, order.rotate_left(7));
    inc.extend(rows);
    let mut pg = vec!["page_id,service,paged_at,actionable,after_hours".to_string()];
    let mut rows: Vec<String> = site
        .pages
        .iter()
        .enumerate()
        .map(|(k, p)| {
            format!(
                "p{k},{},{},{},{}",
                SERVICES[p.service],
                stamp(p.at),
                p.actionable,
                p.after_hours
            )
        })
        .collect();
    shuffle(&mut rows, order.rotate_left(13));
    pg.extend(rows);
    let config = format!(
        "title = \"Generated\"\ntimezone = \"{}\"\nas_of = 2026-06-30\n\n[[team]]\nid = \"core\"\nname = \"Core\"\nservices = [\"api\", \"web\"]\n",
        site.zone
    );
    vec![
        ("almanac.toml", config),
        ("data/deployments.csv", dep.join("\n") + "\n"),
        ("data/incidents.csv", inc.join("\n") + "\n"),
        ("data/pages.csv", pg.join("\n") + "\n"),
    ]
}

/// Fisher-Yates with a small LCG seeded by `seed`; seed 0 keeps the order.
fn shuffle<T>(v: &mut [T], seed: u64) {
    if seed == 0 {
        return;
    }
    let mut s = seed;
    for i in (1..v.len()).rev() {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        v.swap(i, (s >> 33) as usize % (i + 1));
    }
}

fn write_site(dir: &Path, files: &[(&str, String)]) {
    std::fs::create_dir_all(dir.join("data")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn report_of(files: &[(&str, String)]) -> (crate::pipeline::Loaded, crate::metrics::Report) {
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path(), files);
    let (loaded, warnings) = crate::pipeline::load(dir.path(), None)
        .unwrap_or_else(|d| panic!("{:?}\n{files:?}", d.sorted()));
    assert!(!warnings.has_errors(), "{:?}", warnings.sorted());
    let report = crate::pipeline::report(&loaded);
    (loaded, report)
}

/// Every data export file (`data/index.json`, each scope's and SLO's), in path order.
fn metrics_json(files: &[(&str, String)]) -> Vec<(String, Vec<u8>)> {
    use crate::output::Sink;
    let (_, r) = report_of(files);
    let sink = crate::output::Collect::default();
    crate::render::exports::exports(&r, None, &|f| sink.put(f)).unwrap();
    sink.into_files()
        .into_iter()
        .map(|f| (f.path, f.bytes))
        .collect()
}

/// Every file of the built site, path and bytes, sorted by path.
fn built(files: &[(&str, String)]) -> Vec<(String, Vec<u8>)> {
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path(), files);
    let (_, built) = crate::pipeline::build(dir.path(), None, &mut |_| {})
        .unwrap_or_else(|_| panic!("build failed on {files:?}"));
    let mut out: Vec<(String, Vec<u8>)> = built.into_iter().map(|f| (f.path, f.bytes)).collect();
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn median_and_p90_lie_within_the_sample(mut v in prop::collection::vec(-1e9f64..1e9, 1..50)) {
        let (lo, hi) = v.iter().fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        let m = median(&mut v).unwrap();
        let p90 = percentile(&mut v, 0.9).unwrap();
        prop_assert!(lo <= m && m <= hi, "{lo} <= {m} <= {hi}");
        prop_assert!(lo <= p90 && p90 <= hi, "{lo} <= {p90} <= {hi}");
        prop_assert!(p90 >= m, "{p90} >= {m}");
    }

    #[test]
    fn rates_lie_in_0_1_and_p90_is_at_least_the_median(site in site()) {
        let (_, r) = report_of(&files(&site, 0));
        for s in &r.scopes {
            for f in s.series.values().flatten() {
                for m in Metric::ALL {
                    if let (Unit::Ratio, Some(v)) = (m.unit(), f.get(m)) {
                        prop_assert!((0.0..=1.0).contains(&v), "{} {} {}: {v}", s.scope.key, f.period, m.key());
                    }
                }
                if let (Some(med), Some(p90)) = (f.get(Metric::LeadTimeMedianHours), f.get(Metric::LeadTimeP90Hours)) {
                    prop_assert!(p90 >= med);
                }
            }
        }
    }

    #[test]
    fn weeks_months_and_quarters_partition_the_deployments(site in site()) {
        let (loaded, r) = report_of(&files(&site, 0));
        let end = loaded.calendar.as_of_end;
        // Deployments counts the successful ones; count those before the end of 30 June in
        // the site's zone.
        let expected = site.deploys.iter().filter(|d| d.ok && d.at < end).count() as f64;
        let org = r.scope("org").unwrap();
        let total = |g: Grain| -> f64 {
            org.series[&g].iter().filter_map(|f| f.get(Metric::Deployments)).sum()
        };
        prop_assert_eq!(total(Grain::Week), expected);
        prop_assert_eq!(total(Grain::Month), expected);
        prop_assert_eq!(total(Grain::Quarter), expected);
        // Each quarter is exactly its three months; the weeks of the quarter, cut at the
        // quarter's edges, add up to it too.
        for q in &org.series[&Grain::Quarter] {
            let qp = r.periods[&Grain::Quarter].iter().find(|p| p.key == q.period).unwrap();
            let months: f64 = org.series[&Grain::Month]
                .iter()
                .zip(&r.periods[&Grain::Month])
                .filter(|(_, p)| p.start >= qp.start && p.end <= qp.end)
                .filter_map(|(f, _)| f.get(Metric::Deployments))
                .sum();
            // (None, "no data", when the site has no deployments at all.)
            let count = q.get(Metric::Deployments).unwrap_or(0.0);
            prop_assert_eq!(count, months);
            let in_weeks = r.periods[&Grain::Week]
                .iter()
                .map(|w| {
                    let (a, b) = (w.start.max(qp.start), w.end.min(qp.end));
                    site.deploys.iter().filter(|d| d.ok && d.at >= a && d.at < b).count()
                })
                .sum::<usize>() as f64;
            prop_assert_eq!(count, in_weeks);
        }
    }

    #[test]
    fn rows_after_as_of_change_nothing(
        site in site(),
        later_deploys in deploys(AFTER..AFTER + 20 * 86_400, 10),
        later_incidents in incidents(AFTER..AFTER + 20 * 86_400, 5, false),
        later_pages in pages(AFTER..AFTER + 20 * 86_400, 10),
    ) {
        let before = metrics_json(&files(&site, 0));
        let mut more = site.clone();
        more.deploys.extend(later_deploys);
        more.incidents.extend(later_incidents);
        more.pages.extend(later_pages);
        prop_assert!(before == metrics_json(&files(&more, 0)));
    }

    #[test]
    fn row_order_changes_nothing(site in site(), seed in 1..u64::MAX) {
        prop_assert!(metrics_json(&files(&site, 0)) == metrics_json(&files(&site, seed)));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn shuffled_input_builds_a_byte_identical_site(site in site(), seed in 1..u64::MAX) {
        let a = built(&files(&site, 0));
        let b = built(&files(&site, seed));
        prop_assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            // manifest.json records each input file's SHA-256, which the shuffle changes
            // on purpose; every figure and page stays the same.
            if x.0 == "manifest.json" {
                prop_assert_eq!(&x.0, &y.0);
                continue;
            }
            prop_assert!(x == y, "{} differs", x.0);
        }
    }
}
