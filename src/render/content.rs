//! Retro and metric-definition pages: takes the `Site` (retro and definition records, the
//! report's date and incident lookups) and returns the retro index, one page per retro, the
//! definitions index and one page per definition, each markdown body turned into sanitised
//! HTML here; plus the action-item row the retro and incident pages share.

use crate::markdown::without_sections;
use crate::metrics::catalog::Metric;
use crate::metrics::retro::{done_by, item_state, ItemState};
use crate::metrics::scope::ScopeKind;
use crate::model::{ActionItem, Better, MetricDef, Retro};
use crate::output::slug;
use crate::period::Grain;
use crate::render::pager::{paged, Pager};
use crate::render::paths::{incident_path, retro_path, scope_path};
use crate::render::registry::{Kind, PageKind, PageOf, RecordKeys, Source, FIGURES};
use crate::render::site::Site;
use crate::render::words::format_metric;
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

/// `retros/index.html` (then `retros/index/2.html`, ...): every retro, newest first.
pub struct RetroIndex;

impl PageKind for RetroIndex {
    type View = RetroIndexView;
    const KIND: Kind = Kind {
        name: "retro-index",
        pattern: "retros/index.html",
        template: "retros.html",
        reads: &[Source::Retros],
    };
    fn pages(site: &Site) -> Vec<PageOf<RetroIndexView>> {
        retros_index(site)
    }
}

/// `retros/{retro}.html`: one retro, its incident, factors, action items and body.
pub struct RetroPage;

impl PageKind for RetroPage {
    type View = RetroView;
    const KIND: Kind = Kind {
        name: "retro",
        pattern: "retros/{retro}.html",
        template: "retro.html",
        reads: &[Source::Retros, Source::RetroProse, Source::Incidents],
    };
    fn pages(site: &Site) -> Vec<PageOf<RetroView>> {
        site.records
            .retros
            .par_iter()
            .map(|r| retro_page(site, r))
            .collect()
    }
    fn each_page<E: Send>(
        site: &Site,
        put: &(impl Fn(PageOf<RetroView>) -> Result<(), E> + Sync),
    ) -> Result<(), E> {
        site.records
            .retros
            .par_iter()
            .try_for_each(|r| put(retro_page(site, r)))
    }
    fn first_page(site: &Site) -> Option<PageOf<RetroView>> {
        site.records.retros.first().map(|r| retro_page(site, r))
    }
    /// The pages of the retros named.
    fn pages_for(site: &Site, keys: &RecordKeys) -> Vec<PageOf<RetroView>> {
        site.records
            .retros
            .iter()
            .filter(|r| keys.retros.contains(&r.slug))
            .map(|r| retro_page(site, r))
            .collect()
    }
}

/// `metrics/index.html`: every metric definition with its version and owner.
pub struct MetricIndex;

impl PageKind for MetricIndex {
    type View = MetricIndexView;
    const KIND: Kind = Kind {
        name: "metric-index",
        pattern: "metrics/index.html",
        template: "metrics.html",
        reads: &[Source::MetricDefs],
    };
    fn pages(site: &Site) -> Vec<PageOf<MetricIndexView>> {
        vec![metrics_index(site)]
    }
}

/// `metrics/{metric}.html`: one metric's definition, versions and changelog.
pub struct MetricPage;

impl PageKind for MetricPage {
    type View = MetricView;
    const KIND: Kind = Kind {
        name: "metric",
        pattern: "metrics/{metric}.html",
        template: "metric.html",
        reads: FIGURES,
    };
    fn pages(site: &Site) -> Vec<PageOf<MetricView>> {
        site.records
            .metric_defs
            .par_iter()
            .map(|d| metric_page(site, d))
            .collect()
    }
}

#[derive(Serialize)]
struct RetroRow {
    title: String,
    href: String,
    incident: String,
    published: String,
    items: usize,
    open: usize,
}

#[derive(Serialize)]
pub struct RetroIndexView {
    /// Which retros this page of the index shows, when there is more than one page.
    lede: String,
    retros: Vec<RetroRow>,
    pager: Option<Pager>,
}

/// The retros, newest first, [`crate::render::pager::PAGE_ROWS`] a page.
fn retros_index(site: &Site) -> Vec<PageOf<RetroIndexView>> {
    let cal = &site.report.calendar;
    let open = &site.report.retro_open;
    let mut retros: Vec<(&Retro, usize)> = site
        .records
        .retros
        .iter()
        .zip(open.iter().copied())
        .collect();
    retros.sort_by(|(a, _), (b, _)| {
        b.published_at
            .cmp(&a.published_at)
            .then(a.path.cmp(&b.path))
    });
    let row = |&(r, open): &(&Retro, usize), root: &str| RetroRow {
        title: r.title.clone(),
        href: format!("{root}{}", retro_path(&r.slug)),
        incident: r.incident.clone(),
        published: cal.date_of(r.published_at).to_string(),
        items: r.action_items.len(),
        open,
    };
    paged("retros/index.html", &retros, row, |path, rows, pager| {
        PageOf {
            path,
            title: "Retros".to_string(),
            view: RetroIndexView {
                lede: Pager::note(&pager, rows.len(), "retros").trim().to_string(),
                retros: rows,
                pager,
            },
        }
    })
}

