//! SLO pages: takes the `Site` (config, records, the report with each SLO's status and page
//! facts, charts) and returns `slos/index.html` and one `slos/<id>.html` per SLO: headline
//! figures, the SLI and burn-down charts, burn rates, breaching stretches, the multiwindow
//! alert table for the current quarter, and the definition and owner.

use crate::config::{Budgeting, SloDef};
use crate::metrics::scope::ScopeKind;
use crate::metrics::slo::{self, AlertPair, Exhaustion, SloDetail, SloFigures};
use crate::model::{DAY, HOUR};
use crate::period::{Calendar, Grain};
use crate::render::charts::slo::{decimals, scope_key};
use crate::render::charts::ChartView;
use crate::render::context::root_of;
use crate::render::paths::scope_path;
use crate::render::registry::{Kind, PageKind, PageOf, Source};
use crate::render::site::Site;
use crate::render::slo::{
    budget_text, burn_text, exhaustion_text, owner, pct_plain, section, slo_path, status_class,
    window_text, SloSection,
};
use crate::render::words::grouped;
use chrono::NaiveDate;
use serde::Serialize;
use std::sync::Arc;

#[derive(Serialize)]
struct Link {
    name: String,
    href: String,
}

#[derive(Serialize)]
struct BurnRow {
    span: &'static str,
    value: String,
    lasts: String,
    note: String,
}

#[derive(Serialize)]
struct BreachRow {
    from: String,
    to: String,
    days: u32,
    worst: String,
}

#[derive(Serialize)]
struct AlertRow {
    long: &'static str,
    short: &'static str,
    share: String,
    factor: String,
    result: &'static str,
    result_class: &'static str,
    first_fired: String,
    fired: String,
    note: String,
}

#[derive(Serialize)]
pub struct SloView {
    id: String,
    description: String,
    service: Link,
    team: Option<Link>,
    objective: String,
    window: String,
    budgeting: String,
    source: String,
    status: &'static str,
    status_class: &'static str,
    attainment: String,
    below: bool,
    budget: String,
    overspent: bool,
    exhaustion: String,
    exhaustion_note: String,
    window_span: String,
    counts: String,
    views: Vec<String>,
    burn_rates: Vec<BurnRow>,
    charts: Vec<ChartView>,
    sli_span: String,
    breaches: Vec<BreachRow>,
    /// What the breaches section says when there is no breach: how many of the chart's days
    /// have SLI data, since a day without data is not a day above the objective.
    no_breach: String,
    alert_period: String,
    alerts: Vec<AlertRow>,
}

#[derive(Serialize)]
pub struct SloIndexView {
    slos: SloSection,
}

/// `slos/index.html`: every SLO, sorted by risk.
pub struct SloIndex;

impl PageKind for SloIndex {
    type View = SloIndexView;
    const KIND: Kind = Kind {
        name: "slo-index",
        pattern: "slos/index.html",
        template: "slos.html",
        reads: SLO_READS,
    };
    fn pages(site: &Site) -> Vec<PageOf<SloIndexView>> {
        vec![index(site, &site.report.slo_status)]
    }
}

/// `slos/{slo}.html`: one SLO's figures, charts, burn rates, breaches and alerts.
pub struct SloPage;

impl PageKind for SloPage {
    type View = SloView;
    const KIND: Kind = Kind {
        name: "slo",
        pattern: "slos/{slo}.html",
        template: "slo.html",
        reads: SLO_READS,
    };
    fn pages(site: &Site) -> Vec<PageOf<SloView>> {
        site.records
            .slos
            .iter()
            .zip(&site.report.slo_details)
            .zip(&site.report.slo_status)
            .map(|((def, s), f)| page(site, def, s, f))
            .collect()
    }
}

/// An SLO's figures come from its SLI rows; its charts mark incidents and annotations.
const SLO_READS: &[Source] = &[
    Source::Config,
    Source::Slos,
    Source::Sli,
    Source::Incidents,
    Source::Annotations,
];

