//! Published quarters: the figures a quarterly report shows (`QuarterFigures`, computed by
//! `metrics::quarterly`) and the snapshot file `almanac publish` freezes them in
//! (`content/reports/<yyyy-qn>.snapshot.json`, one entry per revision), plus the pure
//! comparison of a frozen revision with today's figures (`restatements`).
//!
//! These are data types shared by load (which reads snapshots), metrics (which computes
//! the figures) and render (which shows them), like `model.rs`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The snapshot file layout; a change to it gets a new number and a README note.
pub const SNAPSHOT_SCHEMA: u32 = 1;

/// `content/reports/<yyyy-qn>.snapshot.json`: every revision of one published quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotFile {
    pub schema: u32,
    pub quarter: String,
    /// Revision 1 first; the last one is what the quarter's report shows.
    pub revisions: Vec<Revision>,
}

/// One publication of a quarter: what was shown and what it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    pub revision: u32,
    /// The day it was published.
    pub published: NaiveDate,
    /// Why a revision after the first restates the one before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub almanac_version: String,
    pub as_of: NaiveDate,
    /// The definition version of each metric, by key.
    pub definitions: BTreeMap<String, u32>,
    /// The SHA-256 of each input file, by path from the site root.
    pub inputs: BTreeMap<String, String>,
    /// The narrative's markdown as published (`None` without one).
    pub narrative: Option<String>,
    pub figures: QuarterFigures,
}

/// Everything a quarterly report shows, for one quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuarterFigures {
    /// `2026-Q3`.
    pub quarter: String,
    pub first_day: NaiveDate,
    /// Clipped to as_of for a partial quarter.
    pub last_day: NaiveDate,
    /// True while the quarter is not over.
    pub partial: bool,
    /// The quarter compared with (`None` for the first quarter with data).
    pub previous: Option<String>,
    /// The org, then teams in config order, then services by id.
    pub scopes: Vec<ScopeQuarter>,
    /// The quarter's severity 1-2 incidents, by start.
    pub incidents: Vec<QuarterIncident>,
    /// Action items open at the end of the quarter, by due date.
    pub open_items: Vec<OpenItem>,
    /// Annotations dated in the quarter, by date.
    pub annotations: Vec<QuarterAnnotation>,
    /// The narrative's goals and how they ended.
    pub goals: Vec<GoalResult>,
    /// The org's four keys over up to six quarters ending with this one, for its charts.
    pub history: Vec<QuarterPoint>,
    /// The definition versions that took effect in this quarter, with the quarter's
    /// figures under both versions (org and teams).
    pub definition_changes: Vec<DefinitionChange>,
}

/// A definition version taking effect in the quarter, and the quarter under both versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefinitionChange {
    pub metric: String,
    pub from: u32,
    pub to: u32,
    pub date: NaiveDate,
    /// `(scope key, scope name, under from, under to)`.
    pub rows: Vec<(String, String, Option<f64>, Option<f64>)>,
}

/// The org's four keys in one quarter, for a report's charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuarterPoint {
    pub quarter: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub partial: bool,
    /// By metric key, in dashboard order.
    pub values: Vec<(String, Option<f64>)>,
}

/// One scope's quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeQuarter {
    /// `org`, `team:ID` or `service:ID`.
    pub key: String,
    pub name: String,
    /// Every catalogued figure, by metric key, in catalogue order.
    pub figures: Vec<FigureRow>,
    /// The scope's SLOs at the end of the quarter, and at the end of the previous one.
    pub slos: SloCounts,
    pub slos_previous: Option<SloCounts>,
    /// Incidents started in the quarter by severity 1 to 4, and in the previous one.
    pub severity: [u32; 4],
    pub severity_previous: Option<[u32; 4]>,
}

impl ScopeQuarter {
    pub fn figure(&self, key: &str) -> Option<&FigureRow> {
        self.figures.iter().find(|f| f.metric == key)
    }
}

/// A figure of the quarter against the previous quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureRow {
    pub metric: String,
    pub value: Option<f64>,
    pub previous: Option<f64>,
    /// `improved`, `worsened`, `unchanged`, or `n/a` (no data, or a partial quarter).
    pub verdict: String,
}

