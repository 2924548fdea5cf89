//! Verdicts: takes a metric's recent per-period values (or two periods' values) and its
//! better direction, and returns the trend (Theil-Sen slope, Mann-Kendall p, verdict) or
//! the period-over-period comparison (absolute and relative change, verdict).

use serde::Serialize;

use super::robust::{mann_kendall, theil_sen};
use crate::model::Better;

/// How many weekly periods the trend looks back over.
pub const TREND_WEEKS: usize = 13;

/// Fewest periods with data for a trend verdict. With the normal approximation a perfectly
/// monotonic series first reaches p < 0.05 at n = 5 (S = 10, Var = 16.67, z = 2.20,
/// p = 0.028); at n = 4 it cannot (z = 1.70, p = 0.089). Six leaves room for one
/// out-of-line week and keeps the approximation reasonable.
pub const MIN_TREND_POINTS: usize = 6;

/// Two-sided significance level for "improving" / "worsening".
pub const SIGNIFICANCE: f64 = 0.05;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TrendVerdict {
    #[serde(rename = "improving")]
    Improving,
    #[serde(rename = "worsening")]
    Worsening,
    #[serde(rename = "no clear trend")]
    NoClearTrend,
    #[serde(rename = "not enough data")]
    NotEnoughData,
}

impl TrendVerdict {
    pub fn as_str(&self) -> &'static str {
        match self {
            TrendVerdict::Improving => "improving",
            TrendVerdict::Worsening => "worsening",
            TrendVerdict::NoClearTrend => "no clear trend",
            TrendVerdict::NotEnoughData => "not enough data",
        }
    }
}

/// The trend of a series of periods.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Trend {
    /// Periods with data.
    pub n: usize,
    /// Theil-Sen slope, in the metric's unit per period.
    pub slope_per_period: Option<f64>,
    /// Theil-Sen intercept at period index 0 (the first element of the series).
    pub intercept: Option<f64>,
    /// Mann-Kendall two-sided p-value.
    pub p_value: Option<f64>,
    pub verdict: TrendVerdict,
}

/// The trend of `series` (one entry per period, oldest first; `None` = no data). Missing
/// periods are skipped but keep their x position, so the slope is per period.
///
/// With fewer than [`MIN_TREND_POINTS`] present values the verdict is `NotEnoughData` and
/// no slope or p-value is reported. Otherwise "improving" / "worsening" need p <
/// [`SIGNIFICANCE`] and the Theil-Sen slope and Mann-Kendall S to agree in sign; the
/// better direction decides which word. A significant S with a flat (0) slope reads
/// "no clear trend".
pub fn trend(series: &[Option<f64>], better: Better) -> Trend {
    let points: Vec<(f64, f64)> = series
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i as f64, v)))
        .collect();
    let n = points.len();
    let not_enough = Trend {
        n,
        slope_per_period: None,
        intercept: None,
        p_value: None,
        verdict: TrendVerdict::NotEnoughData,
    };
    if n < MIN_TREND_POINTS {
        return not_enough;
    }
    let values: Vec<f64> = points.iter().map(|p| p.1).collect();
    let (Some(line), Some(mk)) = (theil_sen(&points), mann_kendall(&values)) else {
        return not_enough;
    };
    Trend {
        n,
        slope_per_period: Some(line.slope),
        intercept: Some(line.intercept),
        p_value: Some(mk.p_value),
        verdict: trend_verdict(line.slope, mk.s, mk.p_value, better),
    }
}

fn trend_verdict(slope: f64, s: i64, p: f64, better: Better) -> TrendVerdict {
    let rising = slope > 0.0 && s > 0;
    let falling = slope < 0.0 && s < 0;
    if p >= SIGNIFICANCE || !(rising || falling) {
        return TrendVerdict::NoClearTrend;
    }
    if rising == (better == Better::Higher) {
        TrendVerdict::Improving
    } else {
        TrendVerdict::Worsening
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ComparisonVerdict {
    #[serde(rename = "improved")]
    Improved,
    #[serde(rename = "worsened")]
    Worsened,
    #[serde(rename = "unchanged")]
    Unchanged,
    #[serde(rename = "n/a")]
    NotComparable,
}

impl ComparisonVerdict {
    pub fn as_str(&self) -> &'static str {
        match self {
            ComparisonVerdict::Improved => "improved",
            ComparisonVerdict::Worsened => "worsened",
            ComparisonVerdict::Unchanged => "unchanged",
            ComparisonVerdict::NotComparable => "n/a",
        }
    }
}

/// A figure against the previous period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Comparison {
    pub current: Option<f64>,
    pub previous: Option<f64>,
    /// current - previous.
    pub absolute: Option<f64>,
    /// (current - previous) / |previous|; `None` when previous is 0.
    pub relative: Option<f64>,
    pub verdict: ComparisonVerdict,
}

