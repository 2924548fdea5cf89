//! Quarterly reports: takes the `Report`, the `Dataset` and the narratives' goals and
//! returns each quarter's `QuarterFigures` (every scope's figures against the previous
//! quarter with their verdicts, SLO counts, incidents by severity, the severity 1-2
//! incidents, open items, annotations, goals), and the problems with the narratives'
//! goals and figure shortcodes.

use crate::diag::{Diagnostics, Pos};
use crate::metrics::catalog::{Metric, FOUR_KEYS};
use crate::metrics::scope::{ScopeDef, ScopeKind};
use crate::metrics::slo::SloStatus;
use crate::metrics::trend::compare;
use crate::metrics::{Report, ScopeReport};
use crate::model::{past_due, Better, Dataset, Goal, Narrative};
use crate::period::{Grain, Period};
use crate::published::{
    DefinitionChange, FigureRow, GoalResult, OpenItem, QuarterAnnotation, QuarterFigures,
    QuarterIncident, QuarterPoint, ScopeQuarter, SloCounts,
};
use rayon::prelude::*;

/// Every quarter's figures, aligned with `report.periods[Grain::Quarter]`.
pub fn quarters(report: &Report, ds: &Dataset) -> Vec<QuarterFigures> {
    let periods = report
        .periods
        .get(&Grain::Quarter)
        .map_or(&[][..], Vec::as_slice);
    // Incidents started by as_of, per service and quarter, by severity.
    let mut severity = vec![vec![[0u32; 4]; ds.services.names().len()]; periods.len()];
    for &i in &report.incidents.visible {
        let inc = &ds.incidents[i as usize];
        if let Some(q) = periods
            .iter()
            .position(|p| p.start <= inc.started_at && inc.started_at < p.end)
        {
            let sev = (inc.severity.clamp(1, 4) - 1) as usize;
            severity[q][inc.service as usize][sev] += 1;
        }
    }
    (0..periods.len())
        .into_par_iter()
        .map(|q| quarter(report, ds, periods, q, &severity))
        .collect()
}

