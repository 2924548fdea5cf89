//! Learning-loop figures: takes one scope's incidents, retros and action items and one
//! period and returns retro timeliness and action-item follow-through (`Learning`).

use crate::metrics::dora::covers;
use crate::metrics::index::{Index, RETRO_DEADLINE};
use crate::metrics::scope::{range, ScopeEvents};
use crate::metrics::stats::ratio;
use crate::period::Period;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Learning {
    pub retro_within_72h_rate: Option<f64>,
    pub action_items_on_time_rate: Option<f64>,
}

pub fn learning(ix: &Index, ev: &ScopeEvents, p: &Period) -> Learning {
    let ds = ix.ds;
    let mut out = Learning::default();
    if !ds.present.retros {
        return out;
    }
    if ds.present.incidents && covers(ix.coverage.incidents, p) {
        let end = ix.cal.as_of_end;
        let (mut due, mut met) = (0u64, 0u64);
        for &i in &ev.incidents[range(&ev.incident_at, p.start, p.end)] {
            let inc = &ds.incidents[i as usize];
            let Some(resolved) = inc.resolved_at.filter(|&r| r < end) else {
                continue;
            };
            if inc.severity <= 2 {
                due += 1;
                if ix.retro_published[i as usize].is_some_and(|t| t <= resolved + RETRO_DEADLINE) {
                    met += 1;
                }
            }
        }
        out.retro_within_72h_rate = ratio(met, due);
    }
    let last = p.last_day.min(ix.cal.as_of);
    let lo = ev.items.partition_point(|f| f.due < p.first_day);
    let hi = ev.items.partition_point(|f| f.due <= last);
    let items = &ev.items[lo..hi.max(lo)];
    let on_time = items.iter().filter(|f| f.on_time).count() as u64;
    out.action_items_on_time_rate = ratio(on_time, items.len() as u64);
    out
}
