//! Page registry: every kind of page the site has, as data: its path pattern, template,
//! view type (through `PageKind::View`) and the inputs it depends on. `pages` walks the
//! registry and returns the pages of the kinds asked for; `reached_by` says which kinds a
//! changed input file reaches, for `diff` and an incremental `serve`.
//!
//! Adding a page is one `PageKind` impl (a view struct and the function that makes the
//! views from the `Site`) plus one line in `registry!` below.

use crate::render::context::{base, context, Base};
use crate::render::site::Site;
use crate::render::Page;
use crate::render::{
    actions, content, docs, errors, incident_page, incidents, monthly, pages, quality, reports,
    reviews, slo_page,
};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeSet;

/// An input of the site that pages depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// `almanac.toml`: title, timezone, as_of, teams, `[[slo]]`.
    Config,
    Deployments,
    Changes,
    Incidents,
    Sli,
    Pages,
    Annotations,
    /// `data/slos/*.yaml` (OpenSLO); `[[slo]]` in the config is `Config`.
    Slos,
    Retros,
    /// A retro's prose: its body and the contributing factors listed in it. No figure
    /// reads it (`metrics::retro::same_figures`), so an edit to it alone reaches only the
    /// kinds that show it, and of those only the pages of the retros edited.
    RetroProse,
    MetricDefs,
    Governance,
    Reports,
    /// `content/reviews/*.md`: the weekly reviews' decisions.
    Reviews,
    /// The warnings `check` finds in every input (the data-quality page lists them): an
    /// edit to any input can add or remove one.
    Warnings,
}

impl Source {
    pub const ALL: [Source; 15] = [
        Source::Config,
        Source::Deployments,
        Source::Changes,
        Source::Incidents,
        Source::Sli,
        Source::Pages,
        Source::Annotations,
        Source::Slos,
        Source::Retros,
        Source::RetroProse,
        Source::MetricDefs,
        Source::Governance,
        Source::Reports,
        Source::Reviews,
        Source::Warnings,
    ];

    /// The input a file belongs to, from its path relative to the site root; `None` for a
    /// file that no page reads (theme files are matched by template, see `Kind::template`).
    pub fn of_path(path: &str) -> Option<Source> {
        let path = path.trim_start_matches("./");
        let under = |dir: &str| path.starts_with(dir) && path.ends_with(".md");
        Some(match path {
            "almanac.toml" => Source::Config,
            "data/deployments.csv" => Source::Deployments,
            "data/changes.csv" => Source::Changes,
            "data/incidents.csv" => Source::Incidents,
            "data/sli.csv" => Source::Sli,
            "data/pages.csv" => Source::Pages,
            "data/annotations.csv" => Source::Annotations,
            _ if path.starts_with("data/slos/") => Source::Slos,
            _ if under("content/retros/") => Source::Retros,
            _ if under("content/metrics/") => Source::MetricDefs,
            _ if under("content/governance/") => Source::Governance,
            _ if under("content/reports/") => Source::Reports,
            _ if under("content/reviews/") => Source::Reviews,
            _ => return None,
        })
    }
}

/// Every input a figure of the `Report` reads: a page showing figures depends on all of
/// them (a retro's dates move the learning-loop figures, a definition's better direction
/// moves a verdict, an annotation moves a before/after result).
pub const FIGURES: &[Source] = &[
    Source::Config,
    Source::Deployments,
    Source::Changes,
    Source::Incidents,
    Source::Sli,
    Source::Pages,
    Source::Annotations,
    Source::Slos,
    Source::Retros,
    Source::MetricDefs,
];

/// `base` and then `extra`, as an array of `N` sources (checked at compile time).
const fn with<const N: usize>(base: &[Source], extra: Source) -> [Source; N] {
    assert!(N == base.len() + 1, "N is one more than base's length");
    let mut out = [extra; N];
    let mut i = 0;
    while i < base.len() {
        out[i] = base[i];
        i += 1;
    }
    out
}

/// What a weekly review page reads: every figure, and the review decisions.
pub const FIGURES_AND_REVIEWS: &[Source] = &with::<11>(FIGURES, Source::Reviews);

