//! Windows over a series: takes per-period values and returns trailing rolling medians, or
//! the medians of the N periods before and after an intervention date.

use serde::Serialize;
use std::ops::Range;

use crate::metrics::stats::{median, percentile_sorted};

/// Default N for before/after comparisons around an intervention, in periods (weeks).
pub const BEFORE_AFTER_WEEKS: usize = 6;

/// Trailing rolling median: element `i` is the median of the present values among
/// `values[i + 1 - window ..= i]` (fewer at the start), `None` if that window holds none
/// or `window` is 0. Keeps one sorted buffer of the window, so it costs O(n·window) moves
/// and no per-element allocation.
pub fn rolling_median(values: &[Option<f64>], window: usize) -> Vec<Option<f64>> {
    let mut sorted: Vec<f64> = Vec::with_capacity(window);
    let mut out = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        if window == 0 {
            out.push(None);
            continue;
        }
        if let Some(v) = v {
            let at = sorted.partition_point(|x| x.total_cmp(v).is_lt());
            sorted.insert(at, *v);
        }
        if i >= window {
            if let Some(old) = values[i - window] {
                let at = sorted.partition_point(|x| x.total_cmp(&old).is_lt());
                sorted.remove(at);
            }
        }
        out.push((!sorted.is_empty()).then(|| percentile_sorted(&sorted, 0.5)));
    }
    out
}

/// The medians of a metric either side of a date.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BeforeAfter {
    pub before_median: Option<f64>,
    /// Periods with data among the N before.
    pub before_n: usize,
    pub after_median: Option<f64>,
    /// Periods with data among the N after.
    pub after_n: usize,
}

/// Medians of the `n` periods wholly before `at` and the `n` periods starting at or after
/// `at`. `series` holds (period start, value) sorted by start, one entry per period (a
/// period without data is `None`, and still counts towards the `n`).
///
/// The period containing `at` — the last one starting strictly before it — is excluded
/// from both sides: it mixes before and after. When a period starts exactly at `at`,
/// nothing is excluded: that period is the first "after" and the one before it the last
/// "before". Because the series carries period starts only, an `at` past the end of the
/// series also excludes the last period. O(log n + n) with one small allocation per side.
pub fn before_after(series: &[(i64, Option<f64>)], at: i64, n: usize) -> BeforeAfter {
    let starts: Vec<i64> = series.iter().map(|p| p.0).collect();
    let (before, after) = sides(&starts, at, n);
    let (before_median, before_n) = window_median(&series[before]);
    let (after_median, after_n) = window_median(&series[after]);
    BeforeAfter {
        before_median,
        before_n,
        after_median,
        after_n,
    }
}

/// The index ranges of the `n` periods before and the `n` after `at` among periods
/// starting at `starts` (sorted), by the rule of [`before_after`]; the period containing
/// `at` lies between them when it is left out.
pub fn sides(starts: &[i64], at: i64, n: usize) -> (Range<usize>, Range<usize>) {
    let first_after = starts.partition_point(|&start| start < at);
    let starts_at = starts.get(first_after) == Some(&at);
    let before_end = if starts_at {
        first_after
    } else {
        first_after.saturating_sub(1)
    };
    (
        before_end.saturating_sub(n)..before_end,
        first_after..(first_after + n).min(starts.len()),
    )
}