fn index(site: &Site, figures: &[Arc<SloFigures>]) -> PageOf<SloIndexView> {
    let path = "slos/index.html";
    let mut slos = section(site.config, &site.records, figures, &root_of(path));
    slos.standalone = true;
    PageOf {
        path: path.to_string(),
        title: "SLOs".to_string(),
        view: SloIndexView { slos },
    }
}

fn page(site: &Site, def: &SloDef, d: &SloDetail, f: &SloFigures) -> PageOf<SloView> {
    let path = slo_path(&def.id);
    let root = root_of(&path);
    let cal = &site.report.calendar;
    let team = owner(site.config, &site.records, &def.service).map(|(id, name)| Link {
        name: name.to_string(),
        href: format!("{root}{}", scope_path(ScopeKind::Team, id)),
    });
    let view = SloView {
        id: def.id.clone(),
        description: def.description.clone(),
        service: Link {
            name: def.service.clone(),
            href: format!("{root}{}", scope_path(ScopeKind::Service, &def.service)),
        },
        team,
        objective: pct_plain(def.objective),
        window: window_text(&f.window),
        budgeting: budgeting_text(def, d.resolution),
        source: format!("{}:{}", def.path, def.line),
        status: f.status.as_str(),
        status_class: status_class(f.status),
        attainment: f.attainment.map_or("n/a".to_string(), |a| {
            crate::render::charts::slo::pct(a, def.objective)
        }),
        below: f.attainment.is_some_and(|a| a < def.objective - slo::EPS),
        budget: budget_text(f.error_budget_remaining),
        overspent: f.error_budget_remaining.is_some_and(|b| b < 0.0),
        exhaustion: exhaustion_text(f.exhaustion),
        exhaustion_note: exhaustion_note(f),
        window_span: window_span(d, cal),
        counts: counts(f),
        views: views(def, d, cal, f),
        burn_rates: burn_rates(f, d.resolution, d.window.days),
        charts: site.charts.views_for(&scope_key(&def.id), &root),
        sli_span: String::new(),
        breaches: Vec::new(),
        no_breach: String::new(),
        alert_period: String::new(),
        alerts: Vec::new(),
    };
    PageOf {
        view: with_history(view, def, d, cal, site),
        title: def.id.clone(),
        path,
    }
}

/// The sentence for no day below the objective over `span`, the SLI chart's days, which
/// judges only the days with SLI data: none at all is n/a, not a clean record.
fn no_breach(span: &str, daily: &[(NaiveDate, Option<f64>)]) -> String {
    let known = daily.iter().filter(|(_, v)| v.is_some()).count();
    match (known, daily.len()) {
        (0, _) => format!("No SLI data from {span}: no day to judge (n/a)."),
        (k, n) if k < n => format!(
            "No day with SLI data from {span} had a daily SLI below the objective; {k} of {n} days have data."
        ),
        _ => format!("No day from {span} had a daily SLI below the objective."),
    }
}

/// Adds the breaching stretches (over the SLI chart's days) and the current quarter's alerts.
fn with_history(
    mut page: SloView,
    def: &SloDef,
    d: &SloDetail,
    cal: &Calendar,
    site: &Site,
) -> SloView {
    page.sli_span = format!("{} to {}", day(d.sli_from), day(d.sli_to));
    page.no_breach = no_breach(&page.sli_span, &d.daily);
    let places = decimals(def.objective);
    page.breaches = d
        .breaches
        .iter()
        .rev()
        .map(|b| BreachRow {
            from: b.from.to_string(),
            to: b.to.to_string(),
            days: b.days,
            worst: format!("{:.*}%", places, b.worst * 100.0),
        })
        .collect();
    if let Some(q) = site
        .report
        .periods
        .get(&Grain::Quarter)
        .and_then(|p| p.last())
    {
        page.alert_period = format!(
            "{} ({} to {}{})",
            q.key,
            day(q.first_day),
            day(q.last_day),
            if q.clipped { ", to date" } else { "" }
        );
        page.alerts = d.alerts.iter().map(|p| alert_row(p, cal)).collect();
    }
    page
}

