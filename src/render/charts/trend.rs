//! Trend charts and notes for the chart plan: takes a scope's series and trends from the
//! `Report` (before/after results and windows computed by `metrics::trends`) and returns
//! the before/after chart specs of each intervention on the scope, the before/after
//! medians appended to intervention markers on the four-keys charts, and the 13-week trend
//! verdict shown beside each of those charts, in words.

use crate::chart::{
    ChartAnnotation, ChartKind, ChartSpec, PeriodTick, Role, Series, SideMedian, XAxis,
};
use crate::metrics::catalog::{Metric, Unit};
use crate::metrics::trend::{Trend, TrendVerdict, TREND_WEEKS};
use crate::metrics::trends::{self, BeforeAfterFigure, Intervention, ScopeTrends};
use crate::metrics::{Report, ScopeReport};
use crate::model::{AnnotationKind, MetricDef};
use crate::output::slug;
use crate::period::Grain;
use crate::render::words::{
    describe_change, describe_trend, format_metric, format_p, format_value,
};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

/// The figure a before/after chart draws.
pub const BEFORE_AFTER_KEY: Metric = Metric::LeadTimeMedianHours;

/// The trend verdict shown beside a chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrendNote {
    /// "improving", "worsening", "no clear trend" or "not enough data".
    pub verdict: &'static str,
    /// The verdict as a CSS class suffix: `improving`, `worsening`, `flat`, `na`.
    pub class: &'static str,
    /// "Mann-Kendall p = 0.004, last 13 weeks", or why there is no verdict.
    pub detail: String,
}

/// The weekly figure behind a chart's key: the deployments bars trend as deploys per week.
pub fn weekly_key(key: Metric) -> Metric {
    if key == Metric::Deployments {
        Metric::DeploysPerWeek
    } else {
        key
    }
}

/// The 13-week trend verdict of the figure a chart of `key` draws, from the scope's trends.
pub fn trend_note(key: Metric, t: &ScopeTrends) -> TrendNote {
    note(&t.trend.figures[weekly_key(key).key()])
}

fn note(t: &Trend) -> TrendNote {
    let class = match t.verdict {
        TrendVerdict::Improving => "improving",
        TrendVerdict::Worsening => "worsening",
        TrendVerdict::NoClearTrend => "flat",
        TrendVerdict::NotEnoughData => "na",
    };
    let detail = match t.p_value {
        Some(p) => format!("Mann-Kendall {}, last {TREND_WEEKS} weeks", format_p(p)),
        None => format!(
            "{} with data of the last {TREND_WEEKS}",
            crate::render::words::count(t.n as i64, "week")
        ),
    };
    TrendNote {
        verdict: t.verdict.as_str(),
        class,
        detail,
    }
}

/// "Median lead time fell from 31 h to 22 h over the last 13 weeks; no clear trend
/// (Mann-Kendall p = 0.21).": the report's 13-week trend of the weekly figure `weekly`,
/// named `name` and printed in `unit`.
pub fn trend_sentence(
    name: &str,
    unit: Unit,
    weekly: Metric,
    s: &ScopeReport,
    t: &ScopeTrends,
) -> String {
    let last = trends::trend_window(s, weekly);
    let span = format!("the last {TREND_WEEKS} weeks");
    describe_trend(
        name,
        unit.label(),
        &last,
        &t.trend.figures[weekly.key()],
        &span,
    )
}

/// The scope's trends in the report.
/// The id of the before/after chart of a scope's `index`-th intervention.
pub fn before_after_id(scope_key: &str, index: usize) -> String {
    format!("{}-intervention-{}", slug(scope_key), index + 1)
}

/// "Lead time for changes (median): 31 h -> 19 h (weekly medians of 6 weeks before and
/// 5 after; improved)", the medians (from the report) of the figure behind a chart of
/// `key` around an intervention on day `date` shown on the scope's charts.
pub fn result_line(
    key: Metric,
    s: &ScopeReport,
    report: &Report,
    date: NaiveDate,
    defs: &[MetricDef],
) -> String {
    let key = weekly_key(key);
    let ba = report
        .trends_of(s)
        .marker(date, key)
        .expect("the report holds every intervention shown");
    result_text(key, ba, defs)
}

