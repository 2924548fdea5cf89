//! Incident lists: takes the `Site` (incident records and the report's facts about them)
//! and returns the incident index (the last 90 days) and one pre-rendered list per team,
//! service, severity and status, so the filters need no JavaScript.

use crate::metrics::incidents::Status;
use crate::model::DAY;
use crate::output::slug;
use crate::render::context::root_of;
use crate::render::incident_row::{row, Facts, Row};
use crate::render::registry::{Kind, PageKind, PageOf, Source};
use crate::render::site::Site;
use serde::Serialize;
use std::collections::BTreeMap;

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
struct Filter {
    group: &'static str,
    label: String,
    path: String,
    incidents: Vec<u32>,
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

fn filters(site: &Site, f: &Facts) -> Vec<Filter> {
    let ds = f.ds;
    let mut out = Vec::new();
    let mut by_team: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    let mut by_service: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut by_sev: BTreeMap<u8, Vec<u32>> = BTreeMap::new();
    let mut by_status: BTreeMap<Status, Vec<u32>> = BTreeMap::new();
    for &i in &f.facts.visible {
        let inc = &ds.incidents[i as usize];
        if let Some(t) = f.team(i) {
            by_team.entry(t).or_default().push(i);
        }
        by_service
            .entry(ds.services.name(inc.service))
            .or_default()
            .push(i);
        by_sev.entry(inc.severity).or_default().push(i);
        by_status
            .entry(f.facts.status[i as usize])
            .or_default()
            .push(i);
    }
    for (t, team) in site.config.teams.iter().enumerate() {
        out.push(Filter {
            group: "Team",
            label: team.name.clone(),
            path: format!("incidents/team/{}.html", slug(&team.id)),
            incidents: by_team.remove(&(t as u32)).unwrap_or_default(),
        });
    }
    for (name, list) in by_service {
        out.push(Filter {
            group: "Service",
            label: name.to_string(),
            path: format!("incidents/service/{}.html", slug(name)),
            incidents: list,
        });
    }
    for sev in 1..=4u8 {
        out.push(Filter {
            group: "Severity",
            label: format!("SEV{sev}"),
            path: format!("incidents/severity/{sev}.html"),
            incidents: by_sev.remove(&sev).unwrap_or_default(),
        });
    }
    for st in Status::ALL {
        out.push(Filter {
            group: "Status",
            label: st.label().to_string(),
            path: format!("incidents/status/{}.html", st.slug()),
            incidents: by_status.remove(&st).unwrap_or_default(),
        });
    }
    out
}

fn filter_groups(filters: &[Filter], current: &str, root: &str) -> Vec<FilterGroup> {
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

fn index(f: &Facts, filters: &[Filter]) -> PageOf<ListView> {
    let path = "incidents/index.html";
    let root = root_of(path);
    let since = f.cal.as_of_end - 90 * DAY;
    let rows: Vec<Row> = f
        .facts
        .visible
        .iter()
        .take_while(|&&i| f.ds.incidents[i as usize].started_at >= since)
        .map(|&i| row(f, i, &root))
        .collect();
    let view = ListView {
        heading: "Incidents".into(),
        lede: format!(
            "{} incidents in all; the {} of the last 90 days are listed below. Filter by team, service, severity or status, or read the monthly reviews.",
            f.facts.visible.len(),
            rows.len()
        ),
        filters: filter_groups(filters, path, &root),
        rows,
        empty: "No incidents in the last 90 days.".into(),
    };
    PageOf {
        path: path.to_string(),
        title: "Incidents".to_string(),
        view,
    }
}

fn list_page(f: &Facts, filters: &[Filter], filter: &Filter) -> PageOf<ListView> {
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
