//! Data-quality page: takes the report's `DataQuality` (metrics) and formats
//! `data-quality.html`: the row that set the report date, each service's coverage per kind
//! of data, changes never deployed, incidents without a cause or a resolution, and the
//! check warnings grouped by catalogue entry, so nobody trusts a figure built on missing data.

use crate::metrics::quality::{Coverage, DataKind};
use crate::metrics::scope::ScopeKind;
use crate::render::incident_row::{row, Row};
use crate::render::paths::scope_path;
use crate::render::registry::{Kind, PageKind, PageOf, FIGURES_AND_WARNINGS};
use crate::render::site::Site;
use serde::Serialize;

/// Warnings listed per group; the rest are counted.
const SHOWN_WARNINGS: usize = 10;

#[derive(Serialize)]
struct KindRow {
    kind: &'static str,
    file: &'static str,
    rows: usize,
    first: String,
    last: String,
    /// "none", "n/a" (not a weekly kind, or no rows) or "3: 2026-W10 – 2026-W12, ...".
    gaps: String,
    gap_class: &'static str,
}

#[derive(Serialize)]
struct ServiceRow {
    name: String,
    href: String,
    kinds: Vec<KindRow>,
}

#[derive(Serialize)]
struct NeverDeployed {
    service: String,
    href: String,
    count: usize,
    earliest: String,
}

#[derive(Serialize)]
struct Group {
    id: &'static str,
    file: &'static str,
    count: usize,
    items: Vec<String>,
    more: usize,
}

#[derive(Serialize)]
pub struct QualityView {
    /// Which row (or setting) set the report date.
    date_source: String,
    services: Vec<ServiceRow>,
    never_deployed: Vec<NeverDeployed>,
    no_cause: Vec<Row>,
    unresolved: Vec<Row>,
    warnings: Vec<Group>,
    warning_count: usize,
}

/// `data-quality.html`.
pub struct DataQualityPage;

impl PageKind for DataQualityPage {
    type View = QualityView;
    const KIND: Kind = Kind {
        name: "data-quality",
        pattern: "data-quality.html",
        template: "data_quality.html",
        reads: FIGURES_AND_WARNINGS,
    };
    fn pages(site: &Site) -> Vec<PageOf<QualityView>> {
        vec![page(site)]
    }
}

fn kind_name(k: DataKind) -> &'static str {
    match k {
        DataKind::Deployments => "Deployments",
        DataKind::Changes => "Changes",
        DataKind::Incidents => "Incidents",
        DataKind::Sli => "SLI",
        DataKind::Pages => "On-call pages",
    }
}

fn kind_row(site: &Site, c: &Coverage) -> KindRow {
    let when = |t: Option<i64>| t.map_or("n/a".to_string(), |t| site.incidents.when(t));
    let (gaps, gap_class) = if !c.kind.weekly() || c.rows == 0 {
        ("n/a".to_string(), "na")
    } else if c.gaps.is_empty() {
        ("none".to_string(), "ok")
    } else {
        let runs: Vec<String> = c
            .gaps
            .iter()
            .map(|(a, b, n)| {
                if n == &1 {
                    a.clone()
                } else {
                    format!("{a} – {b}")
                }
            })
            .collect();
        (format!("{}: {}", c.empty_weeks(), runs.join(", ")), "gap")
    };
    KindRow {
        kind: kind_name(c.kind),
        file: c.kind.file(),
        rows: c.rows,
        first: when(c.first),
        last: when(c.last),
        gaps,
        gap_class,
    }
}

fn page(site: &Site) -> PageOf<QualityView> {
    let q = &site.report.quality;
    let ds = &site.records;
    let service = |id: u32| {
        let name = ds.services.name(id).to_string();
        (scope_path(ScopeKind::Service, &name), name)
    };
    let as_of = site.report.calendar.as_of;
    let date_source = match &q.as_of_row {
        Some(r) => format!(
            "The report date, {as_of}, is the day of the latest timestamp in data/: {}:{}.",
            r.path, r.line
        ),
        None => format!("The report date, {as_of}, was set by `as_of` in almanac.toml or --as-of."),
    };
    let warning_count = q.warnings.iter().map(|g| g.items.len()).sum();
    PageOf {
        path: "data-quality.html".to_string(),
        title: "Data quality".to_string(),
        view: QualityView {
            date_source,
            services: q
                .services
                .iter()
                .map(|s| {
                    let (href, name) = service(s.service);
                    ServiceRow {
                        name,
                        href,
                        kinds: s.kinds.iter().map(|c| kind_row(site, c)).collect(),
                    }
                })
                .collect(),
            never_deployed: q
                .never_deployed
                .iter()
                .map(|&(s, count, earliest)| {
                    let (href, name) = service(s);
                    NeverDeployed {
                        service: name,
                        href,
                        count,
                        earliest: site.incidents.when(earliest),
                    }
                })
                .collect(),
            no_cause: q
                .no_cause
                .iter()
                .map(|&i| row(&site.incidents, i, ""))
                .collect(),
            unresolved: q
                .unresolved
                .iter()
                .map(|&i| row(&site.incidents, i, ""))
                .collect(),
            warnings: q
                .warnings
                .iter()
                .map(|g| Group {
                    id: g.id,
                    file: g.file,
                    count: g.items.len(),
                    items: g.items.iter().take(SHOWN_WARNINGS).cloned().collect(),
                    more: g.items.len().saturating_sub(SHOWN_WARNINGS),
                })
                .collect(),
            warning_count,
        },
    }
}
