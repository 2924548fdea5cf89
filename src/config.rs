//! Config stage: reads `almanac.toml` text and returns a validated `Config`
//! (title, timezone, as_of, teams, SLO definitions) or diagnostics with line and column.

use crate::diag::similar::did_you_mean;
use crate::diag::{pos_of_offset, Diagnostics, Pos};
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

pub mod reporting;
mod slos;
pub use reporting::{Pin, Prompts};
use slos::{validate_slos, RawSlo};
pub use slos::{Budgeting, SloDef, SloWindow};

pub const CONFIG_FILE: &str = "almanac.toml";

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub timezone: Tz,
    pub as_of: Option<NaiveDate>,
    pub theme: String,
    /// Where `theme` is set in almanac.toml, for a diagnostic about it.
    pub theme_at: Option<Pos>,
    pub teams: Vec<Team>,
    pub slos: Vec<SloDef>,
    /// Which DORA report year's clusters to draw behind the four keys.
    pub dora_reference_year: u16,
    /// `[definitions]`: metric definition versions pinned below the current one.
    pub definitions: Vec<Pin>,
    /// `[coaching]`: questions a quarterly report asks when a metric moved the wrong way.
    pub coaching: Vec<Prompts>,
    /// `base_url`: the published site's address, ending in `/`.
    pub base_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub services: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<Spanned<String>>,
    timezone: Option<Spanned<String>>,
    as_of: Option<Spanned<toml::Value>>,
    theme: Option<Spanned<String>>,
    dora_reference_year: Option<Spanned<i64>>,
    #[serde(default)]
    team: Vec<Spanned<RawTeam>>,
    #[serde(default)]
    slo: Vec<Spanned<RawSlo>>,
    definitions: Option<reporting::RawDefinitions>,
    coaching: Option<reporting::RawCoaching>,
    base_url: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTeam {
    id: Spanned<String>,
    name: Option<String>,
    #[serde(default)]
    services: Vec<Spanned<String>>,
}

/// The keys of `RawConfig`, `RawTeam` and `RawSlo`, for `unknown_keys`.
const CONFIG_KEYS: [&str; 10] = [
    "title",
    "timezone",
    "as_of",
    "theme",
    "dora_reference_year",
    "team",
    "slo",
    "definitions",
    "coaching",
    "base_url",
];
const TEAM_KEYS: [&str; 3] = ["id", "name", "services"];
const SLO_KEYS: [&str; 7] = [
    "id",
    "service",
    "objective",
    "window",
    "description",
    "budgeting",
    "timeslice_target",
];

/// Reports every key almanac does not know, each at its position (serde stops at the
/// first); `false` when there was one, or the text is not TOML (then the deserializer
/// reports it).
fn unknown_keys(text: &str, diags: &mut Diagnostics) -> bool {
    use toml::de::{DeTable, DeValue};
    let Ok(doc) = DeTable::parse(text) else {
        return true;
    };
    let mut clean = true;
    let mut check = |table: &DeTable<'_>, known: &[&str], within: &str| {
        for key in table.keys() {
            if !known.contains(&key.get_ref().as_ref()) {
                clean = false;
                diags.error(
                    CONFIG_FILE,
                    Some(pos_of_offset(text, key.span().start)),
                    format!(
                        "unknown key `{}`{within}; the keys are {}: remove it or check its spelling",
                        key.get_ref(),
                        known.join(", ")
                    ),
                );
            }
        }
    };
    check(doc.get_ref(), &CONFIG_KEYS, "");
    for (name, known, within) in [
        ("team", &TEAM_KEYS[..], " in [[team]]"),
        ("slo", &SLO_KEYS[..], " in [[slo]]"),
    ] {
        if let Some(DeValue::Array(items)) = doc.get_ref().get(name).map(|v| v.get_ref()) {
            for item in items.iter() {
                if let DeValue::Table(t) = item.get_ref() {
                    check(t, known, within);
                }
            }
        }
    }
    clean
}

