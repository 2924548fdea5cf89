//! Model: the compact in-memory dataset that `load` returns and `metrics` reads.
//! Ids are interned to `u32`, timestamps are `i64` seconds since the Unix epoch (UTC).

mod id_list;

pub use id_list::IdList;

use crate::config::SloDef;
use chrono::NaiveDate;
use rustc_hash::FxHashMap;

/// Seconds since 1970-01-01T00:00:00Z.
pub type Ts = i64;

pub const HOUR: i64 = 3600;
pub const DAY: i64 = 86_400;

/// Maps strings to dense `u32` ids and back.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    names: Vec<String>,
    index: FxHashMap<String, u32>,
}

impl Interner {
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.index.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), id);
        id
    }

    pub fn get(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeployStatus {
    Success,
    RolledBack,
    Failed,
}

/// One row of `data/deployments.csv`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Deployment {
    pub service: u32,
    pub at: Ts,
    pub status: DeployStatus,
    pub production: bool,
    pub rework: Option<bool>,
}

impl Deployment {
    /// Counted deployments: production, and `success` or `rolled_back`.
    pub fn counted(&self) -> bool {
        self.production && self.status != DeployStatus::Failed
    }
}

/// One row of `data/changes.csv`; `deploy` indexes `Dataset::deployments`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub service: u32,
    pub committed_at: Ts,
    pub deploy: Option<u32>,
}

/// One row of `data/incidents.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub id: String,
    pub service: u32,
    /// 1 (worst) to 4.
    pub severity: u8,
    pub started_at: Ts,
    pub detected_at: Option<Ts>,
    pub acknowledged_at: Option<Ts>,
    pub resolved_at: Option<Ts>,
    /// Index into `Dataset::deployments`.
    pub caused_by: Option<u32>,
    /// Interned in `Dataset::causes`.
    pub cause: Option<u32>,
    pub title: String,
    /// CSV line, for diagnostics.
    pub line: u32,
}

/// One row of `data/sli.csv`; `slo` indexes `Dataset::slos`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SliRow {
    pub slo: u32,
    pub at: Ts,
    pub good: u64,
    pub total: u64,
}

/// One row of `data/pages.csv`: an on-call page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageEvent {
    pub service: u32,
    pub at: Ts,
    pub actionable: bool,
    pub after_hours: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AnnotationKind {
    Incident,
    Launch,
    Staffing,
    Migration,
    Oncall,
    Freeze,
    Intervention,
    Definition,
}

impl AnnotationKind {
    pub const ALL: [AnnotationKind; 8] = [
        AnnotationKind::Incident,
        AnnotationKind::Launch,
        AnnotationKind::Staffing,
        AnnotationKind::Migration,
        AnnotationKind::Oncall,
        AnnotationKind::Freeze,
        AnnotationKind::Intervention,
        AnnotationKind::Definition,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            AnnotationKind::Incident => "incident",
            AnnotationKind::Launch => "launch",
            AnnotationKind::Staffing => "staffing",
            AnnotationKind::Migration => "migration",
            AnnotationKind::Oncall => "oncall",
            AnnotationKind::Freeze => "freeze",
            AnnotationKind::Intervention => "intervention",
            AnnotationKind::Definition => "definition",
        }
    }

    pub fn parse(text: &str) -> Option<AnnotationKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// Who an annotation is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Org,
    /// A team id from the config.
    Team(String),
    /// A service id.
    Service(String),
}

impl Scope {
    /// `org`, `team:ID` or `service:ID`.
    pub fn key(&self) -> String {
        match self {
            Scope::Org => "org".to_string(),
            Scope::Team(t) => format!("team:{t}"),
            Scope::Service(s) => format!("service:{s}"),
        }
    }
}

/// One row of `data/annotations.csv`, or one derived automatically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    pub date: NaiveDate,
    /// Inclusive last day of a range; `None` for a single day.
    pub end_date: Option<NaiveDate>,
    pub scope: Scope,
    pub kind: AnnotationKind,
    pub title: String,
    pub link: Option<String>,
}

