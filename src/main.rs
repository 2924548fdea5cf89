//! almanac's command line: parses arguments, runs the pipeline, reads the clock for
//! `--timings`, writes files and prints diagnostics. Everything below it is pure.

use almanac::diag::{Diagnostics, Severity};
use almanac::metrics::{self, catalog::Metric};
use almanac::period::{Grain, Period};
use almanac::pipeline::{self, Failure};
use almanac::{demo, write};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Prints a line to standard output; a closed pipe (`almanac metrics | head`) ends the
/// output quietly instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

#[derive(Parser)]
#[command(
    name = "almanac",
    version,
    about = "Builds engineering operational-excellence report sites from CSV and markdown"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output directory.
    Build {
        /// The site's root folder (with almanac.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: <root>/site).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Report date (YYYY-MM-DD): events after this day do not exist.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
    },
    /// Validate every input and print every problem.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
    },
    /// Print the figures of one scope and period.
    Metrics {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// org, team:ID or service:ID.
        #[arg(long, default_value = "org")]
        scope: String,
        /// 2026-Q3, 2026-07 or 2026-W27 (default: the quarter containing as_of).
        #[arg(long)]
        period: Option<String>,
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Start a new content file from the data.
    New {
        #[command(subcommand)]
        what: NewWhat,
    },
    /// Freeze a finished quarter's report: write content/reports/<yyyy-qN>.snapshot.json
    /// (commit it). Later builds show the quarter as published and flag any figure that
    /// today's data would change.
    Publish {
        /// The quarter, e.g. 2026-Q3.
        quarter: String,
        /// The site's root folder (with almanac.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Publish a new revision of an already published quarter (needs --reason); the
        /// earlier revisions stay readable at reports/<yyyy-qN>/r<N>.html.
        #[arg(long, requires = "reason")]
        restate: bool,
        /// Why this revision restates the last one, shown on the report and in the feed.
        #[arg(long)]
        reason: Option<String>,
        /// The publication day (YYYY-MM-DD; default: today).
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// Report date (YYYY-MM-DD), as for build.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
    },
    /// Write a realistic, deterministic example organisation.
    Demo {
        /// The folder to write the example site into.
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// At least 1, like the two counts below.
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..))]
        teams: u32,
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
        services_per_team: u32,
        #[arg(long, default_value_t = 18, value_parser = clap::value_parser!(u32).range(1..))]
        months: u32,
        /// The last day of generated data.
        #[arg(long, value_parser = parse_date, default_value = "2026-09-30")]
        end: NaiveDate,
    },
}

