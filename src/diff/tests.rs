//! Unit tests of the review summary's pieces: changed files, definitions, new problems.

use super::*;
use crate::diag::Diagnostics;

fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    pairs
        .iter()
        .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
        .collect()
}

#[test]
fn files_are_added_removed_or_changed_in_path_order() {
    let base = files(&[("a", "1"), ("b", "2"), ("c", "3")]);
    let head = files(&[("b", "2"), ("c", "4"), ("d", "5")]);
    assert_eq!(
        changed_files(&base, &head),
        [
            ("a".to_string(), Change::Removed),
            ("c".to_string(), Change::Changed),
            ("d".to_string(), Change::Added)
        ]
    );
}

#[test]
fn a_changed_retro_is_content_and_reaches_the_retro_pages_but_not_governance() {
    let changed = vec![
        ("content/retros/i1.md".to_string(), Change::Changed),
        ("README.md".to_string(), Change::Changed),
    ];
    assert_eq!(
        content(&changed),
        [ContentChange {
            path: "content/retros/i1.md".into(),
            change: Change::Changed
        }]
    );
    let names: Vec<&str> = pages_reached(&changed).iter().map(|k| k.name).collect();
    assert!(
        names.contains(&"retro") && names.contains(&"dashboard"),
        "{names:?}"
    );
    assert!(!names.contains(&"governance"), "{names:?}");
    // A theme template reaches only the kinds rendered with it.
    let theme = vec![(
        "themes/mine/templates/scope.html".to_string(),
        Change::Added,
    )];
    let names: Vec<&str> = pages_reached(&theme).iter().map(|k| k.name).collect();
    assert_eq!(names, ["team", "service"]);
}

#[test]
fn a_problem_that_only_moved_lines_is_not_new() {
    let at = |line| Some(crate::diag::Pos { line, column: 1 });
    let mut base = Diagnostics::new();
    base.warn("data/incidents.csv", at(4), "old warning");
    let mut head = Diagnostics::new();
    head.warn("data/incidents.csv", at(5), "old warning");
    head.error("data/incidents.csv", at(2), "new error");
    let new = new_problems(&base.sorted(), &head.sorted());
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].message, "new error");
}

#[test]
fn nothing_material_is_one_line() {
    let s = Summary {
        sections: vec![
            Section::Restatements(Vec::new()),
            Section::Figures(Vec::new()),
            Section::Problems(Vec::new()),
        ],
        head_broken: false,
    };
    assert!(!s.material());
    assert_eq!(format::markdown(&s, "main").lines().count(), 1);
}

/// Markdown lists the first 20 figure changes of earlier quarters and counts the rest;
/// the heading names every quarter once, oldest first.
#[test]
fn earlier_quarters_list_twenty_figures_and_count_the_rest() {
    let change = |i: usize| FigureChange {
        scope: format!("service:s{i}"),
        period: if i < 5 { "2025-Q3" } else { "2025-Q4" }.to_string(),
        metric: Metric::ChangeFailureRate,
        old: Some(0.0),
        new: Some(0.5),
        verdict: "worsened",
    };
    let s = Summary {
        sections: vec![Section::EarlierFigures((0..25).map(change).collect())],
        head_broken: false,
    };
    let md = format::markdown(&s, "main");
    assert!(
        md.contains("25 headline figures of these quarters: 2025-Q3, 2025-Q4."),
        "{md}"
    );
    assert_eq!(md.matches("| change_failure_rate |").count(), 20, "{md}");
    assert!(md.contains("| service:s19 |") && !md.contains("| service:s20 |"));
    assert!(
        md.contains("... and 5 more (`--format json` lists every one)."),
        "{md}"
    );
}
