//! Scope pages: takes the report and charts and returns the dashboard, one page per team
//! and per service, and the teams index, each with a context holding only what it shows.

use crate::metrics::catalog::{Metric, FOUR_KEYS};
use crate::metrics::scope::ScopeKind;
use crate::metrics::ScopeReport;
use crate::period::Grain;
use crate::render::charts::{self as chart, ChartView};
use crate::render::context::{period_text, root_of, shown};
use crate::render::glance::{current_and_previous, glance, Charts, Glance};
use crate::render::interventions::{self, InterventionView};
use crate::render::paths::{review_path, scope_path};
use crate::render::registry::{Kind, PageKind, PageOf, Source, FIGURES};
use crate::render::site::Site;
use crate::render::slo::summary;
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

/// One team in the dashboard's small multiples: a value and a sparkline per figure.
#[derive(Serialize)]
struct TeamRow {
    name: String,
    href: String,
    cells: Vec<Cell>,
    slos: String,
}

#[derive(Serialize)]
struct Cell {
    value: String,
    spark: String,
}

#[derive(Serialize)]
pub struct DashboardView {
    period_text: String,
    glance: Glance,
    trends_href: String,
    /// The latest complete week's review.
    review_href: Option<String>,
    review_week: Option<String>,
    team_headers: Vec<&'static str>,
    teams: Vec<TeamRow>,
}

/// `trends.html`: the org's full charts, interventions and quarter history, one click
/// from the dashboard's sparklines.
#[derive(Serialize)]
pub struct OrgTrendsView {
    period_text: String,
    charts: Vec<ChartView>,
    interventions: Vec<InterventionView>,
    history_headers: Vec<&'static str>,
    history: Vec<Row>,
}

#[derive(Serialize)]
pub struct ScopePageView {
    name: String,
    kind: &'static str,
    parent: Option<Link>,
    services: Vec<Link>,
    period_text: String,
    glance: Glance,
    /// The latest complete week's review (team pages).
    review_href: Option<String>,
    review_week: Option<String>,
    charts: Vec<ChartView>,
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

/// The figures of the dashboard's small multiples, one column each (then the SLOs).
const MULTIPLES: [Metric; 5] = [
    Metric::DeploysPerWeek,
    Metric::LeadTimeMedianHours,
    Metric::ChangeFailureRate,
    Metric::TimeToRestoreMedianHours,
    Metric::Incidents,
];

const MULTIPLE_HEADERS: [&str; 6] = [
    "Deployment frequency",
    "Lead time (median)",
    "Change failure rate",
    "Time to restore (median)",
    "Incidents",
    "SLOs",
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

/// `index.html`: the org's five questions at a glance, then the teams' small multiples.
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

/// `trends.html`: the org's full charts.
pub struct OrgTrends;

impl PageKind for OrgTrends {
    type View = OrgTrendsView;
    const KIND: Kind = Kind {
        name: "org-trends",
        pattern: "trends.html",
        template: "trends.html",
        reads: FIGURES,
    };
    fn pages(site: &Site) -> Vec<PageOf<OrgTrendsView>> {
        vec![org_trends(site)]
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

fn dashboard(site: &Site) -> PageOf<DashboardView> {
    let path = "index.html";
    let org = site
        .report
        .scope("org")
        .expect("the org scope always exists");
    let teams = team_scopes(site.report)
        .map(|s| {
            let current = current_and_previous(s).map(|(cur, _)| cur);
            TeamRow {
                name: s.scope.name.clone(),
                href: scope_path(ScopeKind::Team, &s.scope.id),
                cells: MULTIPLES
                    .iter()
                    .map(|&k| Cell {
                        value: current.map_or_else(|| "n/a".to_string(), |cur| shown(k, cur)),
                        spark: site
                            .charts
                            .svg(&chart::sparkline_id(&s.scope.key, k))
                            .unwrap_or_default()
                            .to_string(),
                    })
                    .collect(),
                slos: current.map_or_else(String::new, |cur| summary(&cur.slos)),
            }
        })
        .collect();
    let view = DashboardView {
        period_text: period_text(site.report),
        glance: glance(site, org, "", Charts::On("trends.html")),
        trends_href: "trends.html".to_string(),
        review_href: site
            .report
            .latest_complete(Grain::Week)
            .map(|p| review_path(&p.key)),
        review_week: site
            .report
            .latest_complete(Grain::Week)
            .map(|p| p.key.clone()),
        team_headers: MULTIPLE_HEADERS.to_vec(),
        teams,
    };
    PageOf {
        path: path.to_string(),
        title: "Dashboard".to_string(),
        view,
    }
}

/// A scope's quarters, newest first: the four keys and its incidents.
fn history(s: &ScopeReport) -> Vec<Row> {
    s.series
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
        .unwrap_or_default()
}

fn org_trends(site: &Site) -> PageOf<OrgTrendsView> {
    let org = site
        .report
        .scope("org")
        .expect("the org scope always exists");
    PageOf {
        path: "trends.html".to_string(),
        title: "Trends".to_string(),
        view: OrgTrendsView {
            period_text: period_text(site.report),
            charts: site.charts.views_for("org", ""),
            interventions: interventions::views(site, org, ""),
            history_headers: HEADERS.iter().copied().chain(["Incidents"]).collect(),
            history: history(org),
        },
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
    let latest_week = site.report.latest_complete(Grain::Week);
    let view = ScopePageView {
        name: s.scope.name.clone(),
        kind,
        parent,
        services,
        period_text: period_text(site.report),
        glance: glance(site, s, &root, Charts::Here),
        review_href: latest_week
            .filter(|_| s.scope.kind == ScopeKind::Team)
            .map(|p| format!("{root}{}", review_path(&p.key))),
        review_week: latest_week.map(|p| p.key.clone()),
        charts: site.charts.views_for(&s.scope.key, &root),
        interventions: interventions::views(site, s, &root),
        history_headers: HEADERS.iter().copied().chain(["Incidents"]).collect(),
        history: history(s),
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
