//! Trends over the `Report`: takes every scope's per-period figures (and the site's
//! `intervention` annotations) and returns, per scope, each figure against the previous
//! period, the 13-week trend at the latest week, and the medians before and after each
//! intervention (the trend and the medians are exported in `data/trends/<scope>.json`),
//! plus each intervention's week window and the before/after of every intervention shown on a scope's charts.
//! Pure functions; no I/O. The `Report` holds the result; pages and charts select from it.

use crate::metrics::catalog::{Metric, FOUR_KEYS};
use crate::metrics::trend::{
    before_after, compare, rolling_median, sides, trend, BeforeAfter, Comparison,
    ComparisonVerdict, Trend, BEFORE_AFTER_WEEKS, MIN_TREND_POINTS, SIGNIFICANCE, TREND_WEEKS,
};
use crate::metrics::{Figures, Report, ScopeReport};
use crate::model::{Annotation, AnnotationKind, Dataset, MetricDef, Scope};
use crate::period::Grain;
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;

/// The figures a before/after comparison looks at: the four keys, weekly.
pub const INTERVENTION_KEYS: [Metric; 4] = FOUR_KEYS;

/// Every scope's trends.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Trends {
    pub as_of: String,
    pub method: Method,
    pub scopes: Vec<ScopeTrends>,
}

/// The parameters behind every number in the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Method {
    pub trend_weeks: usize,
    pub min_trend_points: usize,
    pub significance: f64,
    pub before_after_weeks: usize,
}

pub const METHOD: Method = Method {
    trend_weeks: TREND_WEEKS,
    min_trend_points: MIN_TREND_POINTS,
    significance: SIGNIFICANCE,
    before_after_weeks: BEFORE_AFTER_WEEKS,
};

/// One scope's trends.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScopeTrends {
    pub scope: String,
    /// The 13-week trend of every figure at the scope's latest complete week.
    pub trend: LatestTrend,
    /// Before/after medians around each intervention annotated on this scope.
    pub interventions: Vec<Intervention>,
    /// Per grain whose current period is partial, that period's figures against the same
    /// days of the previous one (`vs_previous`): what no two rows of the exports can give.
    /// Every other comparison is made where it is shown (`change`).
    #[serde(skip)]
    pub partial: BTreeMap<Grain, BTreeMap<&'static str, Change>>,
    /// The before/after of the [`INTERVENTION_KEYS`] around every intervention shown on
    /// this scope's charts (annotated on it, or on the org or its team), by day.
    #[serde(skip)]
    pub markers: BTreeMap<NaiveDate, BTreeMap<&'static str, BeforeAfterFigure>>,
    /// The trailing [`ROLLING_WEEKS`]-week rolling median of each of the [`ROLLING_KEYS`],
    /// aligned with the report's weeks (drawn over their weekly lines); over complete
    /// weeks only, so `None` at a partial current week.
    #[serde(skip)]
    pub rolling: BTreeMap<&'static str, Vec<Option<f64>>>,
}

/// Weeks in the rolling median drawn over a weekly figure's line.
pub const ROLLING_WEEKS: usize = 5;

/// The weekly figures whose charts draw a rolling median.
pub const ROLLING_KEYS: [Metric; 1] = [Metric::LeadTimeMedianHours];

/// Every figure's Theil-Sen / Mann-Kendall trend over the weeks up to `week`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatestTrend {
    /// The latest complete week (the one containing `as_of` when `as_of` is a Sunday,
    /// else the week before); `None` when there is no complete week.
    pub week: Option<String>,
    /// How many complete weeks the window holds (13, fewer at the start of the data).
    pub weeks: usize,
    pub figures: BTreeMap<&'static str, Trend>,
}

/// The medians of the relevant figures in the N weeks before and after an intervention.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Intervention {
    pub date: String,
    pub title: String,
    pub link: Option<String>,
    /// N, the weeks on each side.
    pub weeks: usize,
    pub figures: BTreeMap<&'static str, BeforeAfterFigure>,
    /// The day of the change.
    #[serde(skip)]
    pub day: NaiveDate,
    /// The weeks a before/after chart shows, as indices into the report's weeks: the N
    /// before, the week of the change when it is left out, and the N after.
    #[serde(skip)]
    pub shown: Range<usize>,
}

/// Before/after medians of one figure, with the weeks with data behind each, and the
/// after-against-before verdict (by better direction and tolerance).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BeforeAfterFigure {
    #[serde(flatten)]
    pub medians: BeforeAfter,
    pub verdict: ComparisonVerdict,
}

/// The report key (`org`, `team:ID`, `service:ID`) of an annotation's scope.
pub fn scope_key(scope: &Scope) -> String {
    match scope {
        Scope::Org => "org".to_string(),
        Scope::Team(id) => format!("team:{id}"),
        Scope::Service(id) => format!("service:{id}"),
    }
}

