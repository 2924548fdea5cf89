//! Definitions as code: pins, version checks, and a change's quarter under both versions.

use super::*;
use crate::config;
use crate::metrics::tests::{full_site, report_with, CONFIG};
use crate::model::{Better, ChangelogEntry};
use crate::period::Grain;

fn def(id: &str, version: &str, changes: &[(&str, &str)]) -> MetricDef {
    MetricDef {
        path: format!("content/metrics/{id}.md"),
        id: id.into(),
        name: id.into(),
        version: version.into(),
        version_line: 4,
        owner: "SRE".into(),
        unit: "ratio".into(),
        better: Better::Lower,
        tolerance: 0.05,
        changelog: changes
            .iter()
            .map(|(v, d)| ChangelogEntry {
                version: v.to_string(),
                date: d.parse().unwrap(),
                note: "n".into(),
            })
            .collect(),
        body: String::new(),
    }
}

fn cfr_q3(r: &crate::metrics::Report) -> Option<f64> {
    let org = r.scope("org").unwrap();
    let q3 = org.series[&Grain::Quarter]
        .iter()
        .find(|f| f.period == "2026-Q3")
        .unwrap();
    q3.get(Metric::ChangeFailureRate)
}

// The full test site to 2026-07-15 (UTC) counts d1, d2, d3 and d6 in 2026-Q3 (d4 failed,
// d5 is staging, d7 is after as_of): 4. Rolled back: d2. Named by an incident: d2 (i1) and
// d3 (i2). Version 1: 1 / 4 = 0.25. Version 2: 2 / 4 = 0.5.

#[test]
fn every_period_uses_the_current_version_by_default() {
    let dir = full_site();
    let r = report_with(dir.path(), CONFIG, vec![]);
    assert_eq!(r.versions.get(Metric::ChangeFailureRate), 2);
    assert!(!r.versions.pinned(Metric::ChangeFailureRate));
    assert_eq!(cfr_q3(&r), Some(0.5));
}

#[test]
fn a_pinned_older_version_computes_every_period() {
    let dir = full_site();
    let text = format!("{CONFIG}\n[definitions]\nchange_failure_rate = 1\n");
    let r = report_with(dir.path(), &text, vec![]);
    assert_eq!(r.versions.get(Metric::ChangeFailureRate), 1);
    assert!(r.versions.pinned(Metric::ChangeFailureRate));
    assert_eq!(cfr_q3(&r), Some(0.25));
    // Other metrics keep their current version.
    assert_eq!(r.versions.get(Metric::DeploysPerWeek), 1);
}

#[test]
fn the_quarter_of_a_change_holds_both_versions() {
    let dir = full_site();
    let defs = vec![def(
        "change_failure_rate",
        "2",
        &[("1", "2024-01-01"), ("2", "2026-07-10")],
    )];
    let r = report_with(dir.path(), CONFIG, defs);
    // Version 1's entry has no earlier version to compare with: one change, 1 -> 2.
    assert_eq!(r.definition_changes.len(), 1);
    let c = &r.definition_changes[0];
    assert_eq!((c.change.from, c.change.to), (1, 2));
    let q = &r.periods[&Grain::Quarter][c.quarter];
    assert_eq!(q.key, "2026-Q3");
    // The org is scope 0: [under v1, under v2].
    assert_eq!(c.of_scope(0), [Some(0.25), Some(0.5)]);
    // Team web (d6 only, never failed): 0 / 1 under both.
    let web = r
        .scopes
        .iter()
        .position(|s| s.scope.key == "team:web")
        .unwrap();
    assert_eq!(c.of_scope(web), [Some(0.0), Some(0.0)]);
    // The quarter's figures carry the change, with a row for the org and each team (not
    // for services); the quarter before has none.
    let quarter = |key: &str| r.quarters.iter().find(|q| q.quarter == key).unwrap();
    assert!(quarter("2026-Q2").definition_changes.is_empty());
    let changes = &quarter("2026-Q3").definition_changes;
    assert_eq!(changes.len(), 1);
    let rows: Vec<(&str, Option<f64>, Option<f64>)> = changes[0]
        .rows
        .iter()
        .map(|(key, _, from, to)| (key.as_str(), *from, *to))
        .collect();
    assert_eq!(
        rows,
        [
            ("org", Some(0.25), Some(0.5)),
            ("team:shop", Some(1.0 / 3.0), Some(2.0 / 3.0)),
            ("team:web", Some(0.0), Some(0.0)),
        ]
    );
}

