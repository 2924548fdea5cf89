//! Content loader: reads `content/{retros,metrics,governance,reports,reviews}/**/*.md` under the site
//! root and returns retros, metric definitions and pages (`Content`) plus located diagnostics.

use crate::config::valid_id;
use crate::diag::{Diagnostics, Pos};
use crate::load::frontmatter::{
    self, front_matter, item_lines, key_line, report, stem, Date, FrontMatter, Timestamp, Version,
};
use crate::load::narrative;
use crate::load::reviews::{parse_review, REVIEWS_DIR};
use crate::markdown::{first_heading, section_items};
use crate::model::{
    ActionItem, Better, ChangelogEntry, Doc, MetricDef, Narrative, Retro, WeekDecision,
};
use crate::output::slug;
use crate::published::quarter_of_stem;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

pub const RETROS_DIR: &str = "content/retros";
pub const METRICS_DIR: &str = "content/metrics";
pub const GOVERNANCE_DIR: &str = "content/governance";
pub const REPORTS_DIR: &str = "content/reports";

/// Everything under `content/`, each list sorted by path.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Content {
    pub retros: Vec<Retro>,
    pub metric_defs: Vec<MetricDef>,
    pub governance: Vec<Doc>,
    pub reports: Vec<Doc>,
    /// `content/reports/<yyyy-qn>.md`: the quarterly narratives.
    pub narratives: Vec<Narrative>,
    /// Weekly review decisions, sorted by week.
    pub reviews: Vec<WeekDecision>,
}

/// A file of `content/reports`: a quarter's narrative (named by its quarter) or a page.
enum ReportFile {
    Narrative(Narrative),
    Page(Doc),
}

