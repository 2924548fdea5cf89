//! SLI series: takes one SLO's `SliRow`s (sorted by time) and returns prefix sums over its
//! buckets, so any time span's good/total counts cost one binary search; also the bucket
//! size and the window bounds of an SLO at a date.

use crate::config::{Budgeting, SloDef, SloWindow};
use crate::model::{SliRow, Ts};
use crate::period::{containing, next_start, Calendar, Grain};
use chrono::{Duration, NaiveDate};
use std::collections::BTreeMap;

/// Counts over a span of buckets. `good`/`total` are in budgeting units (events for
/// occurrences, slices for timeslices); `events_*` are always request counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sums {
    pub good: u64,
    pub total: u64,
    pub events_good: u64,
    pub events_total: u64,
    /// Distinct bucket timestamps in the span.
    pub buckets: u64,
}

impl Sums {
    /// good / total, `None` without traffic.
    pub fn ratio(&self) -> Option<f64> {
        (self.total > 0).then(|| self.good as f64 / self.total as f64)
    }

    /// Bad units (total - good).
    pub fn bad(&self) -> u64 {
        self.total.saturating_sub(self.good)
    }

    /// (bad / total) / (1 - objective), `None` without traffic.
    pub fn burn(&self, objective: f64) -> Option<f64> {
        (self.total > 0).then(|| self.bad() as f64 / self.total as f64 / (1.0 - objective))
    }
}

/// Prefix sums over one SLO's buckets, cut at `as_of`.
#[derive(Debug, Clone)]
pub struct SliSeries {
    at: Vec<Ts>,
    /// Prefix sums (length n + 1): budgeting good, budgeting total, events good, events
    /// total, distinct buckets.
    cum: Vec<[u64; 5]>,
    resolution: Option<i64>,
}

impl SliSeries {
    /// Builds the series from the rows of one SLO. Rows at or after `cal.as_of_end` do not
    /// exist. Unsorted input is sorted; `good` above `total` counts as `total`.
    pub fn new(def: &SloDef, rows: &[SliRow], cal: &Calendar) -> SliSeries {
        let mut kept: Vec<&SliRow> = rows.iter().filter(|r| r.at < cal.as_of_end).collect();
        if !kept.is_sorted_by_key(|r| r.at) {
            kept.sort_by_key(|r| r.at);
        }
        let mut at = Vec::with_capacity(kept.len());
        let mut cum = Vec::with_capacity(kept.len() + 1);
        let mut acc = [0u64; 5];
        cum.push(acc);
        for r in &kept {
            let good = r.good.min(r.total);
            let (ug, ut) = units(def.budgeting, good, r.total);
            let new_bucket = at.last() != Some(&r.at);
            // Load rejects an SLO whose sums pass u64::MAX (`load::signals::sli`), so
            // these never saturate; saturating, a wrap can never shrink a total.
            let add = |a: u64, b: u64| a.saturating_add(b);
            acc = [
                add(acc[0], ug),
                add(acc[1], ut),
                add(acc[2], good),
                add(acc[3], r.total),
                add(acc[4], new_bucket as u64),
            ];
            at.push(r.at);
            cum.push(acc);
        }
        let resolution = resolution(&at);
        SliSeries {
            at,
            cum,
            resolution,
        }
    }

    /// The bucket size in seconds: the most common gap between consecutive distinct
    /// bucket timestamps (the smallest on a tie); `None` with fewer than two buckets.
    pub fn resolution(&self) -> Option<i64> {
        self.resolution
    }

    /// Bucket timestamps, sorted.
    pub fn times(&self) -> &[Ts] {
        &self.at
    }

    /// Index of the first bucket at or after `t`.
    pub fn index(&self, t: Ts) -> usize {
        self.at.partition_point(|&a| a < t)
    }

    /// Counts of the buckets with `from <= at < to`.
    pub fn sum(&self, from: Ts, to: Ts) -> Sums {
        if to <= from {
            return Sums::default();
        }
        self.sum_idx(self.index(from), self.index(to))
    }

