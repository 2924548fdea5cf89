//! Diagnostics that lead to the cause: a file-level error is printed once, first, without
//! the errors that follow from it; at most 20 problems of a kind; every diagnostic located;
//! usage errors exit 2 and say what is wrong.

use super::*;

/// Runs almanac with `args`: exit code, stdout, stderr lines.
fn run(args: &[&str]) -> (Option<i32>, String, Vec<String>) {
    let o = almanac(args);
    let err = text(&o.stderr).lines().map(str::to_string).collect();
    (o.status.code(), text(&o.stdout), err)
}

/// Runs `check` on a fixture and asserts its exit code and every line of its stderr.
fn expect(name: &str, code: i32, stderr: &[&str]) {
    let (got, _, err) = run(&["check", "--root", fixture(name).to_str().unwrap()]);
    assert_eq!(got, Some(code), "{err:?}");
    assert_eq!(err, stderr);
}

#[test]
fn a_missing_column_is_reported_once_without_its_follow_on_errors() {
    // deployments.csv lacks `status`, so the file is not read. Following from that: 6
    // changes (c1..c6) and 2 incidents (i1, i2) name deployments that are now unknown, and
    // the retros of i1 and i2 name incidents that were dropped: 6 + 2 + 2 = 10 hidden.
    expect(
        "diag_missing_column",
        1,
        &[
            "data/deployments.csv:1:1: error: missing column `status`; the header must include deploy_id,service,environment,status,deployed_at (found: deploy_id,service,environment,deployed_at)",
            "1 error, 0 warnings (10 more errors that follow from the file-level error above are not shown)",
        ],
    );
}

#[test]
fn after_twenty_problems_of_a_kind_the_rest_are_counted() {
    // 25 added changes (lines 9..=33) name unknown deployments dx1..dx25: lines 9..=28 are
    // shown, the other 5 counted. `x1,api,2026-07-01T06:00:00Z,` is 28 characters. The
    // errors come before the warning, although content/ sorts before data/.
    let mut want = Vec::new();
    for i in 1..=20 {
        let col = if i < 10 { 29 } else { 30 };
        want.push(format!("data/changes.csv:{}:{col}: error: deploy_id `dx{i}` does not exist in data/deployments.csv; fix the id or add the deployment", i + 8));
    }
    want.push("  ... and 5 more like this".into());
    want.push("content/retros/i2.md:6:1: warning: action item `Tune the connection pool` is overdue by 1 day (due 2026-07-14); close it or move its due date".to_string());
    want.push("25 errors, 1 warning".into());
    let want: Vec<&str> = want.iter().map(String::as_str).collect();
    expect("diag_many", 1, &want);
}

#[test]
fn a_change_naming_a_refused_deployment_points_at_its_row_which_comes_first() {
    // d1's status is misspelt (line 3, column 19: `d1,api,production,` is 18 characters), so
    // its row is refused; c1 and c2 name d1 and are told so (column 29:
    // `c1,api,2026-07-01T06:00:00Z,` is 28 characters), after the row they follow from,
    // although changes.csv sorts before deployments.csv; the warning comes after every error.
    let refused = "deploy_id `d1` is the deployment on line 3 of data/deployments.csv, which was refused (its error is reported there); fix that row";
    expect(
        "diag_refused_row",
        1,
        &[
            "data/deployments.csv:3:19: error: unknown status `sucess`; use success, rolled_back or failed",
            &format!("data/changes.csv:2:29: error: {refused}"),
            &format!("data/changes.csv:3:29: error: {refused}"),
            "content/retros/i2.md:6:1: warning: action item `Tune the connection pool` is overdue by 1 day (due 2026-07-14); close it or move its due date",
            "3 errors, 1 warning",
        ],
    );
}

#[test]
fn every_unknown_config_key_is_reported_at_its_position() {
    // Three typos: `timezon` (line 2), `asof` (line 3) and `nmae` in the first [[team]]
    // (line 7); serde alone would stop at the first.
    let top = "the keys are title, timezone, as_of, theme, dora_reference_year, team, slo, definitions, coaching, base_url: remove it or check its spelling";
    expect(
        "diag_config_keys",
        1,
        &[
            &format!("almanac.toml:2:1: error: unknown key `timezon`; {top}"),
            &format!("almanac.toml:3:1: error: unknown key `asof`; {top}"),
            "almanac.toml:7:1: error: unknown key `nmae` in [[team]]; the keys are id, name, services: remove it or check its spelling",
            "3 errors, 0 warnings",
        ],
    );
}

#[test]
fn an_unknown_theme_points_at_its_name() {
    // `theme = "fancy"`: the string starts at column 9 of line 3.
    expect(
        "diag_theme",
        1,
        &[
            "almanac.toml:3:9: error: theme `fancy` not found: there is no folder themes/fancy; copy themes/default there or set theme = \"default\"",
            "1 error, 0 warnings",
        ],
    );
}

