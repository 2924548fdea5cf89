//! Incident facts: takes the event `Index` (its per-service incident lists, earliest
//! retros, statuses, time to retro, repeat-of, deployments and SLI series) and returns, once per
//! build, every per-incident fact the incident pages and lists show (`IncidentFacts`): the
//! visible incidents, each one's status, retro, repeat-of (with the days between), time to
//! retro and the daily figures of its charts.

use crate::metrics::incident_window::{self, IncidentDaily};
use crate::metrics::index::Index;
use crate::metrics::retro::within_deadline;
pub use crate::metrics::retro::{resolved_by, Status};
use crate::model::DAY;
use rayon::prelude::*;

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
mod tests;
