//! Render stage: takes the config, dataset, metrics report, charts and the site's theme
//! files (laid over the default theme, `theme`) and returns every page, chart, data file and
//! static asset of the site as `OutputFile`s; markdown bodies become sanitised HTML here.

mod actions;
pub mod charts;
mod content;
mod context;
mod digest;
mod docs;
mod errors;
pub mod exports;
mod feeds;
mod glance;
mod incident_page;
mod incident_row;
mod incidents;
mod interventions;
pub mod json;
mod monthly;
mod oncall;
mod pager;
mod pages;
mod paths;
mod quality;
mod quarter_view;
mod records;
pub mod registry;
mod reports;
mod reviews;
pub mod site;
mod slo;
mod slo_page;
pub mod theme;
pub mod words;

use crate::config::Config;
use crate::load::theme::ThemeFiles;
use crate::metrics::Report;
use crate::model::Dataset;
use crate::output::{OutputFile, Sink};
use charts::Charts;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Everything the render stage reads. Page builders never see it whole: they read a
/// `site::Site` (the report, the config, the records pages show, the charts).
pub struct RenderInput<'a> {
    pub config: &'a Config,
    pub ds: &'a Dataset,
    pub report: &'a Report,
    pub charts: &'a Charts,
    /// The site's own theme files; render lays them over its default theme.
    pub theme: &'a ThemeFiles,
    /// Charts an earlier build drew (`serve`'s rebuilds), or none.
    pub memo: Option<&'a crate::chart::Memo>,
}

/// A page to render: where it goes, with which template and context.
pub struct Page {
    pub path: String,
    pub template: &'static str,
    /// The name of its kind (`registry::Kind::name`).
    pub kind: &'static str,
    pub context: tera::Context,
}

/// A template failed to parse or render; carries tera's whole error chain.
#[derive(Debug)]
pub struct RenderError {
    pub what: String,
    pub chain: Vec<String>,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.what)?;
        for cause in &self.chain {
            write!(f, "\n  caused by: {cause}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RenderError {}

fn tera_error(what: String, e: &tera::Error) -> RenderError {
    let mut chain = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        chain.push(s.to_string());
        source = s.source();
    }
    RenderError { what, chain }
}

/// Escapes text for an HTML text node or a quoted attribute: `&`, `<`, `>`, `"` and `'`,
/// which is all either needs. Every page's autoescaping uses it. (Tera's own escaping also
/// writes `/` as `&#x2F;`, which lengthened every link by 5 bytes a slash: 13 MB of the
/// scale issue's site.)
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut done = 0;
    // The five characters are ASCII: copy the runs between them whole.
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            _ => continue,
        };
        out.push_str(&text[done..i]);
        out.push_str(entity);
        done = i + 1;
    }
    out.push_str(&text[done..]);
    out
}

/// Parses the theme's templates (defaults and overrides merged) into one tera instance
/// (autoescaping `.html`).
pub fn templates(theme: &ThemeFiles) -> Result<tera::Tera, RenderError> {
    let mut tera = tera::Tera::default();
    tera.set_escape_fn(escape_html);
    tera.register_filter("grouped", grouped_filter);
    let list: Vec<(&str, &str)> = theme
        .templates
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    tera.add_raw_templates(list)
        .map_err(|e| tera_error("the theme's templates do not parse".to_string(), &e))?;
    Ok(tera)
}

/// The `grouped` filter: a whole number with its thousands grouped (`{{ 10867 | grouped }}`
/// reads "10,867"); any other value is left as it is.
fn grouped_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    Ok(match value.as_i64() {
        Some(n) => tera::Value::String(words::grouped(n)),
        None => value.clone(),
    })
}

/// The site's own templates (`themes/<name>/templates/`) that do not parse, each laid
/// over the defaults alone, as located diagnostics: `themes/<name>/templates/<file>:line:col`.
pub fn template_problems(site: &ThemeFiles, name: &str) -> crate::diag::Diagnostics {
    let mut diags = crate::diag::Diagnostics::new();
    for (file, text) in &site.templates {
        let mut one = ThemeFiles::default();
        one.templates.insert(file.clone(), text.clone());
        let Err(e) = templates(&theme::with_overrides(&one)) else {
            continue;
        };
        let (pos, message) = parse_error(&e.chain);
        diags.error(&format!("themes/{name}/templates/{file}"), pos, message);
    }
    diags
}

