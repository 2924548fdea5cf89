//! Tests of the OpenSLO reader: a multi-document file that parses, and each rejection
//! with its line and message.

use super::*;
use crate::diag::{Diagnostic, Severity};

const PATH: &str = "data/slos/shop.yaml";

const GOOD: &str = "# Shop SLOs
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
  displayName: Checkout availability
spec:
  description: Checkout requests succeed
  service: checkout
  indicatorRef: checkout-errors
  timeWindow:
    - duration: 4w
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: good
      target: 0.999
---
apiVersion: openslo/v1
kind: SLI
metadata:
  name: checkout-errors
spec:
  ratioMetric:
    counter: true
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: search-latency
spec:
  service: search
  indicator:
    metadata:
      name: latency
    spec:
      thresholdMetric:
        metricSource:
          type: Prometheus
  timeWindow:
    - duration: 1M
      calendar:
        startTime: 2024-01-01 00:00:00
        timeZone: Europe/Berlin
  budgetingMethod: Timeslices
  objectives:
    - op: lte
      value: 300
      targetPercent: 99.5
      timeSliceTarget: 0.95
      timeSliceWindow: 5m
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: billing-quarterly
spec:
  service: billing
  timeWindow:
    - duration: 1Q
      isRolling: false
  objectives:
    - target: 0.99
";

fn diags(text: &str) -> Vec<Diagnostic> {
    parse(PATH, text).1.sorted()
}

/// A minimal SLO document with `spec_extra` spliced into `spec` (two-space indented).
fn doc(spec: &str) -> String {
    format!("apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: x\nspec:\n  service: s\n{spec}")
}

const ROLLING: &str = "  timeWindow:\n    - duration: 28d\n      isRolling: true\n";

/// The single error of `text`: its line and message.
fn one_error(text: &str) -> (u32, String) {
    let errors: Vec<_> = diags(text)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].path, PATH);
    (errors[0].line.unwrap(), errors[0].message.clone())
}

#[test]
fn parses_a_multi_document_file() {
    let (slos, d) = parse(PATH, GOOD);
    assert_eq!(slos.len(), 3);
    let a = &slos[0];
    assert_eq!(
        (a.id.as_str(), a.service.as_str()),
        ("checkout-availability", "checkout")
    );
    assert_eq!(a.window, SloWindow::Rolling { days: 28 });
    assert_eq!(a.objective, 0.999);
    assert_eq!(a.budgeting, Budgeting::Occurrences);
    assert_eq!(a.description, "Checkout requests succeed");
    assert_eq!((a.path.as_str(), a.line), (PATH, 2));
    let b = &slos[1];
    assert_eq!(b.window, SloWindow::Month);
    assert!((b.objective - 0.995).abs() < 1e-12); // targetPercent 99.5 / 100
    assert_eq!(b.budgeting, Budgeting::Timeslices { target: 0.95 });
    assert_eq!(b.line, 27);
    let c = &slos[2];
    assert_eq!(
        (c.window, c.budgeting),
        (SloWindow::Quarter, Budgeting::Occurrences)
    );
    // the SLI document is skipped with a warning at its `kind` line
    let v = d.sorted();
    assert_eq!(v.len(), 1);
    assert_eq!((v[0].severity, v[0].line), (Severity::Warning, Some(20)));
    assert!(
        v[0].message.contains("kind `SLI` is ignored"),
        "{}",
        v[0].message
    );
}

#[test]
fn warns_when_the_calendar_zone_is_not_the_site_zone() {
    let (slos, d) = parse_for_site(PATH, GOOD, Tz::UTC);
    assert_eq!(slos.len(), 3);
    let v = d.sorted();
    let tz: Vec<_> = v
        .iter()
        .filter(|x| x.message.contains("timeZone"))
        .collect();
    assert_eq!(tz.len(), 1);
    assert_eq!(tz[0].line, Some(44));
    assert_eq!(
        parse_for_site(PATH, GOOD, chrono_tz::Europe::Berlin)
            .1
            .len(),
        1
    );
}

#[test]
fn rejects_other_api_versions() {
    let text = "apiVersion: openslo/v1alpha\nkind: SLO\nmetadata:\n  name: x\n";
    let (line, msg) = one_error(text);
    assert_eq!(line, 1);
    assert!(msg.contains("`openslo/v1alpha` is not supported"), "{msg}");
}

#[test]
fn rejects_several_objectives_at_the_second() {
    let text = doc(&format!(
        "{ROLLING}  objectives:\n    - target: 0.99\n    - target: 0.999\n"
    ));
    let (line, msg) = one_error(&text);
    assert_eq!(line, 12);
    assert!(
        msg.contains("has 2 objectives") && msg.contains("split"),
        "{msg}"
    );
}

