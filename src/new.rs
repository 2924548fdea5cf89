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
    /// An id `data/incidents.csv` does not have, and the id it writes another way.
    UnknownIncident {
        id: String,
        near: Option<String>,
    },
    Exists(String),
    /// A retro under another file name already names the incident.
    HasRetro(String),
}

impl std::fmt::Display for NewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NewError::Invalid(d) => write!(f, "{d}"),
            NewError::UnknownIncident { id, near } => {
                write!(f, "incident `{id}` is not in {INCIDENTS}")?;
                if let Some(near) = near {
                    write!(f, "; did you mean `{near}`?")?;
                }
                write!(f, "; check the id (it is the incident_id column)")
            }
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

/// The first file under `content/retros/` (in path order) whose front matter names the
/// incident (`incident = "<id>"` in TOML, `incident: <id>` in YAML, quoted or not),
/// whatever its file name, published or not.
fn retro_naming(root: &Path, id: &str) -> Option<String> {
    let dir = root.join(crate::load::content::RETROS_DIR);
    let names_it = |line: &str| {
        let line = line.trim();
        let Some(value) = (line.strip_prefix("incident"))
            .map(str::trim_start)
            .and_then(|v| v.strip_prefix('=').or_else(|| v.strip_prefix(':')))
            .map(str::trim)
        else {
            return false;
        };
        let unquoted = ['"', '\'']
            .iter()
            .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)))
            .unwrap_or(value);
        value == toml_str(id) || unquoted == id
    };
    walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .find(|e| {
            std::fs::read_to_string(e.path()).is_ok_and(|text| {
                // The front matter: after the opening `+++` or `---`, up to the closing one.
                let mut lines = text.lines();
                let fence = lines
                    .next()
                    .map(str::trim)
                    .filter(|l| ["+++", "---"].contains(l));
                fence.is_some_and(|fence| lines.take_while(|l| l.trim() != fence).any(names_it))
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
        .ok_or_else(|| NewError::UnknownIncident {
            id: incident.to_string(),
            // Only an id written another way (case, `-` for `_`): ids one digit apart are
            // other incidents, not typos.
            near: (ds.incidents.iter())
                .find(|i| slug(&i.id) == slug(incident))
                .map(|i| i.id.clone()),
        })?;
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
        // A known id in other case: the hint names it.
        let e = retro_at(&fixture(), "I5").unwrap_err();
        assert_eq!(
            e.to_string(),
            "incident `I5` is not in data/incidents.csv; did you mean `i5`?; check the id (it is the incident_id column)"
        );
        let e = retro_at(&fixture(), "i1").unwrap_err();
        assert_eq!(e, NewError::Exists("content/retros/i1.md".into()));
        assert!(retro_at(&fixture(), "i7").is_ok());
    }

    /// A retro under another file name names the incident in TOML or in YAML, quoted or
    /// not; `incident_id` or a body line does not count.
    #[test]
    fn a_retro_naming_the_incident_is_found_in_toml_or_yaml() {
        let dir = tempfile::tempdir().unwrap();
        let retros = dir.path().join("content/retros");
        std::fs::create_dir_all(&retros).unwrap();
        for (file, head) in [
            ("a.md", "+++\nincident = \"i1\"\n+++\n"),
            ("b.md", "---\nincident: i2\n---\n"),
            ("c.md", "---\nincident:  'i3'\n---\n"),
            (
                "d.md",
                "+++\nincident_id = \"i4\"\n+++\nincident = \"i4\"\n",
            ),
        ] {
            std::fs::write(retros.join(file), head).unwrap();
        }
        let found = |id| retro_naming(dir.path(), id);
        assert_eq!(found("i1").as_deref(), Some("content/retros/a.md"));
        assert_eq!(found("i2").as_deref(), Some("content/retros/b.md"));
        assert_eq!(found("i3").as_deref(), Some("content/retros/c.md"));
        assert_eq!(found("i4"), None);
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_str(r#"a "b" \c"#), r#""a \"b\" \\c""#);
    }
}
