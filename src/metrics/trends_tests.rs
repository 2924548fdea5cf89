//! Hand-computed checks of `trends`: period over period, the 13-week trend at the latest
//! week, and before/after medians around interventions, on small hand-built reports.

use super::*;
use crate::metrics::scope::{ScopeDef, ScopeKind};
use crate::metrics::trend::TrendVerdict;
use crate::metrics::Figures;
use crate::model::Better;
use crate::period::{Calendar, Period};
use chrono::NaiveDate;
use ComparisonVerdict::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn row(p: &Period, lead: Option<f64>, deploys: Option<u64>) -> Figures {
    Figures {
        scope: "team:shop".to_string(),
        period: p.key.clone(),
        start: p.first_day.to_string(),
        end: p.last_day.to_string(),
        partial: p.clipped,
        days: p.days,
        values: {
            let mut v = [None; Metric::COUNT];
            v[Metric::Deployments as usize] = deploys.map(|n| n as f64);
            v[Metric::DeploysPerWeek as usize] = deploys.map(|n| n as f64);
            v[Metric::LeadTimeMedianHours as usize] = lead;
            v
        },
        slos: Vec::new(),
    }
}

/// 16 weeks W18..W33 (as_of 2026-08-15): two weeks at 80, then 30..35 (W20..W25), 99 in
/// W26, then 19, 20, 18, 21, n/a, 17 (W27..W32) and 50 in W33.
pub(crate) fn weekly_lead_times() -> Vec<Option<f64>> {
    let mut w = vec![Some(80.0), Some(80.0)];
    w.extend([30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 99.0].map(Some));
    w.extend([
        Some(19.0),
        Some(20.0),
        Some(18.0),
        Some(21.0),
        None,
        Some(17.0),
    ]);
    w.push(Some(50.0));
    w
}

/// A report with one team scope whose weekly lead times are `weekly` (oldest first, the
/// last week containing `as_of`) and whose quarters carry `quarterly`.
pub(crate) fn report(as_of: &str, weekly: &[Option<f64>], quarterly: &[Option<f64>]) -> Report {
    let cal = Calendar::new(chrono_tz::UTC, d(as_of));
    let weeks = cal.periods(
        Grain::Week,
        d(as_of) - chrono::Duration::weeks(weekly.len() as i64 - 1),
    );
    assert_eq!(weeks.len(), weekly.len());
    let quarters = cal.periods(
        Grain::Quarter,
        d(as_of) - chrono::Duration::days(91 * (quarterly.len() as i64 - 1)),
    );
    assert_eq!(quarters.len(), quarterly.len());
    let mut series = BTreeMap::new();
    series.insert(
        Grain::Week,
        weeks
            .iter()
            .zip(weekly)
            .map(|(p, v)| row(p, *v, Some(5)))
            .collect(),
    );
    series.insert(
        Grain::Quarter,
        quarters
            .iter()
            .zip(quarterly)
            .map(|(p, v)| row(p, *v, None))
            .collect(),
    );
    let mut periods = BTreeMap::new();
    periods.insert(Grain::Week, weeks);
    periods.insert(Grain::Quarter, quarters);
    let r = Report {
        calendar: cal,
        slo_details: Vec::new(),
        slo_status: Vec::new(),
        slo_at: Vec::new(),
        trends: Trends::default(),
        incidents: Default::default(),
        monthly: Vec::new(),
        weekly: Vec::new(),
        quality: Default::default(),
        actions: Default::default(),
        retro_open: Vec::new(),
        versions: crate::metrics::definitions::Versions::current(),
        definition_changes: Vec::new(),
        quarters: Vec::new(),
        publications: Vec::new(),
        periods,
        scopes: vec![ScopeReport {
            context: Default::default(),
            scope: ScopeDef {
                key: "team:shop".to_string(),
                kind: ScopeKind::Team,
                id: "shop".to_string(),
                name: "Shop".to_string(),
                services: vec![0],
            },
            series,
            baselines: BTreeMap::new(),
        }],
    };
    with_annotations(r, &Dataset::default())
}

