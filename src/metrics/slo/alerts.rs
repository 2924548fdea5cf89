//! Multiwindow, multi-burn-rate alerts (Google SRE Workbook, ch. 5): takes an SLO, its
//! series and a period, and returns for each long/short window pair whether both burn
//! rates exceeded the pair's factor at any bucket end in the period. O(n) per pair.

use super::series::SliSeries;
use super::EPS;
use crate::config::{SloDef, SloWindow};
use crate::model::{SliRow, Ts, DAY, HOUR};
use crate::period::{containing, next_start, Calendar, Grain};
use serde::Serialize;

const MIN: i64 = 60;

/// The Workbook's pairs: (long, long seconds, short, short seconds, budget share).
pub const PAIRS: [(&str, i64, &str, i64, f64); 4] = [
    ("1h", HOUR, "5m", 5 * MIN, 0.02),
    ("6h", 6 * HOUR, "30m", 30 * MIN, 0.05),
    ("24h", DAY, "2h", 2 * HOUR, 0.10),
    ("3d", 3 * DAY, "6h", 6 * HOUR, 0.10),
];

/// One long/short pair evaluated over a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertPair {
    pub long: &'static str,
    pub short: &'static str,
    pub long_seconds: i64,
    pub short_seconds: i64,
    /// Share of the window's budget this pair guards.
    pub budget_share: f64,
    /// Burn-rate threshold: share x window / long window.
    pub factor: f64,
    /// False when the buckets are coarser than the short window.
    pub computable: bool,
    /// Why it is not computable, for the page.
    pub note: Option<String>,
    pub fired: bool,
    /// The first bucket end at which both burn rates exceeded the factor.
    pub first_fired: Option<Ts>,
    /// Bucket ends at which it fired.
    pub fired_buckets: usize,
    /// Bucket ends evaluated.
    pub evaluated_buckets: usize,
}

/// The burn-rate factor of a pair: budget share x window length / long window length.
/// 30 days: 0.02 x 720h / 1h = 14.4.
pub fn alert_factor(share: f64, window_days: u32, long_seconds: i64) -> f64 {
    share * (window_days as i64 * DAY) as f64 / long_seconds as f64
}

/// The alert pairs of `def` over `[period_start, period_end)` (clipped to `as_of`).
pub fn alerts(
    def: &SloDef,
    rows: &[SliRow],
    cal: &Calendar,
    period_start: Ts,
    period_end: Ts,
) -> Vec<AlertPair> {
    alerts_series(
        def,
        &SliSeries::new(def, rows, cal),
        cal,
        period_start,
        period_end,
    )
}

/// As `alerts`, on a prebuilt series.
pub fn alerts_series(
    def: &SloDef,
    s: &SliSeries,
    cal: &Calendar,
    period_start: Ts,
    period_end: Ts,
) -> Vec<AlertPair> {
    let end = period_end.min(cal.as_of_end);
    let days = window_days(def.window, cal, end);
    PAIRS
        .iter()
        .map(|&(long, long_s, short, short_s, share)| {
            let mut pair = AlertPair {
                long,
                short,
                long_seconds: long_s,
                short_seconds: short_s,
                budget_share: share,
                factor: alert_factor(share, days, long_s),
                computable: false,
                note: None,
                fired: false,
                first_fired: None,
                fired_buckets: 0,
                evaluated_buckets: 0,
            };
            match s.resolution() {
                Some(res) if res <= short_s => {
                    pair.computable = true;
                    scan(&mut pair, s, def.objective, res, period_start, end);
                }
                Some(res) => {
                    pair.note = Some(format!(
                        "not computable: the SLI data has {} buckets; the {short} short window needs buckets of {short} or finer",
                        duration_label(res)
                    ))
                }
                None => {
                    pair.note = Some(
                        "not computable: fewer than two SLI buckets, so the bucket size is unknown"
                            .to_string(),
                    )
                }
            }
            pair
        })
        .collect()
}

/// The window length in days for the factors: `N` for rolling windows, the day count of
/// the calendar period containing the last second before `end` otherwise.
fn window_days(window: SloWindow, cal: &Calendar, end: Ts) -> u32 {
    let grain = match window {
        SloWindow::Rolling { days } => return days,
        SloWindow::Month => Grain::Month,
        SloWindow::Quarter => Grain::Quarter,
    };
    let (first, _) = containing(grain, cal.date_of(end - 1));
    (next_start(grain, first) - first).num_days() as u32
}

