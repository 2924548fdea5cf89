//! The one-screen glance of the dashboard, team and service pages: takes a scope of the
//! report and its drawn sparklines and returns the five questions' tiles (are we shipping:
//! DORA throughput and instability; are customers feeling pain and are we within our SLOs:
//! the SLO band; are incidents trending; do we know what to do next: follow-through).

use crate::metrics::catalog::{
    Metric, FOLLOW_THROUGH_KEYS, INCIDENT_KEYS, INSTABILITY_KEYS, THROUGHPUT_KEYS,
};
use crate::metrics::{Figures, ScopeReport};
use crate::period::Grain;
use crate::render::charts as chart;
use crate::render::context::{tile, Tile};
use crate::render::site::Site;
use crate::render::slo::{glance_section, SloSection};
use serde::Serialize;

/// The five questions, answered for one scope.
#[derive(Serialize)]
pub struct Glance {
    pub throughput: Vec<Tile>,
    pub instability: Vec<Tile>,
    pub incidents: Vec<Tile>,
    pub follow_through: Vec<Tile>,
    pub slos: SloSection,
}

/// Where a glance's sparklines lead: the full charts, on this page or on another.
#[derive(Clone, Copy)]
pub enum Charts<'a> {
    /// The full charts are further down this page.
    Here,
    /// The full charts are on the page at this path from the site root.
    On(&'a str),
}

/// The current quarter's figures of a scope and what they are compared with: the
/// previous quarter, or its same days when the current quarter is partial.
pub fn current_and_previous(s: &ScopeReport) -> Option<(&Figures, Option<&Figures>)> {
    let q = s.series.get(&Grain::Quarter)?;
    let cur = q.last()?;
    Some((cur, s.previous(Grain::Quarter, q.len() - 1)))
}

/// One tile per key of `keys`, each with its sparkline and, where a full chart plots the
/// figure, a link to it.
pub fn tiles(site: &Site, s: &ScopeReport, keys: &[Metric], root: &str, full: Charts) -> Vec<Tile> {
    let defs = &site.records.metric_defs;
    let Some((cur, prev)) = current_and_previous(s) else {
        return Vec::new();
    };
    let current = s.series[&Grain::Quarter].len() - 1;
    keys.iter()
        .map(|&k| {
            let verdict =
                crate::metrics::trends::change(s, Grain::Quarter, k, current, defs).verdict;
            let mut t = tile(k, defs, cur, prev, verdict, root);
            t.sparkline = site
                .charts
                .svg(&chart::sparkline_id(&s.scope.key, k))
                .unwrap_or_default()
                .to_string();
            t.chart_href = site
                .charts
                .page_chart_of(&s.scope.key, k)
                .map(|id| match full {
                    Charts::Here => format!("#{id}"),
                    Charts::On(path) => format!("{root}{path}#{id}"),
                })
                .unwrap_or_default();
            t
        })
        .collect()
}

/// The glance of scope `s` on a page whose root prefix is `root`.
pub fn glance(site: &Site, s: &ScopeReport, root: &str, full: Charts) -> Glance {
    let figures = current_and_previous(s).map_or(&[][..], |(cur, _)| &cur.slos[..]);
    Glance {
        throughput: tiles(site, s, &THROUGHPUT_KEYS, root, full),
        instability: tiles(site, s, &INSTABILITY_KEYS, root, full),
        incidents: tiles(site, s, &INCIDENT_KEYS, root, full),
        follow_through: tiles(site, s, &FOLLOW_THROUGH_KEYS, root, full),
        slos: glance_section(site.config, &site.records, figures, root),
    }
}