/// An action item as the retro and incident pages list it, as of `as_of`.
#[derive(Serialize)]
pub struct ItemRow {
    title: String,
    team: String,
    due: String,
    done: String,
    status: String,
    status_class: &'static str,
}

impl ItemRow {
    pub fn new(item: &ActionItem, as_of: NaiveDate) -> ItemRow {
        let (status, status_class) = item_status(item, as_of);
        ItemRow {
            title: item.title.clone(),
            team: item.team.clone(),
            due: item.due.to_string(),
            // A done date after as_of has not happened yet.
            done: done_by(item, as_of).map_or("—".into(), |d| d.to_string()),
            status,
            status_class,
        }
    }
}

/// "done on time", "done late", "open", or "overdue by N days", as of `as_of`.
pub fn item_status(item: &ActionItem, as_of: NaiveDate) -> (String, &'static str) {
    match item_state(item, as_of) {
        ItemState::DoneOnTime => ("done on time".into(), "done"),
        ItemState::DoneLate(n) => (format!("done {} late", days(n)), "late"),
        ItemState::Overdue(n) => (format!("overdue by {}", days(n)), "overdue"),
        ItemState::Open => ("open".into(), "open"),
    }
}

/// "1 day", "5 days".
fn days(n: i64) -> String {
    crate::render::words::count(n, "day")
}

#[derive(Serialize)]
pub struct RetroView {
    title: String,
    incident: String,
    incident_href: Option<String>,
    contributing_factors: Vec<String>,
    published: String,
    service_href: Option<String>,
    service: Option<String>,
    action_items: Vec<ItemRow>,
    body_html: String,
}

/// The retro's markdown sections its page header already shows (each fact once): the
/// contributing factors, and the action items when the front matter lists them.
fn said_above(r: &Retro) -> Vec<&'static str> {
    let mut out = Vec::new();
    if !r.contributing_factors.is_empty() {
        out.push("Contributing factors");
    }
    if !r.action_items.is_empty() {
        out.push("Action items");
    }
    out
}

fn retro_page(site: &Site, r: &Retro) -> PageOf<RetroView> {
    let ds = site.records;
    let cal = &site.report.calendar;
    let incident = site
        .incidents
        .by_id(&r.incident)
        .map(|i| &ds.incidents[i as usize]);
    let service = incident.map(|i| ds.services.name(i.service).to_string());
    let view = RetroView {
        title: r.title.clone(),
        incident: r.incident.clone(),
        incident_href: incident.map(|i| format!("../{}", incident_path(&i.id))),
        contributing_factors: r.contributing_factors.clone(),
        published: format!("{} ({})", cal.local_time(r.published_at), cal.tz.name()),
        service_href: service
            .as_ref()
            .map(|s| format!("../{}", scope_path(ScopeKind::Service, s))),
        service,
        action_items: r
            .action_items
            .iter()
            .map(|a| ItemRow::new(a, cal.as_of))
            .collect(),
        body_html: site
            .markdown
            .render(&without_sections(&r.body, &said_above(r))),
    };
    PageOf {
        path: retro_path(&r.slug),
        title: r.title.clone(),
        view,
    }
}

#[derive(Serialize)]
struct DefRow {
    name: String,
    id: String,
    href: String,
    version: String,
    owner: String,
    last_change: String,
}

#[derive(Serialize)]
pub struct MetricIndexView {
    definitions: Vec<DefRow>,
}

fn metrics_index(site: &Site) -> PageOf<MetricIndexView> {
    let definitions = site
        .records
        .metric_defs
        .iter()
        .map(|d| DefRow {
            name: d.name.clone(),
            id: d.id.clone(),
            href: format!("{}.html", slug(&d.id)),
            version: d.version.clone(),
            owner: d.owner.clone(),
            last_change: d
                .changelog
                .iter()
                .map(|c| c.date)
                .max()
                .map_or("—".into(), |d| d.to_string()),
        })
        .collect();
    PageOf {
        path: "metrics/index.html".to_string(),
        title: "Metric definitions".to_string(),
        view: MetricIndexView { definitions },
    }
}

#[derive(Serialize)]
struct ChangeRow {
    version: String,
    date: String,
    note: String,
}

#[derive(Serialize)]
pub struct MetricView {
    name: String,
    id: String,
    version: String,
    owner: String,
    unit: String,
    better: &'static str,
    tolerance: String,
    changelog: Vec<ChangeRow>,
    /// How every period is computed: which version, current or pinned.
    computed_under: String,
    /// Each change's quarter under both versions.
    side_by_side: Vec<SideBySide>,
    body_html: String,
}

