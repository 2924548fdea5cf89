//! Publishing: takes a site root, a quarter, the day and (for a restatement) a reason, and
//! returns the quarter's snapshot file with one more revision as an `OutputFile`, or why
//! not. `main` reads the clock and writes the file. A snapshot freezes everything the
//! quarter's report shows, the definition versions, `as_of` and a digest of each input.

use crate::metrics::Report;
use crate::output::OutputFile;
use crate::pipeline::{self, Loaded};
use crate::published::{quarter_of_stem, snapshot_path, Revision, SnapshotFile, SNAPSHOT_SCHEMA};
use chrono::NaiveDate;
use std::path::Path;

/// What to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `2026-Q3` or `2026-q3`.
    pub quarter: String,
    /// The publication day.
    pub on: NaiveDate,
    /// Publish a new revision of an already published quarter.
    pub restate: bool,
    pub reason: Option<String>,
    /// `--as-of`: the report date, as for `build`.
    pub as_of: Option<NaiveDate>,
}

/// Why nothing was published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishError {
    /// The site has errors: every diagnostic, one per line.
    Invalid(String),
    /// Not a quarter key, or a quarter without data.
    UnknownQuarter(String),
    Partial {
        quarter: String,
        last_day: NaiveDate,
    },
    Published {
        quarter: String,
        revision: u32,
        on: NaiveDate,
    },
    NotPublished(String),
    NoReason,
    Unchanged {
        quarter: String,
        revision: u32,
    },
}

impl std::fmt::Display for PublishError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PublishError::Invalid(d) => write!(f, "{d}\nfix these first: a quarter is published from a site that builds"),
            PublishError::UnknownQuarter(q) => write!(f, "`{q}` is not a quarter with data; give one like 2026-Q3 (reports/index.html lists them)"),
            PublishError::Partial { quarter, last_day } => write!(f, "{quarter} is not over: the data runs to {last_day}; publish it once the quarter has ended, so no partial quarter is frozen"),
            PublishError::Published { quarter, revision, on } => write!(f, "{quarter} is already published (revision {revision}, {on}); to publish corrected figures run `almanac publish {quarter} --restate --reason \"...\"`"),
            PublishError::NotPublished(q) => write!(f, "{q} has not been published, so there is nothing to restate; run `almanac publish {q}` without --restate"),
            PublishError::NoReason => write!(f, "a restatement needs its reason: add --reason \"what was corrected\""),
            PublishError::Unchanged { quarter, revision } => write!(f, "today's figures and narrative for {quarter} equal revision {revision}; there is nothing to restate"),
        }
    }
}

impl std::error::Error for PublishError {}

/// The snapshot file of `req.quarter` with its next revision, and that revision's number.
pub fn publish(root: &Path, req: &Request) -> Result<(OutputFile, u32), PublishError> {
    let invalid = |d: crate::diag::Diagnostics| {
        PublishError::Invalid(crate::diag::lines(&d.sorted()).join("\n"))
    };
    let (loaded, _) = pipeline::load(root, req.as_of).map_err(invalid)?;
    let report = pipeline::report(&loaded);
    let problems = crate::render::report_problems(&report, &loaded.ds);
    if problems.has_errors() {
        return Err(invalid(problems));
    }
    revise(&loaded, &report, req)
}

/// The next revision of `req.quarter` from the loaded site and its figures.
pub fn revise(
    loaded: &Loaded,
    report: &Report,
    req: &Request,
) -> Result<(OutputFile, u32), PublishError> {
    let key = quarter_of_stem(&req.quarter.to_lowercase())
        .ok_or_else(|| PublishError::UnknownQuarter(req.quarter.clone()))?;
    let figures = report
        .quarters
        .iter()
        .find(|q| q.quarter == key)
        .ok_or_else(|| PublishError::UnknownQuarter(req.quarter.clone()))?;
    if figures.partial {
        return Err(PublishError::Partial {
            quarter: key,
            last_day: figures.last_day,
        });
    }
    let existing = loaded.ds.snapshots.iter().find(|s| s.file.quarter == key);
    let narrative = loaded
        .ds
        .narratives
        .iter()
        .find(|n| n.quarter == key)
        .map(|n| n.text.clone());
    let mut file = match (existing, req.restate) {
        (Some(s), false) => {
            let last = s.file.latest().expect("a loaded snapshot has a revision");
            return Err(PublishError::Published {
                quarter: key,
                revision: last.revision,
                on: last.published,
            });
        }
        (None, true) => return Err(PublishError::NotPublished(key)),
        (Some(s), true) => {
            let last = s.file.latest().expect("a loaded snapshot has a revision");
            if req.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                return Err(PublishError::NoReason);
            }
            if last.figures == *figures && last.narrative == narrative {
                return Err(PublishError::Unchanged {
                    quarter: key,
                    revision: last.revision,
                });
            }
            s.file.clone()
        }
        (None, false) => SnapshotFile {
            schema: SNAPSHOT_SCHEMA,
            quarter: key.clone(),
            revisions: Vec::new(),
        },
    };
    let revision = file.revisions.len() as u32 + 1;
    file.revisions.push(Revision {
        revision,
        published: req.on,
        reason: req
            .reason
            .as_ref()
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty()),
        almanac_version: env!("CARGO_PKG_VERSION").to_string(),
        as_of: report.calendar.as_of,
        definitions: report.versions.by_key(),
        inputs: loaded.ds.inputs.clone(),
        narrative,
        figures: figures.clone(),
    });
    let mut json = serde_json::to_string_pretty(&file).expect("a snapshot serialises");
    json.push('\n');
    Ok((OutputFile::new(snapshot_path(&key), json), revision))
}
