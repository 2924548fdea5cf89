//! Data exports, layout v3: takes the metrics `Report` and its `Trends` and returns the
//! files under `data/` that say each figure once: one table per scope (its figures, one
//! period per line, the ids of its SLOs said once), one table per SLO (its figures at the
//! end of every period) and one file of trends per scope, listed in `data/index.json`.
//! A table is a JSON object whose `columns` name the values of each line of `rows`, so keys
//! are not repeated on every line; a changed figure is still a changed line. No file grows
//! with the number of scopes or SLOs times the number of periods, so none is huge.

use crate::metrics::catalog::Metric;
use crate::metrics::slo::SloFigures;
use crate::metrics::trends::{Change, Intervention, LatestTrend, Method, ScopeTrends, Trends};
#[cfg(test)]
use crate::metrics::WithoutSlos;
use crate::metrics::{Figures, Report, ScopeReport};
use crate::output::{slug, OutputFile};
use crate::render::json::{to_json, ComparedWith};
use crate::render::paths::scope_path;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use std::collections::BTreeMap;

/// The layout of the `data/` exports; a change gets a new number and a README note.
pub const EXPORT_SCHEMA: u32 = 3;

/// The columns of a scope's rows before its figures (which follow in catalogue order, then
/// `slo_status`).
const SCOPE_LEAD: [&str; 5] = ["period", "start", "end", "partial", "days"];

/// The columns of an SLO's rows; `good_slices` and `slices` only for timeslices budgeting.
const SLO_COLUMNS: [&str; 17] = [
    "period",
    "start",
    "end",
    "partial",
    "attainment",
    "error_budget_remaining",
    "burn_rate_1h",
    "burn_rate_6h",
    "burn_rate_1d",
    "burn_rate_7d",
    "burn_rate_window",
    "time_to_exhaustion_hours",
    "status",
    "good",
    "total",
    "buckets",
    "bucket_seconds",
];
const SLICE_COLUMNS: [&str; 2] = ["good_slices", "slices"];

fn scope_columns() -> Vec<&'static str> {
    SCOPE_LEAD
        .into_iter()
        .chain(Metric::ALL.iter().map(|m| m.key()))
        .chain(["slo_status"])
        .collect()
}

fn slo_columns(slices: bool) -> Vec<&'static str> {
    let (head, tail) = SLO_COLUMNS.split_at(15);
    let slices: &[&str] = if slices { &SLICE_COLUMNS } else { &[] };
    head.iter().chain(slices).chain(tail).copied().collect()
}

/// One line of a scope's table: the values of [`scope_columns`].
struct ScopeLine<'a>(&'a Figures);

impl Serialize for ScopeLine<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let f = self.0;
        let mut seq = s.serialize_seq(Some(SCOPE_LEAD.len() + Metric::COUNT + 1))?;
        seq.serialize_element(&f.period)?;
        seq.serialize_element(&f.start)?;
        seq.serialize_element(&f.end)?;
        seq.serialize_element(&f.partial)?;
        seq.serialize_element(&f.days)?;
        for m in Metric::ALL {
            seq.serialize_element(&f.json(m))?;
        }
        let mut status: BTreeMap<&str, usize> = BTreeMap::new();
        for slo in &f.slos {
            *status.entry(slo.status.as_str()).or_insert(0) += 1;
        }
        seq.serialize_element(&status)?;
        seq.end()
    }
}

/// One line of an SLO's table: the values of [`slo_columns`] at the end of one period.
struct SloLine<'a>(&'a Figures, &'a SloFigures);

impl Serialize for SloLine<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (f, slo) = (self.0, self.1);
        let mut seq = s.serialize_seq(None)?;
        seq.serialize_element(&f.period)?;
        seq.serialize_element(&f.start)?;
        seq.serialize_element(&f.end)?;
        seq.serialize_element(&f.partial)?;
        seq.serialize_element(&slo.attainment)?;
        seq.serialize_element(&slo.error_budget_remaining)?;
        seq.serialize_element(&slo.burn_rate_1h)?;
        seq.serialize_element(&slo.burn_rate_6h)?;
        seq.serialize_element(&slo.burn_rate_1d)?;
        seq.serialize_element(&slo.burn_rate_7d)?;
        seq.serialize_element(&slo.burn_rate_window)?;
        seq.serialize_element(&slo.time_to_exhaustion_hours)?;
        seq.serialize_element(&slo.status)?;
        seq.serialize_element(&slo.good)?;
        seq.serialize_element(&slo.total)?;
        if has_slices(slo) {
            seq.serialize_element(&slo.good_slices)?;
            seq.serialize_element(&slo.slices)?;
        }
        seq.serialize_element(&slo.buckets)?;
        seq.serialize_element(&slo.bucket_seconds)?;
        seq.end()
    }
}

