//! Incident lookups and list rows: takes the dataset's incidents and the report's incident
//! facts and returns links, local times and the `Row` every incident list shows.

use crate::metrics::incidents::IncidentFacts;
use crate::metrics::scope::ScopeKind;
use crate::model::Ts;
use crate::period::Calendar;
use crate::render::paths::incident_path;
use crate::render::paths::scope_path;
use crate::render::records::Records;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// What the incident pages read: the incident records, the report's facts about them, and
/// every incident's page path.
pub struct Facts<'a> {
    pub ds: Records<'a>,
    pub cal: Calendar,
    pub facts: &'a IncidentFacts,
    /// The incident page path of every incident, by index.
    pub paths: Vec<String>,
    /// Incident index by id.
    index: FxHashMap<&'a str, u32>,
}

impl<'a> Facts<'a> {
    pub fn new(ds: Records<'a>, cal: Calendar, facts: &'a IncidentFacts) -> Facts<'a> {
        let paths = ds.incidents.iter().map(|i| incident_path(&i.id)).collect();
        let index = ds
            .incidents
            .iter()
            .enumerate()
            .map(|(k, i)| (i.id.as_str(), k as u32))
            .collect();
        Facts {
            ds,
            cal,
            facts,
            paths,
            index,
        }
    }

    /// The index of the incident with id `id`.
    pub fn by_id(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
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
    pub fn when(&self, ts: Ts) -> String {
        self.cal.local_time(ts)
    }

    /// A link to a service's page from a page whose root prefix is `root`.
    pub fn service_href(&self, service: u32, root: &str) -> String {
        let name = self.ds.services.name(service);
        format!("{root}{}", scope_path(ScopeKind::Service, name))
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
    let st = f.facts.status[i as usize];
    Row {
        id: inc.id.clone(),
        href: f.href(i, root),
        started: f.when(inc.started_at),
        severity: inc.severity,
        service_href: f.service_href(inc.service, root),
        service: f.ds.services.name(inc.service).to_string(),
        title: inc.title.clone(),
        status: st.label(),
        status_class: st.slug(),
    }
}