/// Slack on the tolerance edge so that e.g. 1.1 against 1.0 at tolerance 0.1 (relative
/// 0.10000000000000009 in binary floating point) reads "unchanged".
const EDGE_SLACK: f64 = 1e-9;

/// `current` against `previous`. "unchanged" when |relative| <= `tolerance` (inclusive);
/// when previous is 0 the relative change is undefined and only an equal value is
/// "unchanged". Otherwise the move is "improved" if it goes the metric's better way.
/// `NotComparable` ("n/a") when either side is missing.
pub fn compare(
    current: Option<f64>,
    previous: Option<f64>,
    better: Better,
    tolerance: f64,
) -> Comparison {
    let (Some(cur), Some(prev)) = (current, previous) else {
        return Comparison {
            current,
            previous,
            absolute: None,
            relative: None,
            verdict: ComparisonVerdict::NotComparable,
        };
    };
    let absolute = cur - prev;
    let relative = (prev != 0.0).then(|| absolute / prev.abs());
    let unchanged = match relative {
        Some(r) => r.abs() <= tolerance + EDGE_SLACK,
        None => absolute == 0.0,
    };
    let verdict = if unchanged {
        ComparisonVerdict::Unchanged
    } else if (absolute > 0.0) == (better == Better::Higher) {
        ComparisonVerdict::Improved
    } else {
        ComparisonVerdict::Worsened
    };
    Comparison {
        current,
        previous,
        absolute: Some(absolute),
        relative,
        verdict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ComparisonVerdict::*;

    #[test]
    fn compare_words_follow_the_better_direction() {
        // 80 against 100: absolute -20, relative -20/100 = -0.2.
        let c = compare(Some(80.0), Some(100.0), Better::Lower, 0.05);
        assert_eq!(
            (c.absolute, c.relative, c.verdict),
            (Some(-20.0), Some(-0.2), Improved)
        );
        assert_eq!(
            compare(Some(80.0), Some(100.0), Better::Higher, 0.05).verdict,
            Worsened
        );
        // 120 against 100: +0.2.
        assert_eq!(
            compare(Some(120.0), Some(100.0), Better::Lower, 0.05).verdict,
            Worsened
        );
        assert_eq!(
            compare(Some(120.0), Some(100.0), Better::Higher, 0.05).verdict,
            Improved
        );
    }

    #[test]
    fn compare_tolerance_edges() {
        // 110 vs 100: relative 0.1 -> at tolerance 0.1 inclusive "unchanged".
        assert_eq!(
            compare(Some(110.0), Some(100.0), Better::Higher, 0.1).verdict,
            Unchanged
        );
        // 1.1 vs 1.0: relative 0.10000000000000009 in f64, still on the edge.
        assert_eq!(
            compare(Some(1.1), Some(1.0), Better::Lower, 0.1).verdict,
            Unchanged
        );
        // 110.1 vs 100: 0.101 > 0.1.
        assert_eq!(
            compare(Some(110.1), Some(100.0), Better::Higher, 0.1).verdict,
            Improved
        );
        // Negative previous: -90 vs -100 -> (+10)/|-100| = +0.1 -> a rise.
        let c = compare(Some(-90.0), Some(-100.0), Better::Higher, 0.05);
        assert_eq!((c.relative, c.verdict), (Some(0.1), Improved));
        // Tolerance 0: any change counts.
        assert_eq!(
            compare(Some(100.5), Some(100.0), Better::Lower, 0.0).verdict,
            Worsened
        );
        assert_eq!(
            compare(Some(100.0), Some(100.0), Better::Lower, 0.0).verdict,
            Unchanged
        );
    }

    #[test]
    fn compare_from_zero_and_missing() {
        // previous 0: relative undefined; 0 -> 0 unchanged, 0 -> 3 a rise of 3.
        let same = compare(Some(0.0), Some(0.0), Better::Lower, 0.1);
        assert_eq!(
            (same.absolute, same.relative, same.verdict),
            (Some(0.0), None, Unchanged)
        );
        let up = compare(Some(3.0), Some(0.0), Better::Lower, 0.1);
        assert_eq!(
            (up.absolute, up.relative, up.verdict),
            (Some(3.0), None, Worsened)
        );
        let na = compare(None, Some(4.0), Better::Lower, 0.1);
        assert_eq!(
            (na.previous, na.absolute, na.verdict),
            (Some(4.0), None, NotComparable)
        );
        assert_eq!(
            compare(Some(4.0), None, Better::Lower, 0.1).verdict,
            NotComparable
        );
    }

    #[test]
    fn trend_needs_six_points() {
        // 5 present values of a perfect fall: not enough, nothing reported.
        let s = [Some(5.0), None, Some(4.0), Some(3.0), Some(2.0), Some(1.0)];
        let t = trend(&s, Better::Lower);
        assert_eq!(t.n, 5);
        assert_eq!((t.slope_per_period, t.p_value), (None, None));
        assert_eq!(t.verdict, TrendVerdict::NotEnoughData);
    }

    #[test]
    fn trend_words_for_a_significant_fall() {
        // Values 13, 12, ..., 1 at x = 0..12 with week 3 missing (12 points, y = 13 - x).
        // Every pair falls: S = -66, Var = 12*11*29/18 = 212.67, z = -65/14.583 = -4.457,
        // p ~ 8.3e-6 < 0.05. Theil-Sen slope -1 per period (gaps keep their x), intercept 13.
        let s: Vec<Option<f64>> = (0..13)
            .map(|i| (i != 3).then_some(13.0 - i as f64))
            .collect();
        let lower = trend(&s, Better::Lower);
        assert_eq!(lower.n, 12);
        assert_eq!(lower.slope_per_period, Some(-1.0));
        assert_eq!(lower.intercept, Some(13.0));
        assert!(lower.p_value.unwrap() < 1e-4);
        assert_eq!(lower.verdict, TrendVerdict::Improving);
        assert_eq!(trend(&s, Better::Higher).verdict, TrendVerdict::Worsening);
    }

    /// The verdict at its edges, with p = 0.01 (significant) throughout: a word needs the
    /// Theil-Sen slope and the Mann-Kendall S both strictly on the same side of zero. A flat
    /// slope, an S of 0, or the two disagreeing reads "no clear trend".
    #[test]
    fn a_trend_word_needs_slope_and_s_strictly_agreeing() {
        use TrendVerdict::{Improving, NoClearTrend, Worsening};
        let v = |slope: f64, s: i64| trend_verdict(slope, s, 0.01, Better::Higher);
        assert_eq!((v(0.5, 3), v(-0.5, -3)), (Improving, Worsening));
        assert_eq!(trend_verdict(0.5, 3, 0.01, Better::Lower), Worsening);
        for (slope, s) in [
            (0.0, 3),
            (0.0, -3),
            (0.5, 0),
            (-0.5, 0),
            (0.5, -3),
            (-0.5, 3),
        ] {
            assert_eq!(v(slope, s), NoClearTrend, "slope {slope}, S {s}");
        }
        // p exactly at the significance level is not significant.
        assert_eq!(
            trend_verdict(0.5, 3, SIGNIFICANCE, Better::Higher),
            NoClearTrend
        );
    }

    #[test]
    fn trend_without_significance_is_no_clear_trend() {
        // 3, 1, 4, 1, 5, 9, 2, 6 (n = 8). S by row: 3: -1+1-1+1+1-1+1 = 1; 1: +1 0 +1+1+1+1 = 5;
        // 4: -1+1+1-1+1 = 1; 1: +1+1+1+1 = 4; 5: +1-1+1 = 1; 9: -1-1 = -2; 2: +1 -> S = 11.
        // Ties: {1,1} -> 18. Var = (8*7*21 - 18)/18 = 1158/18 = 64.333; z = 10/8.021 = 1.247;
        // p = 0.212 >= 0.05.
        let s: Vec<Option<f64>> = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0]
            .into_iter()
            .map(Some)
            .collect();
        let t = trend(&s, Better::Higher);
        assert!((t.p_value.unwrap() - 0.212).abs() < 1e-3);
        assert_eq!(t.verdict, TrendVerdict::NoClearTrend);
        assert!(t.slope_per_period.unwrap() > 0.0);
    }

    #[test]
    fn verdicts_serialise_as_words() {
        let t = trend(&[None; 13], Better::Lower);
        let json = serde_json::to_string(&t).unwrap();
        assert!(json.contains(r#""verdict":"not enough data""#), "{json}");
        let c = compare(None, None, Better::Lower, 0.1);
        assert!(serde_json::to_string(&c)
            .unwrap()
            .contains(r#""verdict":"n/a""#));
        let v = serde_json::to_string(&TrendVerdict::NoClearTrend).unwrap();
        assert_eq!(v, r#""no clear trend""#);
    }
}