fn has_slices(slo: &SloFigures) -> bool {
    slo.budgeting == "timeslices"
}

/// The head of a scope's table.
#[derive(Serialize)]
struct ScopeHead<'a> {
    schema: u32,
    scope: &'a str,
    name: &'a str,
    /// The scope's SLOs (the same at every period's end).
    slo_ids: Vec<&'a str>,
    columns: Vec<&'static str>,
}

/// What a partial row is compared with and how each figure compares: the previous
/// period's first `days` days, which no line of the table holds.
#[derive(Serialize)]
struct PartialRow<'a> {
    period: &'a str,
    compared_with: ComparedWith,
    vs_previous: Option<&'a BTreeMap<&'static str, Change>>,
}

/// The head of an SLO's table: what is the same at every period's end.
#[derive(Serialize)]
struct SloHead<'a> {
    schema: u32,
    id: &'a str,
    service: &'a str,
    objective: f64,
    window: &'a str,
    budgeting: &'a str,
    columns: Vec<&'static str>,
}

/// One scope's trends file: the method beside the scope's 13-week trends and its
/// interventions' before/after medians.
#[derive(Serialize)]
struct TrendsFile<'a> {
    schema: u32,
    as_of: &'a str,
    method: Method,
    scope: &'a str,
    trend: &'a LatestTrend,
    interventions: &'a [Intervention],
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

/// A table file: `head`'s fields on the first line, then each of `arrays` (`"rows"`,
/// and for a scope `"partial_rows"`) with one element per line.
fn table<H: Serialize>(head: &H, arrays: &[(&str, Vec<Vec<u8>>)]) -> Vec<u8> {
    let mut bytes = to_json(head);
    bytes.pop(); // the head object's closing brace
    for (key, rows) in arrays {
        bytes.extend_from_slice(format!(",\n\"{key}\":[").as_bytes());
        for (i, row) in rows.iter().enumerate() {
            bytes.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
            bytes.extend_from_slice(row);
        }
        bytes.extend_from_slice(if rows.is_empty() { b"]" } else { b"\n]" });
    }
    bytes.extend_from_slice(b"}\n");
    bytes
}

/// A scope's table under `data/metrics/`.
fn scope_table(s: &ScopeReport, t: &ScopeTrends) -> Vec<u8> {
    let first = s.series.values().flatten().next();
    let head = ScopeHead {
        schema: EXPORT_SCHEMA,
        scope: &s.scope.key,
        name: &s.scope.name,
        slo_ids: first.map_or(Vec::new(), |f| {
            f.slos.iter().map(|x| x.id.as_str()).collect()
        }),
        columns: scope_columns(),
    };
    let mut partial_rows = Vec::new();
    let mut rows = Vec::new();
    for (grain, series) in &s.series {
        for (i, f) in series.iter().enumerate() {
            rows.push(to_json(&ScopeLine(f)));
            if let Some(compared_with) = ComparedWith::of(f, s.previous(*grain, i)) {
                partial_rows.push(PartialRow {
                    period: &f.period,
                    compared_with,
                    vs_previous: t.partial.get(grain),
                });
            }
        }
    }
    let partial_rows = partial_rows.iter().map(to_json).collect();
    table(&head, &[("rows", rows), ("partial_rows", partial_rows)])
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
    let rows = slo_rows(report);
    put(index(report, trends, &rows))?;
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
    let mut kept: Vec<String> = report
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
            put(OutputFile::new(scope_file("metrics", s), scope_table(s, t)))?;
            let file = TrendsFile {
                schema: EXPORT_SCHEMA,
                as_of: &trends.as_of,
                method: trends.method,
                scope: &t.scope,
                trend: &t.trend,
                interventions: &t.interventions,
            };
            let mut bytes = to_json(&file);
            bytes.push(b'\n');
            put(OutputFile::new(scope_file("trends", s), bytes))
        })?;
    // An SLO's file stands when its rows are the same periods holding the very figures
    // (`metrics::compute_reusing` keeps them while the SLO's inputs stand).
    let old_rows = previous.map(slo_rows).unwrap_or_default();
    let (same, changed): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .partition(|(id, rows)| old_rows.get(id).is_some_and(|old| same_rows(old, rows)));
    kept.extend(same.into_iter().map(|(id, _)| slo_file(id)));
    changed
        .into_par_iter()
        .try_for_each(|(id, rows)| put(OutputFile::new(slo_file(id), slo_table(&rows))))?;
    Ok(kept)
}

