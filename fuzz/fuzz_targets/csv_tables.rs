//! cargo-fuzz target: arbitrary bytes into `almanac::fuzzing::csv_tables`; any panic is a bug.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| almanac::fuzzing::csv_tables(data));
