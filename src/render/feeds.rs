//! Site-wide publication files: takes the `Site` (and the pages written) and returns
//! `manifest.json` (almanac version, input digests, definition versions, `as_of`, the
//! published quarters and their revisions), `sitemap.xml` and the Atom feed of published
//! report revisions, `reports/feed.xml`.

use crate::output::OutputFile;
use crate::render::reports::quarter_slug;
use crate::render::site::Site;
use serde::Serialize;
use std::collections::BTreeMap;

/// The `manifest.json` layout; a change gets a new number and a README note.
pub const MANIFEST_SCHEMA: u32 = 1;

#[derive(Serialize)]
struct Manifest<'a> {
    schema: u32,
    almanac_version: &'static str,
    title: &'a str,
    as_of: String,
    timezone: String,
    /// Metric key -> the definition version every period is computed under.
    definitions: BTreeMap<String, u32>,
    /// The metrics pinned below their current version in `[definitions]`.
    pinned: Vec<&'static str>,
    /// Path -> SHA-256 of every input file.
    inputs: &'a BTreeMap<String, String>,
    published: Vec<PublishedQuarter>,
}

#[derive(Serialize)]
struct PublishedQuarter {
    quarter: String,
    /// `published` (one revision) or `restated` (more).
    status: &'static str,
    /// True when today's data gives figures other than the latest revision's.
    restatement_pending: bool,
    page: String,
    revisions: Vec<RevisionEntry>,
}

#[derive(Serialize)]
struct RevisionEntry {
    revision: u32,
    published: String,
    reason: Option<String>,
    as_of: String,
    page: String,
}

fn revision_page(quarter: &str, revision: u32) -> String {
    format!("reports/{}/r{revision}.html", quarter_slug(quarter))
}

pub fn manifest(site: &Site) -> OutputFile {
    let report = site.report;
    let published = site
        .records
        .snapshots
        .iter()
        .enumerate()
        .map(|(i, s)| PublishedQuarter {
            quarter: s.file.quarter.clone(),
            status: if s.file.revisions.len() > 1 {
                "restated"
            } else {
                "published"
            },
            restatement_pending: report
                .publications
                .iter()
                .any(|p| p.snapshot == i && p.is_restated()),
            page: format!("reports/{}.html", quarter_slug(&s.file.quarter)),
            revisions: s
                .file
                .revisions
                .iter()
                .map(|r| RevisionEntry {
                    revision: r.revision,
                    published: r.published.to_string(),
                    reason: r.reason.clone(),
                    as_of: r.as_of.to_string(),
                    page: revision_page(&s.file.quarter, r.revision),
                })
                .collect(),
        })
        .collect();
    let m = Manifest {
        schema: MANIFEST_SCHEMA,
        almanac_version: env!("CARGO_PKG_VERSION"),
        title: &site.config.title,
        as_of: report.calendar.as_of.to_string(),
        timezone: site.config.timezone.name().to_string(),
        definitions: report.versions.by_key(),
        pinned: crate::metrics::catalog::Metric::ALL
            .iter()
            .filter(|&&m| report.versions.pinned(m))
            .map(|m| m.key())
            .collect(),
        inputs: site.records.inputs,
        published,
    };
    let mut json = serde_json::to_string_pretty(&m).expect("the manifest serialises");
    json.push('\n');
    OutputFile::new("manifest.json", json)
}

/// `&`, `<`, `>`, `"` and `'` as XML entities.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The address of a site path: absolute under `base_url`, else relative to the root.
fn address(site: &Site, path: &str) -> String {
    format!("{}{path}", site.config.base_url.as_deref().unwrap_or(""))
}

/// `sitemap.xml`: every page of the site, in path order.
pub fn sitemap(site: &Site, files: &[&str]) -> OutputFile {
    let mut paths: Vec<&str> = files
        .iter()
        .copied()
        .filter(|p| p.ends_with(".html"))
        .collect();
    paths.sort_unstable();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in paths {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml_escape(&address(site, p))
        ));
    }
    xml.push_str("</urlset>\n");
    OutputFile::new("sitemap.xml", xml)
}

/// `reports/feed.xml`: an Atom entry per published revision, newest first. Ids are the
/// revisions' addresses under `base_url`, or `urn:almanac:` names without one.
pub fn feed(site: &Site) -> OutputFile {
    let id = |q: &str, r: Option<u32>| match (&site.config.base_url, r) {
        (Some(_), Some(r)) => address(site, &revision_page(q, r)),
        (Some(_), None) => address(site, "reports/feed.xml"),
        (None, Some(r)) => format!("urn:almanac:report:{q}:r{r}"),
        (None, None) => "urn:almanac:reports".to_string(),
    };
    let mut entries: Vec<(chrono::NaiveDate, String, u32, Option<String>)> = site
        .records
        .snapshots
        .iter()
        .flat_map(|s| {
            s.file.revisions.iter().map(|r| {
                (
                    r.published,
                    s.file.quarter.clone(),
                    r.revision,
                    r.reason.clone(),
                )
            })
        })
        .collect();
    entries.sort_by(|a, b| (b.0, &b.1, b.2).cmp(&(a.0, &a.1, a.2)));
    let updated = entries.first().map_or(site.report.calendar.as_of, |e| e.0);
    let title = xml_escape(&site.config.title);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>{title}: quarterly reports</title>\n  <id>{}</id>\n  <link rel=\"self\" href=\"{}\"/>\n  <link href=\"{}\"/>\n  <updated>{updated}T00:00:00Z</updated>\n  <author><name>{title}</name></author>\n",
        xml_escape(&id("", None)),
        xml_escape(&address(site, "reports/feed.xml")),
        xml_escape(&address(site, "reports/index.html")),
    );
    for (on, q, r, reason) in entries {
        let what = match (r, &reason) {
            (1, _) => format!("{q} published"),
            (_, Some(why)) => format!("{q} restated (revision {r}): {why}"),
            (_, None) => format!("{q} restated (revision {r})"),
        };
        xml.push_str(&format!(
            "  <entry>\n    <title>Quarterly report {q}, revision {r}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>\n    <updated>{on}T00:00:00Z</updated>\n    <summary>{}</summary>\n  </entry>\n",
            xml_escape(&id(&q, Some(r))),
            xml_escape(&address(site, &revision_page(&q, r))),
            xml_escape(&what),
        ));
    }
    xml.push_str("</feed>\n");
    OutputFile::new("reports/feed.xml", xml)
}
