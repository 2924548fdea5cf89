//! Incident pages: takes the dataset and report and returns the incident list (an index with
//! the last 90 days and pre-rendered pages per team, service, severity and status, so the
//! filters need no JavaScript) plus, through `incident_page`, one page per incident.

use crate::metrics::learning::previous_same_cause;
use crate::metrics::scope::ScopeKind;
use crate::model::{Dataset, Incident, DAY};
use crate::output::slug;
use crate::period::Calendar;
use crate::render::context::{base, context, root_of};
use crate::render::pages::scope_path;
use crate::render::{Page, RenderInput};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// Where an incident stands as of `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Unresolved,
    RetroMissing,
    RetroDue,
    FollowUp,
    Closed,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Unresolved,
        Status::RetroMissing,
        Status::RetroDue,
        Status::FollowUp,
        Status::Closed,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Status::Unresolved => "unresolved",
            Status::RetroMissing => "retro-missing",
            Status::RetroDue => "retro-due",
            Status::FollowUp => "follow-up",
            Status::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Unresolved => "unresolved",
            Status::RetroMissing => "retro missing",
            Status::RetroDue => "retro due (within 72 h)",
            Status::FollowUp => "action items open",
            Status::Closed => "closed",
        }
    }
}

/// Per-incident facts every incident page and list needs, computed once per build.
pub struct Facts<'a> {
    pub ds: &'a Dataset,
    pub cal: Calendar,
    /// Incidents started by as_of, newest first.
    pub visible: Vec<u32>,
    /// The earliest retro published by as_of, per incident.
    pub retro_of: Vec<Option<u32>>,
    /// The earlier incident with the same cause on the same service within 90 days.
    pub repeat_of: Vec<Option<u32>>,
    pub status: Vec<Status>,
    /// The incident page path of every incident, by index.
    pub paths: Vec<String>,
}

