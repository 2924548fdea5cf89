//! Data exports, layout v2: takes the metrics `Report` and its `Trends` and returns the
//! files under `data/` that say each figure once: one file of rows per scope (its figures,
//! the ids of its SLOs and how many are in each status, each figure against the previous
//! period), one file per SLO (its figures at the end of every period) and one file of trends
//! per scope, listed in `data/index.json`. No file grows with the number of scopes or SLOs
//! times the number of periods, so none is huge.

use crate::metrics::slo::SloFigures;
use crate::metrics::trends::{Method, ScopeTrends, Trends};
use crate::metrics::{Figures, Report, WithoutSlos};
use crate::output::{slug, OutputFile};
use crate::render::json::{lines_array, scope_rows, to_json, ComparedWith, Row};
use crate::render::paths::scope_path;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// The layout of the `data/` exports; a change gets a new number and a README note.
pub const EXPORT_SCHEMA: u32 = 2;

/// One line of a scope's file: a `data/metrics.json` v1 row with `slos` replaced by the
/// SLOs' ids and their count per status.
#[derive(Serialize)]
struct ScopeRow<'a> {
    #[serde(flatten)]
    figures: WithoutSlos<'a>,
    slo_ids: Vec<&'a str>,
    slo_status: BTreeMap<&'static str, usize>,
    vs_previous: &'a BTreeMap<&'static str, crate::metrics::trends::Change>,
    #[serde(skip_serializing_if = "Option::is_none")]
    compared_with: &'a Option<ComparedWith>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trend_13w: Option<&'a BTreeMap<&'static str, crate::metrics::trend::Trend>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    interventions: &'a Vec<&'a crate::metrics::trends::Intervention>,
}

impl<'a> ScopeRow<'a> {
    fn of(row: &'a Row<'a>) -> ScopeRow<'a> {
        let mut slo_status = BTreeMap::new();
        for s in &row.figures.slos {
            *slo_status.entry(s.status.as_str()).or_insert(0) += 1;
        }
        ScopeRow {
            figures: WithoutSlos(row.figures),
            slo_ids: row.figures.slos.iter().map(|s| s.id.as_str()).collect(),
            slo_status,
            vs_previous: &row.vs_previous,
            compared_with: &row.compared_with,
            trend_13w: row.trend_13w,
            interventions: &row.interventions,
        }
    }
}

/// One line of an SLO's file: the SLO's figures at the end of one period.
#[derive(Serialize)]
struct SloRow<'a> {
    period: &'a str,
    start: &'a str,
    end: &'a str,
    partial: bool,
    #[serde(flatten)]
    figures: &'a SloFigures,
}

/// One scope's trends file: the method beside the scope's trends.
#[derive(Serialize)]
struct TrendsFile<'a> {
    as_of: &'a str,
    method: Method,
    #[serde(flatten)]
    scope: &'a ScopeTrends,
}

#[derive(Serialize)]
struct Index<'a> {
    schema: u32,
    as_of: &'a str,
    scopes: Vec<ScopeEntry<'a>>,
    slos: Vec<SloEntry<'a>>,
}

#[derive(Serialize)]
struct ScopeEntry<'a> {
    scope: &'a str,
    name: &'a str,
    metrics: String,
    trends: String,
}

#[derive(Serialize)]
struct SloEntry<'a> {
    id: &'a str,
    service: &'a str,
    file: String,
}

/// A scope's file under `data/metrics/` or `data/trends/`: `org.json`, `teams/<team>.json`,
/// `services/<service>.json` (the scope's page path, as JSON).
fn scope_file(dir: &str, s: &crate::metrics::ScopeReport) -> String {
    let page = scope_path(s.scope.kind, &s.scope.id);
    let name = if page == "index.html" {
        "org.html"
    } else {
        &page
    };
    format!("data/{dir}/{}.json", name.trim_end_matches(".html"))
}

fn slo_file(id: &str) -> String {
    format!("data/slos/{}.json", slug(id))
}

/// Every export file of layout v2, handed to `put` (in parallel) as it is made. With the
/// report the files were last made from (`previous`), a scope whose figures and trends are
/// the same there makes no files: their paths are returned, the files left as they were.
pub fn exports<E: Send>(
    report: &Report,
    previous: Option<&Report>,
    put: &(impl Fn(OutputFile) -> Result<(), E> + Sync),
) -> Result<Vec<String>, E> {
    let trends = &report.trends;
    put(index(report, trends))?;
    // Compared once per scope (the series comparison reads every figure).
    let same: Vec<bool> = (0..report.scopes.len())
        .into_par_iter()
        .map(|i| {
            previous.is_some_and(|old| {
                let (s, t) = (&report.scopes[i], &trends.scopes[i]);
                old.trends.as_of == trends.as_of
                    && old.trends.method == trends.method
                    && old.scopes.get(i).is_some_and(|o| {
                        o.scope.key == s.scope.key
                            && o.scope.name == s.scope.name
                            && o.series == s.series
                            && o.baselines == s.baselines
                    })
                    && old.trends.scopes.get(i) == Some(t)
            })
        })
        .collect();
    let kept = report
        .scopes
        .iter()
        .zip(&same)
        .filter(|&(_, &same)| same)
        .flat_map(|(s, _)| [scope_file("metrics", s), scope_file("trends", s)])
        .collect();
    report
        .scopes
        .par_iter()
        .zip(&trends.scopes)
        .zip(&same)
        .filter(|&(_, &same)| !same)
        .try_for_each(|((s, t), _)| {
            let rows = scope_rows(s, t);
            let lines = rows.iter().map(|r| to_json(&ScopeRow::of(r))).collect();
            put(OutputFile::new(
                scope_file("metrics", s),
                lines_array(lines),
            ))?;
            let file = TrendsFile {
                as_of: &trends.as_of,
                method: trends.method,
                scope: t,
            };
            let mut bytes = serde_json::to_vec(&file).expect("trends serialise");
            bytes.push(b'\n');
            put(OutputFile::new(scope_file("trends", s), bytes))
        })?;
    slo_rows(report)
        .into_par_iter()
        .try_for_each(|(id, rows)| {
            let lines = rows.iter().map(to_json).collect();
            put(OutputFile::new(slo_file(id), lines_array(lines)))
        })?;
    Ok(kept)
}

