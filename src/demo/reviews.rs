//! Demo weekly reviews: takes the organisation and the last day with data and returns
//! `content/reviews/<YYYY-Www>.md` for the three complete ISO weeks before it, one decision
//! of each kind (continue, adjust, investigate) with notes, so the example site shows them.
//! The notes are decisions, not figures: the figures are on the review page itself.

use super::org::Org;
use crate::output::OutputFile;
use chrono::{Datelike, Duration, NaiveDate};

/// The reviews of the three complete weeks (Monday to Sunday) that end on or before `end`,
/// oldest first.
pub fn generate(org: &Org, end: NaiveDate) -> Vec<OutputFile> {
    // The Sunday that ends the latest complete week: `end` itself when it is a Sunday.
    let sunday = end - Duration::days(i64::from((end.weekday().num_days_from_monday() + 1) % 7));
    let team = |i: usize| org.teams[i % org.teams.len()].name.as_str();
    let texts = [
        (
            "continue",
            format!(
                "Steady week. Keep the plan; {} and {} keep their release pace.",
                team(0),
                team(1)
            ),
            "No SLO burned fast enough to change course. Retro follow-ups stay on the Monday agenda.\n"
                .to_string(),
        ),
        (
            "adjust",
            format!(
                "{} moves one engineer from feature work to its overdue action items for two weeks.",
                team(2)
            ),
            "Overdue action items keep the same risks open. We check the backlog again at the next review.\n"
                .to_string(),
        ),
        (
            "investigate",
            "Look at this week's incidents together: is there a shared cause? Report back next week."
                .to_string(),
            format!(
                "- {} leads the investigation with the on-call engineers of the week.\n\
                 - Until then, releases of the affected services go out one at a time.\n",
                team(3)
            ),
        ),
    ];
    texts
        .into_iter()
        .enumerate()
        .map(|(k, (decision, notes, body))| {
            let last = sunday - Duration::days(7 * (2 - k as i64));
            let week = last.iso_week();
            let path = format!("content/reviews/{}-W{:02}.md", week.year(), week.week());
            let text = format!(
                "+++\ndecision = \"{decision}\"\nnotes = \"{}\"\n+++\n{body}",
                notes.replace('\\', "\\\\").replace('"', "\\\"")
            );
            OutputFile::new(path, text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::DemoOptions;

    #[test]
    fn three_complete_weeks_before_the_end_one_of_each_decision() {
        let org = crate::demo::org::build(&DemoOptions::default());
        // 2026-09-30 is a Wednesday of 2026-W40; the latest complete week is W39 (21 to 27
        // September), so the three reviews are W37, W38 and W39.
        let end = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
        let files = generate(&org, end);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "content/reviews/2026-W37.md",
                "content/reviews/2026-W38.md",
                "content/reviews/2026-W39.md"
            ]
        );
        let text = |i: usize| String::from_utf8(files[i].bytes.clone()).unwrap();
        assert!(text(0).contains("decision = \"continue\""));
        assert!(text(1).contains("decision = \"adjust\""));
        assert!(text(2).contains("decision = \"investigate\""));
        // A Sunday end counts its own week: 2026-09-27 closes W39.
        let sunday = generate(&org, NaiveDate::from_ymd_opt(2026, 9, 27).unwrap());
        assert_eq!(sunday[2].path, "content/reviews/2026-W39.md");
    }
}
