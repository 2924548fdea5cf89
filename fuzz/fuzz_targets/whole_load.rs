//! cargo-fuzz target: the whole load and metrics stages on `tests/fixtures/incidents` with
//! one file (chosen by the first byte) replaced by the rest of the input; seed the corpus
//! with `fuzz/run.sh`, which copies the fixture's files in. Any panic is a bug.
#![no_main]

use std::path::Path;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/incidents");
    let dir = tempfile::tempdir().unwrap();
    almanac::fuzzing::copy_site(&fixture, dir.path()).unwrap();
    almanac::fuzzing::whole_load(dir.path(), data);
});
