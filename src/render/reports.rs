//! Quarterly report pages: takes the `Site` (today's quarter figures, the narratives, the
//! published snapshots and how today's figures differ from them) and returns
//! `reports/index.html` (every quarter with its status, and the other report pages),
//! `reports/<yyyy-qn>.html` for every quarter with data or a publication,
//! `reports/<yyyy-qn>/r<n>.html` for every published revision and `reports/latest.html`.

use crate::metrics::catalog::Metric;
use crate::metrics::restate::Publication;
use crate::model::Snapshot;
use crate::published::{QuarterFigures, Restated, Revision};
use crate::render::docs::DocLink;
use crate::render::quarter_view::{self, QuarterBody};
use crate::render::registry::{Kind, PageKind, PageOf, Source, REPORT_INPUTS};
use crate::render::site::Site;
use crate::render::words::format_metric;
use rayon::prelude::*;
use serde::Serialize;

/// `reports/index.html`.
pub struct ReportIndex;
/// `reports/{quarter}.html`.
pub struct QuarterReport;
/// `reports/{quarter}/r{revision}.html`.
pub struct ReportRevision;
/// `reports/latest.html`.
pub struct LatestReport;

/// The page name of a quarter: `2026-Q3` -> `2026-q3`.
pub fn quarter_slug(quarter: &str) -> String {
    quarter.to_lowercase()
}

/// One quarter the site has a report of: today's figures, its publication, or both.
struct Quarter<'a> {
    key: String,
    today: Option<&'a QuarterFigures>,
    snapshot: Option<&'a Snapshot>,
    publication: Option<&'a Publication>,
}

impl Quarter<'_> {
    fn status(&self) -> &'static str {
        match self.snapshot.map(|s| s.file.revisions.len()) {
            None => "draft",
            Some(1) => "published",
            Some(_) => "restated",
        }
    }

    fn pending(&self) -> bool {
        self.publication.is_some_and(Publication::is_restated)
    }
}

/// Every quarter, newest first.
fn quarters<'a>(site: &'a Site) -> Vec<Quarter<'a>> {
    let r = site.report;
    let mut keys: Vec<String> = r.quarters.iter().map(|q| q.quarter.clone()).collect();
    keys.extend(
        site.records
            .snapshots
            .iter()
            .map(|s| s.file.quarter.clone()),
    );
    keys.sort();
    keys.dedup();
    keys.reverse();
    keys.into_iter()
        .map(|key| {
            let snapshot = site
                .records
                .snapshots
                .iter()
                .position(|s| s.file.quarter == key);
            Quarter {
                today: r.quarters.iter().find(|q| q.quarter == key),
                snapshot: snapshot.map(|i| &site.records.snapshots[i]),
                publication: snapshot.and_then(|i| r.publications.iter().find(|p| p.snapshot == i)),
                key,
            }
        })
        .collect()
}

#[derive(Serialize)]
pub struct RevisionLink {
    pub revision: u32,
    pub published: String,
    pub reason: Option<String>,
    pub href: String,
    pub current: bool,
}

#[derive(Serialize)]
pub struct RestatedRow {
    pub scope: String,
    pub figure: String,
    pub old: String,
    pub new: String,
}

#[derive(Serialize)]
pub struct Notice {
    pub rows: Vec<RestatedRow>,
    pub inputs: Vec<String>,
    pub definitions: Vec<String>,
    pub command: String,
}

#[derive(Serialize)]
pub struct QuarterView {
    pub title: String,
    /// `draft`, `published` or `restated`.
    pub status: &'static str,
    /// The revision shown, for a published quarter.
    pub revision: Option<RevisionLink>,
    pub revisions: Vec<RevisionLink>,
    /// Today's inputs would change these published figures.
    pub notice: Option<Notice>,
    /// Set on a superseded revision's page: the newest revision's link.
    pub superseded_by: Option<RevisionLink>,
    /// The quarter's own page, from `latest.html`.
    pub canonical: Option<String>,
    /// The narrative file differs from the published text (which is what the page shows).
    pub narrative_changed: bool,
    pub figures_as_of: String,
    #[serde(flatten)]
    pub body: QuarterBody,
}