/// Every SLO's rows, by id: its figures at the end of every period of every grain, in the
/// report's order, taken from the first scope that shows it (every scope showing an SLO
/// evaluates it the same way at the same date).
fn slo_rows(report: &Report) -> BTreeMap<&str, Vec<SloRow<'_>>> {
    let mut seen: BTreeMap<&str, BTreeMap<(crate::period::Grain, usize), SloRow>> = BTreeMap::new();
    for s in &report.scopes {
        for (grain, series) in &s.series {
            for (i, f) in series.iter().enumerate() {
                for slo in &f.slos {
                    seen.entry(&slo.id)
                        .or_default()
                        .entry((*grain, i))
                        .or_insert_with(|| slo_row(f, slo));
                }
            }
        }
    }
    seen.into_iter()
        .map(|(id, rows)| (id, rows.into_values().collect()))
        .collect()
}

fn slo_row<'a>(f: &'a Figures, slo: &'a SloFigures) -> SloRow<'a> {
    SloRow {
        period: &f.period,
        start: &f.start,
        end: &f.end,
        partial: f.partial,
        figures: slo,
    }
}

/// `data/index.json`: the schema, and where each scope's and SLO's files are.
fn index(report: &Report, trends: &Trends) -> OutputFile {
    let mut slos: BTreeMap<&str, &str> = BTreeMap::new();
    for s in &report.scopes {
        for f in s.series.values().flatten() {
            for slo in &f.slos {
                slos.entry(&slo.id).or_insert(&slo.service);
            }
        }
    }
    let index = Index {
        schema: EXPORT_SCHEMA,
        as_of: &trends.as_of,
        scopes: report
            .scopes
            .iter()
            .map(|s| ScopeEntry {
                scope: &s.scope.key,
                name: &s.scope.name,
                metrics: scope_file("metrics", s),
                trends: scope_file("trends", s),
            })
            .collect(),
        slos: slos
            .into_iter()
            .map(|(id, service)| SloEntry {
                id,
                service,
                file: slo_file(id),
            })
            .collect(),
    };
    let mut json = serde_json::to_string_pretty(&index).expect("the index serialises");
    json.push('\n');
    OutputFile::new("data/index.json", json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::tests::{full_site, report_at};
    use std::sync::Mutex;

    fn made(report: &Report, previous: Option<&Report>) -> (Vec<String>, Vec<String>) {
        let files = Mutex::new(Vec::new());
        let kept = exports(report, previous, &|f: OutputFile| {
            files.lock().unwrap().push(f.path);
            Ok::<(), ()>(())
        })
        .unwrap();
        let mut files = files.into_inner().unwrap();
        files.sort();
        (files, kept)
    }

    /// The full site has three scopes (org, team-less services api and web): six scope
    /// files. Against the same report none is made again; against a report where only
    /// `api`'s figures differ, only api's two files are.
    #[test]
    fn scope_files_are_made_again_only_for_scopes_whose_figures_changed() {
        let dir = full_site();
        let report = report_at(dir.path(), chrono_tz::UTC, false);
        let (all, kept) = made(&report, None);
        assert!(kept.is_empty());
        let scope_files: Vec<&String> = all
            .iter()
            .filter(|p| p.starts_with("data/metrics/") || p.starts_with("data/trends/"))
            .collect();
        assert_eq!(scope_files.len(), 2 * report.scopes.len());

        let (again, kept) = made(&report, Some(&report));
        assert_eq!(kept.len(), scope_files.len());
        assert!(again.iter().all(|p| !scope_files.contains(&p)), "{again:?}");
        assert!(again.contains(&"data/index.json".to_string()));

        let mut changed = report.clone();
        let api = changed
            .scopes
            .iter()
            .position(|s| s.scope.key == "service:api")
            .expect("the api scope");
        let first = changed.scopes[api].series.values_mut().next().unwrap();
        first[0].days += 1;
        let (again, kept) = made(&changed, Some(&report));
        assert_eq!(kept.len(), scope_files.len() - 2);
        let remade: Vec<&String> = again.iter().filter(|p| scope_files.contains(p)).collect();
        assert_eq!(
            remade,
            [
                "data/metrics/services/api.json",
                "data/trends/services/api.json"
            ]
        );
    }
}
