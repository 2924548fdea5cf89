//! Load stage: reads `data/*.csv` and `content/**/*.md` under the site root and returns a
//! `Dataset` plus every problem found, located by path, line and column.

pub mod content;
pub mod csv;
pub mod delivery;
pub mod frontmatter;
pub mod ids;
pub mod incidents;
pub mod openslo;
pub mod signals;
pub mod theme;
pub mod time;
pub mod validate;

use crate::config::{Config, SloDef};
use crate::diag::Diagnostics;
use crate::model::{Dataset, Interner, Present, Ts};
use delivery::{DeployTable, Services};
use std::collections::HashMap;
use std::path::Path;

/// Reads a file under the root; a missing file is `Ok(None)` (no data of that kind).
pub fn read_optional(root: &Path, rel: &str, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    match std::fs::read(root.join(rel)) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            diags.error(rel, None, format!("cannot read the file: {e}"));
            None
        }
    }
}

/// Raw bytes of every optional data file.
struct Files {
    deployments: Option<Vec<u8>>,
    changes: Option<Vec<u8>>,
    incidents: Option<Vec<u8>>,
    sli: Option<Vec<u8>>,
    pages: Option<Vec<u8>>,
    annotations: Option<Vec<u8>>,
}

impl Files {
    fn read(root: &Path, diags: &mut Diagnostics) -> Files {
        Files {
            deployments: read_optional(root, delivery::DEPLOYMENTS, diags),
            changes: read_optional(root, delivery::CHANGES, diags),
            incidents: read_optional(root, incidents::INCIDENTS, diags),
            sli: read_optional(root, signals::SLI, diags),
            pages: read_optional(root, signals::PAGES, diags),
            annotations: read_optional(root, signals::ANNOTATIONS, diags),
        }
    }
}

/// The CSV half of the dataset: parses the data files, in parallel where they are
/// independent, and merges their service tables. `slos` are all SLO definitions.
pub fn load_data(root: &Path, config: &Config, slos: Vec<SloDef>) -> (Dataset, Diagnostics) {
    let mut diags = Diagnostics::new();
    let files = Files::read(root, &mut diags);
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

    let ((deploys, d1), ((sli, d2), (pages, d3))) = rayon::join(
        || {
            parse(&files.deployments, |b, d| {
                delivery::deployments(b, &base, d)
            })
        },
        || {
            rayon::join(
                || parse(&files.sli, |b, d| signals::sli(b, &slo_index, d)),
                || parse(&files.pages, |b, d| signals::pages(b, &base, d)),
            )
        },
    );
    let empty = DeployTable::default();
    let dt = deploys.as_ref().unwrap_or(&empty);
    let ((changes, d4), (incidents, d5)) = rayon::join(
        || parse(&files.changes, |b, d| delivery::changes(b, &base, dt, d)),
        || {
            parse(&files.incidents, |b, d| {
                incidents::incidents(b, &base, dt, d)
            })
        },
    );
    for d in [d1, d2, d3, d4, d5] {
        diags.extend(d);
    }

    let mut ds = Dataset {
        slos,
        ..Dataset::default()
    };
    ds.present = Present {
        deployments: deploys.is_some(),
        rework: deploys.as_ref().is_some_and(|t| t.has_rework),
        changes: changes.is_some(),
        incidents: incidents.is_some(),
        detected: incidents.as_ref().is_some_and(|t| t.has_detected),
        acknowledged: incidents.as_ref().is_some_and(|t| t.has_acknowledged),
        sli: sli.is_some(),
        pages: pages.is_some(),
        retros: false,
    };
    let mut merger = ServiceMerger::new(&base);
    let mut latest: Option<Ts> = None;
    if let Some(t) = deploys {
        ds.deployments = merger.adopt(&t.services, delivery::DEPLOYMENTS, t.rows);
        ds.deploy_ids = t.ids;
        latest = latest.max(t.latest);
    }
    if let Some(t) = changes {
        ds.changes = merger.adopt(&t.services, delivery::CHANGES, t.rows);
        latest = latest.max(t.latest);
    }
    if let Some(t) = incidents {
        ds.incidents = merger.adopt(&t.services, incidents::INCIDENTS, t.rows);
        ds.causes = t.causes;
        latest = latest.max(t.latest);
    }
    if let Some(t) = pages {
        ds.pages = merger.adopt(&t.services, signals::PAGES, t.rows);
        latest = latest.max(t.latest);
    }
    if let Some(t) = sli {
        ds.sli = t.rows;
        latest = latest.max(t.latest);
    }
    ds.latest = latest;
    ds.service_team = merger.owners(config);
    let first_seen: Vec<(&str, u32)> = merger
        .paths
        .iter()
        .copied()
        .zip(merger.all.first_lines.iter().copied())
        .collect();
    ds.services = merger.all.names;
    warn_unowned(&ds, &first_seen, &mut diags);
    if let Some(bytes) = &files.annotations {
        ds.annotations = signals::annotations(bytes, &config.teams, &ds.services, &mut diags);
    }
    (ds, diags)
}