fn alert_row(p: &AlertPair, cal: &Calendar) -> AlertRow {
    let (result, class) = match (p.computable, p.fired) {
        (false, _) => ("not computable", "na"),
        (true, true) => ("fired", "fired"),
        (true, false) => ("did not fire", "quiet"),
    };
    AlertRow {
        long: p.long,
        short: p.short,
        share: pct_plain(p.budget_share),
        factor: trim(format!("{:.4}", p.factor)),
        result,
        result_class: class,
        first_fired: p.first_fired.map_or(String::new(), |t| cal.local_time(t)),
        fired: if p.computable {
            format!(
                "{} of {} bucket ends",
                grouped(p.fired_buckets),
                grouped(p.evaluated_buckets)
            )
        } else {
            String::new()
        },
        note: p.note.as_deref().map_or(String::new(), |n| {
            n.strip_prefix("not computable: ").unwrap_or(n).to_string()
        }),
    }
}

fn budgeting_text(def: &SloDef, resolution: Option<i64>) -> String {
    match def.budgeting {
        Budgeting::Occurrences => "occurrences: good requests over all requests".to_string(),
        Budgeting::Timeslices { target } => format!(
            "timeslices: good slices over all slices; a slice is one SLI bucket{} with traffic, good when at least {} of its requests are good",
            resolution
                .map_or(String::new(), |r| format!(" ({})", slo::duration_label(r))),
            pct_plain(target)
        ),
    }
}

fn window_span(d: &SloDetail, cal: &Calendar) -> String {
    let w = &d.window;
    let to_date = cal.as_of.min(w.last_day);
    if w.calendar {
        let whole = format!(
            "{} to {}, {}",
            day(w.first_day),
            day(w.last_day),
            crate::render::words::count(w.days, "day")
        );
        if to_date < w.last_day {
            format!("{whole}; evaluated to the end of {}", day(to_date))
        } else {
            whole
        }
    } else {
        format!("{} to {}", day(w.first_day), day(w.last_day))
    }
}

fn counts(f: &SloFigures) -> String {
    if f.total == 0 && f.slices.unwrap_or(0) == 0 {
        return "No SLI data in the window.".to_string();
    }
    let requests = format!(
        "{} of {} requests good ({} bad)",
        grouped(f.good),
        grouped(f.total),
        grouped(f.total - f.good.min(f.total))
    );
    match (f.good_slices, f.slices) {
        (Some(g), Some(n)) => format!(
            "{} of {} slices good ({} bad); {requests}.",
            grouped(g),
            grouped(n),
            grouped(n - g.min(n))
        ),
        _ => format!("{requests}."),
    }
}

/// Which view of the budget each number uses.
fn views(def: &SloDef, d: &SloDetail, cal: &Calendar, f: &SloFigures) -> Vec<String> {
    let w = &d.window;
    let unit = match def.budgeting {
        Budgeting::Occurrences => "requests",
        Budgeting::Timeslices { .. } => "slices",
    };
    if !w.calendar {
        return vec![format!(
            "Budget remaining, attainment and the burn-down all judge the budget against the {unit} in the {}-day window: the headline figures are for the window ending with {}; the burn-down shows the window ending at each bucket.",
            w.days,
            day(cal.as_of)
        )];
    }
    let so_far = f.slices.unwrap_or(f.total);
    vec![
        format!(
            "Budget remaining ({}) and attainment judge the budget against the {unit} so far: {} in the {} to date.",
            budget_text(f.error_budget_remaining),
            grouped(so_far),
            window_text(&f.window)
        ),
        format!(
            "The burn-down chart judges it against the expected whole-period traffic, as Sloth does: {} {unit} (the mean per bucket so far \u{d7} the buckets in the whole period), which leaves {} of the budget. Time to exhaustion and the at-risk status use this view.",
            d.expected_total.map_or("n/a".to_string(), |e| grouped(e.round() as u64)),
            budget_text(d.remaining_of_expected)
        ),
    ]
}