#[test]
fn a_change_outside_the_data_has_no_side_by_side() {
    let dir = full_site();
    let defs = vec![def("change_failure_rate", "2", &[("2", "2020-01-01")])];
    let r = report_with(dir.path(), CONFIG, defs);
    assert!(r.definition_changes.is_empty());
}

fn messages(config_text: &str, defs: &[MetricDef]) -> Vec<String> {
    let config = config::parse(config_text).unwrap();
    check(&config, defs)
        .sorted()
        .iter()
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn a_page_version_the_code_does_not_implement_is_an_error_at_its_line() {
    let m = messages(CONFIG, &[def("change_failure_rate", "3", &[])]);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].starts_with("content/metrics/change_failure_rate.md:4"),
        "{m:?}"
    );
    assert!(m[0].contains("version `3` of `change_failure_rate` is not one almanac implements (it implements version 1 and 2)"), "{m:?}");
}

#[test]
fn a_page_stating_another_version_than_the_figures_use_is_an_error() {
    let m = messages(CONFIG, &[def("change_failure_rate", "1", &[])]);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].contains("this page says version 1, but every figure of `change_failure_rate` is computed under version 2, the current version"), "{m:?}");
    // Pinned to 1, the same page is right.
    let pinned = format!("{CONFIG}\n[definitions]\nchange_failure_rate = 1\n");
    assert!(messages(&pinned, &[def("change_failure_rate", "1", &[])]).is_empty());
    // Pinned to 1, a page saying 2 is wrong, and the message names the pin.
    let m = messages(&pinned, &[def("change_failure_rate", "2", &[])]);
    assert!(
        m[0].contains("pinned by `[definitions] change_failure_rate = 1`"),
        "{m:?}"
    );
}

#[test]
fn pins_and_coaching_must_name_what_the_code_implements() {
    let text = format!(
        "{CONFIG}\n[definitions]\nchange_failue_rate = 1\nlead_time_median_hours = 2\n[coaching]\nlead_time = [\"Where does work wait?\"]\n"
    );
    let m = messages(&text, &[]);
    assert_eq!(m.len(), 3, "{m:?}");
    assert!(m.iter().any(|s| s.contains("pins `change_failue_rate`, which is not a metric almanac computes; did you mean `change_failure_rate`?")), "{m:?}");
    assert!(m.iter().any(|s| s.contains("`[definitions] lead_time_median_hours = 2`: almanac implements version 1 of this metric")), "{m:?}");
    assert!(
        m.iter()
            .any(|s| s.contains("`[coaching]` has questions for `lead_time`")),
        "{m:?}"
    );
    // Every one points at its line of almanac.toml (CONFIG is 9 lines; the pins follow).
    assert!(m.iter().all(|s| s.starts_with("almanac.toml:1")), "{m:?}");
}

#[test]
fn a_definition_page_for_an_unknown_metric_is_an_error() {
    let m = messages(CONFIG, &[def("lead_tiem_median_hours", "1", &[])]);
    assert_eq!(m.len(), 1);
    assert!(
        m[0].contains("did you mean `lead_time_median_hours`?"),
        "{m:?}"
    );
}

#[test]
fn a_change_to_a_version_the_code_lacks_has_no_side_by_side() {
    // change_failure_rate has versions 1 and 2. An entry for version 3 has no figure under
    // version 3 to show (and one for version 1 none under a version 0); the entry for 2
    // compares 1 with 2.
    let only_3 = [def(
        "change_failure_rate",
        "2",
        &[("1", "2024-01-01"), ("3", "2026-07-10")],
    )];
    assert!(changes(&only_3).is_empty());
    let with_2 = [def("change_failure_rate", "2", &[("2", "2026-07-10")])];
    let c = changes(&with_2);
    assert_eq!(c.len(), 1);
    assert_eq!((c[0].from, c[0].to), (1, 2));
}

#[test]
fn a_page_without_a_version_line_is_reported_without_a_line() {
    // `version_line` 0 means the page has no `version` line: the problem names the file
    // only; with line 4 it names line 4.
    let config = config::parse(CONFIG).unwrap();
    let line = |version_line: u32| {
        let mut d = def("change_failure_rate", "9", &[]);
        d.version_line = version_line;
        let diags = check(&config, &[d]).sorted();
        let bad = diags
            .iter()
            .find(|x| x.message.contains("version `9`"))
            .unwrap();
        bad.line
    };
    assert_eq!(line(0), None);
    assert_eq!(line(4), Some(4));
}
