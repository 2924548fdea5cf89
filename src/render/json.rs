//! Data export: takes the metrics `Report` and returns `data/metrics.json`, every scope x
//! every quarter, month and week, one flat object each with the `almanac metrics` keys.

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