/// Parses and validates `almanac.toml` text. All problems are collected.
pub fn parse(text: &str) -> Result<Config, Diagnostics> {
    let mut diags = Diagnostics::new();
    if !unknown_keys(text, &mut diags) {
        return Err(diags);
    }
    let raw: RawConfig = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let pos = e.span().map(|s| pos_of_offset(text, s.start));
            let syntax = toml::de::DeTable::parse(text).is_err();
            diags.error(CONFIG_FILE, pos, toml_message(&e, syntax));
            return Err(diags);
        }
    };
    let at = |span: std::ops::Range<usize>| Some(pos_of_offset(text, span.start));

    let title = match raw.title {
        Some(t) if !t.get_ref().trim().is_empty() => t.into_inner(),
        Some(t) => {
            diags.error(
                CONFIG_FILE,
                at(t.span()),
                "`title` is empty; give the site a title",
            );
            String::new()
        }
        None => {
            diags.error(
                CONFIG_FILE,
                Some(Pos { line: 1, column: 1 }),
                "missing `title`; add a line like `title = \"Acme Engineering\"`",
            );
            String::new()
        }
    };

    let timezone = match raw.timezone {
        None => Tz::UTC,
        Some(tz) => match tz.get_ref().parse::<Tz>() {
            Ok(z) => z,
            Err(_) => {
                let names = chrono_tz::TZ_VARIANTS.iter().map(|z| z.name());
                diags.error(
                    CONFIG_FILE,
                    at(tz.span()),
                    format!(
                        "unknown timezone `{}`{}; use an IANA name such as `UTC` or `Europe/Berlin`",
                        tz.get_ref(),
                        did_you_mean(tz.get_ref(), names)
                    ),
                );
                Tz::UTC
            }
        },
    };

    let as_of = raw.as_of.and_then(|v| {
        let span = v.span();
        let parsed = match v.get_ref() {
            toml::Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
            toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => {
                NaiveDate::parse_from_str(&d.to_string(), "%Y-%m-%d").ok()
            }
            _ => None,
        };
        if parsed.is_none() {
            diags.error(
                CONFIG_FILE,
                at(span),
                "`as_of` must be a date like 2026-06-30 (YYYY-MM-DD)",
            );
        }
        parsed
    });

    let theme_at = raw.theme.as_ref().and_then(|t| at(t.span()));
    let theme = raw
        .theme
        .map_or_else(|| "default".to_string(), |t| t.into_inner());
    let dora_reference_year = match raw.dora_reference_year {
        None => 2024,
        Some(y) if matches!(*y.get_ref(), 2023 | 2024) => *y.get_ref() as u16,
        Some(y) => {
            diags.error(
                CONFIG_FILE,
                at(y.span()),
                "`dora_reference_year` must be 2023 or 2024 (the report years with published clusters)",
            );
            2024
        }
    };

    let teams = validate_teams(raw.team, text, &mut diags);
    let slos = validate_slos(raw.slo, text, &mut diags);
    let definitions = reporting::pins(raw.definitions, text, &mut diags);
    let coaching = reporting::prompts(raw.coaching, text, &mut diags);
    let base_url = reporting::base_url(raw.base_url, text, &mut diags);

    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Config {
        title,
        timezone,
        as_of,
        theme,
        theme_at,
        teams,
        slos,
        dora_reference_year,
        definitions,
        coaching,
        base_url,
    })
}

/// toml's messages end with a newline and sometimes repeat the position; keep the sentence
/// and say what kind of problem it is and what to do.
fn toml_message(e: &toml::de::Error, syntax: bool) -> String {
    let msg = e.message().trim().to_string();
    if syntax {
        format!("not valid TOML: {msg}; fix the syntax at this position (see https://toml.io)")
    } else if msg.contains("unknown field") {
        format!("{msg}; remove it or check its spelling")
    } else if msg.starts_with("missing field") {
        format!("{msg}; add it (the README's almanac.toml table lists every key)")
    } else {
        format!("wrong value: {msg}; write it as the README's almanac.toml table says")
    }
}

fn validate_teams(raw: Vec<Spanned<RawTeam>>, text: &str, diags: &mut Diagnostics) -> Vec<Team> {
    let mut seen_team: BTreeMap<String, Pos> = BTreeMap::new();
    let mut owner: BTreeMap<String, (String, Pos)> = BTreeMap::new();
    let mut teams = Vec::new();
    // Each service's page name, for two spellings that would share one page.
    let mut page_of: BTreeMap<String, (String, Pos)> = BTreeMap::new();
    for t in raw {
        let t = t.into_inner();
        let id_pos = pos_of_offset(text, t.id.span().start);
        let id = t.id.into_inner();
        if !valid_id(&id) {
            diags.error(
                CONFIG_FILE,
                Some(id_pos),
                format!("team id `{id}` must use only letters, digits, `-`, `_` and `.`"),
            );
        }
        if let Some(first) = seen_team.get(&id) {
            diags.error(
                CONFIG_FILE,
                Some(id_pos),
                format!(
                    "duplicate team id `{id}`; first defined on line {}",
                    first.line
                ),
            );
        }
        seen_team.insert(id.clone(), id_pos);
        let mut services = Vec::new();
        for s in t.services {
            let pos = pos_of_offset(text, s.span().start);
            let name = s.into_inner();
            if !valid_id(&name) {
                diags.error(
                    CONFIG_FILE,
                    Some(pos),
                    format!("service id `{name}` must use only letters, digits, `-`, `_` and `.`"),
                );
            }
            if let Some((other, first)) = owner.get(&name) {
                diags.error(
                    CONFIG_FILE,
                    Some(pos),
                    format!(
                        "service `{name}` is already owned by team `{other}` (line {}); a service belongs to one team",
                        first.line
                    ),
                );
            } else {
                owner.insert(name.clone(), (id.clone(), pos));
            }
            let page = crate::output::slug(&name);
            match page_of.get(&page) {
                Some((other, first)) if *other != name => diags.error(
                    CONFIG_FILE,
                    Some(pos),
                    format!(
                        "services `{other}` (line {}) and `{name}` would share the page services/{page}.html; use one spelling",
                        first.line
                    ),
                ),
                Some(_) => {}
                None => {
                    page_of.insert(page, (name.clone(), pos));
                }
            }
            services.push(name);
        }
        teams.push(Team {
            name: t.name.unwrap_or_else(|| id.clone()),
            id,
            services,
        });
    }
    teams
}

