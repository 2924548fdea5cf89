//! SLO chart plan: takes the dataset (SLO definitions, incidents) and the metrics report
//! (calendar, each SLO's prepared SLI series) and returns each SLO's page charts, keyed
//! `slo:<id>`: the daily SLI with the objective line and the breaching days shaded, and the
//! error-budget burn-down at bucket resolution (downsampled with LTTB) with the ideal line.

use crate::chart::{draw, Chart, ChartAnnotation, ChartKind, ChartSpec, Role, Series, XAxis};
use crate::config::SloDef;
use crate::metrics::slo::{
    breaching, burn_down_series, remaining_of_expected, sli_daily_series, window, SliSeries, Window,
};
use crate::metrics::trend::lttb;
use crate::metrics::Report;
use crate::model::{Dataset, Ts, DAY};
use crate::output::slug;
use crate::period::Calendar;
use chrono::{Duration, NaiveDate};
use rayon::prelude::*;

/// Days of daily SLI the SLI chart shows at least (13 weeks); a longer window shows whole.
pub const SLI_DAYS: i64 = 91;

/// At most this many points are drawn per burn-down line; longer series go through LTTB.
pub const MAX_POINTS: usize = 320;

/// The `Charts` key of an SLO's page charts.
pub fn scope_key(id: &str) -> String {
    format!("slo:{id}")
}

