//! Strict inputs: each `strict_*` fixture holds one mistake that used to pass silently
//! (a stray quote, an absurd timestamp, SLI sums past u64, bytes that are not UTF-8, a
//! typo'd service, a misnamed data file). `check` must name it exactly, with its position.

use super::*;

/// Runs `check` on a fixture and asserts its exit code and every line of its stderr;
/// returns its stdout.
fn expect(name: &str, code: i32, stderr: &[&str]) -> String {
    let (got, out, err) = check(name);
    assert_eq!(got, Some(code), "{err:?}");
    assert_eq!(err, stderr);
    out
}

/// Runs `check` on a fixture: exit code, stdout, stderr lines.
fn check(name: &str) -> (Option<i32>, String, Vec<String>) {
    let o = almanac(&["check", "--root", fixture(name).to_str().unwrap()]);
    let err = text(&o.stderr).lines().map(str::to_string).collect();
    (o.status.code(), text(&o.stdout), err)
}

#[test]
fn a_stray_quote_is_an_error_where_it_opened() {
    // The title of line 3 opens a quote that is never closed, so the reader would take
    // lines 3-5 as one field: `i2,api,2,<20>,<20>,,capacity,` is 61 characters, so the
    // quote is column 62. Only the first line of the field is quoted back.
    expect(
        "strict_quote",
        1,
        &[
            "data/incidents.csv:3:62: error: the quote opened here (`\"Slow checkout`) runs over 3 lines; a field may not contain a line break: close the quote or remove it",
            "1 error, 0 warnings",
        ],
    );
}

#[test]
fn absurd_timestamps_are_errors_and_the_report_date_names_its_row() {
    // 2205-04-03 is more than 365 days after 2026-07-03 (line 4), the next-latest
    // deployment; `d2,api,staging,success,` is 23 characters, so the field is column 24.
    // 1999-07-02 in pages.csv is before 2000 (`p1,api,` is 7 characters: column 8).
    // Without as_of the report date is the latest sane timestamp: 2026-07-03T10:00:00Z on
    // line 4 of deployments.csv (pages.csv's sane row, 2026-07-02, is earlier).
    let out = expect(
        "strict_future",
        1,
        &[
            "data/deployments.csv:3:24: error: timestamp 2205-04-03T10:00:00Z is more than a year after the next-latest one in this file (2026-07-03T10:00:00Z on line 4); check the year",
            "data/pages.csv:2:8: error: timestamp 1999-07-02T03:00:00Z is before 2000; almanac reads data from 2000 on: check the year",
            "2 errors, 0 warnings",
        ],
    );
    assert_eq!(
        out,
        "report date 2026-07-03 set by data/deployments.csv:4 (latest timestamp)\n"
    );
}

#[test]
fn the_build_summary_names_the_row_that_set_the_report_date() {
    // strict_files has no errors; no as_of is configured in the copy, so the latest
    // deployment (2026-07-03T10:00:00Z, line 3) sets the date.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("src");
    copy_dir(&fixture("strict_files"), &root);
    let toml = fs::read_to_string(root.join("almanac.toml")).unwrap();
    fs::write(
        root.join("almanac.toml"),
        toml.replace("as_of = 2026-07-15\n", ""),
    )
    .unwrap();
    let o = build(&root, &tmp.path().join("out"));
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("built "), "{out}");
    assert_eq!(
        lines[1],
        "report date 2026-07-03 set by data/deployments.csv:3 (latest timestamp)"
    );
    // With as_of configured, nothing is said about it.
    let (_, out, _) = check("strict_files");
    assert!(!out.contains("report date"), "{out}");
}

#[test]
fn sli_sums_past_u64_and_good_above_total_are_errors() {
    // Line 3: 100 + 18446744073709551615 does not fit in a u64; `total` starts at column
    // 60 (`api-availability,` 17 + timestamp 21 + good 21 = 59 characters before it).
    // Line 4 (5 of 10) is accepted: the sum is 110. Line 5: good 10 > total 5, at `good`
    // (column 39 = 17 + 21 + 1).
    expect(
        "strict_overflow",
        1,
        &[
            "data/sli.csv:3:60: error: the sum of `total` over SLO `api-availability` passes 18446744073709551615 at this row, more than almanac can count; check this row's counts",
            "data/sli.csv:5:39: error: good (10) is greater than total (5); good events are a subset of all events",
            "2 errors, 0 warnings",
        ],
    );
}

#[test]
fn bytes_that_are_not_utf8_are_errors_at_the_first_bad_byte() {
    // Line 3 is `d2,api,pr` then byte 0xE9: the 10th character.
    expect(
        "strict_utf8",
        1,
        &[
            "data/deployments.csv:3:10: error: this file is not valid UTF-8 (first bad byte here); save it with UTF-8 encoding",
            "1 error, 0 warnings",
        ],
    );
    // almanac.toml line 2 is `title = "Caf` then 0xE9: the 13th character.
    expect(
        "strict_utf8_toml",
        1,
        &[
            "almanac.toml:2:13: error: this file is not valid UTF-8 (first bad byte here); save it with UTF-8 encoding",
            "1 error, 0 warnings",
        ],
    );
}

#[test]
fn a_typod_service_is_an_error_and_other_unowned_services_one_warning() {
    // `api-gatway` is 1 edit from the team's `api-gateway` (11 characters allow 2): an
    // error at its first row, line 3, counting its 2 rows (lines 3 and 5). `billing`
    // (lines 4 and 6) and `pager` (pages.csv line 2) are near nothing a team owns: one
    // warning, at the first of them.
    expect(
        "strict_typo",
        1,
        &[
            "data/deployments.csv:3:4: error: service `api-gatway` (2 rows) is not owned by any team; did you mean api-gateway? Fix the name, or add `api-gatway` to a [[team]]'s services in almanac.toml",
            "data/deployments.csv:4:4: warning: 2 services are not owned by any team: `billing` (2 rows, first at data/deployments.csv:4), `pager` (1 row, first at data/pages.csv:2); add them to a [[team]]'s services in almanac.toml",
            "1 error, 1 warning",
        ],
    );
}

#[test]
fn unknown_data_files_are_warnings_with_the_closest_contract_name() {
    // `data/page.csv` is 1 edit from `data/pages.csv`; `data/notes.txt` is near nothing.
    let (code, out, err) = check("strict_files");
    assert_eq!(code, Some(0));
    assert_eq!(out, "");
    assert_eq!(
        err,
        [
            "data/notes.txt: warning: almanac does not read this file; the data contract's files are data/deployments.csv, data/changes.csv, data/incidents.csv, data/sli.csv, data/pages.csv, data/annotations.csv and data/slos/*.yaml: rename it or move it out of data/",
            "data/page.csv: warning: almanac does not read this file; did you mean data/pages.csv?",
            "0 errors, 2 warnings",
        ]
    );
}
