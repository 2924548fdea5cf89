//! Demo scale tests: event rates that extrapolate to the benchmark, the example's size,
//! the benchmark-scale demo itself, tiny configs, and the share of repeat incidents.

use super::*;

/// Rows per CSV file, and total bytes and retro count.
fn counts(files: &[OutputFile]) -> (BTreeMap<String, usize>, usize, usize) {
    let mut rows = BTreeMap::new();
    let (mut bytes, mut retros) = (0, 0);
    for f in files {
        if f.path.ends_with(".csv") {
            rows.insert(
                f.path.clone(),
                f.bytes.iter().filter(|&&b| b == b'\n').count() - 1,
            );
            bytes += f.bytes.len();
        }
        retros += usize::from(f.path.starts_with("content/retros/"));
    }
    (rows, bytes, retros)
}

const BENCH_SERVICE_MONTHS: f64 = 40.0 * 3.0 * 36.0;

#[test]
fn per_service_month_rates_extrapolate_to_the_benchmark() {
    // 16 single-service teams over 3 months: 48 service-months, scaled up by 4320 / 48 = 90.
    let opts = DemoOptions {
        teams: 16,
        services_per_team: 1,
        months: 3,
        ..DemoOptions::default()
    };
    let (rows, bytes, retros) = counts(&generate(&opts));
    let scale = BENCH_SERVICE_MONTHS / 48.0;
    let days = 92.0; // 2026-07-01..2026-09-30
                     // SLI: one daily row per SLO-day, except the two hourly SLOs (24 a day, last 92 days).
    let hourly = 2.0 * 24.0 * days;
    let daily_per_slo_day = (rows["data/sli.csv"] as f64 - hourly) / (30.0 * days);
    assert!(
        (daily_per_slo_day - 1.0).abs() < 0.01,
        "{daily_per_slo_day}"
    );
    let sli = 240.0 * 1096.0 + 2.0 * 24.0 * 92.0;
    let get = |p: &str| rows[p] as f64 * scale;
    let (deploys, changes) = (get("data/deployments.csv"), get("data/changes.csv"));
    let total = deploys + changes + sli + get("data/incidents.csv") + get("data/pages.csv");
    // Targets: ~1.7M events, changes ~60%, deployments ~20%, SLI ~15%; generous because
    // 16 teams' paces are a small sample.
    assert!((1.3e6..2.1e6).contains(&total), "{total}");
    assert!(
        (0.5..0.7).contains(&(changes / total)),
        "{}",
        changes / total
    );
    assert!(
        (0.14..0.26).contains(&(deploys / total)),
        "{}",
        deploys / total
    );
    assert!((0.11..0.2).contains(&(sli / total)), "{}", sli / total);
    // ~110 MB of CSV: bytes per event here times the benchmark's events.
    let events_here: usize = rows.values().sum();
    let mb = bytes as f64 / events_here as f64 * total / 1e6;
    assert!((80.0..140.0).contains(&mb), "{mb} MB");
    // ~4,500 retros: about one per service-month.
    let per_sm = retros as f64 / 48.0;
    assert!((0.6..1.6).contains(&per_sm), "{per_sm}");
}

#[test]
fn the_default_example_stays_small() {
    let (rows, bytes, _) = counts(default_site());
    let all: usize = default_site().iter().map(|f| f.bytes.len()).sum();
    assert!(all < 8_000_000, "{all} bytes");
    let events: usize = rows.values().sum();
    assert!(
        (60_000..120_000).contains(&events),
        "{events} rows, {bytes} bytes"
    );
}

/// The benchmark configuration itself; slow in debug, so run with
/// `cargo test --release --lib demo -- --ignored`.
#[test]
#[ignore = "generates the full 1.65 M-event benchmark demo; run with --release"]
fn benchmark_scale_hits_the_targets() {
    // Scale and shape only: the time to generate it is measured by benches/demo.sh, since
    // no test asserts a time.
    let files = generate(&DemoOptions {
        teams: 40,
        services_per_team: 3,
        months: 36,
        ..DemoOptions::default()
    });
    let (rows, bytes, retros) = counts(&files);
    let events: usize = rows
        .iter()
        .filter(|(k, _)| !k.contains("annotations"))
        .map(|(_, v)| v)
        .sum();
    eprintln!("{rows:?} events={events} bytes={bytes} retros={retros}");
    assert!((1_500_000..1_900_000).contains(&events), "{events}");
    assert!((95_000_000..125_000_000).contains(&bytes), "{bytes}");
    assert!((3_800..5_200).contains(&retros), "{retros}");
}

#[test]
fn tiny_configs_still_make_a_valid_site() {
    for (teams, services, months) in [(1, 1, 1), (0, 0, 0), (2, 1, 2)] {
        let opts = DemoOptions {
            teams,
            services_per_team: services,
            months,
            ..DemoOptions::default()
        };
        let site = generate(&opts);
        let cfg = config::parse(file(&site, "almanac.toml")).expect("config parses");
        assert_eq!(cfg.teams.len(), teams.max(1) as usize);
        for row in table(&site, "data/incidents.csv") {
            assert!(ts(&row, "started_at") <= ts(&row, "acknowledged_at"));
        }
        assert!(!table(&site, "data/deployments.csv").is_empty());
    }
}

/// The demo's incidents repeat at a plausible rate under the real rule (`metrics::repeat`):
/// some by a specific cause on the same service, some because a retro names them.
#[test]
fn a_plausible_share_of_incidents_repeat() {
    use crate::metrics::repeat::{is_specific, previous_same_cause, repeats_of};
    let dir = tempfile::tempdir().unwrap();
    for f in default_site() {
        let path = dir.path().join(&f.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &f.bytes).unwrap();
    }
    let (loaded, _) =
        crate::pipeline::load(dir.path(), None).unwrap_or_else(|d| panic!("{:?}", d.sorted()));
    let ds = &loaded.ds;
    let mut by_service = vec![Vec::new(); ds.services.len()];
    for (i, inc) in ds.incidents.iter().enumerate() {
        by_service[inc.service as usize].push(i as u32);
    }
    for v in &mut by_service {
        v.sort_by_key(|&i| (ds.incidents[i as usize].started_at, i));
    }
    let retro_of = crate::metrics::index::first_retros(ds, Ts::MAX);
    let rep = repeats_of(ds, &by_service, &retro_of);
    let n = ds.incidents.len();
    let repeats = rep.iter().flatten().count();
    let share = repeats as f64 / n as f64;
    assert!((0.05..=0.20).contains(&share), "{repeats} of {n}");
    let by_cause = by_service
        .iter()
        .flat_map(|l| l.iter().map(move |&i| (l, i)))
        .filter(|&(l, i)| previous_same_cause(ds, l, i).is_some())
        .count();
    let named = ds.retros.iter().filter(|r| !r.repeats.is_empty()).count();
    assert!(
        by_cause >= 10 && named >= 10,
        "{by_cause} by cause, {named} named"
    );
    // Causes are a mix: coarse ones (bad-deploy) and specific ones (database-disk-full).
    let specific = ds.causes.names().iter().filter(|c| is_specific(c)).count();
    assert!(
        specific >= 5 && specific < ds.causes.len(),
        "{:?}",
        ds.causes.names()
    );
}