/// The site's own templates that parse but fail to render: one sample page of every page
/// kind (`registry::samples`) is rendered with the site's theme, and each failure is a
/// diagnostic on the site's template it names (`themes/<name>/templates/<file>`), with
/// tera's whole cause. Only meaningful once `template_problems` found none.
pub fn template_render_problems(input: &RenderInput, name: &str) -> crate::diag::Diagnostics {
    let mut diags = crate::diag::Diagnostics::new();
    if input.theme.templates.is_empty() {
        return diags;
    }
    let Ok(tera) = templates(&theme::with_overrides(input.theme)) else {
        return diags;
    };
    let site = site::Site::new(input.config, input.ds, input.report, input.charts);
    // One problem per template and cause, naming every sample page it broke.
    let mut broken: std::collections::BTreeMap<(String, String), Vec<String>> =
        std::collections::BTreeMap::new();
    for page in registry::samples(&site) {
        let Err(e) = tera.render(page.template, &page.context) else {
            continue;
        };
        let e = tera_error(String::new(), &e);
        // The innermost template the chain names that the site itself overrides, else the
        // page's own template when the site overrides it, else its first override.
        let own = |t: &str| input.theme.templates.contains_key(t);
        let file = e
            .chain
            .iter()
            .rev()
            .flat_map(|c| c.split('\'').skip(1).step_by(2))
            .find(|t| own(t))
            .or_else(|| own(page.template).then_some(page.template))
            .or_else(|| input.theme.templates.keys().next().map(String::as_str))
            .unwrap_or(page.template)
            .to_string();
        broken
            .entry((file, e.chain.join(": ")))
            .or_default()
            .push(page.path);
    }
    for ((file, cause), pages) in broken {
        diags.error(
            &format!("themes/{name}/templates/{file}"),
            None,
            format!(
                "rendering {} fails: {cause}; fix the template, or remove it to use the default",
                pages.join(", ")
            ),
        );
    }
    diags
}

/// The position (`--> 26:1`) and the one-line reason (`= unexpected tag; ...`) in tera's
/// parse error chain; the last cause's first line when there is no such reason.
fn parse_error(chain: &[String]) -> (Option<crate::diag::Pos>, String) {
    let lines = || chain.iter().flat_map(|c| c.lines()).map(str::trim);
    let pos = lines()
        .filter_map(|l| l.strip_prefix("--> "))
        .find_map(|at| {
            let (line, column) = at.split_once(':')?;
            Some(crate::diag::Pos {
                line: line.trim().parse().ok()?,
                column: column.trim().parse().ok()?,
            })
        });
    let reason = lines()
        .find_map(|l| l.strip_prefix("= "))
        .map(str::to_string)
        .or_else(|| {
            chain
                .last()
                .and_then(|c| c.lines().next())
                .map(str::to_string)
        })
        .unwrap_or_default();
    (pos, format!("the template does not parse: {reason}"))
}

/// Problems only the figures reveal: narratives of quarters without data, and published
/// figures today's data would restate (warnings).
pub fn report_problems(report: &Report, ds: &Dataset) -> crate::diag::Diagnostics {
    let mut diags = crate::metrics::quarterly::check_quarters(report, &ds.narratives);
    diags.extend(reports::restatement_warnings(report, ds));
    diags
}

/// What rendering made: how many files, and how many of them are pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rendered {
    pub files: usize,
    pub pages: usize,
}

/// Why `render_into` stopped: a template failed, or the sink refused a file.
pub enum Stopped<E> {
    Render(RenderError),
    Sink(E),
}

/// Renders the whole site into memory: every file `render_into` makes, sorted by path.
pub fn render(input: &RenderInput) -> Result<Vec<OutputFile>, RenderError> {
    let sink = crate::output::Collect::default();
    match render_into(input, &sink) {
        Ok(_) => Ok(sink.into_files()),
        Err(Stopped::Render(e)) => Err(e),
        Err(Stopped::Sink(never)) => match never {},
    }
}

