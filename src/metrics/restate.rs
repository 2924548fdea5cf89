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
}
