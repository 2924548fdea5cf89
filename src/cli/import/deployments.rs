//! `almanac import deployments`: reads GitHub's deployments JSON (each deployment with its
//! statuses) and appends them to `data/deployments.csv` (`almanac::import::deployments`
//! decides the rows).

use super::append::{append_all, note_unowned, shown};
use crate::cli::fail;
use almanac::diag::Diagnostics;
use almanac::import::deployments;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Options {
    /// The saved JSON: an array of deployments, each with its `statuses` array.
    #[arg(long, value_name = "FILE.json")]
    from: PathBuf,
    /// Whose API the JSON comes from.
    #[arg(long, value_enum)]
    format: FormatArg,
    /// The service id the deployments belong to.
    #[arg(long, value_name = "ID")]
    service: String,
    /// The site's root folder (with almanac.toml and data/).
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Github,
}

pub fn run(o: &Options) -> ExitCode {
    let FormatArg::Github = o.format;
    let bytes = match std::fs::read(&o.from) {
        Ok(b) => b,
        Err(e) => return fail(&format!("cannot read {} ({e})", o.from.display())),
    };
    let (mut notes, mut diags) = (Vec::new(), Diagnostics::new());
    let planned = deployments::plan(&shown(&o.from), &bytes, &o.service, &mut notes, &mut diags);
    let code = append_all(&o.root, &[planned], diags);
    for note in notes {
        eprintln!("note: {note}");
    }
    if code == ExitCode::SUCCESS {
        note_unowned(&o.root, &o.service);
    }
    code
}
