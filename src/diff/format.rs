//! The review summary as markdown (a pull-request comment: one heading and table or list
//! per non-empty section, restatements first and loud) and as JSON (the same content, for
//! other tools; every section present, empty or not).

use super::{FigureChange, Section, Summary};
use crate::diag::format::json_value as problem_json;
use crate::render::words::format_metric;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::fmt::Write;

/// The summary as markdown; `base` names what head is compared with. When nothing
/// material changed it is one line.
pub fn markdown(s: &Summary, base: &str) -> String {
    let base = code(base);
    if !s.material() {
        return format!(
            "**almanac diff** against {base}: no material change (the same figures, definitions, content and check problems).\n"
        );
    }
    let mut out = format!("## almanac diff against {base}\n");
    if s.head_broken {
        out.push_str("\n**This change does not build**: the figures could not be computed. See the new check problems below.\n");
    }
    for section in s.sections.iter().filter(|s| !s.is_empty()) {
        out.push('\n');
        section_markdown(&mut out, section);
    }
    out
}

fn section_markdown(out: &mut String, section: &Section) {
    match section {
        Section::Restatements(v) => {
            let _ = writeln!(out, "### :warning: Restates published quarters\n");
            let _ = writeln!(
                out,
                "| quarter | scope | figure | published | now |\n|---|---|---|---|---|"
            );
            for r in v {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    r.quarter,
                    cell(&r.scope),
                    r.metric,
                    number(r.published),
                    number(r.now)
                );
            }
        }
        Section::Figures(v) => {
            let _ = writeln!(out, "### Headline figures that change\n");
            figure_table(out, v);
        }
        Section::EarlierFigures(v) => {
            let quarters: BTreeSet<&str> = v.iter().map(|f| f.period.as_str()).collect();
            let quarters: Vec<&str> = quarters.into_iter().collect();
            let _ = writeln!(
                out,
                "### Earlier quarters that change\n\n{} headline figure{} of {}: {}.\n",
                v.len(),
                if v.len() == 1 { "" } else { "s" },
                if quarters.len() == 1 {
                    "one quarter"
                } else {
                    "these quarters"
                },
                quarters.join(", ")
            );
            figure_table(out, &v[..v.len().min(EARLIER_SHOWN)]);
            if v.len() > EARLIER_SHOWN {
                let _ = writeln!(
                    out,
                    "\n... and {} more (`--format json` lists every one).",
                    v.len() - EARLIER_SHOWN
                );
            }
        }
        Section::Definitions(v) => {
            let _ = writeln!(out, "### Metric definitions\n");
            for d in v {
                let version = match (&d.old_version, &d.new_version) {
                    (Some(o), Some(n)) if o != n => format!("version {o} → {n}"),
                    (Some(o), Some(_)) => format!("version {o}, unchanged"),
                    (None, Some(n)) | (Some(n), None) => format!("version {n}"),
                    (None, None) => String::new(),
                };
                let fields = if d.fields.is_empty() {
                    String::new()
                } else {
                    format!("; changed: {}", d.fields.join(", "))
                };
                let _ = writeln!(
                    out,
                    "- {} {}: {version}{fields}",
                    code(&d.id),
                    d.change.as_str()
                );
            }
        }
        Section::Content { files, pages } => {
            let _ = writeln!(out, "### Content and pages\n");
            for f in files {
                let _ = writeln!(out, "- {} {}", f.change.as_str(), code(&f.path));
            }
            if !pages.is_empty() {
                let kinds: Vec<String> = pages
                    .iter()
                    .map(|k| format!("{} ({})", k.name, code(k.pattern)))
                    .collect();
                let _ = writeln!(out, "- site pages that change: {}", kinds.join(", "));
            }
        }
        Section::Problems(v) => {
            let _ = writeln!(out, "### New check problems\n");
            for d in v {
                let _ = writeln!(out, "- {}", code(&d.to_string()));
            }
        }
    }
}

/// How many figure changes of earlier quarters the markdown lists; JSON lists all.
const EARLIER_SHOWN: usize = 20;

/// Figure changes as a markdown table.
fn figure_table(out: &mut String, v: &[FigureChange]) {
    let _ = writeln!(
        out,
        "| scope | quarter | figure | old | new | change |\n|---|---|---|---|---|---|"
    );
    for f in v {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&f.scope),
            f.period,
            f.metric.key(),
            format_metric(f.metric, f.old),
            format_metric(f.metric, f.new),
            f.verdict
        );
    }
}

/// The summary as one JSON object.
pub fn json(s: &Summary, base: &str) -> String {
    let mut obj = serde_json::Map::new();
    obj.insert("base".into(), json!(base));
    obj.insert("material".into(), json!(s.material()));
    obj.insert("head_builds".into(), json!(!s.head_broken));
    for section in &s.sections {
        let (key, value) = section_json(section);
        obj.insert(key.into(), value);
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(obj)).expect("values serialise");
    text.push('\n');
    text
}

fn section_json(section: &Section) -> (&'static str, Value) {
    match section {
        Section::Restatements(v) => (
            "restatements",
            v.iter()
                .map(|r| {
                    json!({"quarter": r.quarter, "scope": r.scope, "metric": r.metric,
                           "published": r.published, "now": r.now})
                })
                .collect(),
        ),
        Section::Figures(v) => ("figures", figures_json(v)),
        Section::EarlierFigures(v) => ("earlier_figures", figures_json(v)),
        Section::Definitions(v) => (
            "definitions",
            v.iter()
                .map(|d| {
                    json!({"id": d.id, "change": d.change.as_str(), "old_version": d.old_version,
                           "new_version": d.new_version, "fields": d.fields})
                })
                .collect(),
        ),
        Section::Content { files, pages } => (
            "content",
            json!({
                "files": files.iter().map(|f| json!({"path": f.path, "change": f.change.as_str()})).collect::<Vec<_>>(),
                "pages": pages.iter().map(|k| json!({"kind": k.name, "pattern": k.pattern})).collect::<Vec<_>>(),
            }),
        ),
        Section::Problems(v) => ("new_problems", v.iter().map(problem_json).collect()),
    }
}

fn figures_json(v: &[FigureChange]) -> Value {
    v.iter()
        .map(|f| {
            json!({"scope": f.scope, "period": f.period, "metric": f.metric.key(),
                   "old": f.old, "new": f.new, "verdict": f.verdict})
        })
        .collect()
}

fn number(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |v| format!("{v}"))
}

/// Inline code that survives any backticks in the text.
fn code(text: &str) -> String {
    let fence = if text.contains('`') { "`` " } else { "`" };
    let close = if text.contains('`') { " ``" } else { "`" };
    format!("{fence}{}{close}", text.replace('\n', " "))
}

/// A table cell: pipes escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}