#[test]
fn rejects_timeslices_without_a_slice_target() {
    let text = doc(&format!(
        "{ROLLING}  budgetingMethod: Timeslices\n  objectives:\n    - target: 0.99\n"
    ));
    let (line, msg) = one_error(&text);
    assert_eq!(line, 12);
    assert!(msg.contains("timeSliceTarget"), "{msg}");
}

#[test]
fn rejects_a_calendar_start_inside_a_month() {
    let window = "  timeWindow:\n    - duration: 1M\n      calendar:\n        startTime: 2022-01-15 12:00:00\n        timeZone: UTC\n";
    let text = doc(&format!("{window}  objectives:\n    - target: 0.99\n"));
    let (line, msg) = one_error(&text);
    assert_eq!(line, 10);
    assert!(msg.contains("not the start of a calendar month"), "{msg}");
}

#[test]
fn rejects_a_quarter_starting_in_february() {
    let window = "  timeWindow:\n    - duration: 1Q\n      calendar:\n        startTime: 2022-02-01 00:00:00\n";
    let (line, msg) = one_error(&doc(&format!(
        "{window}  objectives:\n    - target: 0.99\n"
    )));
    assert_eq!(line, 10);
    assert!(msg.contains("calendar quarter"), "{msg}");
}

#[test]
fn rejects_unsupported_durations() {
    let rolling_month = "  timeWindow:\n    - duration: 1M\n      isRolling: true\n  objectives:\n    - target: 0.9\n";
    let (line, msg) = one_error(&doc(rolling_month));
    assert_eq!(line, 8);
    assert!(msg.contains("rolling window `1M`"), "{msg}");
    let hours = "  timeWindow:\n    - duration: 12h\n      isRolling: true\n  objectives:\n    - target: 0.9\n";
    assert!(one_error(&doc(hours)).1.contains("whole days or weeks"));
    let cal_week = "  timeWindow:\n    - duration: 2w\n      calendar:\n        timeZone: UTC\n  objectives:\n    - target: 0.9\n";
    let (line, msg) = one_error(&doc(cal_week));
    assert_eq!(line, 8);
    assert!(msg.contains("calendar window `2w`"), "{msg}");
    // OpenSLO durations are digits then a unit, nothing around them: a quoted " 28d"
    // is not read as 28 days (almanac.toml's own window parser would trim it).
    let spaced = "  timeWindow:\n    - duration: \" 28d\"\n      isRolling: true\n  objectives:\n    - target: 0.9\n";
    let (line, msg) = one_error(&doc(spaced));
    assert_eq!(line, 8);
    assert!(msg.contains("rolling window ` 28d`"), "{msg}");
}

#[test]
fn rejects_missing_and_out_of_range_targets() {
    let (line, msg) = one_error(&doc(&format!(
        "{ROLLING}  objectives:\n    - displayName: x\n"
    )));
    assert_eq!(line, 11);
    assert!(msg.contains("has no `target`"), "{msg}");
    let (line, msg) = one_error(&doc(&format!(
        "{ROLLING}  objectives:\n    - target: 99.9\n"
    )));
    assert_eq!(line, 11);
    assert!(msg.contains("between 0 and 1"), "{msg}");
    let both = format!("{ROLLING}  objectives:\n    - target: 0.9\n      targetPercent: 90\n");
    let (line, msg) = one_error(&doc(&both));
    assert_eq!(line, 12);
    assert!(msg.contains("not both"), "{msg}");
}

#[test]
fn rejects_unknown_fields_missing_names_and_bad_yaml() {
    let typo = format!("{ROLLING}  objectives:\n    - target: 0.9\n  budgetMethod: Occurrences\n");
    let (line, msg) = one_error(&doc(&typo));
    assert_eq!(line, 12);
    assert!(msg.contains("unknown field `spec.budgetMethod`"), "{msg}");
    let nameless = "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  displayName: x\nspec:\n  service: s\n  timeWindow:\n    - duration: 7d\n  objectives:\n    - target: 0.9\n";
    let (line, msg) = one_error(nameless);
    assert_eq!(line, 3);
    assert!(msg.contains("missing `metadata.name`"), "{msg}");
    let (line, msg) = one_error("---\napiVersion: openslo/v1\nkind: [SLO\n");
    assert!(line >= 3, "{line}");
    assert!(msg.starts_with("invalid YAML"), "{msg}");
    // serde_norway's positions count from the document, not the file: they are dropped
    assert!(!msg.contains(" at line "), "{msg}");
    let (_, msg) = one_error(&doc("  objectives:\n    - target: 0.9\n"));
    assert!(msg.contains("missing `spec.timeWindow`"), "{msg}");
}

