//! On-call section of a team page: takes a team's series from the report and returns what
//! `oncall.html` shows: the quarter's pages per week, actionable and after-hours shares
//! beside the previous quarter, the trend in words and the last months. Per team, never
//! per person.

use crate::metrics::catalog::{Metric, Unit};
use crate::metrics::trends::ScopeTrends;
use crate::metrics::ScopeReport;
use crate::model::MetricDef;
use crate::period::Grain;
use crate::render::charts::trend::trend_sentence;
use crate::render::context::{tile, Tile};
use crate::render::words::format_metric;
use serde::Serialize;

/// The on-call figures, in display order.
pub const ONCALL_KEYS: [Metric; 3] = [
    Metric::PagesPerWeek,
    Metric::ActionablePageRate,
    Metric::AfterHoursPageRate,
];

/// Months listed under the tiles.
const MONTHS: usize = 6;

#[derive(Serialize)]
pub struct OncallRow {
    pub period: String,
    pub values: Vec<String>,
}

#[derive(Serialize)]
pub struct OncallView {
    pub tiles: Vec<Tile>,
    pub trend: String,
    pub headers: Vec<&'static str>,
    pub months: Vec<OncallRow>,
}

/// The section for a scope (with its trends from the report), or `None` when it has no
/// page data at all.
pub fn section(
    s: &ScopeReport,
    trends: &ScopeTrends,
    defs: &[MetricDef],
    root: &str,
) -> Option<OncallView> {
    let quarters = s.series.get(&Grain::Quarter)?;
    let cur = quarters.last()?;
    let any = quarters
        .iter()
        .any(|f| f.get(Metric::PagesPerWeek).is_some());
    if !any {
        return None;
    }
    let prev = s.previous(Grain::Quarter, quarters.len() - 1);
    let info = Metric::PagesPerWeek.info(defs);
    let months = s.series.get(&Grain::Month).map_or(Vec::new(), |m| {
        m.iter()
            .rev()
            .take(MONTHS)
            .map(|f| OncallRow {
                period: f.period.clone(),
                values: ONCALL_KEYS
                    .iter()
                    .map(|&k| format_metric(k, f.get(k)))
                    .collect(),
            })
            .collect()
    });
    Some(OncallView {
        tiles: ONCALL_KEYS
            .iter()
            .map(|&k| {
                let change =
                    crate::metrics::trends::change(s, Grain::Quarter, k, quarters.len() - 1, defs);
                tile(k, defs, cur, prev, change.verdict, root)
            })
            .collect(),
        trend: trend_sentence(info.name, Unit::PerWeek, Metric::PagesPerWeek, s, trends),
        headers: vec!["Pages per week", "Actionable", "After hours"],
        months,
    })
}
