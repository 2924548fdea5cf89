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
        text_page(
            site,
            "methodology.html",
            "Methodology",
            &methodology_markdown(),
        )
    }
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
