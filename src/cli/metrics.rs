//! `almanac metrics`: the figures of one scope and period, as a table or JSON, with each
//! figure's move against the period before.

use super::{report, usage};
use almanac::metrics::{self, catalog::Metric};
use almanac::period::{Grain, Period};
use almanac::pipeline;
use chrono::NaiveDate;
use clap::ValueEnum;
use std::path::PathBuf;
use std::process::ExitCode;

/// How `almanac metrics` prints.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

pub fn run(
    root: PathBuf,
    scope: &str,
    period: Option<String>,
    as_of: Option<NaiveDate>,
    format: Format,
) -> ExitCode {
    let (loaded, _) = match pipeline::load_figures(&root, as_of) {
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
fn print_slos(slos: &[std::sync::Arc<metrics::slo::SloFigures>]) {
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