/// What the data-quality page reads: every figure, and the check warnings.
pub const FIGURES_AND_WARNINGS: &[Source] = &with::<11>(FIGURES, Source::Warnings);

/// What a quarterly report reads: every figure, its narrative and its snapshot.
pub const REPORT_INPUTS: &[Source] = &with::<11>(FIGURES, Source::Reports);

/// One kind of page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// A short name: `dashboard`, `team`, `incident`, ...
    pub name: &'static str,
    /// Where its pages go, `{...}` standing for the part that varies.
    pub pattern: &'static str,
    /// The theme template that renders its view.
    pub template: &'static str,
    /// The inputs its views are made from. Every page's frame also shows the site title
    /// and the report date, which `Config` and (with no `as_of`) the latest data set.
    pub reads: &'static [Source],
}

/// One page of a kind: where it goes, its title and its view.
pub struct PageOf<V> {
    pub path: String,
    pub title: String,
    pub view: V,
}

/// Records named by key, the ones an edit touched: retros by slug, incidents by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordKeys {
    pub retros: BTreeSet<String>,
    pub incidents: BTreeSet<String>,
}

/// A kind of page and the function that makes every page of it.
pub trait PageKind {
    /// Everything one page of this kind shows, and nothing else.
    type View: Serialize + Send;
    const KIND: Kind;
    /// Every page of this kind.
    fn pages(site: &Site) -> Vec<PageOf<Self::View>>;
    /// Hands every page of this kind to `f` in parallel, stopping at the first error. By
    /// default the views are all made first (`pages`); a kind with many large views (the
    /// incident, retro and week pages) makes each inside the parallel loop, so only the
    /// views being rendered are held at once.
    fn each_page<E: Send>(
        site: &Site,
        f: &(impl Fn(PageOf<Self::View>) -> Result<(), E> + Sync),
    ) -> Result<(), E> {
        Self::pages(site).into_par_iter().try_for_each(f)
    }
    /// The first page of this kind, if it has any (what `check` renders to test the
    /// theme). A kind that overrides `each_page` makes only that view here, not every one.
    fn first_page(site: &Site) -> Option<PageOf<Self::View>> {
        Self::pages(site).into_iter().next()
    }
    /// The pages of this kind that show one of the records `keys` names, for a rebuild
    /// that replaces only those; every page unless a kind says otherwise.
    fn pages_for(site: &Site, keys: &RecordKeys) -> Vec<PageOf<Self::View>> {
        let _ = keys;
        Self::pages(site)
    }
}

/// One page of kind `K` with its template and context (the view plus the frame).
fn framed<K: PageKind>(site: &Site, p: PageOf<K::View>) -> Page {
    let frame = base(&site.config.title, site.report, &p.path, &p.title);
    page_of::<K>(frame, p)
}

fn page_of<K: PageKind>(frame: Base, p: PageOf<K::View>) -> Page {
    Page {
        context: context(frame, &p.view),
        path: p.path,
        template: K::KIND.template,
        kind: K::KIND.name,
    }
}

/// A page's fingerprint: a 128-bit hash of its template's name, its frame and its view,
/// everything its bytes are made from besides the templates themselves. With the same
/// templates, a page whose fingerprint is the same renders to the same bytes.
pub type Print = u128;

/// The fingerprints of the pages an earlier build rendered, by path.
pub type Prints = rustc_hash::FxHashMap<String, Print>;

