//! Incremental rebuilds for `almanac serve`. `Live` keeps the last good build in memory:
//! the loaded inputs with each input's problems, the figures, the charts and the site's
//! files. For a batch of changed files it reads again only the inputs they belong to (the
//! data tables, the content, the theme), recomputes the figures and charts only when an
//! input of a figure (`registry::FIGURES`) or the report date changed (a retro's prose
//! alone moves none: `metrics::retro::same_figures`), renders only the
//! kinds of page the changes reach (`registry::reached_by`, `reached_by_template`; for a
//! retro's prose only the pages of the retros edited and of their incidents,
//! `PageKind::pages_for`), and replaces those pages and every file that is not a page.
//! The theme's parsed templates are kept until a template changes. The result is the same
//! bytes a full build of the tree gives (`live_tests`). Anything it cannot follow that
//! precisely (the config, OpenSLO files, snapshots, theme static files) is a full build.

use super::{
    check_inputs, finish_report, report_reusing, stages, Failure, InputProblems, Loaded, Reuse,
    Stages,
};
use crate::chart::Memo;
use crate::load::{self, snapshots, theme::ThemeFiles};
use crate::metrics::{self, retro};
use crate::model::{Dataset, Deployment, Retro};
use crate::output::{Sink, SiteFiles};
use crate::render::charts;
use crate::render::charts::Charts;
use crate::render::registry::Prints;
use crate::render::registry::{
    reached_by, reached_by_template, Kind, RecordKeys, Source, FIGURES, KINDS,
};
use crate::render::{self, PageFile, RenderInput};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use super::changes::{classify, Change};

/// What one rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    /// A whole build (the first, after a broken edit, or for a change only a whole build
    /// follows).
    pub full: bool,
    /// The kinds of page rendered again, by name (some of them only for the records an
    /// edit touched).
    pub kinds: Vec<&'static str>,
    /// The pages rendered again.
    pub pages: usize,
    /// Whether the figures and charts were computed again.
    pub figures: bool,
    /// The build's warnings.
    pub warnings: usize,
}

/// A site root built once and then rebuilt incrementally.
pub struct Live {
    root: PathBuf,
    as_of: Option<NaiveDate>,
    /// The last good build; `None` before the first and after a broken edit, when the
    /// next rebuild is a full one.
    last: Option<Last>,
    /// Every table parsed and chart drawn so far: a table is parsed again only when its
    /// file or what it is linked to changed, a chart drawn again only when its spec did.
    reuse: Reuse,
}

struct Last {
    stages: Stages,
    /// The theme's templates, parsed (`render::templates`).
    tera: tera::Tera,
    files: SiteFiles,
    /// The paths of every kind's pages.
    pages: BTreeMap<&'static str, Vec<String>>,
    /// The paths of the files that are not pages and read the records
    /// (`render::record_files`), made again on every rebuild.
    others: Vec<String>,
    /// The paths of the files made from the figures, charts and theme alone
    /// (`render::figure_files`), made again only with those.
    figure_files: Vec<String>,
    /// Every page's fingerprint (`registry::Print`) with the templates in `tera`: a page
    /// whose fingerprint is unchanged is not rendered again.
    prints: Prints,
}

impl Live {
    pub fn new(root: &Path, as_of: Option<NaiveDate>) -> Live {
        Live {
            root: root.to_path_buf(),
            as_of,
            last: None,
            reuse: Reuse::default(),
        }
    }

    /// The files of the last good build.
    pub fn files(&self) -> Option<&SiteFiles> {
        self.last.as_ref().map(|l| &l.files)
    }

