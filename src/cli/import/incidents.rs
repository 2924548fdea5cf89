//! `almanac import incidents`: reads an incident tool's CSV export and appends its
//! incidents to `data/incidents.csv` (`almanac::import::incidents` decides the rows).

use super::append::{append_all, shown};
use crate::cli::{fail, usage};
use almanac::diag::Diagnostics;
use almanac::import::incidents::{self, Preset};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Options {
    /// The CSV export of the incident tool.
    #[arg(long, value_name = "FILE.csv")]
    from: PathBuf,
    /// Whose export it is: which columns hold each field.
    #[arg(long, value_enum)]
    preset: PresetArg,
    /// Read other columns as fields: "Column Name=field,..." (fields: incident_id,
    /// service, severity, started_at, resolved_at, title).
    #[arg(long, value_name = "column=field,...")]
    map: Option<String>,
    /// The site's root folder (with almanac.toml and data/).
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum PresetArg {
    Pagerduty,
    Opsgenie,
    Generic,
}

pub fn run(o: &Options) -> ExitCode {
    let map = match incidents::parse_map(o.map.as_deref().unwrap_or("")) {
        Ok(m) => m,
        Err(e) => return usage(&format!("--map: {e}")),
    };
    let bytes = match std::fs::read(&o.from) {
        Ok(b) => b,
        Err(e) => return fail(&format!("cannot read {} ({e})", o.from.display())),
    };
    let preset = match o.preset {
        PresetArg::Pagerduty => Preset::PagerDuty,
        PresetArg::Opsgenie => Preset::Opsgenie,
        PresetArg::Generic => Preset::Generic,
    };
    let mut diags = Diagnostics::new();
    let planned = incidents::plan(&shown(&o.from), &bytes, preset, &map, &mut diags);
    append_all(&o.root, &[planned], diags)
}