impl Trends {
    /// The trends of the scope with report key `key`.
    pub fn scope(&self, key: &str) -> Option<&ScopeTrends> {
        self.scopes.iter().find(|t| t.scope == key)
    }
}

impl ScopeTrends {
    /// The before/after of figure `key` around an intervention on day `day` shown on this
    /// scope's charts.
    /// The rolling median of figure `m`, if its charts draw one.
    pub fn rolling_of(&self, m: Metric) -> Option<&[Option<f64>]> {
        self.rolling.get(m.key()).map(Vec::as_slice)
    }

    pub fn marker(&self, day: NaiveDate, key: Metric) -> Option<&BeforeAfterFigure> {
        self.markers.get(&day).and_then(|f| f.get(key.key()))
    }
}

/// Trends of every scope of the report.
pub fn compute(report: &Report, ds: &Dataset) -> Trends {
    let defs = &ds.metric_defs;
    let scopes = report
        .scopes
        .par_iter()
        .map(|s| {
            let annotated: Vec<&Annotation> = ds
                .annotations
                .iter()
                .filter(|a| a.kind == AnnotationKind::Intervention)
                .filter(|a| scope_key(&a.scope) == s.scope.key)
                .collect();
            ScopeTrends {
                scope: s.scope.key.clone(),
                trend: latest_trend(s, defs),
                interventions: annotated
                    .iter()
                    .map(|a| intervention(s, report, a, defs))
                    .collect(),
                partial: Grain::ALL
                    .iter()
                    .filter_map(|&g| {
                        let last = s.series.get(&g)?.len().checked_sub(1)?;
                        s.series[&g][last]
                            .partial
                            .then(|| (g, vs_previous(s, g, last, defs)))
                    })
                    .collect(),
                markers: s
                    .context
                    .annotations
                    .iter()
                    .map(|&i| &ds.annotations[i as usize])
                    .filter(|a| a.kind == AnnotationKind::Intervention)
                    .map(|a| (a.date, before_after_figures(s, report, a.date, defs)))
                    .collect(),
                rolling: ROLLING_KEYS
                    .iter()
                    .map(|&m| {
                        let mut rolling =
                            rolling_median(&complete_values(s, Grain::Week, m), ROLLING_WEEKS);
                        rolling.resize(values(s, Grain::Week, m).len(), None);
                        (m.key(), rolling)
                    })
                    .collect(),
            }
        })
        .collect();
    Trends {
        as_of: report.calendar.as_of.to_string(),
        method: METHOD,
        scopes,
    }
}

/// A figure's values over one grain, aligned with the report's periods.
pub fn values(s: &ScopeReport, grain: Grain, key: Metric) -> Vec<Option<f64>> {
    s.series
        .get(&grain)
        .map(|fs| fs.iter().map(|f| f.get(key)).collect())
        .unwrap_or_default()
}

/// One figure of a row against the same figure of the previous period's row.
pub fn compare_figure(
    key: Metric,
    cur: &Figures,
    prev: Option<&Figures>,
    defs: &[MetricDef],
) -> Comparison {
    let info = key.info(defs);
    let before = prev.and_then(|p| p.get(key));
    compare(cur.get(key), before, info.better, info.tolerance)
}

/// A figure's move against the previous period, as `vs_previous` carries it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    pub absolute: Option<f64>,
    pub relative: Option<f64>,
    pub verdict: ComparisonVerdict,
}

impl From<Comparison> for Change {
    fn from(c: Comparison) -> Change {
        Change {
            absolute: c.absolute,
            relative: c.relative,
            verdict: c.verdict,
        }
    }
}

/// Every catalogued figure of `cur` against `prev`, keeping those that can be compared.
pub fn row_changes(
    cur: &Figures,
    prev: Option<&Figures>,
    defs: &[MetricDef],
) -> BTreeMap<&'static str, Change> {
    Metric::ALL
        .into_iter()
        .filter_map(|m| {
            let c = compare_figure(m, cur, prev, defs);
            (c.verdict != ComparisonVerdict::NotComparable).then_some((m.key(), c.into()))
        })
        .collect()
}

/// Figure `m` of period `i` of `grain` of scope `s` against the period before it (a
/// partial period against the previous one's same days, `ScopeReport::previous`); "n/a"
/// when the scope has no such period.
pub fn change(s: &ScopeReport, grain: Grain, m: Metric, i: usize, defs: &[MetricDef]) -> Change {
    match s.series.get(&grain).and_then(|rows| rows.get(i)) {
        Some(cur) => compare_figure(m, cur, s.previous(grain, i), defs).into(),
        None => Change {
            absolute: None,
            relative: None,
            verdict: ComparisonVerdict::NotComparable,
        },
    }
}

