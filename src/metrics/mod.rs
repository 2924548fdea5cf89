//! Metrics stage: takes the `Dataset`, `Config` and `Calendar` and returns a `Report`:
//! every figure for every scope (org, teams, services) and period (quarters, months, weeks),
//! with their trends and before/after results.

pub mod actions;
pub mod basis;
pub mod catalog;
pub mod context;
pub mod definitions;
pub mod dora;
pub mod incident_window;
pub mod incidents;
pub mod index;
pub mod learning;
pub mod monthly;
pub mod oncall;
pub mod quality;
pub mod quarterly;
pub mod repeat;
pub mod restate;
pub mod retro;
pub mod scope;
pub mod slo;
pub mod stats;
pub mod trend;
pub mod trends;
pub mod weekly;

use crate::config::Config;
use crate::model::{Dataset, Ts};
use crate::period::{Calendar, Grain, Period};
use basis::Basis;
use catalog::{Metric, Unit, Values};
use chrono::NaiveDate;
use index::Index;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use scope::{ScopeDef, ScopeEvents};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// One scope's figures for one period: a row of `data/metrics/<scope>.json` and of
/// `almanac metrics`.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub scope: String,
    pub period: String,
    /// First day of the period.
    pub start: String,
    /// Last day of the period, clipped to `as_of`.
    pub end: String,
    /// True when `as_of` cut the period short (`Period::clipped`).
    pub partial: bool,
    /// The days the row covers (3 for a week cut after its Wednesday).
    pub days: u32,
    /// Every catalogued figure, indexed by `Metric`.
    pub values: Values,
    /// The scope's SLOs evaluated at the end of the period (clipped to as_of), shared with
    /// every other scope showing the same SLO.
    pub slos: Vec<Arc<slo::SloFigures>>,
}

impl Figures {
    /// One figure, `None` where there is no data.
    pub fn get(&self, m: Metric) -> Option<f64> {
        self.values[m as usize]
    }
}

/// Serialises as one flat object: scope, period, start, end, partial, days, every figure
/// by its JSON key in catalogue order (counts as integers), then the SLOs.
impl Serialize for Figures {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        self.write_values(&mut map)?;
        map.serialize_entry("slos", &self.slos)?;
        map.end()
    }
}

/// A `Figures` row serialised without its SLOs (the exports give each SLO its own file).
pub struct WithoutSlos<'a>(pub &'a Figures);

impl Serialize for WithoutSlos<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        self.0.write_values(&mut map)?;
        map.end()
    }
}

impl Figures {
    /// Scope, period, start, end, partial, days and every figure, into `map`.
    fn write_values<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("scope", &self.scope)?;
        map.serialize_entry("period", &self.period)?;
        map.serialize_entry("start", &self.start)?;
        map.serialize_entry("end", &self.end)?;
        map.serialize_entry("partial", &self.partial)?;
        map.serialize_entry("days", &self.days)?;
        for m in Metric::ALL {
            map.serialize_entry(m.key(), &self.json(m))?;
        }
        Ok(())
    }

    /// Figure `m` as the JSON outputs write it: a count as an integer, anything else as a
    /// number, `null` where there is no data.
    pub fn json(&self, m: Metric) -> JsonFigure {
        let v = self.get(m);
        match m.unit() {
            Unit::Count => JsonFigure::Count(v.map(|v| v as u64)),
            _ => JsonFigure::Value(v),
        }
    }
}

/// One figure as JSON: see `Figures::json`.
#[derive(serde::Serialize)]
#[serde(untagged)]
pub enum JsonFigure {
    Count(Option<u64>),
    Value(Option<f64>),
}

/// One scope's series: for each grain, figures aligned with `Report::periods[grain]`.
#[derive(Debug, Clone)]
pub struct ScopeReport {
    pub scope: ScopeDef,
    pub series: BTreeMap<Grain, Vec<Figures>>,
    /// Per grain whose current period is partial: the previous period's figures over the
    /// same number of days (`Calendar::baseline`), what the partial period is compared with.
    pub baselines: BTreeMap<Grain, Figures>,
    /// The annotations and incidents its charts mark.
    pub context: context::ScopeContext,
}

