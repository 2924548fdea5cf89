//! `almanac diff`: takes two site roots (the base and the head of a change) and returns a
//! `Summary` for review: an ordered list of sections (restatements of published quarters
//! first, then the headline figures that moved, the metric definitions, the content and
//! the site pages a change reaches, and the `check` problems new in the head). `format`
//! prints it as markdown (a pull-request comment) or JSON. Reading a git ref into a folder
//! is the command line's job.

pub mod format;
mod inputs;

use crate::diag::{Diagnostic, Severity};
use crate::metrics::catalog::{Metric, FOLLOW_THROUGH_KEYS, FOUR_KEYS, INCIDENT_KEYS};
use crate::metrics::trend::compare;
use crate::metrics::{Figures, Report, ScopeReport};
use crate::model::MetricDef;
use crate::period::Grain;
use crate::pipeline;
use crate::render::registry::{reached_by, reached_by_template, Kind, Source, KINDS};
use crate::render::words::format_metric;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Everything a review needs of one tree: its input files and, when it loads, its
/// figures, definitions and every `check` problem.
pub struct Tree {
    /// Input files (config, data, content, themes) by path relative to the root.
    pub files: BTreeMap<String, Vec<u8>>,
    /// `None` when the tree has errors that stop a build.
    pub report: Option<Report>,
    pub defs: Vec<MetricDef>,
    pub problems: Vec<Diagnostic>,
}

impl Tree {
    /// Reads and computes the tree at `root` with the build's own pipeline (`check`, whose
    /// load and figures are kept).
    pub fn read(root: &Path) -> Tree {
        let files = inputs::read(root);
        let (checked, kept) = pipeline::check_keeping(root, None);
        let problems = checked.diags.sorted();
        let (report, defs) = match kept {
            Some((loaded, report)) => (Some(report), loaded.ds.metric_defs),
            None => (None, Vec::new()),
        };
        Tree {
            files,
            report,
            defs,
            problems,
        }
    }
}

/// A published quarter's figure (an `almanac publish` snapshot) that the head tree gives
/// differently from the published revision, where the base tree did not already.
#[derive(Debug, Clone, PartialEq)]
pub struct Restatement {
    pub quarter: String,
    pub scope: String,
    /// A metric key, or `slos_met`, `slos_at_risk`, `slos_exhausted`, `sev1`..`sev4`.
    pub metric: String,
    pub published: Option<f64>,
    pub now: Option<f64>,
}

/// A headline figure of one scope and quarter that differs between the trees.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureChange {
    pub scope: String,
    pub period: String,
    pub metric: Metric,
    pub old: Option<f64>,
    pub new: Option<f64>,
    /// `improved`, `worsened` or `unchanged` (within the definition's tolerance), by the
    /// metric's better direction; `n/a` when either side has no figure.
    pub verdict: &'static str,
}

/// How a file or definition differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Added,
    Removed,
    Changed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

/// A metric definition added, removed or changed, with its versions on either side and
/// the front-matter fields (or `body`) that changed.
#[derive(Debug, Clone, PartialEq)]
pub struct DefinitionChange {
    pub id: String,
    pub change: Change,
    pub old_version: Option<String>,
    pub new_version: Option<String>,
    pub fields: Vec<&'static str>,
}

/// A retro, report or governance page added, removed or changed.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentChange {
    pub path: String,
    pub change: Change,
}

/// One section of the summary, in the order they are printed.
#[derive(Debug, Clone, PartialEq)]
pub enum Section {
    Restatements(Vec<Restatement>),
    /// Head's current and previous quarter, and any later quarter only base has.
    Figures(Vec<FigureChange>),
    /// Every other quarter of head or base: a correction to old rows moves them (a
    /// published one is also in the restatements), and rows taken out leave them n/a.
    EarlierFigures(Vec<FigureChange>),
    Definitions(Vec<DefinitionChange>),
    Content {
        files: Vec<ContentChange>,
        /// The kinds of page the changed inputs reach (`render::registry`).
        pages: Vec<&'static Kind>,
    },
    Problems(Vec<Diagnostic>),
}

impl Section {
    /// Whether the section has anything to say.
    pub fn is_empty(&self) -> bool {
        match self {
            Section::Restatements(v) => v.is_empty(),
            Section::Figures(v) | Section::EarlierFigures(v) => v.is_empty(),
            Section::Definitions(v) => v.is_empty(),
            Section::Content { files, pages } => files.is_empty() && pages.is_empty(),
            Section::Problems(v) => v.is_empty(),
        }
    }
}

/// The review summary of a change: its sections in order, empty ones included.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub sections: Vec<Section>,
    /// Head has errors that stop a build: its figures could not be computed.
    pub head_broken: bool,
}

impl Summary {
    /// Anything material changed: some section is not empty.
    pub fn material(&self) -> bool {
        self.head_broken || self.sections.iter().any(|s| !s.is_empty())
    }

    /// Whether a published quarter would change.
    pub fn restates(&self) -> bool {
        self.sections
            .iter()
            .any(|s| matches!(s, Section::Restatements(v) if !v.is_empty()))
    }
}

