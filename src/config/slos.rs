//! `[[slo]]` in `almanac.toml`: the SLO definition types (shared with OpenSLO files) and
//! the checks of each table, every problem at its line and column.

use super::CONFIG_FILE;
use crate::diag::{pos_of_offset, Diagnostics};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// An SLO definition, from `almanac.toml` or an OpenSLO file.
#[derive(Debug, Clone, PartialEq)]
pub struct SloDef {
    pub id: String,
    pub service: String,
    pub objective: f64,
    pub window: SloWindow,
    pub description: String,
    pub budgeting: Budgeting,
    /// Where it was defined, for diagnostics.
    pub path: String,
    pub line: u32,
}

/// The compliance window of an SLO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SloWindow {
    /// The last `days` whole days ending with the evaluation day.
    Rolling { days: u32 },
    /// The calendar month containing the evaluation day.
    Month,
    /// The calendar quarter containing the evaluation day.
    Quarter,
}

impl SloWindow {
    /// Parses `7d`, `28d`, `4w`, `month` or `quarter`.
    pub fn parse(text: &str) -> Option<SloWindow> {
        let t = text.trim();
        match t {
            "month" => return Some(SloWindow::Month),
            "quarter" => return Some(SloWindow::Quarter),
            _ => {}
        }
        // Split off the unit by character: the last byte may be inside a multi-byte one.
        let (num, per) = match t.strip_suffix('d') {
            Some(num) => (num, 1),
            None => (t.strip_suffix('w')?, 7),
        };
        let n: u32 = num.parse().ok()?;
        let days = n.checked_mul(per)?;
        (1..=3660)
            .contains(&days)
            .then_some(SloWindow::Rolling { days })
    }

    pub fn label(&self) -> String {
        match self {
            SloWindow::Rolling { days } => format!("{days}d"),
            SloWindow::Month => "month".to_string(),
            SloWindow::Quarter => "quarter".to_string(),
        }
    }
}

/// How an SLO's error budget is counted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Budgeting {
    /// Good events over all events.
    Occurrences,
    /// Good time slices over all slices; a slice (one SLI bucket) is good when its
    /// good/total ratio is at least `target`.
    Timeslices { target: f64 },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSlo {
    id: Spanned<String>,
    service: Spanned<String>,
    objective: Spanned<f64>,
    window: Spanned<String>,
    #[serde(default)]
    description: String,
    budgeting: Option<Spanned<String>>,
    timeslice_target: Option<Spanned<f64>>,
}

/// The `[[slo]]` tables, checked: ids unique, objectives in (0, 1), windows and budgeting
/// understood; each problem at its position.
pub(super) fn validate_slos(
    raw: Vec<Spanned<RawSlo>>,
    text: &str,
    diags: &mut Diagnostics,
) -> Vec<SloDef> {
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    let mut out = Vec::new();
    for s in raw {
        let s = s.into_inner();
        let pos = |span: std::ops::Range<usize>| Some(pos_of_offset(text, span.start));
        let id_pos = pos_of_offset(text, s.id.span().start);
        let id = s.id.get_ref().clone();
        if let Some(first) = seen.insert(id.clone(), id_pos.line) {
            diags.error(
                CONFIG_FILE,
                Some(id_pos),
                format!("duplicate SLO id `{id}`; first defined on line {first}"),
            );
        }
        let objective = *s.objective.get_ref();
        if !(objective > 0.0 && objective < 1.0) {
            diags.error(
                CONFIG_FILE,
                pos(s.objective.span()),
                format!("SLO `{id}`: objective {objective} must be between 0 and 1 exclusive, e.g. 0.999"),
            );
        }
        let window = SloWindow::parse(s.window.get_ref()).unwrap_or_else(|| {
            diags.error(
                CONFIG_FILE,
                pos(s.window.span()),
                format!(
                    "SLO `{id}`: window `{}` is not understood; use a rolling window like `28d` or `4w`, or `month` or `quarter`",
                    s.window.get_ref()
                ),
            );
            SloWindow::Rolling { days: 28 }
        });
        let budgeting = parse_budgeting(&s, &id, text, diags);
        out.push(SloDef {
            id,
            service: s.service.into_inner(),
            objective,
            window,
            description: s.description,
            budgeting,
            path: CONFIG_FILE.to_string(),
            line: id_pos.line,
        });
    }
    out
}

fn parse_budgeting(s: &RawSlo, id: &str, text: &str, diags: &mut Diagnostics) -> Budgeting {
    let mode = s
        .budgeting
        .as_ref()
        .map(|b| (b.get_ref().as_str(), b.span()));
    match mode {
        None | Some(("occurrences", _)) => Budgeting::Occurrences,
        Some(("timeslices", span)) => match &s.timeslice_target {
            Some(t) if *t.get_ref() > 0.0 && *t.get_ref() <= 1.0 => Budgeting::Timeslices {
                target: *t.get_ref(),
            },
            Some(t) => {
                diags.error(
                    CONFIG_FILE,
                    Some(pos_of_offset(text, t.span().start)),
                    format!("SLO `{id}`: timeslice_target must be in (0, 1]"),
                );
                Budgeting::Occurrences
            }
            None => {
                diags.error(
                    CONFIG_FILE,
                    Some(pos_of_offset(text, span.start)),
                    format!("SLO `{id}`: budgeting = \"timeslices\" needs `timeslice_target`, e.g. 0.95"),
                );
                Budgeting::Occurrences
            }
        },
        Some((other, span)) => {
            diags.error(
                CONFIG_FILE,
                Some(pos_of_offset(text, span.start)),
                format!("SLO `{id}`: budgeting `{other}` must be `occurrences` or `timeslices`"),
            );
            Budgeting::Occurrences
        }
    }
}