fn parse_report(rel: &str, text: &str, diags: &mut Diagnostics) -> Option<ReportFile> {
    match quarter_of_stem(&stem(rel)) {
        Some(q) => narrative::parse(rel, q, text, diags).map(ReportFile::Narrative),
        None => parse_doc(rel, text, diags).map(ReportFile::Page),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRetro {
    title: String,
    incident: String,
    published_at: Timestamp,
    #[serde(default)]
    action_items: Vec<RawActionItem>,
    /// Ids of earlier incidents this incident repeats.
    #[serde(default)]
    repeats: Vec<String>,
    /// Accepted for the author's own use; not shown.
    #[serde(default, rename = "tags")]
    _tags: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActionItem {
    title: String,
    team: String,
    due: Date,
    done: Option<Date>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMetric {
    id: String,
    name: String,
    version: Version,
    owner: String,
    unit: String,
    better: RawBetter,
    tolerance: Option<f64>,
    #[serde(default)]
    changelog: Vec<RawChange>,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawBetter {
    Lower,
    Higher,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChange {
    version: Version,
    date: Date,
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDoc {
    title: String,
    date: Option<Date>,
    period: Option<String>,
}

const DEFAULT_TOLERANCE: f64 = 0.05;

/// Loads every content folder under `root`. Missing folders mean no content of that kind.
pub fn load_content(root: &Path) -> (Content, Diagnostics) {
    let mut diags = Diagnostics::new();
    let walk = Walk {
        root,
        canonical_root: root.canonicalize().ok(),
    };
    let retros = walk.load(RETROS_DIR, &mut diags, parse_retro);
    let metric_defs = walk.load(METRICS_DIR, &mut diags, parse_metric);
    let governance = walk.load(GOVERNANCE_DIR, &mut diags, parse_doc);
    let (mut reports, mut narratives) = (Vec::new(), Vec::new());
    for f in walk.load(REPORTS_DIR, &mut diags, parse_report) {
        match f {
            ReportFile::Narrative(n) => narratives.push(n),
            ReportFile::Page(d) => reports.push(d),
        }
    }
    let reviews = walk.load(REVIEWS_DIR, &mut diags, parse_review);
    let content = Content {
        retros: unique(
            retros,
            |r| (&r.slug, &r.path),
            &mut diags,
            |key, first| {
                format!("this retro's file name gives the slug `{key}`, as does `{first}`; rename one of the two files")
            },
        ),
        metric_defs: unique(
            metric_defs,
            |m| (&m.id, &m.path),
            &mut diags,
            |key, first| {
                format!("metric id `{key}` is already defined in `{first}`; give one of them another `id`")
            },
        ),
        governance: unique(governance, |d| (&d.slug, &d.path), &mut diags, doc_clash),
        reports: unique(reports, |d| (&d.slug, &d.path), &mut diags, doc_clash),
        narratives: unique(
            narratives,
            |n| (&n.quarter, &n.path),
            &mut diags,
            |key, first| {
                format!("`{first}` is already the narrative of {key}; keep one of the two files")
            },
        ),
        reviews: unique(
            reviews,
            |r| (&r.week, &r.path),
            &mut diags,
            |key, first| {
                format!("week `{key}` already has a review in `{first}`; keep one of the two files")
            },
        ),
    };
    (content, diags)
}

fn doc_clash(key: &str, first: &str) -> String {
    format!("this page's file name gives the slug `{key}`, as does `{first}`; rename one of the two files")
}

/// Keeps the first item (in path order) per key and reports every later one.
fn unique<T>(
    items: Vec<T>,
    key_and_path: impl Fn(&T) -> (&String, &String),
    diags: &mut Diagnostics,
    message: impl Fn(&str, &str) -> String,
) -> Vec<T> {
    let mut first: BTreeMap<String, String> = BTreeMap::new();
    let mut kept = Vec::with_capacity(items.len());
    for item in items {
        let (key, path) = key_and_path(&item);
        if let Some(earlier) = first.get(key) {
            diags.error(path, None, message(key, earlier));
            continue;
        }
        first.insert(key.clone(), path.clone());
        kept.push(item);
    }
    kept
}

type Parse<T> = fn(&str, &str, &mut Diagnostics) -> Option<T>;

/// Lists and reads files under one site root, refusing to leave it through symlinks.
struct Walk<'a> {
    root: &'a Path,
    canonical_root: Option<PathBuf>,
}

/// One markdown file to read: its path relative to the root, on disk, and whether it is a symlink.
struct Found {
    rel: String,
    abs: PathBuf,
    link: bool,
}

impl Walk<'_> {
    /// Reads and parses every markdown file of `dir` in parallel, in path order.
    fn load<T: Send>(&self, dir: &str, diags: &mut Diagnostics, parse: Parse<T>) -> Vec<T> {
        let files = self.list(dir, diags);
        let results: Vec<(Option<T>, Diagnostics)> = files
            .par_iter()
            .map(|f| {
                let mut d = Diagnostics::new();
                let item = self
                    .read(f, &mut d)
                    .and_then(|text| parse(&f.rel, &text, &mut d));
                (item, d)
            })
            .collect();
        let mut out = Vec::with_capacity(results.len());
        for (item, d) in results {
            diags.extend(d);
            out.extend(item);
        }
        out
    }

    /// The `*.md` files under `dir` (recursively, skipping hidden names), sorted by path.
    fn list(&self, dir: &str, diags: &mut Diagnostics) -> Vec<Found> {
        let abs_dir = self.root.join(dir);
        match std::fs::metadata(&abs_dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
            Err(e) => {
                diags.error(
                    dir,
                    None,
                    format!("cannot open this folder ({e}); check its permissions"),
                );
                return Vec::new();
            }
            Ok(m) if !m.is_dir() => {
                diags.error(
                    dir,
                    None,
                    "this is a file, not a folder; move it away or make it a folder of `.md` files",
                );
                return Vec::new();
            }
            Ok(_) if !self.inside_root(&abs_dir) => {
                diags.error(dir, None, "this folder is a symlink leading outside the site root; put the files inside the site instead");
                return Vec::new();
            }
            Ok(_) => {}
        }
        let walker = WalkDir::new(&abs_dir)
            .min_depth(1)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
        let mut found = Vec::new();
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let at = e
                        .path()
                        .map_or_else(|| dir.to_string(), |p| self.relative(p));
                    diags.error(
                        &at,
                        None,
                        format!("cannot read ({e}); check its permissions"),
                    );
                    continue;
                }
            };
            let link = entry.path_is_symlink();
            let is_file = entry.file_type().is_file()
                || (link && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()));
            if is_file && entry.path().extension().is_some_and(|x| x == "md") {
                found.push(Found {
                    rel: self.relative(entry.path()),
                    abs: entry.into_path(),
                    link,
                });
            }
        }
        found.sort_by(|a, b| a.rel.cmp(&b.rel));
        found
    }

    fn inside_root(&self, path: &Path) -> bool {
        match (&self.canonical_root, path.canonicalize()) {
            (Some(root), Ok(p)) => p.starts_with(root),
            _ => false,
        }
    }

    /// `path` relative to the root, with `/` separators.
    fn relative(&self, path: &Path) -> String {
        let rel = path.strip_prefix(self.root).unwrap_or(path);
        let parts: Vec<_> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        parts.join("/")
    }

    /// The file's text; `None` (with an error) if it cannot be read, leaves the root or is
    /// not UTF-8.
    fn read(&self, f: &Found, diags: &mut Diagnostics) -> Option<String> {
        if f.link && !self.inside_root(&f.abs) {
            diags.error(
                &f.rel,
                None,
                "this symlink leads outside the site root; copy the file into the site instead",
            );
            return None;
        }
        let bytes = match std::fs::read(&f.abs) {
            Ok(bytes) => bytes,
            Err(e) => {
                diags.error(
                    &f.rel,
                    None,
                    format!("cannot read this file ({e}); check its permissions"),
                );
                return None;
            }
        };
        match crate::diag::utf8_text(&bytes) {
            Ok(_) => String::from_utf8(bytes).ok(),
            Err(pos) => {
                diags.error(&f.rel, Some(pos), crate::diag::NOT_UTF8);
                None
            }
        }
    }
}

/// Reports an empty (or blank) required text value at the line of `key`.
fn non_empty(
    value: &str,
    key: &str,
    line: Option<u32>,
    rel: &str,
    diags: &mut Diagnostics,
) -> bool {
    if !value.trim().is_empty() {
        return true;
    }
    let pos = line.map(|line| Pos { line, column: 0 });
    diags.error(rel, pos, format!("`{key}` is empty; give it a value"));
    false
}

/// One retro file's text parsed into a `Retro`; problems go to `diags`.
pub fn parse_retro(rel: &str, text: &str, diags: &mut Diagnostics) -> Option<Retro> {
    let (fm, raw): (_, RawRetro) = front_matter(rel, text, "title = \"Checkout outage\"", diags)?;
    let mut ok = non_empty(&raw.title, "title", key_line(&fm, "title"), rel, diags);
    ok &= non_empty(
        &raw.incident,
        "incident",
        key_line(&fm, "incident"),
        rel,
        diags,
    );
    let lines = item_lines(&fm, "action_items", raw.action_items.len());
    let mut action_items = Vec::with_capacity(raw.action_items.len());
    for (item, line) in raw.action_items.into_iter().zip(lines) {
        ok &= non_empty(&item.title, "title", Some(line), rel, diags);
        ok &= non_empty(&item.team, "team", Some(line), rel, diags);
        action_items.push(ActionItem {
            title: item.title.trim().to_string(),
            team: item.team.trim().to_string(),
            due: item.due.0,
            done: item.done.map(|d| d.0),
            line,
        });
    }
    ok.then(|| Retro {
        path: rel.to_string(),
        slug: slug(&stem(rel)),
        title: raw.title.trim().to_string(),
        incident: raw.incident.trim().to_string(),
        incident_line: key_line(&fm, "incident").unwrap_or(1),
        published_at: raw.published_at.0,
        action_items,
        repeats: raw.repeats.iter().map(|r| r.trim().to_string()).collect(),
        repeats_line: key_line(&fm, "repeats").unwrap_or(0),
        contributing_factors: section_items(fm.body, "Contributing factors"),
        body: fm.body.to_string(),
    })
}

fn parse_metric(rel: &str, text: &str, diags: &mut Diagnostics) -> Option<MetricDef> {
    let (fm, raw): (_, RawMetric) = front_matter(rel, text, "id = \"lead_time\"", diags)?;
    let mut ok = check_metric(&raw, &fm, rel, diags);
    let tolerance = raw.tolerance.unwrap_or(DEFAULT_TOLERANCE);
    let lines = item_lines(&fm, "changelog", raw.changelog.len());
    let mut changelog = Vec::with_capacity(raw.changelog.len());
    for (entry, line) in raw.changelog.into_iter().zip(lines) {
        ok &= non_empty(&entry.version.0, "version", Some(line), rel, diags);
        changelog.push(ChangelogEntry {
            version: entry.version.0.trim().to_string(),
            date: entry.date.0,
            note: entry.note.trim().to_string(),
        });
    }
    let better = match raw.better {
        RawBetter::Lower => Better::Lower,
        RawBetter::Higher => Better::Higher,
    };
    ok.then(|| MetricDef {
        path: rel.to_string(),
        id: raw.id,
        name: raw.name.trim().to_string(),
        version: raw.version.0.trim().to_string(),
        version_line: key_line(&fm, "version").unwrap_or(0),
        owner: raw.owner.trim().to_string(),
        unit: raw.unit.trim().to_string(),
        better,
        tolerance,
        changelog,
        body: fm.body.to_string(),
    })
}

/// Checks what serde cannot: a valid id, non-empty texts, a tolerance from 0 to 1.
fn check_metric(raw: &RawMetric, fm: &FrontMatter<'_>, rel: &str, diags: &mut Diagnostics) -> bool {
    let at = |key: &str| key_line(fm, key).map(|line| Pos { line, column: 0 });
    let mut ok = true;
    if !valid_id(&raw.id) {
        let msg = format!(
            "metric id `{}` may only use letters, digits, `-`, `_` and `.`; rename it",
            raw.id
        );
        diags.error(rel, at("id"), msg);
        ok = false;
    }
    let texts = [
        (&raw.name, "name"),
        (&raw.version.0, "version"),
        (&raw.owner, "owner"),
        (&raw.unit, "unit"),
    ];
    for (value, key) in texts {
        ok &= non_empty(value, key, key_line(fm, key), rel, diags);
    }
    if let Some(t) = raw.tolerance.filter(|t| !(0.0..=1.0).contains(t)) {
        let msg =
            format!("`tolerance` is {t}; it must be a fraction from 0 to 1, e.g. 0.05 for 5%");
        diags.error(rel, at("tolerance"), msg);
        ok = false;
    }
    ok
}

/// A governance or report page. Without front matter the title is the first `# heading`
/// (removed from the body, so it is not shown twice) or else the file stem.
fn parse_doc(rel: &str, text: &str, diags: &mut Diagnostics) -> Option<Doc> {
    let doc = |title: String, subtitle, body: &str| Doc {
        path: rel.to_string(),
        slug: slug(&stem(rel)),
        title,
        subtitle,
        body: body.to_string(),
    };
    match frontmatter::split(text) {
        Err(e) => report(rel, e, diags),
        Ok(None) => Some(match first_heading(text) {
            Some((title, range)) if !title.is_empty() => doc(
                title,
                None,
                &format!("{}{}", &text[..range.start], &text[range.end..]),
            ),
            _ => doc(stem(rel), None, text),
        }),
        Ok(Some(fm)) => {
            let raw: RawDoc = frontmatter::parse(&fm)
                .map_err(|e| diags.error(rel, e.pos, e.message))
                .ok()?;
            if !non_empty(&raw.title, "title", key_line(&fm, "title"), rel, diags) {
                return None;
            }
            let subtitle = doc_subtitle(raw.date, raw.period, &fm, rel, diags)?;
            Some(doc(raw.title.trim().to_string(), subtitle, fm.body))
        }
    }
}

/// `date` (as YYYY-MM-DD) or `period`, shown under the title; both at once is an error.
fn doc_subtitle(
    date: Option<Date>,
    period: Option<String>,
    fm: &FrontMatter<'_>,
    rel: &str,
    diags: &mut Diagnostics,
) -> Option<Option<String>> {
    match (date, period) {
        (Some(_), Some(_)) => {
            let pos = key_line(fm, "period").map(|line| Pos { line, column: 0 });
            diags.error(
                rel,
                pos,
                "give either `date` or `period`, not both; remove one",
            );
            None
        }
        (Some(date), None) => Some(Some(date.0.format("%Y-%m-%d").to_string())),
        (None, period) => Some(
            period
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty()),
        ),
    }
}

#[cfg(test)]
#[path = "content_tests.rs"]
mod tests;