/// A page made by `each_page`.
pub enum Made {
    /// A page to render; with `Prints`, its fingerprint.
    Page(Page, Option<Print>),
    /// A page whose fingerprint is in `Prints`: its earlier bytes stand.
    Same { kind: &'static str, path: String },
}

fn fingerprint(template: &str, frame: &Base, view: &impl Serialize) -> Print {
    super::digest::digest(&[&template, frame, view])
}

/// Every page of kind `K` (with `keys`, those showing the records it names), framed and
/// handed to `f` in parallel; with `prints`, a page whose fingerprint is unchanged is
/// handed as `Made::Same` without its context. Stops at the first error.
fn each<K: PageKind, E: Send>(
    site: &Site,
    keys: Option<&RecordKeys>,
    prints: Option<&Prints>,
    f: &(impl Fn(Made) -> Result<(), E> + Sync),
) -> Result<(), E> {
    let one = |p: PageOf<K::View>| {
        let frame = base(&site.config.title, site.report, &p.path, &p.title);
        let Some(prints) = prints else {
            return f(Made::Page(page_of::<K>(frame, p), None));
        };
        let print = fingerprint(K::KIND.template, &frame, &p.view);
        match prints.get(&p.path) == Some(&print) {
            true => f(Made::Same {
                kind: K::KIND.name,
                path: p.path,
            }),
            false => f(Made::Page(page_of::<K>(frame, p), Some(print))),
        }
    };
    match keys {
        Some(keys) => K::pages_for(site, keys).into_par_iter().try_for_each(one),
        None => K::each_page(site, &one),
    }
}

/// The first page of kind `K`, if it has any.
fn sample<K: PageKind>(site: &Site) -> Option<Page> {
    K::first_page(site).map(|p| framed::<K>(site, p))
}

macro_rules! registry {
    ($($kind:ty),* $(,)?) => {
        /// Every kind of page, in the order they are built.
        pub const KINDS: &[Kind] = &[$(<$kind as PageKind>::KIND),*];

        /// Hands every page of every kind `wanted` accepts (`|_| true`: every page of the
        /// site), and with `keys` only the pages of each kind that show the records it names
        /// (`PageKind::pages_for`), to `f`, each kind's pages in parallel. Kind after kind in
        /// registry order, so only one kind's views are held at once; or, `side_by_side`,
        /// the kinds too in parallel (for a rebuild of a few kinds, most of them a page or
        /// two, which one after the other would leave a core idle). With `prints`, the pages
        /// whose fingerprint is unchanged come as `Made::Same`. The error returned is the
        /// first in registry order, whichever kind met its error first.
        pub fn each_page<E: Send>(
            site: &Site,
            wanted: &dyn Fn(&Kind) -> bool,
            keys: Option<&RecordKeys>,
            prints: Option<&Prints>,
            side_by_side: bool,
            f: impl Fn(Made) -> Result<(), E> + Sync,
        ) -> Result<(), E> {
            if !side_by_side {
                $(if wanted(&<$kind as PageKind>::KIND) {
                    each::<$kind, E>(site, keys, prints, &f)?;
                })*
                return Ok(());
            }
            type Job<'a, E> = Box<dyn Fn() -> Result<(), E> + Sync + Send + 'a>;
            let mut jobs: Vec<Job<E>> = Vec::new();
            $(if wanted(&<$kind as PageKind>::KIND) {
                jobs.push(Box::new(|| each::<$kind, E>(site, keys, prints, &f)));
            })*
            let done: Vec<Result<(), E>> = jobs.par_iter().map(|job| job()).collect();
            done.into_iter().collect()
        }

        /// The first page of every kind that has one: a sample to check a theme with.
        pub fn samples(site: &Site) -> Vec<Page> {
            let mut out = Vec::new();
            $(out.extend(sample::<$kind>(site));)*
            out
        }
    };
}

registry!(
    pages::Dashboard,
    pages::OrgTrends,
    pages::TeamsIndex,
    pages::TeamPage,
    pages::ServicePage,
    slo_page::SloIndex,
    slo_page::SloPage,
    incidents::IncidentIndex,
    incidents::IncidentList,
    incident_page::IncidentPage,
    monthly::MonthlyIndex,
    monthly::MonthPage,
    reviews::WeekIndex,
    reviews::WeekPage,
    actions::ActionBoard,
    content::RetroIndex,
    content::RetroPage,
    content::MetricIndex,
    content::MetricPage,
    docs::GovernanceIndex,
    docs::GovernancePage,
    reports::ReportIndex,
    reports::QuarterReport,
    reports::ReportRevision,
    reports::LatestReport,
    docs::ReportPage,
    docs::DataContract,
    docs::Methodology,
    quality::DataQualityPage,
    errors::ErrorCatalogue,
);

/// The kinds whose pages a change to `source` can change.
pub fn reached_by(source: Source) -> Vec<&'static Kind> {
    KINDS.iter().filter(|k| k.reads.contains(&source)).collect()
}

