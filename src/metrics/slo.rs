//! SLO engine: takes an `SloDef`, its `SliRow`s (sorted by time) and the `Calendar`, and
//! returns pure figures: attainment, error budget, burn rates, time to exhaustion, status,
//! the burn-down, multiwindow alert pairs, the daily SLI and each SLO's page facts
//! (`SloDetail`). `METHOD` documents it all.

mod alerts;
mod burn;
mod daily;
mod detail;
mod method;
mod series;
#[cfg(test)]
mod testutil;

pub use alerts::{alert_factor, alerts, alerts_series, duration_label, AlertPair, PAIRS};
pub use burn::{burn_down, burn_down_series, expected_total, remaining_of_expected, BurnDown};
pub use daily::{breaching, sli_by_day, sli_daily, sli_daily_series, Breach};
pub use detail::{burn_points, detail, overspent, sli_days, SloDetail, SLI_DAYS};
pub use method::METHOD;
pub use series::{resolution, window, SliSeries, Sums, Window};

use crate::config::{Budgeting, SloDef};
use crate::model::{SliRow, Ts, DAY, HOUR};
use crate::period::Calendar;
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::cmp::Ordering;
use std::sync::Arc;

/// Tolerance for budget and burn-rate comparisons, so that floating-point noise in
/// `1 - objective` does not flip a status (e.g. 95 of 100 good at 0.95 is exactly spent).
pub const EPS: f64 = 1e-9;

/// The status of an SLO at a date; see `METHOD` for the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum SloStatus {
    #[serde(rename = "exhausted")]
    Exhausted,
    #[serde(rename = "at risk")]
    AtRisk,
    #[serde(rename = "healthy")]
    Healthy,
    #[serde(rename = "no data")]
    NoData,
}

impl SloStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            SloStatus::Exhausted => "exhausted",
            SloStatus::AtRisk => "at risk",
            SloStatus::Healthy => "healthy",
            SloStatus::NoData => "no data",
        }
    }
}

/// Whether and when an SLO's budget runs out at the 7-day burn rate; see `METHOD`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Exhaustion {
    /// No budget figure, no 7-day burn rate or (calendar windows) no burn-down basis.
    Unknown,
    /// Already spent.
    Spent,
    /// Runs out in this many hours.
    In(f64),
    /// Does not run out at this rate: a rolling window burning at most 1, or a calendar
    /// window whose budget outlasts the period at this rate.
    NotAtThisRate,
}

impl Exhaustion {
    /// `time_to_exhaustion_hours`: 0 when spent, the hours when it runs out, else `None`.
    pub fn hours(self) -> Option<f64> {
        match self {
            Exhaustion::Spent => Some(0.0),
            Exhaustion::In(h) => Some(h),
            Exhaustion::Unknown | Exhaustion::NotAtThisRate => None,
        }
    }
}

/// Every figure of one SLO evaluated at one date. `None` (JSON `null`) means no data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SloFigures {
    pub id: String,
    pub service: String,
    pub objective: f64,
    /// `28d`, `month` or `quarter`.
    pub window: String,
    /// `occurrences` or `timeslices`.
    pub budgeting: &'static str,
    pub attainment: Option<f64>,
    pub error_budget_remaining: Option<f64>,
    pub burn_rate_1h: Option<f64>,
    pub burn_rate_6h: Option<f64>,
    pub burn_rate_1d: Option<f64>,
    pub burn_rate_7d: Option<f64>,
    pub burn_rate_window: Option<f64>,
    /// Hours until the budget is gone at the 7-day burn rate; `None` (JSON `null`) when it
    /// does not run out at this rate or cannot be told (`exhaustion` says which).
    pub time_to_exhaustion_hours: Option<f64>,
    /// Whether and when the budget runs out at the 7-day burn rate (not exported: JSON has
    /// `time_to_exhaustion_hours`).
    #[serde(skip)]
    pub exhaustion: Exhaustion,
    pub status: SloStatus,
    /// Requests in the window.
    pub good: u64,
    pub total: u64,
    /// Slices in the window (timeslices budgeting only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub good_slices: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slices: Option<u64>,
    /// Buckets with data in the window.
    pub buckets: u64,
    /// The detected bucket size; `None` with fewer than two buckets.
    pub bucket_seconds: Option<i64>,
    /// The window evaluated: `[window_start, window_end)`, UTC seconds (not exported).
    #[serde(skip)]
    pub window_start: Ts,
    #[serde(skip)]
    pub window_end: Ts,
}

/// Evaluates one SLO at the end of `date` (clipped to `as_of`).
pub fn evaluate(def: &SloDef, rows: &[SliRow], cal: &Calendar, date: NaiveDate) -> SloFigures {
    evaluate_series(def, &SliSeries::new(def, rows, cal), cal, date)
}

