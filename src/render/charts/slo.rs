//! SLO chart plan: takes the records (SLO definitions, incidents) and the metrics report
//! (calendar, each SLO's `SloDetail`) and returns each SLO's page charts, keyed
//! `slo:<id>`: the daily SLI with the objective line and the breaching days shaded, and the
//! error-budget burn-down at bucket resolution (as downsampled in metrics) with the ideal
//! line. It selects and words the report's figures; it computes none.

use crate::chart::{
    draw_with, Chart, ChartAnnotation, ChartKind, ChartSpec, Memo, Role, Series, Shade, XAxis,
};
use crate::config::SloDef;
use crate::metrics::slo::SloDetail;
use crate::metrics::trend::downsample;
use crate::metrics::Report;
use crate::model::Ts;
use crate::output::slug;
use crate::period::Calendar;
use crate::render::records::Records;
use chrono::{Duration, NaiveDate};
use rayon::prelude::*;

/// The `Charts` key of an SLO's page charts.
pub fn scope_key(id: &str) -> String {
    format!("slo:{id}")
}

/// At most this many burn-down points are drawn; longer series go through LTTB.
const MAX_POINTS: usize = 320;

/// Every SLO's page charts (SLI, then burn-down), keyed by `scope_key`, drawn in parallel.
pub fn build(
    records: &Records,
    report: &Report,
    memo: Option<&Memo>,
) -> Vec<(String, Vec<std::sync::Arc<Chart>>)> {
    let draw = |spec: &ChartSpec| draw_with(memo, spec);
    let cal = &report.calendar;
    records
        .slos
        .par_iter()
        .zip(report.slo_details.par_iter())
        .map(|(def, d)| {
            let anns = incidents(records, def, cal);
            let mut sli = sli_spec(def, d, cal);
            sli.annotations = anns.clone();
            let mut burn = burn_spec(def, d, cal);
            burn.annotations = anns;
            (scope_key(&def.id), vec![draw(&sli), draw(&burn)])
        })
        .collect()
}

/// Severity 1 and 2 incidents of the SLO's service, as chart annotations.
fn incidents(records: &Records, def: &SloDef, cal: &Calendar) -> Vec<ChartAnnotation> {
    let Some(service) = records.services.get(&def.service) else {
        return Vec::new();
    };
    let mut out: Vec<ChartAnnotation> = records
        .incidents
        .iter()
        .filter(|i| i.service == service && i.severity <= 2 && i.started_at < cal.as_of_end)
        .map(|i| super::incident_annotation(i, cal))
        .collect();
    out.sort_by(|a, b| (a.start, &a.title).cmp(&(b.start, &b.title)));
    out
}

