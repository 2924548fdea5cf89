//! Load stage: reads `data/*.csv` (the files of the table registry, `tables`),
//! `content/**/*.md` and the site's theme folder under the site root and returns a `Dataset`
//! (markdown bodies kept as written) and the theme files, plus every problem found, located
//! by path, line and column.

pub mod content;
pub mod csv;
pub mod delivery;
pub mod frontmatter;
pub mod ids;
pub mod incidents;
pub mod memo;
pub mod merge;
pub mod narrative;
pub mod openslo;
pub mod reviews;
pub mod signals;
pub mod snapshots;
pub mod stamps;
pub mod tables;
pub mod theme;
pub mod time;
pub mod validate;

use crate::config::{Config, SloDef};
use crate::diag::Diagnostics;
use crate::model::{Dataset, Interner};
use delivery::DeployTable;
use merge::ServiceMerger;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use tables::{Assembly, Context, Parsed, Phase, TABLES};

/// Reads a file under the root; a missing file is `Ok(None)` (no data of that kind).
pub fn read_optional(root: &Path, rel: &str, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    match std::fs::read(root.join(rel)) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            diags.file_error(rel, None, format!("cannot read the file: {e}"));
            None
        }
    }
}

/// The CSV half of the dataset: reads every file of the table registry, parses the tables
/// of each phase in parallel, and stores them in registry order. `slos` are all SLO
/// definitions.
pub fn load_data(root: &Path, config: &Config, slos: Vec<SloDef>) -> (Dataset, Diagnostics) {
    load_data_with(root, config, slos, None, true)
}

/// `load_data`, taking the tables whose file and context are unchanged from `memo` (and
/// keeping the others there) when there is one. With `take_digests` (and no `memo`), each
/// table file's digest goes into `Dataset::inputs`, taken from the bytes parsed.
pub fn load_data_with(
    root: &Path,
    config: &Config,
    slos: Vec<SloDef>,
    memo: Option<&memo::TableMemo>,
    take_digests: bool,
) -> (Dataset, Diagnostics) {
    let mut diags = Diagnostics::new();
    unknown_files(root, &mut diags);
    let mut base = Interner::default();
    for team in &config.teams {
        for s in &team.services {
            base.intern(s);
        }
    }
    for slo in &slos {
        base.intern(&slo.service);
    }
    let slo_index: HashMap<String, u32> = slos
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i as u32))
        .collect();
    let no_deploys = DeployTable::default();
    let cx = Context {
        base: &base,
        slo_index: &slo_index,
        teams: &config.teams,
        deploys: &no_deploys,
        services: &base,
    };
    let mut ds = Dataset {
        slos,
        ..Dataset::default()
    };
    let mut merger = ServiceMerger::new(&base);
    let mut read = Read {
        root,
        memo,
        take_digests,
        diags: &mut diags,
        digests: BTreeMap::new(),
    };
    // The second phase's files are read while the first phase parses: the largest file
    // (`changes.csv`) waits for the deployments, not for its bytes.
    let (mut parsed, later) = rayon::join(
        || read.phase(&cx, read_files(root, Phase::Independent)),
        || read_files(root, Phase::AfterDeployments),
    );
    let deploys = parsed
        .iter()
        .find_map(|(_, p)| p.downcast_ref::<DeployTable>())
        .unwrap_or(&no_deploys);
    let linked = read.phase(&Context { deploys, ..cx }, later);
    parsed.extend(linked);
    parsed.sort_by_key(|(i, _)| *i);
    store(parsed, &mut ds, &mut merger);
    merger.warn_unowned(&config.teams, read.diags);
    merger.page_clashes(read.diags);
    let late = read.phase(
        &Context {
            services: merger.names(),
            ..cx
        },
        read_files(root, Phase::AfterServices),
    );
    store(late, &mut ds, &mut merger);
    ds.inputs = read.digests;
    merger.finish(config, &mut ds);
    (ds, diags)
}

/// The folder of OpenSLO files, the one folder `data/` may hold.
pub const SLO_DIR: &str = "data/slos";

/// Warns about each entry of `data/` that almanac does not read (anything but the files of
/// the table registry and `data/slos/`; hidden files are skipped), with the closest
/// contract name when one is near (`similar::closest`).
fn unknown_files(root: &Path, diags: &mut Diagnostics) {
    let Ok(dir) = std::fs::read_dir(root.join("data")) else {
        return;
    };
    let known: Vec<&str> = TABLES.iter().map(|t| t.path()).chain([SLO_DIR]).collect();
    let mut names: Vec<String> = dir
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .map(|n| format!("data/{n}"))
        .filter(|rel| !known.contains(&rel.as_str()))
        .collect();
    names.sort();
    for rel in names {
        let message = match crate::diag::similar::closest(&rel, known.iter().copied()) {
            Some(near) => format!("almanac does not read this file; did you mean {near}?"),
            None => format!(
                "almanac does not read this file; the data contract's files are {} and {SLO_DIR}/*.yaml: rename it or move it out of data/",
                known[..known.len() - 1].join(", ")
            ),
        };
        diags.warn(&rel, None, message);
    }
}

/// Parses the tables of the registry, phase by phase, collecting their problems (in
/// registry order) and (with `take_digests`) each file's digest, taken from the bytes
/// parsed. A phase's files are read when it comes, or (the second phase's) while the first
/// parses, and dropped once parsed: a large site never holds all of its CSV text at once.
struct Read<'a> {
    root: &'a Path,
    memo: Option<&'a memo::TableMemo>,
    take_digests: bool,
    diags: &'a mut Diagnostics,
    digests: BTreeMap<String, String>,
}