#[derive(Subcommand)]
enum NewWhat {
    /// Write content/retros/<INCIDENT_ID>.md pre-filled from data/incidents.csv.
    Retro {
        /// The incident's id (incident_id in data/incidents.csv).
        incident_id: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    almanac::load::time::parse_date(text)
        .ok_or_else(|| format!("`{text}` is not a date; write YYYY-MM-DD"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            as_of,
            timings,
        } => build(root, output, as_of, timings),
        Command::Check { root, as_of } => check(root, as_of),
        Command::Metrics {
            root,
            scope,
            period,
            as_of,
            format,
        } => print_metrics(root, &scope, period, as_of, format),
        Command::New {
            what: NewWhat::Retro { incident_id, root },
        } => new_retro(&root, &incident_id),
        Command::Publish {
            quarter,
            root,
            restate,
            reason,
            date,
            as_of,
        } => {
            let req = almanac::publish::Request {
                quarter,
                on: date.unwrap_or_else(|| {
                    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).date_naive()
                }),
                restate,
                reason,
                as_of,
            };
            publish(&root, &req)
        }
        Command::Demo {
            out,
            seed,
            teams,
            services_per_team,
            months,
            end,
        } => {
            let opts = demo::DemoOptions {
                seed,
                teams,
                services_per_team,
                months,
                end,
            };
            let files = demo::generate(&opts);
            match write::write_owned(&out, &files) {
                Ok(removed) => {
                    if !removed.is_empty() {
                        eprintln!(
                            "note: removed {} file{} that an earlier demo wrote there and this one does not (first: {})",
                            removed.len(),
                            plural(removed.len()),
                            removed[0]
                        );
                    }
                    out!(
                        "wrote an example site ({} files) to {}",
                        files.len(),
                        out.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e.to_string()),
            }
        }
    }
}

fn publish(root: &std::path::Path, req: &almanac::publish::Request) -> ExitCode {
    use almanac::publish::PublishError;
    let (file, revision) = match almanac::publish::publish(root, req) {
        Ok(done) => done,
        Err(e @ (PublishError::UnknownQuarter(_) | PublishError::NoReason)) => {
            return usage(&e.to_string())
        }
        Err(e) => return fail(&e.to_string()),
    };
    match write::write_files(root, std::slice::from_ref(&file)) {
        Ok(()) => {
            out!(
                "published {} revision {revision} to {}; commit it",
                req.quarter.to_uppercase(),
                root.join(&file.path).display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

fn new_retro(root: &std::path::Path, incident: &str) -> ExitCode {
    let file = match almanac::new::retro_at(root, incident) {
        Ok(f) => f,
        Err(e @ almanac::new::NewError::UnknownIncident(_)) => return usage(&e.to_string()),
        Err(e) => return fail(&e.to_string()),
    };
    match write::write_files(root, std::slice::from_ref(&file)) {
        Ok(()) => {
            out!(
                "wrote {}; fill it in and set published_at",
                root.join(&file.path).display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

/// A mistake in the command line itself: exit code 2, as for clap's own usage errors.
fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

/// Prints diagnostics to stderr, root causes first and at most `diag::SHOWN_PER_KIND` of
/// a kind, with a count line; returns whether there were errors.
fn report(diags: Diagnostics) -> bool {
    let (shown, hidden) = diags.settled();
    let errors = shown
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = shown.len() - errors;
    for line in almanac::diag::lines(&shown) {
        eprintln!("{line}");
    }
    if !shown.is_empty() {
        let follow = if hidden > 0 {
            format!(
                " ({hidden} more error{} that follow from the file-level error{} above are not shown)",
                plural(hidden),
                plural(shown.iter().filter(|d| d.file_level).count())
            )
        } else {
            String::new()
        };
        eprintln!(
            "{errors} error{}, {warnings} warning{}{follow}",
            plural(errors),
            plural(warnings)
        );
    }
    errors > 0
}

/// A build prints warnings as one line; `check` lists them.
fn summarise_warnings(warnings: &Diagnostics) {
    let n = warnings.len();
    if n > 0 {
        eprintln!("{n} warning{}; run `almanac check` to list them", plural(n));
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn build(
    root: PathBuf,
    output: Option<PathBuf>,
    as_of: Option<NaiveDate>,
    timings: bool,
) -> ExitCode {
    let start = Instant::now();
    let mut last = start;
    let mut stages: Vec<(&'static str, f64)> = Vec::new();
    let mut tick = |name: &'static str| {
        let now = Instant::now();
        stages.push((name, (now - last).as_secs_f64()));
        last = now;
    };
    let out = output.unwrap_or_else(|| root.join("site"));
    // Locked for the whole build, so a second build on the same output stops at once.
    let target = match write::open_output(&out, &root) {
        Ok(t) => t,
        Err(e) => return fail(&format!("{e}\nbuild failed: nothing was written")),
    };
    for note in target.notes() {
        eprintln!("note: {note}");
    }
    let kept = if target.has_previous_site() {
        "; the previous site is untouched"
    } else {
        ""
    };
    let built = match pipeline::build(&root, as_of, &mut tick) {
        Ok(b) => b,
        Err(Failure::Invalid(diags)) => {
            report(diags);
            eprintln!("build failed: nothing was written{kept}");
            return ExitCode::FAILURE;
        }
        Err(Failure::Render(e)) => {
            return fail(&format!("{e}\nbuild failed: nothing was written{kept}"))
        }
    };
    summarise_warnings(&built.warnings);
    match target.replace(&built.files) {
        Ok(notes) => {
            for note in notes {
                eprintln!("note: {note}");
            }
        }
        Err(e) => {
            let kept = if kept.is_empty() {
                ": no site was written"
            } else {
                ": the previous site is untouched"
            };
            return fail(&format!("{e}\nbuild failed{kept}"));
        }
    }
    tick("write");
    if timings {
        for (name, secs) in &stages {
            eprintln!("  {name:<8} {:>8.1} ms", secs * 1000.0);
        }
    }
    out!(
        "built {} pages, {} charts, {} files in {:.2} s into {}",
        built.pages,
        built.charts,
        built.files.len(),
        start.elapsed().as_secs_f64(),
        out.display()
    );
    if let Some(by) = built.date_set_by {
        out!("{by}");
    }
    ExitCode::SUCCESS
}

fn check(root: PathBuf, as_of: Option<NaiveDate>) -> ExitCode {
    let checked = pipeline::check(&root, as_of);
    let clean = checked.diags.is_empty();
    let failed = report(checked.diags);
    if clean {
        out!("no problems found");
    }
    if let Some(by) = checked.date_set_by {
        out!("{by}");
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn print_metrics(
    root: PathBuf,
    scope: &str,
    period: Option<String>,
    as_of: Option<NaiveDate>,
    format: Format,
) -> ExitCode {
    let (loaded, _) = match pipeline::load(&root, as_of) {
        Ok(l) => l,
        Err(diags) => {
            report(diags);
            return ExitCode::FAILURE;
        }
    };
    let cal = loaded.calendar;
    let period = match &period {
        Some(key) => match (almanac::period::parse_key(key), cal.period_by_key(key)) {
            (None, _) => {
                return usage(&format!(
                    "`{key}` is not a period: write a quarter (2026-Q3), a month (2026-07) or an ISO week (2026-W27)"
                ))
            }
            (Some(_), None) => {
                return usage(&format!(
                    "period `{key}` starts after the report date {}; pick an earlier period or pass a later --as-of",
                    cal.as_of
                ))
            }
            (Some(_), Some(p)) => p,
        },
        None => cal
            .period(Grain::Quarter, cal.as_of)
            .expect("as_of's own quarter exists"),
    };
    // The period before too, for each figure's move against it (a partial period against
    // the same days of the one before).
    let before = cal.baseline(&period);
    let wanted: Vec<&Period> = std::iter::once(&period).chain(before.as_ref()).collect();
    let Some(mut rows) = metrics::for_periods(&loaded.config, &loaded.ds, cal, scope, &wanted)
    else {
        let valid: Vec<String> = metrics::scope::all_scopes(&loaded.config, &loaded.ds)
            .into_iter()
            .map(|s| s.key)
            .collect();
        return usage(&format!(
            "unknown scope `{scope}`; the scopes are {}",
            valid.join(", ")
        ));
    };
    // A period that starts after the last day of the data has no figures, not zeros
    // (`metrics::basis::covers`); say why.
    let data_end = metrics::index::data_end(&loaded.ds, &cal);
    if let Some(end) = data_end.filter(|&end| period.first_day > end) {
        eprintln!(
            "note: the data ends on {end}, before {} starts: its figures are n/a",
            period.key
        );
    }
    let previous = (rows.len() > 1).then(|| rows.remove(1));
    let figures = rows.remove(0);
    let defs = &loaded.ds.metric_defs;
    let row = almanac::render::json::Row {
        figures: &figures,
        vs_previous: metrics::trends::row_changes(&figures, previous.as_ref(), defs),
        compared_with: almanac::render::json::ComparedWith::of(&figures, previous.as_ref()),
        trend_13w: None,
        interventions: Vec::new(),
    };
    match format {
        Format::Json => {
            // The same rounding as site/data/metrics.json, printed readably.
            let compact = almanac::render::json::to_json(&row);
            let value: serde_json::Value =
                serde_json::from_slice(&compact).expect("our own JSON parses");
            out!(
                "{}",
                serde_json::to_string_pretty(&value).expect("values serialise")
            );
        }
        Format::Table => {
            out!(
                "{} {} ({} to {}{})",
                figures.scope,
                figures.period,
                figures.start,
                figures.end,
                almanac::render::words::partial_note(&period, previous.as_ref())
            );
            for m in Metric::ALL {
                let v = almanac::render::words::format_metric(m, figures.get(m));
                let change = row
                    .vs_previous
                    .get(m.key())
                    .map_or("", |c| c.verdict.as_str());
                out!("  {:<42} {v:<12} {change}", m.key());
            }
            print_slos(&figures.slos);
        }
    }
    ExitCode::SUCCESS
}

/// The scope's SLOs under the figures of `metrics --format table`, one line each.
fn print_slos(slos: &[metrics::slo::SloFigures]) {
    let num = |v: Option<f64>, scale: f64, unit: &str| {
        v.map_or("n/a".to_string(), |v| format!("{:.3}{unit}", v * scale))
    };
    out!("  slos ({})", slos.len());
    for f in slos {
        out!(
            "    {} ({}, objective {}, {}): attainment {}, error budget remaining {}, burn rate 1d {} 7d {} window {}, {}",
            f.id,
            f.service,
            num(Some(f.objective), 100.0, "%"),
            f.window,
            num(f.attainment, 100.0, "%"),
            num(f.error_budget_remaining, 100.0, "%"),
            num(f.burn_rate_1d, 1.0, ""),
            num(f.burn_rate_7d, 1.0, ""),
            num(f.burn_rate_window, 1.0, ""),
            f.status.as_str()
        );
    }
}
