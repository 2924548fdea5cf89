//! Burn-down: takes an SLO, its series and a date, and returns the remaining error budget
//! at the end of each day (calendar windows: against the expected whole-period traffic, as
//! Sloth does; rolling windows: of the trailing window ending that day) plus the ideal line.

use super::series::{window, SliSeries, Window};
use crate::config::SloDef;
use crate::model::{SliRow, Ts};
use crate::period::Calendar;
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// The burn-down chart's data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BurnDown {
    /// (end of day, remaining budget fraction); `None` where no data exists yet (calendar)
    /// or the trailing window has no traffic (rolling).
    pub points: Vec<(Ts, Option<f64>)>,
    /// Calendar windows: the straight line from 1 at the period start to 0 at its end, at
    /// the end of every day of the whole period. Empty for rolling windows, whose budget
    /// has no deadline.
    pub ideal: Vec<(Ts, f64)>,
    /// Calendar windows: mean units per bucket so far x buckets in the whole period.
    pub expected_total: Option<f64>,
}

/// The burn-down of `def` evaluated at `date`.
pub fn burn_down(def: &SloDef, rows: &[SliRow], cal: &Calendar, date: NaiveDate) -> BurnDown {
    burn_down_series(def, &SliSeries::new(def, rows, cal), cal, date)
}

/// As `burn_down`, on a prebuilt series.
pub fn burn_down_series(def: &SloDef, s: &SliSeries, cal: &Calendar, date: NaiveDate) -> BurnDown {
    let w = window(def.window, cal, date);
    let last = date.min(cal.as_of).min(w.last_day);
    if !w.calendar {
        return rolling(def, s, cal, &w, last);
    }
    let mut points = Vec::new();
    let mut day = w.first_day;
    while day <= last {
        let end = cal.day_start(day + Duration::days(1));
        points.push((end, remaining_of_expected(def, s, &w, end)));
        day += Duration::days(1);
    }
    let ideal = (1..=w.days)
        .map(|i| {
            let end = cal.day_start(w.first_day + Duration::days(i as i64));
            (end, 1.0 - i as f64 / w.days as f64)
        })
        .collect();
    BurnDown {
        points,
        ideal,
        expected_total: expected_total(s, &w),
    }
}

fn rolling(def: &SloDef, s: &SliSeries, cal: &Calendar, w: &Window, last: NaiveDate) -> BurnDown {
    let mut points = Vec::new();
    let mut day = w.first_day;
    while day <= last {
        let end = cal.day_start(day + Duration::days(1));
        let start = cal.day_start(day - Duration::days(w.days as i64 - 1));
        let burn = s.sum(start, end).burn(def.objective);
        points.push((end, burn.map(|b| 1.0 - b)));
        day += Duration::days(1);
    }
    BurnDown {
        points,
        ideal: Vec::new(),
        expected_total: None,
    }
}

/// Sloth's expected whole-period traffic of a calendar window evaluated at `w.end`: the
/// mean units per bucket so far x the buckets in the whole period (its length / the
/// bucket size, rounded). `None` without data or without a known bucket size.
pub fn expected_total(s: &SliSeries, w: &Window) -> Option<f64> {
    let so_far = s.sum(w.start, w.end);
    let res = s.resolution()?;
    if so_far.buckets == 0 || so_far.total == 0 {
        return None;
    }
    let buckets_in_period = (w.length_seconds() as f64 / res as f64).round().max(1.0);
    Some(so_far.total as f64 / so_far.buckets as f64 * buckets_in_period)
}

