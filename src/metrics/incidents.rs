//! Incident facts: takes the event `Index` (its per-service incident lists, earliest
//! retros, deployments and SLI series) and returns, once per build, every per-incident
//! fact the incident pages and lists show (`IncidentFacts`): the visible incidents, each
//! one's status, retro, repeat-of, time to retro and the daily figures of its charts.

use crate::metrics::incident_window::{self, IncidentDaily};
use crate::metrics::index::Index;
use crate::metrics::learning::previous_same_cause;
use crate::metrics::retro::{deadline_passed, needs_retro, within_deadline};
use crate::model::{Dataset, Incident, Ts, DAY};
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
        let mut repeat_of = vec![None; n];
        for list in &ix.incidents {
            for &i in list {
                repeat_of[i as usize] = previous_same_cause(ds, list, i).map(|j| RepeatOf {
                    incident: j,
                    days: (ds.incidents[i as usize].started_at
                        - ds.incidents[j as usize].started_at)
                        / DAY,
                });
            }
        }
        let mut visible: Vec<u32> = ix.incidents.iter().flatten().copied().collect();
        visible.sort_by_key(|&i| std::cmp::Reverse((ds.incidents[i as usize].started_at, i)));
        let status = (0..n)
            .map(|i| status(ds, cal, &ds.incidents[i], ix.retro_of[i]))
            .collect();
        let time_to_retro = (0..n)
            .map(|i| time_to_retro(ds, cal, &ds.incidents[i], ix.retro_of[i]))
            .collect();
        let mut daily = vec![None; n];
        let computed: Vec<(u32, IncidentDaily)> = visible
            .par_iter()
            .map(|&i| (i, incident_window::daily(ix, i)))
            .collect();
        for (i, d) in computed {
            daily[i as usize] = Some(d);
        }
        IncidentFacts {
            visible,
            retro_of: ix.retro_of.clone(),
            repeat_of,
            status,
            time_to_retro,
            daily,
        }
    }

    /// The retro of incident `i` met the 72-hour deadline; `None` without both a known
    /// resolution and a retro.
    pub fn retro_timely(&self, i: u32) -> Option<bool> {
        self.time_to_retro[i as usize].map(within_deadline)
    }
}

/// The resolution time of an incident when it is known by the end of `as_of`.
pub fn resolved_by(inc: &Incident, cal: &Calendar) -> Option<Ts> {
    inc.resolved_at.filter(|&r| r < cal.as_of_end)
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

/// Seconds from the incident's known resolution to its retro's publication (negative when
/// the retro came first).
pub fn time_to_retro(
    ds: &Dataset,
    cal: &Calendar,
    inc: &Incident,
    retro: Option<u32>,
) -> Option<i64> {
    let resolved = resolved_by(inc, cal)?;
    Some(ds.retros[retro? as usize].published_at - resolved)
}

#[cfg(test)]
#[path = "incidents_tests.rs"]
mod tests;