    /// Counts of the buckets with indexes `lo..hi`.
    pub fn sum_idx(&self, lo: usize, hi: usize) -> Sums {
        if hi <= lo {
            return Sums::default();
        }
        let (a, b) = (self.cum[lo], self.cum[hi]);
        // A bucket timestamp repeated across `lo` was counted once, before `lo`.
        let split = lo > 0 && self.at[lo - 1] == self.at[lo];
        Sums {
            good: b[0] - a[0],
            total: b[1] - a[1],
            events_good: b[2] - a[2],
            events_total: b[3] - a[3],
            buckets: b[4] - a[4] + split as u64,
        }
    }
}

/// A bucket's good and total in budgeting units. A timeslice is good when its good/total
/// ratio is at least the target; a bucket without traffic is not a slice.
fn units(budgeting: Budgeting, good: u64, total: u64) -> (u64, u64) {
    match budgeting {
        Budgeting::Occurrences => (good, total),
        Budgeting::Timeslices { .. } if total == 0 => (0, 0),
        Budgeting::Timeslices { target } => {
            let ok = good as f64 / total as f64 + 1e-12 >= target;
            (ok as u64, 1)
        }
    }
}

/// The most common positive gap between consecutive timestamps; ties go to the smaller.
pub fn resolution(sorted: &[Ts]) -> Option<i64> {
    let mut gaps: BTreeMap<i64, usize> = BTreeMap::new();
    for w in sorted.windows(2) {
        if w[1] > w[0] {
            *gaps.entry(w[1] - w[0]).or_default() += 1;
        }
    }
    let best = gaps.values().copied().max()?;
    gaps.into_iter().find(|&(_, n)| n == best).map(|(g, _)| g)
}

/// Where an SLO's window lies when evaluated at a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First second of the window.
    pub start: Ts,
    /// The evaluation instant: the end of the date, clipped to the end of `as_of`.
    pub end: Ts,
    /// The end of the whole calendar period (calendar windows) or of the date (rolling).
    pub period_end: Ts,
    /// The first day of the window and the last day of the whole window or period.
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// Whole length in days: `N` for rolling, the period's day count for calendar windows.
    pub days: u32,
    pub calendar: bool,
}

impl Window {
    /// Seconds from the evaluation instant to the end of the period (0 for rolling).
    pub fn seconds_left(&self) -> i64 {
        (self.period_end - self.end).max(0)
    }

    /// The whole window's length in seconds (DST days count as they are).
    pub fn length_seconds(&self) -> i64 {
        self.period_end - self.start
    }
}

