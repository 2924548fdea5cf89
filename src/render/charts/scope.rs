//! Chart plan: takes the metrics `Report` and the dataset (annotations, incidents,
//! definitions) and returns `Charts`: every scope's trend charts and tile sparklines,
//! drawn in parallel, each with its context annotations, reference bands and words.

use super::trend::{self as trend_plan, TrendNote};
use crate::chart::{
    dora_bands, draw_with, Chart, ChartAnnotation, ChartKind, ChartSpec, DoraKey, Memo, PeriodTick,
    Role, Series, XAxis,
};
use crate::config::Config;
use crate::metrics::catalog::{Metric, Unit};
use crate::metrics::scope::ScopeKind;
use crate::metrics::trend::TREND_WEEKS;
use crate::metrics::trends::{self, ROLLING_WEEKS};
use crate::metrics::{Report, ScopeReport};
use crate::model::AnnotationKind;
use crate::output::{slug, OutputFile};
use crate::period::{Calendar, Grain, Period};
use crate::render::paths::rooted;
use crate::render::records::Records;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One trend chart every scope page shows.
struct Plot {
    name: &'static str,
    key: Metric,
    grain: Grain,
    kind: ChartKind,
    title: &'static str,
    dora: DoraKey,
}

const PLOTS: [Plot; 4] = [
    Plot {
        name: "deployments",
        key: Metric::Deployments,
        grain: Grain::Week,
        kind: ChartKind::Bars,
        title: "Deployments per week",
        dora: DoraKey::DeploymentFrequency,
    },
    Plot {
        name: "lead-time",
        key: Metric::LeadTimeMedianHours,
        grain: Grain::Week,
        kind: ChartKind::Line,
        title: "Lead time for changes (weekly median)",
        dora: DoraKey::LeadTime,
    },
    Plot {
        name: "change-failure-rate",
        key: Metric::ChangeFailureRate,
        grain: Grain::Month,
        kind: ChartKind::Line,
        title: "Change failure rate (monthly)",
        dora: DoraKey::ChangeFailureRate,
    },
    Plot {
        name: "time-to-restore",
        key: Metric::TimeToRestoreMedianHours,
        grain: Grain::Month,
        kind: ChartKind::Line,
        title: "Time to restore (monthly median)",
        dora: DoraKey::RecoveryTime,
    },
];

/// The keys that get a sparkline on their tile (and in the dashboard's small multiples).
pub const SPARK_KEYS: [Metric; 8] = [
    Metric::DeploysPerWeek,
    Metric::LeadTimeMedianHours,
    Metric::FailedDeploymentRecoveryMedianHours,
    Metric::ChangeFailureRate,
    Metric::ReworkRate,
    Metric::TimeToRestoreMedianHours,
    Metric::Incidents,
    Metric::ActionItemsOverdue,
];

/// The drawn charts by id, plus which belong to each scope's page.
#[derive(Debug, Default)]
pub struct Charts {
    charts: BTreeMap<String, Arc<Chart>>,
    by_scope: BTreeMap<String, Vec<String>>,
    /// Each scope's intervention before/after charts (`trend_plan`).
    interventions: BTreeMap<String, Vec<String>>,
    /// The trend verdict beside each page chart, by chart id.
    notes: BTreeMap<String, TrendNote>,
}

/// A chart as a page template shows it (`id`, `svg`, `caption`, `headers`, `rows`,
/// `csv_href`, `annotations`, `trend`). The drawn chart is shared with `Charts` rather than
/// copied: every page of a kind has its view made before the pages are rendered.
#[derive(Debug)]
pub struct ChartView {
    chart: Arc<Chart>,
    pub csv_href: String,
    pub annotations: Vec<AnnotationView>,
    /// The 13-week trend verdict shown beside the chart, if it has one.
    pub trend: Option<TrendNote>,
}