/// 1 - (bad units from the period start to `until`) / ((1 - objective) x expected total).
/// `None` before the first bucket of the period or without an expected total.
pub fn remaining_of_expected(def: &SloDef, s: &SliSeries, w: &Window, until: Ts) -> Option<f64> {
    let expected = expected_total(s, w)?;
    let upto = s.sum(w.start, until);
    if upto.buckets == 0 {
        return None;
    }
    Some(1.0 - upto.bad() as f64 / ((1.0 - def.objective) * expected))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SloWindow;
    use crate::metrics::slo::testutil::*;

    /// Sloth's calendar burn-down example: objective 99.9%, November 2025, daily buckets of
    /// equal traffic on days 1-7 at 99.0, 99.1, ... 99.6% good, no data for the rest.
    /// Published remaining budget after each day: 66.67, 36.67, 10, -13.33, -33.33, -50,
    /// -63.33%. Arithmetic: expected total = 1000/day x 30 days = 30000, budget 0.1% = 30
    /// bad; cumulative bad 10, 19, 27, 34, 40, 45, 49 -> 1 - 10/30 = 66.67%, ...
    #[test]
    fn sloth_calendar_burn_down() {
        let def = slo(0.999, SloWindow::Month);
        let rows: Vec<_> = (0..7)
            .map(|i| row(ts(2025, 11, 1 + i, 0), 990 + i as u64, 1000))
            .collect();
        for as_of in [d(2025, 11, 7), d(2025, 11, 30)] {
            let cal = Calendar::new(chrono_tz::Tz::UTC, as_of);
            let bd = burn_down(&def, &rows, &cal, as_of);
            assert!((bd.expected_total.unwrap() - 30_000.0).abs() < 1e-9);
            let pct: Vec<f64> = bd.points[..7]
                .iter()
                .map(|p| (p.1.unwrap() * 10_000.0).round() / 100.0)
                .collect();
            assert_eq!(pct, vec![66.67, 36.67, 10.0, -13.33, -33.33, -50.0, -63.33]);
            assert_eq!(bd.points[0].0, ts(2025, 11, 2, 0));
            assert_eq!(bd.ideal.len(), 30);
            assert!((bd.ideal[14].1 - 0.5).abs() < 1e-12); // after day 15 of 30
            assert_eq!(bd.ideal[29], (ts(2025, 12, 1, 0), 0.0));
        }
    }

    #[test]
    fn calendar_points_before_the_first_bucket_are_none() {
        let def = slo(0.99, SloWindow::Month);
        let cal = utc(2025, 11, 4);
        // daily buckets on Nov 3 and 4 only: 1 bad of 100 each
        let rows = [
            row(ts(2025, 11, 3, 0), 99, 100),
            row(ts(2025, 11, 4, 0), 99, 100),
        ];
        let bd = burn_down(&def, &rows, &cal, d(2025, 11, 4));
        // expected = 100/bucket x 30 = 3000, budget 30; after Nov 3: 1 - 1/30; Nov 4: 1 - 2/30
        assert_eq!(bd.points.len(), 4);
        assert_eq!(bd.points[0].1, None);
        assert_eq!(bd.points[1].1, None);
        assert!((bd.points[2].1.unwrap() - (1.0 - 1.0 / 30.0)).abs() < 1e-9);
        assert!((bd.points[3].1.unwrap() - (1.0 - 2.0 / 30.0)).abs() < 1e-9);
    }

    /// Buckets that carry no traffic give no expected total: 0 units so far x 30 days is 0,
    /// and a budget of (1 - 0.99) x 0 units would make every remaining budget 0/0. So the
    /// burn-down has no points (None), not a NaN or a spent budget. One bucket with traffic
    /// gives 50/bucket x 30 = 1500.
    #[test]
    fn buckets_without_traffic_give_no_expected_total() {
        let def = slo(0.99, SloWindow::Month);
        let cal = utc(2025, 11, 2);
        let idle = [row(ts(2025, 11, 1, 0), 0, 0), row(ts(2025, 11, 2, 0), 0, 0)];
        let bd = burn_down(&def, &idle, &cal, d(2025, 11, 2));
        assert_eq!(bd.expected_total, None);
        assert_eq!(bd.points.len(), 2);
        assert!(bd.points.iter().all(|p| p.1.is_none()), "{:?}", bd.points);
        let busy = [
            row(ts(2025, 11, 1, 0), 0, 0),
            row(ts(2025, 11, 2, 0), 100, 100),
        ];
        let bd = burn_down(&def, &busy, &cal, d(2025, 11, 2));
        assert_eq!(bd.expected_total, Some(1500.0));
    }

    #[test]
    fn rolling_burn_down_is_the_trailing_window_each_day() {
        let def = slo(0.9, SloWindow::Rolling { days: 2 });
        let cal = utc(2025, 11, 3);
        // Nov 1: 10 bad of 100; Nov 2: none of 100; Nov 3: no bucket
        let rows = [
            row(ts(2025, 11, 1, 0), 90, 100),
            row(ts(2025, 11, 2, 0), 100, 100),
        ];
        let bd = burn_down(&def, &rows, &cal, d(2025, 11, 3));
        // points for Nov 2 and Nov 3 (the last 2 days):
        // Nov 2 window = Nov 1-2: 10/200 / 0.1 = 0.5 burnt -> 0.5; Nov 3 window = Nov 2-3: 0 -> 1
        assert_eq!(bd.points.len(), 2);
        assert!((bd.points[0].1.unwrap() - 0.5).abs() < 1e-9);
        assert_eq!(bd.points[1], (ts(2025, 11, 4, 0), Some(1.0)));
        assert!(bd.ideal.is_empty());
        assert_eq!(bd.expected_total, None);
    }
}
