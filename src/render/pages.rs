//! Scope pages: takes the report and charts and returns the dashboard, one page per team
//! and per service, and the teams index, each with a context holding only what it shows.

use crate::metrics::catalog::{Metric, FOUR_KEYS, LEARNING_KEYS};
use crate::metrics::scope::ScopeKind;
use crate::metrics::{Figures, ScopeReport};
use crate::period::Grain;
use crate::render::charts::{self as chart, ChartView};
use crate::render::context::{period_text, root_of, shown, tile, Tile};
use crate::render::interventions::{self, InterventionView};
use crate::render::paths::scope_path;
use crate::render::registry::{Kind, PageKind, PageOf, Source, FIGURES};
use crate::render::site::Site;
use crate::render::slo::{short_section, SloSection};
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
pub struct DashboardView {
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
pub struct ScopePageView {
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
pub struct TeamsIndexView {
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

/// The teams' scopes, listed by name (case-insensitively, then by id), as the pages say.
pub fn team_scopes(report: &crate::metrics::Report) -> impl Iterator<Item = &ScopeReport> {
    let mut teams: Vec<&ScopeReport> = report
        .scopes
        .iter()
        .filter(|s| s.scope.kind == ScopeKind::Team)
        .collect();
    teams.sort_by_cached_key(|s| (s.scope.name.to_lowercase(), s.scope.id.clone()));
    teams.into_iter()
}

/// `index.html`: the org's four keys, charts, SLOs needing attention, learning loop and
/// the teams' four keys.
pub struct Dashboard;

impl PageKind for Dashboard {
    type View = DashboardView;
    const KIND: Kind = Kind {
        name: "dashboard",
        pattern: "index.html",
        template: "index.html",
        reads: FIGURES,
    };
    fn pages(site: &Site) -> Vec<PageOf<DashboardView>> {
        vec![dashboard(site)]
    }
}

/// `teams/index.html`: every team with its services, and the services no team owns.
pub struct TeamsIndex;

impl PageKind for TeamsIndex {
    type View = TeamsIndexView;
    const KIND: Kind = Kind {
        name: "teams",
        pattern: "teams/index.html",
        template: "teams.html",
        // Services come from the config and from every table that names one.
        reads: &[
            Source::Config,
            Source::Deployments,
            Source::Changes,
            Source::Incidents,
            Source::Pages,
            Source::Slos,
        ],
    };
    fn pages(site: &Site) -> Vec<PageOf<TeamsIndexView>> {
        vec![teams_index(site)]
    }
}

/// `teams/{team}.html`: one team's figures, charts, SLOs, interventions, history and on-call.
pub struct TeamPage;

impl PageKind for TeamPage {
    type View = ScopePageView;
    const KIND: Kind = Kind {
        name: "team",
        pattern: "teams/{team}.html",
        template: "scope.html",
        reads: FIGURES,
    };
    fn pages(site: &Site) -> Vec<PageOf<ScopePageView>> {
        scope_pages(site, ScopeKind::Team)
    }
}

/// `services/{service}.html`: one service's figures, charts, SLOs, interventions and history.
pub struct ServicePage;

impl PageKind for ServicePage {
    type View = ScopePageView;
    const KIND: Kind = Kind {
        name: "service",
        pattern: "services/{service}.html",
        template: "scope.html",
        reads: FIGURES,
    };
    fn pages(site: &Site) -> Vec<PageOf<ScopePageView>> {
        scope_pages(site, ScopeKind::Service)
    }
}

fn scope_pages(site: &Site, kind: ScopeKind) -> Vec<PageOf<ScopePageView>> {
    site.report
        .scopes
        .iter()
        .filter(|s| s.scope.kind == kind)
        .map(|s| scope_page(site, s))
        .collect()
}

/// The current quarter's figures of a scope and what they are compared with: the
/// previous quarter, or its same days when the current quarter is partial.
fn current_and_previous(s: &ScopeReport) -> Option<(&Figures, Option<&Figures>)> {
    let q = s.series.get(&Grain::Quarter)?;
    let cur = q.last()?;
    Some((cur, s.previous(Grain::Quarter, q.len() - 1)))
}

fn tiles(site: &Site, s: &ScopeReport, keys: &[Metric], root: &str) -> Vec<Tile> {
    let defs = &site.records.metric_defs;
    let Some((cur, prev)) = current_and_previous(s) else {
        return Vec::new();
    };
    let trends = site.report.trends_of(s);
    let current = s.series[&Grain::Quarter].len() - 1;
    keys.iter()
        .map(|&k| {
            let verdict = trends.change(Grain::Quarter, k, current).verdict;
            let mut t = tile(k, defs, cur, prev, verdict, root);
            t.sparkline = site
                .charts
                .svg(&chart::sparkline_id(&s.scope.key, k))
                .unwrap_or_default()
                .to_string();
            t
        })
        .collect()
}

/// The scope's SLOs as of `as_of` (its current quarter's figures), sorted by risk.
fn slo_section(site: &Site, s: &ScopeReport, root: &str) -> SloSection {
    let figures = current_and_previous(s).map_or(&[][..], |(cur, _)| &cur.slos[..]);
    short_section(site.config, &site.records, figures, root)
}

fn dashboard(site: &Site) -> PageOf<DashboardView> {
    let path = "index.html";
    let org = site
        .report
        .scope("org")
        .expect("the org scope always exists");
    let teams = team_scopes(site.report)
        .map(|s| TeamRow {
            name: s.scope.name.clone(),
            href: scope_path(ScopeKind::Team, &s.scope.id),
            values: current_and_previous(s).map_or_else(
                || vec!["n/a".to_string(); 4],
                |(cur, _)| FOUR_KEYS.iter().map(|&k| shown(k, cur)).collect(),
            ),
        })
        .collect();
    let view = DashboardView {
        period_text: period_text(site.report),
        keys: tiles(site, org, &FOUR_KEYS, ""),
        learning: tiles(site, org, &LEARNING_KEYS, ""),
        charts: site.charts.views_for("org", ""),
        slos: slo_section(site, org, ""),
        interventions: interventions::views(site, org, ""),
        team_headers: HEADERS.to_vec(),
        teams,
    };
    PageOf {
        path: path.to_string(),
        title: "Dashboard".to_string(),
        view,
    }
}

fn scope_page(site: &Site, s: &ScopeReport) -> PageOf<ScopePageView> {
    let path = scope_path(s.scope.kind, &s.scope.id);
    let root = root_of(&path);
    let ds = site.records;
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
                let team = &site.config.teams[t as usize];
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
    let view = ScopePageView {
        name: s.scope.name.clone(),
        kind,
        parent,
        services,
        period_text: period_text(site.report),
        keys: tiles(site, s, &FOUR_KEYS, &root),
        learning: tiles(site, s, &LEARNING_KEYS, &root),
        charts: site.charts.views_for(&s.scope.key, &root),
        slos: slo_section(site, s, &root),
        interventions: interventions::views(site, s, &root),
        history_headers: HEADERS.iter().copied().chain(["Incidents"]).collect(),
        history,
        oncall: (s.scope.kind == ScopeKind::Team)
            .then(|| {
                let trends = site.report.trends_of(s);
                super::oncall::section(s, trends, defs, &root)
            })
            .flatten(),
    };
    PageOf {
        path,
        title: s.scope.name.clone(),
        view,
    }
}

fn teams_index(site: &Site) -> PageOf<TeamsIndexView> {
    let path = "teams/index.html";
    let ds = site.records;
    let link = |id: u32| {
        let name = ds.services.name(id).to_string();
        Link {
            href: format!("../{}", scope_path(ScopeKind::Service, &name)),
            name,
        }
    };
    let teams = team_scopes(site.report)
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
    PageOf {
        path: path.to_string(),
        title: "Teams".to_string(),
        view: TeamsIndexView { teams, unowned },
    }
}