/// Serialises a drawn chart as a view's `id`, `svg`, `caption`, `headers` and `rows`.
pub fn chart_fields<S: serde::ser::SerializeStruct>(
    out: &mut S,
    c: &Chart,
) -> Result<(), S::Error> {
    out.serialize_field("id", &c.id)?;
    out.serialize_field("svg", &c.svg)?;
    out.serialize_field("caption", &c.table.caption)?;
    out.serialize_field("headers", &c.table.headers)?;
    out.serialize_field("rows", &c.table.rows)
}

impl ChartView {
    /// The chart's id (the anchor its tile links to).
    pub fn id(&self) -> &str {
        &self.chart.id
    }
}

impl Serialize for ChartView {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("ChartView", 8)?;
        chart_fields(&mut out, &self.chart)?;
        out.serialize_field("csv_href", &self.csv_href)?;
        out.serialize_field("annotations", &self.annotations)?;
        out.serialize_field("trend", &self.trend)?;
        out.end()
    }
}

#[derive(Debug, Serialize)]
pub struct AnnotationView {
    pub when: String,
    pub kind: &'static str,
    pub title: String,
    pub href: Option<String>,
}

impl Charts {
    pub fn svg(&self, id: &str) -> Option<&str> {
        self.charts.get(id).map(|c| c.svg.as_str())
    }

    pub fn len(&self) -> usize {
        self.charts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.charts.is_empty()
    }

    /// The scope's page charts, in page order, for a page whose root prefix is `root`.
    pub fn views_for(&self, scope_key: &str, root: &str) -> Vec<ChartView> {
        let ids = self
            .by_scope
            .get(scope_key)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        ids.iter()
            .filter_map(|id| self.charts.get(id))
            .map(|c| ChartView {
                trend: self.notes.get(&c.id).cloned(),
                ..view(c, root)
            })
            .collect()
    }

    /// One chart by id (e.g. an intervention's before/after chart).
    pub fn view(&self, id: &str, root: &str) -> Option<ChartView> {
        self.charts.get(id).map(|c| view(c, root))
    }

    /// The id of the scope's full page chart of `key`, if one of its page charts plots it.
    pub fn page_chart_of(&self, scope_key: &str, key: Metric) -> Option<String> {
        let plot = PLOTS.iter().find(|p| {
            p.key == key || (p.key == Metric::Deployments && key == Metric::DeploysPerWeek)
        })?;
        let id = plot_id(scope_key, plot.name);
        self.charts.contains_key(&id).then_some(id)
    }

    /// Every chart's data as CSV, under `data/charts/`; with the charts the files were
    /// last made from (`previous`), a chart that is the very one drawn there (the memo of
    /// drawn charts gives the same chart for the same spec) makes no file: its path is in
    /// the second list, the file left as it was.
    pub fn files(&self, previous: Option<&Charts>) -> (Vec<OutputFile>, Vec<String>) {
        let mut made = Vec::new();
        let mut kept = Vec::new();
        let ids = self
            .by_scope
            .values()
            .chain(self.interventions.values())
            .flatten();
        for c in ids.filter_map(|id| self.charts.get(id)) {
            let before = previous.and_then(|p| p.charts.get(&c.id));
            match before.is_some_and(|b| Arc::ptr_eq(b, c)) {
                true => kept.push(csv_path(&c.id)),
                false => made.push(OutputFile::new(csv_path(&c.id), c.csv())),
            }
        }
        (made, kept)
    }
}

fn csv_path(id: &str) -> String {
    format!("data/charts/{id}.csv")
}

fn view(c: &Arc<Chart>, root: &str) -> ChartView {
    ChartView {
        chart: Arc::clone(c),
        csv_href: format!("{root}{}", csv_path(&c.id)),
        annotations: c
            .annotations
            .iter()
            .map(|a| AnnotationView {
                when: match a.end {
                    Some(e) => format!("{} – {}", a.start, e),
                    None => a.start.to_string(),
                },
                kind: a.kind.as_str(),
                title: a.title.clone(),
                href: a.link.as_deref().map(|l| rooted(l, root)),
            })
            .collect(),
        trend: None,
    }
}