/// The daily SLI over the chart's days, the objective as a threshold, breaching days shaded.
pub fn sli_spec(def: &SloDef, d: &SloDetail, cal: &Calendar) -> ChartSpec {
    let (from, to) = (d.sli_from, d.sli_to);
    let mid = |d: NaiveDate| (cal.day_start(d) + cal.day_start(d + Duration::days(1))) / 2;
    let points = d
        .daily
        .iter()
        .map(|&(d, v)| (mid(d) as f64, v.map(|v| v * 100.0)))
        .collect();
    let shaded = d
        .breaches
        .iter()
        .map(|b| {
            let end = cal.day_start(b.to + Duration::days(1));
            (cal.day_start(b.from) as f64, end as f64, Shade::Breach)
        })
        .collect();
    let objective = def.objective * 100.0;
    let span = format!("{} to {}", day(from), day(to));
    let desc = match d.lowest {
        None => format!("No SLI data from {span}."),
        Some((low_day, v)) => format!(
            "Daily SLI from {span}: lowest {} on {}; {} below the {} objective ({} stretches).",
            pct(v, def.objective),
            day(low_day),
            plural(d.breach_days as usize, "day"),
            plain_pct(def.objective),
            d.breaches.len()
        ),
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
pub fn burn_spec(def: &SloDef, d: &SloDetail, cal: &Calendar) -> ChartSpec {
    let w = &d.window;
    let percent = |p: &[(Ts, Option<f64>)]| -> Vec<(f64, Option<f64>)> {
        p.iter()
            .map(|&(t, v)| (t as f64, v.map(|v| v * 100.0)))
            .collect()
    };
    let shaded = d
        .overspent
        .iter()
        .map(|&(a, b)| (a as f64, b as f64, Shade::Breach))
        .collect();
    let remaining = Series {
        name: "budget remaining".to_string(),
        role: Role::Primary,
        // Drawn in percent, downsampled as drawn (ties between equal areas fall on the
        // same points as the values the chart shows).
        points: downsample(&percent(&d.burn), MAX_POINTS),
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
        desc: burn_words(d, cal),
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

fn burn_words(d: &SloDetail, cal: &Calendar) -> String {
    let w = &d.window;
    let (Some(now), Some((lx, low))) = (d.burn_now, d.burn_lowest) else {
        return "No SLI data in the window yet: no burn-down.".to_string();
    };
    let now = now * 100.0;
    match d.ideal_now {
        Some(ideal) => format!(
            "Error budget remaining against the expected whole-period traffic: {} on {}, where the ideal line is at {}.",
            signed_pct(now),
            day(cal.date_of(w.end - 1)),
            signed_pct(100.0 * ideal)
        ),
        None => format!(
            "Error budget remaining of the {}-day window ending at each bucket: {} now, lowest {} on {}.",
            w.days,
            signed_pct(now),
            signed_pct(low * 100.0),
            day(cal.date_of(lx - 1))
        ),
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
    use crate::metrics::slo::{detail, SliSeries};

    #[test]
    fn objective_decimals() {
        assert_eq!(decimals(0.999), 2);
        assert_eq!(decimals(0.99), 1);
        assert_eq!(decimals(0.9995), 3);
        assert_eq!(pct(0.99953, 0.999), "99.95%");
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

    fn cal() -> Calendar {
        Calendar::new(
            chrono_tz::Tz::UTC,
            NaiveDate::from_ymd_opt(2025, 11, 3).unwrap(),
        )
    }

    #[test]
    fn calendar_burn_down_runs_over_the_whole_month() {
        let cal = cal();
        let d = def(crate::config::SloWindow::Month);
        let detail = detail(&d, &hourly(&d, &cal), &cal, None);
        let spec = burn_spec(&d, &detail, &cal);
        let w = detail.window;
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
        // 72 hourly points, in percent: after hour 30, 100 x (1 - 10/720) = 98.61%.
        let remaining = &spec.series[1].points;
        assert_eq!(remaining.len(), 72);
        assert!((remaining[30].1.unwrap() - 100.0 * (1.0 - 10.0 / 720.0)).abs() < 1e-9);
        // Now 98.61% rounds to 99%; 3 of 30 days elapsed: the ideal line is at
        // 100 x (1 - 3/30) = 90%.
        assert_eq!(
            spec.desc,
            "Error budget remaining against the expected whole-period traffic: 99% on \
             3 Nov 2025, where the ideal line is at 90%."
        );
    }

    #[test]
    fn sli_chart_is_daily_on_a_fitted_axis() {
        let cal = cal();
        let d = def(crate::config::SloWindow::Rolling { days: 28 });
        let spec = sli_spec(&d, &detail(&d, &hourly(&d, &cal), &cal, None), &cal);
        // 2 Nov: 2,390 of 2,400 good = 99.583%, above the 99% objective, so nothing is
        // shaded; the chart starts at the first bucket's day and has three daily points.
        assert!(spec.shaded.is_empty());
        assert_eq!(spec.series[0].points.len(), 3);
        let v = spec.series[0].points[1].1.unwrap();
        assert!((v - 100.0 * 2390.0 / 2400.0).abs() < 1e-9);
        assert_eq!(spec.kind, ChartKind::Sli);
        assert_eq!(spec.thresholds, vec![("objective 99%".to_string(), 99.0)]);
        // The lowest day, 99.583%, shown with one decimal more than the objective's 0.
        assert_eq!(
            spec.desc,
            "Daily SLI from 1 Nov 2025 to 3 Nov 2025: lowest 99.6% on 2 Nov 2025; 0 days \
             below the 99% objective (0 stretches)."
        );
    }

    #[test]
    fn signed_percents() {
        assert_eq!(signed_pct(-800.0), "\u{2212}800%");
        assert_eq!(signed_pct(98.6), "99%");
    }
}
