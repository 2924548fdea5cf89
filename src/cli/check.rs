//! `almanac check`: every problem at once, as text (`path:line:col: error: message` on
//! stderr), GitHub workflow annotations or JSON lines (on stdout); `--strict` makes
//! warnings errors.

use super::report;
use almanac::diag::format;
use almanac::pipeline;
use chrono::NaiveDate;
use clap::ValueEnum;
use std::path::Path;
use std::process::ExitCode;

/// How `check` prints its problems.
#[derive(Clone, Copy, Default, ValueEnum)]
pub enum CheckFormat {
    /// `path:line:col: error: message` on stderr, with a count line.
    #[default]
    Text,
    /// GitHub workflow annotations (`::error file=...,line=...,col=...::message`) on stdout.
    Github,
    /// One JSON object per problem, one per line, on stdout.
    Json,
}

pub fn run(root: &Path, as_of: Option<NaiveDate>, format: CheckFormat, strict: bool) -> ExitCode {
    let checked = pipeline::check(root, as_of);
    let diags = if strict {
        checked.diags.strict()
    } else {
        checked.diags
    };
    let clean = diags.is_empty();
    let failed = match format {
        CheckFormat::Text => report(diags),
        CheckFormat::Github | CheckFormat::Json => {
            let failed = diags.has_errors();
            // Every problem, none folded into "... and N more": tools count them.
            let (shown, _) = diags.settled();
            let line = match format {
                CheckFormat::Github => format::github,
                _ => format::json,
            };
            for d in &shown {
                out!("{}", line(d));
            }
            failed
        }
    };
    // The summary lines go where they do not mix with the machine-readable problems.
    let say = |s: &str| match format {
        CheckFormat::Text => out!("{s}"),
        _ => eprintln!("{s}"),
    };
    if clean {
        say("no problems found");
    }
    if let Some(by) = checked.date_set_by {
        say(&by.to_string());
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
