//! Figure basis: takes the `Index`, one scope's `ScopeEvents` and one period and returns the
//! shared groundwork every metric function reads (`Basis`): the period's event slices, or
//! `None` where that kind of data does not reach the period, plus work several figures share
//! (the lead times' count and percentiles, the failed-deployment count, the action-item
//! backlog).

use crate::metrics::index::Index;
use crate::metrics::retro::resolved_by;
use crate::metrics::scope::{range, ScopeEvents};
use crate::metrics::stats::percentiles_selected;
use crate::model::{Dataset, Ts};
use crate::period::Period;
use chrono::NaiveDate;

/// What the metric functions of one scope and period read. Built once per scope x period.
pub struct Basis<'a> {
    pub ix: &'a Index<'a>,
    pub ev: &'a ScopeEvents,
    pub period: &'a Period,
    /// The period's counted deployments; `None` when no deployment data reaches the period.
    pub deploys: Option<&'a [u32]>,
    /// Of `deploys`, those rolled back or named by an incident that started by as_of.
    pub failed: Option<u64>,
    /// The lead times (hours) of the changes those deployments shipped; `None` without
    /// deployment or change data.
    pub lead_times: Option<LeadTimes>,
    /// The period's incidents; `None` when no incident data reaches the period.
    pub incidents: Option<&'a [u32]>,
    /// Retros exist and incidents reach the period.
    pub retros_known: bool,
    /// Open and overdue action items at the end of the period (clipped to as_of), when
    /// `retros_known`.
    pub backlog: Option<Backlog>,
    /// The period's on-call pages; `None` when no page data reaches the period.
    pub pages: Option<&'a [u32]>,
}

/// A period's lead times, as the figures read them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeadTimes {
    /// How many changes were shipped.
    pub count: usize,
    /// The median and the 90th percentile (`stats::percentile`); `None` with no change.
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

impl LeadTimes {
    /// Of `hours` in any order (reordered in place).
    pub fn of(hours: &mut [f64]) -> LeadTimes {
        let both = percentiles_selected(hours, [0.5, 0.9]);
        LeadTimes {
            count: hours.len(),
            median: both.map(|[m, _]| m),
            p90: both.map(|[_, p]| p),
        }
    }
}

/// The action-item backlog on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backlog {
    pub open: u64,
    pub overdue: u64,
}

/// Whether a kind of data starting at `first` (if any) reaches into the period, and the
/// data as a whole (ending on `data_end`) has not stopped before the period starts: past the
/// end of every file a count is unknown, not zero.
pub fn covers(
    first: Option<crate::model::Ts>,
    data_end: Option<chrono::NaiveDate>,
    p: &Period,
) -> bool {
    first.is_some_and(|t| t < p.end) && data_end.is_some_and(|end| p.first_day <= end)
}

impl<'a> Basis<'a> {
    pub fn new(ix: &'a Index<'a>, ev: &'a ScopeEvents, p: &'a Period) -> Self {
        let ds = ix.ds;
        let deployed = (ds.present.deployments
            && covers(ix.coverage.deployments, ix.coverage.data_end, p))
        .then(|| range(&ev.deploy_at, p.start, p.end));
        let deploys = deployed.clone().map(|r| &ev.deploys[r]);
        let failed =
            deploys.map(|d| d.iter().filter(|&&d| ix.deploy_failed[d as usize]).count() as u64);
        let lead_times = deployed.filter(|_| ds.present.changes).map(|r| {
            let mut leads = ev.leads[ev.lead_at[r.start]..ev.lead_at[r.end]].to_vec();
            LeadTimes::of(&mut leads)
        });
        let incidents = (ds.present.incidents
            && covers(ix.coverage.incidents, ix.coverage.data_end, p))
        .then(|| &ev.incidents[range(&ev.incident_at, p.start, p.end)]);
        let retros_known = ds.present.retros && incidents.is_some();
        let backlog = retros_known.then(|| backlog(ev, p.last_day.min(ix.cal.as_of)));
        let pages = (ds.present.pages && covers(ix.coverage.pages, ix.coverage.data_end, p))
            .then(|| &ev.pages[range(&ev.page_at, p.start, p.end)]);
        Basis {
            ix,
            ev,
            period: p,
            deploys,
            failed,
            lead_times,
            incidents,
            retros_known,
            backlog,
            pages,
        }
    }

    pub fn ds(&self) -> &'a Dataset {
        self.ix.ds
    }

    /// The period's incidents, each with its resolution if resolved by as_of; `None` when
    /// no incident data reaches the period.
    pub fn resolved(&self) -> Option<impl Iterator<Item = (u32, Option<Ts>)> + 'a> {
        let (all, cal) = (&self.ix.ds.incidents, &self.ix.cal);
        Some(
            self.incidents?
                .iter()
                .map(move |&i| (i, resolved_by(&all[i as usize], cal))),
        )
    }
}

/// Open and overdue action items on `day`: items of retros published by then, not done by
/// then; overdue when their due date is before `day`.
fn backlog(ev: &ScopeEvents, day: NaiveDate) -> Backlog {
    let (mut open, mut overdue) = (0u64, 0u64);
    for f in &ev.items {
        if f.opened <= day && f.done.is_none_or(|d| d > day) {
            open += 1;
            if crate::model::past_due(f.due, day) {
                overdue += 1;
            }
        }
    }
    Backlog { open, overdue }
}
