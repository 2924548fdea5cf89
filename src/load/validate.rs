//! Validation: takes the loaded `Config`, `Dataset` and `Calendar` and reports the
//! problems that span files (retros and incidents, SLOs and teams, page-name clashes).
//! The missing-retro warning is a metrics rule (`metrics::retro::missing_retro_warnings`).

use crate::config::Config;
use crate::diag::{Diagnostics, Pos};
use crate::model::Dataset;
use crate::output::slug;
use crate::period::Calendar;
use std::collections::{BTreeMap, HashMap};

pub fn validate(config: &Config, ds: &Dataset, cal: &Calendar, diags: &mut Diagnostics) {
    retros(ds, cal, diags);
    repeats(ds, diags);
    slos(config, ds, diags);
    page_names(ds, diags);
}

fn retros(ds: &Dataset, cal: &Calendar, diags: &mut Diagnostics) {
    let incidents = incident_ids(ds);
    let mut first_retro: BTreeMap<&str, &str> = BTreeMap::new();
    for r in &ds.retros {
        let at = Some(Pos {
            line: r.incident_line,
            column: 1,
        });
        let Some(&i) = incidents.get(r.incident.as_str()) else {
            diags.error_after(
                crate::load::incidents::INCIDENTS,
                &r.path,
                at,
                format!("retro names incident `{}`, which is not in data/incidents.csv; fix the id or add the incident", r.incident),
            );
            continue;
        };
        if let Some(other) = first_retro.insert(r.incident.as_str(), r.path.as_str()) {
            diags.error(
                &r.path,
                at,
                format!(
                    "incident `{}` already has a retro in {other}; merge the two files",
                    r.incident
                ),
            );
        }
        let inc = &ds.incidents[i];
        let started = cal.date_of(inc.started_at);
        let published = cal.date_of(r.published_at);
        for item in &r.action_items {
            let at = Some(Pos {
                line: item.line,
                column: 1,
            });
            if item.done.is_some_and(|d| d < started) {
                diags.error(&r.path, at, format!("action item `{}` is done before the incident started ({started}); check the done date", item.title));
            }
            if item.due < published {
                diags.error(&r.path, at, format!("action item `{}` is due {} , before the retro was published ({published}); check the due date", item.title, item.due));
            }
            if item.done.is_none() && crate::model::past_due(item.due, cal.as_of) {
                let days = (cal.as_of - item.due).num_days();
                diags.warn(&r.path, at, format!("action item `{}` is overdue by {days} day{} (due {}); close it or move its due date", item.title, if days == 1 { "" } else { "s" }, item.due));
            }
        }
    }
}

/// Each id a retro's `repeats` names must be an incident in `data/incidents.csv` that
/// started before the retro's own incident.
fn repeats(ds: &Dataset, diags: &mut Diagnostics) {
    let incidents = incident_ids(ds);
    for r in ds.retros.iter().filter(|r| !r.repeats.is_empty()) {
        let at = Some(Pos {
            line: r.repeats_line.max(1),
            column: 1,
        });
        let own = incidents
            .get(r.incident.as_str())
            .map(|&i| &ds.incidents[i]);
        for id in &r.repeats {
            let Some(&j) = incidents.get(id.as_str()) else {
                diags.error(&r.path, at, format!("`repeats` names incident `{id}`, which is not in data/incidents.csv; fix the id or remove it"));
                continue;
            };
            let Some(own) = own else { continue };
            let earlier = &ds.incidents[j];
            if earlier.started_at >= own.started_at {
                diags.error(&r.path, at, format!("`repeats` names incident `{id}`, which did not start before `{}`; a retro can only repeat an earlier incident", own.id));
            }
        }
    }
}

/// Each incident's index by its id.
fn incident_ids(ds: &Dataset) -> HashMap<&str, usize> {
    ds.incidents
        .iter()
        .enumerate()
        .map(|(i, inc)| (inc.id.as_str(), i))
        .collect()
}

fn slos(config: &Config, ds: &Dataset, diags: &mut Diagnostics) {
    for slo in &ds.slos {
        let owned = config
            .teams
            .iter()
            .any(|t| t.services.iter().any(|s| *s == slo.service));
        if !owned {
            diags.warn(
                &slo.path,
                Some(Pos { line: slo.line, column: 1 }),
                format!("SLO `{}` is for service `{}`, which no team owns; add it to a [[team]]'s services", slo.id, slo.service),
            );
        }
    }
}

/// SLOs and incidents become pages; two ids that differ only in case or punctuation would
/// share one (services: `merge::ServiceMerger::page_clashes`).
fn page_names(ds: &Dataset, diags: &mut Diagnostics) {
    let mut slos: BTreeMap<String, &crate::config::SloDef> = BTreeMap::new();
    for slo in &ds.slos {
        if let Some(other) = slos.insert(slug(&slo.id), slo) {
            if other.id != slo.id {
                diags.error(
                    &slo.path,
                    Some(Pos {
                        line: slo.line,
                        column: 1,
                    }),
                    format!(
                        "SLO `{}` and `{}` ({}:{}) would share the page slos/{}.html; rename one",
                        slo.id,
                        other.id,
                        other.path,
                        other.line,
                        slug(&slo.id)
                    ),
                );
            }
        }
    }
    let mut incidents: BTreeMap<String, &str> = BTreeMap::new();
    for inc in &ds.incidents {
        if let Some(other) = incidents.insert(slug(&inc.id), &inc.id) {
            diags.error(
                "data/incidents.csv",
                Some(Pos { line: inc.line, column: 1 }),
                format!("incidents `{other}` and `{}` would share the page incidents/{}.html; rename one", inc.id, slug(&inc.id)),
            );
        }
    }
}