#[test]
fn no_report_date_points_at_the_config() {
    expect(
        "diag_no_date",
        1,
        &[
            "almanac.toml:1:1: error: cannot tell the report date: data/ has no timestamps and there is no as_of; add `as_of = YYYY-MM-DD` to almanac.toml or pass --as-of",
            "1 error, 0 warnings",
        ],
    );
}

#[test]
fn a_service_slug_clash_points_at_the_later_spelling() {
    // `API` first appears on line 3 of deployments.csv; `api` is the config's own.
    expect(
        "diag_slug_clash",
        1,
        &[
            "data/deployments.csv:3:4: error: service `API` (1 row) is not owned by any team; did you mean api? Fix the name, or add `API` to a [[team]]'s services in almanac.toml",
            "data/deployments.csv:3:4: error: services `api` and `API` would share the page services/api.html; use one spelling",
            "2 errors, 0 warnings",
        ],
    );
}

#[test]
fn a_malformed_period_is_a_syntax_error_distinct_from_a_late_one() {
    let root = fixture("basic");
    let root = root.to_str().unwrap();
    for key in ["2026-Q5", "2026-13", "garbage"] {
        let (code, out, err) = run(&["metrics", "--root", root, "--period", key]);
        assert_eq!((code, out.as_str()), (Some(2), ""));
        assert_eq!(err, [format!("error: `{key}` is not a period: write a quarter (2026-Q3), a month (2026-07) or an ISO week (2026-W27)")]);
    }
    // basic's as_of is 2026-07-15, so 2026-Q4 (from 2026-10-01) is well-formed but late.
    let (code, _, err) = run(&["metrics", "--root", root, "--period", "2026-Q4"]);
    assert_eq!(code, Some(2));
    assert_eq!(err, ["error: period `2026-Q4` starts after the report date 2026-07-15; pick an earlier period or pass a later --as-of"]);
}

#[test]
fn an_unknown_scope_lists_the_valid_ones() {
    let root = fixture("basic");
    let (code, _, err) = run(&[
        "metrics",
        "--root",
        root.to_str().unwrap(),
        "--scope",
        "team:nope",
    ]);
    assert_eq!(code, Some(2));
    assert_eq!(err, ["error: unknown scope `team:nope`; the scopes are org, team:shop, team:web, service:api, service:web"]);
}

#[test]
fn a_period_past_the_data_is_na_not_zero() {
    // basic's last timestamp is d7 at 2026-07-20; 2030-Q1 starts long after it.
    let root = fixture("basic");
    let args = [
        "metrics",
        "--root",
        root.to_str().unwrap(),
        "--as-of",
        "2030-01-01",
        "--format",
        "json",
    ];
    let (code, out, err) = run(&args);
    assert_eq!(code, Some(0), "{err:?}");
    assert_eq!(
        err,
        ["note: the data ends on 2026-07-20, before 2030-Q1 starts: its figures are n/a"]
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["deployments"], serde_json::Value::Null);
    assert_eq!(v["deploys_per_week"], serde_json::Value::Null);
}

#[test]
fn demo_refuses_counts_it_would_clamp() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("demo");
    for flag in ["--teams", "--services-per-team", "--months"] {
        let (code, _, err) = run(&["demo", "--out", out.to_str().unwrap(), flag, "0"]);
        assert_eq!(code, Some(2), "{flag}");
        assert!(err[0].contains("0 is not in 1.."), "{err:?}");
    }
    assert!(!out.exists());
}

#[test]
fn demo_removes_the_retros_of_its_previous_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("demo");
    let o = out.to_str().unwrap();
    let mine = out.join("content/retros/mine.md");
    assert_eq!(
        run(&["demo", "--out", o, "--seed", "1", "--months", "3"]).0,
        Some(0)
    );
    fs::write(&mine, "not the demo's").unwrap();
    let (code, _, err) = run(&["demo", "--out", o, "--seed", "2", "--months", "3"]);
    assert_eq!(code, Some(0));
    // Seed 2 writes other retros than seed 1: the stale ones go, the user's file stays.
    assert!(
        err.iter().any(|l| l.starts_with("note: removed ")),
        "{err:?}"
    );
    assert!(mine.exists());
    // Without the user's note, no retro of seed 1 is left naming an unknown incident.
    fs::remove_file(&mine).unwrap();
    let (code, _, err) = run(&["check", "--root", o]);
    assert_eq!(code, Some(0), "{err:?}");
}

