//! `almanac import`: reads a source (a git repository, saved Prometheus responses, an
//! incident tool's CSV export, GitHub's deployments JSON), asks the pure importers in
//! `almanac::import` what to append, and appends it (`append.rs`) to the site's
//! `data/*.csv`. Nothing is written when a source row is bad; existing rows are never
//! rewritten. One module per source.

mod append;
mod git;
mod incidents;
mod prometheus;

use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ImportWhat {
    /// Deployments from release tags (or the commits in data/deployments.csv) and the
    /// changes each one shipped, read with git.
    Git(git::Options),
    /// SLI counts per step from two saved Prometheus range queries (good and total).
    Prometheus(prometheus::Options),
    /// Incidents from an incident tool's CSV export (PagerDuty, Opsgenie or any CSV).
    Incidents(incidents::Options),
}

pub fn run(what: ImportWhat) -> ExitCode {
    match what {
        ImportWhat::Git(o) => git::run(&o),
        ImportWhat::Prometheus(o) => prometheus::run(&o),
        ImportWhat::Incidents(o) => incidents::run(&o),
    }
}
