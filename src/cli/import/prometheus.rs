//! `almanac import prometheus`: reads the two saved range-query responses and appends
//! their steps to `data/sli.csv` (`almanac::import::prometheus` decides the rows).

use super::append::{append_all, shown};
use crate::cli::{fail, usage};
use almanac::diag::Diagnostics;
use almanac::import::prometheus::{self, Counts, Source};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Options {
    /// The SLO the counts belong to (an [[slo]] of almanac.toml or data/slos/*.yaml).
    #[arg(long, value_name = "ID")]
    slo: String,
    /// The saved JSON of the range query counting good events.
    #[arg(long, value_name = "FILE")]
    good: PathBuf,
    /// The saved JSON of the range query counting all events.
    #[arg(long, value_name = "FILE")]
    total: PathBuf,
    /// auto (cumulative when the series keep their metric name, i.e. a plain counter
    /// selector), cumulative (counter values) or per-step (e.g. increase(...[1h])).
    #[arg(long, value_enum, default_value_t = CountsArg::Auto)]
    counts: CountsArg,
    /// The site's root folder (with almanac.toml and data/).
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CountsArg {
    Auto,
    Cumulative,
    PerStep,
}

pub fn run(o: &Options) -> ExitCode {
    if !slo_defined(&o.root, &o.slo) {
        return usage(&format!(
            "SLO `{}` is not defined in {}; add an [[slo]] with id = \"{}\" to almanac.toml (or an OpenSLO file in data/slos/) first",
            o.slo,
            o.root.join("almanac.toml").display(),
            o.slo
        ));
    }
    let read =
        |p: &Path| std::fs::read(p).map_err(|e| format!("cannot read {} ({e})", p.display()));
    let (good, total) = match (read(&o.good), read(&o.total)) {
        (Ok(g), Ok(t)) => (g, t),
        (Err(e), _) | (_, Err(e)) => return fail(&e),
    };
    let counts = match o.counts {
        CountsArg::Auto => Counts::Auto,
        CountsArg::Cumulative => Counts::Cumulative,
        CountsArg::PerStep => Counts::PerStep,
    };
    let (good_path, total_path) = (shown(&o.good), shown(&o.total));
    let (mut notes, mut diags) = (Vec::new(), Diagnostics::new());
    let planned = prometheus::plan(
        &o.slo,
        &Source {
            path: &good_path,
            bytes: &good,
        },
        &Source {
            path: &total_path,
            bytes: &total,
        },
        counts,
        &mut notes,
        &mut diags,
    );
    let code = append_all(&o.root, &[planned], diags);
    for note in notes {
        eprintln!("note: {note}");
    }
    code
}

/// Whether the site defines the SLO: an `[[slo]]` of almanac.toml, or an OpenSLO file in
/// data/slos/ naming it.
fn slo_defined(root: &Path, id: &str) -> bool {
    let in_toml = std::fs::read_to_string(root.join("almanac.toml"))
        .ok()
        .and_then(|t| almanac::config::parse(&t).ok())
        .is_some_and(|c| c.slos.iter().any(|s| s.id == id));
    let in_openslo = || {
        std::fs::read_dir(root.join("data/slos")).is_ok_and(|dir| {
            dir.filter_map(Result::ok).any(|e| {
                std::fs::read_to_string(e.path())
                    .is_ok_and(|t| t.lines().any(|l| l.trim() == format!("name: {id}")))
            })
        })
    };
    in_toml || in_openslo()
}
