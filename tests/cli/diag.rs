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
    // shown, the other 5 counted. `x1,api,2026-07-01T06:00:00Z,` is 28 characters.
    let mut want = vec!["content/retros/i2.md:6:1: warning: action item `Tune the connection pool` is overdue by 1 days (due 2026-07-14); close it or move its due date".to_string()];
    for i in 1..=20 {
        let col = if i < 10 { 29 } else { 30 };
        want.push(format!("data/changes.csv:{}:{col}: error: deploy_id `dx{i}` does not exist in data/deployments.csv; fix the id or add the deployment", i + 8));
    }
    want.push("  ... and 5 more like this".into());
    want.push("25 errors, 1 warning".into());
    let want: Vec<&str> = want.iter().map(String::as_str).collect();
    expect("diag_many", 1, &want);
}

#[test]
fn every_unknown_config_key_is_reported_at_its_position() {
    // Three typos: `timezon` (line 2), `asof` (line 3) and `nmae` in the first [[team]]
    // (line 7); serde alone would stop at the first.
    let top = "the keys are title, timezone, as_of, theme, dora_reference_year, team, slo: remove it or check its spelling";
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
            "data/deployments.csv:3:1: error: service `API` (1 row) is not owned by any team; did you mean api? Fix the name, or add `API` to a [[team]]'s services in almanac.toml",
            "data/deployments.csv:3:1: error: services `api` and `API` would share the page services/api.html; use one spelling",
            "2 errors, 0 warnings",
        ],
    );
}
