//! Page context pieces shared by every page: takes the config, the report and a page's
//! path and returns the base context (title, relative root, nav) and figure tiles.

use crate::metrics::catalog::Metric;
use crate::metrics::trend::ComparisonVerdict;
use crate::metrics::{Figures, Report};
use crate::model::MetricDef;
use crate::period::Grain;
use crate::render::words::{format_metric, grouped};
use serde::Serialize;

#[derive(Serialize)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// The part of every page's context that the base template reads.
#[derive(Serialize)]
pub struct Base {
    pub site_title: String,
    pub page_title: String,
    /// `../` repeated to reach the site root from this page.
    pub root: String,
    pub as_of: String,
    pub timezone: String,
    pub nav: Vec<NavItem>,
    /// The page's `<meta name="description">`: what it is, whose and as of when.
    pub meta_description: String,
    /// The almanac version that built the site, stamped in every page's footer.
    pub almanac_version: &'static str,
}

const NAV: &[(&str, &str)] = &[
    ("index.html", "Dashboard"),
    ("teams/index.html", "Teams"),
    ("slos/index.html", "SLOs"),
    ("incidents/index.html", "Incidents"),
    ("actions.html", "Actions"),
    ("reviews/index.html", "Weekly reviews"),
    ("retros/index.html", "Retros"),
    ("metrics/index.html", "Definitions"),
    ("reports/index.html", "Reports"),
    ("governance/index.html", "Governance"),
    ("methodology.html", "Methodology"),
];

/// The relative prefix from a page at `path` back to the root.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

pub fn base(site_title: &str, report: &Report, path: &str, page_title: &str) -> Base {
    let section = path.split('/').next().unwrap_or("");
    Base {
        site_title: site_title.to_string(),
        page_title: page_title.to_string(),
        root: root_of(path),
        as_of: report.calendar.as_of.to_string(),
        timezone: report.calendar.tz.name().to_string(),
        meta_description: format!(
            "{page_title}: {site_title}'s delivery, reliability and incident figures as of {}.",
            report.calendar.as_of
        ),
        almanac_version: env!("CARGO_PKG_VERSION"),
        nav: NAV
            .iter()
            .map(|&(href, label)| NavItem {
                href,
                label,
                current: href == path
                    || (href.contains('/') && href.starts_with(&format!("{section}/"))),
            })
            .collect(),
    }
}

/// Builds a tera context from a page's own context plus the base.
pub fn context<T: Serialize>(base: Base, page: &T) -> tera::Context {
    let mut ctx = tera::Context::from_serialize(page).expect("page contexts serialise to objects");
    let frame = tera::Context::from_serialize(base).expect("base serialises");
    // A view key named like a frame key would be silently replaced by the frame's value.
    #[cfg(debug_assertions)]
    if let Some(keys) = frame.clone().into_json().as_object() {
        let clash: Vec<&String> = keys.keys().filter(|k| ctx.contains_key(k)).collect();
        assert!(
            clash.is_empty(),
            "a page view uses keys of the page frame (Base): {clash:?}"
        );
    }
    ctx.extend(frame);
    ctx
}

/// One figure beside the previous period's, with its verdict.
#[derive(Serialize)]
pub struct Tile {
    pub name: String,
    pub href: String,
    pub value: String,
    pub previous: String,
    pub previous_label: String,
    pub verdict: &'static str,
    pub verdict_class: &'static str,
    pub note: String,
    pub sparkline: String,
    /// The full chart of this figure, where one plots it (empty otherwise).
    pub chart_href: String,
}

/// The tile for `m` in the current and previous periods of a series, with the verdict
/// the report gives the move between them.
pub fn tile(
    m: Metric,
    defs: &[MetricDef],
    current: &Figures,
    previous: Option<&Figures>,
    verdict: ComparisonVerdict,
    root: &str,
) -> Tile {
    let info = m.info(defs);
    let def = m.def(defs);
    let key = m.key();
    let now = current.get(m);
    let before = previous.and_then(|p| p.get(m));
    Tile {
        name: def.map_or(info.name.to_string(), |d| d.name.clone()),
        href: match def {
            Some(_) => format!("{root}metrics/{}.html", crate::output::slug(key)),
            None => format!("{root}methodology.html#{key}"),
        },
        value: format_metric(m, now),
        previous: format_metric(m, before),
        previous_label: previous.map_or("previous".to_string(), |p| {
            if p.partial {
                format!(
                    "{}, first {}",
                    p.period,
                    crate::render::words::count(p.days, "day")
                )
            } else {
                p.period.clone()
            }
        }),
        verdict: verdict.as_str(),
        verdict_class: match verdict {
            ComparisonVerdict::NotComparable => "na",
            v => v.as_str(),
        },
        note: note(m, current),
        sparkline: String::new(),
        chart_href: String::new(),
    }
}

/// The counts behind a figure, so a reader sees how much data it rests on.
fn note(m: Metric, f: &Figures) -> String {
    let count = |m: Metric| f.get(m).map(|v| v as i64);
    let n =
        |v: Option<i64>, what: &str| v.map_or(String::new(), |v| format!("{} {what}", grouped(v)));
    match m {
        Metric::DeploysPerWeek => n(count(Metric::Deployments), "deployments"),
        Metric::LeadTimeMedianHours => n(count(Metric::Changes), "changes"),
        Metric::ChangeFailureRate => {
            match (count(Metric::FailedDeployments), count(Metric::Deployments)) {
                (Some(f), Some(t)) => {
                    format!("{} of {} deployments failed", grouped(f), grouped(t))
                }
                _ => String::new(),
            }
        }
        Metric::TimeToRestoreMedianHours => {
            match (count(Metric::Incidents), count(Metric::UnresolvedIncidents)) {
                (Some(i), Some(u)) => format!("{} resolved incidents", grouped(i - u)),
                _ => String::new(),
            }
        }
        _ => String::new(),
    }
}

/// A value of a figure formatted in its unit.
pub fn shown(m: Metric, f: &Figures) -> String {
    format_metric(m, f.get(m))
}

/// "2026-Q3 to date (1 Jul – 15 Aug 2026, 46 days), partial, compared with the same 46
/// days of 2026-Q2 (1 Apr – 16 May 2026)."; "2026-Q2 (…), compared with 2026-Q1." when
/// `as_of` ends the quarter.
pub fn period_text(report: &Report) -> String {
    let Some(i) = report.current(Grain::Quarter) else {
        return "No data yet.".to_string();
    };
    let ps = &report.periods[&Grain::Quarter];
    let p = &ps[i];
    let span = format!(
        "{} – {}, {} day{}",
        p.first_day.format("%-d %b %Y"),
        p.last_day.format("%-d %b %Y"),
        p.days,
        if p.days == 1 { "" } else { "s" }
    );
    let head = if p.clipped {
        format!("{} to date ({span})", p.key)
    } else {
        format!("{} ({span})", p.key)
    };
    match report.calendar.baseline(p) {
        Some(b) if b.clipped => format!(
            "{head}, partial, compared with the same {} of {} ({} – {}).",
            crate::render::words::count(b.days, "day"),
            b.key,
            b.first_day.format("%-d %b"),
            b.last_day.format("%-d %b %Y"),
        ),
        Some(b) => format!("{head}, compared with {}.", b.key),
        None => format!("{head}; there is no earlier quarter to compare with."),
    }
}