/// The report with each scope's chart context and its trends computed over `ds`'s
/// annotations (as `metrics::compute` does), on a config without teams.
pub(crate) fn with_annotations(mut r: Report, ds: &Dataset) -> Report {
    let config = crate::config::parse("title = \"Test\"\n").expect("a minimal config");
    for s in &mut r.scopes {
        s.context = crate::metrics::context::scope_context(&config, ds, &r.calendar, &s.scope);
    }
    r.trends = compute(&r, ds);
    r
}

fn def(id: &str, better: Better, tolerance: f64) -> MetricDef {
    MetricDef {
        path: String::new(),
        id: id.to_string(),
        name: id.to_string(),
        version: "1".to_string(),
        version_line: 0,
        owner: String::new(),
        unit: String::new(),
        better,
        tolerance,
        changelog: Vec::new(),
        body: String::new(),
    }
}

pub(crate) fn intervention_on(scope: Scope, date: &str) -> Annotation {
    Annotation {
        date: d(date),
        end_date: None,
        scope,
        kind: AnnotationKind::Intervention,
        title: "CI caching enabled".to_string(),
        link: None,
    }
}

#[test]
fn each_quarter_against_the_previous_one() {
    // Lead time by quarter: 20, 15, n/a, 16 (as_of 2026-08-15: 2025-Q4 .. 2026-Q3).
    let r = report(
        "2026-08-15",
        &[None],
        &[Some(20.0), Some(15.0), None, Some(16.0)],
    );
    let s = &r.scopes[0];
    let periods: Vec<&str> = s.series[&Grain::Quarter]
        .iter()
        .map(|f| f.period.as_str())
        .collect();
    assert_eq!(periods, ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]);
    let lead = series(s, Metric::LeadTimeMedianHours, &[]);
    // The first quarter has nothing to compare with. 15 against 20: absolute -5, relative
    // -5 / 20 = -0.25; lower is better -> improved. Then no data this quarter, then no data
    // the quarter before: both "n/a", never a change of 0.
    assert_eq!(lead.0, [None, Some(-5.0), None, None]);
    assert_eq!(lead.1, [None, Some(-0.25), None, None]);
    assert_eq!(
        lead.2,
        [NotComparable, Improved, NotComparable, NotComparable]
    );
    // A figure without data is "n/a" in every quarter, and so is a quarter the scope does
    // not have.
    assert_eq!(series(s, Metric::Deployments, &[]).2, [NotComparable; 4]);
    assert_eq!(
        change(s, Grain::Quarter, Metric::LeadTimeMedianHours, 4, &[]).verdict,
        NotComparable
    );
}

/// Figure `m` of every quarter of `s` against the quarter before (`change`): the absolute
/// changes, the relative changes and the verdicts.
fn series(
    s: &ScopeReport,
    m: Metric,
    defs: &[MetricDef],
) -> (Vec<Option<f64>>, Vec<Option<f64>>, Vec<ComparisonVerdict>) {
    let n = s.series[&Grain::Quarter].len();
    let all: Vec<Change> = (0..n)
        .map(|i| change(s, Grain::Quarter, m, i, defs))
        .collect();
    (
        all.iter().map(|c| c.absolute).collect(),
        all.iter().map(|c| c.relative).collect(),
        all.iter().map(|c| c.verdict).collect(),
    )
}

#[test]
fn the_sites_definition_sets_direction_and_tolerance() {
    // 15 against 20 is -25%: within a tolerance of 0.3 it reads "unchanged"; a site that
    // (oddly) calls higher lead time better reads the same fall as "worsened".
    // as_of 2026-06-30 ends Q2, so both quarters (Q1, Q2) are complete.
    let r = report("2026-06-30", &[None], &[Some(20.0), Some(15.0)]);
    let wide = [def("lead_time_median_hours", Better::Lower, 0.3)];
    let lead = |defs: &[MetricDef]| series(&r.scopes[0], Metric::LeadTimeMedianHours, defs).2[1];
    assert_eq!(lead(&wide), Unchanged);
    let odd = [def("lead_time_median_hours", Better::Higher, 0.05)];
    assert_eq!(lead(&odd), Worsened);
}