/// A definition change's quarter, under the version before and the version after.
#[derive(Serialize)]
pub struct SideBySide {
    pub quarter: String,
    pub date: String,
    pub from: u32,
    pub to: u32,
    pub partial: bool,
    /// "2025-Q4: 5.1% under v2, 4.6% under v1" for the org.
    pub headline: String,
    pub rows: Vec<SideRow>,
}

#[derive(Serialize)]
pub struct SideRow {
    pub scope: String,
    pub href: String,
    pub under_to: String,
    pub under_from: String,
}

/// The side-by-side figures of every change of `metric` the report holds, for the org and
/// each team (`teams`), or the org alone.
pub fn side_by_side(site: &Site, metric: Metric, teams: bool, root: &str) -> Vec<SideBySide> {
    let report = site.report;
    let quarters = report
        .periods
        .get(&Grain::Quarter)
        .map_or(&[][..], Vec::as_slice);
    report
        .definition_changes
        .iter()
        .filter(|c| c.change.metric == metric)
        .filter_map(|c| {
            let q = quarters.get(c.quarter)?;
            let rows: Vec<SideRow> = report
                .scopes
                .iter()
                .enumerate()
                .filter(|(_, s)| {
                    s.scope.kind == ScopeKind::Org || (teams && s.scope.kind == ScopeKind::Team)
                })
                .map(|(i, s)| {
                    let [from, to] = c.of_scope(i);
                    SideRow {
                        scope: s.scope.name.clone(),
                        href: format!("{root}{}", scope_path(s.scope.kind, &s.scope.id)),
                        under_to: format_metric(metric, to),
                        under_from: format_metric(metric, from),
                    }
                })
                .collect();
            let org = rows.first()?;
            let headline = format!(
                "{}{}: {} under v{}, {} under v{}",
                q.key,
                if q.clipped { " (partial)" } else { "" },
                org.under_to,
                c.change.to,
                org.under_from,
                c.change.from
            );
            Some(SideBySide {
                quarter: q.key.clone(),
                date: c.change.date.to_string(),
                from: c.change.from,
                to: c.change.to,
                partial: q.clipped,
                headline,
                rows,
            })
        })
        .collect()
}

/// The sentence a definition page states about the version its figures use.
fn computed_under(site: &Site, metric: Metric) -> String {
    let used = site.report.versions.get(metric);
    if site.report.versions.pinned(metric) {
        format!(
            "Every period, before and after each change, is computed under version {used}, pinned in almanac.toml (`[definitions] {} = {used}`; the current version is {}), so each chart is one consistent series.",
            metric.key(),
            metric.current().number
        )
    } else {
        format!("Every period, before and after each change, is computed under version {used}, the current version, so each chart is one consistent series; the charts of this metric mark the day each version took effect.")
    }
}

fn metric_page(site: &Site, d: &MetricDef) -> PageOf<MetricView> {
    let mut changelog: Vec<_> = d.changelog.iter().collect();
    changelog.sort_by_key(|c| std::cmp::Reverse(c.date));
    let view = MetricView {
        name: d.name.clone(),
        id: d.id.clone(),
        version: d.version.clone(),
        owner: d.owner.clone(),
        unit: d.unit.clone(),
        better: match d.better {
            Better::Lower => "lower",
            Better::Higher => "higher",
        },
        tolerance: format!("±{}%", d.tolerance * 100.0),
        changelog: changelog
            .iter()
            .map(|c| ChangeRow {
                version: c.version.clone(),
                date: c.date.to_string(),
                note: c.note.clone(),
            })
            .collect(),
        computed_under: Metric::from_key(&d.id)
            .map_or_else(String::new, |m| computed_under(site, m)),
        side_by_side: Metric::from_key(&d.id)
            .map_or_else(Vec::new, |m| side_by_side(site, m, true, "../")),
        body_html: site.markdown.render(&d.body),
    };
    PageOf {
        path: format!("metrics/{}.html", slug(&d.id)),
        title: d.name.clone(),
        view,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(due: &str, done: Option<&str>) -> ActionItem {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        ActionItem {
            title: "t".into(),
            team: "a".into(),
            due: d(due),
            done: done.map(d),
            line: 1,
        }
    }

    #[test]
    fn action_item_status_as_of() {
        let as_of = NaiveDate::from_ymd_opt(2026, 7, 15).unwrap();
        assert_eq!(
            item_status(&item("2026-07-10", Some("2026-07-10")), as_of).0,
            "done on time"
        );
        assert_eq!(
            item_status(&item("2026-07-10", Some("2026-07-12")), as_of).0,
            "done 2 days late"
        );
        assert_eq!(
            item_status(&item("2026-07-10", Some("2026-07-11")), as_of).0,
            "done 1 day late"
        );
        // Done after as_of does not exist yet: 15 - 10 = 5 days overdue.
        assert_eq!(
            item_status(&item("2026-07-10", Some("2026-07-20")), as_of).0,
            "overdue by 5 days"
        );
        assert_eq!(
            item_status(&item("2026-07-14", None), as_of).0,
            "overdue by 1 day"
        );
        assert_eq!(item_status(&item("2026-07-15", None), as_of).0, "open");
    }
}