/// Every figure of period `i` of `grain` of scope `s` that can be compared with the period
/// before, as `almanac metrics --format json` prints them in `vs_previous`.
pub fn vs_previous(
    s: &ScopeReport,
    grain: Grain,
    i: usize,
    defs: &[MetricDef],
) -> BTreeMap<&'static str, Change> {
    match s.series.get(&grain).and_then(|rows| rows.get(i)) {
        Some(cur) => row_changes(cur, s.previous(grain, i), defs),
        None => BTreeMap::new(),
    }
}

/// A figure's values over the complete periods of one grain (a partial current period
/// left out), aligned with the report's periods.
pub fn complete_values(s: &ScopeReport, grain: Grain, key: Metric) -> Vec<Option<f64>> {
    s.complete(grain).iter().map(|f| f.get(key)).collect()
}

/// A figure's weekly values over the last [`TREND_WEEKS`] complete weeks of the scope
/// (fewer at the start of the data): the window its trend is computed over. A partial
/// current week is never in it: its counts cover only the days up to `as_of`.
pub fn trend_window(s: &ScopeReport, key: Metric) -> Vec<Option<f64>> {
    let mut weekly = complete_values(s, Grain::Week, key);
    weekly.drain(..weekly.len().saturating_sub(TREND_WEEKS));
    weekly
}

/// The trend of one figure over the last [`TREND_WEEKS`] weeks of the scope.
pub fn key_trend(s: &ScopeReport, key: Metric, defs: &[MetricDef]) -> Trend {
    trend(&trend_window(s, key), key.info(defs).better)
}

/// Every figure's trend at the scope's latest complete week.
pub fn latest_trend(s: &ScopeReport, defs: &[MetricDef]) -> LatestTrend {
    let weeks = s.complete(Grain::Week);
    LatestTrend {
        week: weeks.last().map(|f| f.period.clone()),
        weeks: weeks.len().min(TREND_WEEKS),
        figures: Metric::ALL
            .into_iter()
            .map(|m| (m.key(), key_trend(s, m, defs)))
            .collect(),
    }
}

/// Before/after medians of one figure's weekly values around day `date` (the week
/// containing it left out, and a partial current week on neither side), with the verdict
/// of after against before.
pub fn figure_before_after(
    s: &ScopeReport,
    report: &Report,
    key: Metric,
    date: NaiveDate,
    defs: &[MetricDef],
) -> BeforeAfterFigure {
    let info = key.info(defs);
    let series: Vec<(i64, Option<f64>)> = complete_weeks(report)
        .iter()
        .zip(values(s, Grain::Week, key))
        .map(|(p, v)| (p.start, v))
        .collect();
    let at = report.calendar.day_start(date);
    let medians = before_after(&series, at, BEFORE_AFTER_WEEKS);
    let verdict = compare(
        medians.after_median,
        medians.before_median,
        info.better,
        info.tolerance,
    )
    .verdict;
    BeforeAfterFigure { medians, verdict }
}

/// One intervention's before/after on the relevant figures of scope `s`.
pub fn intervention(
    s: &ScopeReport,
    report: &Report,
    a: &Annotation,
    defs: &[MetricDef],
) -> Intervention {
    Intervention {
        date: a.date.to_string(),
        title: a.title.clone(),
        link: a.link.clone(),
        weeks: BEFORE_AFTER_WEEKS,
        figures: before_after_figures(s, report, a.date, defs),
        day: a.date,
        shown: shown_weeks(report, a.date),
    }
}

/// Every [`INTERVENTION_KEYS`] figure's before/after around day `date`.
fn before_after_figures(
    s: &ScopeReport,
    report: &Report,
    date: NaiveDate,
    defs: &[MetricDef],
) -> BTreeMap<&'static str, BeforeAfterFigure> {
    INTERVENTION_KEYS
        .iter()
        .map(|&k| (k.key(), figure_before_after(s, report, k, date, defs)))
        .collect()
}

/// The weeks around day `date` that a before/after chart shows (the rule of
/// `trend::before_after`): from the first week before to the last week after.
pub fn shown_weeks(report: &Report, date: NaiveDate) -> Range<usize> {
    let starts: Vec<i64> = complete_weeks(report).iter().map(|p| p.start).collect();
    let (before, after) = sides(&starts, report.calendar.day_start(date), BEFORE_AFTER_WEEKS);
    before.start..after.end
}

/// The report's complete weeks: a partial current week is on neither side of a
/// before/after comparison.
fn complete_weeks(report: &Report) -> &[crate::period::Period] {
    let weeks = report
        .periods
        .get(&Grain::Week)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    match weeks.last() {
        Some(last) if last.clipped => &weeks[..weeks.len() - 1],
        _ => weeks,
    }
}

#[cfg(test)]
#[path = "trends_tests.rs"]
pub(crate) mod tests;
