//! Content pages: takes the dataset's markdown content and returns the retro, metric
//! definition, governance, report, data-contract and methodology pages, each markdown
//! body turned into sanitised HTML by the given `Markdown` renderer.

use crate::markdown::Markdown;
use crate::metrics::retro::{item_state, ItemState};
use crate::metrics::scope::ScopeKind;
use crate::model::{ActionItem, Doc, MetricDef, Retro};
use crate::output::slug;
use crate::render::context::{base, context};
use crate::render::links::{incident_path, retro_path};
use crate::render::paths::scope_path;
use crate::render::{Page, RenderInput};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

/// The data contract, kept once: the README section between these markers.
const README: &str = include_str!("../../README.md");

/// Markdown bodies are rendered in parallel, one page per item, in the dataset's order.
pub fn all(input: &RenderInput, md: &Markdown) -> Vec<Page> {
    let mut pages = Vec::new();
    pages.push(retros_index(input));
    pages.par_extend(input.ds.retros.par_iter().map(|r| retro_page(input, md, r)));
    pages.push(metrics_index(input));
    pages.par_extend(
        input
            .ds
            .metric_defs
            .par_iter()
            .map(|d| metric_page(input, md, d)),
    );
    for (section, folder, docs) in [
        ("Governance", "governance", &input.ds.governance),
        ("Reports", "reports", &input.ds.reports),
    ] {
        pages.push(docs_index(input, section, folder, docs));
        pages.par_extend(
            docs.par_iter()
                .map(|d| doc_page(input, md, section, folder, d)),
        );
    }
    pages.push(markdown_page(
        input,
        md,
        "data-contract.html",
        "Data contract",
        &contract_markdown(),
    ));
    pages.push(markdown_page(
        input,
        md,
        "methodology.html",
        "Methodology",
        &methodology_markdown(),
    ));
    pages
}

/// The README text between `<!-- NAME:start -->` and `<!-- NAME:end -->`.
fn readme_section(name: &str) -> &'static str {
    let (open, close) = (
        format!("<!-- {name}:start -->"),
        format!("<!-- {name}:end -->"),
    );
    let start = README.find(&open).map_or(0, |i| i + open.len());
    let end = README.find(&close).unwrap_or(README.len());
    &README[start..end.max(start)]
}

/// The data-contract section of the README.
pub fn contract_markdown() -> String {
    readme_section("contract").to_string()
}

fn methodology_markdown() -> String {
    format!(
        "{}\n\n{}\n\n{}\n\n{}\n",
        readme_section("semantics"),
        crate::metrics::trend::METHOD,
        crate::metrics::slo::METHOD,
        crate::load::openslo::OPENSLO_SUBSET
    )
}

#[derive(Serialize)]
struct Body<'a> {
    title: &'a str,
    body_html: String,
}

