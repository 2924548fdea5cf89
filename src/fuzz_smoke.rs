//! The stable-Rust fuzz smoke test CI runs: bounded random bytes (proptest) into the same
//! entry points as the cargo-fuzz targets in `fuzz/` (`crate::fuzzing`), and crashes found
//! by fuzzing kept as regression inputs. Passes when nothing panics.

use crate::fuzzing;
use proptest::prelude::*;
use std::path::Path;

/// Bytes that look like the inputs: arbitrary, or text assembled from CSV and front-matter
/// fragments so the parsers get past their first check.
fn input() -> impl Strategy<Value = Vec<u8>> {
    let fragment = prop::sample::select(
        &[
            "deploy_id,service,environment,status,deployed_at\n",
            "change_id,service,committed_at,deploy_id\n",
            "incident_id,service,severity,started_at,resolved_at\n",
            "slo,timestamp,good,total\n",
            "page_id,service,paged_at,actionable,after_hours\n",
            "date,scope,label\n",
            "d1,api,production,success,2026-07-01T00:00:00Z\n",
            "checkout,2026-07-01T00:00:00Z,18446744073709551615,1\n",
            "\"",
            ",",
            "\n",
            "\r\n",
            "+++\n",
            "---\n",
            "title = \"x\"\n",
            "incident = \"i1\"\n",
            "published_at = 2026-07-01T00:00:00Z\n",
            "[[action_items]]\n",
            "due = 2026-07-01\n",
            "2026-Q4",
            "2026-W53",
            "9999-12",
            "1970-01",
            "28d",
            "4w",
            "month",
            "-",
            "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: x\nspec:\n",
            "  objectives:\n    - target: 0.99\n",
            "  timeWindow:\n    - duration: 28d\n      isRolling: true\n",
            "\u{feff}",
            "\u{fffd}",
            "\0",
            "é",
        ][..],
    );
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        prop::collection::vec(fragment, 0..24).prop_map(|v| v.concat().into_bytes()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn parsers_never_panic(bytes in input()) {
        fuzzing::csv_tables(&bytes);
        fuzzing::front_matter(&bytes);
        fuzzing::periods_and_durations(&bytes);
        fuzzing::openslo(&bytes);
        fuzzing::config(&bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn the_load_stage_never_panics_on_a_mutated_fixture(which in 0u8..6, cut in any::<prop::sample::Index>(), bytes in input()) {
        // One fixture file, cut at a random point and followed by random bytes.
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/incidents");
        let dir = tempfile::tempdir().unwrap();
        fuzzing::copy_site(&fixture, dir.path()).unwrap();
        let original = std::fs::read(fixture.join(fuzzing::SITE_FILES[which as usize])).unwrap();
        let mut data = vec![which];
        data.extend_from_slice(&original[..cut.index(original.len() + 1)]);
        data.extend_from_slice(&bytes);
        fuzzing::whole_load(dir.path(), &data);
    }
}
