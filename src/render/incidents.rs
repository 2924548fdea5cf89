//! Incident lists: takes the `Site` (incident records and the report's facts about them)
//! and returns the incident index (the last 90 days) and one pre-rendered list per team,
//! service, severity and status, so the filters need no JavaScript. A long list is split
//! into pages linked by a pager (`pager`), so no page grows with the organisation's history.

use crate::metrics::incidents::{Status, RECENT_DAYS};
use crate::output::slug;
use crate::render::context::root_of;
use crate::render::incident_row::{row, Facts, Row};
use crate::render::pager::{paged, Pager};
use crate::render::registry::{Kind, PageKind, PageOf, Source};
use crate::render::site::Site;
use crate::render::words;
use serde::Serialize;

#[derive(Serialize)]
struct FilterLink {
    label: String,
    href: String,
    count: usize,
    current: bool,
}

#[derive(Serialize)]
struct FilterGroup {
    name: &'static str,
    links: Vec<FilterLink>,
}

#[derive(Serialize)]
pub struct ListView {
    heading: String,
    lede: String,
    filters: Vec<FilterGroup>,
    rows: Vec<Row>,
    empty: String,
    /// The list's pages, when it has more than one.
    pager: Option<Pager>,
    /// Where every service's list is linked (the index), when this page's service filter
    /// shows only its team's services or none.
    all_services: Option<String>,
}

/// One filtered list: its path, heading and the incidents it holds (newest first).
struct Filter<'a> {
    group: &'static str,
    /// The team a team's or service's list belongs to (by index into the config's teams).
    team: Option<u32>,
    label: String,
    path: String,
    incidents: &'a [u32],
}

/// `incidents/index.html`: the incidents of the last 90 days and the filters.
pub struct IncidentIndex;

impl PageKind for IncidentIndex {
    type View = ListView;
    const KIND: Kind = Kind {
        name: "incident-index",
        pattern: "incidents/index.html",
        template: "incidents.html",
        reads: LIST_READS,
    };
    fn pages(site: &Site) -> Vec<PageOf<ListView>> {
        let f = &site.incidents;
        index(f, &filters(site, f))
    }
}

/// `incidents/{team|service|severity|status}/{value}.html`: one filter's incidents, so
/// the filters need no JavaScript.
pub struct IncidentList;

impl PageKind for IncidentList {
    type View = ListView;
    const KIND: Kind = Kind {
        name: "incident-list",
        pattern: "incidents/{filter}/{value}.html",
        template: "incidents.html",
        reads: LIST_READS,
    };
    fn pages(site: &Site) -> Vec<PageOf<ListView>> {
        let f = &site.incidents;
        let filters = filters(site, f);
        filters
            .iter()
            .flat_map(|filter| list_pages(f, &filters, filter))
            .collect()
    }
}

/// A list shows each incident's status, which its retro and action items set.
const LIST_READS: &[Source] = &[Source::Config, Source::Incidents, Source::Retros];

/// Every filter list the report's incident lists make, with its label and path.
fn filters<'a>(site: &Site, f: &'a Facts) -> Vec<Filter<'a>> {
    let lists = &f.facts.lists;
    let teams = site.config.teams.iter().zip(&lists.by_team);
    let team = teams.zip(0..).map(|((team, list), i)| Filter {
        group: "Team",
        team: Some(i),
        label: team.name.clone(),
        path: format!("incidents/team/{}.html", slug(&team.id)),
        incidents: list,
    });
    let service = lists.by_service.iter().map(|(s, list)| {
        let name = f.ds.services.name(*s);
        Filter {
            group: "Service",
            team: f.ds.service_team[*s as usize],
            label: name.to_string(),
            path: format!("incidents/service/{}.html", slug(name)),
            incidents: list,
        }
    });
    let severity = lists.by_severity.iter().zip(1..).map(|(list, sev)| Filter {
        group: "Severity",
        team: None,
        label: format!("SEV{sev}"),
        path: format!("incidents/severity/{sev}.html"),
        incidents: list,
    });
    let status = Status::ALL
        .iter()
        .zip(&lists.by_status)
        .map(|(st, list)| Filter {
            group: "Status",
            team: None,
            label: st.label().to_string(),
            path: format!("incidents/status/{}.html", st.slug()),
            incidents: list,
        });
    team.chain(service).chain(severity).chain(status).collect()
}

/// The filter links a page shows. The index links every list; a team's or a service's list
/// links every team, severity and status but only the services of its team, and a
/// severity's or status's list no service, so that no list page repeats a link to each of
/// an organisation's hundreds of services (the index has them all).
fn filter_groups(
    filters: &[Filter<'_>],
    current: Option<&Filter<'_>>,
    root: &str,
) -> Vec<FilterGroup> {
    let current_path = current.map_or(INDEX, |c| c.path.as_str());
    let shown = |f: &Filter<'_>| match current {
        Some(c) if f.group == "Service" => c.team.is_some() && f.team == c.team,
        _ => true,
    };
    let mut groups: Vec<FilterGroup> = Vec::new();
    for f in filters.iter().filter(|f| shown(f)) {
        let link = FilterLink {
            label: f.label.clone(),
            href: format!("{root}{}", f.path),
            count: f.incidents.len(),
            current: f.path == current_path,
        };
        match groups.last_mut() {
            Some(g) if g.name == f.group => g.links.push(link),
            _ => groups.push(FilterGroup {
                name: f.group,
                links: vec![link],
            }),
        }
    }
    groups
}

/// The incident index, whose filters link every list.
const INDEX: &str = "incidents/index.html";

fn index(f: &Facts, filters: &[Filter<'_>]) -> Vec<PageOf<ListView>> {
    let recent = &f.facts.lists.recent;
    paged(
        INDEX,
        recent,
        |&i, root| row(f, i, root),
        |path, rows, pager| {
            let root = root_of(&path);
            let view = ListView {
            heading: "Incidents".into(),
            lede: format!(
                "{} incidents in all; the {} of the last {RECENT_DAYS} days are listed below.{} Filter by team, service, severity or status, or read the monthly reviews.",
                words::grouped(f.facts.visible.len()),
                words::grouped(recent.len()),
                Pager::note(&pager, rows.len(), "incidents")
            ),
            filters: filter_groups(filters, None, &root),
            rows,
            empty: format!("No incidents in the last {RECENT_DAYS} days."),
            pager,
            all_services: None,
        };
            PageOf {
                path,
                title: "Incidents".to_string(),
                view,
            }
        },
    )
}

fn list_pages(f: &Facts, filters: &[Filter<'_>], filter: &Filter<'_>) -> Vec<PageOf<ListView>> {
    let title = format!(
        "Incidents: {} {}",
        filter.group.to_lowercase(),
        filter.label
    );
    let rows = |&i: &u32, root: &str| row(f, i, root);
    paged(&filter.path, filter.incidents, rows, |path, rows, pager| {
        let root = root_of(&path);
        let view = ListView {
            heading: title.clone(),
            lede: format!(
                "{} incident{}, newest first.{}",
                filter.incidents.len(),
                if filter.incidents.len() == 1 { "" } else { "s" },
                Pager::note(&pager, rows.len(), "incidents")
            ),
            filters: filter_groups(filters, Some(filter), &root),
            rows,
            empty: "No incidents.".into(),
            pager,
            all_services: Some(format!("{root}{INDEX}#services")),
        };
        PageOf {
            path,
            title: title.clone(),
            view,
        }
    })
}