/// An action item from a retro's front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItem {
    pub title: String,
    pub team: String,
    pub due: NaiveDate,
    pub done: Option<NaiveDate>,
    /// Line of the item in the retro file, for diagnostics.
    pub line: u32,
}

/// Whether an action item due on `due` and not done is overdue on `day`: only once its due
/// day has passed (an item due today is open, not overdue). The one overdue rule, for the
/// check warning, the backlog figures, the board and the retro pages alike.
pub fn past_due(due: NaiveDate, day: NaiveDate) -> bool {
    due < day
}

/// A retro from `content/retros/*.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct Retro {
    /// Path relative to the site root.
    pub path: String,
    pub slug: String,
    pub title: String,
    pub incident: String,
    /// Line of the `incident` key in the file, for diagnostics.
    pub incident_line: u32,
    pub published_at: Ts,
    pub action_items: Vec<ActionItem>,
    /// Ids of earlier incidents this retro's incident repeats (front matter `repeats`),
    /// as written; `load::validate` checks each against `data/incidents.csv`.
    pub repeats: Vec<String>,
    /// Line of the `repeats` key in the file (0 without one), for diagnostics.
    pub repeats_line: u32,
    pub contributing_factors: Vec<String>,
    /// The markdown body, as written (render turns it into sanitised HTML).
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Lower,
    Higher,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangelogEntry {
    pub version: String,
    pub date: NaiveDate,
    pub note: String,
}

/// A metric definition from `content/metrics/*.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricDef {
    pub path: String,
    pub id: String,
    pub name: String,
    pub version: String,
    /// Line of the `version` key in the file (0 when unknown), for diagnostics.
    pub version_line: u32,
    pub owner: String,
    pub unit: String,
    pub better: Better,
    /// Relative change below which a period-over-period move reads "unchanged".
    pub tolerance: f64,
    pub changelog: Vec<ChangelogEntry>,
    /// The markdown body, as written (render turns it into sanitised HTML).
    pub body: String,
}

/// What a weekly review decided about the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Continue,
    Adjust,
    Investigate,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Continue, Decision::Adjust, Decision::Investigate];

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Continue => "continue",
            Decision::Adjust => "adjust",
            Decision::Investigate => "investigate",
        }
    }
}

/// A weekly review's decision, from `content/reviews/<YYYY-Www>.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekDecision {
    pub path: String,
    /// The ISO week, `2026-W39`, from the file name.
    pub week: String,
    pub decision: Decision,
    /// The optional `notes` of the front matter.
    pub notes: String,
    /// The markdown body, as written.
    pub body: String,
}

/// A plain markdown page (governance, reports).
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub path: String,
    pub slug: String,
    pub title: String,
    /// Optional `date` or `period` from the front matter, shown under the title.
    pub subtitle: Option<String>,
    /// The markdown body, as written (render turns it into sanitised HTML).
    pub body: String,
}

/// A quarter's narrative, `content/reports/<yyyy-qn>.md`: the prose of the generated
/// quarterly report, its goals and the figures it quotes.
#[derive(Debug, Clone, PartialEq)]
pub struct Narrative {
    pub path: String,
    /// `2026-Q3`, from the file name.
    pub quarter: String,
    /// The front matter `title`, if any.
    pub title: Option<String>,
    /// The markdown body, as written; `figures` point into it.
    pub body: String,
    pub goals: Vec<Goal>,
    /// Every `{{ figure(...) }}` shortcode of the body, in order.
    pub figures: Vec<FigureRef>,
    /// The whole file as written, front matter included, which a publication freezes.
    pub text: String,
}

