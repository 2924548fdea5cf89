//! Authoring: takes a site root and an incident id and returns the skeleton of its retro,
//! `content/retros/<incident>.md`, pre-filled from `data/incidents.csv` (title, incident,
//! TOML front matter, the headings of a blameless retro) as an `OutputFile`. `main` writes it.

use crate::config::{self, CONFIG_FILE};
use crate::load::incidents::INCIDENTS;
use crate::model::{Dataset, Incident};
use crate::output::{slug, OutputFile};
use crate::period::Calendar;
use std::path::Path;

/// Why no retro skeleton was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewError {
    /// The config or `data/` has errors; carries the diagnostics, one per line.
    Invalid(String),
    UnknownIncident(String),
    Exists(String),
    /// A retro under another file name already names the incident.
    HasRetro(String),
}

impl std::fmt::Display for NewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NewError::Invalid(d) => write!(f, "{d}"),
            NewError::UnknownIncident(id) => write!(
                f,
                "incident `{id}` is not in {INCIDENTS}; check the id (it is the incident_id column)"
            ),
            NewError::Exists(path) => write!(
                f,
                "{path} already exists; almanac never overwrites a retro: edit it, or delete it first"
            ),
            NewError::HasRetro(path) => write!(
                f,
                "{path} is already this incident's retro; edit it instead"
            ),
        }
    }
}

impl std::error::Error for NewError {}

/// Reads the config and data under `root` and builds the retro skeleton for `incident`,
/// refusing when the file already exists or the incident is unknown.
pub fn retro_at(root: &Path, incident: &str) -> Result<OutputFile, NewError> {
    let text = std::fs::read_to_string(root.join(CONFIG_FILE)).map_err(|e| {
        NewError::Invalid(format!(
            "cannot read {} ({e}); pass --root",
            root.join(CONFIG_FILE).display()
        ))
    })?;
    let config = config::parse(&text).map_err(|d| NewError::Invalid(lines(d)))?;
    let mut diags = crate::diag::Diagnostics::new();
    let slos = crate::load::slo_definitions(root, &config, &mut diags);
    let (ds, data_diags) = crate::load::load_data(root, &config, slos);
    diags.extend(data_diags);
    // Problems elsewhere are for `almanac check`; they matter here only when the incident
    // is not found (its row may be the one with the problem).
    let file = match retro(&ds, config.timezone, incident) {
        Err(e) if diags.has_errors() => {
            return Err(NewError::Invalid(format!("{e}\n{}", lines(diags))))
        }
        other => other?,
    };
    if root.join(&file.path).exists() {
        return Err(NewError::Exists(file.path));
    }
    if let Some(path) = retro_naming(root, incident) {
        return Err(NewError::HasRetro(path));
    }
    Ok(file)
}

/// The first file under `content/retros/` (in path order) whose front matter has the line
/// `incident = "<id>"`, whatever its file name, published or not.
fn retro_naming(root: &Path, id: &str) -> Option<String> {
    let dir = root.join(crate::load::content::RETROS_DIR);
    let wanted = format!("incident = {}", toml_str(id));
    walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .find(|e| {
            std::fs::read_to_string(e.path()).is_ok_and(|text| {
                text.lines()
                    .take_while(|l| !l.starts_with("## "))
                    .any(|l| l.replace(' ', "") == wanted.replace(' ', ""))
            })
        })
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap_or(e.path());
            rel.to_string_lossy().replace('\\', "/")
        })
}

fn lines(d: crate::diag::Diagnostics) -> String {
    d.sorted()
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The retro skeleton for `incident`. Pure: `published_at` is left as a commented line
/// for the author, since nothing here reads the clock.
pub fn retro(ds: &Dataset, tz: chrono_tz::Tz, incident: &str) -> Result<OutputFile, NewError> {
    let inc = ds
        .incidents
        .iter()
        .find(|i| i.id == incident)
        .ok_or_else(|| NewError::UnknownIncident(incident.to_string()))?;
    // Named by the id itself, as the README and `check` name it; an id that is not a safe
    // file name falls back to its slug.
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let name = if inc.id.chars().all(plain) && !inc.id.starts_with('.') {
        inc.id.clone()
    } else {
        slug(&inc.id)
    };
    let path = format!("content/retros/{name}.md");
    Ok(OutputFile::new(path, skeleton(ds, tz, inc)))
}

/// A TOML basic string: quoted, with `\` and `"` and control characters escaped.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn local(tz: chrono_tz::Tz, ts: crate::model::Ts) -> String {
    Calendar::new(tz, chrono::NaiveDate::MIN).local_time(ts)
}

