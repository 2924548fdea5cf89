//! On-call load: pure metric functions that take one scope-period `Basis` (its pages from
//! `data/pages.csv`) and return pages per week and the actionable and after-hours shares,
//! `None` where there is no page data.

use crate::metrics::basis::Basis;
use crate::metrics::stats::ratio;
use crate::model::PageEvent;

/// Pages per 7 days of the period.
pub fn pages_per_week(b: &Basis) -> Option<f64> {
    b.pages.map(|p| p.len() as f64 * 7.0 / b.period.days as f64)
}

/// Share of the period's pages that were actionable.
pub fn actionable_page_rate(b: &Basis) -> Option<f64> {
    share(b, |pg| pg.actionable)
}

/// Share of the period's pages outside working hours.
pub fn after_hours_page_rate(b: &Basis) -> Option<f64> {
    share(b, |pg| pg.after_hours)
}

fn share(b: &Basis, f: fn(&PageEvent) -> bool) -> Option<f64> {
    let pages = b.pages?;
    let all = &b.ds().pages;
    let n = pages.iter().filter(|&&i| f(&all[i as usize])).count() as u64;
    ratio(n, pages.len() as u64)
}
