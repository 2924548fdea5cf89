//! Tests of `trend_plan`: the before/after chart of an intervention (its window, and
//! medians that agree with `metrics::trends`), results on intervention markers, and the
//! trend note beside a chart.

use super::*;
use crate::chart::draw;
use crate::metrics::trends::shown_weeks;
use crate::metrics::trends::tests::{
    intervention_on, report, weekly_lead_times as weekly, with_annotations,
};
use crate::model::{Dataset, Scope};

#[test]
fn the_before_after_chart_shows_six_weeks_each_side_and_the_same_medians() {
    let r = report("2026-08-15", &weekly(), &[None]);
    // Wednesday 2026-06-24 is inside W26 (index 8): W20..W25, W26, W27..W32 = 13 weeks.
    let a = intervention_on(Scope::Team("shop".into()), "2026-06-24");
    assert_eq!(shown_weeks(&r, a.date), 2..15);
    // On Monday 2026-06-29, W27 starts that day: nothing is left out, W21..W26 | W27..W32.
    let monday = intervention_on(Scope::Team("shop".into()), "2026-06-29");
    assert_eq!(shown_weeks(&r, monday.date), 3..15);
    let ds = Dataset {
        annotations: vec![a.clone()],
        ..Dataset::default()
    };
    let r = with_annotations(r, &ds);
    let s = &r.scopes[0];
    let specs = before_after_specs(s, &r, &ds.metric_defs);
    assert_eq!(specs.len(), 1);
    let spec = &specs[0];
    assert_eq!(spec.id, "team-shop-intervention-1");
    // Before: 30..35 -> 32.5 (6 weeks); after: 19, 20, 18, 21, 17 -> 19 (5 weeks); W26 out.
    // Whole hours from 10 h: 32.5 prints as "32 h" (Rust rounds the tie to even).
    let side = |median, n, label: &str| SideMedian {
        median: Some(median),
        n,
        label: label.to_string(),
    };
    assert_eq!(
        spec.kind,
        ChartKind::BeforeAfter {
            at: a.date,
            before: side(32.5, 6, "before: median 32 h (n=6)"),
            after: side(19.0, 5, "after: median 19 h (n=5)"),
        }
    );
    assert_eq!(
        spec.desc,
        "Lead time for changes (median) 32 h -> 19 h after 'CI caching enabled': weekly \
         medians of 6 weeks with data before and 5 after; the week of the change is left out \
         of both."
    );
    // On a Monday nothing is left out (W21..W26 | W27..W32, as `shown_weeks` says above),
    // and the description says so.
    let ds_monday = Dataset {
        annotations: vec![monday],
        ..Dataset::default()
    };
    let r_monday = with_annotations(report("2026-08-15", &weekly(), &[None]), &ds_monday);
    let on_monday = &before_after_specs(&r_monday.scopes[0], &r_monday, &[])[0];
    assert!(
        on_monday
            .desc
            .ends_with("; the change starts its week, which counts as after."),
        "{}",
        on_monday.desc
    );
    let chart = draw(spec);
    assert_eq!(chart.table.rows.len(), 13);
    assert_eq!(chart.table.rows[6][2], "intervention period");
    assert_eq!(chart.table.footer[0][1], "32.5");
    assert_eq!(chart.table.footer[1][1..], ["19", "n=5"]);
    assert!(chart.svg.contains("role=\"img\"") && chart.svg.contains("<desc"));
    assert!(chart.svg.contains(">before: median 32 h (n=6)</text>"));
}