/// How a scope's SLOs stood at a day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SloCounts {
    pub met: u32,
    pub at_risk: u32,
    pub exhausted: u32,
    pub no_data: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuarterIncident {
    pub id: String,
    pub title: String,
    pub severity: u8,
    pub service: String,
    pub started: NaiveDate,
    /// The retro's slug, when one was published by the end of the quarter's report date.
    pub retro: Option<String>,
    pub retro_title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenItem {
    pub title: String,
    pub team: String,
    pub due: NaiveDate,
    pub overdue: bool,
    /// The retro's slug and incident.
    pub retro: String,
    pub incident: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuarterAnnotation {
    pub date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub kind: String,
    pub title: String,
    /// `org`, a team id or a service id.
    pub scope: String,
}

/// A goal from a narrative's front matter, and how the quarter ended against it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalResult {
    pub metric: String,
    pub scope: String,
    pub target: Option<f64>,
    pub target_change: Option<f64>,
    /// The previous quarter's value.
    pub baseline: Option<f64>,
    pub result: Option<f64>,
    /// `met`, `missed`, or `n/a` (no data, or the quarter is not over).
    pub status: String,
}

/// A figure of a published revision that today's inputs give differently.
#[derive(Debug, Clone, PartialEq)]
pub struct Restated {
    pub scope: String,
    pub scope_name: String,
    /// A metric key, or `slos_met`, `slos_at_risk`, `slos_exhausted`, `sev1`..`sev4`.
    pub figure: String,
    pub old: Option<f64>,
    pub new: Option<f64>,
}

/// Why today's figures differ from a revision's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Why {
    /// Input files added, removed or changed since the revision.
    pub inputs: Vec<String>,
    /// `(metric, old version, new version)`.
    pub definitions: Vec<(String, u32, u32)>,
}

/// Every figure of `old` that `new` gives differently, scope by scope (scopes in `old`'s
/// order; a scope missing today compares with no data).
pub fn restatements(old: &QuarterFigures, new: &QuarterFigures) -> Vec<Restated> {
    let mut out = Vec::new();
    for s in &old.scopes {
        let now = new.scopes.iter().find(|n| n.key == s.key);
        let mut push = |figure: String, a: Option<f64>, b: Option<f64>| {
            if a != b {
                out.push(Restated {
                    scope: s.key.clone(),
                    scope_name: s.name.clone(),
                    figure,
                    old: a,
                    new: b,
                });
            }
        };
        for f in &s.figures {
            let b = now.and_then(|n| n.figure(&f.metric)).and_then(|f| f.value);
            push(f.metric.clone(), f.value, b);
        }
        let counts = |c: &SloCounts| [c.met, c.at_risk, c.exhausted];
        let names = ["slos_met", "slos_at_risk", "slos_exhausted"];
        for (i, name) in names.iter().enumerate() {
            let b = now.map(|n| counts(&n.slos)[i] as f64);
            push(name.to_string(), Some(counts(&s.slos)[i] as f64), b);
        }
        for sev in 0..4 {
            let b = now.map(|n| n.severity[sev] as f64);
            push(format!("sev{}", sev + 1), Some(s.severity[sev] as f64), b);
        }
    }
    out
}

/// Which inputs and definitions differ between a revision and today.
pub fn why(
    rev: &Revision,
    inputs: &BTreeMap<String, String>,
    definitions: &BTreeMap<String, u32>,
) -> Why {
    let mut changed: Vec<String> = rev
        .inputs
        .iter()
        .filter(|(path, digest)| inputs.get(*path) != Some(digest))
        .map(|(path, _)| path.clone())
        .collect();
    changed.extend(
        inputs
            .keys()
            .filter(|p| !rev.inputs.contains_key(*p))
            .cloned(),
    );
    changed.sort();
    let defs = rev
        .definitions
        .iter()
        .filter_map(|(m, &v)| {
            let now = *definitions.get(m)?;
            (now != v).then(|| (m.clone(), v, now))
        })
        .collect();
    Why {
        inputs: changed,
        definitions: defs,
    }
}

impl SnapshotFile {
    /// The revision the report shows: the last.
    pub fn latest(&self) -> Option<&Revision> {
        self.revisions.last()
    }
}

