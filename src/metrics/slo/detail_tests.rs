//! Tests of `detail`: hand-computed page facts of small SLI series.

use super::*;
use crate::config::SloWindow;
use crate::metrics::slo::testutil::*;
use crate::metrics::slo::PAIRS;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// Hourly buckets of 100 requests from 1 to 3 November 2025 (UTC); the bucket at hour 30
/// (2 Nov 06:00) has 10 bad.
fn hourly() -> Vec<crate::model::SliRow> {
    (0..72)
        .map(|h| {
            row(
                ts(2025, 11, 1, 0) + h * 3600,
                if h == 30 { 90 } else { 100 },
                100,
            )
        })
        .collect()
}

#[test]
fn calendar_burn_points_are_per_bucket_and_agree_with_the_daily_burn_down() {
    let cal = utc(2025, 11, 3);
    let def = slo(0.99, SloWindow::Month);
    let s = SliSeries::new(&def, &hourly(), &cal);
    let w = window(def.window, &cal, cal.as_of);
    let daily = burn_down_series(&def, &s, &cal, cal.as_of).points;
    let pts = burn_points(&def, &s, &w, &daily);
    assert_eq!(pts.len(), 72);
    // Expected total 100 x 720 hours = 72,000, budget 720: after hour 30, 1 - 10/720.
    assert!(close(pts[30].1.unwrap(), 1.0 - 10.0 / 720.0));
    assert_eq!(pts[29].1, Some(1.0));
    for (k, (t, v)) in daily.iter().enumerate() {
        let fine = pts[24 * k + 23];
        assert_eq!(fine.0, *t);
        assert!(close(fine.1.unwrap(), v.unwrap()));
    }
}

#[test]
fn calendar_detail() {
    let cal = utc(2025, 11, 3);
    let def = slo(0.99, SloWindow::Month);
    let s = SliSeries::new(&def, &hourly(), &cal);
    let start = ts(2025, 11, 1, 0);
    let q = (ts(2025, 10, 1, 0), ts(2025, 11, 4, 0));
    let d = detail(&def, &s, &cal, Some(q));
    // The chart's days: 91 days back from 3 Nov reach August, the month starts 1 Nov, the
    // first bucket is on 1 Nov: 1..=3 Nov.
    assert_eq!((d.sli_from, d.sli_to), (dd(1), dd(3)));
    // 2 Nov: 2,390 of 2,400 good = 0.99583, the lowest day; above 0.99, no breach.
    assert_eq!(d.daily.len(), 3);
    let (low_day, low) = d.lowest.unwrap();
    assert_eq!(low_day, dd(2));
    assert!(close(low, 2390.0 / 2400.0));
    assert!(d.breaches.is_empty());
    assert_eq!(d.breach_days, 0);
    // Hourly: 72 bucket ends; the lowest is the first point after the bad bucket, its
    // end at hour 31; now = 1 - 10/720 too.
    assert_eq!(d.burn.len(), 72);
    assert!(close(d.burn_now.unwrap(), 1.0 - 10.0 / 720.0));
    let (lx, lv) = d.burn_lowest.unwrap();
    assert_eq!(lx, start + 31 * 3600);
    assert!(close(lv, 1.0 - 10.0 / 720.0));
    assert!(d.overspent.is_empty());
    // 3 of the month's 30 days elapsed: the ideal line is at 1 - 3/30 = 0.9.
    assert!(close(d.ideal_now.unwrap(), 0.9));
    // Sloth's view: 100 per bucket x 720 buckets = 72,000; remaining 1 - 10/720.
    assert!(close(d.expected_total.unwrap(), 72_000.0));
    assert!(close(d.remaining_of_expected.unwrap(), 1.0 - 10.0 / 720.0));
    assert_eq!(d.resolution, Some(3600));
    assert_eq!(d.alerts.len(), PAIRS.len());
    assert!(detail(&def, &s, &cal, None).alerts.is_empty());
}

fn dd(day: u32) -> chrono::NaiveDate {
    d(2025, 11, day)
}

#[test]
fn rolling_detail_with_an_overspent_day() {
    // Objective 0.8 over a rolling 3 days, daily buckets: 1 Nov 100/100, 2 Nov 50/100,
    // 3 Nov 100/100, 4 Nov 95/100; as_of 4 Nov, so the window is 2..=4 Nov.
    let cal = utc(2025, 11, 4);
    let def = slo(0.8, SloWindow::Rolling { days: 3 });
    let rows = [
        row(ts(2025, 11, 1, 0), 100, 100),
        row(ts(2025, 11, 2, 0), 50, 100),
        row(ts(2025, 11, 3, 0), 100, 100),
        row(ts(2025, 11, 4, 0), 95, 100),
    ];
    let s = SliSeries::new(&def, &rows, &cal);
    let d = detail(&def, &s, &cal, None);
    // Daily buckets: the burn-down is the engine's, one point per day end of the window.
    // End of 2 Nov: 31 Oct..2 Nov has 50 bad of 200: burn 0.25 / 0.2 = 1.25 -> -0.25.
    // End of 3 Nov: 1..3 Nov 50 of 300: 0.1667 / 0.2 = 0.8333 -> 0.1667.
    // End of 4 Nov: 2..4 Nov 55 of 300: 0.1833 / 0.2 = 0.9167 -> 0.0833.
    let values: Vec<f64> = d.burn.iter().map(|p| p.1.unwrap()).collect();
    assert_eq!(values.len(), 3);
    assert!(close(values[0], -0.25) && close(values[1], 1.0 / 6.0));
    assert!(close(values[2], 1.0 / 12.0));
    let end2 = ts(2025, 11, 3, 0);
    // The only point below zero is the first: its stretch starts and ends there.
    assert_eq!(d.overspent, vec![(end2, end2)]);
    assert!(close(d.burn_now.unwrap(), 1.0 / 12.0));
    assert_eq!(d.burn_lowest.map(|p| p.0), Some(end2));
    assert_eq!(d.ideal_now, None);
    assert_eq!(d.expected_total, None);
    // The daily SLI from the first bucket (1 Nov): 1, 0.5, 1, 0.95; 2 Nov breaches 0.8.
    assert_eq!((d.sli_from, d.sli_to), (dd(1), dd(4)));
    assert_eq!(d.breach_days, 1);
    assert_eq!(d.lowest, Some((dd(2), 0.5)));
    assert_eq!(d.resolution, Some(86_400));
}

