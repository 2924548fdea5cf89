//! Tests for the content loader: take small site folders in temp dirs, check `Content` and
//! the diagnostics.

use super::*;
use chrono::NaiveDate;

fn site(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    dir
}

fn load(files: &[(&str, &[u8])]) -> (Content, Vec<String>) {
    let dir = site(files);
    let (content, diags) = load_content(dir.path());
    (
        content,
        diags.sorted().iter().map(|d| d.to_string()).collect(),
    )
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

// 2026-07-01T10:00:00Z = 20_635 days * 86_400 + 10 h * 3_600 (as in load::time's tests).
const TEN_AM: i64 = 20_635 * 86_400 + 36_000;

const TOML_RETRO: &str = r#"+++
title = "Checkout outage"
incident = "INC-1"
published_at = 2026-07-01T12:00:00+02:00
tags = ["payments"]

[[action_items]]
title = "Lower the alert threshold"
team = "payments"
due = 2026-07-15

[[action_items]]
title = "Fix the runbook"
team = "sre"
due = "2026-07-20"
done = 2026-07-18
+++
Summary.

## Contributing factors

- Threshold too high
- Stale runbook
"#;

const YAML_RETRO: &str = r#"---
title: Checkout outage
incident: INC-1
published_at: "2026-07-01T10:00:00Z"
tags: [payments]
action_items:
  - title: Lower the alert threshold
    team: payments
    due: 2026-07-15
  - title: Fix the runbook
    team: sre
    due: 2026-07-20
    done: 2026-07-18
---
Summary.

## Contributing factors

- Threshold too high
- Stale runbook
"#;

fn expected_retro(path: &str, slug: &str, lines: [u32; 2]) -> Retro {
    Retro {
        path: path.into(),
        slug: slug.into(),
        title: "Checkout outage".into(),
        incident: "INC-1".into(),
        // `incident` is line 3 in both the TOML and the YAML file.
        incident_line: 3,
        published_at: TEN_AM,
        action_items: vec![
            ActionItem {
                title: "Lower the alert threshold".into(),
                team: "payments".into(),
                due: day(2026, 7, 15),
                done: None,
                line: lines[0],
            },
            ActionItem {
                title: "Fix the runbook".into(),
                team: "sre".into(),
                due: day(2026, 7, 20),
                done: Some(day(2026, 7, 18)),
                line: lines[1],
            },
        ],
        repeats: vec![],
        repeats_line: 0,
        contributing_factors: vec!["Threshold too high".into(), "Stale runbook".into()],
        // The body after the front matter, as written: render makes it HTML.
        body: "Summary.\n\n## Contributing factors\n\n- Threshold too high\n- Stale runbook\n"
            .into(),
    }
}

#[test]
fn toml_and_yaml_retros_load_to_the_same_retro() {
    let (content, diags) = load(&[
        ("content/retros/2026-07 Checkout.md", TOML_RETRO.as_bytes()),
        ("content/retros/yaml.md", YAML_RETRO.as_bytes()),
    ]);
    assert_eq!(diags, Vec::<String>::new());
    // TOML: the `[[action_items]]` headers are file lines 7 and 12.
    // YAML: the `- title:` entries are file lines 7 and 10.
    assert_eq!(
        content.retros,
        vec![
            expected_retro(
                "content/retros/2026-07 Checkout.md",
                "2026-07-checkout",
                [7, 12]
            ),
            expected_retro("content/retros/yaml.md", "yaml", [7, 10]),
        ]
    );
}

#[test]
fn retros_name_the_incidents_they_repeat_in_toml_and_yaml() {
    let toml = "+++\ntitle = \"Blip\"\nincident = \"INC-9\"\npublished_at = \"2026-07-01T10:00:00Z\"\nrepeats = [\"INC-1\", \" INC-4 \"]\n+++\nAgain.\n";
    let yaml = "---\ntitle: Blip\nincident: INC-9\npublished_at: 2026-07-01T10:00:00Z\nrepeats:\n  - INC-1\n  - INC-4\n---\nAgain.\n";
    let (content, diags) = load(&[
        ("content/retros/a.md", toml.as_bytes()),
        ("content/retros/b.md", yaml.as_bytes()),
    ]);
    assert!(diags.is_empty(), "{diags:?}");
    // `repeats` is line 5 in both files (line 1 is the opening fence); ids are trimmed.
    for r in &content.retros {
        assert_eq!(r.repeats, vec!["INC-1".to_string(), "INC-4".to_string()]);
        assert_eq!(r.repeats_line, 5);
    }
}

#[test]
fn retro_without_action_items() {
    let text = "+++\ntitle = \"Blip\"\nincident = \"INC-2\"\npublished_at = \"2026-07-01T10:00:00Z\"\n+++\nNo actions.\n";
    let (content, diags) = load(&[("content/retros/blip.md", text.as_bytes())]);
    assert!(diags.is_empty(), "{diags:?}");
    let r = &content.retros[0];
    assert_eq!(
        (r.title.as_str(), r.published_at, r.action_items.len()),
        ("Blip", TEN_AM, 0)
    );
    assert!(r.contributing_factors.is_empty());
    assert_eq!(r.body, "No actions.\n");
}

#[test]
fn timestamp_without_offset_is_an_error_at_its_line_and_column() {
    // Line 1 is `+++`; `published_at = ` is 15 characters, so the value is at 4:16.
    let text =
        "+++\ntitle = \"Blip\"\nincident = \"INC-2\"\npublished_at = 2026-07-01T10:00:00\n+++\n";
    let (content, diags) = load(&[("content/retros/blip.md", text.as_bytes())]);
    assert!(content.retros.is_empty());
    assert_eq!(
        diags,
        vec!["content/retros/blip.md:4:16: error: timestamp `2026-07-01T10:00:00` has no UTC offset; \
              add one, e.g. `2026-07-01T10:00:00Z` or `2026-07-01T10:00:00+02:00`"]
    );
}

#[test]
fn unknown_key_is_an_error_naming_the_allowed_keys() {
    let text =
        "---\ntitle: Blip\nincident: INC-2\nseverity: 1\npublished_at: 2026-07-01T10:00:00Z\n---\n";
    let (_, diags) = load(&[("content/retros/blip.md", text.as_bytes())]);
    assert_eq!(
        diags,
        vec![
            "content/retros/blip.md:4:1: error: unknown key `severity`; allowed keys are `title`, \
              `incident`, `published_at`, `action_items`, `repeats`, `tags`; remove it or fix its spelling"
        ]
    );
}

#[test]
fn yaml_syntax_error_points_at_the_file_line() {
    // `incident: INC-2: x` is file line 3; `incident: INC-2` is 15 characters, so libyaml
    // flags the second `:` at column 16.
    let text = "---\ntitle: Blip\nincident: INC-2: x\npublished_at: 2026-07-01T10:00:00Z\n---\n";
    let (_, diags) = load(&[("content/retros/blip.md", text.as_bytes())]);
    assert_eq!(diags.len(), 1);
    assert!(
        diags[0].starts_with("content/retros/blip.md:3:16: error: mapping values are not allowed"),
        "{diags:?}"
    );
}

#[test]
fn missing_front_matter_and_bad_items_are_explained() {
    let no_fm = "# Blip\n\nText.\n";
    let empty_team =
        "+++\ntitle = \"Blip\"\nincident = \"INC-2\"\npublished_at = 2026-07-01T10:00:00Z\n\
                      [[action_items]]\ntitle = \"x\"\nteam = \" \"\ndue = 2026-07-15\n+++\n";
    let (content, diags) = load(&[
        ("content/retros/a.md", no_fm.as_bytes()),
        ("content/retros/b.md", empty_team.as_bytes()),
    ]);
    assert!(content.retros.is_empty());
    assert_eq!(diags.len(), 2, "{diags:?}");
    assert!(
        diags[0].starts_with("content/retros/a.md:1:1: error: no front matter; start the file"),
        "{diags:?}"
    );
    // The item's `[[action_items]]` header is file line 5.
    assert_eq!(
        diags[1],
        "content/retros/b.md:5: error: `team` is empty; give it a value"
    );
}

#[test]
fn two_retros_with_the_same_slug_are_an_error_naming_both() {
    let (content, diags) = load(&[
        ("content/retros/Checkout Outage.md", TOML_RETRO.as_bytes()),
        ("content/retros/checkout-outage.md", YAML_RETRO.as_bytes()),
    ]);
    // "Checkout Outage.md" sorts before "checkout-outage.md" (`C` < `c`), so it is kept.
    assert_eq!(content.retros.len(), 1);
    assert_eq!(content.retros[0].path, "content/retros/Checkout Outage.md");
    assert_eq!(
        diags,
        vec!["content/retros/checkout-outage.md: error: this retro's file name gives the slug \
              `checkout-outage`, as does `content/retros/Checkout Outage.md`; rename one of the two files"]
    );
}

/// Governance and report pages whose file names give one slug: the first in path order
/// is kept, and the later one is an error naming the slug and the kept file (`doc_clash`).
/// "On Call.md" and "on-call.md" both give `on-call`; `O` < `o`, so "On Call.md" is first.
#[test]
fn two_pages_with_the_same_slug_are_an_error_naming_both() {
    let page = b"+++\ntitle = \"On-call\"\n+++\nx\n";
    let (content, diags) = load(&[
        ("content/governance/On Call.md", page),
        ("content/governance/on-call.md", page),
        ("content/reports/Q2 Review.md", page),
        ("content/reports/q2-review.md", page),
    ]);
    let kept = |docs: &[Doc]| docs.iter().map(|d| d.path.clone()).collect::<Vec<_>>();
    assert_eq!(kept(&content.governance), ["content/governance/On Call.md"]);
    assert_eq!(kept(&content.reports), ["content/reports/Q2 Review.md"]);
    assert_eq!(
        diags,
        [
            "content/governance/on-call.md: error: this page's file name gives the slug \
             `on-call`, as does `content/governance/On Call.md`; rename one of the two files",
            "content/reports/q2-review.md: error: this page's file name gives the slug \
             `q2-review`, as does `content/reports/Q2 Review.md`; rename one of the two files",
        ]
    );
}

#[test]
fn metric_definition_with_changelog() {
    let toml = r#"+++
id = "lead_time"
name = "Lead time for changes"
version = 2
owner = "platform"
unit = "hours"
better = "lower"

[[changelog]]
version = "1"
date = 2025-01-10
note = "First definition."

[[changelog]]
version = 2
date = "2026-03-01"
note = "Count from first commit."
+++
Median hours from commit to production.
"#;
    let (content, diags) = load(&[("content/metrics/lead-time.md", toml.as_bytes())]);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        content.metric_defs,
        vec![MetricDef {
            path: "content/metrics/lead-time.md".into(),
            id: "lead_time".into(),
            name: "Lead time for changes".into(),
            version: "2".into(),
            version_line: 4, // `version = 2` is line 4 of the file
            owner: "platform".into(),
            unit: "hours".into(),
            better: Better::Lower,
            tolerance: 0.05,
            changelog: vec![
                ChangelogEntry {
                    version: "1".into(),
                    date: day(2025, 1, 10),
                    note: "First definition.".into()
                },
                ChangelogEntry {
                    version: "2".into(),
                    date: day(2026, 3, 1),
                    note: "Count from first commit.".into()
                },
            ],
            body: "Median hours from commit to production.\n".into(),
        }]
    );
}

