//! Incident lists: takes the `Site` (incident records and the report's facts about them)
//! and returns the incident index (the last 90 days) and one pre-rendered list per team,
//! service, severity and status, so the filters need no JavaScript.

use crate::metrics::incidents::{Status, RECENT_DAYS};
use crate::output::slug;
use crate::render::context::root_of;
use crate::render::incident_row::{row, Facts, Row};
use crate::render::registry::{Kind, PageKind, PageOf, Source};
use crate::render::site::Site;
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
}

/// One filtered list: its path, heading and the incidents it holds (newest first).
struct Filter<'a> {
    group: &'static str,
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
        vec![index(f, &filters(site, f))]
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
            .map(|filter| list_page(f, &filters, filter))
            .collect()
    }
}

/// A list shows each incident's status, which its retro and action items set.
const LIST_READS: &[Source] = &[Source::Config, Source::Incidents, Source::Retros];

/// Every filter list the report's incident lists make, with its label and path.
fn filters<'a>(site: &Site, f: &'a Facts) -> Vec<Filter<'a>> {
    let lists = &f.facts.lists;
    let teams = site.config.teams.iter().zip(&lists.by_team);
    let team = teams.map(|(team, list)| Filter {
        group: "Team",
        label: team.name.clone(),
        path: format!("incidents/team/{}.html", slug(&team.id)),
        incidents: list,
    });
    let service = lists.by_service.iter().map(|(s, list)| {
        let name = f.ds.services.name(*s);
        Filter {
            group: "Service",
            label: name.to_string(),
            path: format!("incidents/service/{}.html", slug(name)),
            incidents: list,
        }
    });
    let severity = lists.by_severity.iter().zip(1..).map(|(list, sev)| Filter {
        group: "Severity",
        label: format!("SEV{sev}"),
        path: format!("incidents/severity/{sev}.html"),
        incidents: list,
    });
    let status = Status::ALL
        .iter()
        .zip(&lists.by_status)
        .map(|(st, list)| Filter {
            group: "Status",
            label: st.label().to_string(),
            path: format!("incidents/status/{}.html", st.slug()),
            incidents: list,
        });
    team.chain(service).chain(severity).chain(status).collect()
}

fn filter_groups(filters: &[Filter<'_>], current: &str, root: &str) -> Vec<FilterGroup> {
    let mut groups: Vec<FilterGroup> = Vec::new();
    for f in filters {
        let link = FilterLink {
            label: f.label.clone(),
            href: format!("{root}{}", f.path),
            count: f.incidents.len(),
            current: f.path == current,
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

fn index(f: &Facts, filters: &[Filter<'_>]) -> PageOf<ListView> {
    let path = "incidents/index.html";
    let root = root_of(path);
    let rows: Vec<Row> = f
        .facts
        .lists
        .recent
        .iter()
        .map(|&i| row(f, i, &root))
        .collect();
    let view = ListView {
        heading: "Incidents".into(),
        lede: format!(
            "{} incidents in all; the {} of the last {RECENT_DAYS} days are listed below. Filter by team, service, severity or status, or read the monthly reviews.",
            f.facts.visible.len(),
            rows.len()
        ),
        filters: filter_groups(filters, path, &root),
        rows,
        empty: format!("No incidents in the last {RECENT_DAYS} days."),
    };
    PageOf {
        path: path.to_string(),
        title: "Incidents".to_string(),
        view,
    }
}

fn list_page(f: &Facts, filters: &[Filter<'_>], filter: &Filter<'_>) -> PageOf<ListView> {
    let root = root_of(&filter.path);
    let title = format!(
        "Incidents: {} {}",
        filter.group.to_lowercase(),
        filter.label
    );
    let view = ListView {
        heading: title.clone(),
        lede: format!(
            "{} incident{}, newest first.",
            filter.incidents.len(),
            if filter.incidents.len() == 1 { "" } else { "s" }
        ),
        filters: filter_groups(filters, &filter.path, &root),
        rows: filter.incidents.iter().map(|&i| row(f, i, &root)).collect(),
        empty: "No incidents.".into(),
    };
    PageOf {
        path: filter.path.clone(),
        title,
        view,
    }
}
