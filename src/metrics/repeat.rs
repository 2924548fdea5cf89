//! Repeat rule, written once: takes the `Dataset` and one service's time-sorted incidents
//! and returns, for an incident, the latest earlier incident it repeats (same service,
//! same cause, within 90 days), or for every incident at once (`repeats_of`).

use crate::model::{Dataset, DAY};

/// How far back an earlier incident with the same cause on the same service makes a repeat.
pub const REPEAT_WINDOW: i64 = 90 * DAY;

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

/// The incident each incident repeats (index into `Dataset::incidents`), indexed like
/// `Dataset::incidents`; `None` for incidents in no list. `by_service` holds each
/// service's incidents sorted by `(started_at, index)`.
pub fn repeats_of(ds: &Dataset, by_service: &[Vec<u32>]) -> Vec<Option<u32>> {
    let mut out = vec![None; ds.incidents.len()];
    for list in by_service {
        for &i in list {
            out[i as usize] = previous_same_cause(ds, list, i);
        }
    }
    out
}
