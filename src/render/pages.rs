//! Scope pages: takes the report and charts and returns the dashboard, one page per team
//! and per service, and the teams index, each with a context holding only what it shows.

use crate::metrics::catalog::{Metric, FOUR_KEYS, LEARNING_KEYS};
use crate::metrics::scope::ScopeKind;
use crate::metrics::{Figures, ScopeReport};
use crate::period::Grain;
use crate::render::charts::{self as chart, ChartView};
use crate::render::context::{base, context, period_text, root_of, shown, tile, Tile};
use crate::render::interventions::{self, InterventionView};
/// Kept here too for the page modules that import it from `pages`; new code imports
/// `render::paths`.
pub use crate::render::paths::scope_path;
use crate::render::slo::{short_section, SloSection};
use crate::render::{Page, RenderInput};
use serde::Serialize;

#[derive(Serialize)]
struct Link {
    name: String,
    href: String,
}

#[derive(Serialize)]
struct Row {
    period: String,
    values: Vec<String>,
}

#[derive(Serialize)]
struct TeamRow {
    name: String,
    href: String,
    values: Vec<String>,
}

#[derive(Serialize)]
struct Dashboard {
    period_text: String,
    keys: Vec<Tile>,
    learning: Vec<Tile>,
    charts: Vec<ChartView>,
    slos: SloSection,
    interventions: Vec<InterventionView>,
    team_headers: Vec<&'static str>,
    teams: Vec<TeamRow>,
}

#[derive(Serialize)]
struct ScopePage {
    name: String,
    kind: &'static str,
    parent: Option<Link>,
    services: Vec<Link>,
    period_text: String,
    keys: Vec<Tile>,
    learning: Vec<Tile>,
    charts: Vec<ChartView>,
    slos: SloSection,
    interventions: Vec<InterventionView>,
    history_headers: Vec<&'static str>,
    history: Vec<Row>,
    oncall: Option<super::oncall::OncallView>,
}

#[derive(Serialize)]
struct TeamsIndex {
    teams: Vec<TeamEntry>,
    unowned: Vec<Link>,
}

#[derive(Serialize)]
struct TeamEntry {
    name: String,
    href: String,
    services: Vec<Link>,
}

const HEADERS: [&str; 4] = [
    "Deployment frequency",
    "Lead time (median)",
    "Change failure rate",
    "Time to restore (median)",
];

/// The teams' scopes, in config order.
pub fn team_scopes(report: &crate::metrics::Report) -> impl Iterator<Item = &ScopeReport> {
    report
        .scopes
        .iter()
        .filter(|s| s.scope.kind == ScopeKind::Team)
}

pub fn all(input: &RenderInput) -> Vec<Page> {
    let mut pages = vec![dashboard(input), teams_index(input)];
    for s in input
        .report
        .scopes
        .iter()
        .filter(|s| s.scope.kind != ScopeKind::Org)
    {
        pages.push(scope_page(input, s));
    }
    pages
}

/// The current and previous quarter's figures of a scope.
fn current_and_previous(s: &ScopeReport) -> Option<(&Figures, Option<&Figures>)> {
    let q = s.series.get(&Grain::Quarter)?;
    let cur = q.last()?;
    Some((cur, q.len().checked_sub(2).map(|i| &q[i])))
}

fn tiles(input: &RenderInput, s: &ScopeReport, keys: &[Metric], root: &str) -> Vec<Tile> {
    let defs = &input.ds.metric_defs;
    let Some((cur, prev)) = current_and_previous(s) else {
        return Vec::new();
    };
    keys.iter()
        .map(|&k| {
            let mut t = tile(k, defs, cur, prev, root);
            t.sparkline = input
                .charts
                .svg(&chart::sparkline_id(&s.scope.key, k))
                .unwrap_or_default()
                .to_string();
            t
        })
        .collect()
}

/// The scope's SLOs as of `as_of` (its current quarter's figures), sorted by risk.
fn slo_section(input: &RenderInput, s: &ScopeReport, root: &str) -> SloSection {
    let figures = current_and_previous(s).map_or(&[][..], |(cur, _)| &cur.slos[..]);
    short_section(input.config, input.ds, figures, root)
}