/// Every SLO's page charts (SLI, then burn-down), keyed by `scope_key`, drawn in parallel.
pub fn build(ds: &Dataset, report: &Report) -> Vec<(String, Vec<Chart>)> {
    let cal = &report.calendar;
    ds.slos
        .par_iter()
        .zip(report.slo_series.par_iter())
        .map(|(def, s)| {
            let anns = incidents(ds, def, cal);
            let mut sli = sli_spec(def, s, cal);
            sli.annotations = anns.clone();
            let mut burn = burn_spec(def, s, cal);
            burn.annotations = anns;
            (scope_key(&def.id), vec![draw(&sli), draw(&burn)])
        })
        .collect()
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

/// Severity 1 and 2 incidents of the SLO's service, as chart annotations.
fn incidents(ds: &Dataset, def: &SloDef, cal: &Calendar) -> Vec<ChartAnnotation> {
    let Some(service) = ds.services.get(&def.service) else {
        return Vec::new();
    };
    let mut out: Vec<ChartAnnotation> = ds
        .incidents
        .iter()
        .filter(|i| i.service == service && i.severity <= 2 && i.started_at < cal.as_of_end)
        .map(|i| super::incident_annotation(i, cal))
        .collect();
    out.sort_by(|a, b| (a.start, &a.title).cmp(&(b.start, &b.title)));
    out
}

/// The daily SLI over `sli_days`, the objective as a threshold, breaching days shaded.
pub fn sli_spec(def: &SloDef, s: &SliSeries, cal: &Calendar) -> ChartSpec {
    let (from, to) = sli_days(def, s, cal);
    let daily = sli_daily_series(s, cal, from, to);
    let mid = |d: NaiveDate| (cal.day_start(d) + cal.day_start(d + Duration::days(1))) / 2;
    let points = daily
        .iter()
        .map(|&(d, v)| (mid(d) as f64, v.map(|v| v * 100.0)))
        .collect();
    let breaches = breaching(&daily, def.objective);
    let shaded = breaches
        .iter()
        .map(|b| {
            let end = cal.day_start(b.to + Duration::days(1));
            (cal.day_start(b.from) as f64, end as f64)
        })
        .collect();
    let objective = def.objective * 100.0;
    let worst = daily
        .iter()
        .filter_map(|&(d, v)| v.map(|v| (d, v)))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    let span = format!("{} to {}", day(from), day(to));
    let desc = match worst {
        None => format!("No SLI data from {span}."),
        Some((d, v)) => {
            let days: u32 = breaches.iter().map(|b| b.days).sum();
            format!(
                "Daily SLI from {span}: lowest {} on {}; {} below the {} objective ({} stretches).",
                pct(v, def.objective),
                day(d),
                plural(days as usize, "day"),
                plain_pct(def.objective),
                breaches.len()
            )
        }
    };
    ChartSpec {
        id: format!("slo-{}-sli", slug(&def.id)),
        kind: ChartKind::Sli,
        title: format!("{}: daily SLI against the objective", def.id),
        desc,
        x: XAxis::Time {
            start: cal.day_start(from),
            end: cal.day_start(to + Duration::days(1)),
            calendar: *cal,
        },
        series: vec![Series {
            name: "daily SLI".to_string(),
            role: Role::Primary,
            points,
        }],
        unit: "%".to_string(),
        annotations: Vec::new(),
        bands: Vec::new(),
        thresholds: vec![(format!("objective {}", plain_pct(def.objective)), objective)],
        shaded,
    }
}

/// The burn-down of the window containing `as_of`: calendar windows against the expected
/// whole-period traffic with the ideal line over the whole period; rolling windows the
/// budget of the trailing window ending at each bucket end.
pub fn burn_spec(def: &SloDef, s: &SliSeries, cal: &Calendar) -> ChartSpec {
    let w = window(def.window, cal, cal.as_of);
    let raw = burn_points(def, s, cal, &w);
    let shaded = overspent(&raw, w.end);
    let remaining = Series {
        name: "budget remaining".to_string(),
        role: Role::Primary,
        points: downsample(&raw, MAX_POINTS),
    };
    let mut series = Vec::new();
    let end = if w.calendar { w.period_end } else { w.end };
    if w.calendar {
        series.push(Series {
            name: "ideal".to_string(),
            role: Role::Ideal,
            points: vec![(w.start as f64, Some(100.0)), (end as f64, Some(0.0))],
        });
    }
    series.push(remaining);
    let what = match (w.calendar, def.window.label().as_str()) {
        (true, "month") => "calendar month".to_string(),
        (true, _) => "calendar quarter".to_string(),
        (false, _) => format!("rolling {} days", w.days),
    };
    ChartSpec {
        id: format!("slo-{}-burn-down", slug(&def.id)),
        kind: ChartKind::BurnDown,
        title: format!("{}: error budget burn-down ({what})", def.id),
        desc: burn_words(&raw, &w, cal),
        x: XAxis::Time {
            start: w.start,
            end,
            calendar: *cal,
        },
        series,
        unit: "%".to_string(),
        annotations: Vec::new(),
        bands: Vec::new(),
        thresholds: vec![("budget exhausted".to_string(), 0.0)],
        shaded,
    }
}

/// Remaining budget (percent) at each bucket end in the window, or at each day end when the
/// buckets are daily or coarser (then exactly the engine's `burn_down_series`).
pub fn burn_points(
    def: &SloDef,
    s: &SliSeries,
    cal: &Calendar,
    w: &Window,
) -> Vec<(f64, Option<f64>)> {
    let fine = s.resolution().filter(|&r| r < DAY);
    let Some(res) = fine else {
        return burn_down_series(def, s, cal, cal.as_of)
            .points
            .into_iter()
            .map(|(t, v)| (t as f64, v.map(|v| v * 100.0)))
            .collect();
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
            (t as f64, v.map(|v| v * 100.0))
        })
        .collect()
}

