//! What page builders read: takes the render stage's input and returns `Site`: the report's
//! figures, the config, the records pages show (names, incidents, retros, definitions,
//! documents), the drawn charts, the markdown renderer and the incident lookups, built once
//! per render. The dataset's event tables (changes, SLI rows, pages, annotations) stay
//! behind: every figure made from them is in the `Report`.

use crate::chart::{draw_with, Chart, ChartSpec, Memo};
use crate::config::Config;
use crate::markdown::Markdown;
use crate::metrics::Report;
use crate::model::Dataset;
use crate::render::charts::Charts;
use crate::render::incident_row::Facts;
pub use crate::render::records::Records;

/// Everything a page builder may read.
pub struct Site<'a> {
    pub config: &'a Config,
    pub report: &'a Report,
    pub records: Records<'a>,
    pub charts: &'a Charts,
    /// Turns the records' markdown into sanitised HTML.
    pub markdown: Markdown,
    /// Incident links, local times and the report's facts about each incident.
    pub incidents: Facts<'a>,
    /// Charts an earlier build drew (`serve`), drawn again only where their spec changed.
    pub memo: Option<&'a Memo>,
}

impl<'a> Site<'a> {
    pub fn new(
        config: &'a Config,
        ds: &'a Dataset,
        report: &'a Report,
        charts: &'a Charts,
    ) -> Site<'a> {
        let records = Records::of(ds);
        Site {
            config,
            report,
            records,
            charts,
            markdown: Markdown::default(),
            incidents: Facts::new(records, report.calendar, &report.incidents),
            memo: None,
        }
    }

    /// Draws a chart the pages show (through the memo when there is one).
    pub fn draw(&self, spec: &ChartSpec) -> std::sync::Arc<Chart> {
        draw_with(self.memo, spec)
    }
}
