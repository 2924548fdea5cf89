//! The reporting keys of `almanac.toml`: `[definitions]` (a metric definition version
//! pinned per metric), `[coaching]` (questions shown when a metric moved the wrong way) and
//! `base_url` (the published address, for `sitemap.xml` and the reports feed).
//!
//! Config cannot know which metrics and versions exist (the metrics catalogue comes later
//! in the pipeline); `metrics::definitions::check` validates the names and numbers.

use crate::config::CONFIG_FILE;
use crate::diag::{pos_of_offset, Diagnostics, Pos};
use std::collections::BTreeMap;
use toml::Spanned;

/// A definition version pinned in `[definitions]`, e.g. `change_failure_rate = 1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    pub metric: String,
    pub version: u32,
    /// Where the pin is written, for a diagnostic about it.
    pub at: Pos,
}

/// The questions `[coaching]` gives one metric, e.g.
/// `lead_time_median_hours = ["Where does work wait: review, QA, approvals, rework?"]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompts {
    pub metric: String,
    pub questions: Vec<String>,
    pub at: Pos,
}

/// The raw `[definitions]` table.
pub type RawDefinitions = BTreeMap<String, Spanned<i64>>;
/// The raw `[coaching]` table.
pub type RawCoaching = BTreeMap<String, Spanned<Vec<String>>>;

/// The pins in key order; a version below 1 is an error here, an unknown metric or a
/// version the code does not implement is one in `metrics::definitions::check`.
pub fn pins(raw: Option<RawDefinitions>, text: &str, diags: &mut Diagnostics) -> Vec<Pin> {
    let mut out = Vec::new();
    for (metric, v) in raw.unwrap_or_default() {
        let at = pos_of_offset(text, v.span().start);
        match u32::try_from(*v.get_ref()) {
            Ok(version) if version >= 1 => out.push(Pin { metric, version, at }),
            _ => diags.error(
                CONFIG_FILE,
                Some(at),
                format!(
                    "`[definitions] {metric} = {}`: a definition version is a whole number from 1, e.g. `{metric} = 1`",
                    v.get_ref()
                ),
            ),
        }
    }
    out
}

/// The coaching questions in key order; empty questions are errors.
pub fn prompts(raw: Option<RawCoaching>, text: &str, diags: &mut Diagnostics) -> Vec<Prompts> {
    let mut out = Vec::new();
    for (metric, qs) in raw.unwrap_or_default() {
        let at = pos_of_offset(text, qs.span().start);
        let questions: Vec<String> = qs.get_ref().iter().map(|q| q.trim().to_string()).collect();
        if questions.is_empty() || questions.iter().any(String::is_empty) {
            diags.error(
                CONFIG_FILE,
                Some(at),
                format!("`[coaching] {metric}` needs one or more non-empty questions, e.g. `{metric} = [\"Where does work wait?\"]`"),
            );
            continue;
        }
        out.push(Prompts {
            metric,
            questions,
            at,
        });
    }
    out
}

/// `base_url` with one trailing `/`; it must be an absolute http(s) address.
pub fn base_url(
    raw: Option<Spanned<String>>,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<String> {
    let raw = raw?;
    let url = raw.get_ref().trim();
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && !url.contains(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\'' | '&'));
    if !ok {
        diags.error(
            CONFIG_FILE,
            Some(pos_of_offset(text, raw.span().start)),
            "`base_url` must be the site's absolute address, e.g. \"https://metrics.example.com/reports/\"",
        );
        return None;
    }
    Some(format!("{}/", url.trim_end_matches('/')))
}