#[test]
fn the_trend_looks_at_the_last_13_weeks_only() {
    // 15 weeks: two old weeks at 1 h (which would break a monotonic fall), then
    // 26, 25, ..., 14 over the last 13 weeks (x = 0..12, y = 26 - x).
    // Theil-Sen: every pairwise slope is -1 -> slope -1, intercept 26.
    // Mann-Kendall: all 78 pairs fall, S = -78, Var = 13*12*31/18 = 268.67,
    // z = (-78 + 1) / 16.39 = -4.70, p ~ 2.6e-6 < 0.05 -> lower is better -> improving.
    // as_of 2026-08-16 is a Sunday, so W33 is complete.
    let mut weekly = vec![Some(1.0), Some(1.0)];
    weekly.extend((0..13).map(|i| Some(26.0 - i as f64)));
    let r = report("2026-08-16", &weekly, &[None]);
    let t = falls_by_one_to_w33(&r.scopes[0]);
    assert!(t.figures["lead_time_median_hours"].p_value.unwrap() < 1e-5);
    // Deployments are a flat 5 a week: S = 0, slope 0 -> no clear trend.
    assert_eq!(t.figures["deployments"].verdict, TrendVerdict::NoClearTrend);
    // A figure without data has no trend to speak of.
    assert_eq!(t.figures["incidents"].verdict, TrendVerdict::NotEnoughData);
}

#[test]
fn before_and_after_an_intervention_leave_its_week_out() {
    // as_of 2026-08-15 (a Saturday, in 2026-W33). 16 weeks: W18 .. W33.
    // Lead time: six weeks at 30, 31, 32, 33, 34, 35 (W20..W25), the intervention week W26
    // at 99, then 19, 20, 18, 21, n/a, 17 (W27..W32), then W33 at 50.
    // Intervention on Wednesday 2026-06-24 (inside W26, which starts Monday 2026-06-22).
    // Before = W20..W25 -> 30..35 -> median (32 + 33) / 2 = 32.5, 6 weeks with data.
    // After = W27..W32 -> 19, 20, 18, 21, 17 (one week without data) -> median 19, n = 5.
    // 19 against 32.5: relative -0.415, lower is better -> improved.
    let weekly = weekly_lead_times();
    let r = report("2026-08-15", &weekly, &[None]);
    assert_eq!(r.periods[&Grain::Week][8].key, "2026-W26");
    let a = intervention_on(Scope::Team("shop".into()), "2026-06-24");
    let ba = figure_before_after(&r.scopes[0], &r, Metric::LeadTimeMedianHours, a.date, &[]);
    assert_eq!(
        (ba.medians.before_median, ba.medians.before_n),
        (Some(32.5), 6)
    );
    assert_eq!(
        (ba.medians.after_median, ba.medians.after_n),
        (Some(19.0), 5)
    );
    assert_eq!(ba.verdict, Improved);
    // Deployments are 5 every week on both sides: unchanged.
    let dep = figure_before_after(&r.scopes[0], &r, Metric::DeploysPerWeek, a.date, &[]);
    assert_eq!(
        (
            dep.medians.before_median,
            dep.medians.after_median,
            dep.verdict
        ),
        (Some(5.0), Some(5.0), Unchanged)
    );
}

#[test]
fn interventions_belong_to_the_scope_they_annotate() {
    let weekly: Vec<Option<f64>> = (0..16).map(|i| Some(40.0 - i as f64)).collect();
    let r = report("2026-08-15", &weekly, &[None]);
    let ds = Dataset {
        annotations: vec![
            intervention_on(Scope::Team("shop".into()), "2026-06-24"),
            intervention_on(Scope::Team("web".into()), "2026-06-24"),
            Annotation {
                kind: AnnotationKind::Launch,
                ..intervention_on(Scope::Team("shop".into()), "2026-07-01")
            },
        ],
        ..Dataset::default()
    };
    let t = with_annotations(r, &ds).trends;
    assert_eq!(t.as_of, "2026-08-15");
    assert_eq!(t.method.before_after_weeks, 6);
    let shop = &t.scopes[0];
    // Only the shop team's intervention, not the web team's nor the shop launch.
    assert_eq!(shop.interventions.len(), 1);
    let i = &shop.interventions[0];
    assert_eq!((i.date.as_str(), i.weeks), ("2026-06-24", 6));
    assert_eq!(i.figures.keys().copied().collect::<Vec<_>>(), {
        let mut k: Vec<&str> = INTERVENTION_KEYS.iter().map(|m| m.key()).collect();
        k.sort_unstable();
        k
    });
    // Weeks 0..15 hold 40 - i; the intervention is in week 8 (2026-W26).
    // Before = weeks 2..7 -> 38..33 -> (36 + 35) / 2 = 35.5; after = weeks 9..14 -> 31..26 -> 28.5.
    let lead = i.figures["lead_time_median_hours"].medians;
    assert_eq!(
        (lead.before_median, lead.after_median),
        (Some(35.5), Some(28.5))
    );
    assert_eq!(scope_key(&Scope::Service("api".into())), "service:api");
    assert_eq!(scope_key(&Scope::Org), "org");
}

