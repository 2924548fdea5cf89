//! Tests of the load stage's orchestration: unreadable files, files `data/` should not
//! hold, which files of `data/slos/` are read, and moving the markdown content between
//! datasets.

use super::*;

/// A site folder with `data/` and the given files.
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn config() -> Config {
    crate::config::parse("title = \"T\"\n").unwrap()
}

fn texts(diags: Diagnostics) -> Vec<String> {
    diags.sorted().iter().map(|d| d.to_string()).collect()
}

/// A file that exists but cannot be read (here a directory at its path) is an error
/// naming it, not "no data of that kind"; only a missing file is `None` without a word.
#[test]
fn read_optional_tells_a_missing_file_from_an_unreadable_one() {
    let dir = site(&[]);
    std::fs::create_dir(dir.path().join("data/pages.csv")).unwrap();
    let mut diags = Diagnostics::new();
    assert_eq!(read_optional(dir.path(), "data/sli.csv", &mut diags), None);
    assert!(diags.is_empty());
    assert_eq!(
        read_optional(dir.path(), "data/pages.csv", &mut diags),
        None
    );
    let texts = texts(diags);
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(
        texts[0].starts_with("data/pages.csv: error: cannot read the file: "),
        "{texts:?}"
    );
}

/// The same unreadable table through `load_data`: each phase's parse keeps the read's
/// diagnostics even though the table has no rows (`parse_phase`), so the load reports it.
/// `data/pages.csv` is read in the first phase, `data/changes.csv` in the second.
#[test]
fn an_unreadable_table_is_an_error_of_the_load() {
    let dir = site(&[]);
    std::fs::create_dir(dir.path().join("data/pages.csv")).unwrap();
    std::fs::create_dir(dir.path().join("data/changes.csv")).unwrap();
    let (_, diags) = load_data(dir.path(), &config(), Vec::new());
    let texts = texts(diags);
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(
        texts[0].starts_with("data/changes.csv: error: cannot read the file: "),
        "{texts:?}"
    );
    assert!(
        texts[1].starts_with("data/pages.csv: error: cannot read the file: "),
        "{texts:?}"
    );
}

/// Every entry of `data/` almanac does not read is a warning, hidden files excepted: a
/// misnamed `data/page.csv` (1 edit from `data/pages.csv`, within its limit of 2) names
/// the file meant; `data/notes.txt`, near none, lists the contract's files (the table
/// registry's order); the known files, `data/slos/` and `data/.DS_Store` are not named.
#[test]
fn unknown_files_in_data_are_warnings_naming_the_file_meant() {
    let dir = site(&[
        ("data/page.csv", "x"),
        ("data/notes.txt", "x"),
        ("data/.DS_Store", "x"),
        ("data/deployments.csv", "x"),
    ]);
    std::fs::create_dir(dir.path().join("data/slos")).unwrap();
    let mut diags = Diagnostics::new();
    unknown_files(dir.path(), &mut diags);
    assert_eq!(
        texts(diags),
        [
            "data/notes.txt: warning: almanac does not read this file; the data contract's \
             files are data/deployments.csv, data/changes.csv, data/incidents.csv, \
             data/sli.csv, data/pages.csv, data/annotations.csv and data/slos/*.yaml: rename \
             it or move it out of data/",
            "data/page.csv: warning: almanac does not read this file; did you mean \
             data/pages.csv?",
        ]
    );
}

/// `load_data` runs that check: the warning for `data/page.csv` is among its diagnostics.
#[test]
fn load_data_warns_about_unknown_files() {
    let dir = site(&[("data/page.csv", "x")]);
    let (_, diags) = load_data(dir.path(), &config(), Vec::new());
    assert_eq!(
        texts(diags),
        ["data/page.csv: warning: almanac does not read this file; did you mean data/pages.csv?"]
    );
}

fn openslo(name: &str) -> String {
    format!(
        "apiVersion: openslo/v1
kind: SLO
metadata:
  name: {name}
spec:
  service: web
  indicatorRef: web-sli
  timeWindow:
    - duration: 4w
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.99
"
    )
}

/// `data/slos/` files ending `.yaml` or `.yml` are read, in file-name order after the
/// config's SLOs; any other file there (a README) is not, so its text is no error.
#[test]
fn slo_definitions_read_yaml_and_yml_files_only() {
    let dir = site(&[]);
    std::fs::create_dir(dir.path().join("data/slos")).unwrap();
    for (name, text) in [
        ("b.yml", openslo("web-b")),
        ("a.yaml", openslo("web-a")),
        ("README.md", "# Not: [yaml\n".to_string()),
    ] {
        std::fs::write(dir.path().join("data/slos").join(name), text).unwrap();
    }
    let config = crate::config::parse(
        "title = \"T\"\n[[slo]]\nid = \"first\"\nservice = \"api\"\nobjective = 0.9\nwindow = \"7d\"\n",
    )
    .unwrap();
    let mut diags = Diagnostics::new();
    let slos = slo_definitions(dir.path(), &config, &mut diags);
    assert_eq!(texts(diags), Vec::<String>::new());
    let ids: Vec<_> = slos.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["first", "web-a", "web-b"]);
}

/// `take_content` gives back what `attach_content` moved in, and leaves the dataset's
/// content empty.
#[test]
fn take_content_returns_what_attach_content_moved_in() {
    let dir = site(&[]);
    for (path, text) in [
        ("content/governance/on-call.md", "# On-call\n\nBe kind.\n"),
        (
            "content/reports/day.md",
            "---\ntitle: Day\ndate: 2026-07-01\n---\n",
        ),
    ] {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let (content, diags) = content::load_content(dir.path());
    assert!(diags.is_empty());
    assert_eq!((content.governance.len(), content.reports.len()), (1, 1));
    let mut ds = Dataset::default();
    attach_content(&mut ds, content.clone(), dir.path());
    assert_eq!(take_content(&mut ds), content);
    assert_eq!(take_content(&mut ds), content::Content::default());
}