fn title_of(site: &Site, key: &str, frozen: Option<&Revision>) -> String {
    let live = site
        .records
        .narratives
        .iter()
        .find(|n| n.quarter == key)
        .and_then(|n| n.title.clone());
    let title = match frozen {
        Some(rev) => rev
            .narrative
            .as_deref()
            .and_then(|t| published_narrative(key, t))
            .and_then(|n| n.title),
        None => live,
    };
    title.unwrap_or_else(|| format!("Quarterly report {key}"))
}

/// A published revision's narrative, read by the same parser as a live one (its front
/// matter is kept with it), so title and body follow the same rules.
fn published_narrative(key: &str, text: &str) -> Option<crate::model::Narrative> {
    let mut ignored = crate::diag::Diagnostics::new();
    crate::load::narrative::parse("", key.to_string(), text, &mut ignored)
}

fn links(q: &Quarter, shown: Option<u32>) -> Vec<RevisionLink> {
    q.snapshot.map_or_else(Vec::new, |s| {
        s.file
            .revisions
            .iter()
            .rev()
            .map(|r| link(&q.key, r, shown == Some(r.revision)))
            .collect()
    })
}

fn link(key: &str, r: &Revision, current: bool) -> RevisionLink {
    RevisionLink {
        revision: r.revision,
        published: r.published.to_string(),
        reason: r.reason.clone(),
        href: format!("reports/{}/r{}.html", quarter_slug(key), r.revision),
        current,
    }
}

fn figure_name(site: &Site, figure: &str) -> String {
    if let Some(m) = Metric::from_key(figure) {
        return m.info(site.records.metric_defs).name.to_string();
    }
    match figure {
        "slos_met" => "SLOs met".into(),
        "slos_at_risk" => "SLOs at risk".into(),
        "slos_exhausted" => "SLOs with budget exhausted".into(),
        f => f
            .strip_prefix("sev")
            .map_or_else(|| f.to_string(), |n| format!("Severity {n} incidents")),
    }
}

/// A restated figure's value in its unit ("4.1%"), counts as integers.
pub fn restated_value(figure: &str, v: Option<f64>) -> String {
    match Metric::from_key(figure) {
        Some(m) => format_metric(m, v),
        None => v.map_or_else(|| "n/a".into(), |v| format!("{v}")),
    }
}

/// A restated figure's old and new values; where the usual rounding makes them read the
/// same ("5.5%" both), with enough digits to show the difference ("5.47%", "5.51%").
pub fn restated_pair(figure: &str, old: Option<f64>, new: Option<f64>) -> (String, String) {
    let (a, b) = (restated_value(figure, old), restated_value(figure, new));
    if a != b {
        return (a, b);
    }
    let ratio =
        Metric::from_key(figure).is_some_and(|m| m.unit() == crate::metrics::catalog::Unit::Ratio);
    let precise = |v: Option<f64>| {
        v.map_or_else(
            || "n/a".to_string(),
            |v| {
                if ratio {
                    format!("{:.3}%", v * 100.0)
                } else {
                    format!("{v:.4}")
                }
            },
        )
    };
    (precise(old), precise(new))
}

/// The restatement notice of a publication whose figures today's build gives differently.
fn notice(site: &Site, p: &Publication, key: &str) -> Option<Notice> {
    if !p.is_restated() {
        return None;
    }
    let row = |r: &Restated| {
        let (old, new) = restated_pair(&r.figure, r.old, r.new);
        RestatedRow {
            scope: r.scope_name.clone(),
            figure: figure_name(site, &r.figure),
            old,
            new,
        }
    };
    Some(Notice {
        rows: p.restated.iter().map(row).collect(),
        inputs: p.why.inputs.clone(),
        definitions: p
            .why
            .definitions
            .iter()
            .map(|(m, a, b)| format!("{}: definition version {a} to {b}", figure_name(site, m)))
            .collect(),
        command: format!("almanac publish {key} --restate --reason \"...\""),
    })
}

