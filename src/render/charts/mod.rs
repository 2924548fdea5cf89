//! Chart planning (render stage): takes the config, dataset and metrics `Report` and
//! returns `Charts`: the `ChartSpec`s each page shows (titles, descriptions, annotation
//! titles and links, trend notes), drawn by `chart::draw`, with their CSV paths.

pub mod incident;
pub mod scope;
pub mod slo;
pub mod trend;

pub use scope::{sparkline_id, ChartView, Charts};

use crate::chart::{ChartAnnotation, Memo};
use crate::config::Config;
use crate::metrics::Report;
use crate::model::{AnnotationKind, Dataset};
use crate::output::slug;
use crate::render::records::Records;

/// Every page's charts: each scope's trend charts, sparklines and before/after charts,
/// then each SLO page's charts under the key `slo:<id>`.
pub fn build(config: &Config, ds: &Dataset, report: &Report, memo: Option<&Memo>) -> Charts {
    let records = Records::of(ds);
    let mut charts = scope::build(config, &records, report, memo);
    for (key, page) in slo::build(&records, report, memo) {
        charts.add_page(key, page);
    }
    charts
}

/// An incident as a chart annotation: a marker on its start day, or a band to the day it
/// was resolved (by as_of), linked to its page.
pub fn incident_annotation(
    i: &crate::model::Incident,
    cal: &crate::period::Calendar,
) -> ChartAnnotation {
    let start = cal.date_of(i.started_at);
    let end = i
        .resolved_at
        .filter(|&r| r < cal.as_of_end)
        .map(|r| cal.date_of(r))
        .filter(|&e| e > start);
    ChartAnnotation {
        start,
        end,
        kind: AnnotationKind::Incident,
        title: format!("SEV{} {}: {}", i.severity, i.id, i.title),
        link: Some(format!("incidents/{}.html", slug(&i.id))),
    }
}