/// Everything the metrics stage computed.
#[derive(Debug, Clone)]
pub struct Report {
    pub calendar: Calendar,
    pub periods: BTreeMap<Grain, Vec<Period>>,
    pub scopes: Vec<ScopeReport>,
    /// Coverage and gaps of the data the figures rest on (`data-quality.html`).
    pub quality: quality::DataQuality,
    /// Each SLO evaluated at `as_of`, aligned with `Dataset::slos`.
    pub slo_status: Vec<Arc<slo::SloFigures>>,
    /// Each SLO's page facts at `as_of` (daily SLI, breaches, burn-down, the current
    /// quarter's alerts), aligned with `Dataset::slos`.
    pub slo_details: Vec<slo::SloDetail>,
    /// Each SLO evaluated at the end of every period and of each partial period's
    /// baseline, by that day, aligned with `Dataset::slos`: the figures every scope that
    /// shows the SLO shares.
    pub slo_at: Vec<FxHashMap<NaiveDate, Arc<slo::SloFigures>>>,
    /// Every scope's trends and before/after results, aligned with `scopes`.
    pub trends: trends::Trends,
    /// Every incident's status, retro, repeat-of and chart figures.
    pub incidents: incidents::IncidentFacts,
    /// Each month's incident review, aligned with `periods[Grain::Month]`.
    pub monthly: Vec<monthly::MonthReview>,
    /// Each week's review (incidents and action items per team), aligned with
    /// `periods[Grain::Week]`.
    pub weekly: Vec<weekly::WeekReview>,
    /// Every open action item as of `as_of`, by owner team.
    pub actions: actions::ActionBoard,
    /// Each retro's action items open on `as_of`, aligned with `Dataset::retros`.
    pub retro_open: Vec<usize>,
    /// The definition version each metric is computed under, for every period.
    pub versions: definitions::Versions,
    /// Each definition change within the data, with the figures of the quarter it took
    /// effect under both versions.
    pub definition_changes: Vec<ChangeFigures>,
    /// Each quarter's report figures, aligned with `periods[Grain::Quarter]`.
    pub quarters: Vec<crate::published::QuarterFigures>,
    /// Each published quarter's snapshot against today's figures.
    pub publications: Vec<restate::Publication>,
}

/// A definition change and the figures of the quarter it took effect in, under the version
/// before and the version after, per scope.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeFigures {
    pub change: definitions::VersionChange,
    /// Index into `Report::periods[Grain::Quarter]` of the quarter holding `change.date`.
    pub quarter: usize,
    /// `[under from, under to]`, aligned with `Report::scopes`.
    pub values: Vec<[Option<f64>; 2]>,
}

impl ChangeFigures {
    /// The two figures of scope `i` of the report.
    pub fn of_scope(&self, i: usize) -> [Option<f64>; 2] {
        self.values.get(i).copied().unwrap_or([None, None])
    }
}

impl ScopeReport {
    /// The rows of `grain` that are complete: all but a partial current period.
    pub fn complete(&self, grain: Grain) -> &[Figures] {
        let rows = self.series.get(&grain).map(Vec::as_slice).unwrap_or(&[]);
        match rows.last() {
            Some(last) if last.partial => &rows[..rows.len() - 1],
            _ => rows,
        }
    }

    /// What row `i` of `grain` is compared with: the row before it, or for a partial
    /// period the previous period over the same days (`Calendar::baseline`).
    pub fn previous(&self, grain: Grain, i: usize) -> Option<&Figures> {
        let rows = self.series.get(&grain)?;
        if rows.get(i)?.partial {
            return self.baselines.get(&grain);
        }
        rows.get(i.checked_sub(1)?)
    }
}

impl Report {
    pub fn scope(&self, key: &str) -> Option<&ScopeReport> {
        self.scopes.iter().find(|s| s.scope.key == key)
    }

    /// The trends of scope `s` of this report.
    pub fn trends_of(&self, s: &ScopeReport) -> &trends::ScopeTrends {
        self.trends
            .scope(&s.scope.key)
            .expect("the report holds every scope's trends")
    }

    /// The period of `grain` containing `as_of`, the current one.
    /// The latest period of `grain` that `as_of` does not cut short, if there is one.
    pub fn latest_complete(&self, grain: Grain) -> Option<&Period> {
        self.periods.get(&grain)?.iter().rev().find(|p| !p.clipped)
    }

    pub fn current(&self, grain: Grain) -> Option<usize> {
        self.periods
            .get(&grain)
            .and_then(|p| p.len().checked_sub(1))
    }
}

/// The report date: `--as-of`, else the config's `as_of`, else the local date of the
/// latest timestamp in `data/`. `None` when none of them exists.
pub fn resolve_as_of(
    cli: Option<NaiveDate>,
    config: &Config,
    latest: Option<Ts>,
) -> Option<NaiveDate> {
    cli.or(config.as_of)
        .or_else(|| latest.map(|t| Calendar::new(config.timezone, NaiveDate::MIN).date_of(t)))
}

