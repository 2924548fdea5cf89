//! Learning-loop figures: pure metric functions that take one scope-period `Basis` and
//! return retro timeliness, follow-through, the action-item backlog, repeat incidents and
//! detection/acknowledgement times, one figure each (per-incident facts such as repeat-of
//! and time to retro are read from the `Index`, where they are computed once).

use crate::metrics::basis::Basis;
use crate::metrics::index::hours;
use crate::metrics::retro::{done_by, needs_retro, within_deadline, Status};
use crate::metrics::stats::{median, ratio};
use crate::model::{Retro, Ts};
use crate::period::Calendar;
use chrono::NaiveDate;

/// Share of the severity 1-2 incidents started in the period and resolved by as_of whose
/// retro was published within 72 hours of resolution.
pub fn retro_within_72h_rate(b: &Basis) -> Option<f64> {
    let (mut due, mut met) = (0u64, 0u64);
    for (i, _) in resolved_with_retros(b)? {
        if needs_retro(b.ds().incidents[i as usize].severity) {
            due += 1;
            if b.ix.time_to_retro[i as usize].is_some_and(within_deadline) {
                met += 1;
            }
        }
    }
    ratio(met, due)
}

/// Severity 1-2 incidents of the period whose 72-hour retro deadline passed by as_of with
/// no retro published.
pub fn retros_missing(b: &Basis) -> Option<f64> {
    let missing = resolved_with_retros(b)?
        .filter(|&(i, _)| b.ix.status[i as usize] == Status::RetroMissing)
        .count();
    Some(missing as f64)
}

/// Median whole days from resolution to the last action item done, over the period's
/// resolved incidents whose retro's items are all done.
pub fn median_days_to_fix(b: &Basis) -> Option<f64> {
    let ds = b.ds();
    let mut fix_days: Vec<f64> = resolved_with_retros(b)?
        .filter_map(|(i, resolved)| {
            let r = b.ix.retro_of[i as usize]?;
            days_to_fix(&ds.retros[r as usize], resolved, &b.ix.cal)
        })
        .collect();
    median(&mut fix_days)
}

/// The period's incidents resolved by as_of, with their resolution, when retros are known.
fn resolved_with_retros<'a>(b: &Basis<'a>) -> Option<impl Iterator<Item = (u32, Ts)> + 'a> {
    let resolved = b.resolved().filter(|_| b.retros_known)?;
    Some(resolved.filter_map(|(i, r)| Some((i, r?))))
}

/// Share of action items due in the period (up to as_of) that were done by their due date.
pub fn action_items_on_time_rate(b: &Basis) -> Option<f64> {
    if !b.ds().present.retros {
        return None;
    }
    let (p, ev) = (b.period, b.ev);
    let last = p.last_day.min(b.ix.cal.as_of);
    let lo = ev.items.partition_point(|f| f.due < p.first_day);
    let hi = ev.items.partition_point(|f| f.due <= last);
    let items = &ev.items[lo..hi.max(lo)];
    let on_time = items.iter().filter(|f| f.on_time).count() as u64;
    ratio(on_time, items.len() as u64)
}

/// Action items open at the end of the period (clipped to as_of).
pub fn action_items_open(b: &Basis) -> Option<f64> {
    b.backlog.map(|k| k.open as f64)
}

/// Of the open action items, those past their due date.
pub fn action_items_overdue(b: &Basis) -> Option<f64> {
    b.backlog.map(|k| k.overdue as f64)
}

/// Incidents of the period that repeat an earlier one: named in their retro's `repeats`, or
/// with the same specific cause on the same service within 90 days (`metrics::repeat`, the
/// repeat-of the index computed once per build).
pub fn repeat_incidents(b: &Basis) -> Option<f64> {
    let repeats = b
        .incidents?
        .iter()
        .filter(|&&i| b.ix.repeat_of[i as usize].is_some())
        .count();
    Some(repeats as f64)
}

/// Median hours from start to detection (by as_of) of the period's incidents.
pub fn time_to_detect_median_hours(b: &Basis) -> Option<f64> {
    let incidents = b.incidents.filter(|_| b.ds().present.detected)?;
    let end = b.ix.cal.as_of_end;
    let mut detect: Vec<f64> = incidents
        .iter()
        .filter_map(|&i| {
            let inc = &b.ds().incidents[i as usize];
            Some(hours(inc.started_at, inc.detected_at.filter(|&t| t < end)?))
        })
        .collect();
    median(&mut detect)
}

/// Median hours from detection to acknowledgement (both by as_of) of the period's incidents.
pub fn time_to_acknowledge_median_hours(b: &Basis) -> Option<f64> {
    let present = &b.ds().present;
    let incidents = b
        .incidents
        .filter(|_| present.detected && present.acknowledged)?;
    let end = b.ix.cal.as_of_end;
    let mut ack: Vec<f64> = incidents
        .iter()
        .filter_map(|&i| {
            let inc = &b.ds().incidents[i as usize];
            let detected = inc.detected_at.filter(|&t| t < end)?;
            Some(hours(detected, inc.acknowledged_at.filter(|&t| t < end)?))
        })
        .collect();
    median(&mut ack)
}

/// The day the last action item of a retro was done (by `as_of`), when it has items and
/// every one of them is done; `None` otherwise.
pub fn fixed_on(retro: &Retro, as_of: NaiveDate) -> Option<NaiveDate> {
    let mut last: Option<NaiveDate> = None;
    for item in &retro.action_items {
        let done = done_by(item, as_of)?;
        last = last.max(Some(done));
    }
    last
}

/// Whole days from the local date of resolution to the last action item done, never
/// negative; `None` when the retro has no items or some are still open.
pub fn days_to_fix(retro: &Retro, resolved: crate::model::Ts, cal: &Calendar) -> Option<f64> {
    let last = fixed_on(retro, cal.as_of)?;
    Some((last - cal.date_of(resolved)).num_days().max(0) as f64)
}

#[cfg(test)]
#[path = "learning_tests.rs"]
pub(crate) mod tests;