impl<'a> Facts<'a> {
    pub fn new(ds: &'a Dataset, cal: Calendar) -> Facts<'a> {
        let end = cal.as_of_end;
        let retro_of = crate::metrics::index::first_retros(ds, end);
        let mut by_service = vec![Vec::new(); ds.services.len()];
        for (i, inc) in ds.incidents.iter().enumerate() {
            if inc.started_at < end {
                by_service[inc.service as usize].push(i as u32);
            }
        }
        let key = |i: &u32| (ds.incidents[*i as usize].started_at, *i);
        by_service.iter_mut().for_each(|v| v.sort_by_key(key));
        let mut repeat_of = vec![None; ds.incidents.len()];
        for list in &by_service {
            for &i in list {
                repeat_of[i as usize] = previous_same_cause(ds, list, i);
            }
        }
        let mut visible: Vec<u32> = by_service.into_iter().flatten().collect();
        visible.sort_by_key(|i| std::cmp::Reverse(key(i)));
        let status = (0..ds.incidents.len())
            .map(|i| status(ds, &cal, &ds.incidents[i], retro_of[i]))
            .collect();
        let paths = ds.incidents.iter().map(|i| incident_path(&i.id)).collect();
        Facts {
            ds,
            cal,
            visible,
            retro_of,
            repeat_of,
            status,
            paths,
        }
    }

    /// A link to incident `i` from a page whose root prefix is `root`.
    pub fn href(&self, i: u32, root: &str) -> String {
        format!("{root}{}", self.paths[i as usize])
    }

    /// The owning team (index into `Config::teams`) of an incident.
    pub fn team(&self, i: u32) -> Option<u32> {
        self.ds.service_team[self.ds.incidents[i as usize].service as usize]
    }

    /// A local date and time, "2026-07-14 20:05".
    pub fn when(&self, ts: crate::model::Ts) -> String {
        self.cal.local_time(ts)
    }
}

/// The path of an incident's page.
pub fn incident_path(id: &str) -> String {
    format!("incidents/{}.html", slug(id))
}

fn status(ds: &Dataset, cal: &Calendar, inc: &Incident, retro: Option<u32>) -> Status {
    let Some(resolved) = inc.resolved_at.filter(|&r| r < cal.as_of_end) else {
        return Status::Unresolved;
    };
    match retro {
        None if inc.severity <= 2 && resolved + 3 * DAY < cal.as_of_end => Status::RetroMissing,
        None if inc.severity <= 2 => Status::RetroDue,
        None => Status::Closed,
        Some(r) => {
            let open = ds.retros[r as usize]
                .action_items
                .iter()
                .any(|a| a.done.is_none_or(|d| d > cal.as_of));
            if open {
                Status::FollowUp
            } else {
                Status::Closed
            }
        }
    }
}

/// One row of an incident list.
#[derive(Serialize)]
pub struct Row {
    pub id: String,
    pub href: String,
    pub started: String,
    pub severity: u8,
    pub service: String,
    pub service_href: String,
    pub title: String,
    pub status: &'static str,
    pub status_class: &'static str,
}

pub fn row(f: &Facts, i: u32, root: &str) -> Row {
    let inc = &f.ds.incidents[i as usize];
    let service = f.ds.services.name(inc.service).to_string();
    let st = f.status[i as usize];
    Row {
        id: inc.id.clone(),
        href: f.href(i, root),
        started: f.when(inc.started_at),
        severity: inc.severity,
        service_href: format!("{root}{}", scope_path(ScopeKind::Service, &service)),
        service,
        title: inc.title.clone(),
        status: st.label(),
        status_class: st.slug(),
    }
}

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
struct ListPage {
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

/// The incident index, every filtered list and every incident page.
pub fn all(input: &RenderInput) -> Vec<Page> {
    let facts = Facts::new(input.ds, input.report.calendar);
    let filters = filters(input, &facts);
    let data = super::incident_page::ChartData::new(input.ds, &facts.cal);
    let mut pages = vec![index(input, &facts, &filters)];
    pages.extend(
        filters
            .iter()
            .map(|f| list_page(input, &facts, &filters, f)),
    );
    pages.extend(
        facts
            .visible
            .par_iter()
            .map(|&i| super::incident_page::page(input, &facts, &data, i))
            .collect::<Vec<_>>(),
    );
    pages.extend(super::monthly::all(input, &facts));
    pages.push(super::actions::board(input, &facts));
    pages
}

fn filters(input: &RenderInput, f: &Facts) -> Vec<Filter> {
    let ds = f.ds;
    let mut out = Vec::new();
    let mut by_team: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    let mut by_service: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut by_sev: BTreeMap<u8, Vec<u32>> = BTreeMap::new();
    let mut by_status: BTreeMap<Status, Vec<u32>> = BTreeMap::new();
    for &i in &f.visible {
        let inc = &ds.incidents[i as usize];
        if let Some(t) = f.team(i) {
            by_team.entry(t).or_default().push(i);
        }
        by_service
            .entry(ds.services.name(inc.service))
            .or_default()
            .push(i);
        by_sev.entry(inc.severity).or_default().push(i);
        by_status.entry(f.status[i as usize]).or_default().push(i);
    }
    for (t, team) in input.config.teams.iter().enumerate() {
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

fn index(input: &RenderInput, f: &Facts, filters: &[Filter]) -> Page {
    let path = "incidents/index.html";
    let root = root_of(path);
    let since = f.cal.as_of_end - 90 * DAY;
    let rows: Vec<Row> = f
        .visible
        .iter()
        .take_while(|&&i| f.ds.incidents[i as usize].started_at >= since)
        .map(|&i| row(f, i, &root))
        .collect();
    let page = ListPage {
        heading: "Incidents".into(),
        lede: format!(
            "{} incidents in all; the {} of the last 90 days are listed below. Filter by team, service, severity or status, or read the monthly reviews.",
            f.visible.len(),
            rows.len()
        ),
        filters: filter_groups(filters, path, &root),
        rows,
        empty: "No incidents in the last 90 days.".into(),
    };
    Page {
        path: path.to_string(),
        template: "incidents.html",
        context: context(
            base(&input.config.title, input.report, path, "Incidents"),
            &page,
        ),
    }
}

fn list_page(input: &RenderInput, f: &Facts, filters: &[Filter], filter: &Filter) -> Page {
    let root = root_of(&filter.path);
    let title = format!(
        "Incidents: {} {}",
        filter.group.to_lowercase(),
        filter.label
    );
    let page = ListPage {
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
    Page {
        context: context(
            base(&input.config.title, input.report, &filter.path, &title),
            &page,
        ),
        path: filter.path.clone(),
        template: "incidents.html",
    }
}
