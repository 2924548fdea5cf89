//! The quarterly report's view: takes one quarter's `QuarterFigures` (today's, or a
//! published revision's), its narrative and its publication state, and returns what
//! `report.html` shows: the narrative with its figure shortcodes filled in, the headline
//! tables with verdict words, goals, incidents, open items, annotations, small charts with
//! the quarter marked, coaching prompts and the definition changes side by side.

use crate::chart::{self, ChartKind, ChartSpec, PeriodTick, Role, Series, Shade, XAxis};
use crate::load::narrative::shortcodes;
use crate::metrics::catalog::{Metric, FOUR_KEYS};
use crate::metrics::scope::ScopeKind;
use crate::published::{FigureRow, QuarterFigures, ScopeQuarter};
use crate::render::paths::{incident_path, retro_path};
use crate::render::site::Site;
use crate::render::words::format_metric;
use serde::Serialize;

/// The figures of the reliability and learning table, after the four keys.
const FOLLOW_THROUGH: [Metric; 2] = [Metric::RetroWithin72hRate, Metric::ActionItemsOnTimeRate];

#[derive(Serialize)]
pub struct Cell {
    pub value: String,
    pub previous: String,
    /// `improved`, `worsened`, `unchanged` or `n/a`.
    pub verdict: String,
}

#[derive(Serialize)]
pub struct ScopeRow {
    pub name: String,
    pub href: String,
    pub cells: Vec<Cell>,
    /// SLOs met / at risk / exhausted (and without data) at the quarter's end.
    pub slos: String,
    pub slos_previous: String,
    /// Incidents by severity 1-4: "2 / 5 / 9 / 3".
    pub severity: String,
    pub severity_previous: String,
}

#[derive(Serialize)]
pub struct GoalView {
    pub metric: String,
    pub scope: String,
    pub target: String,
    pub baseline: String,
    pub result: String,
    pub status: String,
}

#[derive(Serialize)]
pub struct IncidentView {
    pub id: String,
    pub href: String,
    pub title: String,
    pub severity: u8,
    pub service: String,
    pub started: String,
    pub retro_href: Option<String>,
    pub retro_title: Option<String>,
}

#[derive(Serialize)]
pub struct ItemView {
    pub title: String,
    pub team: String,
    pub due: String,
    pub overdue: bool,
    pub retro_href: String,
    pub incident: String,
}

#[derive(Serialize)]
pub struct NoteView {
    pub when: String,
    pub kind: String,
    pub title: String,
    pub scope: String,
}

#[derive(Serialize)]
pub struct SmallChart {
    pub title: String,
    pub svg: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Serialize)]
pub struct PromptView {
    pub metric: String,
    /// Where it moved the wrong way: "Northwind Engineering, Payments".
    pub scopes: String,
    pub questions: Vec<String>,
}

#[derive(Serialize)]
pub struct ChangeView {
    pub metric: String,
    pub from: u32,
    pub to: u32,
    pub date: String,
    /// "2025-Q4: 5.1% under v2, 4.6% under v1".
    pub headline: String,
    pub rows: Vec<(String, String, String)>,
}

/// Everything of a quarterly report the figures decide.
#[derive(Serialize)]
pub struct QuarterBody {
    pub quarter: String,
    pub first_day: String,
    pub last_day: String,
    pub partial: bool,
    pub previous: Option<String>,
    pub narrative_html: Option<String>,
    pub headers: Vec<String>,
    pub delivery: Vec<ScopeRow>,
    pub follow_headers: Vec<String>,
    pub goals: Vec<GoalView>,
    pub incidents: Vec<IncidentView>,
    pub open_items: Vec<ItemView>,
    pub overdue: usize,
    pub annotations: Vec<NoteView>,
    pub charts: Vec<SmallChart>,
    pub prompts: Vec<PromptView>,
    pub changes: Vec<ChangeView>,
}

fn name_of(m: &str, site: &Site) -> String {
    Metric::from_key(m).map_or_else(
        || m.to_string(),
        |m| m.info(site.records.metric_defs).name.to_string(),
    )
}

fn fmt(m: &str, v: Option<f64>) -> String {
    Metric::from_key(m).map_or_else(|| "n/a".into(), |m| format_metric(m, v))
}

fn cell(row: Option<&FigureRow>) -> Cell {
    row.map_or(
        Cell {
            value: "n/a".into(),
            previous: "n/a".into(),
            verdict: "n/a".into(),
        },
        |r| Cell {
            value: fmt(&r.metric, r.value),
            previous: fmt(&r.metric, r.previous),
            verdict: r.verdict.clone(),
        },
    )
}

