//! Monthly incident review: takes the report's month reviews (`metrics::monthly`) and
//! incident facts and returns one page per month (`incidents/monthly/2026-07.html`) plus an index, laid out as the agenda of a
//! monthly review: headline figures, incidents by severity and cause, recurring causes,
//! the noisiest services, retros still missing and action items closed.

use crate::metrics::catalog::Metric;
use crate::metrics::monthly::{MonthReview, NO_CAUSE};
use crate::metrics::Figures;
use crate::period::{Grain, Period};
use crate::render::context::{root_of, tile, Tile};
use crate::render::incident_row::{row, Facts, Row};
use crate::render::registry::{Kind, PageKind, PageOf, FIGURES};
use crate::render::site::Site;
use crate::render::words::format_metric;
use rayon::prelude::*;
use serde::Serialize;

/// The org figures shown at the top of a month's review.
const HEADLINE: [Metric; 8] = [
    Metric::Incidents,
    Metric::TimeToRestoreMedianHours,
    Metric::RepeatIncidents,
    Metric::RetroWithin72hRate,
    Metric::RetrosMissing,
    Metric::ActionItemsOverdue,
    Metric::MedianDaysToFix,
    Metric::PagesPerWeek,
];

/// Services listed as the noisiest.
const NOISY: usize = 5;

#[derive(Serialize)]
struct Count {
    label: String,
    count: usize,
    repeats: usize,
}

/// A recurring (service, cause) pair of the month and its repeat incidents.
#[derive(Serialize)]
struct Repeat {
    service: String,
    service_href: String,
    cause: String,
    count: usize,
    worst: u8,
    /// The repeats (newest first), each with the earlier incident it repeats.
    incidents: Vec<RepeatLink>,
}

#[derive(Serialize)]
struct RepeatLink {
    id: String,
    href: String,
    previous: String,
    previous_href: String,
    days: i64,
}

/// Recurring pairs listed; the rest are counted.
const RECURRING: usize = 15;

#[derive(Serialize)]
struct Noisy {
    service: String,
    href: String,
    incidents: usize,
    severe: usize,
    pages: usize,
}

#[derive(Serialize)]
struct Closed {
    title: String,
    team: String,
    incident: String,
    incident_href: String,
    done: String,
    on_time: bool,
}

#[derive(Serialize)]
pub struct MonthView {
    month: String,
    span: String,
    previous: Option<String>,
    next: Option<String>,
    tiles: Vec<Tile>,
    severities: Vec<Count>,
    causes: Vec<Count>,
    repeats: Vec<Repeat>,
    more_repeats: usize,
    noisy: Vec<Noisy>,
    missing: Vec<Row>,
    closed: Vec<Closed>,
    incidents: Vec<Row>,
}

#[derive(Serialize)]
pub struct MonthlyIndexView {
    months: Vec<IndexRow>,
}

#[derive(Serialize)]
struct IndexRow {
    month: String,
    href: String,
    incidents: String,
    severe: usize,
    repeats: String,
    missing: String,
}

/// `incidents/monthly/{month}.html`: one month's incident review.
pub struct MonthPage;

impl PageKind for MonthPage {
    type View = MonthView;
    const KIND: Kind = Kind {
        name: "month",
        pattern: "incidents/monthly/{month}.html",
        template: "monthly.html",
        reads: FIGURES,
    };
    fn pages(site: &Site) -> Vec<PageOf<MonthView>> {
        let months = &site.report.periods[&Grain::Month];
        let org = org_months(site);
        let fig = |k: usize| org.get(k);
        (0..months.len())
            .into_par_iter()
            .map(|k| {
                let prev = k.checked_sub(1).and_then(fig);
                month_page(site, months, k, fig(k), prev)
            })
            .collect()
    }
}

/// `incidents/monthly/index.html`: every month's incident counts, newest first.
pub struct MonthlyIndex;

impl PageKind for MonthlyIndex {
    type View = MonthlyIndexView;
    const KIND: Kind = Kind {
        name: "month-index",
        pattern: "incidents/monthly/index.html",
        template: "monthly_index.html",
        reads: FIGURES,
    };
    fn pages(site: &Site) -> Vec<PageOf<MonthlyIndexView>> {
        vec![index(
            site,
            &site.report.periods[&Grain::Month],
            org_months(site),
        )]
    }
}

/// The org's monthly figures, aligned with the report's months.
fn org_months<'a>(site: &Site<'a>) -> &'a [Figures] {
    site.report
        .scope("org")
        .and_then(|s| s.series.get(&Grain::Month))
        .map_or(&[], Vec::as_slice)
}

fn month_path(key: &str) -> String {
    format!("incidents/monthly/{key}.html")
}