#[test]
fn new_retro_is_named_by_the_id_and_refuses_a_second_retro() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("basic"), &root);
    let csv = root.join("data/incidents.csv");
    let text = fs::read_to_string(&csv).unwrap();
    fs::write(
        &csv,
        text.replace("i3,web,3,", "INC-3,web,3,")
            .replace("capacity,Slow pages", "capacity,web: Slow pages"),
    )
    .unwrap();
    let r = root.to_str().unwrap();
    let (code, _, err) = run(&["new", "retro", "INC-3", "--root", r]);
    assert_eq!(code, Some(0), "{err:?}");
    let written = root.join("content/retros/INC-3.md");
    let body = fs::read_to_string(&written).unwrap();
    // The title already names the service: it is said once.
    assert!(
        body.contains("(severity 3) affected web: Slow pages."),
        "{body}"
    );
    fs::rename(&written, root.join("content/retros/slow-pages.md")).unwrap();
    let (code, _, err) = run(&["new", "retro", "INC-3", "--root", r]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        ["error: content/retros/slow-pages.md is already this incident's retro; edit it instead"]
    );
    assert!(!written.exists());
    let (code, _, err) = run(&["new", "retro", "INC-9", "--root", r]);
    assert_eq!(code, Some(2));
    assert_eq!(err, ["error: incident `INC-9` is not in data/incidents.csv; check the id (it is the incident_id column)"]);
}

#[test]
fn check_reports_a_theme_template_that_does_not_parse() {
    // page.html opens `{% if %}` on line 3 and never closes it: tera stops at the
    // `{% endblock %}` at line 4, column 1. `build` would fail the same way.
    expect(
        "diag_theme_broken",
        1,
        &[
            "themes/mine/templates/page.html:4:1: error: the template does not parse: unexpected tag; expected an `elif` tag, an `else` tag, an endif tag (`{% endif %}`), or some content",
            "1 error, 0 warnings",
        ],
    );
}

#[test]
fn check_renders_a_sample_of_every_page_kind_with_the_sites_templates() {
    // page.html parses but calls a filter tera does not have: only rendering finds it.
    // `page.html` renders two kinds here (the data contract and the methodology), so the
    // one problem names both pages; `build` would fail on the first of them.
    expect(
        "diag_theme_render",
        1,
        &[
            "themes/mine/templates/page.html: error: rendering data-contract.html, methodology.html fails: Failed to render 'page.html': Filter 'no_such_filter' not found; fix the template, or remove it to use the default",
            "1 error, 0 warnings",
        ],
    );
}

#[test]
fn weekly_review_files_are_checked_with_their_locations() {
    // `maybe` is on line 3 of 2026-W28.md (after `+++` and `notes`), at column 13.
    expect(
        "diag_reviews",
        1,
        &[
            "content/reviews/2026-28.md: error: the file name `2026-28` is not an ISO week; name the file YYYY-Www.md, e.g. 2026-W39.md",
            "content/reviews/2026-W28.md:3:13: error: `decision` is `maybe`; use continue, adjust or investigate",
            "content/reviews/q3/2026-W27.md: error: week `2026-W27` already has a review in `content/reviews/2026-W27.md`; keep one of the two files",
            "3 errors, 0 warnings",
        ],
    );
}

#[test]
fn a_toml_syntax_error_says_so_at_its_position() {
    // Line 2's string is never closed: toml reads to the end of the line, column 14.
    expect(
        "diag_toml_syntax",
        1,
        &[
            "almanac.toml:2:14: error: not valid TOML: invalid basic string, expected `\"`; fix the syntax at this position (see https://toml.io)",
            "1 error, 0 warnings",
        ],
    );
}

/// A shortcode naming an unknown metric is found with the other input errors, not only once
/// they are fixed: it needs the scopes, not the figures. Here a deployment's status is
/// misspelt as well (line 2, column 22: `d-001,api,production,` is 21 characters), and both
/// are reported in one run. The report's line 14 holds the shortcode at column 33.
#[test]
fn a_bad_shortcode_is_reported_with_the_other_input_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    init(&root);
    edit(
        &root.join("data/deployments.csv"),
        "d-001,api,production,success",
        "d-001,api,production,sucess",
    );
    edit(
        &root.join("content/reports/2026-q2.md"),
        "figure(metric=\"deploys_per_week\"",
        "figure(metric=\"deploys_per_wek\"",
    );
    let (code, _, err) = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{err:?}");
    let at = |prefix: &str| err.iter().any(|l| l.starts_with(prefix));
    assert!(
        at("data/deployments.csv:2:22: error: unknown status `sucess`"),
        "{err:?}"
    );
    assert!(
        at("content/reports/2026-q2.md:14:33: error: this figure names `deploys_per_wek`, which is not a metric almanac computes; did you mean `deploys_per_week`?"),
        "{err:?}"
    );
}
