//! The error catalogue stays honest: every diagnostic `check` emits on the fixture sites
//! (and on the example site) matches an entry of `almanac::diag::catalogue`.

use almanac::diag::catalogue::entry_of;
use std::path::Path;

#[test]
fn every_fixture_diagnostic_has_a_catalogue_entry() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sites: Vec<_> = std::fs::read_dir(root.join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("almanac.toml").exists())
        .collect();
    sites.push(root.to_path_buf());
    sites.sort();
    let (mut seen, mut missing) = (0, Vec::new());
    for site in &sites {
        for d in almanac::pipeline::check(site, None).diags.sorted() {
            seen += 1;
            match entry_of(&d.message) {
                Some(e) => assert_eq!(e.severity, d.severity, "{}: {d}", e.id),
                None => missing.push(format!("{}: {d}", site.display())),
            }
        }
    }
    assert!(
        missing.is_empty(),
        "no catalogue entry for:\n{}",
        missing.join("\n")
    );
    // The fixtures are broken on purpose: they must produce diagnostics to check.
    assert!(seen > 30, "only {seen} diagnostics");
}
