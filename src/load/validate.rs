//! Validation: takes the loaded `Config`, `Dataset` and `Calendar` and reports the
//! problems that span files (retros and incidents, SLOs and teams, page-name clashes).
//! The missing-retro warning is a metrics rule (`metrics::retro::missing_retro_warnings`).

use crate::config::{Config, Team};
use crate::diag::similar::{closest, did_you_mean};
use crate::diag::{Diagnostics, Pos};
use crate::load::ids::refused_row;
use crate::load::incidents::INCIDENTS;
use crate::model::Dataset;
use crate::output::slug;
use crate::period::Calendar;
use std::collections::{BTreeMap, HashMap};

pub fn validate(config: &Config, ds: &Dataset, cal: &Calendar, diags: &mut Diagnostics) {
    retros(&config.teams, ds, cal, diags);
    repeats(ds, diags);
    slos(config, ds, diags);
    page_names(ds, diags);
}

fn retros(teams: &[Team], ds: &Dataset, cal: &Calendar, diags: &mut Diagnostics) {
    let incidents = incident_ids(ds);
    let mut first_retro: BTreeMap<&str, &str> = BTreeMap::new();
    for r in &ds.retros {
        let at = Some(Pos {
            line: r.incident_line,
            column: 1,
        });
        let Some(&i) = incidents.get(r.incident.as_str()) else {
            let message = match ds.refused_incidents.get(&r.incident) {
                Some(line) => format!("retro names incident `{}`, {}", r.incident, refused(*line)),
                None => format!("retro names incident `{}`, which is not in data/incidents.csv; fix the id or add the incident", r.incident),
            };
            diags.error_after(INCIDENTS, &r.path, at, message);
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
                diags.error(&r.path, at, format!("action item `{}` is due {}, before the retro was published ({published}); check the due date", item.title, item.due));
            }
            if !teams.iter().any(|t| t.id == item.team) {
                // The board lists such an owner under its own name, apart from every team.
                let hint = did_you_mean(&item.team, teams.iter().map(|t| t.id.as_str()));
                diags.warn(&r.path, at, format!("action item `{}` is owned by `{}`, which is not a team id in almanac.toml{hint}; the action board lists it apart from every team", item.title, item.team));
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
                let message = match ds.refused_incidents.get(id) {
                    Some(line) => format!("`repeats` names incident `{id}`, {}", refused(*line)),
                    None => format!("`repeats` names incident `{id}`, which is not in data/incidents.csv; fix the id or remove it"),
                };
                diags.error_after(INCIDENTS, &r.path, at, message);
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

/// What a retro naming a refused incident row is told (`ids::refused_row`).
fn refused(line: u32) -> String {
    refused_row("incident", line, INCIDENTS)
}

/// Each incident's index by its id.
fn incident_ids(ds: &Dataset) -> HashMap<&str, usize> {
    ds.incidents
        .iter()
        .enumerate()
        .map(|(i, inc)| (inc.id.as_str(), i))
        .collect()
}

/// An SLO of a service no team owns is a warning; one whose service is a near miss of a
/// team's service (`similar::closest`) is an error with the hint, as a data row's is
/// (`merge::ServiceMerger::warn_unowned`).
fn slos(config: &Config, ds: &Dataset, diags: &mut Diagnostics) {
    let owned: Vec<&str> = (config.teams.iter())
        .flat_map(|t| t.services.iter().map(String::as_str))
        .collect();
    for slo in &ds.slos {
        if owned.contains(&slo.service.as_str()) {
            continue;
        }
        let at = Some(Pos {
            line: slo.line,
            column: 1,
        });
        match closest(&slo.service, owned.iter().copied()) {
            Some(known) => diags.error(
                &slo.path,
                at,
                format!("SLO `{}` is for service `{}`, which no team owns; did you mean `{known}`? Fix the name, or add `{}` to a [[team]]'s services", slo.id, slo.service, slo.service),
            ),
            None => diags.warn(
                &slo.path,
                at,
                format!("SLO `{}` is for service `{}`, which no team owns; add it to a [[team]]'s services", slo.id, slo.service),
            ),
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
        // The same id twice is a duplicate, reported as such where the rows are read.
        if let Some(other) = incidents
            .insert(slug(&inc.id), &inc.id)
            .filter(|o| *o != inc.id)
        {
            diags.error(
                "data/incidents.csv",
                Some(Pos { line: inc.line, column: 1 }),
                format!("incidents `{other}` and `{}` would share the page incidents/{}.html; rename one", inc.id, slug(&inc.id)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Budgeting, SloDef, SloWindow};
    use crate::load::time::{parse_date, parse_timestamp};
    use crate::model::{ActionItem, Incident, Retro};

    fn incident(id: &str, started: &str, line: u32) -> Incident {
        Incident {
            id: id.into(),
            service: 0,
            severity: 2,
            started_at: parse_timestamp(started).unwrap(),
            detected_at: None,
            acknowledged_at: None,
            resolved_at: None,
            caused_by: None,
            cause: None,
            title: id.into(),
            line,
        }
    }

    /// The retro of `incident` (`metrics::tests::retro`: published 2026-07-03 10:00, its
    /// `incident` key at line 2) with `items`, and with `repeats` at line 4.
    fn retro(incident: &str, items: Vec<ActionItem>, repeats: &[&str]) -> Retro {
        Retro {
            repeats: repeats.iter().map(|s| s.to_string()).collect(),
            repeats_line: if repeats.is_empty() { 0 } else { 4 },
            ..crate::metrics::tests::retro(incident, "2026-07-03T10:00:00Z", items)
        }
    }

    /// An item due 2026-07-10 (after the retro's publication), done on `done`.
    fn done_item(title: &str, done: &str, line: u32) -> ActionItem {
        ActionItem {
            title: title.into(),
            line,
            ..crate::metrics::tests::item("2026-07-10", Some(done))
        }
    }

    fn slo(id: &str, service: &str, line: u32) -> SloDef {
        SloDef {
            id: id.into(),
            service: service.into(),
            objective: 0.99,
            window: SloWindow::Rolling { days: 28 },
            description: String::new(),
            budgeting: Budgeting::Occurrences,
            path: "almanac.toml".into(),
            line,
        }
    }

    fn messages(d: Diagnostics) -> Vec<String> {
        d.sorted().iter().map(|d| d.to_string()).collect()
    }

    /// i1 started 2026-07-02 11:00 UTC. An item done that day (line 7) is fine, even hours
    /// before the incident's start time (the rule compares days); one done on 07-01, the day
    /// before (line 9), is an error. Both are due 07-10, after the retro's 07-03, and done, so
    /// nothing else is reported.
    #[test]
    fn an_action_item_may_be_done_on_the_day_its_incident_started_but_not_before() {
        let ds = Dataset {
            incidents: vec![incident("i1", "2026-07-02T11:00:00Z", 2)],
            retros: vec![retro(
                "i1",
                vec![
                    done_item("same day", "2026-07-02", 7),
                    done_item("day before", "2026-07-01", 9),
                ],
                &[],
            )],
            ..Dataset::default()
        };
        let cal = Calendar::new(chrono_tz::UTC, parse_date("2026-07-15").unwrap());
        let mut d = Diagnostics::new();
        retros(&[team("shop")], &ds, &cal, &mut d);
        assert_eq!(
            messages(d),
            ["content/retros/i1.md:9:1: error: action item `day before` is done before the incident started (2026-07-02); check the done date"]
        );
    }

    fn team(id: &str) -> Team {
        Team {
            id: id.into(),
            name: id.into(),
            services: Vec::new(),
        }
    }

    /// The teams are `search` and `shop`. An item owned by `shop` (line 7) is fine; `serch`
    /// (line 8) is one edit from `search` and gets the hint; `security` (line 9) is no
    /// team's near miss. Both unknown owners are warnings (the board lists them apart).
    #[test]
    fn an_action_item_owned_by_no_team_is_a_warning_with_a_hint() {
        let owned = |team: &str, line| ActionItem {
            team: team.into(),
            ..done_item(team, "2026-07-05", line)
        };
        let ds = Dataset {
            incidents: vec![incident("i1", "2026-07-02T11:00:00Z", 2)],
            retros: vec![retro(
                "i1",
                vec![owned("shop", 7), owned("serch", 8), owned("security", 9)],
                &[],
            )],
            ..Dataset::default()
        };
        let cal = Calendar::new(chrono_tz::UTC, parse_date("2026-07-15").unwrap());
        let mut d = Diagnostics::new();
        retros(&[team("search"), team("shop")], &ds, &cal, &mut d);
        assert_eq!(
            messages(d),
            [
                "content/retros/i1.md:8:1: warning: action item `serch` is owned by `serch`, which is not a team id in almanac.toml; did you mean `search`?; the action board lists it apart from every team",
                "content/retros/i1.md:9:1: warning: action item `security` is owned by `security`, which is not a team id in almanac.toml; the action board lists it apart from every team",
            ]
        );
    }

    /// i1 started 07-01, i2 and i3 on 07-02 at the same second, i4 on 07-03. The retro of
    /// i2 repeats i1 (earlier: fine), i9 (unknown), i3 (the same second: not before) and i4
    /// (later): three errors, all at its `repeats` line 4. The retro of i1 has no `repeats`
    /// and nothing to report; the retro of an unknown incident i8 can only have its unknown
    /// ids checked (i9 is; i4 is known and is not compared with anything).
    #[test]
    fn repeats_must_name_known_incidents_that_started_earlier() {
        let ds = Dataset {
            incidents: vec![
                incident("i1", "2026-07-01T00:00:00Z", 2),
                incident("i2", "2026-07-02T00:00:00Z", 3),
                incident("i3", "2026-07-02T00:00:00Z", 4),
                incident("i4", "2026-07-03T00:00:00Z", 5),
            ],
            retros: vec![
                retro("i1", vec![], &[]),
                retro("i2", vec![], &["i1", "i9", "i3", "i4"]),
                retro("i8", vec![], &["i9", "i4"]),
            ],
            ..Dataset::default()
        };
        let mut d = Diagnostics::new();
        repeats(&ds, &mut d);
        assert_eq!(
            messages(d),
            // Sorted: at one position, by message.
            [
                "content/retros/i2.md:4:1: error: `repeats` names incident `i3`, which did not start before `i2`; a retro can only repeat an earlier incident",
                "content/retros/i2.md:4:1: error: `repeats` names incident `i4`, which did not start before `i2`; a retro can only repeat an earlier incident",
                "content/retros/i2.md:4:1: error: `repeats` names incident `i9`, which is not in data/incidents.csv; fix the id or remove it",
                "content/retros/i8.md:4:1: error: `repeats` names incident `i9`, which is not in data/incidents.csv; fix the id or remove it",
            ]
        );
    }

    /// i1's row (line 2 of incidents.csv) was refused for a bad field. A retro naming it, and
    /// one whose `repeats` names it, are told where the row is and that it was refused, not
    /// that the incident does not exist; i9, on no row at all, does not exist. Each follows
    /// incidents.csv (dropped if that file could not be read at all).
    #[test]
    fn a_retro_naming_a_refused_incident_row_points_at_it() {
        let ds = Dataset {
            incidents: vec![incident("i2", "2026-07-02T11:00:00Z", 3)],
            refused_incidents: [("i1".to_string(), 2)].into(),
            retros: vec![retro("i1", vec![], &[]), retro("i2", vec![], &["i1", "i9"])],
            ..Dataset::default()
        };
        let cal = Calendar::new(chrono_tz::UTC, parse_date("2026-07-15").unwrap());
        let mut d = Diagnostics::new();
        retros(&[], &ds, &cal, &mut d);
        repeats(&ds, &mut d);
        let refused = "the incident on line 2 of data/incidents.csv, which was refused (its error is reported there); fix that row";
        let got = d.sorted();
        assert!(got
            .iter()
            .all(|d| d.follows == Some(crate::load::incidents::INCIDENTS)));
        let got: Vec<String> = got.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            got,
            [
                format!("content/retros/i1.md:2:1: error: retro names incident `i1`, {refused}"),
                format!("content/retros/i2.md:4:1: error: `repeats` names incident `i1`, {refused}"),
                "content/retros/i2.md:4:1: error: `repeats` names incident `i9`, which is not in data/incidents.csv; fix the id or remove it".to_string(),
            ]
        );
    }

    /// The team `shop` owns `api` and `checkout-api`: the SLO of `api` (line 5) is owned, the
    /// SLO of `web` (line 9) is not and is warned about at its own line, and the SLO of
    /// `checkout-apii` (line 12), a near miss, is an error with the hint.
    #[test]
    fn an_slo_of_a_service_no_team_owns_is_a_warning_or_a_typo_an_error() {
        let config = crate::config::parse(
            "title = \"T\"\n[[team]]\nid = \"shop\"\nservices = [\"api\", \"checkout-api\"]\n",
        )
        .unwrap();
        let ds = Dataset {
            slos: vec![
                slo("checkout", "api", 5),
                slo("pages", "web", 9),
                slo("typo", "checkout-apii", 12),
            ],
            ..Dataset::default()
        };
        let mut d = Diagnostics::new();
        slos(&config, &ds, &mut d);
        // `checkout-apii` is 1 edit from the owned `checkout-api`: an error with the hint.
        assert_eq!(
            messages(d),
            [
                "almanac.toml:12:1: error: SLO `typo` is for service `checkout-apii`, which no team owns; did you mean `checkout-api`? Fix the name, or add `checkout-apii` to a [[team]]'s services",
                "almanac.toml:9:1: warning: SLO `pages` is for service `web`, which no team owns; add it to a [[team]]'s services",
            ]
        );
    }

    /// `checkout-latency` (line 5) and `Checkout Latency` (line 9) both slug to
    /// `checkout-latency`: an error at the later one. `dup` twice (lines 12 and 14) is one id
    /// (a duplicate id, not two names for one page), so no clash. Incidents `INC-1` (line 2)
    /// and `inc.1` (line 3) both slug to `inc-1`: an error at line 3; `inc_1` keeps its `_`
    /// and has a page of its own.
    #[test]
    fn two_slos_or_incidents_whose_ids_share_a_page_are_an_error() {
        let ds = Dataset {
            slos: vec![
                slo("checkout-latency", "api", 5),
                slo("Checkout Latency", "api", 9),
                slo("dup", "api", 12),
                slo("dup", "api", 14),
            ],
            incidents: vec![
                incident("INC-1", "2026-07-01T00:00:00Z", 2),
                incident("inc.1", "2026-07-01T00:00:00Z", 3),
                incident("inc_1", "2026-07-01T00:00:00Z", 4),
                // The same id twice: a duplicate (reported by the reader), not a page clash.
                incident("INC-7", "2026-07-01T00:00:00Z", 5),
                incident("INC-7", "2026-07-01T00:00:00Z", 6),
            ],
            ..Dataset::default()
        };
        let mut d = Diagnostics::new();
        page_names(&ds, &mut d);
        assert_eq!(
            messages(d),
            [
                "almanac.toml:9:1: error: SLO `Checkout Latency` and `checkout-latency` (almanac.toml:5) would share the page slos/checkout-latency.html; rename one",
                "data/incidents.csv:3:1: error: incidents `INC-1` and `inc.1` would share the page incidents/inc-1.html; rename one",
            ]
        );
    }
}