/// The org and team rows a report shows (services are in the snapshot, not the tables).
fn shown<'a>(q: &'a QuarterFigures, site: &Site) -> Vec<&'a ScopeQuarter> {
    q.scopes
        .iter()
        .filter(|s| s.key == "org" || s.key.starts_with("team:"))
        .filter(|s| {
            s.key == "org"
                || site
                    .config
                    .teams
                    .iter()
                    .any(|t| format!("team:{}", t.id) == s.key)
        })
        .collect()
}

fn scope_href(key: &str) -> String {
    match key.split_once(':') {
        Some(("team", id)) => crate::render::paths::scope_path(ScopeKind::Team, id),
        Some(("service", id)) => crate::render::paths::scope_path(ScopeKind::Service, id),
        _ => "index.html".into(),
    }
}

/// The narrative's markdown with every `{{ figure(...) }}` replaced by its value from `q`.
pub fn fill_figures(body: &str, q: &QuarterFigures) -> String {
    let mut diags = crate::diag::Diagnostics::new();
    let refs = shortcodes(
        body,
        |_| crate::diag::Pos { line: 0, column: 0 },
        "",
        &mut diags,
    )
    .unwrap_or_default();
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for r in refs {
        let keys = q.scopes.iter().map(|s| s.key.as_str());
        let scope = crate::metrics::quarterly::scope_key(&r.scope, keys)
            .and_then(|k| q.scopes.iter().find(|s| s.key == k));
        let row = scope.and_then(|s| s.figure(&r.metric));
        let v = row.and_then(|f| if r.previous { f.previous } else { f.value });
        out.push_str(&body[at..r.start]);
        out.push_str(&fmt(&r.metric, v));
        at = r.end;
    }
    out.push_str(&body[at..]);
    out
}

pub fn body(site: &Site, q: &QuarterFigures, narrative: Option<&str>) -> QuarterBody {
    let rows = shown(q, site);
    let delivery = rows
        .iter()
        .map(|s| {
            let keys = FOUR_KEYS.iter().chain(&FOLLOW_THROUGH);
            let slos = |c: &crate::published::SloCounts| {
                if c.met + c.at_risk + c.exhausted + c.no_data == 0 {
                    return "no SLOs".to_string();
                }
                let mut t = format!("{} / {} / {}", c.met, c.at_risk, c.exhausted);
                if c.no_data > 0 {
                    t.push_str(&format!(" ({} no data)", c.no_data));
                }
                t
            };
            let sev = |s: &[u32; 4]| s.iter().map(u32::to_string).collect::<Vec<_>>().join(" / ");
            ScopeRow {
                name: s.name.clone(),
                href: scope_href(&s.key),
                cells: keys.map(|m| cell(s.figure(m.key()))).collect(),
                slos: slos(&s.slos),
                slos_previous: s.slos_previous.as_ref().map_or("n/a".into(), slos),
                severity: sev(&s.severity),
                severity_previous: s.severity_previous.as_ref().map_or("n/a".into(), sev),
            }
        })
        .collect();
    let headers = FOUR_KEYS.iter().map(|m| name_of(m.key(), site)).collect();
    let follow_headers = FOLLOW_THROUGH
        .iter()
        .map(|m| name_of(m.key(), site))
        .collect();
    let goals = q
        .goals
        .iter()
        .map(|g| GoalView {
            metric: name_of(&g.metric, site),
            scope: q
                .scopes
                .iter()
                .find(|s| s.key == g.scope)
                .map_or_else(|| g.scope.clone(), |s| s.name.clone()),
            target: match (g.target, g.target_change) {
                (Some(t), _) => fmt(&g.metric, Some(t)),
                (None, Some(c)) => format!(
                    "{:+}% on {}",
                    (c * 100.0).round(),
                    q.previous.as_deref().unwrap_or("the previous quarter")
                ),
                _ => "n/a".into(),
            },
            baseline: fmt(&g.metric, g.baseline),
            result: fmt(&g.metric, g.result),
            status: if q.partial && g.status == "n/a" {
                "n/a (quarter not over)".into()
            } else {
                g.status.clone()
            },
        })
        .collect();
    let incidents = q
        .incidents
        .iter()
        .map(|i| IncidentView {
            id: i.id.clone(),
            href: incident_path(&i.id),
            title: i.title.clone(),
            severity: i.severity,
            service: i.service.clone(),
            started: i.started.to_string(),
            retro_href: i.retro.as_deref().map(retro_path),
            retro_title: i.retro_title.clone(),
        })
        .collect();
    let open_items: Vec<ItemView> = q
        .open_items
        .iter()
        .map(|a| ItemView {
            title: a.title.clone(),
            team: a.team.clone(),
            due: a.due.to_string(),
            overdue: a.overdue,
            retro_href: retro_path(&a.retro),
            incident: a.incident.clone(),
        })
        .collect();
    let annotations = q
        .annotations
        .iter()
        .map(|a| NoteView {
            when: a
                .end_date
                .map_or_else(|| a.date.to_string(), |e| format!("{} to {e}", a.date)),
            kind: a.kind.clone(),
            title: a.title.clone(),
            scope: a.scope.clone(),
        })
        .collect();
    QuarterBody {
        quarter: q.quarter.clone(),
        first_day: q.first_day.to_string(),
        last_day: q.last_day.to_string(),
        partial: q.partial,
        previous: q.previous.clone(),
        narrative_html: narrative.map(|n| site.markdown.render(&fill_figures(n, q))),
        headers,
        delivery,
        follow_headers,
        goals,
        incidents,
        overdue: open_items.iter().filter(|i| i.overdue).count(),
        open_items,
        annotations,
        charts: charts(site, q),
        prompts: prompts(site, &rows),
        changes: changes(site, q),
    }
}

