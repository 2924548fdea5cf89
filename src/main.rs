//! almanac's command line: parses arguments, runs the pipeline, reads the clock for
//! `--timings`, writes files and prints diagnostics. Everything below it is pure.

use almanac::demo;
use almanac::pipeline::{self, Failure};
use almanac::write::{self, Replaced};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
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

mod cli;

/// mimalloc: the build allocates many small, short-lived values (figures, views, page
/// strings) across threads; glibc's allocator spent a quarter of a rebuild's time in
/// malloc and free (BENCHMARKS.md). The `system-allocator` feature leaves it out, for heap
/// profilers that watch the C library's malloc (`benches/heap.sh`).
#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `include/mimalloc.h` (libmimalloc-sys names only
/// the older options): how many milliseconds mimalloc keeps freed memory before it returns it
/// to the system (1,000 by default).
#[cfg(not(feature = "system-allocator"))]
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets how many milliseconds mimalloc keeps freed memory before it returns it to the system
/// (mimalloc 3 keeps it a second). A build loads at 0: the load frees each file's text and
/// per-row tables as it goes, and memory kept even 10 ms stayed resident beside the next
/// table's and raised the load's peak by ~80 MB at the issue workload. The stages after it
/// run at 10 ms (`AFTER_LOAD_PURGE_DELAY_MS`). Other commands keep mimalloc's default.
fn set_purge_delay(ms: std::ffi::c_long) {
    #[cfg(not(feature = "system-allocator"))]
    // SAFETY: sets one of mimalloc's integer options; any value is valid.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, ms)
    }
    #[cfg(feature = "system-allocator")]
    let _ = ms;
}

/// The purge delay of a build's stages after the load (mimalloc 2's default): render frees
/// each page's text once it is written and makes the next at once; returned at 0 ms, that
/// memory was faulted in again, costing ~0.5 s of render at the issue workload for a peak
/// ~30 MB lower, and the metrics stage ~0.2 s (BENCHMARKS.md).
const AFTER_LOAD_PURGE_DELAY_MS: std::ffi::c_long = 10;

use cli::{fail, plural, report, summarise_warnings, usage};

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
    /// Validate every input and print every problem; exits 1 when there are errors.
    Check {
        /// The site's root folder (with almanac.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Report date (YYYY-MM-DD): events after this day do not exist.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// text (`path:line:col: error: message` on stderr), github (workflow
        /// annotations on stdout) or json (one object per problem per line on stdout).
        #[arg(long, value_enum, default_value_t = cli::check::CheckFormat::Text)]
        format: cli::check::CheckFormat,
        /// Treat warnings as errors (exit 1 when there is any problem).
        #[arg(long)]
        strict: bool,
    },
    /// Print the figures of one scope and period.
    Metrics {
        /// The site's root folder (with almanac.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// org, team:ID or service:ID.
        #[arg(long, default_value = "org")]
        scope: String,
        /// 2026-Q3, 2026-07 or 2026-W27 (default: the quarter containing as_of).
        #[arg(long)]
        period: Option<String>,
        /// Report date (YYYY-MM-DD): events after this day do not exist.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// table (readable) or json (the rounding of site/data/metrics.json).
        #[arg(long, value_enum, default_value_t = cli::metrics::Format::Table)]
        format: cli::metrics::Format,
    },
    /// Summarise what a change does to the site, for review (a pull-request comment).
    Diff {
        /// What the root is compared with: a folder, or a git ref (branch, tag, commit) of
        /// the root's repository, read with git archive without touching the working tree.
        #[arg(long)]
        base: String,
        /// The site's root folder (with almanac.toml): the head of the change.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// markdown (a pull-request comment) or json (the same content for other tools).
        #[arg(long, value_enum, default_value_t = cli::diff::DiffFormat::Markdown)]
        format: cli::diff::DiffFormat,
        /// Exit 1 when a published quarter would change (restatement) or when anything
        /// material changed (any).
        #[arg(long, value_enum)]
        fail_on: Option<cli::diff::FailOn>,
    },
    /// Serve the site with live reload while you edit (nothing is written to disk).
    Serve {
        /// The site's root folder (with almanac.toml); it is watched for changes.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// The address to listen on; the default answers this machine only.
        #[arg(long, default_value = "127.0.0.1")]
        address: String,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Report date (YYYY-MM-DD): events after this day do not exist.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
    },
    /// Append rows to data/*.csv from the sources teams already have (git, Prometheus,
    /// incident tools, GitHub deployments); re-running adds nothing.
    Import {
        #[command(subcommand)]
        what: cli::import::ImportWhat,
    },
    /// Start a new report repository in DIR: config, sample data, definitions, templates.
    Init {
        /// The folder to create; it must be empty or not exist.
        dir: PathBuf,
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
        /// The random seed: the same seed writes the same bytes.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Teams in the organisation (at least 1, like the two counts below).
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..))]
        teams: u32,
        /// Services each team owns.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
        services_per_team: u32,
        /// Months of history, ending on --end.
        #[arg(long, default_value_t = 18, value_parser = clap::value_parser!(u32).range(1..))]
        months: u32,
        /// The last day of generated data.
        #[arg(long, value_parser = parse_date, default_value = "2026-09-30")]
        end: NaiveDate,
        /// Scales the chance of incidents (1 = the example's rates; 0.25 gives about a
        /// quarter as many), for benchmark workloads.
        #[arg(long, default_value_t = 1.0, value_parser = parse_rate)]
        incident_rate: f64,
        /// Scales every service's deployment pace and with it the changes (1 = the
        /// example's), for benchmark workloads.
        #[arg(long, default_value_t = 1.0, value_parser = parse_rate)]
        deploy_rate: f64,
    },
}

