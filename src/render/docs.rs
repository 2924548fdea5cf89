//! Document pages: takes the `Site` (governance and report documents) and returns their
//! indexes and one page per document, plus the data-contract and methodology pages, whose
//! markdown is compiled into the binary (the README's sections and the methods' texts).

use crate::model::Doc;
use crate::render::registry::{Kind, PageKind, PageOf, Source};
use crate::render::site::Site;
use rayon::prelude::*;
use serde::Serialize;

/// The data contract and the metric semantics, kept once: README sections between markers.
const README: &str = include_str!("../../README.md");

/// `governance/index.html`.
pub struct GovernanceIndex;
/// `governance/{doc}.html`.
pub struct GovernancePage;
/// `reports/{doc}.html`.
pub struct ReportPage;

/// One section of documents: its heading, folder and the site's documents of it.
struct Section {
    heading: &'static str,
    folder: &'static str,
    docs: for<'a> fn(&'a Site<'a>) -> &'a [Doc],
}

const GOVERNANCE: Section = Section {
    heading: "Governance",
    folder: "governance",
    docs: |site| site.records.governance,
};

const REPORTS: Section = Section {
    heading: "Reports",
    folder: "reports",
    docs: |site| site.records.reports,
};

impl PageKind for GovernanceIndex {
    type View = DocsView;
    const KIND: Kind = Kind {
        name: "governance-index",
        pattern: "governance/index.html",
        template: "docs.html",
        reads: &[Source::Governance],
    };
    fn pages(site: &Site) -> Vec<PageOf<DocsView>> {
        vec![docs_index(site, &GOVERNANCE)]
    }
}

impl PageKind for GovernancePage {
    type View = DocView;
    const KIND: Kind = Kind {
        name: "governance",
        pattern: "governance/{doc}.html",
        template: "doc.html",
        reads: &[Source::Governance],
    };
    fn pages(site: &Site) -> Vec<PageOf<DocView>> {
        doc_pages(site, &GOVERNANCE)
    }
}

impl PageKind for ReportPage {
    type View = DocView;
    const KIND: Kind = Kind {
        name: "report-doc",
        pattern: "reports/{doc}.html",
        template: "doc.html",
        reads: &[Source::Reports],
    };
    fn pages(site: &Site) -> Vec<PageOf<DocView>> {
        doc_pages(site, &REPORTS)
    }
}

#[derive(Serialize)]
pub struct DocLink {
    title: String,
    subtitle: Option<String>,
    href: String,
}

impl DocLink {
    /// A document's link from its section's index.
    pub fn of(d: &Doc) -> DocLink {
        DocLink {
            title: d.title.clone(),
            subtitle: d.subtitle.clone(),
            href: format!("{}.html", d.slug),
        }
    }
}

#[derive(Serialize)]
pub struct DocsView {
    section: &'static str,
    folder: String,
    docs: Vec<DocLink>,
}

fn docs_index(site: &Site, section: &Section) -> PageOf<DocsView> {
    let docs = (section.docs)(site).iter().map(DocLink::of).collect();
    PageOf {
        path: format!("{}/index.html", section.folder),
        title: section.heading.to_string(),
        view: DocsView {
            section: section.heading,
            folder: format!("content/{}/", section.folder),
            docs,
        },
    }
}

#[derive(Serialize)]
pub struct DocView {
    section: &'static str,
    section_href: String,
    title: String,
    subtitle: Option<String>,
    body_html: String,
}

fn doc_pages(site: &Site, section: &Section) -> Vec<PageOf<DocView>> {
    (section.docs)(site)
        .par_iter()
        .map(|d| PageOf {
            path: format!("{}/{}.html", section.folder, d.slug),
            title: d.title.clone(),
            view: DocView {
                section: section.heading,
                section_href: format!("{}/index.html", section.folder),
                title: d.title.clone(),
                subtitle: d.subtitle.clone(),
                body_html: site.markdown.render(&d.body),
            },
        })
        .collect()
}

/// `data-contract.html`: the README's data contract.
pub struct DataContract;
/// `methodology.html`: the metric semantics and every method's text.
pub struct Methodology;