/// Renders the whole site: every page the registry lists (one kind after another, each
/// kind's pages in parallel), then `figure_files` and `record_files`, handing each file to
/// `sink` as soon as it is made, so no more than one kind's views are held at once.
pub fn render_into<S: Sink>(input: &RenderInput, sink: &S) -> Result<Rendered, Stopped<S::Error>> {
    let tera = templates(&theme::with_overrides(input.theme)).map_err(Stopped::Render)?;
    let files = AtomicUsize::new(0);
    let pages = Mutex::new(Vec::new());
    let put = |f: OutputFile| {
        files.fetch_add(1, Ordering::Relaxed);
        sink.put(f).map_err(Stopped::Sink)
    };
    // The pages and the figure files (exports, chart files) side by side.
    let (rendered, figures) = rayon::join(
        || {
            each_rendered(
                input,
                &tera,
                &|_| true,
                None,
                None,
                false,
                &|_, f: PageFile| {
                    let PageFile::New(f, _) = f else {
                        unreachable!("without fingerprints every page is rendered")
                    };
                    pages.lock().expect("no put panicked").push(f.path.clone());
                    put(f)
                },
            )
        },
        || figure_files(input, None, &put),
    );
    rendered?;
    figures?;
    // Last: the sitemap lists every page.
    let listed = std::mem::take(&mut *pages.lock().expect("no put panicked"));
    let paths: Vec<&str> = listed.iter().map(String::as_str).collect();
    for f in record_files(input, &paths) {
        put(f)?;
    }
    Ok(Rendered {
        files: files.into_inner(),
        pages: listed.len(),
    })
}

/// A page `render_pages` made: rendered anew, with its fingerprint when fingerprints were
/// asked for, or unchanged since the fingerprints given (its earlier bytes stand).
pub enum PageFile {
    New(OutputFile, Option<registry::Print>),
    Same(String),
}

impl PageFile {
    pub fn path(&self) -> &str {
        match self {
            PageFile::New(f, _) => &f.path,
            PageFile::Same(p) => p,
        }
    }
}

/// The pages of the given kinds only, by kind name (a kind with no pages maps to none),
/// with templates already parsed (`templates` of the theme laid over the defaults), for an
/// incremental rebuild that replaces just those kinds' pages: with `keys` only the pages
/// of each kind that show the records it names; with `prints` (the fingerprints of the
/// pages rendered before with the same templates) every page is fingerprinted and those
/// unchanged are not rendered again. `side_by_side`: the kinds in parallel too
/// (`registry::each_page`).
pub fn render_pages(
    input: &RenderInput,
    tera: &tera::Tera,
    kinds: &[registry::Kind],
    keys: Option<&registry::RecordKeys>,
    prints: Option<&registry::Prints>,
    side_by_side: bool,
) -> Result<BTreeMap<&'static str, Vec<PageFile>>, RenderError> {
    let by_kind: Mutex<BTreeMap<&'static str, Vec<PageFile>>> =
        Mutex::new(kinds.iter().map(|k| (k.name, Vec::new())).collect());
    let put = |kind: &'static str, file: PageFile| -> Result<(), Stopped<RenderError>> {
        let mut by_kind = by_kind.lock().expect("no put panicked");
        by_kind.entry(kind).or_default().push(file);
        Ok(())
    };
    each_rendered(
        input,
        tera,
        &|k| kinds.contains(k),
        keys,
        prints,
        side_by_side,
        &put,
    )
    .map_err(|e| match e {
        Stopped::Render(e) | Stopped::Sink(e) => e,
    })?;
    let mut by_kind = by_kind.into_inner().expect("no put panicked");
    for files in by_kind.values_mut() {
        files.sort_by(|a, b| a.path().cmp(b.path()));
    }
    Ok(by_kind)
}

