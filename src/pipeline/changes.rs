//! What a changed file asks of `serve`'s incremental rebuild (`pipeline::live`): read a
//! data table again, the content, a template, only record its digest, or build anew.

use crate::config::CONFIG_FILE;
use crate::load::{snapshots, SLO_DIR};
use crate::render::registry::Source;

/// What a changed file (relative to the root, `/`-separated) asks of a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A file directly in `data/`: a table of the registry (`Some`), or a file `check`
    /// warns about (`None`). The data tables are read again.
    Data(Option<Source>),
    /// A markdown file of a content folder: the content is read again.
    Content(Source),
    /// A theme template (its name under `templates/`): the theme is read again.
    Template(String),
    /// A file only `manifest.json`'s input digests record.
    Digest,
    /// An input followed only by a full build: `almanac.toml`, `data/slos/`, snapshots,
    /// a content folder itself, a theme's static files.
    Full,
}

/// What a changed file asks of a rebuild; `None` for a file the build does not read.
pub fn classify(rel: &str) -> Option<Change> {
    let rel = rel.trim_start_matches("./");
    let hidden = rel.split('/').any(|s| s.starts_with('.'));
    if rel == CONFIG_FILE {
        return Some(Change::Full);
    }
    if let Some(rest) = rel.strip_prefix("themes/") {
        let template = rest
            .split_once('/')
            .and_then(|(_, p)| p.strip_prefix("templates/"));
        return Some(match template {
            Some(t) if !t.is_empty() => Change::Template(t.to_string()),
            _ => Change::Full,
        });
    }
    if hidden {
        return None;
    }
    if rel == "data" || rel == "content" {
        return Some(Change::Full);
    }
    if let Some(rest) = rel.strip_prefix("data/") {
        if rel == SLO_DIR || rel.starts_with(&format!("{}/", SLO_DIR)) {
            return Some(Change::Full);
        }
        return Some(match rest.contains('/') {
            false => Change::Data(Source::of_path(rel)),
            true => Change::Digest,
        });
    }
    if let Some(rest) = rel.strip_prefix("content/") {
        if rel.ends_with(snapshots::SNAPSHOT_SUFFIX) || !rest.contains('/') {
            // A snapshot, or a folder of content (or a file) directly in `content/`.
            return Some(Change::Full);
        }
        return Some(match Source::of_path(rel) {
            Some(s) => Change::Content(s),
            None => Change::Digest,
        });
    }
    None
}