fn view(site: &Site, q: &Quarter, rev: Option<&Revision>) -> Option<QuarterView> {
    let published = rev.and_then(|r| published_narrative(&q.key, r.narrative.as_deref()?));
    let (figures, narrative) = match rev {
        Some(r) => (&r.figures, published.as_ref().map(|n| n.body.as_str())),
        None => (
            q.today?,
            site.records
                .narratives
                .iter()
                .find(|n| n.quarter == q.key)
                .map(|n| n.body.as_str()),
        ),
    };
    let latest = q.snapshot.and_then(|s| s.file.latest());
    let is_latest = rev.is_some_and(|r| latest.is_some_and(|l| l.revision == r.revision));
    Some(QuarterView {
        title: title_of(site, &q.key, rev),
        status: q.status(),
        revision: rev.map(|r| link(&q.key, r, true)),
        revisions: links(q, rev.map(|r| r.revision)),
        notice: q
            .publication
            .filter(|_| is_latest)
            .and_then(|p| notice(site, p, &q.key)),
        superseded_by: latest
            .filter(|_| rev.is_some() && !is_latest)
            .map(|l| link(&q.key, l, false)),
        canonical: None,
        narrative_changed: rev.is_some_and(|r| {
            let live = site.records.narratives.iter().find(|n| n.quarter == q.key);
            is_latest && r.narrative.as_deref() != live.map(|n| n.text.as_str())
        }),
        figures_as_of: rev
            .map_or(site.report.calendar.as_of, |r| r.as_of)
            .to_string(),
        body: quarter_view::body(site, figures, narrative),
    })
}

impl PageKind for QuarterReport {
    type View = QuarterView;
    const KIND: Kind = Kind {
        name: "report",
        pattern: "reports/{quarter}.html",
        template: "report.html",
        reads: REPORT_INPUTS,
    };
    fn pages(site: &Site) -> Vec<PageOf<QuarterView>> {
        quarters(site)
            .par_iter()
            .filter_map(|q| {
                let rev = q.snapshot.and_then(|s| s.file.latest());
                let v = view(site, q, rev)?;
                Some(PageOf {
                    path: format!("reports/{}.html", quarter_slug(&q.key)),
                    title: v.title.clone(),
                    view: v,
                })
            })
            .collect()
    }
}

impl PageKind for ReportRevision {
    type View = QuarterView;
    const KIND: Kind = Kind {
        name: "report-revision",
        pattern: "reports/{quarter}/r{revision}.html",
        template: "report.html",
        reads: &[Source::Reports],
    };
    fn pages(site: &Site) -> Vec<PageOf<QuarterView>> {
        quarters(site)
            .iter()
            .flat_map(|q| {
                let revs = q.snapshot.map_or(&[][..], |s| s.file.revisions.as_slice());
                revs.iter().filter_map(move |r| {
                    let v = view(site, q, Some(r))?;
                    Some(PageOf {
                        path: format!("reports/{}/r{}.html", quarter_slug(&q.key), r.revision),
                        title: format!("{} (revision {})", v.title, r.revision),
                        view: v,
                    })
                })
            })
            .collect()
    }
}

impl PageKind for LatestReport {
    type View = QuarterView;
    const KIND: Kind = Kind {
        name: "report-latest",
        pattern: "reports/latest.html",
        template: "report.html",
        reads: REPORT_INPUTS,
    };
    fn pages(site: &Site) -> Vec<PageOf<QuarterView>> {
        let qs = quarters(site);
        let Some(q) = qs.iter().find(|q| q.snapshot.is_some()) else {
            return Vec::new();
        };
        let rev = q.snapshot.and_then(|s| s.file.latest());
        view(site, q, rev)
            .map(|mut v| {
                v.canonical = Some(format!("reports/{}.html", quarter_slug(&q.key)));
                PageOf {
                    path: "reports/latest.html".into(),
                    title: v.title.clone(),
                    view: v,
                }
            })
            .into_iter()
            .collect()
    }
}

