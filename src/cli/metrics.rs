//! `almanac metrics`: the figures of one scope and period, as a table or JSON, with each
//! figure's move against the period before.

use super::{report, usage};
use almanac::diag::similar::closest;
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
        return usage(&unknown_scope(scope, &valid));
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

/// Up to this many scopes, an unknown scope's error lists them all; beyond, it counts them.
const SCOPES_LISTED: usize = 12;

/// The error for a scope the site does not have, with a hint when it looks like one it has
/// (a typo, or a team's or service's id without its `team:` or `service:`), then the
/// scopes: all of them on a small site, counted by kind on a large one (400 services would
/// make a line of 10 KB).
fn unknown_scope(scope: &str, valid: &[String]) -> String {
    // Ids are compared without their kind (`nope` is no typo of `core` because both follow
    // `team:`): with the ids of the kind the scope names, or with every id.
    let (kind, id) = scope.split_once(':').unwrap_or(("", scope));
    let ids: Vec<(&str, &str)> = (valid.iter())
        .filter_map(|key| {
            let (k, i) = key.split_once(':').unwrap_or(("", key.as_str()));
            (kind.is_empty() || k == kind).then_some((i, key.as_str()))
        })
        .collect();
    let scope_of = |wanted: &str| ids.iter().find(|(i, _)| *i == wanted).map(|(_, key)| *key);
    // A bare id that is a team's or a service's, or the nearest id.
    let exact = if kind.is_empty() { scope_of(id) } else { None };
    let near = exact.or_else(|| closest(id, ids.iter().map(|(i, _)| *i)).and_then(scope_of));
    let hint = near.map_or_else(String::new, |key| format!("; did you mean `{key}`?"));
    let scopes = if valid.len() <= SCOPES_LISTED {
        valid.join(", ")
    } else {
        let count = |kind: &str| valid.iter().filter(|k| k.starts_with(kind)).count();
        format!(
            "org, team:ID for each of the {} teams and service:ID for each of the {} services (the site's Teams page lists them)",
            count("team:"),
            count("service:")
        )
    };
    format!("unknown scope `{scope}`{hint}; the scopes are {scopes}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A typo gets the nearest scope, a bare id its prefixed scope; a site of more than 12
    /// scopes (here 1 org, 2 teams and 10 services) has them counted, not listed.
    #[test]
    fn an_unknown_scope_gets_a_hint_and_the_scopes_listed_or_counted() {
        let small: Vec<String> = ["org", "team:core", "service:api", "service:web"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            unknown_scope("core", &small),
            "unknown scope `core`; did you mean `team:core`?; the scopes are org, team:core, service:api, service:web"
        );
        assert_eq!(
            unknown_scope("team:nope", &small),
            "unknown scope `team:nope`; the scopes are org, team:core, service:api, service:web"
        );
        let large: Vec<String> = ["org", "team:payments", "team:search"]
            .into_iter()
            .map(String::from)
            .chain((0..10).map(|i| format!("service:s{i}")))
            .collect();
        assert_eq!(
            unknown_scope("team:paymnts", &large),
            "unknown scope `team:paymnts`; did you mean `team:payments`?; the scopes are org, team:ID for each of the 2 teams and service:ID for each of the 10 services (the site's Teams page lists them)"
        );
    }
}