/// An SLO's table under `data/slos/`: its definition once, then its figures at the end
/// of every period. `rows` is never empty.
fn slo_table(rows: &[SloLine]) -> Vec<u8> {
    let slo = rows[0].1;
    let head = SloHead {
        schema: EXPORT_SCHEMA,
        id: &slo.id,
        service: &slo.service,
        objective: slo.objective,
        window: &slo.window,
        budgeting: slo.budgeting,
        columns: slo_columns(has_slices(slo)),
    };
    table(&head, &[("rows", rows.iter().map(to_json).collect())])
}

/// The same rows: the same periods (as an SLO's table shows them) with equal figures
/// (the very same ones, at once, while `metrics::compute_reusing` keeps them).
fn same_rows(old: &[SloLine], new: &[SloLine]) -> bool {
    fn period(f: &Figures) -> (&str, &str, &str, bool) {
        (&f.period, &f.start, &f.end, f.partial)
    }
    old.len() == new.len()
        && old
            .iter()
            .zip(new)
            .all(|(a, b)| period(a.0) == period(b.0) && (std::ptr::eq(a.1, b.1) || a.1 == b.1))
}

/// Every SLO's rows, by id: its figures at the end of every period of every grain, in the
/// report's order, taken from the first scope that shows it (every scope showing an SLO
/// evaluates it the same way at the same date).
fn slo_rows(report: &Report) -> BTreeMap<&str, Vec<SloLine<'_>>> {
    type Rows<'a> = BTreeMap<(crate::period::Grain, usize), SloLine<'a>>;
    // Every scope row names its SLOs: found by hash, ordered by id once at the end.
    let mut at: FxHashMap<&str, usize> = FxHashMap::default();
    let mut seen: Vec<(&str, Rows)> = Vec::new();
    for s in &report.scopes {
        for (grain, series) in &s.series {
            for (i, f) in series.iter().enumerate() {
                for slo in &f.slos {
                    let n = *at.entry(&slo.id).or_insert_with(|| {
                        seen.push((&slo.id, Rows::new()));
                        seen.len() - 1
                    });
                    seen[n].1.entry((*grain, i)).or_insert(SloLine(f, slo));
                }
            }
        }
    }
    seen.into_iter()
        .map(|(id, rows)| (id, rows.into_values().collect()))
        .collect()
}

/// `data/index.json`: the schema, and where each scope's and SLO's files are.
fn index(report: &Report, trends: &Trends, slo_rows: &BTreeMap<&str, Vec<SloLine>>) -> OutputFile {
    // Every SLO a scope shows has rows (`slo_rows`), and each row names the SLO's service.
    let slos = slo_rows
        .iter()
        .filter_map(|(&id, rows)| Some((id, rows.first()?.1.service.as_str())));
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

    /// The columns name exactly the keys of the objects `almanac metrics --format json`
    /// prints, in their order (less what the head says once): a figure added to `Figures` or
    /// `SloFigures` without a column fails here. On `tests/fixtures/slo`, which has an SLO
    /// of each budgeting.
    #[test]
    fn columns_name_every_key_of_the_rows_they_replace() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/slo");
        let (loaded, _) =
            crate::pipeline::load(&root, None).unwrap_or_else(|d| panic!("{:?}", d.sorted()));
        let (config, ds) = (&loaded.config, &loaded.ds);
        let cal = crate::period::Calendar::new(config.timezone, config.as_of.unwrap());
        let report = crate::metrics::compute(config, ds, cal);
        let f = &report.scope("org").unwrap().series[&crate::period::Grain::Quarter][0];
        let keys = |v: serde_json::Value| -> Vec<String> {
            v.as_object().unwrap().keys().cloned().collect()
        };
        let mut row = keys(serde_json::to_value(WithoutSlos(f)).unwrap());
        row.retain(|k| k != "scope");
        row.push("slo_status".into());
        assert_eq!(row, scope_columns());
        let line = serde_json::to_value(ScopeLine(f)).unwrap();
        assert_eq!(line.as_array().unwrap().len(), row.len());
        let budgetings: Vec<&str> = f.slos.iter().map(|s| s.budgeting).collect();
        assert!(budgetings.contains(&"timeslices") && budgetings.contains(&"occurrences"));
        for slo in &f.slos {
            let mut columns = vec!["period", "start", "end", "partial"];
            let mut rest = keys(serde_json::to_value(&**slo).unwrap());
            rest.retain(|k| {
                !["id", "service", "objective", "window", "budgeting"].contains(&k.as_str())
            });
            columns.extend(rest.iter().map(String::as_str));
            assert_eq!(columns, slo_columns(has_slices(slo)), "{}", slo.id);
            let line = serde_json::to_value(SloLine(f, slo)).unwrap();
            assert_eq!(line.as_array().unwrap().len(), columns.len());
        }
    }
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
