//! Monthly incident review: takes the incident facts and the report and returns one page per
//! month (`incidents/monthly/2026-07.html`) plus an index, laid out as the agenda of a
//! monthly review: headline figures, incidents by severity and cause, recurring causes,
//! the noisiest services, retros still missing and action items closed.

use crate::metrics::catalog::Metric;
use crate::metrics::scope::ScopeKind;
use crate::metrics::Figures;
use crate::period::{Grain, Period};
use crate::render::context::{base, context, root_of, tile, Tile};
use crate::render::incidents::{row, Facts, Row, Status};
use crate::render::pages::scope_path;
use crate::render::{Page, RenderInput};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

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
    pages.push(index(
        input,
        f,
        months,
        org.map(Vec::as_slice).unwrap_or(&[]),
    ));
    pages
}

fn month_path(key: &str) -> String {
    format!("incidents/monthly/{key}.html")
}

/// The month's incidents (started in it), newest first.
fn in_month<'f>(f: &'f Facts, p: &Period) -> impl Iterator<Item = u32> + 'f {
    let (start, end) = (p.start, p.end);
    f.visible.iter().copied().filter(move |&i| {
        let t = f.ds.incidents[i as usize].started_at;
        t >= start && t < end
    })
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
    let path = month_path(&p.key);
    let root = root_of(&path);
    let ds = f.ds;
    let ids: Vec<u32> = in_month(f, p).collect();
    let mut severities: Vec<Count> = (1..=4u8)
        .map(|s| Count {
            label: format!("SEV{s}"),
            count: 0,
            repeats: 0,
        })
        .collect();
    let mut causes: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut noisy: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
    for &i in &ids {
        let inc = &ds.incidents[i as usize];
        let repeat = f.repeat_of[i as usize].is_some() as usize;
        let s = &mut severities[(inc.severity - 1) as usize];
        s.count += 1;
        s.repeats += repeat;
        let cause = inc.cause.map_or("(no cause given)".to_string(), |c| {
            ds.causes.name(c).to_string()
        });
        let c = causes.entry(cause).or_default();
        c.0 += 1;
        c.1 += repeat;
        let n = noisy.entry(inc.service).or_default();
        n.0 += 1;
        n.1 += (inc.severity <= 2) as usize;
    }
    let mut causes: Vec<Count> = causes
        .into_iter()
        .map(|(label, (count, repeats))| Count {
            label,
            count,
            repeats,
        })
        .collect();
    causes.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
    let mut repeats = recurring(f, &ids, &root);
    let more_repeats = repeats.len().saturating_sub(RECURRING);
    repeats.truncate(RECURRING);
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
        repeats,
        more_repeats,
        noisy: noisiest(f, p, noisy, &root),
        missing: ids
            .iter()
            .filter(|&&i| f.status[i as usize] == Status::RetroMissing)
            .map(|&i| row(f, i, &root))
            .collect(),
        closed: closed(f, p, &root),
        incidents: ids.iter().map(|&i| row(f, i, &root)).collect(),
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

/// The month's repeats grouped by service and cause, most repeats first.
fn recurring(f: &Facts, ids: &[u32], root: &str) -> Vec<Repeat> {
    let ds = f.ds;
    let mut pairs: BTreeMap<(u32, u32), Vec<u32>> = BTreeMap::new();
    for &i in ids {
        let inc = &ds.incidents[i as usize];
        if let (Some(_), Some(c)) = (f.repeat_of[i as usize], inc.cause) {
            pairs.entry((inc.service, c)).or_default().push(i);
        }
    }
    let mut out: Vec<Repeat> = pairs
        .into_iter()
        .map(|((s, c), list)| {
            let service = ds.services.name(s).to_string();
            Repeat {
                service_href: format!("{root}{}", scope_path(ScopeKind::Service, &service)),
                service,
                cause: ds.causes.name(c).to_string(),
                count: list.len(),
                worst: list
                    .iter()
                    .map(|&i| ds.incidents[i as usize].severity)
                    .min()
                    .unwrap_or(4),
                incidents: list
                    .iter()
                    .filter_map(|&i| {
                        let j = f.repeat_of[i as usize]?;
                        let (inc, prev) = (&ds.incidents[i as usize], &ds.incidents[j as usize]);
                        Some(RepeatLink {
                            id: inc.id.clone(),
                            href: f.href(i, root),
                            previous: prev.id.clone(),
                            previous_href: f.href(j, root),
                            days: (inc.started_at - prev.started_at) / crate::model::DAY,
                        })
                    })
                    .collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (b.count, a.worst, &a.service, &a.cause).cmp(&(a.count, b.worst, &b.service, &b.cause))
    });
    out
}

/// The services with the most incidents in the month (then severity 1-2, then pages).
fn noisiest(
    f: &Facts,
    p: &Period,
    counts: BTreeMap<u32, (usize, usize)>,
    root: &str,
) -> Vec<Noisy> {
    let ds = f.ds;
    let mut pages: BTreeMap<u32, usize> = BTreeMap::new();
    for pg in ds
        .pages
        .iter()
        .filter(|pg| pg.at >= p.start && pg.at < p.end)
    {
        *pages.entry(pg.service).or_default() += 1;
    }
    let mut rows: Vec<Noisy> = counts
        .into_iter()
        .map(|(s, (incidents, severe))| {
            let name = ds.services.name(s).to_string();
            Noisy {
                href: format!("{root}{}", scope_path(ScopeKind::Service, &name)),
                service: name,
                incidents,
                severe,
                pages: pages.get(&s).copied().unwrap_or(0),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.incidents, b.severe, b.pages)
            .cmp(&(a.incidents, a.severe, a.pages))
            .then(a.service.cmp(&b.service))
    });
    rows.truncate(NOISY);
    rows
}

/// Action items done in the month (by as_of), any incident's.
fn closed(f: &Facts, p: &Period, root: &str) -> Vec<Closed> {
    let ds = f.ds;
    let mut out: Vec<(chrono::NaiveDate, Closed)> = Vec::new();
    for &i in &f.visible {
        let Some(r) = f.retro_of[i as usize] else {
            continue;
        };
        for a in &ds.retros[r as usize].action_items {
            let Some(done) = a.done.filter(|&d| d >= p.first_day && d <= p.last_day) else {
                continue;
            };
            out.push((
                done,
                Closed {
                    title: a.title.clone(),
                    team: a.team.clone(),
                    incident: ds.incidents[i as usize].id.clone(),
                    incident_href: f.href(i, root),
                    done: done.to_string(),
                    on_time: done <= a.due,
                },
            ));
        }
    }
    out.sort_by(|a, b| (a.0, &a.1.incident).cmp(&(b.0, &b.1.incident)));
    out.into_iter().map(|x| x.1).collect()
}

fn index(input: &RenderInput, f: &Facts, months: &[Period], org: &[Figures]) -> Page {
    let path = "incidents/monthly/index.html";
    let show = |k: usize, key: Metric| key.format(org.get(k).and_then(|fig| fig.get(key)));
    let rows: Vec<IndexRow> = months
        .iter()
        .enumerate()
        .rev()
        .map(|(k, p)| IndexRow {
            month: p.key.clone(),
            href: format!("{}.html", p.key),
            incidents: show(k, Metric::Incidents),
            severe: in_month(f, p)
                .filter(|&i| f.ds.incidents[i as usize].severity <= 2)
                .count(),
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