/// The first day any data exists (deployments, incidents, SLIs, pages), or `as_of`.
pub fn first_day(ds: &Dataset, cal: &Calendar) -> NaiveDate {
    let starts = [
        ds.deployments.iter().map(|d| d.at).min(),
        ds.incidents.iter().map(|i| i.started_at).min(),
        ds.sli.iter().map(|s| s.at).min(),
        ds.pages.iter().map(|p| p.at).min(),
    ];
    starts
        .into_iter()
        .flatten()
        .min()
        .map_or(cal.as_of, |t| cal.date_of(t).min(cal.as_of))
}

/// Computes every scope x every period, scopes in parallel.
pub fn compute(config: &Config, ds: &Dataset, cal: Calendar) -> Report {
    compute_reusing(config, ds, cal, None)
}

/// One scope's values of each definition change: the figure under its old and its new
/// version.
type BothVersions = Vec<[Option<f64>; 2]>;

/// As `compute`, taking the SLOs' figures (`Report::slo_at`, `slo_status`, `slo_details`)
/// from `kept` where it has them: `kept` must be a report of the same SLO definitions and
/// SLI rows (`serve` compares them), so that its SLO figures are these. Under another
/// calendar, or another current quarter for the details, nothing is taken.
pub fn compute_reusing(
    config: &Config,
    ds: &Dataset,
    cal: Calendar,
    kept: Option<&Report>,
) -> Report {
    let kept = kept.filter(|k| k.calendar == cal && k.slo_at.len() == ds.slos.len());
    let first = first_day(ds, &cal);
    let periods: BTreeMap<Grain, Vec<Period>> = Grain::ALL
        .iter()
        .map(|&g| (g, cal.periods(g, first)))
        .collect();
    let ix = Index::new(ds, cal);
    let versions = definitions::Versions::of(config);
    let quarters = periods.get(&Grain::Quarter).map_or(&[][..], Vec::as_slice);
    let changes: Vec<(definitions::VersionChange, usize)> = definitions::changes(&ds.metric_defs)
        .into_iter()
        .filter_map(|c| {
            let q = quarters
                .iter()
                .position(|q| q.first_day <= c.date && c.date <= q.last_day)?;
            Some((c, q))
        })
        .collect();
    // Every SLO at the end of every period and of each partial period's baseline, evaluated
    // once: the org, the SLO's team and its service all show the same figures for it.
    let dates: BTreeSet<NaiveDate> = periods
        .values()
        .flatten()
        .map(|p| p.last_day)
        .chain(
            periods
                .values()
                .filter_map(|ps| cal.baseline(ps.last().filter(|p| p.clipped)?))
                .map(|b| b.last_day),
        )
        .collect();
    // The scopes' figures and the rest (incidents, reviews, data quality, actions, SLO
    // status) read none of each other's results: they are computed side by side.
    let ((scopes, definition_changes, slo_at), rest) = rayon::join(
        || {
            let slo_at: Vec<FxHashMap<NaiveDate, Arc<slo::SloFigures>>> = (0..ds.slos.len())
                .into_par_iter()
                .map(|i| {
                    let (def, series) = (&ds.slos[i], &ix.slo_series[i]);
                    let old = kept.map(|k| &k.slo_at[i]);
                    dates
                        .iter()
                        .map(|&d| match old.and_then(|o| o.get(&d)) {
                            Some(f) => (d, Arc::clone(f)),
                            None => (d, Arc::new(slo::evaluate_series(def, series, &cal, d))),
                        })
                        .collect()
                })
                .collect();
            let slo_of = |i: u32, date: NaiveDate| Arc::clone(&slo_at[i as usize][&date]);
            let (scopes, change_values): (Vec<ScopeReport>, Vec<BothVersions>) =
                scope::all_scopes(config, ds)
                    .into_par_iter()
                    .map(|scope| {
                        let ev = ScopeEvents::gather(&ix, &scope);
                        let at = |p: &Period| figures(&ix, &scope, &ev, p, &versions, &slo_of);
                        // In parallel within the scope too: the org's periods hold every event.
                        let series = periods
                            .iter()
                            .map(|(&g, ps)| (g, ps.par_iter().map(at).collect()))
                            .collect();
                        let baselines = periods
                            .iter()
                            .filter_map(|(&g, ps)| {
                                let last = ps.last().filter(|p| p.clipped)?;
                                Some((g, at(&cal.baseline(last)?)))
                            })
                            .collect();
                        let both = changes
                            .iter()
                            .map(|(c, q)| {
                                let b = Basis::new(&ix, &ev, &quarters[*q]);
                                [c.from, c.to].map(|v| c.metric.compute_version(v, &b).flatten())
                            })
                            .collect();
                        let context = context::scope_context(config, ds, &cal, &scope);
                        let report = ScopeReport {
                            scope,
                            series,
                            baselines,
                            context,
                        };
                        (report, both)
                    })
                    .unzip();
            let definition_changes = changes
                .into_iter()
                .enumerate()
                .map(|(i, (change, quarter))| ChangeFigures {
                    change,
                    quarter,
                    values: change_values.iter().map(|v| v[i]).collect(),
                })
                .collect();
            (scopes, definition_changes, slo_at)
        },
        || {
            let incidents = incidents::IncidentFacts::new(&ix, config.teams.len());
            let monthly = periods.get(&Grain::Month).map_or(Vec::new(), |ms| {
                ms.par_iter()
                    .map(|p| monthly::review(ds, &incidents, p))
                    .collect()
            });
            let weekly = periods.get(&Grain::Week).map_or(Vec::new(), |ws| {
                ws.par_iter()
                    .map(|p| weekly::review(&config.teams, ds, &incidents, p))
                    .collect()
            });
            let quality = quality::compute(ds, &cal, &incidents.visible);
            let actions = actions::board(&config.teams, ds, &incidents, cal.as_of);
            let retro_open = actions::open_items(&ds.retros, cal.as_of);
            let slo_status = match kept {
                Some(k) => k.slo_status.clone(),
                None => ds
                    .slos
                    .par_iter()
                    .zip(&ix.slo_series)
                    .map(|(def, s)| Arc::new(slo::evaluate_series(def, s, &cal, cal.as_of)))
                    .collect(),
            };
            let current = |periods: &BTreeMap<Grain, Vec<Period>>| {
                let q = periods.get(&Grain::Quarter)?.last()?;
                Some((q.start, q.end))
            };
            let quarter = current(&periods);
            let slo_details = match kept.filter(|k| current(&k.periods) == quarter) {
                Some(k) => k.slo_details.clone(),
                None => ds
                    .slos
                    .par_iter()
                    .zip(&ix.slo_series)
                    .map(|(def, s)| slo::detail(def, s, &cal, quarter))
                    .collect(),
            };
            (
                incidents,
                monthly,
                weekly,
                quality,
                actions,
                retro_open,
                slo_status,
                slo_details,
            )
        },
    );
    let (incidents, monthly, weekly, quality, actions, retro_open, slo_status, slo_details) = rest;
    // The rest reads the report and the dataset: the index (the SLO series' prefix sums and
    // the lead times among it) is freed before the trends are computed.
    drop(ix);
    let mut report = Report {
        calendar: cal,
        periods,
        scopes,
        quality,
        slo_status,
        slo_details,
        slo_at,
        trends: trends::Trends::default(),
        incidents,
        monthly,
        weekly,
        actions,
        retro_open,
        versions,
        definition_changes,
        quarters: Vec::new(),
        publications: Vec::new(),
    };
    report.trends = trends::compute(&report, ds);
    report.quarters = quarterly::quarters(&report, ds);
    report.publications = restate::publications(&report, ds);
    report
}