fn markdown_page(input: &RenderInput, md: &Markdown, path: &str, title: &str, text: &str) -> Page {
    let page = Body {
        title,
        body_html: md.render(text),
    };
    Page {
        path: path.to_string(),
        template: "page.html",
        context: context(base(&input.config.title, input.report, path, title), &page),
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

fn retros_index(input: &RenderInput) -> Page {
    let path = "retros/index.html";
    let mut retros: Vec<&Retro> = input.ds.retros.iter().collect();
    retros.sort_by(|a, b| {
        b.published_at
            .cmp(&a.published_at)
            .then(a.path.cmp(&b.path))
    });
    let rows: Vec<RetroRow> = retros
        .iter()
        .map(|r| RetroRow {
            title: r.title.clone(),
            href: format!("{}.html", r.slug),
            incident: r.incident.clone(),
            published: input.report.calendar.date_of(r.published_at).to_string(),
            items: r.action_items.len(),
            open: r
                .action_items
                .iter()
                .filter(|a| a.done.is_none_or(|d| d > input.report.calendar.as_of))
                .count(),
        })
        .collect();
    Page {
        path: path.to_string(),
        template: "retros.html",
        context: context(
            base(&input.config.title, input.report, path, "Retros"),
            &serde_json::json!({ "retros": rows }),
        ),
    }
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
            done: item
                .done
                .filter(|&d| d <= as_of)
                .map_or("—".into(), |d| d.to_string()),
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
    format!("{n} day{}", if n == 1 { "" } else { "s" })
}

fn retro_page(input: &RenderInput, md: &Markdown, r: &Retro) -> Page {
    let path = retro_path(&r.slug);
    let ds = input.ds;
    let as_of = input.report.calendar.as_of;
    let incident = ds.incidents.iter().find(|i| i.id == r.incident);
    let service = incident.map(|i| ds.services.name(i.service).to_string());
    let items: Vec<ItemRow> = r
        .action_items
        .iter()
        .map(|a| ItemRow::new(a, as_of))
        .collect();
    let ctx = serde_json::json!({
        "title": r.title,
        "incident": r.incident,
        "incident_href": incident.map(|i| format!("../{}", incident_path(&i.id))),
        "contributing_factors": r.contributing_factors,
        "published": format!("{} ({})", input.report.calendar.local_time(r.published_at), input.report.calendar.tz.name()),
        "service_href": service.as_ref().map(|s| format!("../{}", scope_path(ScopeKind::Service, s))),
        "service": service,
        "action_items": items,
        "body_html": md.render(&r.body),
    });
    Page {
        context: context(
            base(&input.config.title, input.report, &path, &r.title),
            &ctx,
        ),
        path,
        template: "retro.html",
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

fn metrics_index(input: &RenderInput) -> Page {
    let path = "metrics/index.html";
    let rows: Vec<DefRow> = input
        .ds
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
    Page {
        path: path.to_string(),
        template: "metrics.html",
        context: context(
            base(
                &input.config.title,
                input.report,
                path,
                "Metric definitions",
            ),
            &serde_json::json!({ "definitions": rows }),
        ),
    }
}

fn metric_page(input: &RenderInput, md: &Markdown, d: &MetricDef) -> Page {
    let path = format!("metrics/{}.html", slug(&d.id));
    let mut changelog: Vec<_> = d.changelog.iter().collect();
    changelog.sort_by(|a, b| b.date.cmp(&a.date));
    let ctx = serde_json::json!({
        "name": d.name, "id": d.id, "version": d.version, "owner": d.owner, "unit": d.unit,
        "better": match d.better { crate::model::Better::Lower => "lower", crate::model::Better::Higher => "higher" },
        "tolerance": format!("±{}%", d.tolerance * 100.0),
        "changelog": changelog.iter().map(|c| serde_json::json!({"version": c.version, "date": c.date.to_string(), "note": c.note})).collect::<Vec<_>>(),
        "body_html": md.render(&d.body),
    });
    Page {
        context: context(
            base(&input.config.title, input.report, &path, &d.name),
            &ctx,
        ),
        path,
        template: "metric.html",
    }
}

fn docs_index(input: &RenderInput, section: &str, folder: &str, docs: &[Doc]) -> Page {
    let path = format!("{folder}/index.html");
    let rows: Vec<_> = docs
        .iter()
        .map(|d| serde_json::json!({"title": d.title, "subtitle": d.subtitle, "href": format!("{}.html", d.slug)}))
        .collect();
    let ctx = serde_json::json!({ "section": section, "folder": format!("content/{folder}/"), "docs": rows });
    Page {
        context: context(
            base(&input.config.title, input.report, &path, section),
            &ctx,
        ),
        path,
        template: "docs.html",
    }
}

fn doc_page(input: &RenderInput, md: &Markdown, section: &str, folder: &str, d: &Doc) -> Page {
    let path = format!("{folder}/{}.html", d.slug);
    let ctx = serde_json::json!({
        "section": section, "section_href": format!("{folder}/index.html"),
        "title": d.title, "subtitle": d.subtitle, "body_html": md.render(&d.body),
    });
    Page {
        context: context(
            base(&input.config.title, input.report, &path, &d.title),
            &ctx,
        ),
        path,
        template: "doc.html",
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