fn window_median(periods: &[(i64, Option<f64>)]) -> (Option<f64>, usize) {
    let mut values: Vec<f64> = periods.iter().filter_map(|p| p.1).collect();
    let count = values.len();
    (median(&mut values), count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_median_with_gaps() {
        // window 3, trailing:
        // i0 [4]           -> 4
        // i1 [4, -]        -> 4
        // i2 [4, -, 1]     -> (1 + 4)/2 = 2.5
        // i3 [-, 1, 7]     -> 4
        // i4 [1, 7, -]     -> 4
        // i5 [7, -, -]     -> 7
        // i6 [-, -, -]     -> None
        // i7 [-, -, 2]     -> 2
        let v = [
            Some(4.0),
            None,
            Some(1.0),
            Some(7.0),
            None,
            None,
            None,
            Some(2.0),
        ];
        let expected = [
            Some(4.0),
            Some(4.0),
            Some(2.5),
            Some(4.0),
            Some(4.0),
            Some(7.0),
            None,
            Some(2.0),
        ];
        assert_eq!(rolling_median(&v, 3), expected);
    }

    #[test]
    fn rolling_median_odd_window_and_duplicates() {
        // window 3 over 5, 5, 1, 5, 9: [5]=5, [5,5]=5, [5,5,1]=5, [5,1,5]=5, [1,5,9]=5;
        // the duplicate 5s must be removed one at a time.
        let v: Vec<Option<f64>> = [5.0, 5.0, 1.0, 5.0, 9.0].into_iter().map(Some).collect();
        assert_eq!(rolling_median(&v, 3), vec![Some(5.0); 5]);
        // window 1 is the identity; window 0 gives nothing.
        assert_eq!(rolling_median(&v, 1), v);
        assert_eq!(rolling_median(&v, 0), vec![None; 5]);
    }

    #[test]
    fn rolling_median_matches_naive_recomputation() {
        // Against sorting each window afresh, over a series with a gap every 4th value.
        let v: Vec<Option<f64>> = (0..60)
            .map(|i| (i % 4 != 3).then(|| ((i * 37) % 11) as f64))
            .collect();
        for window in [1, 2, 5, 8] {
            let naive: Vec<Option<f64>> = (0..v.len())
                .map(|i| {
                    let lo = (i + 1).saturating_sub(window);
                    let mut w: Vec<f64> = v[lo..=i].iter().flatten().copied().collect();
                    median(&mut w)
                })
                .collect();
            assert_eq!(rolling_median(&v, window), naive, "window {window}");
        }
    }

    const WEEK: i64 = 7 * 86_400;

    fn weekly(values: &[Option<f64>]) -> Vec<(i64, Option<f64>)> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (i as i64 * WEEK, *v))
            .collect()
    }

    #[test]
    fn before_after_excludes_the_week_of_the_change() {
        // Weeks 0..=9 with values 30, 31, 32, 33, 99 | 19, 18, 20, 21, 17.
        // Intervention mid-week 4 (at = 4 weeks + 2 days): week 4 (99) is excluded.
        // N = 3: before = weeks 1..=3 -> 31, 32, 33 -> 32; after = weeks 5..=7 -> 19, 18, 20 -> 19.
        let s = weekly(&[30., 31., 32., 33., 99., 19., 18., 20., 21., 17.].map(Some));
        let ba = before_after(&s, 4 * WEEK + 2 * 86_400, 3);
        assert_eq!(ba.before_median, Some(32.0));
        assert_eq!(ba.after_median, Some(19.0));
        assert_eq!((ba.before_n, ba.after_n), (3, 3));
        // At the exact start of week 5: week 4 is wholly before, week 5 starts at `at`.
        // before = weeks 2..=4 -> 32, 33, 99 -> 33; after = weeks 5..=7 -> 19.
        let ba = before_after(&s, 5 * WEEK, 3);
        assert_eq!(
            (ba.before_median, ba.after_median),
            (Some(33.0), Some(19.0))
        );
    }

    #[test]
    fn before_after_with_missing_weeks_and_short_sides() {
        // Weeks 0..=7: 10, -, 14, -, [change in week 4: 50], 6, -, 8.
        // N = 6, at inside week 4. Before: weeks 0..=3 (only 4 exist) -> 10, 14 -> 12, n = 2.
        // After: weeks 5..=7 (only 3 exist) -> 6, 8 -> 7, n = 2.
        let s = weekly(&[
            Some(10.0),
            None,
            Some(14.0),
            None,
            Some(50.0),
            Some(6.0),
            None,
            Some(8.0),
        ]);
        let ba = before_after(&s, 4 * WEEK + 1, BEFORE_AFTER_WEEKS);
        assert_eq!((ba.before_median, ba.before_n), (Some(12.0), 2));
        assert_eq!((ba.after_median, ba.after_n), (Some(7.0), 2));
        // An intervention before the series: nothing before, the first 6 weeks after.
        // 10, 14, 50, 6 -> sorted 6, 10, 14, 50 -> (10 + 14)/2 = 12.
        let early = before_after(&s, -WEEK, BEFORE_AFTER_WEEKS);
        assert_eq!((early.before_median, early.before_n), (None, 0));
        assert_eq!((early.after_median, early.after_n), (Some(12.0), 4));
        assert_eq!(before_after(&[], 0, 6).before_n, 0);
    }
}
