//! Front matter: delimiters, TOML and YAML, errors mapped to file lines and columns.

use super::*;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Probe {
    at: Timestamp,
    day: Option<Date>,
    version: Option<Version>,
    #[serde(default)]
    items: Vec<Item>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Item {
    name: String,
}

fn probe(text: &str) -> Result<Probe, FmError> {
    parse(&split(text).unwrap().unwrap())
}

fn pos(line: u32, column: u32) -> Option<Pos> {
    Some(Pos { line, column })
}

// 2026-07-01T10:00:00Z = 20_635 days * 86_400 + 10 * 3_600 (see load::time tests).
const TEN_AM: Ts = 20_635 * 86_400 + 36_000;

#[test]
fn splits_toml_and_yaml_with_crlf_and_bom() {
    let fm = split("\u{feff}+++\r\nat = 1\r\n+++\r\n# Body\r\n")
        .unwrap()
        .unwrap();
    assert_eq!(
        (fm.text, fm.format, fm.start_line, fm.body),
        ("at = 1\r\n", Format::Toml, 2, "# Body\r\n")
    );
    let fm = split("---\nat: 1\n---\n").unwrap().unwrap();
    assert_eq!((fm.text, fm.format, fm.body), ("at: 1\n", Format::Yaml, ""));
    assert_eq!(split("# Just markdown\n"), Ok(None));
    assert_eq!(split(""), Ok(None));
    let open = split("+++\ntitle = \"x\"\n").unwrap_err();
    assert_eq!(open.pos, pos(1, 1));
    assert!(
        open.message.contains("never closed; add a line `+++`"),
        "{}",
        open.message
    );
    assert!(missing("title = \"x\"")
        .message
        .contains("start the file with a `+++` line"));
}

#[test]
fn toml_and_yaml_give_the_same_values() {
    let toml =
        probe("+++\nat = 2026-07-01T12:00:00+02:00\nday = 2026-07-02\nversion = 3\n+++\n").unwrap();
    let yaml =
        probe("---\nat: \"2026-07-01T10:00:00Z\"\nday: 2026-07-02\nversion: 3\n---\n").unwrap();
    let strings =
        probe("+++\nat = \"2026-07-01T10:00:00Z\"\nday = \"2026-07-02\"\nversion = \"3\"\n+++\n")
            .unwrap();
    let want = Probe {
        at: Timestamp(TEN_AM),
        day: Some(Date(NaiveDate::from_ymd_opt(2026, 7, 2).unwrap())),
        version: Some(Version("3".into())),
        items: vec![],
    };
    assert_eq!((toml, yaml, strings), (want.clone(), want.clone(), want));
}

#[test]
fn timestamp_without_offset_points_at_the_value_in_the_file() {
    // Line 1 is `+++`, so `at` is on file line 3; `at = ` is 5 characters: column 6.
    let e = probe("+++\nversion = 1\nat = 2026-07-01T10:00:00\n+++\n").unwrap_err();
    assert_eq!(e.pos, pos(3, 6));
    assert!(
        e.message.contains("has no UTC offset; add one"),
        "{}",
        e.message
    );
    let e = probe("+++\nversion = 1\nat = \"2026-07-01T10:00:00\"\n+++\n").unwrap_err();
    assert_eq!(e.pos, pos(3, 6));
    // YAML: `at: ` is 4 characters: column 5.
    let e = probe("---\nversion: 1\nat: 2026-07-01T10:00:00\n---\n").unwrap_err();
    assert_eq!(e.pos, pos(3, 5));
    assert!(e.message.contains("has no UTC offset"), "{}", e.message);
}

#[test]
fn unknown_and_missing_keys_name_the_keys() {
    let e = probe("+++\nat = 2026-07-01T10:00:00Z\nowner = \"x\"\n+++\n").unwrap_err();
    assert_eq!(e.pos, pos(3, 1));
    assert_eq!(
        e.message,
        "unknown key `owner`; allowed keys are `at`, `day`, `version`, `items`; remove it or fix its spelling"
    );
    let e = probe("---\nat: 2026-07-01T10:00:00Z\nowner: x\n---\n").unwrap_err();
    assert_eq!(
        (
            e.pos,
            e.message
                .starts_with("unknown key `owner`; allowed keys are `at`")
        ),
        (pos(3, 1), true)
    );
    let e = probe("---\nday: 2026-07-01\n---\n").unwrap_err();
    assert_eq!(e.message, "missing key `at`; add it to the front matter");
}

#[test]
fn yaml_syntax_errors_map_to_file_lines() {
    // Front matter line 3 (`  at: [`) is file line 4; the bad `:` is in column 5.
    let e = probe("---\nday: 2026-07-01\nversion: 2\n  at: [2026\n---\n").unwrap_err();
    assert_eq!(e.pos, pos(4, 5));
    assert!(e.message.contains("fix the YAML here"), "{}", e.message);
    assert_eq!(
        shift_line_numbers("x at line 1 column 1, y at line 12 column 3", 1),
        "x at line 2 column 1, y at line 13 column 3"
    );
}

#[test]
fn toml_syntax_errors_map_to_file_lines() {
    // `name = unquoted` is front matter line 2, file line 3; the value starts at column 8.
    let e = probe("+++\nat = 2026-07-01T10:00:00Z\nversion = unquoted\n+++\n").unwrap_err();
    assert_eq!(e.pos.map(|p| p.line), Some(3));
    assert!(
        e.message
            .ends_with("text values need quotes: `key = \"...\"`)"),
        "{}",
        e.message
    );
}

#[test]
fn item_lines_find_each_entry() {
    let text = "+++\nat = 2026-07-01T10:00:00Z\n\n[[items]]\nname = \"a\"\n[[ items ]] # second\nname = \"b\"\n+++\n";
    let fm = split(text).unwrap().unwrap();
    assert_eq!(item_lines(&fm, "items", 2), vec![4, 6]);
    assert_eq!(key_line(&fm, "at"), Some(2));
    let text = "---\nat: 2026-07-01T10:00:00Z\nitems:\n  - name: a\n    # note\n  - name: b\nday: 2026-07-01\n---\n";
    let fm = split(text).unwrap().unwrap();
    assert_eq!(item_lines(&fm, "items", 2), vec![4, 6]);
    let text = "---\nitems:\n- name: a\n-   name: b\n---\n";
    assert_eq!(
        item_lines(&split(text).unwrap().unwrap(), "items", 2),
        vec![3, 4]
    );
    // An inline array: every entry gets the key's line.
    let text = "+++\nitems = [{ name = \"a\" }, { name = \"b\" }]\n+++\n";
    assert_eq!(
        item_lines(&split(text).unwrap().unwrap(), "items", 2),
        vec![2, 2]
    );
}

#[test]
fn bad_dates_and_versions_are_explained() {
    let e = probe("+++\nat = 2026-07-01T10:00:00Z\nday = 2026-07-01T10:00:00Z\n+++\n").unwrap_err();
    assert_eq!(e.pos, pos(3, 7));
    assert!(
        e.message.contains("is not a date; write YYYY-MM-DD"),
        "{}",
        e.message
    );
    let e = probe("---\nat: 2026-07-01T10:00:00Z\nversion: 1.5\n---\n").unwrap_err();
    assert!(
        e.message.contains("expected a version as a string"),
        "{}",
        e.message
    );
}

/// A number where a date or a timestamp belongs never reaches the parser: serde asks
/// the visitor what it expected, and the user reads the example we give (without it
/// the message would end at "expected " with nothing to copy).
#[test]
fn numbers_for_dates_and_timestamps_say_what_was_expected() {
    let e = probe("---\nat: 2026-07-01T10:00:00Z\nday: 5\n---\n").unwrap_err();
    assert!(
        e.message.contains("expected a date such as 2026-07-01"),
        "{}",
        e.message
    );
    let e = probe("+++\nat = 5\n+++\n").unwrap_err();
    assert!(
        e.message
            .contains("expected an RFC 3339 timestamp such as 2026-07-01T10:00:00Z"),
        "{}",
        e.message
    );
}

/// YAML front matter holding nothing but blank lines and comments is read as an empty
/// map: a struct whose keys are all optional reads from it, and a missing required
/// key is reported at the front matter's first line (2, 1), not where the parser
/// found the document's end (line 5, after the comments, in the second text).
#[test]
fn blank_yaml_front_matter_is_an_empty_map() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct AllOptional {
        day: Option<Date>,
    }
    for text in [
        "---\n---\n",
        "---\n# nothing yet\n\n  # still nothing\n---\nBody\n",
    ] {
        let fm = split(text).unwrap().unwrap();
        assert_eq!(
            parse::<AllOptional>(&fm),
            Ok(AllOptional { day: None }),
            "{text:?}"
        );
        let e = parse::<Probe>(&fm).unwrap_err();
        assert_eq!(
            e,
            FmError::new(pos(2, 1), "missing key `at`; add it to the front matter")
        );
    }
}