/// The words of one figure's before/after result.
pub fn result_text(key: Metric, ba: &BeforeAfterFigure, defs: &[MetricDef]) -> String {
    let info = key.info(defs);
    let m = ba.medians;
    format!(
        "{}: {} → {} (weekly medians of {} {} before and {} after; {})",
        info.name,
        format_metric(key, m.before_median),
        format_metric(key, m.after_median),
        m.before_n,
        if m.before_n == 1 { "week" } else { "weeks" },
        m.after_n,
        ba.verdict.as_str()
    )
}

/// Appends the before/after medians of the chart's own figure to the title of every
/// intervention marker on a chart of `key` (shown on hover and in the list under it).
pub fn with_results(
    annotations: &mut [ChartAnnotation],
    key: Metric,
    s: &ScopeReport,
    report: &Report,
    defs: &[MetricDef],
) {
    for ann in annotations
        .iter_mut()
        .filter(|a| a.kind == AnnotationKind::Intervention)
    {
        let line = result_line(key, s, report, ann.start, defs);
        ann.title = format!("{} — {line}", ann.title);
    }
}

/// The before/after chart of the scope's `index`-th intervention: weekly median lead time
/// over the report's window, split at the day of the change, with the median line of
/// each side.
pub fn before_after_spec(
    index: usize,
    iv: &Intervention,
    s: &ScopeReport,
    report: &Report,
    defs: &[MetricDef],
) -> ChartSpec {
    let info = BEFORE_AFTER_KEY.info(defs);
    let range = iv.shown.clone();
    let weeks = &report.periods[&Grain::Week][range.clone()];
    let values = trends::values(s, Grain::Week, BEFORE_AFTER_KEY);
    let values = values.get(range).unwrap_or(&[]);
    let ba = iv.figures[BEFORE_AFTER_KEY.key()].medians;
    let change = describe_change(info.name, "h", &ba, &iv.title);
    // A change on a Monday starts its week, which is then wholly after (`sides`).
    let left_out = if iv.day.weekday() == Weekday::Mon {
        "the change starts its week, which counts as after"
    } else {
        "the week of the change is left out of both"
    };
    let desc = format!(
        "{}: weekly medians of {} weeks with data before and {} after; {left_out}.",
        capitalise(&change),
        ba.before_n,
        ba.after_n
    );
    debug_assert_eq!(info.unit, Unit::Hours);
    ChartSpec {
        id: before_after_id(&s.scope.key, index),
        kind: ChartKind::BeforeAfter {
            at: iv.day,
            before: side_median("before", ba.before_median, ba.before_n),
            after: side_median("after", ba.after_median, ba.after_n),
        },
        title: format!(
            "Lead time before and after ‘{}’ ({}) — {}",
            iv.title, iv.day, s.scope.name
        ),
        desc,
        x: XAxis::Periods(weeks.iter().map(PeriodTick::from).collect()),
        series: vec![Series::aligned(info.name, Role::Primary, values)],
        unit: "h".to_string(),
        annotations: Vec::new(),
        bands: Vec::new(),
        thresholds: Vec::new(),
        shaded: Vec::new(),
    }
}

/// One side's median (from the report) as the chart draws it: "before: median 27 h (n=4)".
fn side_median(side: &str, median: Option<f64>, n: usize) -> SideMedian {
    SideMedian {
        median,
        n,
        label: median.map_or_else(String::new, |m| {
            format!("{side}: median {} (n={n})", format_value(m, "h"))
        }),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// Every before/after chart spec of the interventions annotated on the scope, in the
/// report's (file) order.
pub fn before_after_specs(s: &ScopeReport, report: &Report, defs: &[MetricDef]) -> Vec<ChartSpec> {
    report
        .trends_of(s)
        .interventions
        .iter()
        .enumerate()
        .map(|(i, iv)| before_after_spec(i, iv, s, report, defs))
        .collect()
}

#[cfg(test)]
#[path = "trend_tests.rs"]
mod tests;