/// The snapshot path of a quarter key: `2026-Q3` -> `content/reports/2026-q3.snapshot.json`.
pub fn snapshot_path(quarter: &str) -> String {
    format!("content/reports/{}.snapshot.json", quarter.to_lowercase())
}

/// The quarter key of a report file stem (`2026-q3` -> `2026-Q3`), `None` for another name.
pub fn quarter_of_stem(stem: &str) -> Option<String> {
    let (year, q) = stem.split_once('-')?;
    let n = q.strip_prefix('q').or_else(|| q.strip_prefix('Q'))?;
    let ok = year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && matches!(n, "1" | "2" | "3" | "4");
    ok.then(|| format!("{year}-Q{n}"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// 2026-Q2 with one scope, `org`: the change failure rate `cfr`, `met` SLOs met and one
    /// severity 2 incident.
    pub(crate) fn figures(cfr: Option<f64>, met: u32) -> QuarterFigures {
        QuarterFigures {
            quarter: "2026-Q2".into(),
            first_day: "2026-04-01".parse().unwrap(),
            last_day: "2026-06-30".parse().unwrap(),
            partial: false,
            previous: None,
            scopes: vec![ScopeQuarter {
                key: "org".into(),
                name: "Org".into(),
                figures: vec![FigureRow {
                    metric: "change_failure_rate".into(),
                    value: cfr,
                    previous: None,
                    verdict: "n/a".into(),
                }],
                slos: SloCounts {
                    met,
                    ..SloCounts::default()
                },
                slos_previous: None,
                severity: [0, 1, 0, 0],
                severity_previous: None,
            }],
            incidents: vec![],
            open_items: vec![],
            annotations: vec![],
            goals: vec![],
            history: vec![],
            definition_changes: vec![],
        }
    }

    #[test]
    fn only_figures_that_differ_are_restated() {
        assert!(restatements(&figures(Some(0.4), 2), &figures(Some(0.4), 2)).is_empty());
        let r = restatements(&figures(Some(0.4), 2), &figures(Some(0.6), 1));
        let what: Vec<(&str, Option<f64>, Option<f64>)> = r
            .iter()
            .map(|r| (r.figure.as_str(), r.old, r.new))
            .collect();
        assert_eq!(
            what,
            [
                ("change_failure_rate", Some(0.4), Some(0.6)),
                ("slos_met", Some(2.0), Some(1.0))
            ]
        );
        // A figure that had data and has none now is restated to n/a.
        let gone = restatements(&figures(Some(0.4), 2), &figures(None, 2));
        assert_eq!((gone[0].old, gone[0].new), (Some(0.4), None));
    }

    #[test]
    fn why_names_changed_inputs_and_definitions() {
        let rev = Revision {
            revision: 1,
            published: "2026-07-20".parse().unwrap(),
            reason: None,
            almanac_version: "0.1.0".into(),
            as_of: "2026-07-15".parse().unwrap(),
            definitions: [("change_failure_rate".to_string(), 2)].into(),
            inputs: [
                ("a.csv".to_string(), "1".to_string()),
                ("b.csv".to_string(), "2".to_string()),
            ]
            .into(),
            narrative: None,
            figures: figures(Some(0.4), 2),
        };
        let now_inputs = [
            ("a.csv".to_string(), "1".to_string()),
            ("c.csv".to_string(), "3".to_string()),
        ]
        .into();
        let now_defs = [("change_failure_rate".to_string(), 1)].into();
        let w = why(&rev, &now_inputs, &now_defs);
        // b.csv removed, c.csv added; a.csv unchanged.
        assert_eq!(w.inputs, ["b.csv", "c.csv"]);
        assert_eq!(w.definitions, [("change_failure_rate".to_string(), 2, 1)]);
    }

    #[test]
    fn quarter_names_come_from_report_file_names() {
        assert_eq!(quarter_of_stem("2026-q3").as_deref(), Some("2026-Q3"));
        assert_eq!(quarter_of_stem("2026-Q1").as_deref(), Some("2026-Q1"));
        assert_eq!(quarter_of_stem("2026-q5"), None);
        assert_eq!(quarter_of_stem("annual-2026"), None);
        assert_eq!(
            snapshot_path("2026-Q3"),
            "content/reports/2026-q3.snapshot.json"
        );
    }
}