/// Parses an optional file with its own diagnostics, so files can be parsed in parallel.
fn parse<T>(
    bytes: &Option<Vec<u8>>,
    f: impl FnOnce(&[u8], &mut Diagnostics) -> T,
) -> (Option<T>, Diagnostics) {
    let mut d = Diagnostics::new();
    let out = bytes.as_deref().map(|b| f(b, &mut d));
    (out, d)
}

/// A row that names a service by id.
trait ServiceRow {
    fn service_mut(&mut self) -> &mut u32;
}

macro_rules! service_row {
    ($($t:ty),*) => {
        $(impl ServiceRow for $t {
            fn service_mut(&mut self) -> &mut u32 {
                &mut self.service
            }
        })*
    };
}
service_row!(
    crate::model::Deployment,
    crate::model::Change,
    crate::model::Incident,
    crate::model::PageEvent
);

/// Builds the global service table from the per-file ones.
struct ServiceMerger {
    all: Services,
    /// The file where each non-config service first appeared (aligned with `all.first_lines`).
    paths: Vec<&'static str>,
}

impl ServiceMerger {
    fn new(base: &Interner) -> Self {
        ServiceMerger {
            all: Services::from_base(base),
            paths: Vec::new(),
        }
    }

    /// Takes a file's rows, renumbering their services into the global table.
    fn adopt<T: ServiceRow>(
        &mut self,
        local: &Services,
        path: &'static str,
        mut rows: Vec<T>,
    ) -> Vec<T> {
        let map = self.all.absorb(local);
        self.paths.resize(self.all.first_lines.len(), path);
        for r in &mut rows {
            let s = r.service_mut();
            *s = map[*s as usize];
        }
        rows
    }

    fn owners(&self, config: &Config) -> Vec<Option<u32>> {
        let mut owners = vec![None; self.all.names.len()];
        for (t, team) in config.teams.iter().enumerate() {
            for s in &team.services {
                if let Some(id) = self.all.names.get(s) {
                    owners[id as usize] = Some(t as u32);
                }
            }
        }
        owners
    }
}

fn warn_unowned(ds: &Dataset, first_seen: &[(&str, u32)], diags: &mut Diagnostics) {
    let base_len = ds.services.len() - first_seen.len();
    for (i, (path, line)) in first_seen.iter().enumerate() {
        let name = ds.services.name((base_len + i) as u32);
        diags.warn(
            path,
            Some(crate::diag::Pos { line: *line, column: 1 }),
            format!("service `{name}` is not owned by any team; add it to a [[team]]'s services in almanac.toml"),
        );
    }
}

/// The SLO definitions: `[[slo]]` from the config, then every `data/slos/*.yaml` (OpenSLO)
/// in file-name order. An id defined twice is an error naming both places.
pub fn slo_definitions(root: &Path, config: &Config, diags: &mut Diagnostics) -> Vec<SloDef> {
    let mut slos = config.slos.clone();
    let dir = root.join("data/slos");
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
        let Ok(text) = String::from_utf8(bytes) else {
            diags.error(&rel, None, "not UTF-8 text; save the file as UTF-8");
            continue;
        };
        let (defs, d) = openslo::parse_for_site(&rel, &text, config.timezone);
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
}