/// Slides the long and short windows over the bucket ends in `[from, to)`.
fn scan(pair: &mut AlertPair, s: &SliSeries, objective: f64, res: i64, from: Ts, to: Ts) {
    let at = s.times();
    let (first, last) = (s.index(from), s.index(to));
    if first >= last {
        return;
    }
    let eval_at = |i: usize| at[i] + res;
    let mut lo_long = s.index(eval_at(first) - pair.long_seconds);
    let mut lo_short = s.index(eval_at(first) - pair.short_seconds);
    let mut hi = first;
    for i in first..last {
        if i + 1 < at.len() && at[i + 1] == at[i] {
            continue; // evaluate a repeated timestamp once, after its last row
        }
        let t = eval_at(i);
        while hi < at.len() && at[hi] < t {
            hi += 1;
        }
        while at[lo_long] < t - pair.long_seconds {
            lo_long += 1;
        }
        while at[lo_short] < t - pair.short_seconds {
            lo_short += 1;
        }
        pair.evaluated_buckets += 1;
        let over = |lo: usize| {
            s.sum_idx(lo, hi)
                .burn(objective)
                .is_some_and(|b| b > pair.factor + EPS)
        };
        if over(lo_long) && over(lo_short) {
            pair.fired = true;
            pair.fired_buckets += 1;
            pair.first_fired.get_or_insert(t);
        }
    }
}

