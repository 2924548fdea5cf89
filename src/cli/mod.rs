//! The command line's shared pieces: exit helpers and the printing of diagnostics, and one
//! module per verb that needs more than a few lines (`check`, `metrics`, `init`, `diff`,
//! `serve`, `import`). Only this layer and `main` read the clock, the environment or the terminal.

pub mod check;
pub mod diff;
pub mod import;
pub mod init;
pub mod metrics;
pub mod serve;

use almanac::diag::{Diagnostics, Severity};
use std::process::ExitCode;

pub fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

/// A mistake in the command line itself: exit code 2, as for clap's own usage errors.
pub fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

/// The lines `report` prints, root causes first and at most `diag::SHOWN_PER_KIND` of a
/// kind, with a count line; and whether there were errors.
pub fn report_lines(diags: Diagnostics) -> (Vec<String>, bool) {
    let (shown, hidden) = diags.settled();
    let errors = shown
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = shown.len() - errors;
    let mut lines = almanac::diag::lines(&shown);
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
        lines.push(format!(
            "{errors} error{}, {warnings} warning{}{follow}",
            plural(errors),
            plural(warnings)
        ));
    }
    (lines, errors > 0)
}

/// Prints diagnostics to stderr (see `report_lines`); returns whether there were errors.
pub fn report(diags: Diagnostics) -> bool {
    let (lines, failed) = report_lines(diags);
    for line in lines {
        eprintln!("{line}");
    }
    failed
}

/// A build prints warnings as one line; `check` lists them.
pub fn summarise_warnings(warnings: &Diagnostics) {
    let n = warnings.len();
    if n > 0 {
        eprintln!("{n} warning{}; run `almanac check` to list them", plural(n));
    }
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
