//! Weekly review decisions: takes one `content/reviews/<YYYY-Www>.md` file and returns its
//! `WeekDecision` (the week from the file name, the front matter's `decision` and optional
//! `notes`, the markdown body), every problem as a located diagnostic.

use crate::diag::{Diagnostics, Pos};
use crate::load::frontmatter::{front_matter, key_line, stem};
use crate::model::{Decision, WeekDecision};
use chrono::NaiveDate;
use serde::Deserialize;

pub const REVIEWS_DIR: &str = "content/reviews";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReview {
    decision: String,
    #[serde(default)]
    notes: String,
}

/// `2026-W39` when `text` names an ISO week that exists (`2025-W53` does not).
pub fn iso_week(text: &str) -> Option<String> {
    let (year, week) = text.split_once("-W")?;
    if year.len() != 4 || week.len() != 2 {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let week: u32 = week.parse().ok()?;
    NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon)?;
    Some(format!("{year}-W{week:02}"))
}

/// One review file's text parsed into a `WeekDecision`; problems go to `diags`.
pub fn parse_review(rel: &str, text: &str, diags: &mut Diagnostics) -> Option<WeekDecision> {
    let name = stem(rel);
    let week = iso_week(&name);
    if week.is_none() {
        diags.error(
            rel,
            None,
            format!("the file name `{name}` is not an ISO week; name the file YYYY-Www.md, e.g. 2026-W39.md"),
        );
    }
    let (fm, raw): (_, RawReview) = front_matter(rel, text, "decision = \"continue\"", diags)?;
    let wanted = raw.decision.trim();
    let decision = Decision::ALL.into_iter().find(|d| d.as_str() == wanted);
    if decision.is_none() {
        let line = key_line(&fm, "decision");
        let column = line
            .and_then(|l| fm.text.lines().nth((l - fm.start_line) as usize))
            .and_then(|l| l.find(wanted).filter(|_| !wanted.is_empty()))
            .map_or(0, |c| c as u32 + 1);
        diags.error(
            rel,
            line.map(|line| Pos { line, column }),
            format!("`decision` is `{wanted}`; use continue, adjust or investigate"),
        );
    }
    Some(WeekDecision {
        path: rel.to_string(),
        week: week?,
        decision: decision?,
        notes: raw.notes.trim().to_string(),
        body: fm.body.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(rel: &str, text: &str) -> (Option<WeekDecision>, Vec<String>) {
        let mut diags = Diagnostics::new();
        let r = parse_review(rel, text, &mut diags);
        (r, diags.sorted().iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn a_review_gives_its_week_decision_notes_and_body() {
        let (r, diags) = parse(
            "content/reviews/2026-W39.md",
            "+++\ndecision = \"adjust\"\nnotes = \"Slow lead time\"\n+++\nMore.\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let r = r.unwrap();
        assert_eq!(r.week, "2026-W39");
        assert_eq!(r.decision, Decision::Adjust);
        assert_eq!(r.notes, "Slow lead time");
        assert_eq!(r.body, "More.\n");
    }

    /// The column is found on the key's own line however far into the front matter it is:
    /// `decision` on file line 5 (front matter line 4), `maybe` at column 15 after the
    /// padded `=`.
    #[test]
    fn a_bad_decision_is_located_on_its_own_line() {
        let (r, diags) = parse(
            "content/reviews/2026-W39.md",
            "+++\nnotes = \"x\"\n# a comment\n# another\ndecision   = \"maybe\"\n+++\n",
        );
        assert!(r.is_none());
        assert_eq!(
            diags,
            ["content/reviews/2026-W39.md:5:15: error: `decision` is `maybe`; use continue, adjust or investigate"]
        );
    }

    #[test]
    fn a_bad_decision_and_a_bad_week_are_located() {
        let (r, diags) = parse(
            "content/reviews/2026-W54.md",
            "+++\nnotes = \"x\"\ndecision = \"maybe\"\n+++\n",
        );
        assert!(r.is_none());
        // `decision` is on file line 3 (the `+++` is line 1); `maybe` starts at column 13.
        assert_eq!(
            diags,
            [
                "content/reviews/2026-W54.md: error: the file name `2026-W54` is not an ISO week; name the file YYYY-Www.md, e.g. 2026-W39.md",
                "content/reviews/2026-W54.md:3:13: error: `decision` is `maybe`; use continue, adjust or investigate",
            ]
        );
    }

    #[test]
    fn iso_weeks_exist_or_not() {
        assert_eq!(iso_week("2026-W01").as_deref(), Some("2026-W01"));
        assert_eq!(iso_week("2020-W53").as_deref(), Some("2020-W53")); // 2020 has 53 weeks
        assert_eq!(iso_week("2026-W53").as_deref(), Some("2026-W53")); // 2026 starts on a Thursday
        assert_eq!(iso_week("2025-W53"), None); // 2025 has 52
        assert_eq!(iso_week("2026-W7"), None);
        assert_eq!(iso_week("2026-39"), None);
    }
}
