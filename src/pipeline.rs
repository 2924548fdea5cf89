//! Pipeline: runs config → load → metrics → chart → render for one site root, handing the
//! site's files to a sink as they are made (`main` passes the one `write` owns, which puts
//! them into the output directory) and returning a summary, or every problem found.

use crate::config::{self, Config, CONFIG_FILE};
use crate::diag::Diagnostics;
use crate::load::{self, theme::ThemeFiles};
use crate::metrics::{self, Report};
use crate::model::{Dataset, Latest};
use crate::output::{Collect, OutputFile, Sink};
use crate::period::Calendar;
use crate::render::charts::{self, Charts};
use crate::render::{self, RenderInput};
use chrono::NaiveDate;
use std::path::Path;

pub mod changes;
pub mod live;

/// Everything loaded and validated from a site root.
pub struct Loaded {
    pub config: Config,
    pub ds: Dataset,
    pub calendar: Calendar,
    /// The site's theme folder files (render adds the default theme under them).
    pub theme: ThemeFiles,
    /// The row that set the report date, when no `as_of` was configured or passed.
    pub date_set_by: Option<DateSource>,
}

/// The report date and the data row whose timestamp set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateSource {
    pub date: NaiveDate,
    pub row: Latest,
}

impl std::fmt::Display for DateSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "report date {} set by {}:{} (latest timestamp)",
            self.date, self.row.path, self.row.line
        )
    }
}

/// What `check` found: every problem, and the row that set the report date when the data
/// set it (`None` when `as_of` was configured or passed, or no date could be told).
pub struct Checked {
    pub diags: Diagnostics,
    pub date_set_by: Option<DateSource>,
}

/// A successful build: how many files it made, what they hold, and any warnings.
pub struct Built {
    pub files: usize,
    pub pages: usize,
    pub charts: usize,
    pub warnings: Diagnostics,
    /// The row that set the report date, when the data set it.
    pub date_set_by: Option<DateSource>,
}

/// Why a build failed; `W` is the sink's error (none for a build into memory).
pub enum Failure<W = std::convert::Infallible> {
    /// Problems with the user's files.
    Invalid(Diagnostics),
    /// A template failed.
    Render(render::RenderError),
    /// The sink refused a file (the output directory could not be written).
    Write(W),
}

/// Reads the config and every input, validates them, and fixes the report date.
/// `Err` holds every problem (errors and warnings); `Ok` carries the warnings.
pub fn load(root: &Path, as_of: Option<NaiveDate>) -> Result<(Loaded, Diagnostics), Diagnostics> {
    load_with(root, as_of, Digests::Take)
}

/// `load` for the figures alone (`almanac metrics`): `Dataset::inputs` stays empty, as only
/// the site's manifest, snapshots and restatements read the input digests.
pub fn load_figures(
    root: &Path,
    as_of: Option<NaiveDate>,
) -> Result<(Loaded, Diagnostics), Diagnostics> {
    load_with(root, as_of, Digests::Skip)
}

fn load_with(
    root: &Path,
    as_of: Option<NaiveDate>,
    digests: Digests,
) -> Result<(Loaded, Diagnostics), Diagnostics> {
    let (loaded, diags, _) = load_all(root, as_of, digests);
    match loaded {
        Some(l) => Ok((l, diags)),
        None => Err(diags),
    }
}

/// Whether a load takes the SHA-256 of every input (`Dataset::inputs`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Digests {
    Take,
    Skip,
}

/// `load`, also telling which row set the report date when it could be told, even when
/// there are errors.
fn load_all(
    root: &Path,
    as_of: Option<NaiveDate>,
    digests: Digests,
) -> (Option<Loaded>, Diagnostics, Option<DateSource>) {
    let (loaded, diags) = match load_inner(root, as_of, digests) {
        Ok((l, d)) => (Some(l), d),
        Err((d, by)) => return (None, d, by),
    };
    let by = loaded.as_ref().and_then(|l| l.date_set_by);
    (loaded, diags, by)
}

type LoadResult = Result<(Loaded, Diagnostics), (Diagnostics, Option<DateSource>)>;

fn load_inner(root: &Path, as_of: Option<NaiveDate>, digests: Digests) -> LoadResult {
    let (config, ds, theme, problems) = read_inputs(root, None, digests).map_err(|d| (d, None))?;
    check_inputs(config, ds, theme, &problems, as_of)
}

/// The problems found reading each input, kept apart so that an incremental rebuild
/// (`live`) can read one input again and keep the others' problems.
#[derive(Default, Clone)]
pub(crate) struct InputProblems {
    slos: Diagnostics,
    data: Diagnostics,
    content: Diagnostics,
    snapshots: Diagnostics,
    theme: Diagnostics,
}

type Inputs = (Config, Dataset, ThemeFiles, InputProblems);