/// Checks the trend of the worked example (lead time 26 - x over the 13 weeks to
/// 2026-W33: slope -1, intercept 26, improving) and returns it.
fn falls_by_one_to_w33(s: &ScopeReport) -> LatestTrend {
    let t = latest_trend(s, &[]);
    assert_eq!(t.week.as_deref(), Some("2026-W33"));
    assert_eq!(t.weeks, 13);
    let lead = t.figures["lead_time_median_hours"];
    assert_eq!(lead.n, 13);
    assert_eq!(
        (lead.slope_per_period, lead.intercept),
        (Some(-1.0), Some(26.0))
    );
    assert_eq!(lead.verdict, TrendVerdict::Improving);
    t
}

#[test]
fn the_13_week_trend_ignores_a_partial_week() {
    // as_of Wednesday 2026-08-19: W34 (Mon 17 .. Wed 19 August) is partial, 3 of 7 days.
    // The weeks of the worked example above (1, 1, then 26 .. 14 over W21 .. W33), then
    // W34 at 100 h. The window is the last 13 COMPLETE weeks, W21 .. W33: y = 26 - x for
    // x = 0..12, so Theil-Sen slope -1, intercept 26, and "improving" as above. Were the
    // partial week in it, the window would be 25 .. 14, 100: the pairs with 100 rise
    // (12 of 78), S = -66 + 12 = -54 and the median slope would no longer be -1.
    let mut weekly = vec![Some(1.0), Some(1.0)];
    weekly.extend((0..13).map(|i| Some(26.0 - i as f64)));
    weekly.push(Some(100.0));
    let r = report("2026-08-19", &weekly, &[None]);
    let last = r.periods[&Grain::Week].last().unwrap();
    assert_eq!(
        (last.key.as_str(), last.clipped, last.days),
        ("2026-W34", true, 3)
    );
    let s = &r.scopes[0];
    assert!(s.series[&Grain::Week].last().unwrap().partial);
    assert_eq!(s.complete(Grain::Week).len(), 15);
    falls_by_one_to_w33(s);
    assert_eq!(
        trend_window(s, Metric::LeadTimeMedianHours).last(),
        Some(&Some(14.0))
    );
    // The rolling median stops at the last complete week: W33's is the median of
    // 18, 17, 16, 15, 14 = 16; the partial week has none.
    let rolling = r.trends.scopes[0]
        .rolling_of(Metric::LeadTimeMedianHours)
        .unwrap();
    assert_eq!(rolling.len(), 16);
    assert_eq!(&rolling[14..], &[Some(16.0), None]);
}

#[test]
fn a_partial_week_is_on_neither_side_of_a_before_after() {
    // as_of Wednesday 2026-08-19; weeks W18 .. W34 (17), W34 partial at 1 h. Intervention on
    // 2026-07-29 (in W31, left out). After = the complete weeks from W32: W32, W33 (the
    // partial W34 is not one of them) -> lead times 17 and 50 -> median 33.5, n = 2. Were
    // W34 counted, the median of 17, 50, 1 would be 17 with n = 3.
    let mut weekly = weekly_lead_times();
    weekly.push(Some(1.0));
    let r = report("2026-08-19", &weekly, &[None]);
    assert_eq!(r.periods[&Grain::Week][13].key, "2026-W31");
    after_july_29_is_w32_and_w33(&r);
}

/// Checks the lead time's before/after around an intervention on 2026-07-29 (in W31,
/// index 13, left out) in a report whose complete weeks run W18 .. W33 with the lead times
/// of `weekly_lead_times`: after = W32, W33 -> 17, 50 -> (17 + 50) / 2 = 33.5, n = 2, and
/// the chart of it shows W25 .. W33 (indices 7..16). Returns the before/after.
fn after_july_29_is_w32_and_w33(r: &Report) -> BeforeAfterFigure {
    let july_29 = d("2026-07-29");
    let ba = figure_before_after(&r.scopes[0], r, Metric::LeadTimeMedianHours, july_29, &[]);
    assert_eq!(
        (ba.medians.after_median, ba.medians.after_n),
        (Some(33.5), 2)
    );
    assert_eq!(shown_weeks(r, july_29), 7..16);
    ba
}