#[test]
fn metric_definition_errors() {
    let yaml =
        "---\nid: mttr\nname: MTTR\nversion: \"1.0\"\nowner: sre\nunit: hours\nbetter: down\n---\n";
    let no_unit =
        "---\nid: cfr\nname: CFR\nversion: 1\nowner: sre\nbetter: lower\ntolerance: 0.1\n---\n";
    let tolerance = "+++\nid = \"df\"\nname = \"DF\"\nversion = 1\nowner = \"sre\"\nunit = \"/day\"\nbetter = \"higher\"\ntolerance = 5\n+++\n";
    let (content, diags) = load(&[
        ("content/metrics/a.md", yaml.as_bytes()),
        ("content/metrics/b.md", no_unit.as_bytes()),
        ("content/metrics/c.md", tolerance.as_bytes()),
    ]);
    assert!(content.metric_defs.is_empty());
    assert_eq!(diags.len(), 3, "{diags:?}");
    assert!(diags[0].starts_with("content/metrics/a.md:7:9: error: better: unknown variant `down`, expected `lower` or `higher`"), "{diags:?}");
    assert!(
        diags[1].contains("missing key `unit`; add it to the front matter"),
        "{diags:?}"
    );
    assert_eq!(diags[2], "content/metrics/c.md:8: error: `tolerance` is 5; it must be a fraction from 0 to 1, e.g. 0.05 for 5%");
}