#[derive(Subcommand)]
enum NewWhat {
    /// Write content/retros/<INCIDENT_ID>.md pre-filled from data/incidents.csv.
    Retro {
        /// The incident's id (incident_id in data/incidents.csv).
        incident_id: String,
        /// The site's root folder (with almanac.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    almanac::load::time::parse_date(text)
        .ok_or_else(|| format!("`{text}` is not a date; write YYYY-MM-DD"))
}

/// A demo rate: a number above 0 and at most 10.
fn parse_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(r) if r > 0.0 && r <= 10.0 => Ok(r),
        _ => Err(format!(
            "`{text}` is not a rate; write a number above 0 and at most 10 (1 is the example's)"
        )),
    }
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
        Command::Check {
            root,
            as_of,
            format,
            strict,
        } => cli::check::run(&root, as_of, format, strict),
        Command::Metrics {
            root,
            scope,
            period,
            as_of,
            format,
        } => cli::metrics::run(root, &scope, period, as_of, format),
        Command::Diff {
            base,
            root,
            format,
            fail_on,
        } => cli::diff::run(&base, &root, format, fail_on),
        Command::Serve {
            root,
            port,
            address,
            open,
            as_of,
        } => cli::serve::run(cli::serve::Options {
            root,
            address,
            port,
            open,
            as_of,
        }),
        Command::Init { dir } => cli::init::run(&dir),
        Command::Import { what } => cli::import::run(what),
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
            incident_rate,
            deploy_rate,
        } => {
            let opts = demo::DemoOptions {
                seed,
                teams,
                services_per_team,
                months,
                end,
                incident_rate,
                deploy_rate,
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
        Err(e @ almanac::new::NewError::UnknownIncident { .. }) => return usage(&e.to_string()),
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

fn build(
    root: PathBuf,
    output: Option<PathBuf>,
    as_of: Option<NaiveDate>,
    timings: bool,
) -> ExitCode {
    set_purge_delay(0);
    let start = Instant::now();
    let mut last = start;
    let mut stages: Vec<(&'static str, f64)> = Vec::new();
    let mut tick = |name: &'static str| {
        let now = Instant::now();
        stages.push((name, (now - last).as_secs_f64()));
        last = now;
        if name == "load" {
            set_purge_delay(AFTER_LOAD_PURGE_DELAY_MS);
        }
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
    let no_site = if kept.is_empty() {
        ": no site was written"
    } else {
        ": the previous site is untouched"
    };
    // Render hands every file to write's staging folder as it is made; the new site is
    // swapped in only when the whole build succeeded.
    let built = match target
        .replace_with(|staging| pipeline::build_into(&root, as_of, staging, &mut tick))
    {
        Ok((built, notes)) => {
            summarise_warnings(&built.warnings);
            for note in notes {
                eprintln!("note: {note}");
            }
            built
        }
        Err(Replaced::Build(Failure::Invalid(diags))) => {
            report(diags);
            eprintln!("build failed: nothing was written{kept}");
            return ExitCode::FAILURE;
        }
        Err(Replaced::Build(Failure::Render(e))) => {
            return fail(&format!("{e}\nbuild failed: nothing was written{kept}"))
        }
        Err(Replaced::Build(Failure::Write(e)) | Replaced::Write(e)) => {
            return fail(&format!("{e}\nbuild failed{no_site}"));
        }
    };
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
        built.files,
        start.elapsed().as_secs_f64(),
        out.display()
    );
    if let Some(by) = built.date_set_by {
        out!("{by}");
    }
    ExitCode::SUCCESS
}

#[cfg(all(test, not(feature = "system-allocator")))]
mod tests {
    /// `MI_OPTION_PURGE_DELAY` names mimalloc's purge delay: it reads mimalloc 3's default
    /// (1,000 ms) before it is set, then what `set_purge_delay` set.
    #[test]
    fn the_purge_delay_option_is_mimallocs() {
        // SAFETY: reads one of mimalloc's integer options.
        let get = || unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(get(), 1000);
        super::set_purge_delay(0);
        assert_eq!(get(), 0);
        super::set_purge_delay(super::AFTER_LOAD_PURGE_DELAY_MS);
        assert_eq!(get(), 10);
    }
}