/// Compares the base tree with the head tree.
pub fn summarise(base: &Tree, head: &Tree) -> Summary {
    let changed = changed_files(&base.files, &head.files);
    let (recent, earlier) = figures(base, head);
    Summary {
        sections: vec![
            Section::Restatements(restatements(base, head)),
            Section::Figures(recent),
            Section::EarlierFigures(earlier),
            Section::Definitions(definitions(&base.defs, &head.defs)),
            Section::Content {
                files: content(&changed),
                pages: pages_reached(&changed),
            },
            Section::Problems(new_problems(&base.problems, &head.problems)),
        ],
        head_broken: head.report.is_none(),
    }
}

/// The head's restated published figures that the base does not already restate the
/// same way (a pending restatement the change does not touch is not the change's).
fn restatements(base: &Tree, head: &Tree) -> Vec<Restatement> {
    let rows = |t: &Tree| -> Vec<Restatement> {
        t.report.as_ref().map_or_else(Vec::new, |r| {
            r.publications
                .iter()
                .flat_map(|p| {
                    p.restated.iter().map(|x| Restatement {
                        quarter: p.key.clone(),
                        scope: x.scope.clone(),
                        metric: x.figure.clone(),
                        published: x.old,
                        now: x.new,
                    })
                })
                .collect()
        })
    };
    let before = rows(base);
    rows(head)
        .into_iter()
        .filter(|r| !before.contains(r))
        .collect()
}

/// Files that differ, with how.
fn changed_files(
    base: &BTreeMap<String, Vec<u8>>,
    head: &BTreeMap<String, Vec<u8>>,
) -> Vec<(String, Change)> {
    let paths: BTreeSet<&String> = base.keys().chain(head.keys()).collect();
    paths
        .into_iter()
        .filter_map(|p| {
            let c = match (base.get(p), head.get(p)) {
                (None, Some(_)) => Change::Added,
                (Some(_), None) => Change::Removed,
                (Some(a), Some(b)) if a != b => Change::Changed,
                _ => return None,
            };
            Some((p.clone(), c))
        })
        .collect()
}

/// The headline metrics a review lists: the four keys, then the dashboard's incident and
/// follow-through figures (each once).
fn headline() -> impl Iterator<Item = Metric> {
    let mut out: Vec<Metric> = Vec::new();
    for m in FOUR_KEYS
        .into_iter()
        .chain(INCIDENT_KEYS)
        .chain(FOLLOW_THROUGH_KEYS)
    {
        if !out.contains(&m) {
            out.push(m);
        }
    }
    out.into_iter()
}

/// The headline figures that read differently in head than in base, per scope and quarter:
/// those of head's current and previous quarter and of any later quarter only base has
/// (scope by scope), and those of every other quarter (quarter by quarter, oldest first),
/// which a correction to old rows moves. A scope or quarter that only base has is compared
/// too (its figures read n/a in head), so rows or teams taken out of the data do not vanish
/// from review.
fn figures(base: &Tree, head: &Tree) -> (Vec<FigureChange>, Vec<FigureChange>) {
    let (Some(b), Some(h)) = (&base.report, &head.report) else {
        return (Vec::new(), Vec::new());
    };
    let head_quarters = quarter_keys(h);
    let base_quarters = quarter_keys(b);
    // Head's last two quarters, and any later quarter only base has (head's report date is
    // earlier: its latest rows were taken out), which are the latest, not earlier, quarters;
    // base's last two when head has none. Quarter keys (`2025-Q4`) sort as time does.
    let recent: Vec<&str> = match head_quarters.last() {
        Some(last) => (head_quarters[head_quarters.len().saturating_sub(2)..].iter())
            .chain(base_quarters.iter().filter(|q| *q > last))
            .copied()
            .collect(),
        None => base_quarters[base_quarters.len().saturating_sub(2)..].to_vec(),
    };
    let earlier: BTreeSet<&str> = (head_quarters.iter().copied())
        .chain(base_quarters.iter().copied())
        .filter(|q| !recent.contains(q))
        .collect();
    let base_scopes: BTreeMap<&str, &ScopeReport> =
        b.scopes.iter().map(|s| (s.scope.key.as_str(), s)).collect();
    let head_keys: BTreeSet<&str> = h.scopes.iter().map(|s| s.scope.key.as_str()).collect();
    // Head's scopes in its order, then those only base has: (key, head's report).
    let scopes: Vec<(&str, Option<&ScopeReport>)> = (h.scopes.iter())
        .map(|s| (s.scope.key.as_str(), Some(s)))
        .chain(
            (b.scopes.iter())
                .filter(|s| !head_keys.contains(s.scope.key.as_str()))
                .map(|s| (s.scope.key.as_str(), None)),
        )
        .collect();
    let metrics: Vec<Metric> = headline().collect();
    // The figures of scope `key` in `period` that read differently from base's, into `out`.
    let changes =
        |key: &str, now: Option<&ScopeReport>, period: &str, out: &mut Vec<FigureChange>| {
            let new = now.and_then(|s| quarter_row(s, period));
            let old = base_scopes.get(key).and_then(|s| quarter_row(s, period));
            if new.is_none() && old.is_none() {
                return;
            }
            for &m in &metrics {
                let (o, n) = (old.and_then(|f| f.get(m)), new.and_then(|f| f.get(m)));
                if format_metric(m, o) == format_metric(m, n) {
                    continue;
                }
                let info = m.info(&head.defs);
                out.push(FigureChange {
                    scope: key.to_string(),
                    period: period.to_string(),
                    metric: m,
                    old: o,
                    new: n,
                    verdict: compare(n, o, info.better, info.tolerance).verdict.as_str(),
                });
            }
        };
    let (mut by_scope, mut by_quarter) = (Vec::new(), Vec::new());
    for &(key, now) in &scopes {
        for p in &recent {
            changes(key, now, p, &mut by_scope);
        }
    }
    for p in &earlier {
        for &(key, now) in &scopes {
            changes(key, now, p, &mut by_quarter);
        }
    }
    (by_scope, by_quarter)
}

