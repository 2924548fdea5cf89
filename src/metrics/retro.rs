//! Retro rules, written once: takes an incident (or an action item) and the report date and
//! returns whether a retro is due, when, and whether it is late; the resolution known by
//! `as_of` and the time from it to the retro; where an incident stands (`Status`); the state of an action
//! item as of a day; the `almanac check` warnings for retros that are missing; and which
//! parts of a retro no figure reads.

use crate::diag::{Diagnostics, Pos};
use crate::model::{ActionItem, Dataset, Incident, Retro, Ts, DAY};
use crate::period::Calendar;
use chrono::NaiveDate;
use std::collections::HashSet;

/// Whether two lists of retros give the same figures: they differ at most in what no
/// figure reads, a retro's prose (its body and the contributing factors listed in it).
pub fn same_figures(a: &[Retro], b: &[Retro]) -> bool {
    let figures_read = |r: &Retro| Retro {
        body: String::new(),
        contributing_factors: Vec::new(),
        ..r.clone()
    };
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| figures_read(x) == figures_read(y))
}

/// The 72-hour retro deadline after resolution.
pub const RETRO_DEADLINE: i64 = 3 * DAY;

/// Severity 1 and 2 incidents need a retro; 3 and 4 may have one.
pub fn needs_retro(severity: u8) -> bool {
    severity <= 2
}

/// When the retro of an incident resolved at `resolved` is due.
pub fn retro_due(resolved: Ts) -> Ts {
    resolved + RETRO_DEADLINE
}

/// A retro published `seconds` after resolution met the deadline.
pub fn within_deadline(seconds: i64) -> bool {
    seconds <= RETRO_DEADLINE
}

/// The incident needs a retro, was resolved before `end` and its deadline passed before
/// `end`: with no retro by then, the retro is missing.
pub fn deadline_passed(inc: &Incident, end: Ts) -> bool {
    needs_retro(inc.severity)
        && inc
            .resolved_at
            .is_some_and(|r| r < end && retro_due(r) < end)
}

/// The resolution time of an incident when it is known by the end of `as_of`.
pub fn resolved_by(inc: &Incident, cal: &Calendar) -> Option<Ts> {
    inc.resolved_at.filter(|&r| r < cal.as_of_end)
}

/// Seconds from the incident's known resolution to the publication of its retro `retro`
/// (index into `Dataset::retros`; negative when the retro came first).
pub fn time_to_retro(
    ds: &Dataset,
    cal: &Calendar,
    inc: &Incident,
    retro: Option<u32>,
) -> Option<i64> {
    let resolved = resolved_by(inc, cal)?;
    Some(ds.retros[retro? as usize].published_at - resolved)
}

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
                .any(|a| is_open(a, cal.as_of));
            if open {
                Status::FollowUp
            } else {
                Status::Closed
            }
        }
    }
}

/// Where an action item stands on `as_of` (a done date after `as_of` has not happened yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemState {
    DoneOnTime,
    /// Done this many days after its due date.
    DoneLate(i64),
    /// Not done, this many days past its due date.
    Overdue(i64),
    Open,
}

/// The day an action item was done, when that is on or before `as_of` (a done date after
/// `as_of` has not happened yet).
pub fn done_by(item: &ActionItem, as_of: NaiveDate) -> Option<NaiveDate> {
    item.done.filter(|d| *d <= as_of)
}

/// The action item is still open on `as_of`: not done by then.
pub fn is_open(item: &ActionItem, as_of: NaiveDate) -> bool {
    done_by(item, as_of).is_none()
}

/// An action item done on `done` was done on time: on or before its due date. Callers
/// choose which done dates count (done by `as_of`, or done in a month).
pub fn done_on_time(item: &ActionItem, done: NaiveDate) -> bool {
    done <= item.due
}

pub fn item_state(item: &ActionItem, as_of: NaiveDate) -> ItemState {
    match done_by(item, as_of) {
        Some(d) if done_on_time(item, d) => ItemState::DoneOnTime,
        Some(d) => ItemState::DoneLate((d - item.due).num_days()),
        None if crate::model::past_due(item.due, as_of) => {
            ItemState::Overdue((as_of - item.due).num_days())
        }
        None => ItemState::Open,
    }
}

/// `almanac check`'s warning for every severity 1-2 incident resolved more than 72 h
/// before the end of `as_of` that no retro file names (retros must be loaded at all).
pub fn missing_retro_warnings(ds: &Dataset, cal: &Calendar) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if !ds.present.retros {
        return diags;
    }
    let named: HashSet<&str> = ds.retros.iter().map(|r| r.incident.as_str()).collect();
    for inc in &ds.incidents {
        if deadline_passed(inc, cal.as_of_end) && !named.contains(inc.id.as_str()) {
            diags.warn(
                "data/incidents.csv",
                Some(Pos { line: inc.line, column: 1 }),
                format!("severity {} incident `{}` was resolved more than 72 h ago and has no retro; add content/retros/{}.md", inc.severity, inc.id, inc.id),
            );
        }
    }
    diags
}