#[test]
fn a_partial_quarter_is_compared_with_the_same_days_of_the_previous_one() {
    // as_of 2026-08-15: Q3 is partial (1 Jul .. 15 Aug, 46 days). Lead time: Q2 whole 20 h,
    // Q3 to date 16 h; Q2 over its first 46 days (1 Apr .. 16 May) 8 h.
    // The rule compares Q3 to date with Q2's first 46 days: 16 against 8 is +8, relative
    // +1.0 -> worsened (lower is better). Against the whole Q2 (20) it would read
    // "improved" (-20%): a verdict a partial quarter cannot support.
    let mut r = report("2026-08-15", &[None], &[Some(20.0), Some(16.0)]);
    let q3 = r.periods[&Grain::Quarter][1].clone();
    assert_eq!(
        (q3.key.as_str(), q3.clipped, q3.days),
        ("2026-Q3", true, 46)
    );
    let base = r.calendar.baseline(&q3).unwrap();
    assert_eq!(
        (base.key.as_str(), base.first_day, base.last_day, base.days),
        ("2026-Q2", d("2026-04-01"), d("2026-05-16"), 46)
    );
    r.scopes[0]
        .baselines
        .insert(Grain::Quarter, row(&base, Some(8.0), None));
    let lead = series(&r.scopes[0], Metric::LeadTimeMedianHours, &[]);
    assert_eq!(lead.0[1], Some(8.0));
    assert_eq!(lead.1[1], Some(1.0));
    assert_eq!(lead.2[1], Worsened);
    // `vs_previous`, which `data/` exports carry for a partial period, holds the figures
    // that can be compared: the lead time alone (these quarters carry no deployments),
    // with the same +8 h, +1.0, worsened; the trends keep it for the partial quarter.
    let changes = vs_previous(&r.scopes[0], Grain::Quarter, 1, &[]);
    let worsened = Change {
        absolute: Some(8.0),
        relative: Some(1.0),
        verdict: Worsened,
    };
    assert_eq!(
        changes.into_iter().collect::<Vec<_>>(),
        [("lead_time_median_hours", worsened)]
    );
    let partial = &compute(&r, &Dataset::default()).scopes[0].partial;
    assert_eq!(partial[&Grain::Quarter]["lead_time_median_hours"], worsened);
    // Without a baseline (no earlier quarter) a partial quarter gets no verdict at all,
    // never one against a whole quarter.
    r.scopes[0].baselines.clear();
    assert_eq!(
        series(&r.scopes[0], Metric::LeadTimeMedianHours, &[]).2[1],
        NotComparable
    );
}

#[test]
fn a_complete_last_week_is_on_the_after_side() {
    // as_of Sunday 2026-08-16: W33 (10 .. 16 August) is complete, so it counts. Weeks
    // W18 .. W33 (16) with the lead times of `weekly_lead_times`; intervention on
    // 2026-07-29 (in W31, index 13, left out). Before = W25 .. W30 (indices 7..13):
    // 35, 99, 19, 20, 18, 21 -> sorted 18, 19, 20, 21, 35, 99 -> (20 + 21) / 2 = 20.5.
    // After = W32, W33 (indices 14, 15): 17, 50 -> 33.5, n = 2; 33.5 against 20.5 is
    // worse (lower is better). Were W33 dropped as if partial, the after would be 17
    // alone (n = 1), the verdict "improved" and the chart would end at W32 (7..15).
    let r = report("2026-08-16", &weekly_lead_times(), &[None]);
    let last = r.periods[&Grain::Week].last().unwrap();
    assert_eq!((last.key.as_str(), last.clipped), ("2026-W33", false));
    let ba = after_july_29_is_w32_and_w33(&r);
    assert_eq!(
        (ba.medians.before_median, ba.medians.before_n),
        (Some(20.5), 6)
    );
    assert_eq!(ba.verdict, Worsened);
}