fn dashboard(input: &RenderInput) -> Page {
    let path = "index.html";
    let org = input
        .report
        .scope("org")
        .expect("the org scope always exists");
    let teams = team_scopes(input.report)
        .map(|s| TeamRow {
            name: s.scope.name.clone(),
            href: scope_path(ScopeKind::Team, &s.scope.id),
            values: current_and_previous(s).map_or_else(
                || vec!["n/a".to_string(); 4],
                |(cur, _)| FOUR_KEYS.iter().map(|&k| shown(k, cur)).collect(),
            ),
        })
        .collect();
    let page = Dashboard {
        period_text: period_text(input.report),
        keys: tiles(input, org, &FOUR_KEYS, ""),
        learning: tiles(input, org, &LEARNING_KEYS, ""),
        charts: input.charts.views_for("org", ""),
        slos: slo_section(input, org, ""),
        interventions: interventions::views(input, org, ""),
        team_headers: HEADERS.to_vec(),
        teams,
    };
    Page {
        path: path.to_string(),
        template: "index.html",
        context: context(
            base(&input.config.title, input.report, path, "Dashboard"),
            &page,
        ),
    }
}

fn scope_page(input: &RenderInput, s: &ScopeReport) -> Page {
    let path = scope_path(s.scope.kind, &s.scope.id);
    let root = root_of(&path);
    let ds = input.ds;
    let (kind, parent, services) = match s.scope.kind {
        ScopeKind::Team => (
            "team",
            None,
            s.scope
                .services
                .iter()
                .map(|&id| {
                    let name = ds.services.name(id).to_string();
                    Link {
                        href: format!("{root}{}", scope_path(ScopeKind::Service, &name)),
                        name,
                    }
                })
                .collect(),
        ),
        _ => {
            let team = s
                .scope
                .services
                .first()
                .and_then(|&id| ds.service_team[id as usize]);
            let parent = team.map(|t| {
                let team = &input.config.teams[t as usize];
                Link {
                    name: team.name.clone(),
                    href: format!("{root}{}", scope_path(ScopeKind::Team, &team.id)),
                }
            });
            ("service", parent, Vec::new())
        }
    };
    let defs = &ds.metric_defs;
    let history = s
        .series
        .get(&Grain::Quarter)
        .map(|q| {
            q.iter()
                .rev()
                .map(|f| Row {
                    period: f.period.clone(),
                    values: FOUR_KEYS
                        .iter()
                        .chain([Metric::Incidents].iter())
                        .map(|&k| shown(k, f))
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    let page = ScopePage {
        name: s.scope.name.clone(),
        kind,
        parent,
        services,
        period_text: period_text(input.report),
        keys: tiles(input, s, &FOUR_KEYS, &root),
        learning: tiles(input, s, &LEARNING_KEYS, &root),
        charts: input.charts.views_for(&s.scope.key, &root),
        slos: slo_section(input, s, &root),
        interventions: interventions::views(input, s, &root),
        history_headers: HEADERS.iter().copied().chain(["Incidents"]).collect(),
        history,
        oncall: (s.scope.kind == ScopeKind::Team)
            .then(|| {
                let trends = super::charts::trend::scope_trends(s, input.report);
                super::oncall::section(s, trends, defs, &root)
            })
            .flatten(),
    };
    Page {
        template: "scope.html",
        context: context(
            base(&input.config.title, input.report, &path, &s.scope.name),
            &page,
        ),
        path,
    }
}

fn teams_index(input: &RenderInput) -> Page {
    let path = "teams/index.html";
    let ds = input.ds;
    let link = |id: u32| {
        let name = ds.services.name(id).to_string();
        Link {
            href: format!("../{}", scope_path(ScopeKind::Service, &name)),
            name,
        }
    };
    let teams = team_scopes(input.report)
        .map(|s| TeamEntry {
            name: s.scope.name.clone(),
            href: format!("../{}", scope_path(ScopeKind::Team, &s.scope.id)),
            services: s.scope.services.iter().map(|&id| link(id)).collect(),
        })
        .collect();
    let unowned = (0..ds.services.len() as u32)
        .filter(|&id| ds.service_team[id as usize].is_none())
        .map(link)
        .collect();
    let page = TeamsIndex { teams, unowned };
    Page {
        path: path.to_string(),
        template: "teams.html",
        context: context(
            base(&input.config.title, input.report, path, "Teams"),
            &page,
        ),
    }
}