/// A YAML entry's own keys on the lines below its `- ` (deeper, not entries) and a
/// nested list are not entries of `items`; a blank line or a comment between entries
/// does not end the list, an entry may be a bare `-` with its keys below, and the
/// next top-level key does end it (the `tags` list after it is not `items`'). The
/// entries are on lines 3, 8 and 10. A key the front matter lacks gives each entry
/// the opening line, 1.
#[test]
fn yaml_item_lines_skip_an_entry_s_own_lines() {
    let text = "---\nitems:\n  - name: a\n    tags:\n      - x\n    team: t\n\n  - name: b\n# c\n  -\n    name: c\ntags:\n  - y\n---\n";
    let fm = split(text).unwrap().unwrap();
    assert_eq!(item_lines(&fm, "items", 3), vec![3, 8, 10]);
    assert_eq!(item_lines(&fm, "nothing", 2), vec![1, 1]);
}

/// libyaml names other places in its message ("while scanning a quoted scalar at line
/// 3 column 11" of the front matter); each is moved to the file too: the quote opened
/// on front matter line 3 is on file line 4, and the stream ends on file line 5.
#[test]
fn positions_inside_a_yaml_message_are_file_lines() {
    let text = "---\nat: 2026-07-01T10:00:00Z\nitems:\n  - name: \"a\n---\n";
    let e = probe(text).unwrap_err();
    assert_eq!(
        e,
        FmError::new(
            pos(5, 1),
            "found unexpected end of stream at line 5 column 1, while scanning a quoted \
             scalar at line 4 column 11; fix the YAML here (check the indentation, and \
             quote values containing `: ` or `#`)"
        )
    );
}

/// A quoted value where a number belongs says so, not that text needs quotes.
#[test]
fn a_quoted_number_is_told_to_lose_its_quotes() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Goal {
        target: f64,
    }
    let fm = split("+++\ntarget = \"5%\"\n+++\n").unwrap().unwrap();
    let e = parse::<Goal>(&fm).unwrap_err();
    // `target = ` is 9 characters: the value starts at column 10 of line 2.
    assert_eq!(e.pos, pos(2, 10));
    assert_eq!(
        e.message,
        "\"5%\" is text where a number belongs; write the number without quotes or units (e.g. `0.05` for 5%)"
    );
}
