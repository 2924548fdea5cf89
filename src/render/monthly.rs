//! Monthly incident review: takes the report's month reviews (`metrics::monthly`) and
//! incident facts and returns one page per month (`incidents/monthly/2026-07.html`) plus an index, laid out as the agenda of a
//! monthly review: headline figures, incidents by severity and cause, recurring causes,
//! the noisiest services, retros still missing and action items closed.

use crate::metrics::catalog::Metric;
use crate::metrics::monthly::{MonthReview, NO_CAUSE};
use crate::metrics::Figures;
use crate::period::{Grain, Period};
use crate::render::context::{base, context, root_of, tile, Tile};
use crate::render::incident_row::{row, Facts, Row};
use crate::render::words::format_metric;
use crate::render::{Page, RenderInput};
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
struct Month {
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
struct IndexRow {
    month: String,
    href: String,
    incidents: String,
    severe: usize,
    repeats: String,
    missing: String,
}

pub fn all(input: &RenderInput, f: &Facts) -> Vec<Page> {
    let months = &input.report.periods[&Grain::Month];
    let org = input
        .report
        .scope("org")
        .and_then(|s| s.series.get(&Grain::Month));
    let fig = |k: usize| org.and_then(|o| o.get(k));
    let mut pages: Vec<Page> = (0..months.len())
        .into_par_iter()
        .map(|k| month_page(input, f, months, k, fig(k), k.checked_sub(1).and_then(fig)))
        .collect();
    pages.push(index(input, months, org.map(Vec::as_slice).unwrap_or(&[])));
    pages
}

fn month_path(key: &str) -> String {
    format!("incidents/monthly/{key}.html")
}

fn month_page(
    input: &RenderInput,
    f: &Facts,
    months: &[Period],
    k: usize,
    cur: Option<&Figures>,
    prev: Option<&Figures>,
) -> Page {
    let p = &months[k];
    let m = &input.report.monthly[k];
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
    let page = Month {
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
                .map(|&key| tile(key, &ds.metric_defs, c, prev, &root))
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
    let title = format!("Incident review {}", p.key);
    Page {
        context: context(
            base(&input.config.title, input.report, &path, &title),
            &page,
        ),
        path,
        template: "monthly.html",
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

fn index(input: &RenderInput, months: &[Period], org: &[Figures]) -> Page {
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
            severe: input.report.monthly[k].severe,
            repeats: show(k, Metric::RepeatIncidents),
            missing: show(k, Metric::RetrosMissing),
        })
        .collect();
    Page {
        path: path.to_string(),
        template: "monthly_index.html",
        context: context(
            base(
                &input.config.title,
                input.report,
                path,
                "Monthly incident reviews",
            ),
            &serde_json::json!({ "months": rows }),
        ),
    }
}