/// The id of a scope's page chart named `name` (`deployments`, `lead-time`, ...).
fn plot_id(scope_key: &str, name: &str) -> String {
    format!("{}-{}", slug(scope_key), name)
}

/// The id of a scope's sparkline for a figure: `team-shop-s4`, the figure's catalogue
/// position. Short, because the dashboard shows five for every team and each id is written
/// four times (`aria-labelledby`, `title`, `desc`).
pub fn sparkline_id(scope_key: &str, key: Metric) -> String {
    format!("{}-s{}", slug(scope_key), key as usize)
}

/// One scope's drawn charts: its key, page charts, sparklines and before/after charts.
type Drawn = (String, Vec<Arc<Chart>>, Vec<Arc<Chart>>, Vec<Arc<Chart>>);

/// Draws every scope's charts (the SLO pages' are added by `charts::build`).
pub fn build(config: &Config, ds: &Records, report: &Report, memo: Option<&Memo>) -> Charts {
    let draw = |spec: &ChartSpec| draw_with(memo, spec);
    let context = Context::new(ds);
    let drawn: Vec<Drawn> = report
        .scopes
        .par_iter()
        .map(|s| {
            let anns = context.annotations_for(s, ds, &report.calendar);
            let page = PLOTS
                .iter()
                .map(|p| {
                    draw(&plot_spec(
                        p,
                        s,
                        report,
                        ds,
                        config,
                        &anns,
                        &context.definitions,
                    ))
                })
                .collect();
            let sparks = SPARK_KEYS
                .iter()
                .map(|&k| draw(&spark_spec(k, s, report, ds)))
                .collect();
            let ba = trend_plan::before_after_specs(s, report, ds.metric_defs);
            (
                s.scope.key.clone(),
                page,
                sparks,
                ba.iter().map(&draw).collect(),
            )
        })
        .collect();
    let mut charts = Charts::default();
    for (key, page, sparks, ba) in drawn {
        let s = report.scope(&key).expect("drawn from the report");
        for (c, p) in page.iter().zip(&PLOTS) {
            let note = trend_plan::trend_note(p.key, report.trends_of(s));
            charts.notes.insert(c.id.clone(), note);
        }
        charts
            .by_scope
            .insert(key.clone(), page.iter().map(|c| c.id.clone()).collect());
        charts
            .interventions
            .insert(key, ba.iter().map(|c| c.id.clone()).collect());
        for c in page.into_iter().chain(sparks).chain(ba) {
            charts.charts.insert(c.id.clone(), c);
        }
    }
    charts
}

impl Charts {
    /// Adds a page's charts under `key` (an SLO page's under `slo:<id>`).
    pub fn add_page(&mut self, key: String, page: Vec<Arc<Chart>>) {
        self.by_scope
            .insert(key, page.iter().map(|c| c.id.clone()).collect());
        self.charts
            .extend(page.into_iter().map(|c| (c.id.clone(), c)));
    }
}

/// Definition changes as annotations, by metric id (they go on that metric's charts).
struct Context {
    definitions: Vec<(String, ChartAnnotation)>,
}

impl Context {
    fn new(ds: &Records) -> Context {
        let definitions = ds
            .metric_defs
            .iter()
            .flat_map(|d| {
                d.changelog.iter().map(move |c| {
                    let ann = ChartAnnotation {
                        start: c.date,
                        end: None,
                        kind: AnnotationKind::Definition,
                        title: format!("{} definition v{}: {}", d.name, c.version, c.note),
                        link: Some(format!("metrics/{}.html", slug(&d.id))),
                    };
                    (d.id.clone(), ann)
                })
            })
            .collect();
        Context { definitions }
    }

    /// The annotations shown on a scope's charts (which ones is the report's
    /// `ScopeContext`), in date and title order.
    fn annotations_for(
        &self,
        s: &ScopeReport,
        ds: &Records,
        cal: &Calendar,
    ) -> Vec<ChartAnnotation> {
        let mut out: Vec<ChartAnnotation> = s
            .context
            .annotations
            .iter()
            .map(|&i| ChartAnnotation::from(&ds.annotations[i as usize]))
            .chain(
                s.context
                    .sev1
                    .iter()
                    .map(|&i| super::incident_annotation(&ds.incidents[i as usize], cal)),
            )
            .collect();
        out.sort_by(|a, b| (a.start, &a.title).cmp(&(b.start, &b.title)));
        out
    }
}

