//! Wording (render stage): takes figures, trend results and before/after medians from the
//! `Report` and returns what people read: a value in its unit ("31 h", "12.5%"), a p-value,
//! and the short English sentences shown beside charts and in SVG `<desc>` elements.

use crate::metrics::catalog::{Metric, Unit};
use crate::metrics::trend::{BeforeAfter, Trend, TrendVerdict, MIN_TREND_POINTS};
use crate::metrics::Figures;
use crate::period::Period;

/// A value of `metric` in its unit: "n/a" for no data, "1.9 /wk", "31 h" or "2.5 d",
/// "12.5%", "4".
/// "1 day", "5 days", "0 weeks": a count and its noun, plural unless the count is 1.
pub fn count(n: impl Into<i64>, noun: &str) -> String {
    let n = n.into();
    format!("{} {noun}{}", grouped(n), if n == 1 { "" } else { "s" })
}

/// A whole number with its thousands grouped by commas: "40,974", "-1,200", "999".
pub fn grouped(n: impl std::fmt::Display) -> String {
    group_digits(&n.to_string())
}

/// A formatted number (`-1234.5`) with the digits before its point grouped by thousands.
fn group_digits(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    if int.len() < 4 || !int.bytes().all(|b| b.is_ascii_digit()) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + int.len() / 3);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

pub fn format_metric(metric: Metric, v: Option<f64>) -> String {
    format_in(v, metric.unit())
}

/// A value in a catalogue unit (by the unit's label, see [`format_value`]); "n/a" for no
/// data.
pub fn format_in(v: Option<f64>, unit: Unit) -> String {
    v.map_or_else(|| "n/a".to_string(), |v| format_value(v, unit.label()))
}

/// A value in its unit, for people:
/// - hours (`h`, `hour`, `hours`): "31 h", "2.5 h" under 10 h, days ("2.5 d") from 48 h;
/// - minutes (`min`, `minute`, `minutes`): "45 min", hours from 120 min;
/// - percentages (`%`, `percent`, values 0-100) and fractions (`ratio`, `rate`,
///   `fraction`, values 0-1, shown x100): "12%", "12.5%"; between 99 and 100 two decimals,
///   truncated, so 99.996% never reads "100%";
/// - counts (`count`, `counts` or no unit) and any other unit: whole numbers as integers,
///   else one decimal; another unit is appended after a space ("4.5 deploys/day").
///
/// Non-finite values read "n/a".
pub fn format_value(v: f64, unit: &str) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    match unit.trim().to_ascii_lowercase().as_str() {
        "h" | "hour" | "hours" => hours(v),
        "min" | "minute" | "minutes" if v.abs() >= 120.0 => hours(v / 60.0),
        "min" | "minute" | "minutes" => format!("{} min", magnitude(v)),
        "%" | "percent" => percent(v),
        "ratio" | "rate" | "fraction" => percent(v * 100.0),
        "" | "count" | "counts" => trim(v, 1),
        _ => format!("{} {}", trim(v, 1), unit.trim()),
    }
}

fn hours(h: f64) -> String {
    if h.abs() >= 48.0 {
        format!("{} d", trim(h / 24.0, 1))
    } else {
        format!("{} h", magnitude(h))
    }
}

/// Integers from 10 up, one decimal below.
fn magnitude(v: f64) -> String {
    trim(v, if v.abs() >= 10.0 { 0 } else { 1 })
}

fn percent(p: f64) -> String {
    if p > 99.0 && p < 100.0 {
        format!("{}%", trim((p * 100.0).floor() / 100.0, 2))
    } else {
        format!("{}%", trim(p, 1))
    }
}

/// `v` rounded to `decimals`, without trailing zeros or a negative zero, its thousands
/// grouped ("40,974", "3,117.6").
fn trim(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".to_string()
    } else {
        group_digits(&s)
    }
}

/// "p = 0.21", "p = 0.004", or "p < 0.001".
pub fn format_p(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".to_string()
    } else if p < 0.01 {
        format!("p = {p:.3}")
    } else {
        format!("p = {p:.2}")
    }
}

fn or_na(v: Option<f64>, unit: &str) -> String {
    v.map_or_else(|| "n/a".to_string(), |v| format_value(v, unit))
}

/// "lead time 31 h -> 19 h after 'CI caching enabled'"; a side without data reads "n/a".
/// The counts behind each median are in `ba` for the page to show.
pub fn describe_change(name: &str, unit: &str, ba: &BeforeAfter, title: &str) -> String {
    format!(
        "{name} {} -> {} after '{title}'",
        or_na(ba.before_median, unit),
        or_na(ba.after_median, unit)
    )
}