#[test]
fn docs_with_and_without_front_matter() {
    let (content, diags) = load(&[
        (
            "content/governance/on-call.md",
            b"Intro.\n\n# On-call policy\n\nBe kind.\n",
        ),
        ("content/governance/plain.md", b"Just text.\n"),
        (
            "content/reports/q2.md",
            b"+++\ntitle = \"Q2 review\"\nperiod = \"2026 Q2\"\n+++\nBody.\n",
        ),
        (
            "content/reports/day.md",
            b"---\ntitle: Day\ndate: 2026-07-01\n---\n",
        ),
    ]);
    assert!(diags.is_empty(), "{diags:?}");
    let g = &content.governance;
    assert_eq!(
        (g[0].title.as_str(), g[0].slug.as_str(), &g[0].subtitle),
        ("On-call policy", "on-call", &None)
    );
    // The heading became the title, so the body keeps only the other paragraphs: the
    // line `# On-call policy\n` is cut from between "Intro.\n\n" and "\nBe kind.\n".
    assert_eq!(g[0].body, "Intro.\n\n\nBe kind.\n");
    assert_eq!(
        (g[1].title.as_str(), g[1].body.as_str()),
        ("plain", "Just text.\n")
    );
    let r = &content.reports;
    assert_eq!(
        (r[0].title.as_str(), r[0].subtitle.as_deref()),
        ("Day", Some("2026-07-01"))
    );
    assert_eq!(
        (r[1].title.as_str(), r[1].subtitle.as_deref()),
        ("Q2 review", Some("2026 Q2"))
    );
}