/// The annotations of one metric's chart: the scope's context, except that a definition
/// change goes only on the charts of the metric it concerns (its changelog entry, or an
/// annotations.csv `definition` row whose title starts with the metric's catalogue or
/// definition-page name or with its key), and each thing is listed once (`distinct`).
fn for_metric(
    key: Metric,
    names: &[&str],
    context: &[ChartAnnotation],
    definitions: &[(String, ChartAnnotation)],
) -> Vec<ChartAnnotation> {
    let names = |a: &ChartAnnotation| {
        let title = a.title.to_lowercase();
        title.starts_with(key.key()) || names.iter().any(|n| title.starts_with(&n.to_lowercase()))
    };
    let changelog = definitions
        .iter()
        .filter(|(id, _)| id == key.key())
        .map(|(_, a)| a.clone());
    let all: Vec<ChartAnnotation> = changelog
        .chain(
            context
                .iter()
                .filter(|a| a.kind != AnnotationKind::Definition || names(a))
                .cloned(),
        )
        .collect();
    // A linked annotation (the data's own marker) wins over an unlinked row naming the
    // same thing.
    let mut all = all;
    all.sort_by_key(|a| a.link.is_none());
    let mut out = distinct(all);
    out.sort_by(|a, b| (a.start, &a.title).cmp(&(b.start, &b.title)));
    out
}

/// One annotation per thing: a definition change once per day (a chart is one metric's),
/// an incident once per incident id (the severity 1 marker from the data, which links the
/// incident page, wins over an annotations.csv row naming the same id), anything else once
/// per kind, day and title. The first of equals is kept.
fn distinct(all: Vec<ChartAnnotation>) -> Vec<ChartAnnotation> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out: Vec<ChartAnnotation> = Vec::new();
    for a in all {
        let thing = match a.kind {
            AnnotationKind::Definition => String::new(),
            AnnotationKind::Incident => incident_id(&a.title).unwrap_or(&a.title).to_string(),
            _ => a.title.clone(),
        };
        let day = if a.kind == AnnotationKind::Incident {
            None
        } else {
            Some(a.start)
        };
        if seen.insert((a.kind.as_str(), day, thing)) {
            out.push(a);
        }
    }
    out
}

/// The incident id an incident annotation's title starts with ("SEV1 INC-2026-0261: ..."
/// or "INC-2026-0261: ..."): its first word with a digit, less a trailing colon.
fn incident_id(title: &str) -> Option<&str> {
    let mut words = title.split_whitespace();
    let first = words.next()?;
    let word = if first.starts_with("SEV") && first.len() <= 4 {
        words.next()?
    } else {
        first
    };
    let word = word.trim_end_matches(':');
    word.contains(|c: char| c.is_ascii_digit()).then_some(word)
}

fn values(s: &ScopeReport, grain: Grain, key: Metric) -> Vec<Option<f64>> {
    s.series
        .get(&grain)
        .map(|fs| fs.iter().map(|f| f.get(key)).collect())
        .unwrap_or_default()
}

/// "Median lead time fell from 31 h to 22 h over the last 13 weeks; no clear trend (...)".
fn words(key: Metric, s: &ScopeReport, report: &Report, ds: &Records) -> String {
    let info = key.info(ds.metric_defs);
    let unit = if key == Metric::Deployments {
        Unit::PerWeek
    } else {
        info.unit
    };
    let t = report.trends_of(s);
    trend_plan::trend_sentence(info.name, unit, trend_plan::weekly_key(key), s, t)
}

