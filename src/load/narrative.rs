//! Quarterly narratives: parses `content/reports/<yyyy-qn>.md` (optional front matter with
//! `title`, `period` and `[[goals]]`; a markdown body with `{{ figure(...) }}` shortcodes)
//! into a `Narrative`, every problem located at its line and column.

use crate::diag::{pos_of_offset, Diagnostics, Pos};
use crate::load::frontmatter::{self, item_lines, key_line};
use crate::model::{FigureRef, Goal, Narrative};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNarrative {
    title: Option<String>,
    period: Option<String>,
    #[serde(default)]
    goals: Vec<RawGoal>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGoal {
    metric: String,
    scope: Option<String>,
    target: Option<f64>,
    target_change: Option<f64>,
}

/// The narrative of quarter `quarter` (`2026-Q3`) from the file `rel`.
pub fn parse(rel: &str, quarter: String, text: &str, diags: &mut Diagnostics) -> Option<Narrative> {
    let (raw, fm) = match frontmatter::split(text) {
        Err(e) => {
            diags.error(rel, e.pos, e.message);
            return None;
        }
        Ok(None) => (None, None),
        Ok(Some(fm)) => match frontmatter::parse::<RawNarrative>(&fm) {
            Ok(raw) => (Some(raw), Some(fm)),
            Err(e) => {
                diags.error(rel, e.pos, e.message);
                return None;
            }
        },
    };
    let body = fm.map_or(text, |fm| fm.body);
    let body_offset = text.len() - body.len();
    let mut ok = true;
    let mut goals = Vec::new();
    let mut title = None;
    if let (Some(raw), Some(fm)) = (raw, fm) {
        let at = |key: &str| key_line(&fm, key).map(|line| Pos { line, column: 0 });
        if let Some(p) = raw.period.as_deref().map(str::trim) {
            if !p.eq_ignore_ascii_case(&quarter) {
                diags.error(
                    rel,
                    at("period"),
                    format!("`period` is `{p}`, but the file name makes this the report of {quarter}; remove `period` or rename the file"),
                );
                ok = false;
            }
        }
        title = raw
            .title
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        let lines = item_lines(&fm, "goals", raw.goals.len());
        for (g, line) in raw.goals.into_iter().zip(lines) {
            let pos = Some(Pos { line, column: 0 });
            match (g.target, g.target_change) {
                (Some(_), Some(_)) | (None, None) => {
                    diags.error(rel, pos, format!("goal for `{}`: give exactly one of `target` (a value, e.g. 24 for hours) or `target_change` (a change on the previous quarter, e.g. -0.20 for 20% less)", g.metric));
                    ok = false;
                    continue;
                }
                _ => {}
            }
            if let Some(c) = g
                .target_change
                .filter(|c| !c.is_finite() || *c < -1.0 || *c == 0.0)
            {
                diags.error(rel, pos, format!("goal for `{}`: `target_change` is {c}; give a non-zero change from -1 (all gone) upward, e.g. -0.20 for 20% less", g.metric));
                ok = false;
                continue;
            }
            goals.push(Goal {
                metric: g.metric.trim().to_string(),
                scope: g
                    .scope
                    .map_or_else(|| "org".to_string(), |s| s.trim().to_string()),
                target: g.target,
                target_change: g.target_change,
                line,
            });
        }
    }
    let figures = shortcodes(
        body,
        |offset| pos_of_offset(text, body_offset + offset),
        rel,
        diags,
    );
    ok &= figures.is_some();
    ok.then(|| Narrative {
        path: rel.to_string(),
        quarter,
        title,
        body: body.to_string(),
        goals,
        figures: figures.unwrap_or_default(),
        text: text.to_string(),
    })
}

/// Every `{{ figure(metric="...", scope="...", previous=true) }}` of `body`; `None` (with
/// errors) when one cannot be read. `scope` defaults to `org`.
pub fn shortcodes(
    body: &str,
    pos: impl Fn(usize) -> Pos,
    rel: &str,
    diags: &mut Diagnostics,
) -> Option<Vec<FigureRef>> {
    let mut out = Vec::new();
    let mut ok = true;
    let mut from = 0;
    while let Some(i) = body[from..].find("{{") {
        let start = from + i;
        let Some(j) = body[start..].find("}}") else {
            diags.error(rel, Some(pos(start)), "a shortcode opened with `{{` is never closed with `}}`; write `{{ figure(metric=\"deploys_per_week\", scope=\"org\") }}`");
            return None;
        };
        let end = start + j + 2;
        let p = pos(start);
        match figure_call(&body[start + 2..end - 2]) {
            Ok((metric, scope, previous)) => out.push(FigureRef {
                start,
                end,
                metric,
                scope,
                previous,
                line: p.line,
                column: p.column,
            }),
            Err(why) => {
                diags.error(rel, Some(p), format!("cannot read this shortcode: {why}; write `{{{{ figure(metric=\"deploys_per_week\", scope=\"org\") }}}}`"));
                ok = false;
            }
        }
        from = end;
    }
    ok.then_some(out)
}

/// `figure(metric="m", scope="s", previous=true)` -> `(m, s, previous)`.
fn figure_call(inner: &str) -> Result<(String, String, bool), String> {
    let call = inner.trim();
    let args = call
        .strip_prefix("figure")
        .map(str::trim_start)
        .and_then(|a| a.strip_prefix('('))
        .and_then(|a| a.strip_suffix(')'))
        .ok_or_else(|| format!("`{call}` is not `figure(...)`, the one shortcode"))?;
    let (mut metric, mut scope, mut previous) = (None, None, false);
    for arg in args.split(',').map(str::trim).filter(|a| !a.is_empty()) {
        let (key, value) = arg
            .split_once('=')
            .ok_or_else(|| format!("`{arg}` is not `name=value`"))?;
        let value = value.trim();
        let text = || {
            let inner = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .ok_or_else(|| {
                    format!("the value of `{}` must be quoted, e.g. \"org\"", key.trim())
                })?;
            // `metric="a" scope="b"` reads as one value `a" scope="b`: a missing comma.
            if inner.contains('"') {
                return Err(format!(
                    "`{arg}` runs two arguments together; separate them with a comma, e.g. `metric=\"deploys_per_week\", scope=\"org\"`"
                ));
            }
            Ok(inner.to_string())
        };
        match key.trim() {
            "metric" => metric = Some(text()?),
            "scope" => scope = Some(text()?),
            "previous" => {
                previous = match value {
                    "true" => true,
                    "false" => false,
                    _ => return Err("`previous` is `true` or `false`".into()),
                }
            }
            other => {
                return Err(format!(
                    "unknown argument `{other}` (the arguments are metric, scope, previous)"
                ))
            }
        }
    }
    let metric = metric.ok_or("it names no `metric`")?;
    Ok((metric, scope.unwrap_or_else(|| "org".into()), previous))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> (Option<Narrative>, Vec<String>) {
        let mut d = Diagnostics::new();
        let n = parse("content/reports/2026-q3.md", "2026-Q3".into(), text, &mut d);
        (n, d.sorted().iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn goals_and_shortcodes_are_read_with_positions() {
        let text = "+++\ntitle = \"Q3\"\n\n[[goals]]\nmetric = \"lead_time_median_hours\"\ntarget_change = -0.2\n\n[[goals]]\nmetric = \"deploys_per_week\"\nscope = \"team:shop\"\ntarget = 50\n+++\nWe shipped {{ figure(metric=\"deploys_per_week\") }} a week,\nteam: {{figure(metric=\"lead_time_median_hours\", scope=\"team:shop\", previous=true)}}.\n";
        let (n, errs) = parse_text(text);
        assert!(errs.is_empty(), "{errs:?}");
        let n = n.unwrap();
        assert_eq!(n.title.as_deref(), Some("Q3"));
        assert_eq!(n.goals.len(), 2);
        assert_eq!(
            (
                n.goals[0].scope.as_str(),
                n.goals[0].target_change,
                n.goals[0].line
            ),
            ("org", Some(-0.2), 4)
        );
        assert_eq!(
            (n.goals[1].scope.as_str(), n.goals[1].target),
            ("team:shop", Some(50.0))
        );
        assert_eq!(n.figures.len(), 2);
        let f = &n.figures[0];
        assert_eq!(
            (f.metric.as_str(), f.scope.as_str(), f.previous),
            ("deploys_per_week", "org", false)
        );
        // Line 13 of the file, column 12 ("We shipped " is 11 characters).
        assert_eq!((f.line, f.column), (13, 12));
        assert_eq!(
            &n.body[f.start..f.end],
            "{{ figure(metric=\"deploys_per_week\") }}"
        );
        assert!(n.figures[1].previous);
    }

    /// `previous=false` is written out as often as left out: both read as `false`, and
    /// only `true`/`false` are values.
    #[test]
    fn previous_false_is_the_default_written_out() {
        let (n, errs) = parse_text(
            "Now {{ figure(metric=\"m\", previous=false) }}, then {{ figure(metric=\"m\", previous=yes) }}\n",
        );
        assert!(n.is_none());
        assert_eq!(errs.len(), 1, "{errs:?}");
        // The second shortcode is at column 52: "Now " (4) + the first shortcode (3 + 7 +
        // 10 + 2 + 14 + 1 + 3 = 40) + ", then " (7) = 51 characters before it.
        assert!(
            errs[0].starts_with("content/reports/2026-q3.md:1:52")
                && errs[0].contains("`previous` is `true` or `false`"),
            "{errs:?}"
        );
        let (n, errs) = parse_text("Now {{ figure(metric=\"m\", previous=false) }}\n");
        assert!(errs.is_empty(), "{errs:?}");
        let f = &n.unwrap().figures[0];
        assert_eq!(
            (f.metric.as_str(), f.scope.as_str(), f.previous),
            ("m", "org", false)
        );
    }

    #[test]
    fn bad_shortcodes_and_goals_are_errors_at_their_position() {
        let text = "+++\nperiod = \"2026-Q2\"\n[[goals]]\nmetric = \"x\"\n+++\nSee {{ figur(metric=\"x\") }} and {{ figure(metric=x) }}\nor {{ figure(metric=\"x\" scope=\"org\") }}\n";
        let (n, errs) = parse_text(text);
        assert!(n.is_none());
        assert_eq!(errs.len(), 5, "{errs:?}");
        assert!(
            errs[0].starts_with("content/reports/2026-q3.md:2"),
            "{errs:?}"
        );
        assert!(errs[0].contains("`period` is `2026-Q2`"));
        assert!(
            errs[1].contains(":3") && errs[1].contains("exactly one of `target`"),
            "{errs:?}"
        );
        assert!(
            errs[2].starts_with("content/reports/2026-q3.md:6:5")
                && errs[2].contains("not `figure(...)`"),
            "{errs:?}"
        );
        assert!(errs[3].contains("must be quoted"), "{errs:?}");
        // A missing comma: one quoted value that holds a quote.
        assert_eq!(
            errs[4],
            "content/reports/2026-q3.md:7:4: error: cannot read this shortcode: `metric=\"x\" scope=\"org\"` runs two arguments together; separate them with a comma, e.g. `metric=\"deploys_per_week\", scope=\"org\"`; write `{{ figure(metric=\"deploys_per_week\", scope=\"org\") }}`"
        );
    }

    /// `target_change` runs from -1 (all gone, allowed) upward and is never 0: -1.5
    /// (less than nothing) and 0 (no goal at all) are errors at their goal's line.
    #[test]
    fn target_change_from_minus_one_upward_and_not_zero() {
        let goal = |m: &str, c: &str| format!("[[goals]]\nmetric = \"{m}\"\ntarget_change = {c}\n");
        // Goals start on lines 2, 5 and 8 (each goal is three lines after `+++`).
        let text = format!(
            "+++\n{}{}{}+++\nBody\n",
            goal("a", "-1.0"),
            goal("b", "-1.5"),
            goal("c", "0.0")
        );
        let (n, errs) = parse_text(&text);
        assert!(n.is_none());
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(
            errs[0].starts_with("content/reports/2026-q3.md:5")
                && errs[0].contains("`target_change` is -1.5"),
            "{errs:?}"
        );
        assert!(
            errs[1].starts_with("content/reports/2026-q3.md:8")
                && errs[1].contains("`target_change` is 0;"),
            "{errs:?}"
        );
        // -1 alone is a goal: the metric gone entirely.
        let (n, errs) = parse_text(&format!("+++\n{}+++\nBody\n", goal("a", "-1.0")));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(n.unwrap().goals[0].target_change, Some(-1.0));
    }

    /// One bad part is enough to drop the narrative: a bad shortcode under good front
    /// matter, or a wrong `period` over a good body (no half-read report is rendered).
    #[test]
    fn either_a_bad_shortcode_or_a_bad_goal_drops_the_narrative() {
        let (n, errs) = parse_text("+++\ntitle = \"Q3\"\n+++\nSee {{ figure(metric=x) }}\n");
        assert!(n.is_none());
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].contains("must be quoted"), "{errs:?}");
        let (n, errs) = parse_text(
            "+++\nperiod = \"2026-Q2\"\n+++\nSee {{ figure(metric=\"deploys_per_week\") }}\n",
        );
        assert!(n.is_none());
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].contains("`period` is `2026-Q2`"), "{errs:?}");
    }
}