fn quarter(
    report: &Report,
    ds: &Dataset,
    periods: &[Period],
    q: usize,
    severity: &[Vec<[u32; 4]>],
) -> QuarterFigures {
    let p = &periods[q];
    let prev = q.checked_sub(1).map(|i| &periods[i]);
    let sev_of = |qi: usize, s: &ScopeReport| {
        s.scope.services.iter().fold([0u32; 4], |mut acc, &svc| {
            for (a, n) in acc.iter_mut().zip(severity[qi][svc as usize]) {
                *a += n;
            }
            acc
        })
    };
    let scopes: Vec<ScopeQuarter> = report
        .scopes
        .iter()
        .map(|s| {
            let rows = &s.series[&Grain::Quarter];
            let (cur, before) = (&rows[q], prev.map(|_| &rows[q - 1]));
            let figures = Metric::ALL
                .iter()
                .map(|&m| {
                    let info = m.info(&ds.metric_defs);
                    let (value, previous) = (cur.get(m), before.and_then(|b| b.get(m)));
                    let verdict = if p.clipped {
                        "n/a"
                    } else {
                        compare(value, previous, info.better, info.tolerance)
                            .verdict
                            .as_str()
                    };
                    FigureRow {
                        metric: m.key().to_string(),
                        value,
                        previous,
                        verdict: verdict.to_string(),
                    }
                })
                .collect();
            ScopeQuarter {
                key: s.scope.key.clone(),
                name: s.scope.name.clone(),
                figures,
                slos: slo_counts(cur),
                slos_previous: before.map(slo_counts),
                severity: sev_of(q, s),
                severity_previous: prev.map(|_| sev_of(q - 1, s)),
            }
        })
        .collect();
    let incidents = report
        .incidents
        .visible
        .iter()
        .rev()
        .map(|&i| (i, &ds.incidents[i as usize]))
        .filter(|(_, inc)| inc.severity <= 2 && p.start <= inc.started_at && inc.started_at < p.end)
        .map(|(i, inc)| {
            let retro = report.incidents.retro_of[i as usize].map(|r| &ds.retros[r as usize]);
            QuarterIncident {
                id: inc.id.clone(),
                title: inc.title.clone(),
                severity: inc.severity,
                service: ds.services.name(inc.service).to_string(),
                started: report.calendar.date_of(inc.started_at),
                retro: retro.map(|r| r.slug.clone()),
                retro_title: retro.map(|r| r.title.clone()),
            }
        })
        .collect();
    let end = p.last_day;
    let mut open_items: Vec<OpenItem> = ds
        .retros
        .iter()
        .filter(|r| report.calendar.date_of(r.published_at) <= end)
        .flat_map(|r| {
            r.action_items
                .iter()
                .filter(|a| a.done.is_none_or(|d| d > end))
                .map(|a| OpenItem {
                    title: a.title.clone(),
                    team: a.team.clone(),
                    due: a.due,
                    overdue: past_due(a.due, end),
                    retro: r.slug.clone(),
                    incident: r.incident.clone(),
                })
        })
        .collect();
    open_items.sort_by(|a, b| (a.due, &a.retro, &a.title).cmp(&(b.due, &b.retro, &b.title)));
    let annotations = ds
        .annotations
        .iter()
        .filter(|a| p.first_day <= a.date && a.date <= end)
        .map(|a| QuarterAnnotation {
            date: a.date,
            end_date: a.end_date,
            kind: a.kind.as_str().to_string(),
            title: a.title.clone(),
            scope: a.scope.key(),
        })
        .collect();
    let goals = ds
        .narratives
        .iter()
        .find(|n| n.quarter == p.key)
        .map_or_else(Vec::new, |n| {
            n.goals
                .iter()
                .map(|g| goal(g, &scopes, p.clipped, ds))
                .collect()
        });
    QuarterFigures {
        quarter: p.key.clone(),
        first_day: p.first_day,
        last_day: end,
        partial: p.clipped,
        previous: prev.map(|p| p.key.clone()),
        scopes,
        incidents,
        open_items,
        annotations,
        goals,
        history: history(report, periods, q),
        definition_changes: report
            .definition_changes
            .iter()
            .filter(|c| c.quarter == q)
            .map(|c| DefinitionChange {
                metric: c.change.metric.key().to_string(),
                from: c.change.from,
                to: c.change.to,
                date: c.change.date,
                rows: report
                    .scopes
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.scope.kind != ScopeKind::Service)
                    .map(|(i, s)| {
                        let [from, to] = c.of_scope(i);
                        (s.scope.key.clone(), s.scope.name.clone(), from, to)
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The quarters of a report's charts: up to six, ending with quarter `q`.
pub const HISTORY_QUARTERS: usize = 6;

fn history(report: &Report, periods: &[Period], q: usize) -> Vec<QuarterPoint> {
    let Some(org) = report.scope("org") else {
        return Vec::new();
    };
    let rows = &org.series[&Grain::Quarter];
    (q.saturating_sub(HISTORY_QUARTERS - 1)..=q)
        .map(|i| QuarterPoint {
            quarter: periods[i].key.clone(),
            first_day: periods[i].first_day,
            last_day: periods[i].last_day,
            partial: periods[i].clipped,
            values: FOUR_KEYS
                .iter()
                .map(|&m| (m.key().to_string(), rows[i].get(m)))
                .collect(),
        })
        .collect()
}

fn slo_counts(f: &crate::metrics::Figures) -> SloCounts {
    let mut c = SloCounts::default();
    for s in &f.slos {
        match s.status {
            SloStatus::Healthy => c.met += 1,
            SloStatus::AtRisk => c.at_risk += 1,
            SloStatus::Exhausted => c.exhausted += 1,
            SloStatus::NoData => c.no_data += 1,
        }
    }
    c
}

/// The scope key a goal or shortcode names: `org`, `team:ID`, `service:ID`, or a bare team
/// or service id.
pub fn scope_key<'a>(name: &str, scopes: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let keys: Vec<&str> = scopes.into_iter().collect();
    if keys.contains(&name) {
        return Some(name.to_string());
    }
    ["team:", "service:"]
        .iter()
        .map(|p| format!("{p}{name}"))
        .find(|k| keys.contains(&k.as_str()))
}

/// How the quarter ended against a goal: `met`, `missed`, or `n/a` without both values (or
/// a baseline of 0 for a relative goal) or while the quarter is not over.
fn goal(g: &Goal, scopes: &[ScopeQuarter], partial: bool, ds: &Dataset) -> GoalResult {
    let key = scope_key(&g.scope, scopes.iter().map(|s| s.key.as_str()));
    let row = key
        .as_deref()
        .and_then(|k| scopes.iter().find(|s| s.key == k))
        .and_then(|s| s.figure(&g.metric));
    let (baseline, result) = row.map_or((None, None), |r| (r.previous, r.value));
    let better =
        Metric::from_key(&g.metric).map_or(Better::Lower, |m| m.info(&ds.metric_defs).better);
    let met = match (result, g.target, g.target_change) {
        _ if partial => None,
        (Some(r), Some(t), _) => Some(match better {
            Better::Lower => r <= t,
            Better::Higher => r >= t,
        }),
        (Some(r), None, Some(c)) => baseline.filter(|b| *b != 0.0).map(|b| {
            let change = (r - b) / b;
            if c < 0.0 {
                change <= c
            } else {
                change >= c
            }
        }),
        _ => None,
    };
    GoalResult {
        metric: g.metric.clone(),
        scope: key.unwrap_or_else(|| g.scope.clone()),
        target: g.target,
        target_change: g.target_change,
        baseline,
        result,
        status: match met {
            Some(true) => "met",
            Some(false) => "missed",
            None => "n/a",
        }
        .to_string(),
    }
}

/// Every narrative of a quarter without data, at its file.
pub fn check_quarters(report: &Report, narratives: &[Narrative]) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let quarters = report
        .periods
        .get(&Grain::Quarter)
        .map_or(&[][..], Vec::as_slice);
    for n in narratives {
        if !quarters.iter().any(|q| q.key == n.quarter) {
            diags.warn(&n.path, None, format!("there is no data in {}, so this narrative has no report; check the file name (e.g. 2026-q3.md) or the data", n.quarter));
        }
    }
    diags
}

/// Every goal and figure shortcode of the narratives naming an unknown metric or scope, each
/// at its position. It needs only the scopes (`scope::all_scopes`), not the figures, so it
/// runs with the other input checks and its errors come with theirs.
pub fn check_names(narratives: &[Narrative], scopes: &[ScopeDef]) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let keys: Vec<&str> = scopes.iter().map(|s| s.key.as_str()).collect();
    for n in narratives {
        let refs = n.goals.iter().map(|g| {
            (
                &g.metric,
                &g.scope,
                Pos {
                    line: g.line,
                    column: 0,
                },
                "goal",
            )
        });
        let figs = n.figures.iter().map(|f| {
            (
                &f.metric,
                &f.scope,
                Pos {
                    line: f.line,
                    column: f.column,
                },
                "figure",
            )
        });
        for (metric, scope, pos, what) in refs.chain(figs) {
            if Metric::from_key(metric).is_none() {
                let hint = crate::metrics::definitions::hint(metric);
                diags.error(&n.path, Some(pos), format!("this {what} names `{metric}`, which is not a metric almanac computes{hint}"));
            }
            if scope_key(scope, keys.iter().copied()).is_none() {
                let teams: Vec<&str> = scopes
                    .iter()
                    .filter(|s| s.kind != ScopeKind::Service)
                    .map(|s| s.key.as_str())
                    .collect();
                diags.error(&n.path, Some(pos), format!("this {what} names the scope `{scope}`, which is not the org, a team or a service; use one of {} or `service:ID`", teams.join(", ")));
            }
        }
    }
    diags
}

#[cfg(test)]
#[path = "quarterly_tests.rs"]
mod tests;