/// A goal from a narrative's `[[goals]]`: a target value, or a target change relative to
/// the previous quarter (`-0.20` is a 20% fall).
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub metric: String,
    /// A scope key: `org`, `team:ID` or `service:ID` (a bare team or service id is
    /// accepted in the file and resolved by metrics).
    pub scope: String,
    pub target: Option<f64>,
    pub target_change: Option<f64>,
    /// Line of the goal in the file.
    pub line: u32,
}

/// A `{{ figure(metric="...", scope="...") }}` shortcode in a narrative.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureRef {
    /// Byte range of the whole shortcode in the body.
    pub start: usize,
    pub end: usize,
    pub metric: String,
    pub scope: String,
    /// `previous=true`: the previous quarter's value.
    pub previous: bool,
    /// Position in the file.
    pub line: u32,
    pub column: u32,
}

/// A published quarter's snapshot file.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub path: String,
    pub file: crate::published::SnapshotFile,
}

/// Which optional inputs exist: absent files mean `null` figures, never zeros.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Present {
    pub deployments: bool,
    pub rework: bool,
    pub changes: bool,
    pub incidents: bool,
    pub detected: bool,
    pub acknowledged: bool,
    pub sli: bool,
    pub pages: bool,
    pub retros: bool,
}

/// The latest timestamp of a data file and the row it is on; the latest of all sets the
/// default report date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Latest {
    pub at: Ts,
    pub path: &'static str,
    pub line: u32,
}

impl Latest {
    /// The later of two; on a tie the first (the earlier file of the registry) stays.
    pub fn max(a: Option<Latest>, b: Option<Latest>) -> Option<Latest> {
        match (a, b) {
            (Some(x), Some(y)) if y.at > x.at => Some(y),
            (Some(x), _) => Some(x),
            (None, y) => y,
        }
    }
}

impl Dataset {
    /// Frees the event rows that only `metrics` reads (changes, SLI rows, pages; not the
    /// deployments, whose rows incident pages name), once a build has computed the one report
    /// it makes: charts and render read the dataset through `Records`, which holds none of them.
    pub fn release_events(&mut self) {
        self.changes = Vec::new();
        self.sli = Vec::new();
        self.pages = Vec::new();
    }

    /// Takes a table's latest timestamp into `latest` and `latest_row`.
    pub fn note_latest(&mut self, table: Option<Latest>) {
        self.latest_row = Latest::max(self.latest_row, table);
        self.latest = self.latest_row.map(|l| l.at);
    }
}

/// Everything loaded from one site root.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub services: Interner,
    /// Owning team (index into `Config::teams`) per service id.
    pub service_team: Vec<Option<u32>>,
    pub deployments: Vec<Deployment>,
    pub deploy_ids: IdList,
    pub changes: Vec<Change>,
    pub incidents: Vec<Incident>,
    /// Incident ids whose rows were refused for a bad field (each reported on its row), with
    /// the row's line: a retro naming one is told so, not that the incident does not exist.
    pub refused_incidents: std::collections::BTreeMap<String, u32>,
    pub causes: Interner,
    pub slos: Vec<SloDef>,
    pub sli: Vec<SliRow>,
    pub pages: Vec<PageEvent>,
    pub annotations: Vec<Annotation>,
    pub retros: Vec<Retro>,
    pub metric_defs: Vec<MetricDef>,
    pub governance: Vec<Doc>,
    pub reports: Vec<Doc>,
    /// The quarterly narratives, by path.
    pub narratives: Vec<Narrative>,
    /// The published quarters' snapshots, by path.
    pub snapshots: Vec<Snapshot>,
    /// The SHA-256 of every input file (almanac.toml, data/, content/ but snapshots), by path.
    pub inputs: std::collections::BTreeMap<String, String>,
    /// The weekly reviews' decisions, by week.
    pub reviews: Vec<WeekDecision>,
    pub present: Present,
    /// The latest timestamp anywhere in `data/`.
    pub latest: Option<Ts>,
    /// The row holding `latest` (the first file of the registry on a tie).
    pub latest_row: Option<Latest>,
}