/// The coaching questions of each metric that moved the wrong way in a shown scope.
fn prompts(site: &Site, rows: &[&ScopeQuarter]) -> Vec<PromptView> {
    site.config
        .coaching
        .iter()
        .filter_map(|p| {
            let worse: Vec<&str> = rows
                .iter()
                .filter(|s| s.figure(&p.metric).is_some_and(|f| f.verdict == "worsened"))
                .map(|s| s.name.as_str())
                .collect();
            (!worse.is_empty()).then(|| PromptView {
                metric: name_of(&p.metric, site),
                scopes: worse.join(", "),
                questions: p.questions.clone(),
            })
        })
        .collect()
}

fn changes(site: &Site, q: &QuarterFigures) -> Vec<ChangeView> {
    q.definition_changes
        .iter()
        .map(|c| {
            let rows: Vec<(String, String, String)> = c
                .rows
                .iter()
                .map(|(_, name, from, to)| {
                    (name.clone(), fmt(&c.metric, *to), fmt(&c.metric, *from))
                })
                .collect();
            let headline = rows.first().map_or_else(String::new, |(_, to, from)| {
                format!(
                    "{}{}: {to} under v{}, {from} under v{}",
                    q.quarter,
                    if q.partial { " (partial)" } else { "" },
                    c.to,
                    c.from
                )
            });
            ChangeView {
                metric: name_of(&c.metric, site),
                from: c.from,
                to: c.to,
                date: c.date.to_string(),
                headline,
                rows,
            }
        })
        .collect()
}

/// One small bar chart per key over the report's history, this quarter shaded.
fn charts(site: &Site, q: &QuarterFigures) -> Vec<SmallChart> {
    let ticks: Vec<PeriodTick> = q
        .history
        .iter()
        .map(|p| PeriodTick {
            first_day: p.first_day,
            last_day: p.last_day,
            label: p.quarter.clone(),
            partial: p.partial,
        })
        .collect();
    let Some(at) = q.history.iter().position(|p| p.quarter == q.quarter) else {
        return Vec::new();
    };
    FOUR_KEYS
        .iter()
        .map(|&m| {
            let factor = if m.unit() == crate::metrics::catalog::Unit::Ratio {
                100.0
            } else {
                1.0
            };
            let values: Vec<Option<f64>> = q
                .history
                .iter()
                .map(|p| {
                    p.values
                        .iter()
                        .find(|(k, _)| k == m.key())
                        .and_then(|(_, v)| v.map(|v| v * factor))
                })
                .collect();
            let name = name_of(m.key(), site);
            let title = format!("{name}, by quarter");
            let listed: Vec<String> = q
                .history
                .iter()
                .zip(&values)
                .map(|(p, v)| format!("{} {}", p.quarter, fmt(m.key(), v.map(|v| v / factor))))
                .collect();
            let spec = ChartSpec {
                id: format!("q-{}", m.key()),
                kind: ChartKind::Bars,
                title: title.clone(),
                desc: format!(
                    "{name} for the org by quarter, {} shaded: {}.",
                    q.quarter,
                    listed.join(", ")
                ),
                x: XAxis::Periods(ticks.clone()),
                series: vec![Series::aligned(&name, Role::Primary, &values)],
                unit: match m.unit() {
                    crate::metrics::catalog::Unit::Ratio => "%".into(),
                    u => u.label().into(),
                },
                annotations: Vec::new(),
                bands: Vec::new(),
                thresholds: Vec::new(),
                shaded: vec![(at as f64, at as f64 + 1.0, Shade::Focus)],
            };
            let c = chart::draw(&spec);
            SmallChart {
                title,
                svg: c.svg,
                headers: c.table.headers,
                rows: c.table.rows,
            }
        })
        .collect()
}