#[test]
fn intervention_markers_carry_the_charts_own_before_after() {
    let ds = Dataset {
        annotations: vec![intervention_on(Scope::Team("shop".into()), "2026-06-24")],
        ..Dataset::default()
    };
    let r = with_annotations(report("2026-08-15", &weekly(), &[None]), &ds);
    let marker = |kind| ChartAnnotation {
        start: d("2026-06-24"),
        end: None,
        kind,
        title: "CI caching".to_string(),
        link: None,
    };
    let mut anns = vec![
        marker(AnnotationKind::Intervention),
        marker(AnnotationKind::Launch),
    ];
    with_results(
        &mut anns,
        Metric::LeadTimeMedianHours,
        &r.scopes[0],
        &r,
        &[],
    );
    assert_eq!(
        anns[0].title,
        "CI caching — Lead time for changes (median): 32 h → 19 h (weekly medians of 6 weeks \
         before and 5 after; improved)"
    );
    assert_eq!(anns[1].title, "CI caching");
    // The deployments bars use deploys per week: 5 a week on both sides.
    assert_eq!(
        result_line(Metric::Deployments, &r.scopes[0], &r, d("2026-06-24"), &[]),
        "Deployment frequency: 5 /wk → 5 /wk (weekly medians of 6 weeks before and 6 after; \
         unchanged)"
    );
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn the_trend_note_words_the_last_13_weeks() {
    // The last 13 weeks of `weekly()` (W21..W33) have no monotonic run: 31..35, 99, then
    // 19..17 and 50 -> no clear trend, with its p-value.
    let r = report("2026-08-15", &weekly(), &[None]);
    let n = trend_note(Metric::LeadTimeMedianHours, &r.trends.scopes[0]);
    assert_eq!((n.verdict, n.class), ("no clear trend", "flat"));
    assert!(n.detail.starts_with("Mann-Kendall p = "), "{}", n.detail);
    assert!(n.detail.ends_with(", last 13 weeks"));
    // 26 - x over the last 13 weeks falls every week: improving (lower is better).
    let mut falling = vec![None, None];
    falling.extend((0..13).map(|i| Some(26.0 - i as f64)));
    let r = report("2026-08-15", &falling, &[None]);
    let n = trend_note(Metric::LeadTimeMedianHours, &r.trends.scopes[0]);
    assert_eq!((n.verdict, n.class), ("improving", "improving"));
    assert_eq!(n.detail, "Mann-Kendall p < 0.001, last 13 weeks");
    // No incidents at all: not enough data, said plainly.
    let n = trend_note(Metric::Incidents, &r.trends.scopes[0]);
    assert_eq!((n.verdict, n.class), ("not enough data", "na"));
    assert_eq!(n.detail, "0 weeks with data of the last 13");
}

#[test]
fn the_chart_draws_the_reports_before_after_result() {
    // One implementation: the report's result for the intervention is the one the chart's
    // description, footer and median lines show.
    // `weekly()` holds W18..W33; the change on Wednesday 2026-06-24 falls in W26 (index 8).
    // Before W20..W25 = 30, 31, 32, 33, 34, 35 -> (32 + 33) / 2 = 32.5, n = 6.
    // After W27..W32 = 19, 20, 18, 21, (none), 17 -> sorted 17, 18, 19, 20, 21 -> 19, n = 5.
    let ds = Dataset {
        annotations: vec![intervention_on(Scope::Team("shop".into()), "2026-06-24")],
        ..Dataset::default()
    };
    let r = with_annotations(report("2026-08-15", &weekly(), &[None]), &ds);
    let iv = &r.trends.scopes[0].interventions[0];
    let lead = iv.figures["lead_time_median_hours"].medians;
    assert_eq!((lead.before_median, lead.before_n), (Some(32.5), 6));
    assert_eq!((lead.after_median, lead.after_n), (Some(19.0), 5));
    assert_eq!(iv.shown, 2..15);
    // The same figure as a marker on the scope's charts.
    assert_eq!(
        r.trends.scopes[0]
            .marker(d("2026-06-24"), Metric::LeadTimeMedianHours)
            .map(|f| f.medians),
        Some(lead)
    );
    let chart = draw(&before_after_specs(&r.scopes[0], &r, &ds.metric_defs)[0]);
    assert_eq!(chart.table.footer[0][1], "32.5");
    assert_eq!(chart.table.footer[0][2], "n=6");
    assert_eq!(chart.table.footer[1][1..], ["19", "n=5"]);
}