/// Ids appear in paths and URLs: letters, digits, `-`, `_`, `.` only, not starting with `.`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
title = "Acme"
timezone = "Europe/Berlin"
as_of = 2026-06-30

[[team]]
id = "payments"
name = "Payments"
services = ["checkout", "billing"]

[[slo]]
id = "checkout-availability"
service = "checkout"
objective = 0.999
window = "28d"
description = "Checkout requests succeed"
"#;

    #[test]
    fn parses_a_full_config() {
        let c = parse(GOOD).unwrap();
        assert_eq!(c.title, "Acme");
        assert_eq!(c.timezone, chrono_tz::Europe::Berlin);
        assert_eq!(c.as_of, NaiveDate::from_ymd_opt(2026, 6, 30));
        assert_eq!(c.teams[0].services, vec!["checkout", "billing"]);
        assert_eq!(c.slos[0].window, SloWindow::Rolling { days: 28 });
        assert_eq!(c.slos[0].line, 12);
    }

    #[test]
    fn unknown_keys_are_errors_with_position() {
        let err = parse("title = \"x\"\ncolour = \"red\"\n").unwrap_err();
        let d = &err.sorted()[0];
        assert_eq!(d.line, Some(2));
        assert_eq!(d.column, Some(1));
        assert!(
            d.message.starts_with("unknown key `colour`;"),
            "{}",
            d.message
        );
    }

    #[test]
    fn collects_every_problem() {
        let text = "title = \"x\"\ntimezone = \"Mars/Olympus\"\n[[slo]]\nid = \"a\"\nservice = \"s\"\nobjective = 1.5\nwindow = \"fortnight\"\n";
        let diags = parse(text).unwrap_err().sorted();
        let lines: Vec<_> = diags.iter().map(|d| d.line.unwrap()).collect();
        assert_eq!(lines, vec![2, 6, 7]);
    }

    /// A misspelt IANA name gets the one it is nearest; a name like no zone gets no hint.
    #[test]
    fn an_unknown_timezone_near_a_known_one_gets_a_hint() {
        let message = |tz: &str| {
            let d = parse(&format!("title = \"x\"\ntimezone = \"{tz}\"\n")).unwrap_err();
            d.sorted()[0].message.clone()
        };
        assert_eq!(
            message("Europe/Berln"),
            "unknown timezone `Europe/Berln`; did you mean `Europe/Berlin`?; use an IANA name such as `UTC` or `Europe/Berlin`"
        );
        assert_eq!(
            message("CET+1"),
            "unknown timezone `CET+1`; use an IANA name such as `UTC` or `Europe/Berlin`"
        );
    }

    #[test]
    fn windows_parse() {
        assert_eq!(
            SloWindow::parse("4w"),
            Some(SloWindow::Rolling { days: 28 })
        );
        assert_eq!(SloWindow::parse("quarter"), Some(SloWindow::Quarter));
        assert_eq!(SloWindow::parse("0d"), None);
        assert_eq!(SloWindow::parse("d"), None);
    }

    #[test]
    fn a_window_ending_in_a_multibyte_character_is_an_error_not_a_panic() {
        // Found by the fuzz smoke test: `split_at(len - 1)` cut inside "é" and panicked.
        assert_eq!(SloWindow::parse("28é"), None);
        assert_eq!(SloWindow::parse("é"), None);
        assert_eq!(SloWindow::parse("2€"), None);
        let text = "title = \"x\"\n[[slo]]\nid = \"a\"\nservice = \"s\"\nobjective = 0.99\nwindow = \"28é\"\n";
        assert!(parse(text).is_err());
    }

    #[test]
    fn a_service_belongs_to_one_team() {
        let text = "title = \"x\"\n[[team]]\nid = \"a\"\nservices = [\"s\"]\n[[team]]\nid = \"b\"\nservices = [\"s\"]\n";
        let d = parse(text).unwrap_err().sorted();
        assert_eq!(d[0].line, Some(7));
        assert!(d[0].message.contains("already owned by team `a`"));
    }

    #[test]
    fn two_spellings_of_a_service_are_an_error_at_the_second() {
        let text = "title = \"x\"\n[[team]]\nid = \"a\"\nservices = [\"Api\"]\n[[team]]\nid = \"b\"\nservices = [\"api\"]\n";
        let d = parse(text).unwrap_err().sorted();
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (Some(7), Some(13)));
        assert_eq!(d[0].message, "services `Api` (line 4) and `api` would share the page services/api.html; use one spelling");
    }
}