#[test]
fn rejects_duplicate_names_in_a_file() {
    let one = doc(&format!("{ROLLING}  objectives:\n    - target: 0.9\n"));
    let text = format!("{one}---\n{one}");
    let (slos, d) = parse(PATH, &text);
    assert_eq!(slos.len(), 1);
    let v = d.sorted();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].line, Some(13)); // the second document starts on line 13
    assert!(
        v[0].message.contains("duplicate SLO `x`"),
        "{}",
        v[0].message
    );
}

#[test]
fn subset_documents_every_supported_field() {
    for field in [
        "openslo/v1",
        "metadata.name",
        "spec.service",
        "budgetingMethod",
        "timeSliceTarget",
        "targetPercent",
        "isRolling",
        "startTime",
        "1M",
        "1Q",
    ] {
        assert!(OPENSLO_SUBSET.contains(field), "{field}");
    }
}

/// A YAML error in a later document is placed in the file, not in the document: the
/// document after `---` (line 12) starts at line 13, and serde_norway stops at the
/// second `:` of `kind: SLO: x`, column 10 (`kind: SLO` is 9 characters).
#[test]
fn a_yaml_error_in_a_later_document_is_at_its_file_line() {
    let one = doc(&format!("{ROLLING}  objectives:\n    - target: 0.9\n"));
    assert_eq!(one.lines().count(), 11);
    let errors = diags(&format!("{one}---\nkind: SLO: x\n"));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].line, errors[0].column), (Some(13), Some(10)));
    assert_eq!(
        errors[0].message,
        "invalid YAML: mapping values are not allowed in this context; fix the syntax of this document"
    );
}

/// serde_norway's ` at line N column M` counts from the document; every such pair is
/// dropped, and nothing else: not ` at line` without digits or without a column.
#[test]
fn document_positions_are_dropped_from_yaml_messages() {
    assert_eq!(
        without_positions("did not find expected key at line 3 column 15, while parsing a block mapping at line 2 column 1"),
        "did not find expected key, while parsing a block mapping"
    );
    for kept in [
        "found at line 12 and more",
        "x at line  column 4",
        "at line 3 column 4",
    ] {
        assert_eq!(without_positions(kept), kept);
    }
}

/// A `---` marker may carry more on its line: a comment (`--- # billing`), or the
/// document itself in flow style. Both start a new document; the flow document's
/// warning is at its `{`, line 12 column 5 (after `--- `).
#[test]
fn a_marker_line_may_carry_a_comment_or_the_document() {
    let one = doc(&format!("{ROLLING}  objectives:\n    - target: 0.9\n"));
    let two = one.replace("name: x", "name: y");
    let (slos, d) = parse(PATH, &format!("{one}--- # billing\n{two}"));
    assert!(d.is_empty(), "{:?}", d.sorted());
    let ids: Vec<_> = slos.iter().map(|s| (s.id.as_str(), s.line)).collect();
    assert_eq!(ids, [("x", 1), ("y", 13)]);
    // `...` ends a document too; the next one starts on the line after it (13).
    let (slos, d) = parse(PATH, &format!("{one}...\n{two}"));
    assert!(d.is_empty(), "{:?}", d.sorted());
    let ids: Vec<_> = slos.iter().map(|s| (s.id.as_str(), s.line)).collect();
    assert_eq!(ids, [("x", 1), ("y", 13)]);
    let (slos, d) = parse(
        PATH,
        &format!("{one}--- {{apiVersion: openslo/v1, kind: SLI}}\n"),
    );
    assert_eq!(slos.len(), 1);
    let v = d.sorted();
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(
        (v[0].severity, v[0].line, v[0].column),
        (Severity::Warning, Some(12), Some(5))
    );
    assert!(v[0].message.contains("kind `SLI` is ignored"), "{v:?}");
}

/// Only the OpenSLO kinds almanac knows to skip are warnings; any other kind (a typo
/// such as `Slo`, or `Foo`) is an error at the `kind` line, 2, naming the kinds.
#[test]
fn an_unknown_kind_is_an_error_not_a_skipped_document() {
    let (line, msg) = one_error("apiVersion: openslo/v1\nkind: Foo\nmetadata:\n  name: x\n");
    assert_eq!(line, 2);
    assert!(
        msg.contains("unknown OpenSLO kind `Foo`") && msg.contains("SLI, Service, DataSource"),
        "{msg}"
    );
}

