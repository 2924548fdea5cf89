//! Axes: takes a spec's x axis and values and returns data domains, where days and
//! periods fall on the x axis, nice y ticks and the x labels to write.

use super::{ChartAnnotation, ChartSpec, XAxis};
use crate::output::{push_padded, push_u64};
use chrono::{Duration, NaiveDate};

/// The x domain in axis units: `0..n` periods (period `i` spans `i..i+1`) or `start..end`.
pub(super) fn x_domain(x: &XAxis) -> (f64, f64) {
    match x {
        XAxis::Periods(p) => (0.0, p.len().max(1) as f64),
        XAxis::Time { start, end, .. } => (*start as f64, (*end).max(start + 1) as f64),
    }
}

/// Where a series point's x is drawn: the middle of its period, or the time itself.
pub(super) fn point_x(x: &XAxis, px: f64) -> f64 {
    match x {
        XAxis::Periods(_) => px + 0.5,
        XAxis::Time { .. } => px,
    }
}

/// The x span from the start of day `first` to the end of day `last` (inclusive), clipped to
/// the domain; `None` when it lies outside.
pub(super) fn day_span(x: &XAxis, first: NaiveDate, last: NaiveDate) -> Option<(f64, f64)> {
    let (lo, hi) = x_domain(x);
    let (a, b) = match x {
        XAxis::Periods(p) => (period_pos(p, first, false), period_pos(p, last, true)),
        XAxis::Time { calendar, .. } => (
            calendar.day_start(first) as f64,
            calendar.day_start(last + Duration::days(1)) as f64,
        ),
    };
    let (a, b) = (a.max(lo), b.min(hi));
    (a < b).then_some((a, b))
}

/// Position of the start (or end) of day `d` on a period axis: the period's index plus the
/// fraction of its days before `d`.
fn period_pos(p: &[super::PeriodTick], d: NaiveDate, end_of_day: bool) -> f64 {
    let i = p.partition_point(|t| t.last_day < d);
    let Some(t) = p.get(i) else {
        return p.len() as f64;
    };
    if d < t.first_day {
        return i as f64;
    }
    let days = ((t.last_day - t.first_day).num_days() + 1) as f64;
    let before = (d - t.first_day).num_days() as f64 + if end_of_day { 1.0 } else { 0.0 };
    i as f64 + before / days
}

/// The annotations whose days touch the x range, in date order (ties keep spec order).
pub(super) fn annotations_in_range(spec: &ChartSpec) -> Vec<ChartAnnotation> {
    let mut out: Vec<ChartAnnotation> = spec
        .annotations
        .iter()
        .filter(|a| day_span(&spec.x, a.start, a.end.unwrap_or(a.start).max(a.start)).is_some())
        .cloned()
        .collect();
    out.sort_by_key(|a| a.start);
    out
}

/// A y range widened to round steps, with its tick values and the decimals they need.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct YScale {
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<f64>,
    pub decimals: usize,
}

/// Nice ticks over `lo..hi`: steps of 1, 2, 2.5 or 5 times a power of ten, three to six
/// of them, choosing the tightest cover of the data; on a tie the larger step, except that
/// 1, 2 and 5 win over 2.5 (whole numbers for counts).
pub(super) fn y_scale(lo: f64, hi: f64) -> YScale {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, lo + 1.0)
    };
    let mag = 10f64.powf(((hi - lo) / 4.0).log10().floor());
    let mut best: Option<(f64, i64, i64)> = None;
    for m in [0.25, 2.5, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0] {
        let step = m * mag;
        let first = (lo / step + 1e-9).floor() as i64;
        let last = ((hi / step - 1e-9).ceil() as i64).max(first + 1);
        if !(3..=6).contains(&(last - first)) {
            continue;
        }
        let span = (last - first) as f64 * step;
        if best.is_none_or(|(s, f, l)| span <= (l - f) as f64 * s + 1e-9 * span) {
            best = Some((step, first, last));
        }
    }
    let (step, first, last) =
        best.unwrap_or((mag, (lo / mag).floor() as i64, (hi / mag).ceil() as i64));
    let ticks = (first..=last).map(|k| k as f64 * step).collect();
    let decimals = (0..=6)
        .find(|d| {
            let s = step * 10f64.powi(*d as i32);
            (s - s.round()).abs() < 1e-6
        })
        .unwrap_or(6);
    YScale {
        lo: first as f64 * step,
        hi: last as f64 * step,
        ticks,
        decimals,
    }
}

