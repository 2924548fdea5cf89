//! Data export: takes the metrics `Report` and returns `data/metrics.json`, every scope x
//! every quarter, month and week, one flat object each with the `almanac metrics` keys;
//! and `data/trends.json`, the trends over those figures.

use crate::metrics::Report;
use crate::output::OutputFile;

pub fn metrics_json(report: &Report) -> OutputFile {
    let rows: Vec<&crate::metrics::Figures> = report
        .scopes
        .iter()
        .flat_map(|s| s.series.values().flatten())
        .collect();
    let mut bytes = serde_json::to_vec_pretty(&rows).expect("figures serialise");
    bytes.push(b'\n');
    OutputFile::new("data/metrics.json", bytes)
}

/// `data/trends.json`: every scope's period-over-period changes, 13-week trends and
/// before/after medians around interventions (`metrics::trends`), compact, since at the
/// benchmark scale it holds ~33,000 periods x 15 figures.
pub fn trends_json(report: &Report, ds: &crate::model::Dataset) -> OutputFile {
    let trends = crate::metrics::trends::compute(report, ds);
    let mut bytes = serde_json::to_vec(&trends).expect("trends serialise");
    bytes.push(b'\n');
    OutputFile::new("data/trends.json", bytes)
}
