//! On-call load: takes one scope's pages (`data/pages.csv`) and one period and returns
//! pages per week and the actionable and after-hours shares (`Oncall`), `None` for no data.

use crate::metrics::dora::covers;
use crate::metrics::index::Index;
use crate::metrics::scope::{range, ScopeEvents};
use crate::metrics::stats::ratio;
use crate::period::Period;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Oncall {
    pub pages_per_week: Option<f64>,
    pub actionable_page_rate: Option<f64>,
    pub after_hours_page_rate: Option<f64>,
}

pub fn oncall(ix: &Index, ev: &ScopeEvents, p: &Period) -> Oncall {
    let ds = ix.ds;
    if !(ds.present.pages && covers(ix.coverage.pages, p)) {
        return Oncall::default();
    }
    let pages = &ev.pages[range(&ev.page_at, p.start, p.end)];
    let n = pages.len() as u64;
    let count = |f: fn(&crate::model::PageEvent) -> bool| {
        pages.iter().filter(|&&i| f(&ds.pages[i as usize])).count() as u64
    };
    Oncall {
        pages_per_week: Some(n as f64 * 7.0 / p.days as f64),
        actionable_page_rate: ratio(count(|pg| pg.actionable), n),
        after_hours_page_rate: ratio(count(|pg| pg.after_hours), n),
    }
}