/// Reads the config and every input; `Err` when the config cannot be read or parsed.
fn read_inputs(
    root: &Path,
    tables: Option<&load::memo::TableMemo>,
    digests: Digests,
) -> Result<Inputs, Diagnostics> {
    let mut diags = Diagnostics::new();
    let bytes = match std::fs::read(root.join(CONFIG_FILE)) {
        Ok(b) => b,
        Err(e) => {
            diags.error(
                CONFIG_FILE,
                None,
                format!("cannot read {} ({e}); run almanac in a site folder, pass --root, or create one with `almanac demo --out DIR`", root.join(CONFIG_FILE).display()),
            );
            return Err(diags);
        }
    };
    let text = match crate::diag::utf8_text(&bytes) {
        Ok(t) => t,
        Err(pos) => {
            diags.error(CONFIG_FILE, Some(pos), crate::diag::NOT_UTF8);
            return Err(diags);
        }
    };
    let config = config::parse(text)?;
    let mut p = InputProblems::default();
    let slos = load::slo_definitions(root, &config, &mut p.slos);
    // A whole load digests the table files from the bytes it parses; the other inputs are
    // digested beside the load.
    let take = digests == Digests::Take;
    let from_bytes = take && tables.is_none();
    let parsed: Vec<&str> = if from_bytes {
        load::tables::TABLES.iter().map(|t| t.path()).collect()
    } else {
        Vec::new()
    };
    let (((mut ds, data_diags), (content, content_diags)), others) = rayon::join(
        || {
            rayon::join(
                || load::load_data_with(root, &config, slos, tables, from_bytes),
                || load::content::load_content(root),
            )
        },
        || {
            if take {
                load::snapshots::digests(root, &parsed)
            } else {
                Default::default()
            }
        },
    );
    p.data = data_diags;
    p.content = content_diags;
    load::attach_content(&mut ds, content, root);
    ds.snapshots = load::snapshots::load_snapshots(root, &mut p.snapshots);
    ds.inputs.extend(others);
    let theme = load::theme::load_theme(root, &config.theme, config.theme_at, &mut p.theme);
    Ok((config, ds, theme, p))
}

/// Fixes the report date and runs the checks across inputs.
fn check_inputs(
    config: Config,
    ds: Dataset,
    theme: ThemeFiles,
    p: &InputProblems,
    as_of: Option<NaiveDate>,
) -> LoadResult {
    let mut diags = p.slos.clone();
    for d in [&p.data, &p.content, &p.snapshots, &p.theme] {
        diags.extend(d.clone());
    }
    let as_of_given = as_of.or(config.as_of);
    let Some(as_of) = metrics::resolve_as_of(as_of, &config, ds.latest) else {
        diags.error(CONFIG_FILE, Some(crate::diag::Pos { line: 1, column: 1 }), "cannot tell the report date: data/ has no timestamps and there is no as_of; add `as_of = YYYY-MM-DD` to almanac.toml or pass --as-of");
        return Err((diags, None));
    };
    let date_set_by = ds
        .latest_row
        .filter(|_| as_of_given.is_none())
        .map(|row| DateSource { date: as_of, row });
    let calendar = Calendar::new(config.timezone, as_of);
    load::validate::validate(&config, &ds, &calendar, &mut diags);
    diags.extend(metrics::retro::missing_retro_warnings(&ds, &calendar));
    diags.extend(metrics::definitions::check(&config, &ds.metric_defs));
    if !ds.narratives.is_empty() {
        let scopes = metrics::scope::all_scopes(&config, &ds);
        diags.extend(metrics::quarterly::check_names(&ds.narratives, &scopes));
    }
    if diags.has_errors() {
        return Err((diags, date_set_by));
    }
    Ok((
        Loaded {
            config,
            ds,
            calendar,
            theme,
            date_set_by,
        },
        diags,
    ))
}

/// `almanac check`: every problem at once.
pub fn check(root: &Path, as_of: Option<NaiveDate>) -> Checked {
    check_keeping(root, as_of).0
}

/// `check`, handing back what it loaded and the figures it computed when the inputs load
/// (`diff` reviews both, reading each tree once).
pub fn check_keeping(root: &Path, as_of: Option<NaiveDate>) -> (Checked, Option<(Loaded, Report)>) {
    let (loaded, mut diags, date_set_by) = load_all(root, as_of, Digests::Take);
    let kept = loaded.map(|l| {
        let report = report(&l);
        (l, report)
    });
    if let Some((l, report)) = &kept {
        diags.extend(render::report_problems(report, &l.ds));
        let parse = render::template_problems(&l.theme, &l.config.theme);
        if parse.is_empty() && !l.theme.templates.is_empty() {
            // The site's templates parse: render a sample page of every kind with them.
            let charts = charts::build(&l.config, &l.ds, report, None);
            let input = RenderInput {
                config: &l.config,
                ds: &l.ds,
                report,
                charts: &charts,
                theme: &l.theme,
                memo: None,
            };
            diags.extend(render::template_render_problems(&input, &l.config.theme));
        }
        diags.extend(parse);
    }
    (Checked { diags, date_set_by }, kept)
}