/// `5m`, `1h`, `1d`, or seconds when not a whole unit.
pub fn duration_label(seconds: i64) -> String {
    for (unit, size) in [("d", DAY), ("h", HOUR), ("m", MIN)] {
        if seconds >= size && seconds % size == 0 {
            return format!("{}{unit}", seconds / size);
        }
    }
    format!("{seconds}s")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::slo::testutil::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// Google SRE Workbook, "Alerting on SLOs", table 5-8: for a 30-day window the pairs
    /// 1h/5m, 6h/30m, 24h/2h, 3d/6h alert at burn rates 14.4, 6, 3 and 1.
    #[test]
    fn workbook_factors_for_30_and_28_days() {
        let f30: Vec<f64> = PAIRS.iter().map(|p| alert_factor(p.4, 30, p.1)).collect();
        for (got, want) in f30.iter().zip([14.4, 6.0, 3.0, 1.0]) {
            assert!(close(*got, want), "{got} vs {want}");
        }
        // 28 days: 0.02 x 672 = 13.44; 0.05 x 672 / 6 = 5.6; 0.1 x 28 = 2.8; 0.1 x 28 / 3
        let f28: Vec<f64> = PAIRS.iter().map(|p| alert_factor(p.4, 28, p.1)).collect();
        for (got, want) in f28.iter().zip([13.44, 5.6, 2.8, 0.933_333_333_3]) {
            assert!((got - want).abs() < 1e-9, "{got} vs {want}");
        }
    }

    /// Hourly data, 30-day window, objective 99.9%: 96 clean hours of 1000 requests, except
    /// buckets 50 and 51 with 100 bad each.
    #[test]
    fn hourly_data_fires_the_slow_pairs_only() {
        let def = slo(0.999, SloWindow::Rolling { days: 30 });
        let cal = utc(2025, 11, 4);
        let start = ts(2025, 11, 1, 0);
        let mut rows = clean(start, HOUR, 96, 1000);
        rows[50].good = 900;
        rows[51].good = 900;
        let pairs = alerts(&def, &rows, &cal, start, cal.as_of_end);
        // 1h/5m and 6h/30m need buckets of 5m / 30m or finer.
        assert!(!pairs[0].computable && !pairs[1].computable);
        assert!(pairs[0].note.as_deref().unwrap().contains("1h buckets"));
        // 24h/2h (factor 3): short 2h = buckets k-1..k holds a bad bucket for k = 50..=52
        // (burn >= 100/2000/0.001 = 50); long 24h then >= 100/24000/0.001 = 4.17 > 3.
        assert!(pairs[2].computable);
        assert_eq!(pairs[2].fired_buckets, 3);
        assert_eq!(pairs[2].first_fired, Some(start + 51 * HOUR));
        // 3d/6h (factor 1): short 6h = k-5..k holds a bad bucket for k = 50..=56; long 3d
        // >= 100/51000/0.001 = 1.96 > 1 at k = 50 and 200/72000/0.001 = 2.78 at k = 95.
        assert_eq!(pairs[3].fired_buckets, 7);
        assert_eq!(pairs[3].evaluated_buckets, 96);
    }

    /// 5-minute data: one day of 288 buckets of 100 requests; bucket 100 has 30 bad.
    #[test]
    fn five_minute_data_fires_the_fast_pair() {
        let def = slo(0.999, SloWindow::Rolling { days: 30 });
        let cal = utc(2025, 11, 1);
        let start = ts(2025, 11, 1, 0);
        let mut rows = clean(start, 5 * MIN, 288, 100);
        rows[100].good = 70;
        let pairs = alerts(&def, &rows, &cal, start, cal.as_of_end);
        assert!(pairs.iter().all(|p| p.computable));
        // 1h/5m (14.4): short = bucket 100 alone: 30/100/0.001 = 300; long = 12 buckets:
        // 30/1200/0.001 = 25 > 14.4 -> fires at the end of bucket 100 only.
        assert_eq!(pairs[0].fired_buckets, 1);
        assert_eq!(pairs[0].first_fired, Some(start + 101 * 5 * MIN));
        // 6h/30m (6): long 6h = 72 buckets: 30/7200/0.001 = 4.17 < 6 -> never.
        assert!(!pairs[1].fired);
    }

    #[test]
    fn daily_data_computes_no_pair() {
        let def = slo(0.999, SloWindow::Month);
        let cal = utc(2025, 11, 30);
        let rows = clean(ts(2025, 11, 1, 0), DAY, 30, 1000);
        let pairs = alerts(&def, &rows, &cal, ts(2025, 11, 1, 0), cal.as_of_end);
        assert!(pairs.iter().all(|p| !p.computable && !p.fired));
        assert!(pairs[0].note.as_deref().unwrap().contains("1d buckets"));
        // November has 30 days: the calendar factors equal the 30-day ones.
        assert!(close(pairs[0].factor, 14.4));
    }

    #[test]
    fn durations_have_short_labels() {
        assert_eq!(duration_label(300), "5m");
        assert_eq!(duration_label(DAY), "1d");
        assert_eq!(duration_label(90), "90s");
    }

    /// 5-minute data: one day of 288 buckets of 100 requests. Bucket 0 (00:00) and bucket
    /// 287 (23:55) have 30 bad, bucket 11 (00:55) 2 bad: both ends of the period are
    /// evaluated, and the long window includes the bucket exactly one long window back.
    /// Bucket 100 comes in two rows (100 and 50 requests, all good): its end is evaluated
    /// once.
    #[test]
    fn both_ends_of_the_period_and_of_the_long_window_count() {
        let def = slo(0.999, SloWindow::Rolling { days: 30 });
        let cal = utc(2025, 11, 1);
        let start = ts(2025, 11, 1, 0);
        let mut rows = clean(start, 5 * MIN, 288, 100);
        rows[0].good = 70;
        rows[11].good = 98;
        rows[287].good = 70;
        rows.push(row(start + 100 * 5 * MIN, 50, 50));
        let pairs = alerts(&def, &rows, &cal, start, cal.as_of_end);
        // 1h/5m (factor 14.4), at each bucket end t: short = the bucket before t, long =
        // the hour [t - 1h, t).
        // - 00:05: short = bucket 0, 30/100/0.001 = 300; long holds only bucket 0: 300 -> fires.
        // - 01:00: short = bucket 11, 2/100/0.001 = 20; long = buckets 0-11 (bucket 0 starts
        //   exactly at t - 1h): 32/1200/0.001 = 26.7 -> fires (without bucket 0: 2/1100/0.001
        //   = 1.8, it would not).
        // - 24:00: short = bucket 287: 300; long = buckets 276-287: 30/1200/0.001 = 25 -> fires.
        // No other short window holds a bad bucket. 288 distinct bucket ends, not 289.
        assert_eq!(pairs[0].fired_buckets, 3);
        assert_eq!(pairs[0].first_fired, Some(start + 5 * MIN));
        assert_eq!(pairs[0].evaluated_buckets, 288);
    }

    /// A burn rate exactly at the factor does not fire: hourly buckets of 100 requests, 50
    /// good, objective 0.5: every window burns 50/100 / (1 - 0.5) = 1, exactly the 3d/6h
    /// factor of a 30-day window (0.1 x 720 h / 72 h = 1).
    #[test]
    fn a_burn_rate_equal_to_the_factor_does_not_fire() {
        let def = slo(0.5, SloWindow::Rolling { days: 30 });
        let cal = utc(2025, 11, 3);
        let start = ts(2025, 11, 1, 0);
        let rows: Vec<_> = (0..72).map(|i| row(start + i * HOUR, 50, 100)).collect();
        let pairs = alerts(&def, &rows, &cal, start, cal.as_of_end);
        assert_eq!(pairs[3].factor, 1.0);
        assert!(pairs[3].computable);
        assert_eq!(
            (pairs[3].fired_buckets, pairs[3].evaluated_buckets),
            (0, 72)
        );
    }
}
