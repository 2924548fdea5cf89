//! Incident facts: takes the event `Index` (its per-service incident lists, earliest
//! retros, statuses, time to retro, repeat-of, deployments and SLI series) and returns, once per
//! build, every per-incident fact the incident pages and lists show (`IncidentFacts`): the
//! visible incidents, each one's status, retro, repeat-of (with the days between), time to
//! retro and the daily figures of its charts; and the lists the incident pages show
//! (`IncidentLists`: by team, service, severity and status, and the last 90 days).

use crate::metrics::incident_window::{self, IncidentDaily};
use crate::metrics::index::Index;
use crate::metrics::retro::within_deadline;
pub use crate::metrics::retro::{resolved_by, Status};
use crate::model::DAY;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The earlier incident an incident repeats (`metrics::repeat`: named by its retro, or the
/// same specific cause on the same service within 90 days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepeatOf {
    /// Index into `Dataset::incidents`.
    pub incident: u32,
    /// Whole days between the two starts.
    pub days: i64,
}

/// Per-incident facts, each vector indexed like `Dataset::incidents`.
#[derive(Debug, Clone, Default)]
pub struct IncidentFacts {
    /// Incidents started by as_of, newest first.
    pub visible: Vec<u32>,
    /// The earliest retro published by as_of (index into `Dataset::retros`).
    pub retro_of: Vec<Option<u32>>,
    pub repeat_of: Vec<Option<RepeatOf>>,
    pub status: Vec<Status>,
    /// Seconds from the (known) resolution to the retro's publication.
    pub time_to_retro: Vec<Option<i64>>,
    /// The daily figures of each visible incident's charts (`None` for the others).
    pub daily: Vec<Option<IncidentDaily>>,
    /// The visible incidents grouped for the incident lists.
    pub lists: IncidentLists,
}

/// Days of incidents the incident index lists.
pub const RECENT_DAYS: i64 = 90;

/// The visible incidents grouped the ways the incident lists filter them; every list is
/// newest first (a sub-sequence of `IncidentFacts::visible`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IncidentLists {
    /// Per team, aligned with `Config::teams` (empty for a team without incidents).
    pub by_team: Vec<Vec<u32>>,
    /// Per service with incidents (service id), by service name.
    pub by_service: Vec<(u32, Vec<u32>)>,
    /// SEV1 to SEV4.
    pub by_severity: [Vec<u32>; 4],
    /// Per status, aligned with `Status::ALL`.
    pub by_status: [Vec<u32>; 5],
    /// The incidents started in the last `RECENT_DAYS` days (to the end of as_of).
    pub recent: Vec<u32>,
}

/// Groups `visible` (newest first) by the owning team of each incident's service (`teams`
/// teams in config order), its service, severity and status, and cuts the last 90 days.
pub fn lists(ix: &Index, teams: usize, visible: &[u32], status: &[Status]) -> IncidentLists {
    let ds = ix.ds;
    let mut out = IncidentLists {
        by_team: vec![Vec::new(); teams],
        ..IncidentLists::default()
    };
    let mut by_service: BTreeMap<&str, (u32, Vec<u32>)> = BTreeMap::new();
    let since = ix.cal.as_of_end - RECENT_DAYS * DAY;
    for &i in visible {
        let inc = &ds.incidents[i as usize];
        if let Some(list) =
            ds.service_team[inc.service as usize].and_then(|t| out.by_team.get_mut(t as usize))
        {
            list.push(i);
        }
        by_service
            .entry(ds.services.name(inc.service))
            .or_insert((inc.service, Vec::new()))
            .1
            .push(i);
        if let Some(list) = (inc.severity as usize)
            .checked_sub(1)
            .and_then(|s| out.by_severity.get_mut(s))
        {
            list.push(i);
        }
        let st = status[i as usize];
        if let Some(k) = Status::ALL.iter().position(|&s| s == st) {
            out.by_status[k].push(i);
        }
        if inc.started_at >= since {
            out.recent.push(i);
        }
    }
    out.by_service = by_service.into_values().collect();
    out
}

impl IncidentFacts {
    /// The facts of every incident in `ix`, with lists by each of `teams` config teams.
    pub fn new(ix: &Index, teams: usize) -> IncidentFacts {
        let ds = ix.ds;
        let n = ds.incidents.len();
        let repeat_of = ix
            .repeat_of
            .iter()
            .enumerate()
            .map(|(i, r)| {
                r.map(|j| RepeatOf {
                    incident: j,
                    days: (ds.incidents[i].started_at - ds.incidents[j as usize].started_at) / DAY,
                })
            })
            .collect();
        let mut visible: Vec<u32> = ix.incidents.iter().flatten().copied().collect();
        visible.sort_by_key(|&i| std::cmp::Reverse((ds.incidents[i as usize].started_at, i)));
        let mut daily = vec![None; n];
        let deploy_times = incident_window::deploy_times(ix);
        let service_slos = incident_window::service_slos(ix);
        let days = incident_window::span(ix, &visible)
            .map(|(first, last)| incident_window::Days::new(&ix.cal, first, last));
        let computed: Vec<(u32, IncidentDaily)> = match &days {
            Some(days) => visible
                .par_iter()
                .map(|&i| {
                    (
                        i,
                        incident_window::daily(ix, &deploy_times, &service_slos, days, i),
                    )
                })
                .collect(),
            None => Vec::new(),
        };
        for (i, d) in computed {
            daily[i as usize] = Some(d);
        }
        let lists = lists(ix, teams, &visible, &ix.status);
        IncidentFacts {
            lists,
            visible,
            retro_of: ix.retro_of.clone(),
            repeat_of,
            status: ix.status.clone(),
            time_to_retro: ix.time_to_retro.clone(),
            daily,
        }
    }

    /// The retro of incident `i` met the 72-hour deadline; `None` without both a known
    /// resolution and a retro.
    pub fn retro_timely(&self, i: u32) -> Option<bool> {
        self.time_to_retro[i as usize].map(within_deadline)
    }
}

#[cfg(test)]
#[path = "incidents_tests.rs"]
pub(crate) mod tests;