fn skeleton(ds: &Dataset, tz: chrono_tz::Tz, inc: &Incident) -> String {
    let service = ds.services.name(inc.service);
    let cal = Calendar::new(tz, chrono::NaiveDate::MIN);
    let started = cal.date_of(inc.started_at);
    let mut timeline = vec![format!(
        "- **{}**: the incident starts.",
        local(tz, inc.started_at)
    )];
    if let Some(d) = inc.caused_by {
        timeline.insert(
            0,
            format!(
                "- **{}**: deployment `{}` reaches production.",
                local(tz, ds.deployments[d as usize].at),
                &ds.deploy_ids[d as usize]
            ),
        );
    }
    for (t, what) in [
        (inc.detected_at, "the incident is detected."),
        (inc.acknowledged_at, "on-call acknowledges the page."),
        (inc.resolved_at, "the incident is resolved."),
    ] {
        if let Some(t) = t {
            timeline.push(format!("- **{}**: {what}", local(tz, t)));
        }
    }
    let cause = inc.cause.map_or(String::new(), |c| {
        format!(" The recorded cause is `{}`.", ds.causes.name(c))
    });
    format!(
        r#"+++
title = {title}
incident = {id}
# Set when the retro is published, with a UTC offset, then remove the `#`:
# published_at = {started}T17:00:00Z
tags = []

# One block per action item; `team` is the owning team's id, `done` is added when it is.
# [[action_items]]
# title = ""
# team = ""
# due = YYYY-MM-DD
+++

## Summary

On {started}, {id_plain} (severity {sev}) affected {service}: {incident_title}.{cause}
Describe the impact on users and how long it lasted. This review looks at how our systems
and processes allowed it to happen; it does not assign blame.

## Timeline

All times are local ({tz}).

{timeline}

## Contributing factors

- 

## What went well

- 

## Action items

List each one under `[[action_items]]` in the front matter so its due date and status are
tracked on the action-item board.
"#,
        title = toml_str(&format!("Retro: {}", inc.title)),
        id = toml_str(&inc.id),
        id_plain = inc.id,
        started = started,
        sev = inc.severity,
        // Titles often start with the service ("indexer: queue backlog"); say it once.
        incident_title = inc
            .title
            .strip_prefix(service)
            .and_then(|t| t.strip_prefix(':'))
            .map_or(inc.title.as_str(), str::trim_start),
        tz = tz.name(),
        timeline = timeline.join("\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn fixture() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/incidents")
    }

    #[test]
    fn skeleton_is_a_valid_retro_once_published() {
        let config =
            config::parse(&std::fs::read_to_string(fixture().join(CONFIG_FILE)).unwrap()).unwrap();
        let (ds, _) = crate::load::load_data(&fixture(), &config, Vec::new());
        let f = retro(&ds, config.timezone, "i5").unwrap();
        assert_eq!(f.path, "content/retros/i5.md");
        let text = String::from_utf8(f.bytes).unwrap();
        assert!(text.starts_with("+++\ntitle = \"Retro: Slow pages\"\nincident = \"i5\"\n"));
        for heading in [
            "## Summary",
            "## Timeline",
            "## Contributing factors",
            "## What went well",
            "## Action items",
        ] {
            assert!(text.contains(heading), "{heading}");
        }
        assert!(text.contains("deployment `d3` reaches production"));
        assert!(text.contains("- **2026-07-09 12:00**: the incident is resolved."));
        // With published_at filled in, the front matter parses as a retro.
        let published = text.replace("# published_at = 2026-07-08", "published_at = 2026-07-08");
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/retros")).unwrap();
        std::fs::write(dir.path().join("content/retros/i5.md"), published).unwrap();
        let (content, diags) = crate::load::content::load_content(dir.path());
        assert!(diags.is_empty(), "{:?}", diags.sorted());
        assert_eq!(content.retros[0].incident, "i5");
        assert!(content.retros[0].action_items.is_empty());
    }

    #[test]
    fn unknown_incidents_and_existing_files_are_refused() {
        let e = retro_at(&fixture(), "nope").unwrap_err();
        assert!(e.to_string().contains("data/incidents.csv"), "{e}");
        let e = retro_at(&fixture(), "i1").unwrap_err();
        assert_eq!(e, NewError::Exists("content/retros/i1.md".into()));
        assert!(retro_at(&fixture(), "i7").is_ok());
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_str(r#"a "b" \c"#), r#""a \"b\" \\c""#);
    }
}
