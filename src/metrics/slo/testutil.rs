//! Test helpers: builds SLO definitions, SLI rows, UTC timestamps and calendars.

use crate::config::{Budgeting, SloDef, SloWindow};
use crate::model::{SliRow, Ts};
use crate::period::Calendar;
use chrono::NaiveDate;
use chrono_tz::Tz;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// UTC seconds of `y-m-d h:00:00Z`.
pub fn ts(y: i32, m: u32, day: u32, h: u32) -> Ts {
    d(y, m, day)
        .and_hms_opt(h, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp()
}

/// A UTC calendar with `as_of` = y-m-d.
pub fn utc(y: i32, m: u32, day: u32) -> Calendar {
    Calendar::new(Tz::UTC, d(y, m, day))
}

pub fn slo(objective: f64, window: SloWindow) -> SloDef {
    SloDef {
        id: "checkout".into(),
        service: "shop".into(),
        objective,
        window,
        description: String::new(),
        budgeting: Budgeting::Occurrences,
        path: "almanac.toml".into(),
        line: 1,
    }
}

pub fn row(at: Ts, good: u64, total: u64) -> SliRow {
    SliRow {
        slo: 0,
        at,
        good,
        total,
    }
}

/// `n` buckets of `step` seconds from `start`, each `total` requests all good.
pub fn clean(start: Ts, step: i64, n: usize, total: u64) -> Vec<SliRow> {
    (0..n)
        .map(|i| row(start + i as i64 * step, total, total))
        .collect()
}
