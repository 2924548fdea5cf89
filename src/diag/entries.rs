//! The error catalogue's entries, one per kind of diagnostic, grouped by the file they
//! concern (see `catalogue.rs`). A new diagnostic needs an entry here: the fixture test in
//! `tests/cli/catalogue.rs` fails on a message no pattern matches.

use crate::diag::Severity;

/// One kind of diagnostic.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// Short, stable id, e.g. `csv-bad-timestamp`: the page's anchor.
    pub id: &'static str,
    pub severity: Severity,
    /// The file (or group of files) it concerns: the page's section.
    pub file: &'static str,
    /// The message with `*` for every part that varies.
    pub pattern: &'static str,
    /// An offending input.
    pub example: &'static str,
    /// The message that input produces.
    pub message: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

#[allow(clippy::too_many_arguments)]
pub(super) const fn e(
    id: &'static str,
    severity: Severity,
    file: &'static str,
    pattern: &'static str,
    example: &'static str,
    message: &'static str,
    fix: &'static str,
) -> Entry {
    Entry {
        id,
        severity,
        file,
        pattern,
        example,
        message,
        fix,
    }
}

pub(super) const CLI: &str = "command line";
pub(super) const TOML: &str = "almanac.toml";
pub(super) const CSV: &str = "data/ (every CSV file)";
pub(super) const DEP: &str = "data/deployments.csv";
pub(super) const CHG: &str = "data/changes.csv";
pub(super) const INC: &str = "data/incidents.csv";
pub(super) const SLI: &str = "data/sli.csv";
pub(super) const PAGES: &str = "data/pages.csv";
pub(super) const ANN: &str = "data/annotations.csv";
pub(super) const SLO: &str = "data/slos/*.yaml";
pub(super) const MD: &str = "content/ (every Markdown file)";
pub(super) const RETRO: &str = "content/retros/*.md";
pub(super) const METRIC: &str = "content/metrics/*.md";
pub(super) const DOCS: &str = "content/governance and content/reports";
pub(super) const THEME: &str = "themes/";
pub(super) const REVIEW: &str = "content/reviews/*.md";
pub(super) const IMPORT: &str = "almanac import sources";

mod content;
mod inputs;

/// Every entry: the command line's, `almanac.toml`'s and the data files' (`inputs`), then
/// the content's, the themes' and the importers' (`content`).
pub const ENTRIES: &[Entry] = &concat::<{ inputs::ENTRIES.len() + content::ENTRIES.len() }>(
    inputs::ENTRIES,
    content::ENTRIES,
);

/// `a` then `b`, as an array of `N` entries (checked at compile time).
const fn concat<const N: usize>(a: &[Entry], b: &[Entry]) -> [Entry; N] {
    assert!(N == a.len() + b.len(), "N is the two lengths together");
    let mut out = [a[0]; N];
    let mut i = 0;
    while i < b.len() {
        out[a.len() + i] = b[i];
        i += 1;
    }
    let mut i = 0;
    while i < a.len() {
        out[i] = a[i];
        i += 1;
    }
    out
}