/// A one-sentence account of `series` (oldest first) and its `trend`, for an SVG `<desc>`:
/// "Median lead time fell from 31 h to 22 h over the last 13 weeks; no clear trend
/// (Mann-Kendall p = 0.21)." `span` names the window ("the last 13 weeks"). "From" and
/// "to" are the first and last periods with data.
pub fn describe_trend(
    name: &str,
    unit: &str,
    series: &[Option<f64>],
    trend: &Trend,
    span: &str,
) -> String {
    let name = capitalise(name);
    let mut present = series.iter().flatten();
    let (Some(&first), last) = (present.next(), present.last().copied()) else {
        return format!("{name}: no data over {span}.");
    };
    let (from, to) = (
        format_value(first, unit),
        format_value(last.unwrap_or(first), unit),
    );
    let movement = match last {
        None => format!("was {from}"),
        Some(_) if from == to => format!("stayed at {from}"),
        Some(last) if last < first => format!("fell from {from} to {to}"),
        Some(_) => format!("rose from {from} to {to}"),
    };
    format!("{name} {movement} over {span}; {}.", verdict_clause(trend))
}

fn verdict_clause(trend: &Trend) -> String {
    match (trend.verdict, trend.p_value) {
        (TrendVerdict::NotEnoughData, _) | (_, None) => format!(
            "not enough data for a trend ({} {} with data, at least {MIN_TREND_POINTS} needed)",
            trend.n,
            if trend.n == 1 { "period" } else { "periods" }
        ),
        (verdict, Some(p)) => format!("{} (Mann-Kendall {})", verdict.as_str(), format_p(p)),
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// "partial, 3 of 7 days" for a period `as_of` cut short, `None` for a complete one.
pub fn partial_days(p: &Period) -> Option<String> {
    p.clipped
        .then(|| format!("partial, {} of {} days", p.days, p.full_days()))
}

/// ", partial, 3 of 7 days; compared with 2026-W39 2026-09-21 to 2026-09-23" after a
/// partial period's dates (what its moves are measured against: the same days of the
/// period before), "" for a complete period.
pub fn partial_note(p: &Period, previous: Option<&Figures>) -> String {
    let Some(words) = partial_days(p) else {
        return String::new();
    };
    match previous {
        Some(b) => format!(
            ", {words}; compared with {} {} to {}",
            b.period, b.start, b.end
        ),
        None => format!(", {words}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::trend::trend;
    use crate::model::Better;

    #[test]
    fn formats_by_catalogue_unit() {
        assert_eq!(format_in(None, Unit::Hours), "n/a");
        assert_eq!(format_in(Some(31.4), Unit::Hours), "31 h");
        assert_eq!(format_in(Some(2.54), Unit::Hours), "2.5 h");
        assert_eq!(format_in(Some(60.0), Unit::Hours), "2.5 d"); // 60 / 24
        assert_eq!(format_in(Some(0.125), Unit::Ratio), "12.5%");
        assert_eq!(format_in(Some(0.05), Unit::Ratio), "5%");
        assert_eq!(format_in(Some(0.0), Unit::Ratio), "0%");
        assert_eq!(format_in(Some(1.8667), Unit::PerWeek), "1.9 /wk");
        assert_eq!(format_in(Some(0.0), Unit::Count), "0");
        assert_eq!(format_in(Some(8.0), Unit::Days), "8 days");
        // Lead time is in hours, whole from 10 h: 26.6 h -> "27 h".
        assert_eq!(
            format_metric(Metric::LeadTimeMedianHours, Some(26.6)),
            "27 h"
        );
        assert_eq!(format_metric(Metric::ChangeFailureRate, None), "n/a");
    }

    #[test]
    fn format_value_by_unit() {
        assert_eq!(format_value(31.2, "h"), "31 h");
        assert_eq!(format_value(2.54, "hours"), "2.5 h");
        assert_eq!(format_value(47.9, "h"), "48 h");
        // 60 h = 2.5 d
        assert_eq!(format_value(60.0, "h"), "2.5 d");
        assert_eq!(format_value(45.0, "min"), "45 min");
        // 150 min = 2.5 h
        assert_eq!(format_value(150.0, "minutes"), "2.5 h");
        assert_eq!(format_value(12.0, "%"), "12%");
        assert_eq!(format_value(0.125, "ratio"), "12.5%");
        // 99.996 truncated to two decimals: 99.99
        assert_eq!(format_value(99.996, "%"), "99.99%");
        assert_eq!(format_value(100.0, "%"), "100%");
        assert_eq!(format_value(7.0, "count"), "7");
        assert_eq!(format_value(4.26, ""), "4.3");
        assert_eq!(format_value(4.5, "deploys/day"), "4.5 deploys/day");
        assert_eq!(format_value(-0.01, "count"), "0");
        assert_eq!(format_value(f64::NAN, "h"), "n/a");
        // Thousands are grouped, the decimals kept: 3117.6 /wk, 40974 deployments, and a
        // budget overspent 16.6 times (-1660%).
        assert_eq!(format_value(3117.62, "/wk"), "3,117.6 /wk");
        assert_eq!(format_value(40974.0, "count"), "40,974");
        assert_eq!(format_value(999.0, "count"), "999");
        assert_eq!(format_value(-1660.0, "%"), "-1,660%");
        assert_eq!(format_value(1_234_567.0, ""), "1,234,567");
    }

    #[test]
    fn describe_change_with_and_without_data() {
        let ba = BeforeAfter {
            before_median: Some(31.0),
            before_n: 6,
            after_median: Some(19.0),
            after_n: 5,
        };
        assert_eq!(
            describe_change("lead time", "h", &ba, "CI caching enabled"),
            "lead time 31 h -> 19 h after 'CI caching enabled'"
        );
        let none_after = BeforeAfter {
            after_median: None,
            after_n: 0,
            ..ba
        };
        assert_eq!(
            describe_change("lead time", "h", &none_after, "CI caching enabled"),
            "lead time 31 h -> n/a after 'CI caching enabled'"
        );
    }

    #[test]
    fn describe_trend_sentences() {
        // 31, 28, 33, 25, 30, 22 over 6 weeks (n = 6). S by row: 31: -1+1-1-1-1 = -3;
        // 28: +1-1+1-1 = 0; 33: -1-1-1 = -3; 25: +1-1 = 0; 30: -1 -> S = -7.
        // Var = 6*5*17/18 = 28.333; z = -6/5.323 = -1.127; p = 0.26 -> no clear trend.
        let s = [31.0, 28.0, 33.0, 25.0, 30.0, 22.0].map(Some);
        let t = trend(&s, Better::Lower);
        assert_eq!(
            describe_trend("median lead time", "h", &s, &t, "the last 6 weeks"),
            "Median lead time fell from 31 h to 22 h over the last 6 weeks; \
             no clear trend (Mann-Kendall p = 0.26)."
        );
        let few = [None, Some(4.0), None, Some(4.0)];
        let t = trend(&few, Better::Lower);
        assert_eq!(
            describe_trend("deploys", "count", &few, &t, "the last 4 weeks"),
            "Deploys stayed at 4 over the last 4 weeks; \
             not enough data for a trend (2 periods with data, at least 6 needed)."
        );
        let t = trend(&[None, None], Better::Lower);
        assert_eq!(
            describe_trend("deploys", "count", &[None, None], &t, "the last 2 weeks"),
            "Deploys: no data over the last 2 weeks."
        );
    }

    #[test]
    fn describe_a_significant_rise() {
        // 1..=8 strictly rising: S = 28, Var = 8*7*21/18 = 65.333, z = 27/8.083 = 3.340,
        // p = 0.00084 < 0.001.
        let s: Vec<Option<f64>> = (1..=8).map(|i| Some(i as f64 / 100.0)).collect();
        let t = trend(&s, Better::Lower);
        assert_eq!(
            describe_trend("change failure rate", "ratio", &s, &t, "the last 8 weeks"),
            "Change failure rate rose from 1% to 8% over the last 8 weeks; \
             worsening (Mann-Kendall p < 0.001)."
        );
    }

    #[test]
    fn p_values_read_naturally() {
        assert_eq!(format_p(0.2148), "p = 0.21");
        assert_eq!(format_p(0.0037), "p = 0.004");
        assert_eq!(format_p(0.0004), "p < 0.001");
    }
}

#[cfg(test)]
mod count_tests {
    #[test]
    fn counts_are_plural_unless_one() {
        assert_eq!(super::count(1u32, "day"), "1 day");
        assert_eq!(super::count(0u32, "week"), "0 weeks");
        assert_eq!(super::count(21i64, "day"), "21 days");
        assert_eq!(super::count(159_364i64, "change"), "159,364 changes");
        assert_eq!(super::grouped(-1200), "-1,200");
        assert_eq!(super::grouped(100), "100");
        assert_eq!(super::grouped(1_234_567u64), "1,234,567");
    }
}