/// The burn-rate table; `window_days` is the whole window's (or calendar period's) length.
fn burn_rates(f: &SloFigures, resolution: Option<i64>, window_days: u32) -> Vec<BurnRow> {
    let spans: [(&'static str, Option<f64>, i64); 5] = [
        ("1 hour", f.burn_rate_1h, HOUR),
        ("6 hours", f.burn_rate_6h, 6 * HOUR),
        ("1 day", f.burn_rate_1d, DAY),
        ("7 days", f.burn_rate_7d, 7 * DAY),
        ("window", f.burn_rate_window, 0),
    ];
    let days = window_days.max(1) as f64;
    spans
        .iter()
        .map(|&(span, v, secs)| BurnRow {
            span,
            value: burn_text(v),
            lasts: v.map_or(String::new(), |b| lasts(b, days)),
            note: match (v, resolution) {
                (Some(_), _) => String::new(),
                (None, Some(r)) if secs > 0 && secs < DAY && r > secs => format!(
                    "needs buckets of {} or finer; the data has {} buckets",
                    slo::duration_label(secs),
                    slo::duration_label(r)
                ),
                (None, _) => "no data in the span".to_string(),
            },
        })
        .collect()
}

/// Why the budget runs out, or not, at the 7-day burn rate, in words.
fn exhaustion_note(f: &SloFigures) -> String {
    let calendar = f.window == "month" || f.window == "quarter";
    match f.exhaustion {
        Exhaustion::Unknown => "no data to tell".to_string(),
        Exhaustion::Spent => "the budget is spent".to_string(),
        Exhaustion::In(_) if calendar => format!(
            "before the {} ends, at the 7-day burn rate",
            window_text(&f.window).trim_start_matches("calendar ")
        ),
        Exhaustion::In(_) => "the 7-day burn rate is above 1".to_string(),
        Exhaustion::NotAtThisRate if calendar => format!(
            "at the 7-day burn rate the budget outlasts the {}",
            window_text(&f.window).trim_start_matches("calendar ")
        ),
        Exhaustion::NotAtThisRate => {
            "a rolling budget runs out only at a burn rate above 1".to_string()
        }
    }
}

/// How long a window's whole budget lasts at burn rate `b`, in words: "the whole window"
/// at 1, "longer than the window" below 1.
fn lasts(b: f64, window_days: f64) -> String {
    let Some(hours) = slo::budget_lasts_hours(b, window_days) else {
        return "nothing spent".to_string();
    };
    if (b - 1.0).abs() <= slo::EPS {
        return "the whole window".to_string();
    }
    if b < 1.0 {
        return "longer than the window".to_string();
    }
    if hours < 48.0 {
        format!("{} h", trim(format!("{hours:.1}")))
    } else {
        format!("{} days", trim(format!("{:.1}", hours / 24.0)))
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three chart days: with SLI data on all, on one, and on none. Only days with data
    /// are judged; none at all is n/a.
    #[test]
    fn no_breach_counts_only_days_with_data() {
        let d = |n| NaiveDate::from_ymd_opt(2026, 6, n).unwrap();
        let span = "1 Jun 2026 to 3 Jun 2026";
        assert_eq!(
            no_breach(
                span,
                &[(d(1), Some(0.999)), (d(2), Some(1.0)), (d(3), Some(0.9995))]
            ),
            "No day from 1 Jun 2026 to 3 Jun 2026 had a daily SLI below the objective."
        );
        assert_eq!(
            no_breach(span, &[(d(1), None), (d(2), Some(1.0)), (d(3), None)]),
            "No day with SLI data from 1 Jun 2026 to 3 Jun 2026 had a daily SLI below the objective; 1 of 3 days have data."
        );
        assert_eq!(
            no_breach(span, &[(d(1), None), (d(2), None), (d(3), None)]),
            "No SLI data from 1 Jun 2026 to 3 Jun 2026: no day to judge (n/a)."
        );
    }

    #[test]
    fn numbers_for_people() {
        // 28 days at burn rate 14 -> 2 days = 48 h; at 2 -> 14 days; at 56 -> 12 h
        assert_eq!(lasts(14.0, 28.0), "2 days");
        assert_eq!(lasts(56.0, 28.0), "12 h");
        assert_eq!(lasts(0.0, 28.0), "nothing spent");
        // 28 days at 1 -> 28 days exactly; at 0.3 -> 93.3 days, beyond the window
        assert_eq!(lasts(1.0, 28.0), "the whole window");
        assert_eq!(lasts(0.3, 28.0), "longer than the window");
    }
}