#[test]
fn doc_with_both_date_and_period_is_an_error() {
    let text = b"+++\ntitle = \"Q2\"\ndate = 2026-07-01\nperiod = \"2026 Q2\"\n+++\n";
    let (content, diags) = load(&[("content/reports/q2.md", text)]);
    assert!(content.reports.is_empty());
    // `period` is on file line 4 (line 1 is `+++`).
    assert_eq!(
        diags,
        vec![
            "content/reports/q2.md:4: error: give either `date` or `period`, not both; remove one"
        ]
    );
}

/// One empty required text anywhere in a file is an error at its line and drops the whole
/// retro or metric definition, wherever it comes after a good value: a retro whose
/// `incident` (line 3) is blank, one whose second action item (its header on line 9) has
/// a blank `title`; a metric whose `unit` (line 6) is blank, one whose changelog entry
/// (its header on line 9) has a blank `version`.
#[test]
fn an_empty_text_after_good_ones_drops_the_retro_or_metric() {
    let retro = |incident: &str, second_title: &str| {
        format!(
            "+++\ntitle = \"Blip\"\nincident = \"{incident}\"\npublished_at = 2026-07-01T10:00:00Z\n\
             [[action_items]]\ntitle = \"x\"\nteam = \"sre\"\ndue = 2026-07-15\n\
             [[action_items]]\ntitle = \"{second_title}\"\nteam = \"sre\"\ndue = 2026-07-15\n+++\n"
        )
    };
    let metric = |unit: &str, changelog_version: &str| {
        format!(
            "+++\nid = \"df\"\nname = \"DF\"\nversion = 1\nowner = \"sre\"\nunit = \"{unit}\"\n\
             better = \"higher\"\n\n[[changelog]]\nversion = \"{changelog_version}\"\n\
             date = 2026-03-01\nnote = \"First.\"\n+++\n"
        )
    };
    let (a, b) = (retro(" ", "x"), retro("INC-1", " "));
    let (c, d) = (metric(" ", "1"), metric("/day", " "));
    let (content, diags) = load(&[
        ("content/retros/a.md", a.as_bytes()),
        ("content/retros/b.md", b.as_bytes()),
        ("content/metrics/c.md", c.as_bytes()),
        ("content/metrics/d.md", d.as_bytes()),
    ]);
    assert_eq!((content.retros.len(), content.metric_defs.len()), (0, 0));
    assert_eq!(
        diags,
        [
            "content/metrics/c.md:6: error: `unit` is empty; give it a value",
            "content/metrics/d.md:9: error: `version` is empty; give it a value",
            "content/retros/a.md:3: error: `incident` is empty; give it a value",
            "content/retros/b.md:9: error: `title` is empty; give it a value",
        ]
    );
}

/// A page without front matter whose first `#` heading is empty (`#` alone is an empty
/// level-1 heading) takes its title from the file stem and keeps its body whole: an empty
/// title is no title.
#[test]
fn an_empty_first_heading_leaves_the_file_stem_as_title() {
    let (content, diags) = load(&[("content/governance/rota.md", b"#\n\nWho is on call.\n")]);
    assert!(diags.is_empty(), "{diags:?}");
    let g = &content.governance[0];
    assert_eq!(
        (g.title.as_str(), g.body.as_str()),
        ("rota", "#\n\nWho is on call.\n")
    );
}

/// The content folders as files and links: what is read, refused or passed over.
#[path = "content_fs_tests.rs"]
mod fs;