    /// Rebuilds after `changed` (paths relative to the root): a full build when there is
    /// no good build yet, else only what the changes reach. On failure the next rebuild is
    /// a full one. `Ok(None)` when no changed file is read by the build. `stage` is called
    /// after each step with its name (`load`, `metrics`, `render`, `others`), so the caller
    /// can time them; in a rebuild `render` includes the files made from the figures, made
    /// beside the pages.
    pub fn rebuild(
        &mut self,
        changed: &[String],
        stage: &mut dyn FnMut(&'static str),
    ) -> Result<Option<Rebuilt>, Failure> {
        let changes: Vec<(&str, Change)> = changed
            .iter()
            .filter_map(|p| Some((p.as_str(), classify(p)?)))
            .collect();
        let last = match self.last.take() {
            Some(last) if changes.iter().all(|(_, c)| *c != Change::Full) => last,
            Some(last) if changes.is_empty() => last,
            _ => return self.full(stage).map(Some),
        };
        if changes.is_empty() {
            self.last = Some(last);
            return Ok(None);
        }
        let (last, rebuilt) = last.update(&self.root, self.as_of, &changes, &self.reuse, stage)?;
        self.last = Some(last);
        Ok(Some(rebuilt))
    }

    /// Builds the whole site; `stage` as for `rebuild`.
    pub fn full(&mut self, stage: &mut dyn FnMut(&'static str)) -> Result<Rebuilt, Failure> {
        self.last = None;
        let stages = stages(&self.root, self.as_of, Some(&self.reuse), stage)?;
        let tera = parse_theme(&stages.loaded.theme)?;
        let mut last = Last {
            stages,
            tera,
            files: SiteFiles::new(),
            pages: BTreeMap::new(),
            others: Vec::new(),
            figure_files: Vec::new(),
            prints: Prints::default(),
        };
        let keys = RecordKeys::default();
        let pages = last.render(KINDS, &[], &keys, Figured::Anew, &self.reuse.charts, stage)?;
        let rebuilt = Rebuilt {
            full: true,
            kinds: KINDS.iter().map(|k| k.name).collect(),
            pages,
            figures: true,
            warnings: last.stages.warnings.len(),
        };
        self.last = Some(last);
        Ok(rebuilt)
    }
}

impl Last {
    /// Applies one batch of changes (none of them `Change::Full`).
    fn update(
        self,
        root: &Path,
        as_of: Option<NaiveDate>,
        changes: &[(&str, Change)],
        reuse: &Reuse,
        stage: &mut dyn FnMut(&'static str),
    ) -> Result<(Last, Rebuilt), Failure> {
        let memo = &reuse.charts;
        let Last {
            stages,
            mut tera,
            mut files,
            pages,
            others,
            figure_files,
            mut prints,
        } = self;
        let Stages {
            loaded,
            mut problems,
            warnings: _,
            report: old_report,
            charts: old_charts,
        } = stages;
        let Loaded {
            config,
            mut ds,
            calendar: old_calendar,
            mut theme,
            date_set_by: old_date_set_by,
        } = loaded;
        let has = |f: &dyn Fn(&Change) -> bool| changes.iter().any(|(_, c)| f(c));
        let mut old_ds = None;
        if has(&|c| matches!(c, Change::Data(_))) {
            let slos = std::mem::take(&mut ds.slos);
            let (mut fresh, d) =
                load::load_data_with(root, &config, slos, Some(&reuse.tables), false);
            problems.data = d;
            load::attach_content(&mut fresh, load::take_content(&mut ds), root);
            fresh.snapshots = std::mem::take(&mut ds.snapshots);
            fresh.inputs = std::mem::take(&mut ds.inputs);
            old_ds = Some(std::mem::replace(&mut ds, fresh));
        }
        let mut old_retros = None;
        if has(&|c| matches!(c, Change::Content(_))) {
            old_retros = Some(std::mem::take(&mut ds.retros));
            let (content, d) = load::content::load_content(root);
            problems.content = d;
            load::attach_content(&mut ds, content, root);
        }
        for (path, _) in changes {
            let path = path.trim_start_matches("./");
            if !snapshots::digested(path) {
                continue;
            }
            match snapshots::digest(root, path) {
                Some(d) => ds.inputs.insert(path.to_string(), d),
                None => ds.inputs.remove(path),
            };
        }
        let templated = has(&|c| matches!(c, Change::Template(_)));
        if templated {
            theme = reload_theme(root, &config, &mut problems);
        }
        let (loaded, mut warnings) = check_inputs(config, ds, theme, &problems, as_of)
            .map_err(|(d, _)| Failure::Invalid(d))?;
        if templated {
            tera = parse_theme(&loaded.theme)?;
            // The fingerprints leave the templates out: new templates render every page anew.
            prints.clear();
        }
        let sources: BTreeSet<Source> = changes
            .iter()
            .filter_map(|(_, c)| match c {
                Change::Data(s) => *s,
                Change::Content(s) => Some(*s),
                _ => None,
            })
            .collect();
        let dated = loaded.calendar != old_calendar || loaded.date_set_by != old_date_set_by;
        // Retro prose alone moves no figure: it reaches only the pages showing the prose of
        // the retros edited.
        let prose = !dated
            && sources.iter().all(|s| *s == Source::Retros)
            && old_retros
                .as_ref()
                .is_some_and(|old| retro::same_figures(old, &loaded.ds.retros));
        let keys = match (prose, &old_retros) {
            (true, Some(old)) => edited(old, &loaded.ds.retros),
            _ => RecordKeys::default(),
        };
        stage("load");
        let figures = !prose && (dated || sources.iter().any(|s| FIGURES.contains(s)));
        // With new figures, the old ones stay until the files made from them are compared.
        // The SLO figures stand while the SLO definitions and SLI rows do.
        let same_slis = old_ds
            .as_ref()
            .is_none_or(|old| old.slos == loaded.ds.slos && old.sli == loaded.ds.sli);
        let (mut new_report, new_charts, previous) = if figures {
            let kept = same_slis.then_some(&old_report);
            let new = report_reusing(&loaded, kept);
            (new, None, Some((old_report, old_charts)))
        } else {
            (old_report, Some(old_charts), None)
        };
        let old_groups = format!("{:?}", new_report.quality.warnings);
        finish_report(&mut new_report, &loaded, &mut warnings)?;
        let warned = old_groups != format!("{:?}", new_report.quality.warnings);
        let new_charts = new_charts
            .unwrap_or_else(|| charts::build(&loaded.config, &loaded.ds, &new_report, Some(memo)));
        stage("metrics");
        // A change to deployments alone reaches an incident's page only through the
        // incident's facts and the deployment it names: only the pages of the incidents
        // whose those differ are made again.
        let narrowed = match (&previous, &old_ds) {
            (Some((old_report, _)), Some(old))
                if !dated && sources.iter().all(|s| *s == Source::Deployments) =>
            {
                touched_incidents(old, old_report, &loaded.ds, &new_report)
            }
            _ => None,
        };
        // Every page's frame shows the report date: a new one reaches every kind.
        let mut kinds: Vec<Kind> = Vec::new();
        let mut add = |ks: Vec<&'static Kind>| {
            for k in ks {
                if !kinds.contains(k) {
                    kinds.push(*k);
                }
            }
        };
        if loaded.calendar != old_calendar {
            add(KINDS.iter().collect());
        }
        if !prose {
            for s in &sources {
                add(reached_by(*s));
            }
        }
        for (_, c) in changes {
            if let Change::Template(t) = c {
                add(reached_by_template(t));
            }
        }
        if warned {
            add(reached_by(Source::Warnings));
        }
        let mut last = Last {
            stages: Stages {
                loaded,
                problems,
                warnings,
                report: new_report,
                charts: new_charts,
            },
            tera,
            files: std::mem::take(&mut files),
            pages,
            others,
            figure_files,
            prints,
        };
        let (keyed, keys): (Vec<Kind>, RecordKeys) = match (prose, narrowed) {
            (true, _) => (
                reached_by(Source::RetroProse)
                    .into_iter()
                    .filter(|k| !kinds.contains(k))
                    .copied()
                    .collect(),
                keys,
            ),
            (false, Some(incidents)) => (
                KINDS
                    .iter()
                    .filter(|k| k.name == INCIDENT)
                    .copied()
                    .collect(),
                RecordKeys {
                    incidents,
                    ..RecordKeys::default()
                },
            ),
            (false, None) => (Vec::new(), keys),
        };
        let kinds: Vec<Kind> = KINDS
            .iter()
            .filter(|k| kinds.contains(k) && !keyed.contains(k))
            .copied()
            .collect();
        let made = match (&previous, templated) {
            (Some((r, c)), _) => Figured::Since(r, c),
            (None, true) => Figured::Anew,
            (None, false) => Figured::Kept,
        };
        let rendered = last.render(&kinds, &keyed, &keys, made, memo, stage)?;
        // The old figures and dataset are freed off the rebuild's path.
        rayon::spawn(move || drop((previous, old_ds)));
        let rebuilt = Rebuilt {
            full: false,
            kinds: KINDS
                .iter()
                .filter(|k| kinds.contains(k) || keyed.contains(k))
                .map(|k| k.name)
                .collect(),
            pages: rendered,
            figures,
            warnings: last.stages.warnings.len(),
        };
        Ok((last, rebuilt))
    }

    /// Renders the pages of `kinds` in place of their previous pages, the pages of `keyed`
    /// kinds that show the records `keys` names in place of the same pages, and the files
    /// that are not pages (those made from figures, charts and theme as `figures` says);
    /// a page whose fingerprint is unchanged keeps its bytes. Returns how many pages were
    /// rendered.
    fn render(
        &mut self,
        kinds: &[Kind],
        keyed: &[Kind],
        keys: &RecordKeys,
        figures: Figured,
        memo: &Memo,
        stage: &mut dyn FnMut(&'static str),
    ) -> Result<usize, Failure> {
        let mut input: RenderInput = self.stages.render_input();
        input.memo = Some(memo);
        let tera = &self.tera;
        let prints = Some(&self.prints);
        // A whole build renders kind after kind, holding one kind's views at a time; a
        // rebuild's few kinds side by side.
        let side_by_side = !matches!(figures, Figured::Anew);
        let previous = match figures {
            Figured::Kept => None,
            Figured::Anew => Some(None),
            Figured::Since(r, c) => Some(Some((r, c))),
        };
        let pages = || {
            let pages =
                |kinds, keys| render::render_pages(&input, tera, kinds, keys, prints, side_by_side);
            Ok::<_, Failure>((
                pages(kinds, None).map_err(Failure::Render)?,
                pages(keyed, Some(keys)).map_err(Failure::Render)?,
            ))
        };
        let figure_files = || {
            previous.map(|previous| {
                let made = crate::output::Collect::default();
                let Ok(kept) = render::figure_files(&input, previous, &|f| made.put(f));
                (kept, made)
            })
        };
        // A rebuild makes the files of the figures beside the pages.
        let (pages, figure_files) = match side_by_side {
            true => rayon::join(pages, figure_files),
            false => (pages(), figure_files()),
        };
        let (by_kind, some) = pages?;
        stage("render");
        let mut rendered = 0;
        for (kind, new) in some {
            let paths = self.pages.entry(kind).or_default();
            for f in new {
                if !paths.iter().any(|p| p == f.path()) {
                    paths.push(f.path().to_string());
                }
                rendered += keep(&mut self.files, &mut self.prints, f);
            }
        }
        for (kind, new) in by_kind {
            let now: BTreeSet<&str> = new.iter().map(PageFile::path).collect();
            for old in self.pages.remove(kind).unwrap_or_default() {
                if !now.contains(old.as_str()) {
                    self.files.remove(&old);
                    self.prints.remove(&old);
                }
            }
            let paths = new.iter().map(|f| f.path().to_string()).collect();
            self.pages.insert(kind, paths);
            for f in new {
                rendered += keep(&mut self.files, &mut self.prints, f);
            }
        }
        for old in std::mem::take(&mut self.others) {
            self.files.remove(&old);
        }
        let page_paths: Vec<&str> = self.pages.values().flatten().map(String::as_str).collect();
        for f in render::record_files(&input, &page_paths) {
            self.others.push(f.path.clone());
            self.files.insert(f.path, Arc::from(f.bytes));
        }
        if let Some((kept, made)) = figure_files {
            let kept: BTreeSet<String> = kept.into_iter().collect();
            for old in std::mem::take(&mut self.figure_files) {
                match kept.contains(&old) {
                    true => self.figure_files.push(old),
                    false => drop(self.files.remove(&old)),
                }
            }
            for f in made.into_files() {
                self.figure_files.push(f.path.clone());
                self.files.insert(f.path, Arc::from(f.bytes));
            }
        }
        stage("others");
        Ok(rendered)
    }
}

/// Which of the files made from the figures, charts and theme a rebuild makes again.
enum Figured<'a> {
    /// None: the figures, charts and theme are the ones they were made from.
    Kept,
    /// All of them (a first build, or new templates).
    Anew,
    /// Those whose scope's figures or chart differ from these, the ones they were made from.
    Since(&'a metrics::Report, &'a Charts),
}

/// Puts a page `render_pages` made into `files` with its fingerprint; 1 when it was
/// rendered, 0 when its earlier bytes stand.
fn keep(files: &mut SiteFiles, prints: &mut Prints, page: PageFile) -> usize {
    match page {
        PageFile::New(f, print) => {
            if let Some(p) = print {
                prints.insert(f.path.clone(), p);
            }
            files.insert(f.path, Arc::from(f.bytes));
            1
        }
        PageFile::Same(_) => 0,
    }
}

/// The kind of page each incident has.
const INCIDENT: &str = "incident";

/// The ids of the incidents whose page a change to deployments alone can have changed:
/// those whose row, facts (`IncidentFacts`: daily figures, status, retro, repeat) or named
/// deployment differ between the `old` dataset and report and the `new` ones. `None` when
/// the incidents or services themselves moved (a different count or numbering), when every
/// incident page is made again.
fn touched_incidents(
    old: &Dataset,
    old_report: &metrics::Report,
    new: &Dataset,
    new_report: &metrics::Report,
) -> Option<BTreeSet<String>> {
    if old.incidents.len() != new.incidents.len()
        || old.services.names() != new.services.names()
        || old_report.incidents.visible != new_report.incidents.visible
    {
        return None;
    }
    let (a, b) = (&old_report.incidents, &new_report.incidents);
    fn named(ds: &Dataset, i: usize) -> Option<(Option<Deployment>, Option<&str>)> {
        let d = ds.incidents[i].caused_by? as usize;
        Some((ds.deployments.get(d).copied(), ds.deploy_ids.get(d)))
    }
    let touched = (0..new.incidents.len())
        .filter(|&i| {
            old.incidents[i] != new.incidents[i]
                || a.daily[i] != b.daily[i]
                || a.status[i] != b.status[i]
                || a.retro_of[i] != b.retro_of[i]
                || a.repeat_of[i] != b.repeat_of[i]
                || a.time_to_retro[i] != b.time_to_retro[i]
                || named(old, i) != named(new, i)
        })
        .map(|i| new.incidents[i].id.clone())
        .collect();
    Some(touched)
}

/// The retros whose prose differs between `old` and `new` (the same retros in the same
/// order, `retro::same_figures`), and their incidents.
fn edited(old: &[Retro], new: &[Retro]) -> RecordKeys {
    let mut keys = RecordKeys::default();
    for (o, n) in old.iter().zip(new) {
        if o != n {
            keys.retros.insert(n.slug.clone());
            keys.incidents.insert(n.incident.clone());
        }
    }
    keys
}

/// The theme's templates laid over the defaults, parsed.
fn parse_theme(theme: &ThemeFiles) -> Result<tera::Tera, Failure> {
    render::templates(&render::theme::with_overrides(theme)).map_err(Failure::Render)
}

fn reload_theme(
    root: &Path,
    config: &crate::config::Config,
    problems: &mut InputProblems,
) -> ThemeFiles {
    problems.theme = crate::diag::Diagnostics::new();
    load::theme::load_theme(root, &config.theme, config.theme_at, &mut problems.theme)
}

#[cfg(test)]
#[path = "live_tests.rs"]
mod tests;