/// The figures of one scope for a few periods (for `almanac metrics`: a period and the
/// one before it), from one index. `None` for an unknown scope.
pub fn for_periods(
    config: &Config,
    ds: &Dataset,
    cal: Calendar,
    scope_key: &str,
    periods: &[&Period],
) -> Option<Vec<Figures>> {
    let scopes = scope::all_scopes(config, ds);
    let scope = scope::find(&scopes, scope_key)?;
    let ix = Index::new(ds, cal);
    let ev = ScopeEvents::gather(&ix, scope);
    let versions = definitions::Versions::of(config);
    Some(
        periods
            .iter()
            .map(|p| {
                let slo_of = |i: u32, date: NaiveDate| {
                    let (def, series) = (&ds.slos[i as usize], &ix.slo_series[i as usize]);
                    Arc::new(slo::evaluate_series(def, series, &cal, date))
                };
                figures(&ix, scope, &ev, p, &versions, &slo_of)
            })
            .collect(),
    )
}

/// The figures of `scope` for period `p`; `slo_of(i, day)` gives SLO `i` at the end of `day`.
fn figures(
    ix: &Index,
    scope: &ScopeDef,
    ev: &ScopeEvents,
    p: &Period,
    versions: &definitions::Versions,
    slo_of: &(dyn Fn(u32, NaiveDate) -> Arc<slo::SloFigures> + Sync),
) -> Figures {
    Figures {
        scope: scope.key.clone(),
        period: p.key.clone(),
        start: p.first_day.to_string(),
        end: p.last_day.to_string(),
        partial: p.clipped,
        days: p.days,
        values: catalog::evaluate(&Basis::new(ix, ev, p), versions),
        slos: ev.slos.iter().map(|&i| slo_of(i, p.last_day)).collect(),
    }
}

#[cfg(test)]
mod as_of_tests;
#[cfg(test)]
mod bounds_tests;
#[cfg(test)]
pub(crate) mod tests;