/// The keys of a report's quarters, oldest first.
fn quarter_keys(r: &Report) -> Vec<&str> {
    let periods = r
        .periods
        .get(&Grain::Quarter)
        .map_or(&[][..], Vec::as_slice);
    periods.iter().map(|p| p.key.as_str()).collect()
}

/// A scope's figures of one quarter.
fn quarter_row<'a>(s: &'a ScopeReport, quarter: &str) -> Option<&'a Figures> {
    let rows = s.series.get(&Grain::Quarter)?;
    rows.iter().find(|f| f.period == quarter)
}

fn definitions(base: &[MetricDef], head: &[MetricDef]) -> Vec<DefinitionChange> {
    let by_id = |defs: &'_ [MetricDef]| -> BTreeMap<String, MetricDef> {
        defs.iter().map(|d| (d.id.clone(), d.clone())).collect()
    };
    let (b, h) = (by_id(base), by_id(head));
    let ids: BTreeSet<&String> = b.keys().chain(h.keys()).collect();
    ids.into_iter()
        .filter_map(|id| {
            let (old, new) = (b.get(id), h.get(id));
            let (change, fields) = match (old, new) {
                (None, Some(_)) => (Change::Added, Vec::new()),
                (Some(_), None) => (Change::Removed, Vec::new()),
                (Some(o), Some(n)) => {
                    let fields = differing_fields(o, n);
                    if fields.is_empty() {
                        return None;
                    }
                    (Change::Changed, fields)
                }
                (None, None) => return None,
            };
            Some(DefinitionChange {
                id: id.clone(),
                change,
                old_version: old.map(|d| d.version.clone()),
                new_version: new.map(|d| d.version.clone()),
                fields,
            })
        })
        .collect()
}

fn differing_fields(o: &MetricDef, n: &MetricDef) -> Vec<&'static str> {
    [
        ("version", o.version != n.version),
        ("name", o.name != n.name),
        ("owner", o.owner != n.owner),
        ("unit", o.unit != n.unit),
        ("better", o.better != n.better),
        ("tolerance", o.tolerance != n.tolerance),
        ("changelog", o.changelog != n.changelog),
        ("body", o.body != n.body),
    ]
    .into_iter()
    .filter_map(|(name, differs)| differs.then_some(name))
    .collect()
}

/// Changed retros, reports and governance pages (definitions have their own section).
fn content(changed: &[(String, Change)]) -> Vec<ContentChange> {
    changed
        .iter()
        .filter(|(p, _)| {
            matches!(
                Source::of_path(p),
                Some(Source::Retros | Source::Reports | Source::Governance)
            )
        })
        .map(|(p, c)| ContentChange {
            path: p.clone(),
            change: *c,
        })
        .collect()
}

/// The kinds of page the changed files reach, in registry order: an input by its
/// `Source`, a theme template by its name.
fn pages_reached(changed: &[(String, Change)]) -> Vec<&'static Kind> {
    let mut reached: BTreeSet<&'static str> = BTreeSet::new();
    for (path, _) in changed {
        let kinds = match (Source::of_path(path), inputs::template_name(path)) {
            (Some(source), _) => reached_by(source),
            (None, Some(template)) => reached_by_template(template),
            (None, None) => Vec::new(),
        };
        reached.extend(kinds.iter().map(|k| k.name));
    }
    KINDS.iter().filter(|k| reached.contains(k.name)).collect()
}

/// Head's problems that base does not have, compared by file, severity and message (not
/// by line: a row inserted above an old problem does not make it new).
fn new_problems(base: &[Diagnostic], head: &[Diagnostic]) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| (d.path.clone(), d.severity, d.message.clone());
    let mut old: BTreeMap<(String, Severity, String), usize> = BTreeMap::new();
    for d in base {
        *old.entry(key(d)).or_default() += 1;
    }
    head.iter()
        .filter(|d| match old.get_mut(&key(d)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests;