/// The window of `window` evaluated at `date`: rolling windows cover the `N` whole days
/// ending with `date`; calendar windows the month or quarter containing `date`, up to the
/// end of `date`. Days are cut in the site timezone.
pub fn window(window: SloWindow, cal: &Calendar, date: NaiveDate) -> Window {
    let day_end = cal.day_start(date + Duration::days(1));
    let end = day_end.min(cal.as_of_end);
    let (first_day, last_day, calendar) = match window {
        SloWindow::Rolling { days } => (date - Duration::days(days as i64 - 1), date, false),
        SloWindow::Month | SloWindow::Quarter => {
            let grain = if window == SloWindow::Month {
                Grain::Month
            } else {
                Grain::Quarter
            };
            let (first, _) = containing(grain, date);
            (first, next_start(grain, first) - Duration::days(1), true)
        }
    };
    Window {
        start: cal.day_start(first_day),
        end,
        period_end: cal.day_start(last_day + Duration::days(1)),
        first_day,
        last_day,
        days: ((last_day - first_day).num_days() + 1) as u32,
        calendar,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::slo::testutil::*;

    #[test]
    fn resolution_is_the_most_common_gap() {
        // gaps 3600, 3600, 7200 (a missing bucket), 3600 -> 3600
        assert_eq!(resolution(&[0, 3600, 7200, 14_400, 18_000]), Some(3600));
        // a duplicate timestamp adds no gap; a 1-1 tie goes to the smaller gap
        assert_eq!(resolution(&[0, 0, 60, 180]), Some(60));
        assert_eq!(resolution(&[5]), None);
        // The most common gap wins even when it is not the smallest: one stray row 60 s
        // after the first, then hourly buckets: gaps 60, 3600, 3600, 3600 -> 3600 (three
        // against one), not 60.
        assert_eq!(resolution(&[0, 60, 3660, 7260, 10_860]), Some(3600));
    }

    #[test]
    fn a_timeslice_is_good_when_its_share_reaches_the_target() {
        let t = Budgeting::Timeslices { target: 0.95 };
        // 100/100 = 1.0 >= 0.95: a good slice; 95/100 = 0.95 >= 0.95: good (on the edge);
        // 94/100 = 0.94 < 0.95: a bad slice; 0/0: no traffic, not a slice.
        assert_eq!(units(t, 100, 100), (1, 1));
        assert_eq!(units(t, 95, 100), (1, 1));
        assert_eq!(units(t, 94, 100), (0, 1));
        assert_eq!(units(t, 0, 0), (0, 0));
        // Occurrences count requests as they are.
        assert_eq!(units(Budgeting::Occurrences, 94, 100), (94, 100));
    }

    #[test]
    fn sums_count_duplicate_timestamps_as_one_bucket() {
        let def = slo(0.99, SloWindow::Rolling { days: 7 });
        let cal = utc(2025, 11, 30);
        let t = ts(2025, 11, 1, 0);
        let rows = [row(t, 9, 10), row(t, 5, 10), row(t + 3600, 10, 10)];
        let s = SliSeries::new(&def, &rows, &cal);
        let all = s.sum(t, t + 7200);
        assert_eq!((all.good, all.total, all.buckets), (24, 30, 2));
        // from index 1 (the second row of the first bucket) the bucket is still counted once
        let tail = s.sum_idx(1, 3);
        assert_eq!((tail.good, tail.total, tail.buckets), (15, 20, 2));
    }

    #[test]
    fn quarter_window_covers_the_quarter_up_to_the_date() {
        let cal = utc(2025, 12, 31);
        let w = window(SloWindow::Quarter, &cal, d(2025, 11, 15));
        assert_eq!(w.first_day, d(2025, 10, 1));
        assert_eq!(w.last_day, d(2025, 12, 31));
        assert_eq!(w.days, 92); // 31 + 30 + 31
        assert_eq!(w.start, ts(2025, 10, 1, 0));
        assert_eq!(w.end, ts(2025, 11, 16, 0));
        assert_eq!(w.period_end, ts(2026, 1, 1, 0));
    }

    #[test]
    fn rolling_window_edges_count_the_first_second_and_not_the_end() {
        // A 7-day window evaluated at as_of 15 July 2026 (UTC) covers 9 July 00:00:00 up to
        // 16 July 00:00:00, exclusive. Each row has 10 requests; the good count tells which
        // rows were summed: 1 s before the start (1 good, out), exactly at the start (2, in),
        // 1 s after the start (4, in), 1 s before the end (8, in), exactly at the end (16,
        // after as_of, out). Summed: 2 + 4 + 8 = 14 good of 30.
        let def = slo(0.9, SloWindow::Rolling { days: 7 });
        let cal = utc(2026, 7, 15);
        let start = ts(2026, 7, 9, 0);
        let end = ts(2026, 7, 16, 0);
        let rows = [
            row(start - 1, 1, 10),
            row(start, 2, 10),
            row(start + 1, 4, 10),
            row(end - 1, 8, 10),
            row(end, 16, 10),
        ];
        let w = window(def.window, &cal, d(2026, 7, 15));
        assert_eq!((w.start, w.end), (start, end));
        let f = crate::metrics::slo::evaluate(&def, &rows, &cal, d(2026, 7, 15));
        assert_eq!((f.good, f.total), (14, 30));
        // The month window of 1 July: from 1 July 00:00:00, so row `start - 1` is in too
        // when the window is a calendar month (9 July is inside July): 1 + 14 = 15 of 40.
        let month = slo(0.9, SloWindow::Month);
        let m = crate::metrics::slo::evaluate(&month, &rows, &cal, d(2026, 7, 15));
        assert_eq!((m.good, m.total), (15, 40));
        // A row exactly at the month's first second is in, one second earlier is not:
        // 30 June 23:59:59 (1 good, out) and 1 July 00:00:00 (2, in) -> 2 of 10.
        let edge = [
            row(ts(2026, 7, 1, 0) - 1, 1, 10),
            row(ts(2026, 7, 1, 0), 2, 10),
        ];
        let e = crate::metrics::slo::evaluate(&month, &edge, &cal, d(2026, 7, 15));
        assert_eq!((e.good, e.total), (2, 10));
    }
}