/// Computes every figure.
pub fn report(loaded: &Loaded) -> Report {
    report_reusing(loaded, None)
}

/// As `report`, with the SLO figures of `kept`, a report of the same SLO definitions and
/// SLI rows (`metrics::compute_reusing`).
pub fn report_reusing(loaded: &Loaded, kept: Option<&Report>) -> Report {
    let cal = loaded.calendar;
    let mut report = metrics::compute_reusing(&loaded.config, &loaded.ds, cal, kept);
    report.quality.as_of_row = loaded.date_set_by.map(|d| d.row);
    report
}

/// Adds the problems only the figures reveal to `warnings`, failing on an error among
/// them, and records the warnings in the report's data-quality figures.
fn finish_report<W>(
    report: &mut Report,
    loaded: &Loaded,
    warnings: &mut Diagnostics,
) -> Result<(), Failure<W>> {
    warnings.extend(render::report_problems(report, &loaded.ds));
    if warnings.has_errors() {
        return Err(Failure::Invalid(warnings.clone()));
    }
    report.quality.warnings = metrics::quality::group_warnings(warnings);
    Ok(())
}

/// Every stage's output up to render, which `build` renders and `live` keeps.
pub(crate) struct Stages {
    loaded: Loaded,
    problems: InputProblems,
    warnings: Diagnostics,
    report: Report,
    charts: Charts,
}

impl Stages {
    fn render_input(&self) -> RenderInput<'_> {
        RenderInput {
            config: &self.loaded.config,
            ds: &self.loaded.ds,
            report: &self.report,
            charts: &self.charts,
            theme: &self.loaded.theme,
            memo: None,
        }
    }
}

/// What an earlier build made that a later one of the same root may take instead of making
/// it again (`serve`'s rebuilds): the tables parsed and the charts drawn. Taking from it
/// gives the same result as making anew.
#[derive(Default)]
pub struct Reuse {
    pub tables: load::memo::TableMemo,
    pub charts: crate::chart::Memo,
}

/// Config, load, metrics and chart (through `reuse` when there is one). `stage` is called
/// after each stage with its name. Without `reuse` (a one-off build, which keeps nothing for
/// a later one) the dataset's event rows are freed once the report is computed.
fn stages<W>(
    root: &Path,
    as_of: Option<NaiveDate>,
    reuse: Option<&Reuse>,
    stage: &mut dyn FnMut(&'static str),
) -> Result<Stages, Failure<W>> {
    let (config, ds, theme, problems) =
        read_inputs(root, reuse.map(|r| &r.tables), Digests::Take).map_err(Failure::Invalid)?;
    let (mut loaded, mut warnings) =
        check_inputs(config, ds, theme, &problems, as_of).map_err(|(d, _)| Failure::Invalid(d))?;
    stage("load");
    let mut report = report(&loaded);
    finish_report(&mut report, &loaded, &mut warnings)?;
    if reuse.is_none() {
        // A one-off build computes no other report from these rows.
        loaded.ds.release_events();
    }
    stage("metrics");
    let memo = reuse.map(|r| &r.charts);
    let charts: Charts = charts::build(&loaded.config, &loaded.ds, &report, memo);
    stage("chart");
    Ok(Stages {
        loaded,
        problems,
        warnings,
        report,
        charts,
    })
}

/// The whole pipeline, into memory: the summary and every file, sorted by path.
pub fn build(
    root: &Path,
    as_of: Option<NaiveDate>,
    stage: &mut dyn FnMut(&'static str),
) -> Result<(Built, Vec<OutputFile>), Failure> {
    let sink = Collect::default();
    let built = build_into(root, as_of, &sink, stage)?;
    Ok((built, sink.into_files()))
}

/// The whole pipeline, handing every file to `sink` as render makes it (`stages`, then
/// `render::render_into`). `stage` is called after each stage with its name, so `main` can
/// time them without anything here reading the clock.
pub fn build_into<S: Sink>(
    root: &Path,
    as_of: Option<NaiveDate>,
    sink: &S,
    stage: &mut dyn FnMut(&'static str),
) -> Result<Built, Failure<S::Error>> {
    let mut s = stages(root, as_of, None, stage)?;
    let rendered = render::render_into(&s.render_input(), sink).map_err(|e| match e {
        render::Stopped::Render(e) => Failure::Render(e),
        render::Stopped::Sink(e) => Failure::Write(e),
    })?;
    stage("render");
    let built = Built {
        pages: rendered.pages,
        charts: s.charts.len(),
        files: rendered.files,
        warnings: std::mem::take(&mut s.warnings),
        date_set_by: s.loaded.date_set_by,
    };
    // The model, figures and charts are freed on a pool thread: the caller swaps the site in
    // (and a one-off build ends) without waiting for a million frees.
    rayon::spawn(move || drop(s));
    Ok(built)
}
