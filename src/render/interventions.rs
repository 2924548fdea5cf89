//! Intervention results for scope pages: takes the report, the charts and one scope and
//! returns, for each `intervention` annotated on the scope (and, on a team page, on its
//! services), the report's before/after medians in words and its before/after chart.

use crate::metrics::scope::ScopeKind;
use crate::metrics::trends;
use crate::metrics::ScopeReport;
use crate::render::charts::trend::{self as trend_plan, BEFORE_AFTER_KEY};
use crate::render::charts::ChartView;
use crate::render::paths::rooted;
use crate::render::site::Site;
use crate::render::words::describe_change;
use serde::Serialize;

/// One intervention as a page lists it.
#[derive(Debug, Serialize)]
pub struct InterventionView {
    pub title: String,
    pub date: String,
    pub href: Option<String>,
    /// The scope measured when it is not the page's own (a service on its team's page).
    pub on: Option<String>,
    /// "lead time 31 h -> 19 h after 'CI caching enabled'".
    pub headline: String,
    /// "6 and 5 weeks with data", the counts behind the headline's medians.
    pub counts: String,
    /// One line per four-keys figure: medians before and after, counts and verdict.
    pub lines: Vec<String>,
    pub chart: Option<ChartView>,
}

/// The interventions shown on the page of scope `s`, whose root prefix is `root`.
pub fn views(site: &Site, s: &ScopeReport, root: &str) -> Vec<InterventionView> {
    let mut scopes = vec![s];
    if s.scope.kind == ScopeKind::Team {
        scopes.extend(s.scope.services.iter().filter_map(|&id| {
            let name = site.records.services.name(id);
            site.report.scope(&format!("service:{name}"))
        }));
    }
    scopes
        .into_iter()
        .flat_map(|measured| {
            site.report
                .trends_of(measured)
                .interventions
                .iter()
                .enumerate()
                .map(move |(i, iv)| (measured, i, iv))
        })
        .map(|(measured, i, iv)| {
            let defs = &site.records.metric_defs;
            let ba = iv.figures[BEFORE_AFTER_KEY.key()].medians;
            InterventionView {
                title: iv.title.clone(),
                date: iv.date.clone(),
                href: iv.link.as_deref().map(|l| rooted(l, root)),
                on: (measured.scope.key != s.scope.key).then(|| measured.scope.name.clone()),
                headline: describe_change("lead time", "h", &ba, &iv.title)
                    .replacen(" -> ", " → ", 1),
                counts: format!(
                    "medians of {} and {} with data, {} each side, the week of the change left out",
                    ba.before_n,
                    crate::render::words::count(ba.after_n as i64, "week"),
                    crate::render::words::count(iv.weeks as i64, "week")
                ),
                lines: trends::INTERVENTION_KEYS
                    .iter()
                    .map(|&k| trend_plan::result_text(k, &iv.figures[k.key()], defs))
                    .collect(),
                chart: site
                    .charts
                    .view(&trend_plan::before_after_id(&measured.scope.key, i), root),
            }
        })
        .collect()
}
