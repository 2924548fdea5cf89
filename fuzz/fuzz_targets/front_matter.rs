//! cargo-fuzz target: arbitrary bytes into `almanac::fuzzing::front_matter`; any panic is a bug.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| almanac::fuzzing::front_matter(data));