#[test]
fn overspent_stretches() {
    let pts = [
        (0, Some(0.1)),
        (1, Some(-0.05)),
        (2, Some(-0.01)),
        (3, Some(0.02)),
        (4, Some(-0.03)),
    ];
    // from the last point above zero to the last below it; open to the end
    assert_eq!(overspent(&pts, 9), vec![(0, 2), (3, 9)]);
}

#[test]
fn the_sli_chart_shows_the_last_91_days_or_a_longer_window() {
    // Daily buckets through 2025, as_of 31 December (UTC). A 28-day window shows the last
    // 91 days: 31 Dec - 90 days = 2 Oct (30 days back to 1 Dec, 30 more to 1 Nov, 30 more
    // to 2 Oct); 2 Oct - 31 Dec is 30 + 30 + 31 = 91 days. A quarter window (from 1 Oct)
    // is longer and shows whole. Data starting on 1 December starts the chart there.
    let cal = utc(2025, 12, 31);
    let rows = clean(ts(2025, 1, 1, 0), DAY, 365, 100);
    let days = |def: &SloDef, rows: &[crate::model::SliRow]| {
        sli_days(def, &SliSeries::new(def, rows, &cal), &cal)
    };
    let rolling = slo(0.99, SloWindow::Rolling { days: 28 });
    assert_eq!(days(&rolling, &rows), (d(2025, 10, 2), d(2025, 12, 31)));
    let quarter = slo(0.99, SloWindow::Quarter);
    assert_eq!(days(&quarter, &rows), (d(2025, 10, 1), d(2025, 12, 31)));
    assert_eq!(
        days(&rolling, &rows[334..]),
        (d(2025, 12, 1), d(2025, 12, 31))
    );
}

#[test]
fn daily_buckets_burn_down_day_by_day_with_a_point_for_a_day_without_data() {
    // Daily buckets of 100 on 1-10 November 2025 except 5 November, as_of 10 Nov, a month
    // window: the buckets are daily (not finer than a day), so the burn-down has the
    // engine's point for every day end, 2 Nov 00:00 to 11 Nov 00:00: 10 points, the one
    // at the end of 5 November (6 Nov 00:00) included; bucket ends alone would give 9.
    let cal = utc(2025, 11, 10);
    let def = slo(0.99, SloWindow::Month);
    let mut rows = clean(ts(2025, 11, 1, 0), DAY, 10, 100);
    rows.remove(4);
    let s = SliSeries::new(&def, &rows, &cal);
    assert_eq!(s.resolution(), Some(DAY));
    let d = detail(&def, &s, &cal, None);
    let times: Vec<Ts> = d.burn.iter().map(|p| p.0).collect();
    let want: Vec<Ts> = (2..=11).map(|day| ts(2025, 11, day, 0)).collect();
    assert_eq!(times, want);
}

#[test]
fn rolling_burn_points_look_back_one_window_from_each_bucket_end() {
    // hourly(): 100 per hour on 1-3 Nov, 10 bad at hour 30 (2 Nov 06:00). A rolling day at
    // as_of 3 Nov: bucket ends 3 Nov 01:00 (hour 49) to 4 Nov 00:00 (hour 72), 24 points.
    // The day before an end t holds hour 30 while t - 24 h <= 30 h, so ends 49-54 have 10
    // bad of 2,400: 1 - 10/2400/0.01 = 0.58333; ends 55-72 have none: 1. A stray row
    // with 10 bad at 2 Nov 00:59:59 is one second before the first end's day (01:00 on
    // 2 Nov to 01:00 on 3 Nov), so no point holds it.
    let cal = utc(2025, 11, 3);
    let def = slo(0.99, SloWindow::Rolling { days: 1 });
    let mut rows = hourly();
    rows.push(row(ts(2025, 11, 2, 1) - 1, 90, 100));
    let s = SliSeries::new(&def, &rows, &cal);
    let d = detail(&def, &s, &cal, None);
    let start = ts(2025, 11, 1, 0);
    assert_eq!(d.burn.len(), 24);
    for (i, &(t, v)) in d.burn.iter().enumerate() {
        let hour = 49 + i as i64;
        assert_eq!(t, start + hour * 3600);
        let want = if hour <= 54 {
            1.0 - 10.0 / 2400.0 / 0.01
        } else {
            1.0
        };
        assert!(close(v.unwrap(), want), "{hour}: {v:?}");
    }
}

#[test]
fn a_budget_of_exactly_zero_is_spent_not_overspent() {
    // 0.5, exactly 0, 0.5: nothing is below zero, so no stretch.
    let points = [(1, Some(0.5)), (2, Some(0.0)), (3, Some(0.5))];
    assert!(overspent(&points, 4).is_empty());
}