fn month_page(
    site: &Site,
    months: &[Period],
    k: usize,
    cur: Option<&Figures>,
    prev: Option<&Figures>,
) -> PageOf<MonthView> {
    let f = &site.incidents;
    let p = &months[k];
    let m = &site.report.monthly[k];
    let org = site
        .report
        .scope("org")
        .expect("the report holds the org's figures");
    let path = month_path(&p.key);
    let root = root_of(&path);
    let ds = f.ds;
    let severities: Vec<Count> = m
        .severities
        .iter()
        .enumerate()
        .map(|(s, t)| Count {
            label: format!("SEV{}", s + 1),
            count: t.count,
            repeats: t.repeats,
        })
        .collect();
    let causes: Vec<Count> = m
        .causes
        .iter()
        .map(|(c, t)| Count {
            label: c.map_or(NO_CAUSE, |c| ds.causes.name(c)).to_string(),
            count: t.count,
            repeats: t.repeats,
        })
        .collect();
    let repeats = recurring(f, m, &root);
    let view = MonthView {
        month: p.key.clone(),
        span: format!(
            "{} – {}{}",
            p.first_day.format("%-d %b %Y"),
            p.last_day.format("%-d %b %Y"),
            if p.clipped { " (to date)" } else { "" }
        ),
        previous: k.checked_sub(1).map(|j| format!("{}.html", months[j].key)),
        next: months.get(k + 1).map(|m| format!("{}.html", m.key)),
        tiles: cur.map_or(Vec::new(), |c| {
            HEADLINE
                .iter()
                .map(|&key| {
                    let verdict =
                        crate::metrics::trends::change(org, Grain::Month, key, k, ds.metric_defs)
                            .verdict;
                    tile(key, ds.metric_defs, c, prev, verdict, &root)
                })
                .collect()
        }),
        severities,
        causes,
        more_repeats: m.recurring.len().saturating_sub(RECURRING),
        repeats,
        noisy: noisiest(f, m, &root),
        missing: m.missing.iter().map(|&i| row(f, i, &root)).collect(),
        closed: closed(f, m, &root),
        incidents: m.incidents.iter().map(|&i| row(f, i, &root)).collect(),
    };
    PageOf {
        path,
        title: format!("Incident review {}", p.key),
        view,
    }
}

/// The month's first recurring (service, cause) pairs with links to their repeats.
fn recurring(f: &Facts, m: &MonthReview, root: &str) -> Vec<Repeat> {
    let ds = f.ds;
    m.recurring
        .iter()
        .take(RECURRING)
        .map(|r| Repeat {
            service_href: f.service_href(r.service, root),
            service: ds.services.name(r.service).to_string(),
            cause: ds.causes.name(r.cause).to_string(),
            count: r.incidents.len(),
            worst: r.worst,
            incidents: r
                .incidents
                .iter()
                .filter_map(|&i| {
                    let rep = f.facts.repeat_of[i as usize]?;
                    Some(RepeatLink {
                        id: ds.incidents[i as usize].id.clone(),
                        href: f.href(i, root),
                        previous: ds.incidents[rep.incident as usize].id.clone(),
                        previous_href: f.href(rep.incident, root),
                        days: rep.days,
                    })
                })
                .collect(),
        })
        .collect()
}

/// The services with the most incidents in the month.
fn noisiest(f: &Facts, m: &MonthReview, root: &str) -> Vec<Noisy> {
    m.noisy
        .iter()
        .take(NOISY)
        .map(|n| Noisy {
            href: f.service_href(n.service, root),
            service: f.ds.services.name(n.service).to_string(),
            incidents: n.incidents,
            severe: n.severe,
            pages: n.pages,
        })
        .collect()
}

/// Action items done in the month.
fn closed(f: &Facts, m: &MonthReview, root: &str) -> Vec<Closed> {
    let ds = f.ds;
    m.closed
        .iter()
        .map(|c| {
            let a = &ds.retros[c.retro as usize].action_items[c.item as usize];
            Closed {
                title: a.title.clone(),
                team: a.team.clone(),
                incident: ds.incidents[c.incident as usize].id.clone(),
                incident_href: f.href(c.incident, root),
                done: c.done.to_string(),
                on_time: c.on_time,
            }
        })
        .collect()
}

fn index(site: &Site, months: &[Period], org: &[Figures]) -> PageOf<MonthlyIndexView> {
    let path = "incidents/monthly/index.html";
    let show = |k: usize, key: Metric| format_metric(key, org.get(k).and_then(|fig| fig.get(key)));
    let rows: Vec<IndexRow> = months
        .iter()
        .enumerate()
        .rev()
        .map(|(k, p)| IndexRow {
            month: p.key.clone(),
            href: format!("{}.html", p.key),
            incidents: show(k, Metric::Incidents),
            severe: site.report.monthly[k].severe,
            repeats: show(k, Metric::RepeatIncidents),
            missing: show(k, Metric::RetrosMissing),
        })
        .collect();
    PageOf {
        path: path.to_string(),
        title: "Monthly incident reviews".to_string(),
        view: MonthlyIndexView { months: rows },
    }
}