/// Renders the pages of every kind `wanted` accepts (with `keys`, those showing the records
/// it names; with `prints`, only those whose fingerprint changed), kind after kind, each
/// kind's pages in parallel, handing each with its kind's name to `put`: the one render
/// loop of full and incremental builds.
fn each_rendered<E: Send>(
    input: &RenderInput,
    tera: &tera::Tera,
    wanted: &dyn Fn(&registry::Kind) -> bool,
    keys: Option<&registry::RecordKeys>,
    prints: Option<&registry::Prints>,
    side_by_side: bool,
    put: &(impl Fn(&'static str, PageFile) -> Result<(), Stopped<E>> + Sync),
) -> Result<(), Stopped<E>> {
    let mut site = site::Site::new(input.config, input.ds, input.report, input.charts);
    site.memo = input.memo;
    registry::each_page(
        &site,
        wanted,
        keys,
        prints,
        side_by_side,
        |made| match made {
            registry::Made::Same { kind, path } => put(kind, PageFile::Same(path)),
            registry::Made::Page(p, print) => {
                let html = tera.render(p.template, &p.context).map_err(|e| {
                    Stopped::Render(tera_error(
                        format!("rendering {} with template {}", p.path, p.template),
                        &e,
                    ))
                })?;
                put(p.kind, PageFile::New(OutputFile::new(p.path, html), print))
            }
        },
    )
}

/// The files that are not pages and read the records: the sitemap of `pages` (the paths
/// of every page), the feed and the manifest (the inputs' digests). They are cheap, so an
/// incremental rebuild makes them all again.
pub fn record_files(input: &RenderInput, pages: &[&str]) -> Vec<OutputFile> {
    let site = site::Site::new(input.config, input.ds, input.report, input.charts);
    vec![
        feeds::sitemap(&site, pages),
        feeds::feed(&site),
        feeds::manifest(&site),
    ]
}

/// The files made from the figures, the charts and the theme alone, handed to `put` (in
/// parallel) as they are made: the data exports (`exports`), the charts' files and the
/// theme's static files. An incremental rebuild keeps them while the figures, the charts
/// and the theme stay the same; with the report and charts they were last made from
/// (`previous`), the files of the scopes and charts that are the same there are not made
/// again: their paths are returned.
pub fn figure_files<E: Send>(
    input: &RenderInput,
    previous: Option<(&Report, &Charts)>,
    put: &(impl Fn(OutputFile) -> Result<(), E> + Sync),
) -> Result<Vec<String>, E> {
    let mut kept = exports::exports(input.report, previous.map(|p| p.0), put)?;
    let (files, same) = input.charts.files(previous.map(|p| p.1));
    kept.extend(same);
    files.into_par_iter().try_for_each(put)?;
    let theme = theme::with_overrides(input.theme);
    // One stylesheet for every page: the theme's `style.css` with the charts' CSS (the
    // theme's own `charts.css`, if it has one) after it. `charts.css` is still written alone
    // for themes whose `base.html` links it.
    let charts_css = match theme.statics.get("charts.css") {
        Some(css) => css.as_slice(),
        None => crate::chart::CHART_CSS.as_bytes(),
    };
    for (path, bytes) in &theme.statics {
        let bytes = match path.as_str() {
            "style.css" => [bytes.as_slice(), b"\n", charts_css].concat(),
            _ => bytes.clone(),
        };
        put(OutputFile::new(format!("static/{path}"), bytes))?;
    }
    if !theme.statics.contains_key("charts.css") {
        put(OutputFile::new("static/charts.css", charts_css))?;
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping_keeps_text_and_attributes_closed_and_leaves_slashes() {
        assert_eq!(
            super::escape_html(r#"<a href="x" title='y'>&amp;</a> ../teams/a.html"#),
            "&lt;a href=&quot;x&quot; title=&#x27;y&#x27;&gt;&amp;amp;&lt;/a&gt; ../teams/a.html"
        );
        assert_eq!(super::escape_html("Zürich – ok"), "Zürich – ok");
    }

    #[test]
    fn every_page_is_escaped_with_it() {
        let mut theme = crate::load::theme::ThemeFiles::default();
        theme.templates.insert("t.html".into(), "{{ v }}".into());
        let tera = super::templates(&super::theme::with_overrides(&theme)).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("v", "</p>");
        assert_eq!(tera.render("t.html", &ctx).unwrap(), "&lt;/p&gt;");
    }

    /// Themes can group a count's thousands; text and fractions pass through unchanged.
    #[test]
    fn the_grouped_filter_groups_whole_numbers_only() {
        let mut theme = crate::load::theme::ThemeFiles::default();
        theme.templates.insert(
            "t.html".into(),
            "{{ n | grouped }} {{ m | grouped }} {{ s | grouped }} {{ x | grouped }}".into(),
        );
        let tera = super::templates(&super::theme::with_overrides(&theme)).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("n", &10867);
        ctx.insert("m", &999);
        ctx.insert("s", "2026");
        ctx.insert("x", &1234.5);
        assert_eq!(
            tera.render("t.html", &ctx).unwrap(),
            "10,867 999 2026 1234.5"
        );
    }
}
