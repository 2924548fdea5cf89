//! Learning-loop figures: takes one scope's incidents, retros and action items and one
//! period and returns retro timeliness, follow-through, the action-item backlog, repeat
//! incidents and detection/acknowledgement times (`Learning`).

use crate::metrics::dora::covers;
use crate::metrics::index::{hours, Index};
use crate::metrics::retro::{deadline_passed, needs_retro, retro_due};
use crate::metrics::scope::{range, ScopeEvents};
use crate::metrics::stats::{median, ratio};
use crate::model::{Dataset, Retro, DAY};
use crate::period::{Calendar, Period};
use chrono::NaiveDate;
use serde::Serialize;

/// How far back an earlier incident with the same cause on the same service makes a repeat.
pub const REPEAT_WINDOW: i64 = 90 * DAY;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Learning {
    pub retro_within_72h_rate: Option<f64>,
    pub action_items_on_time_rate: Option<f64>,
    pub retros_missing: Option<u64>,
    pub action_items_open: Option<u64>,
    pub action_items_overdue: Option<u64>,
    pub repeat_incidents: Option<u64>,
    pub median_days_to_fix: Option<f64>,
    pub time_to_detect_median_hours: Option<f64>,
    pub time_to_acknowledge_median_hours: Option<f64>,
}

pub fn learning(ix: &Index, ev: &ScopeEvents, p: &Period) -> Learning {
    let ds = ix.ds;
    let mut out = Learning::default();
    let incidents_known = ds.present.incidents && covers(ix.coverage.incidents, p);
    if incidents_known {
        response(ix, ev, p, &mut out);
    }
    if !ds.present.retros {
        return out;
    }
    if incidents_known {
        retros(ix, ev, p, &mut out);
        backlog(ev, p.last_day.min(ix.cal.as_of), &mut out);
    }
    let last = p.last_day.min(ix.cal.as_of);
    let lo = ev.items.partition_point(|f| f.due < p.first_day);
    let hi = ev.items.partition_point(|f| f.due <= last);
    let items = &ev.items[lo..hi.max(lo)];
    let on_time = items.iter().filter(|f| f.on_time).count() as u64;
    out.action_items_on_time_rate = ratio(on_time, items.len() as u64);
    out
}

/// Repeats and the detection and acknowledgement medians of the period's incidents.
fn response(ix: &Index, ev: &ScopeEvents, p: &Period, out: &mut Learning) {
    let ds = ix.ds;
    let end = ix.cal.as_of_end;
    let (mut detect, mut ack, mut repeats) = (Vec::new(), Vec::new(), 0u64);
    for &i in &ev.incidents[range(&ev.incident_at, p.start, p.end)] {
        let inc = &ds.incidents[i as usize];
        let detected = inc.detected_at.filter(|&t| t < end);
        if let Some(d) = detected {
            detect.push(hours(inc.started_at, d));
        }
        if let (Some(d), Some(a)) = (detected, inc.acknowledged_at.filter(|&t| t < end)) {
            ack.push(hours(d, a));
        }
        if previous_same_cause(ds, &ix.incidents[inc.service as usize], i).is_some() {
            repeats += 1;
        }
    }
    out.repeat_incidents = Some(repeats);
    if ds.present.detected {
        out.time_to_detect_median_hours = median(&mut detect);
    }
    if ds.present.detected && ds.present.acknowledged {
        out.time_to_acknowledge_median_hours = median(&mut ack);
    }
}

/// Retro timeliness, missing retros and days to fix of the period's incidents.
fn retros(ix: &Index, ev: &ScopeEvents, p: &Period, out: &mut Learning) {
    let ds = ix.ds;
    let end = ix.cal.as_of_end;
    let (mut due, mut met, mut missing) = (0u64, 0u64, 0u64);
    let mut fix_days = Vec::new();
    for &i in &ev.incidents[range(&ev.incident_at, p.start, p.end)] {
        let inc = &ds.incidents[i as usize];
        let Some(resolved) = inc.resolved_at.filter(|&r| r < end) else {
            continue;
        };
        let published = ix.retro_published[i as usize];
        if needs_retro(inc.severity) {
            due += 1;
            if published.is_some_and(|t| t <= retro_due(resolved)) {
                met += 1;
            }
            if published.is_none() && deadline_passed(inc, end) {
                missing += 1;
            }
        }
        if let Some(r) = ix.retro_of[i as usize] {
            if let Some(days) = days_to_fix(&ds.retros[r as usize], resolved, &ix.cal) {
                fix_days.push(days);
            }
        }
    }
    out.retro_within_72h_rate = ratio(met, due);
    out.retros_missing = Some(missing);
    out.median_days_to_fix = median(&mut fix_days);
}

/// Open and overdue action items on `day`: items of retros published by then, not done by
/// then; overdue when their due date is before `day`.
fn backlog(ev: &ScopeEvents, day: NaiveDate, out: &mut Learning) {
    let (mut open, mut overdue) = (0u64, 0u64);
    for f in &ev.items {
        if f.opened <= day && f.done.is_none_or(|d| d > day) {
            open += 1;
            if f.due < day {
                overdue += 1;
            }
        }
    }
    out.action_items_open = Some(open);
    out.action_items_overdue = Some(overdue);
}

/// The day the last action item of a retro was done (by `as_of`), when it has items and
/// every one of them is done; `None` otherwise.
pub fn fixed_on(retro: &Retro, as_of: NaiveDate) -> Option<NaiveDate> {
    let mut last: Option<NaiveDate> = None;
    for item in &retro.action_items {
        let done = item.done.filter(|&d| d <= as_of)?;
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

/// The latest earlier incident on the same service with the same (non-empty) cause that
/// started at most 90 days before incident `i`. `list` is that service's incidents sorted
/// by `(started_at, index)`.
pub fn previous_same_cause(ds: &Dataset, list: &[u32], i: u32) -> Option<u32> {
    let inc = &ds.incidents[i as usize];
    let cause = inc.cause?;
    let key = |j: u32| (ds.incidents[j as usize].started_at, j);
    let pos = list.partition_point(|&j| key(j) < (inc.started_at, i));
    let from = inc.started_at - REPEAT_WINDOW;
    list[..pos]
        .iter()
        .rev()
        .take_while(|&&j| ds.incidents[j as usize].started_at >= from)
        .find(|&&j| ds.incidents[j as usize].cause == Some(cause))
        .copied()
}

#[cfg(test)]
#[path = "learning_tests.rs"]
mod tests;