#[derive(Serialize)]
pub struct TextView {
    title: &'static str,
    body_html: String,
}

fn text_page(site: &Site, path: &str, title: &'static str, text: &str) -> Vec<PageOf<TextView>> {
    vec![PageOf {
        path: path.to_string(),
        title: title.to_string(),
        view: TextView {
            title,
            body_html: site.markdown.render(text),
        },
    }]
}

impl PageKind for DataContract {
    type View = TextView;
    const KIND: Kind = Kind {
        name: "data-contract",
        pattern: "data-contract.html",
        template: "page.html",
        reads: &[],
    };
    fn pages(site: &Site) -> Vec<PageOf<TextView>> {
        text_page(
            site,
            "data-contract.html",
            "Data contract",
            &format!(
                "{}\n\nEvery problem `almanac check` reports, with an example and its fix, is in the [error catalogue](errors.html).\n",
                contract_markdown()
            ),
        )
    }
}

impl PageKind for Methodology {
    type View = TextView;
    const KIND: Kind = Kind {
        name: "methodology",
        pattern: "methodology.html",
        template: "page.html",
        reads: &[],
    };
    fn pages(site: &Site) -> Vec<PageOf<TextView>> {
        let mut pages = text_page(
            site,
            "methodology.html",
            "Methodology",
            &methodology_markdown(),
        );
        for page in &mut pages {
            page.view
                .body_html
                .push_str(&every_figure(site.records.metric_defs));
        }
        pages
    }
}

/// The methodology's "Every figure" section: one entry per `Metric::ALL`, each headed by an
/// element whose id is the metric's key, so every "how is this computed" link
/// (`methodology.html#<key>`) lands, and a new catalogue entry cannot lack one.
pub fn every_figure(defs: &[crate::model::MetricDef]) -> String {
    use super::escape_html as esc;
    use crate::metrics::catalog::Metric;
    use crate::model::Better;
    let mut html = String::from(
        "<section aria-labelledby=\"every-figure\">\n\
         <h2 id=\"every-figure\">Every figure</h2>\n\
         <p>Each figure the site shows, from the metrics catalogue: its key (the anchor every \
         \u{201c}how is this computed\u{201d} link points at), what it counts as the code computes it, \
         its unit and which direction is better. A figure with a definition page links to it.</p>\n",
    );
    for m in Metric::ALL {
        let info = m.info(defs);
        let def = m.def(defs);
        let name = def.map_or(info.name.to_string(), |d| d.name.clone());
        let current = info.versions.last().map_or("", |v| v.definition);
        let earlier: Vec<String> = info.versions[..info.versions.len().saturating_sub(1)]
            .iter()
            .map(|v| format!("version {}: {}", v.number, esc(v.definition)))
            .collect();
        html.push_str(&format!(
            "<h3 id=\"{key}\">{name}</h3>\n<p>{current}</p>\n<p>Key <code>{key}</code>; unit {unit}; {better} is better; definition version {n}{earlier}{page}.</p>\n",
            key = esc(info.key),
            name = esc(&name),
            current = esc(current),
            unit = esc(info.unit.label()),
            better = match info.better {
                Better::Higher => "higher",
                Better::Lower => "lower",
            },
            n = info.versions.len(),
            earlier = if earlier.is_empty() {
                String::new()
            } else {
                format!(" (earlier: {})", earlier.join("; "))
            },
            page = match def {
                Some(_) => format!(
                    "; <a href=\"metrics/{}.html\">definition page</a>",
                    crate::output::slug(info.key)
                ),
                None => String::new(),
            },
        ));
    }
    html.push_str("</section>\n");
    html
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

#[cfg(test)]
mod figure_tests {
    use super::every_figure;
    use crate::metrics::catalog::Metric;

    #[test]
    fn every_catalogue_metric_has_an_anchor_on_the_methodology_page() {
        let html = every_figure(&[]);
        for m in Metric::ALL {
            let anchor = format!("<h3 id=\"{}\">", m.key());
            assert_eq!(html.matches(&anchor).count(), 1, "{anchor}");
        }
        // Change failure rate has two versions: the current one and the earlier one.
        assert!(html.contains("definition version 2 (earlier: version 1: Rolled-back"));
    }
}