/// A table file read whole: its registry index, its bytes (`None` when the file is missing
/// or could not be read) and the problem reading it.
type FileRead = (usize, Option<Vec<u8>>, Diagnostics);

/// Reads the files of the tables of one phase, side by side.
fn read_files(root: &Path, phase: Phase) -> Vec<FileRead> {
    TABLES
        .par_iter()
        .enumerate()
        .filter(|(_, t)| t.phase() == phase)
        .map(|(i, t)| {
            let mut d = Diagnostics::new();
            let bytes = read_optional(root, t.path(), &mut d);
            (i, bytes, d)
        })
        .collect()
}

impl Read<'_> {
    /// Parses the tables of one phase (their `files`) in parallel, each file's digest taken
    /// beside its parse when asked (a live rebuild, with `memo`, digests the files that
    /// changed itself).
    fn phase(&mut self, cx: &Context<'_>, files: Vec<FileRead>) -> Vec<(usize, Parsed)> {
        // Returns each table's registry index with its parsed rows.
        let (root, memo, take_digests) = (self.root, self.memo, self.take_digests);
        type Done = (usize, Option<Parsed>, Diagnostics, Option<String>);
        let results: Vec<Done> = files
            .into_par_iter()
            .filter_map(|(i, bytes, mut d)| {
                let t = &TABLES[i];
                let Some(bytes) = bytes else {
                    return (!d.is_empty()).then(|| (i, None, d, None));
                };
                if let Some(m) = memo {
                    let (rows, parsed_d) = m.parse(i, *t, &bytes, cx);
                    d.extend(parsed_d);
                    return Some((i, Some(rows), d, None));
                }
                let (digest, rows) = rayon::join(
                    || take_digests.then(|| snapshots::digest_read(root, t.path(), &bytes))?,
                    || t.parse(&bytes, cx, &mut d),
                );
                Some((i, Some(rows), d, digest))
            })
            .collect();
        results
            .into_iter()
            .filter_map(|(i, rows, d, digest)| {
                self.diags.extend(d);
                if let Some(digest) = digest {
                    self.digests.insert(TABLES[i].path().to_string(), digest);
                }
                Some((i, rows?))
            })
            .collect()
    }
}

/// Stores parsed tables (in the order given) into the dataset.
fn store(parsed: Vec<(usize, Parsed)>, ds: &mut Dataset, merger: &mut ServiceMerger) {
    let mut into = Assembly {
        ds,
        services: merger,
    };
    for (i, rows) in parsed {
        TABLES[i].store(rows, &mut into);
    }
}

/// The SLO definitions: `[[slo]]` from the config, then every `data/slos/*.yaml` (OpenSLO)
/// in file-name order. An id defined twice is an error naming both places.
pub fn slo_definitions(root: &Path, config: &Config, diags: &mut Diagnostics) -> Vec<SloDef> {
    let mut slos = config.slos.clone();
    let dir = root.join(SLO_DIR);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"));
    files.sort();
    for file in files {
        let rel = format!(
            "data/slos/{}",
            file.file_name().unwrap_or_default().to_string_lossy()
        );
        let Some(bytes) = read_optional(root, &rel, diags) else {
            continue;
        };
        let text = match crate::diag::utf8_text(&bytes) {
            Ok(t) => t,
            Err(pos) => {
                diags.error(&rel, Some(pos), crate::diag::NOT_UTF8);
                continue;
            }
        };
        let (defs, d) = openslo::parse_for_site(&rel, text, config.timezone);
        diags.extend(d);
        slos.extend(defs);
    }
    let mut seen: HashMap<String, (String, u32)> = HashMap::new();
    for s in &slos {
        if let Some((path, line)) = seen.get(&s.id) {
            diags.error(
                &s.path,
                Some(crate::diag::Pos {
                    line: s.line,
                    column: 1,
                }),
                format!(
                    "SLO id `{}` is already defined at {path}:{line}; SLO ids must be unique",
                    s.id
                ),
            );
        } else {
            seen.insert(s.id.clone(), (s.path.clone(), s.line));
        }
    }
    slos
}

/// Moves the markdown content into the dataset; `content/retros` existing is what makes
/// retro figures meaningful (without it they are `null`).
pub fn attach_content(ds: &mut Dataset, content: content::Content, root: &Path) {
    ds.present.retros = root.join(content::RETROS_DIR).is_dir();
    ds.retros = content.retros;
    ds.metric_defs = content.metric_defs;
    ds.governance = content.governance;
    ds.reports = content.reports;
    ds.narratives = content.narratives;
    ds.reviews = content.reviews;
}

/// Takes the markdown content back out of the dataset (`attach_content`'s inverse), to
/// attach it to a dataset read again from `data/`.
pub fn take_content(ds: &mut Dataset) -> content::Content {
    content::Content {
        retros: std::mem::take(&mut ds.retros),
        metric_defs: std::mem::take(&mut ds.metric_defs),
        governance: std::mem::take(&mut ds.governance),
        reports: std::mem::take(&mut ds.reports),
        narratives: std::mem::take(&mut ds.narratives),
        reviews: std::mem::take(&mut ds.reviews),
    }
}

#[cfg(test)]
mod tests;