/// As `evaluate`, on a prebuilt series (to evaluate many dates cheaply).
pub fn evaluate_series(def: &SloDef, s: &SliSeries, cal: &Calendar, date: NaiveDate) -> SloFigures {
    let w = window(def.window, cal, date);
    let obj = def.objective;
    let all = s.sum(w.start, w.end);
    let res = s.resolution();
    let trailing = |span: i64| -> Option<f64> {
        let fine = res.is_some_and(|r| r <= span);
        fine.then(|| s.sum(w.end - span, w.end).burn(obj)).flatten()
    };
    let days_back = |n: i64| s.sum(cal.day_start(date - Duration::days(n - 1)), w.end);
    let burn_rate_7d = days_back(7).burn(obj);
    let remaining = all.burn(obj).map(|b| 1.0 - b);
    let tte = time_to_exhaustion(def, s, &w, remaining, burn_rate_7d);
    let timeslices = matches!(def.budgeting, Budgeting::Timeslices { .. });
    SloFigures {
        id: def.id.clone(),
        service: def.service.clone(),
        objective: obj,
        window: def.window.label(),
        budgeting: if timeslices {
            "timeslices"
        } else {
            "occurrences"
        },
        attainment: all.ratio(),
        error_budget_remaining: remaining,
        burn_rate_1h: trailing(HOUR),
        burn_rate_6h: trailing(6 * HOUR),
        burn_rate_1d: days_back(1).burn(obj),
        burn_rate_7d,
        burn_rate_window: all.burn(obj),
        time_to_exhaustion_hours: tte.hours(),
        exhaustion: tte,
        status: status(remaining, burn_rate_7d, tte),
        good: all.events_good,
        total: all.events_total,
        good_slices: timeslices.then_some(all.good),
        slices: timeslices.then_some(all.total),
        buckets: all.buckets,
        bucket_seconds: res,
        window_start: w.start,
        window_end: w.end,
    }
}

/// Whether and when the budget runs out at the 7-day burn rate `b`, in hours: budget left
/// x window hours / `b`. Spent when `error_budget_remaining` is (the status is then
/// exhausted, whatever the window). Rolling windows use `error_budget_remaining` and run out
/// only when `b > 1` (old failures drop out as new days come in: at a steady `b` the
/// remaining budget tends to 1 - `b`). Calendar windows use the burn-down view (budget of
/// the expected whole-period traffic) and run out only if that time falls before the
/// period ends.
fn time_to_exhaustion(
    def: &SloDef,
    s: &SliSeries,
    w: &Window,
    remaining: Option<f64>,
    burn_7d: Option<f64>,
) -> Exhaustion {
    // An early overspend of a calendar budget leaves the burn-down (judged against the
    // whole period's expected traffic) above 0 while the traffic so far has spent it.
    if remaining.is_some_and(|r| r <= EPS) {
        return Exhaustion::Spent;
    }
    let basis = if w.calendar {
        burn::remaining_of_expected(def, s, w, w.end)
    } else {
        remaining
    };
    let (Some(basis), Some(rate)) = (basis, burn_7d) else {
        return Exhaustion::Unknown;
    };
    if basis <= EPS {
        return Exhaustion::Spent;
    }
    if rate <= 0.0 {
        return Exhaustion::NotAtThisRate;
    }
    let hours = basis * (w.days as i64 * DAY) as f64 / HOUR as f64 / rate;
    let runs_out = if w.calendar {
        hours < w.seconds_left() as f64 / HOUR as f64
    } else {
        rate > 1.0 + EPS
    };
    if runs_out {
        Exhaustion::In(hours)
    } else {
        Exhaustion::NotAtThisRate
    }
}

/// The status rules of `METHOD`. A budget that runs out at this rate (before a calendar
/// period ends; for a rolling window only when `burn_7d > 1`) is at risk, so a shown time
/// to exhaustion and a healthy status never meet.
fn status(remaining: Option<f64>, burn_7d: Option<f64>, tte: Exhaustion) -> SloStatus {
    let Some(remaining) = remaining else {
        return SloStatus::NoData;
    };
    if remaining <= EPS {
        return SloStatus::Exhausted;
    }
    if burn_7d.is_some_and(|b| b > 1.0 + EPS) {
        return SloStatus::AtRisk;
    }
    if matches!(tte, Exhaustion::In(_) | Exhaustion::Spent) {
        return SloStatus::AtRisk;
    }
    SloStatus::Healthy
}

/// Orders SLOs by risk: exhausted, at risk, healthy, no data; within a status the lowest
/// budget remaining first; ties by id.
pub fn sort_by_risk(figures: &mut [Arc<SloFigures>]) {
    figures.sort_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then_with(|| cmp_budget(a.error_budget_remaining, b.error_budget_remaining))
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// How many of `figures` have each status, worst first, leaving out statuses none has.
pub fn status_counts(figures: &[Arc<SloFigures>]) -> Vec<(SloStatus, usize)> {
    [
        SloStatus::Exhausted,
        SloStatus::AtRisk,
        SloStatus::Healthy,
        SloStatus::NoData,
    ]
    .into_iter()
    .map(|st| (st, figures.iter().filter(|f| f.status == st).count()))
    .filter(|&(_, n)| n > 0)
    .collect()
}

/// Hours a whole window's budget lasts at burn rate `b` (window hours / b); `None` when
/// nothing is being spent (`b <= 0`).
pub fn budget_lasts_hours(b: f64, window_days: f64) -> Option<f64> {
    (b > 0.0).then(|| window_days * 24.0 / b)
}

fn cmp_budget(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests;
