//! SLO page facts: takes one SLO's definition, its prepared SLI series, the calendar and the
//! current quarter's bounds and returns `SloDetail`, every figure its page and charts show
//! beyond the headline: the window at `as_of`, the SLI chart's days with the daily SLI and
//! the breaching stretches, the burn-down at bucket resolution (and drawn, downsampled),
//! the engine's daily burn-down view, and the quarter's multiwindow alerts.

use super::{
    alerts_series, breaching, burn_down_series, remaining_of_expected, sli_daily_series, window,
    AlertPair, Breach, SliSeries, Window,
};
use crate::config::SloDef;
use crate::model::{Ts, DAY};
use crate::period::Calendar;
use chrono::{Duration, NaiveDate};

/// Days of daily SLI the SLI chart shows at least (13 weeks); a longer window shows whole.
pub const SLI_DAYS: i64 = 91;

/// One SLO's page facts at `as_of`. Budget values are fractions (1 = the whole budget left).
#[derive(Debug, Clone, PartialEq)]
pub struct SloDetail {
    /// The window containing `as_of`.
    pub window: Window,
    /// The detected bucket size; `None` with fewer than two buckets.
    pub resolution: Option<i64>,
    /// The SLI chart's days (`sli_days`) and the SLI of each.
    pub sli_from: NaiveDate,
    pub sli_to: NaiveDate,
    pub daily: Vec<(NaiveDate, Option<f64>)>,
    /// The lowest daily SLI and its day (the first of equal lows).
    pub lowest: Option<(NaiveDate, f64)>,
    /// Stretches of days below the objective over the chart's days, and their day count.
    pub breaches: Vec<Breach>,
    pub breach_days: u32,
    /// Remaining budget at each bucket end in the window (`burn_points`).
    pub burn: Vec<(Ts, Option<f64>)>,
    /// Stretches where the remaining budget is below zero (`overspent`).
    pub overspent: Vec<(Ts, Ts)>,
    /// The last known remaining budget in `burn`, and the lowest with its time.
    pub burn_now: Option<f64>,
    pub burn_lowest: Option<(Ts, f64)>,
    /// Calendar windows: where the ideal line is at the window's end (1 - elapsed share).
    pub ideal_now: Option<f64>,
    /// The engine's daily burn-down (calendar windows: against the expected whole-period
    /// traffic): its expected total and its last known remaining budget.
    pub expected_total: Option<f64>,
    pub remaining_of_expected: Option<f64>,
    /// The multiwindow alert pairs over the current quarter (empty without one).
    pub alerts: Vec<AlertPair>,
}

/// The page facts of `def` at `as_of`; `quarter` is the current quarter's `[start, end)`.
pub fn detail(def: &SloDef, s: &SliSeries, cal: &Calendar, quarter: Option<(Ts, Ts)>) -> SloDetail {
    let w = window(def.window, cal, cal.as_of);
    let (sli_from, sli_to) = sli_days(def, s, cal);
    let daily = sli_daily_series(s, cal, sli_from, sli_to);
    let breaches = breaching(&daily, def.objective);
    let lowest = daily
        .iter()
        .filter_map(|&(d, v)| v.map(|v| (d, v)))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    let bd = burn_down_series(def, s, cal, cal.as_of);
    let burn = burn_points(def, s, &w, &bd.points);
    let known: Vec<(Ts, f64)> = burn
        .iter()
        .filter_map(|&(t, v)| v.map(|v| (t, v)))
        .collect();
    SloDetail {
        window: w,
        resolution: s.resolution(),
        sli_from,
        sli_to,
        lowest,
        breach_days: breaches.iter().map(|b| b.days).sum(),
        breaches,
        daily,
        overspent: overspent(&burn, w.end),
        burn_now: known.last().map(|p| p.1),
        burn_lowest: known.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1)),
        burn,
        ideal_now: w
            .calendar
            .then(|| 1.0 - (w.end - w.start) as f64 / (w.period_end - w.start).max(1) as f64),
        expected_total: bd.expected_total,
        remaining_of_expected: bd.points.iter().rev().find_map(|p| p.1),
        alerts: quarter.map_or(Vec::new(), |(a, b)| alerts_series(def, s, cal, a, b)),
    }
}

/// The days the SLI chart covers: the last `SLI_DAYS` days to `as_of`, or from the start
/// of a longer window, but not before the SLO's first bucket.
pub fn sli_days(def: &SloDef, s: &SliSeries, cal: &Calendar) -> (NaiveDate, NaiveDate) {
    let to = cal.as_of;
    let w = window(def.window, cal, to);
    let mut from = (to - Duration::days(SLI_DAYS - 1)).min(w.first_day);
    if let Some(&first) = s.times().first() {
        from = from.max(cal.date_of(first));
    }
    (from.min(to), to)
}

/// Remaining budget at each bucket end in the window `w`, or at each day end when the
/// buckets are daily or coarser (then exactly `daily`, the engine's `burn_down_series`
/// points). Calendar windows judge against the expected whole-period traffic, rolling ones
/// the trailing window ending at each bucket end.
pub fn burn_points(
    def: &SloDef,
    s: &SliSeries,
    w: &Window,
    daily: &[(Ts, Option<f64>)],
) -> Vec<(Ts, Option<f64>)> {
    let Some(res) = s.resolution().filter(|&r| r < DAY) else {
        return daily.to_vec();
    };
    let times = s.times();
    let (lo, hi) = (s.index(w.start), s.index(w.end));
    let mut ends: Vec<Ts> = times[lo..hi]
        .iter()
        .map(|&t| (t + res).min(w.end))
        .collect();
    ends.dedup();
    let span = w.days as i64 * DAY;
    ends.into_iter()
        .map(|t| {
            let v = if w.calendar {
                remaining_of_expected(def, s, w, t)
            } else {
                s.sum(t - span, t).burn(def.objective).map(|b| 1.0 - b)
            };
            (t, v)
        })
        .collect()
}

/// The stretches where the remaining budget is below zero: from the last point before a
/// fall below zero to the last point below it, the open one up to `end`.
pub fn overspent(points: &[(Ts, Option<f64>)], end: Ts) -> Vec<(Ts, Ts)> {
    let mut out: Vec<(Ts, Ts)> = Vec::new();
    let mut open: Option<Ts> = None;
    let mut prev: Option<Ts> = None;
    for &(x, y) in points {
        match (y.is_some_and(|v| v < 0.0), open) {
            (true, None) => open = Some(prev.unwrap_or(x)),
            (false, Some(a)) => {
                out.push((a, prev.unwrap_or(x)));
                open = None;
            }
            _ => {}
        }
        prev = Some(x);
    }
    if let Some(a) = open {
        out.push((a, end));
    }
    out
}

#[cfg(test)]
#[path = "detail_tests.rs"]
mod tests;
