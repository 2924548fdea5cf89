//! Fuzzing entry points: each takes arbitrary bytes and feeds them to one parser (the CSV
//! tables, changes included; retro front matter; period keys, timestamps, dates and SLO
//! windows; OpenSLO YAML; `almanac.toml`), discarding the result; and the whole load and
//! metrics stages on a fixture site with one file replaced. The cargo-fuzz targets in
//! `fuzz/` and the stable smoke test call these; the only property checked is that nothing
//! panics.

use crate::diag::Diagnostics;
use crate::load::{content, delivery, incidents, openslo, signals, time};
use crate::model::Interner;
use crate::period::{parse_key, Calendar, Grain};
use std::collections::HashMap;
use std::path::Path;

/// Every CSV table parser on the same bytes; changes are resolved against the deployments
/// the same bytes give.
pub fn csv_tables(bytes: &[u8]) {
    let mut diags = Diagnostics::new();
    let base = Interner::default();
    let deploys = delivery::deployments(bytes, &base, &mut diags);
    delivery::changes(bytes, &base, &deploys, &mut diags);
    incidents::incidents(bytes, &base, &deploys, &mut diags);
    signals::pages(bytes, &base, &mut diags);
    let slos: HashMap<String, u32> = [("checkout".to_string(), 0)].into_iter().collect();
    signals::sli(bytes, &slos, &mut diags);
    signals::annotations(bytes, &[], &base, &mut diags);
}

/// A retro file: front matter (TOML or YAML) and body.
pub fn front_matter(bytes: &[u8]) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        content::parse_retro("content/retros/fuzz.md", text, &mut Diagnostics::new());
    }
}

/// Period keys, timestamps, dates and SLO windows; a parsed period key is also cut into
/// its period in UTC and in a zone with DST.
pub fn periods_and_durations(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    time::parse_timestamp(text);
    time::parse_date(text);
    crate::config::SloWindow::parse(text);
    if let Some((grain, first)) = parse_key(text) {
        for tz in [chrono_tz::Tz::UTC, chrono_tz::Europe::Berlin] {
            let cal = Calendar::new(tz, first);
            cal.period_by_key(text);
            cal.periods(Grain::Week, first);
            cal.period(grain, first);
        }
    }
}

/// An OpenSLO YAML document.
pub fn openslo(bytes: &[u8]) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        openslo::parse_for_site("slos/fuzz.yaml", text, chrono_tz::Europe::Berlin);
    }
}

/// An `almanac.toml`.
pub fn config(bytes: &[u8]) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = crate::config::parse(text);
    }
}

/// The files of a site that `whole_load` may replace, relative to its root.
pub const SITE_FILES: [&str; 6] = [
    "almanac.toml",
    "data/deployments.csv",
    "data/incidents.csv",
    "data/pages.csv",
    "data/sli.csv",
    "content/retros/i1.md",
];

/// Loads the site at `root` (a scratch copy of a fixture, such as
/// `tests/fixtures/incidents`) after replacing file `SITE_FILES[data[0] % 6]` with the rest
/// of `data`, then computes its figures when it loads.
pub fn whole_load(root: &Path, data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let file = root.join(SITE_FILES[which as usize % SITE_FILES.len()]);
    if std::fs::write(&file, rest).is_err() {
        return;
    }
    if let Ok((loaded, _)) = crate::pipeline::load(root, None) {
        crate::pipeline::report(&loaded);
    }
}

/// Copies the files of the site at `from` into `to` (which must exist), for `whole_load`.
pub fn copy_site(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(std::io::Error::other)?;
        let rel = entry.path().strip_prefix(from).expect("under the root");
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(to.join(rel))?;
        } else {
            std::fs::copy(entry.path(), to.join(rel))?;
        }
    }
    Ok(())
}