/// The kinds a changed theme template reaches: those rendered with it, or every kind for
/// a template the others include (`base.html`, `macros.html`, ...).
pub fn reached_by_template(template: &str) -> Vec<&'static Kind> {
    let own = KINDS.iter().any(|k| k.template == template);
    KINDS
        .iter()
        .filter(|k| !own || k.template == template)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(kinds: Vec<&Kind>) -> Vec<&'static str> {
        kinds.iter().map(|k| k.name).collect()
    }

    #[test]
    fn every_kind_is_named_once_and_has_a_distinct_pattern() {
        let mut names: Vec<_> = KINDS.iter().map(|k| k.name).collect();
        let mut patterns: Vec<_> = KINDS.iter().map(|k| k.pattern).collect();
        names.sort_unstable();
        names.dedup();
        patterns.sort_unstable();
        patterns.dedup();
        assert_eq!(names.len(), KINDS.len());
        assert_eq!(patterns.len(), KINDS.len());
        assert!(KINDS.iter().all(|k| k.pattern.ends_with(".html")));
    }

    #[test]
    fn files_map_to_their_source() {
        assert_eq!(Source::of_path("almanac.toml"), Some(Source::Config));
        assert_eq!(Source::of_path("data/sli.csv"), Some(Source::Sli));
        assert_eq!(Source::of_path("data/slos/api.yaml"), Some(Source::Slos));
        assert_eq!(
            Source::of_path("content/retros/INC-1.md"),
            Some(Source::Retros)
        );
        assert_eq!(
            Source::of_path("./content/reports/2026-q3.md"),
            Some(Source::Reports)
        );
        assert_eq!(Source::of_path("content/retros/notes.txt"), None);
        assert_eq!(Source::of_path("README.md"), None);
    }

    #[test]
    fn a_governance_page_reaches_only_the_governance_pages() {
        assert_eq!(
            names(reached_by(Source::Governance)),
            ["governance-index", "governance"]
        );
    }

    #[test]
    fn a_review_decision_reaches_only_the_weekly_reviews() {
        assert_eq!(
            Source::of_path("content/reviews/2026-W39.md"),
            Some(Source::Reviews)
        );
        assert_eq!(names(reached_by(Source::Reviews)), ["week-index", "week"]);
        assert!(names(reached_by(Source::Sli)).contains(&"week"));
    }

    #[test]
    fn a_retro_reaches_the_figures_and_the_retro_and_incident_pages() {
        let reached = names(reached_by(Source::Retros));
        for kind in [
            "dashboard",
            "team",
            "service",
            "incident",
            "month",
            "actions",
            "retro-index",
            "retro",
            // A quarterly report lists the quarter's retros and open items.
            "report",
        ] {
            assert!(reached.contains(&kind), "{kind} not in {reached:?}");
        }
        // Definitions' prose and the governance pages read no retro.
        for kind in ["governance", "report-doc", "data-contract", "methodology"] {
            assert!(!reached.contains(&kind), "{kind} in {reached:?}");
        }
    }

    #[test]
    fn a_retros_prose_reaches_only_the_pages_showing_it() {
        // The retro page shows its body and factors, the incident page its factors; the
        // lists show titles, dates and counts, which a prose edit leaves alone.
        assert_eq!(names(reached_by(Source::RetroProse)), ["incident", "retro"]);
    }

    #[test]
    fn sli_rows_reach_figures_and_slo_pages_but_no_prose() {
        let reached = names(reached_by(Source::Sli));
        assert!(reached.contains(&"slo"));
        assert!(reached.contains(&"slo-index"));
        assert!(reached.contains(&"dashboard"));
        assert!(!reached.contains(&"retro"));
        assert!(!reached.contains(&"governance"));
        // A definition page shows its metric's figures under both versions of a change.
        assert!(reached.contains(&"metric"));
    }

    #[test]
    fn a_template_reaches_its_kinds_and_a_shared_one_reaches_all() {
        assert_eq!(
            names(reached_by_template("scope.html")),
            ["team", "service"]
        );
        assert_eq!(reached_by_template("base.html").len(), KINDS.len());
    }
}