/// A number with `decimals` places, never "-0".
pub(super) fn fmt_fixed(v: f64, decimals: usize) -> String {
    if let Some(s) = fixed_fast(v, decimals) {
        return s;
    }
    let s = format!("{:.*}", decimals, v);
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// `fmt_fixed` without the exact decimal expansion `format!` does, for the values a chart
/// shows (under 10^9 once scaled), or `None` where the two could disagree.
///
/// Rounding to `decimals` places changes only at the halves of the scaled value. The
/// floating-point product `|v| * 10^decimals` is within a relative 2^-53 of the exact one
/// (under 1.2e-7 below 10^9), so when it lies more than 1e-6 from a half it rounds as the
/// exact value does; nearer a half (where `format!` decides by the exact binary value)
/// this gives up.
fn fixed_fast(v: f64, decimals: usize) -> Option<String> {
    const POW10: [u64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
    let scale = *POW10.get(decimals)?;
    let y = v.abs() * scale as f64;
    if y.is_nan() || y >= 1e9 {
        return None;
    }
    let floor = y.floor();
    let frac = y - floor;
    if (frac - 0.5).abs() < 1e-6 {
        return None;
    }
    let n = floor as u64 + u64::from(frac > 0.5);
    let mut s = String::with_capacity(24);
    if v < 0.0 && n != 0 {
        s.push('-');
    }
    push_u64(&mut s, n / scale);
    if decimals > 0 {
        s.push('.');
        push_padded(&mut s, n % scale, decimals);
    }
    Some(s)
}

/// A tick label: `decimals` places with trailing zeros dropped (`0`, `2.5`, `10`).
pub(super) fn fmt_tick(v: f64, decimals: usize) -> String {
    trim_zeros(fmt_fixed(v, decimals))
}

fn trim_zeros(mut s: String) -> String {
    if s.contains('.') {
        let keep = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(keep);
    }
    s
}

/// A value for people: at most three decimals, trailing zeros dropped (`12.5`, `0.052`).
pub(super) fn fmt_num(v: f64) -> String {
    trim_zeros(fmt_fixed(v, 3))
}

/// The x labels to write: at most one per `min_gap` of `plot_width` user units.
pub(super) fn x_labels(x: &XAxis, plot_width: i32, min_gap: i32) -> Vec<(f64, String)> {
    let max_labels = (plot_width / min_gap).max(1) as usize;
    match x {
        XAxis::Periods(p) => {
            let step = p.len().div_ceil(max_labels).max(1);
            p.iter()
                .enumerate()
                .step_by(step)
                .map(|(i, t)| (i as f64 + 0.5, t.label.clone()))
                .collect()
        }
        XAxis::Time {
            start,
            end,
            calendar,
        } => {
            let first = calendar.date_of(*start);
            let last = calendar.date_of((*end - 1).max(*start));
            let days = (last - first).num_days() + 1;
            let step = (days as usize).div_ceil(max_labels).max(1);
            (0..days)
                .step_by(step)
                .map(|k| first + Duration::days(k))
                .map(|d| (calendar.day_start(d), d))
                .filter(|(ts, _)| ts >= start && ts < end)
                .map(|(ts, d)| (ts as f64, day_label(d)))
                .collect()
        }
    }
}

/// A day as an axis or table label, "Sep 18" (chrono's `%b %-d`, without parsing a
/// format string for each of the hundreds of thousands of labels a large site has).
pub fn day_label(d: NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!("{} {}", MONTHS[d.month0() as usize], d.day())
}

#[cfg(test)]
mod tests {
    #[test]
    fn day_labels_are_chronos_month_and_day() {
        let first = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        for d in first.iter_days().take(366) {
            assert_eq!(super::day_label(d), d.format("%b %-d").to_string());
        }
    }

    use super::*;
    use crate::chart::PeriodTick;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn weeks() -> XAxis {
        // Two ISO weeks: 2026-03-02..08 and 2026-03-09..15.
        XAxis::Periods(vec![
            PeriodTick {
                first_day: d("2026-03-02"),
                last_day: d("2026-03-08"),
                label: "2026-W10".into(),
                partial: false,
            },
            PeriodTick {
                first_day: d("2026-03-09"),
                last_day: d("2026-03-15"),
                label: "2026-W11".into(),
                partial: false,
            },
        ])
    }

    #[test]
    fn days_fall_inside_their_period() {
        // Wednesday 2026-03-04 is day 3 of 7 in period 0: starts at 2/7, ends at 3/7.
        let (a, b) = day_span(&weeks(), d("2026-03-04"), d("2026-03-04")).unwrap();
        assert!((a - 2.0 / 7.0).abs() < 1e-12 && (b - 3.0 / 7.0).abs() < 1e-12);
        // A range Sat 03-07 .. Tue 03-10: from 5/7 to 1 + 2/7.
        let (a, b) = day_span(&weeks(), d("2026-03-07"), d("2026-03-10")).unwrap();
        assert!((a - 5.0 / 7.0).abs() < 1e-12 && (b - (1.0 + 2.0 / 7.0)).abs() < 1e-12);
    }

    #[test]
    fn days_outside_the_axis_have_no_span() {
        assert_eq!(day_span(&weeks(), d("2026-03-01"), d("2026-03-01")), None);
        assert_eq!(day_span(&weeks(), d("2026-03-16"), d("2026-03-20")), None);
        // A range that starts before the axis is clipped to its start.
        assert_eq!(
            day_span(&weeks(), d("2026-02-20"), d("2026-03-08")),
            Some((0.0, 1.0))
        );
    }

    #[test]
    fn y_ticks_are_round() {
        // 0..37: step 10 covers 0..40 in 4 steps; step 5 would need 8, step 20 only 2.
        let s = y_scale(0.0, 37.0);
        assert_eq!(s.ticks, vec![0.0, 10.0, 20.0, 30.0, 40.0]);
        assert_eq!((s.lo, s.hi, s.decimals), (0.0, 40.0, 0));
        // 0..0.9: steps 0.2 (0..1, 5 steps) and 0.25 (0..1, 4 steps) cover the same 0..1;
        // 0.2 wins over 0.25.
        let s = y_scale(0.0, 0.9);
        assert_eq!(s.ticks.len(), 6);
        assert_eq!((s.ticks[1], s.decimals), (0.2, 1));
        // 0..0.7: 0.25 covers 0..0.75 in 3 steps, tighter than 0.2 (0..0.8), so it wins.
        let s = y_scale(0.0, 0.7);
        assert_eq!(s.ticks, vec![0.0, 0.25, 0.5, 0.75]);
        assert_eq!(s.decimals, 2);
        // -16..100: step 20 covers -20..100 (120) in 6 steps, step 25 covers -25..100 (125).
        let s = y_scale(-16.0, 100.0);
        assert_eq!((s.lo, s.hi, s.ticks.len()), (-20.0, 100.0, 7));
        // A flat series at 5 widens to 4..6: step 0.5 covers it exactly in 4 steps.
        let s = y_scale(5.0, 5.0);
        assert_eq!((s.lo, s.hi, s.ticks.len()), (4.0, 6.0, 5));
    }

    #[test]
    fn fixed_numbers_have_no_negative_zero() {
        assert_eq!(fmt_fixed(-0.0001, 2), "0.00");
        assert_eq!(fmt_fixed(-1.5, 1), "-1.5");
        assert_eq!(
            (fmt_tick(10.0, 1), fmt_tick(7.5, 1)),
            ("10".to_string(), "7.5".to_string())
        );
        assert_eq!(fmt_num(0.0523), "0.052");
    }

    /// The reference `fmt_fixed` stands for: `format!` of the exact binary value, its "-0"
    /// dropped.
    fn fixed_by_format(v: f64, decimals: usize) -> String {
        let s = format!("{:.*}", decimals, v);
        match s.strip_prefix('-') {
            Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
            _ => s,
        }
    }

    #[test]
    fn fixed_numbers_near_ties_match_format() {
        // 0.125 and 2.5 are exact halves (ties to even: "0.12", "2"); 1.0005 is stored just
        // under its half, 0.0005 just over it; 999,999.9995 scales past the fast path.
        for (v, d) in [
            (0.125, 2),
            (2.5, 0),
            (3.5, 0),
            (1.0005, 3),
            (0.0005, 3),
            (-0.0005, 3),
            (999_999.999_5, 3),
            (1e12, 2),
            (0.1 + 0.2, 6),
        ] {
            assert_eq!(fmt_fixed(v, d), fixed_by_format(v, d), "{v} to {d} places");
        }
        assert_eq!(fmt_fixed(0.125, 2), "0.12");
        assert_eq!(fmt_fixed(-0.0004, 3), "0.000");
        assert_eq!(fmt_fixed(12.0, 0), "12");
    }

    proptest::proptest! {
        #[test]
        fn fixed_numbers_match_format(
            mantissa in -2_000_000_000i64..2_000_000_000,
            exp in -9i32..4,
            half in proptest::bool::ANY,
            decimals in 0usize..8,
        ) {
            // Values of every size a chart shows, and values a hair from a half at
            // `decimals` places (`mantissa.5` scaled), where rounding is hardest.
            let v = mantissa as f64 * 10f64.powi(exp)
                + if half { 0.5 * 10f64.powi(-(decimals as i32)) } else { 0.0 };
            proptest::prop_assert_eq!(fmt_fixed(v, decimals), fixed_by_format(v, decimals));
            proptest::prop_assert_eq!(fmt_num(v), {
                let s = fixed_by_format(v, 3);
                if s.contains('.') {
                    s.trim_end_matches('0').trim_end_matches('.').to_string()
                } else {
                    s
                }
            });
        }
    }

    #[test]
    fn period_labels_thin_out_to_fit() {
        // 2 periods, 1 label at most: every 2nd period, so only the first.
        assert_eq!(
            x_labels(&weeks(), 80, 80),
            vec![(0.5, "2026-W10".to_string())]
        );
    }
}