#[derive(Serialize)]
pub struct QuarterLink {
    pub quarter: String,
    pub title: String,
    pub href: String,
    pub status: &'static str,
    pub partial: bool,
    /// The latest revision and its date, for a published quarter.
    pub revision: Option<u32>,
    pub published: Option<String>,
    pub pending: bool,
}

#[derive(Serialize)]
pub struct ReportIndexView {
    pub quarters: Vec<QuarterLink>,
    pub latest: Option<String>,
    pub docs: Vec<DocLink>,
}

impl PageKind for ReportIndex {
    type View = ReportIndexView;
    const KIND: Kind = Kind {
        name: "report-index",
        pattern: "reports/index.html",
        template: "reports.html",
        reads: REPORT_INPUTS,
    };
    fn pages(site: &Site) -> Vec<PageOf<ReportIndexView>> {
        let qs = quarters(site);
        let quarters: Vec<QuarterLink> = qs
            .iter()
            .map(|q| {
                let latest = q.snapshot.and_then(|s| s.file.latest());
                QuarterLink {
                    quarter: q.key.clone(),
                    title: title_of(site, &q.key, latest),
                    href: format!("{}.html", quarter_slug(&q.key)),
                    status: q.status(),
                    partial: q.today.is_some_and(|t| t.partial) && latest.is_none(),
                    revision: latest.map(|r| r.revision),
                    published: latest.map(|r| r.published.to_string()),
                    pending: q.pending(),
                }
            })
            .collect();
        let docs = site.records.reports.iter().map(DocLink::of).collect();
        vec![PageOf {
            path: "reports/index.html".into(),
            title: "Reports".into(),
            view: ReportIndexView {
                latest: qs
                    .iter()
                    .any(|q| q.snapshot.is_some())
                    .then(|| "latest.html".to_string()),
                quarters,
                docs,
            },
        }]
    }
}

/// One `check` warning per published figure today's inputs would restate, at the
/// snapshot's path, naming the report page, the old and new values and why.
pub fn restatement_warnings(
    report: &crate::metrics::Report,
    ds: &crate::model::Dataset,
) -> crate::diag::Diagnostics {
    let mut diags = crate::diag::Diagnostics::new();
    for p in &report.publications {
        let s = &ds.snapshots[p.snapshot];
        let Some(rev) = s.file.latest() else {
            continue;
        };
        let mut why: Vec<String> = Vec::new();
        if !p.why.inputs.is_empty() {
            why.push(format!(
                "input files changed since publication: {}",
                p.why.inputs.join(", ")
            ));
        }
        for (m, a, b) in &p.why.definitions {
            why.push(format!("{m}: definition version {a} to {b}"));
        }
        let why = if why.is_empty() {
            "almanac's arithmetic changed".to_string()
        } else {
            why.join("; ")
        };
        for r in &p.restated {
            let (old, new) = restated_pair(&r.figure, r.old, r.new);
            let name = Metric::from_key(&r.figure).map_or_else(
                || r.figure.replace('_', " "),
                |m| m.info(&ds.metric_defs).name.to_lowercase(),
            );
            diags.warn(
                &s.path,
                None,
                format!(
                    "published {} (revision {}) is restated by today's data: {} {name} {} -> {} ({why}); reports/{}.html shows the notice; publish the correction with `almanac publish {} --restate --reason \"...\"`",
                    s.file.quarter,
                    rev.revision,
                    r.scope_name,
                    old,
                    new,
                    quarter_slug(&s.file.quarter),
                    s.file.quarter,
                ),
            );
        }
    }
    diags
}
