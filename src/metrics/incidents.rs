//! Incident facts: takes the event `Index` (its per-service incident lists, earliest
//! retros, time to retro, repeat-of, deployments and SLI series) and returns, once per
//! build, every per-incident fact the incident pages and lists show (`IncidentFacts`): the
//! visible incidents, each one's status, retro, repeat-of (with the days between), time to
//! retro and the daily figures of its charts.

use crate::metrics::incident_window::{self, IncidentDaily};
use crate::metrics::index::Index;
pub use crate::metrics::retro::resolved_by;
use crate::metrics::retro::{deadline_passed, needs_retro, within_deadline};
use crate::model::{Dataset, Incident, DAY};
use crate::period::Calendar;
use rayon::prelude::*;

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

/// An earlier incident with the same cause on the same service (within 90 days).
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
}

impl IncidentFacts {
    pub fn new(ix: &Index) -> IncidentFacts {
        let (ds, cal) = (ix.ds, &ix.cal);
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
        let status = (0..n)
            .map(|i| status(ds, cal, &ds.incidents[i], ix.retro_of[i]))
            .collect();
        let mut daily = vec![None; n];
        let deploy_times = incident_window::deploy_times(ix);
        let computed: Vec<(u32, IncidentDaily)> = visible
            .par_iter()
            .map(|&i| (i, incident_window::daily(ix, &deploy_times, i)))
            .collect();
        for (i, d) in computed {
            daily[i as usize] = Some(d);
        }
        IncidentFacts {
            visible,
            retro_of: ix.retro_of.clone(),
            repeat_of,
            status,
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

/// The status of one incident as of `as_of`, given its earliest retro published by then.
pub fn status(ds: &Dataset, cal: &Calendar, inc: &Incident, retro: Option<u32>) -> Status {
    if resolved_by(inc, cal).is_none() {
        return Status::Unresolved;
    }
    match retro {
        None if deadline_passed(inc, cal.as_of_end) => Status::RetroMissing,
        None if needs_retro(inc.severity) => Status::RetroDue,
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

#[cfg(test)]
#[path = "incidents_tests.rs"]
mod tests;