/// LTTB over each run of values between gaps, each run keeping its share of `max` points;
/// the gaps stay gaps.
pub fn downsample(points: &[(f64, Option<f64>)], max: usize) -> Vec<(f64, Option<f64>)> {
    if points.len() <= max {
        return points.to_vec();
    }
    let mut out = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    let flush = |run: &mut Vec<(f64, f64)>, out: &mut Vec<(f64, Option<f64>)>| {
        let share = (run.len() * max).div_ceil(points.len()).max(3);
        out.extend(lttb(run, share).into_iter().map(|(x, y)| (x, Some(y))));
        run.clear();
    };
    for &(x, y) in points {
        match y {
            Some(y) => run.push((x, y)),
            None => {
                flush(&mut run, &mut out);
                if out.last().is_none_or(|p| p.1.is_some()) {
                    out.push((x, None));
                }
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The stretches where the remaining budget is below zero, up to `end` at the latest.
fn overspent(points: &[(f64, Option<f64>)], end: Ts) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut open: Option<f64> = None;
    let mut prev: Option<f64> = None;
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
        out.push((a, end as f64));
    }
    out
}

fn burn_words(points: &[(f64, Option<f64>)], w: &Window, cal: &Calendar) -> String {
    let known: Vec<(f64, f64)> = points
        .iter()
        .filter_map(|&(x, y)| y.map(|y| (x, y)))
        .collect();
    let Some(&(_, now)) = known.last() else {
        return "No SLI data in the window yet: no burn-down.".to_string();
    };
    let (lx, low) = known
        .iter()
        .copied()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or((0.0, now));
    let low_day = day(cal.date_of(lx as Ts - 1));
    if w.calendar {
        let elapsed = (w.end - w.start) as f64 / (w.period_end - w.start).max(1) as f64;
        format!(
            "Error budget remaining against the expected whole-period traffic: {} on {}, where the ideal line is at {}.",
            signed_pct(now),
            day(cal.date_of(w.end - 1)),
            signed_pct(100.0 * (1.0 - elapsed))
        )
    } else {
        format!(
            "Error budget remaining of the {}-day window ending at each bucket: {} now, lowest {} on {}.",
            w.days,
            signed_pct(now),
            signed_pct(low),
            low_day
        )
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// A fraction as a percent with one more decimal than the objective has (99.9% -> 99.95%).
pub fn pct(v: f64, objective: f64) -> String {
    format!("{:.*}%", decimals(objective), v * 100.0)
}

/// An objective as a percent without trailing zeros: 0.999 -> "99.9%".
fn plain_pct(v: f64) -> String {
    let s = format!("{:.4}", v * 100.0);
    format!("{}%", s.trim_end_matches('0').trim_end_matches('.'))
}

/// Decimals to show SLIs of an objective with: its own percent decimals plus one, 1 to 4.
pub fn decimals(objective: f64) -> usize {
    let p = objective * 100.0;
    (0..=3)
        .find(|&d| {
            let s = p * 10f64.powi(d as i32);
            (s - s.round()).abs() < 1e-6
        })
        .map_or(4, |d| d + 1)
}

/// A percent value (already scaled) rounded to whole percent, with a true minus sign.
fn signed_pct(v: f64) -> String {
    let r = v.round();
    if r < 0.0 {
        format!("\u{2212}{}%", -r)
    } else {
        format!("{}%", r.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objective_decimals() {
        assert_eq!(decimals(0.999), 2);
        assert_eq!(decimals(0.99), 1);
        assert_eq!(decimals(0.9995), 3);
        assert_eq!(pct(0.99953, 0.999), "99.95%");
    }

    #[test]
    fn downsampling_keeps_gaps_and_ends() {
        // 1000 points with a gap at x = 500: two runs of 500 and 499, each cut to
        // ceil(500 x 100 / 1000) = 50 points, plus the gap.
        let pts: Vec<(f64, Option<f64>)> = (0..1000)
            .map(|i| (i as f64, (i != 500).then_some((i % 7) as f64)))
            .collect();
        let out = downsample(&pts, 100);
        assert_eq!(out.len(), 50 + 1 + 50);
        assert_eq!(out[0], (0.0, Some(0.0)));
        assert_eq!(out[50], (500.0, None));
        assert_eq!(out.last().unwrap().0, 999.0);
        let short = &pts[..10];
        assert_eq!(downsample(short, 100), short.to_vec());
    }

    fn def(window: crate::config::SloWindow) -> SloDef {
        SloDef {
            id: "checkout".into(),
            service: "shop".into(),
            objective: 0.99,
            window,
            description: String::new(),
            budgeting: crate::config::Budgeting::Occurrences,
            path: "almanac.toml".into(),
            line: 1,
        }
    }

    /// Hourly buckets of 100 requests from 1 to 3 November 2025 (UTC); the bucket at hour
    /// 30 (2 Nov 06:00) has 10 bad.
    fn hourly(d: &SloDef, cal: &Calendar) -> SliSeries {
        let start = cal.day_start(NaiveDate::from_ymd_opt(2025, 11, 1).unwrap());
        let rows: Vec<crate::model::SliRow> = (0..72)
            .map(|h| crate::model::SliRow {
                slo: 0,
                at: start + h * 3600,
                good: if h == 30 { 90 } else { 100 },
                total: 100,
            })
            .collect();
        SliSeries::new(d, &rows, cal)
    }

    #[test]
    fn calendar_burn_points_are_per_bucket_and_agree_with_the_daily_burn_down() {
        let cal = Calendar::new(
            chrono_tz::Tz::UTC,
            NaiveDate::from_ymd_opt(2025, 11, 3).unwrap(),
        );
        let d = def(crate::config::SloWindow::Month);
        let s = hourly(&d, &cal);
        let w = window(d.window, &cal, cal.as_of);
        let pts = burn_points(&d, &s, &cal, &w);
        assert_eq!(pts.len(), 72);
        // Expected total 100 x 720 hours = 72,000, budget 720: after hour 30, 1 - 10/720.
        assert!((pts[30].1.unwrap() - 100.0 * (1.0 - 10.0 / 720.0)).abs() < 1e-9);
        assert_eq!(pts[29].1, Some(100.0));
        let daily = burn_down_series(&d, &s, &cal, cal.as_of).points;
        for (k, (t, v)) in daily.iter().enumerate() {
            let fine = pts[24 * k + 23];
            assert_eq!(fine.0, *t as f64);
            assert!((fine.1.unwrap() - v.unwrap() * 100.0).abs() < 1e-9);
        }
        let spec = burn_spec(&d, &s, &cal);
        // The ideal line runs over the whole month; the x axis too.
        assert_eq!(spec.series[0].points.len(), 2);
        assert_eq!(
            spec.x,
            XAxis::Time {
                start: w.start,
                end: w.period_end,
                calendar: cal
            }
        );
    }

    #[test]
    fn sli_chart_is_daily_on_a_fitted_axis() {
        let cal = Calendar::new(
            chrono_tz::Tz::UTC,
            NaiveDate::from_ymd_opt(2025, 11, 3).unwrap(),
        );
        let d = def(crate::config::SloWindow::Rolling { days: 28 });
        let s = hourly(&d, &cal);
        let spec = sli_spec(&d, &s, &cal);
        // 2 Nov: 2,390 of 2,400 good = 99.583%, above the 99% objective, so nothing is
        // shaded; the chart starts at the first bucket's day and has three daily points.
        assert!(spec.shaded.is_empty());
        assert_eq!(spec.series[0].points.len(), 3);
        let v = spec.series[0].points[1].1.unwrap();
        assert!((v - 100.0 * 2390.0 / 2400.0).abs() < 1e-9);
        assert_eq!(spec.kind, ChartKind::Sli);
        assert_eq!(spec.thresholds, vec![("objective 99%".to_string(), 99.0)]);
    }

    #[test]
    fn overspent_stretches() {
        let pts = [
            (0.0, Some(10.0)),
            (1.0, Some(-5.0)),
            (2.0, Some(-1.0)),
            (3.0, Some(2.0)),
            (4.0, Some(-3.0)),
        ];
        // from the last point above zero to the last below it; open to the end
        assert_eq!(overspent(&pts, 9), vec![(0.0, 2.0), (3.0, 9.0)]);
        assert_eq!(signed_pct(-800.0), "\u{2212}800%");
    }
}