/// `metadata.name` and `spec.service` become ids in URLs and CSV keys: a space is an
/// error at the field's line (name on line 4, service on line 6 of `doc`).
#[test]
fn names_and_services_must_be_ids() {
    let good = doc(&format!("{ROLLING}  objectives:\n    - target: 0.9\n"));
    let (line, msg) = one_error(&good.replace("name: x", "name: my slo"));
    assert_eq!(line, 4);
    assert!(
        msg.contains("metadata.name `my slo` must use only"),
        "{msg}"
    );
    let (line, msg) = one_error(&good.replace("service: s", "service: my shop"));
    assert_eq!(line, 6);
    assert!(
        msg.contains("spec.service `my shop` must use only"),
        "{msg}"
    );
}

/// `target` is in (0, 1) and `targetPercent` in (0, 100), both ends excluded (0 would
/// allow every request to fail, 1 no request to); `timeSliceTarget` is in (0, 1]: 1
/// means every request of a slice must be good. The objective line is 11 of `doc`
/// with `ROLLING`, the slice target's line 12.
#[test]
fn targets_exclude_their_ends_and_slice_targets_include_one() {
    let objective = |o: &str| doc(&format!("{ROLLING}  objectives:\n    - {o}\n"));
    for (o, what) in [
        ("target: 0", "target must be"),
        ("target: 1", "target must be"),
        ("targetPercent: 0", "targetPercent must be"),
        ("targetPercent: 100", "targetPercent must be"),
    ] {
        let (line, msg) = one_error(&objective(o));
        assert_eq!(line, 11, "{o}");
        assert!(msg.contains(what), "{o}: {msg}");
    }
    // targetPercent 99.99 is 0.9999 (99.99 / 100).
    let (slos, d) = parse(PATH, &objective("targetPercent: 99.99"));
    assert!(d.is_empty(), "{:?}", d.sorted());
    assert!((slos[0].objective - 0.9999).abs() < 1e-12);
    let sliced = |t: &str| {
        doc(&format!(
            "{ROLLING}  budgetingMethod: Timeslices\n  objectives:\n    - target: 0.99\n      timeSliceTarget: {t}\n"
        ))
    };
    let (slos, d) = parse(PATH, &sliced("1"));
    assert!(d.is_empty(), "{:?}", d.sorted());
    assert_eq!(slos[0].budgeting, Budgeting::Timeslices { target: 1.0 });
    for t in ["0", "1.5"] {
        let errors: Vec<_> = diags(&sliced(t))
            .into_iter()
            .filter(|d| {
                d.message
                    .contains("timeSliceTarget must be a number in (0, 1]")
            })
            .collect();
        assert_eq!(errors.len(), 1, "{t}");
        assert_eq!(errors[0].line, Some(13), "{t}");
    }
}

/// A calendar month may start on the first of any month at midnight; a quarter only on
/// the first of January, April, July or October. 2024-02-01 is a month start, not a
/// quarter start; 2024-04-01 is both; the first at noon and the 15th at midnight are
/// neither. `startTime` is line 10 of `doc`.
#[test]
fn calendar_starts_are_first_days_at_midnight() {
    let cal = |d: &str, start: &str| {
        doc(&format!(
            "  timeWindow:\n    - duration: {d}\n      calendar:\n        startTime: {start}\n  objectives:\n    - target: 0.99\n"
        ))
    };
    for (d, start) in [
        ("1M", "2024-02-01 00:00:00"),
        ("1Q", "2024-04-01"),
        ("1M", "2024-04-01T00:00:00"),
    ] {
        let (slos, diags) = parse(PATH, &cal(d, start));
        assert!(diags.is_empty(), "{d} {start}: {:?}", diags.sorted());
        assert_eq!(slos.len(), 1, "{d} {start}");
    }
    for (d, start) in [
        ("1M", "2024-02-01 12:00:00"),
        ("1M", "2024-02-15 00:00:00"),
        ("1Q", "2024-02-01 00:00:00"),
        ("1Q", "2024-04-01 00:00:01"),
    ] {
        let (line, msg) = one_error(&cal(d, start));
        assert_eq!(line, 10, "{d} {start}");
        assert!(
            msg.contains("is not the start of a calendar"),
            "{d} {start}: {msg}"
        );
    }
}

/// An empty objective list is a missing objective, at the `objectives` key (line 10),
/// not a crash on its first item.
#[test]
fn an_empty_objective_list_is_missing_objectives() {
    let (line, msg) = one_error(&doc(&format!("{ROLLING}  objectives: []\n")));
    assert_eq!(line, 10);
    assert!(msg.contains("missing `spec.objectives`"), "{msg}");
}
