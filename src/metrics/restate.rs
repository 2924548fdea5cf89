//! Restatements: takes each published quarter's snapshot and today's `QuarterFigures` and
//! returns what today's inputs and definitions would change in it, and why.

use crate::metrics::Report;
use crate::model::Dataset;
use crate::published::{restatements, why, QuarterFigures, Restated, Why};

/// One published quarter as today's build sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Publication {
    /// Index into `Dataset::snapshots`.
    pub snapshot: usize,
    /// The published quarter, e.g. `2026-Q3`.
    pub key: String,
    /// Index into `Report::quarters`, `None` when today's data no longer reaches it.
    pub quarter: Option<usize>,
    /// The latest revision's figures that today's build gives differently.
    pub restated: Vec<Restated>,
    pub why: Why,
}

impl Publication {
    pub fn is_restated(&self) -> bool {
        !self.restated.is_empty()
    }
}

/// Every snapshot compared with today's figures of its quarter, in snapshot order.
pub fn publications(report: &Report, ds: &Dataset) -> Vec<Publication> {
    let definitions = report.versions.by_key();
    ds.snapshots
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let latest = s.file.latest()?;
            let quarter = report
                .quarters
                .iter()
                .position(|q| q.quarter == s.file.quarter);
            let empty;
            let today: &QuarterFigures = match quarter {
                Some(q) => &report.quarters[q],
                None => {
                    empty = QuarterFigures {
                        scopes: Vec::new(),
                        ..latest.figures.clone()
                    };
                    &empty
                }
            };
            Some(Publication {
                snapshot: i,
                key: s.file.quarter.clone(),
                quarter,
                restated: restatements(&latest.figures, today),
                why: why(latest, &ds.inputs, &definitions),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_publication_is_restated_when_a_figure_differs() {
        let mut p = Publication {
            snapshot: 0,
            key: "2026-Q2".into(),
            quarter: Some(0),
            restated: vec![],
            why: Why::default(),
        };
        assert!(!p.is_restated());
        // deployments: 4 published, 5 today.
        p.restated.push(Restated {
            scope: "org".into(),
            scope_name: "Org".into(),
            figure: "deployments".into(),
            old: Some(4.0),
            new: Some(5.0),
        });
        assert!(p.is_restated());
    }

    /// One revision of `quarter` with `figures`, recording definition versions `definitions`
    /// and input digests `inputs`.
    fn revision(
        figures: QuarterFigures,
        definitions: &[(&str, u32)],
        inputs: &[(&str, &str)],
    ) -> crate::published::Revision {
        let day = |s: &str| crate::load::time::parse_date(s).unwrap();
        crate::published::Revision {
            revision: 1,
            published: day("2026-07-15"),
            reason: None,
            almanac_version: "0.0.0".into(),
            as_of: day("2026-07-15"),
            definitions: definitions
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect(),
            inputs: inputs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            narrative: None,
            figures,
        }
    }

    fn snapshot(
        quarter: &str,
        revisions: Vec<crate::published::Revision>,
    ) -> crate::model::Snapshot {
        crate::model::Snapshot {
            path: crate::published::snapshot_path(quarter),
            file: crate::published::SnapshotFile {
                schema: crate::published::SNAPSHOT_SCHEMA,
                quarter: quarter.into(),
                revisions,
            },
        }
    }

    /// The full test site (`metrics::tests`, as_of 2026-07-15) has the quarters 2026-Q2 (d0,
    /// 06-30) and 2026-Q3. Three snapshots:
    /// - 2026-Q3, published with 3 org deployments where today counts 4 (d1, d2, d3, d6:
    ///   `metrics::tests::org_quarter_figures`), everything else as today: it is today's
    ///   quarter 1, with that one figure restated. Its revision recorded
    ///   `change_failure_rate` version 1 (today's is 2) and `deployments` 1 (today's too),
    ///   and digests of `data/deployments.csv` (unchanged) and `data/old.csv` (gone), while
    ///   today also reads `data/changes.csv`: the two files and the one version differ.
    /// - 2026-Q1, never revised (no revision): no publication.
    /// - 2025-Q1, which today's data does not reach: compared with a quarter of no scopes,
    ///   so each of its org figures (`published::tests::figures`) is restated to no data:
    ///   `change_failure_rate` 0.4, `slos_met` 1, `slos_at_risk` 0, `slos_exhausted` 0 and
    ///   `sev1`..`sev4` 0, 1, 0, 0, all 8 to None.
    #[test]
    fn publications_compare_each_revised_snapshot_with_todays_quarter() {
        let dir = crate::metrics::tests::full_site();
        let report =
            crate::metrics::tests::report_with(dir.path(), crate::metrics::tests::CONFIG, vec![]);
        let keys: Vec<&str> = report.quarters.iter().map(|q| q.quarter.as_str()).collect();
        assert_eq!(keys, ["2026-Q2", "2026-Q3"]);
        let mut q3 = report.quarters[1].clone();
        let org = &mut q3.scopes[0];
        assert_eq!(org.key, "org");
        let deployments = org
            .figures
            .iter_mut()
            .find(|f| f.metric == "deployments")
            .unwrap();
        assert_eq!(deployments.value, Some(4.0));
        deployments.value = Some(3.0);
        let old = QuarterFigures {
            quarter: "2025-Q1".into(),
            ..crate::published::tests::figures(Some(0.4), 1)
        };
        let ds = Dataset {
            snapshots: vec![
                snapshot(
                    "2026-Q3",
                    vec![revision(
                        q3,
                        &[("change_failure_rate", 1), ("deployments", 1)],
                        &[("data/deployments.csv", "aa"), ("data/old.csv", "bb")],
                    )],
                ),
                snapshot("2026-Q1", vec![]),
                snapshot("2025-Q1", vec![revision(old, &[], &[])]),
            ],
            inputs: [("data/deployments.csv", "aa"), ("data/changes.csv", "cc")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Dataset::default()
        };
        let got = publications(&report, &ds);
        let restated = |p: &Publication| -> Vec<(String, String, Option<f64>, Option<f64>)> {
            p.restated
                .iter()
                .map(|r| (r.scope.clone(), r.figure.clone(), r.old, r.new))
                .collect()
        };
        let row = |figure: &str, old: f64, new: Option<f64>| {
            ("org".to_string(), figure.to_string(), Some(old), new)
        };
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[0].snapshot, got[0].key.as_str(), got[0].quarter),
            (0, "2026-Q3", Some(1))
        );
        assert_eq!(restated(&got[0]), [row("deployments", 3.0, Some(4.0))]);
        assert_eq!(
            got[0].why,
            Why {
                inputs: vec!["data/changes.csv".into(), "data/old.csv".into()],
                definitions: vec![("change_failure_rate".into(), 1, 2)],
            }
        );
        assert_eq!(
            (got[1].snapshot, got[1].key.as_str(), got[1].quarter),
            (2, "2025-Q1", None)
        );
        assert_eq!(
            restated(&got[1]),
            [
                row("change_failure_rate", 0.4, None),
                row("slos_met", 1.0, None),
                row("slos_at_risk", 0.0, None),
                row("slos_exhausted", 0.0, None),
                row("sev1", 0.0, None),
                row("sev2", 1.0, None),
                row("sev3", 0.0, None),
                row("sev4", 0.0, None),
            ]
        );
    }
}