fn plot_spec(
    p: &Plot,
    s: &ScopeReport,
    report: &Report,
    ds: &Records,
    config: &Config,
    context: &[ChartAnnotation],
    definitions: &[(String, ChartAnnotation)],
) -> ChartSpec {
    let info = p.key.info(ds.metric_defs);
    let percent = info.unit == Unit::Ratio;
    let scale = if percent { 100.0 } else { 1.0 };
    let vals: Vec<Option<f64>> = values(s, p.grain, p.key)
        .into_iter()
        .map(|v| v.map(|v| v * scale))
        .collect();
    let mut series = vec![Series::aligned(info.name, Role::Primary, &vals)];
    if let Some(rolling) = report.trends_of(s).rolling_of(p.key) {
        let rolling: Vec<Option<f64>> = rolling.iter().map(|v| v.map(|v| v * scale)).collect();
        series.push(Series::aligned(
            &format!("{ROLLING_WEEKS}-week rolling median"),
            Role::RollingMedian,
            &rolling,
        ));
    }
    // Cluster bands compare one team's delivery; an org-wide deployment count is not comparable.
    let bands = if p.key == Metric::Deployments && s.scope.kind == ScopeKind::Org {
        Vec::new()
    } else {
        dora_bands(p.dora, config.dora_reference_year)
            .iter()
            .map(|b| b.scaled(scale))
            .collect()
    };
    let def_name = p.key.def(ds.metric_defs).map(|d| d.name.as_str());
    let names: Vec<&str> = [Some(info.name), def_name].into_iter().flatten().collect();
    let mut annotations = for_metric(p.key, &names, context, definitions);
    trend_plan::with_results(&mut annotations, p.key, s, report, ds.metric_defs);
    let desc = words(p.key, s, report, ds);
    let desc = match report.periods[&p.grain].last().filter(|l| l.clipped) {
        Some(last) => format!("{desc} {}", partial_sentence(last)),
        None => desc,
    };
    ChartSpec {
        id: plot_id(&s.scope.key, p.name),
        kind: p.kind.clone(),
        title: format!("{} — {}", p.title, s.scope.name),
        desc,
        x: XAxis::Periods(
            report.periods[&p.grain]
                .iter()
                .map(PeriodTick::from)
                .collect(),
        ),
        series,
        unit: if percent {
            "%".to_string()
        } else if p.key == Metric::Deployments {
            String::new()
        } else {
            "h".to_string()
        },
        annotations,
        bands,
        thresholds: Vec::new(),
        shaded: Vec::new(),
    }
}

/// "2026-W40 is partial (3 of 7 days, to 30 Sep 2026): drawn lighter and left out of the
/// trend." for the period `as_of` cut short.
fn partial_sentence(p: &Period) -> String {
    format!(
        "{} is partial ({} of {} days, to {}): drawn lighter and left out of the trend.",
        p.key,
        p.days,
        p.full_days(),
        p.last_day.format("%-d %b %Y")
    )
}

/// A tile's sparkline: the last 13 complete weeks (a partial current week left out, as
/// from the trend its words describe).
fn spark_spec(key: Metric, s: &ScopeReport, report: &Report, ds: &Records) -> ChartSpec {
    let info = key.info(ds.metric_defs);
    let weekly = trends::complete_values(s, Grain::Week, key);
    let from = weekly.len().saturating_sub(TREND_WEEKS);
    let ticks: Vec<PeriodTick> = report.periods[&Grain::Week][from..]
        .iter()
        .map(PeriodTick::from)
        .collect();
    ChartSpec {
        id: sparkline_id(&s.scope.key, key),
        kind: ChartKind::Sparkline,
        title: format!("{}, last 13 weeks", info.name),
        desc: words(key, s, report, ds),
        x: XAxis::Periods(ticks),
        series: vec![Series::aligned(info.name, Role::Primary, &weekly[from..])],
        unit: info.unit.label().to_string(),
        annotations: Vec::new(),
        bands: Vec::new(),
        thresholds: Vec::new(),
        shaded: Vec::new(),
    }
}

#[cfg(test)]
#[path = "scope_tests.rs"]
mod scoping_tests;
