//! Tests for the content loader's walk over the file system: the order files are read in,
//! missing folders, files that are not UTF-8, and folders or links where pages should be.

use super::*;

#[test]
fn ordering_is_by_path_whatever_the_creation_order() {
    let text = |t: &str| format!("+++\ntitle = \"{t}\"\n+++\nx\n");
    let (c, d, a, b) = (text("c"), text("d"), text("a"), text("b"));
    let (content, diags) = load(&[
        ("content/reports/c.md", c.as_bytes()),
        ("content/reports/2026/d.md", d.as_bytes()),
        ("content/reports/a.md", a.as_bytes()),
        ("content/reports/.hidden.md", b"junk"),
        ("content/reports/notes.txt", b"junk"),
        ("content/reports/b.md", b.as_bytes()),
    ]);
    assert!(diags.is_empty(), "{diags:?}");
    let paths: Vec<_> = content.reports.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "content/reports/2026/d.md",
            "content/reports/a.md",
            "content/reports/b.md",
            "content/reports/c.md"
        ]
    );
}

#[test]
fn missing_content_folders_mean_empty_content_and_no_diagnostics() {
    let (content, diags) = load(&[("data/deployments.csv", b"service,deployed_at\n")]);
    assert_eq!((content, diags), (Content::default(), vec![]));
    let (content, diags) = load_content(Path::new("/nonexistent/almanac-site"));
    assert_eq!((content, diags.len()), (Content::default(), 0));
}

#[test]
fn invalid_utf8_is_an_error_naming_the_file() {
    // "+++\nti" is 6 bytes on lines 1-2; the bad byte follows `ti` on line 2, column 3.
    let (content, diags) = load(&[("content/governance/bad.md", b"+++\nti\xff\n")]);
    assert!(content.governance.is_empty());
    assert_eq!(
        diags,
        vec!["content/governance/bad.md:2:3: error: this file is not valid UTF-8 (first bad byte here); save it with UTF-8 encoding"]
    );
}

#[cfg(unix)]
#[test]
fn symlinks_leaving_the_root_are_refused() {
    let outside = site(&[("secret.md", b"# Secret\n")]);
    let dir = site(&[("content/governance/inside.md", b"# Inside\n")]);
    let gov = dir.path().join("content/governance");
    std::os::unix::fs::symlink(outside.path().join("secret.md"), gov.join("secret.md")).unwrap();
    std::os::unix::fs::symlink(gov.join("inside.md"), gov.join("alias.md")).unwrap();
    let (content, diags) = load_content(dir.path());
    let titles: Vec<_> = content
        .governance
        .iter()
        .map(|d| (d.path.as_str(), d.title.as_str()))
        .collect();
    assert_eq!(
        titles,
        [
            ("content/governance/alias.md", "Inside"),
            ("content/governance/inside.md", "Inside")
        ]
    );
    let diags: Vec<_> = diags.sorted().iter().map(|d| d.to_string()).collect();
    assert_eq!(
        diags,
        vec!["content/governance/secret.md: error: this symlink leads outside the site root; copy the file into the site instead"]
    );
}

/// A content folder that is a symlink leading outside the site is refused whole (its
/// files are not read, though none of them is a symlink itself); one leading to a folder
/// inside the site is read like any folder.
#[cfg(unix)]
#[test]
fn a_folder_symlink_leaving_the_root_is_refused() {
    let outside = site(&[("docs/secret.md", b"# Secret\n")]);
    let dir = site(&[("pages/inside.md", b"# Inside\n")]);
    std::fs::create_dir(dir.path().join("content")).unwrap();
    let link = |to: &Path, name: &str| {
        std::os::unix::fs::symlink(to, dir.path().join("content").join(name)).unwrap()
    };
    link(&outside.path().join("docs"), "governance");
    link(&dir.path().join("pages"), "reports");
    let (content, diags) = load_content(dir.path());
    assert!(content.governance.is_empty());
    let reports: Vec<_> = content.reports.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(reports, ["Inside"]);
    let diags: Vec<_> = diags.sorted().iter().map(|d| d.to_string()).collect();
    assert_eq!(
        diags,
        ["content/governance: error: this folder is a symlink leading outside the site root; put the files inside the site instead"]
    );
}

/// A content folder's name taken by a file is an error naming it; and when `content`
/// itself is a file, each content folder cannot be opened (not a directory, which is not
/// "missing"): an error for each of the five, not silence.
#[test]
fn a_file_where_a_content_folder_should_be_is_an_error() {
    let (content, diags) = load(&[("content/retros", b"# Not a folder\n")]);
    assert_eq!(content, Content::default());
    assert_eq!(
        diags,
        ["content/retros: error: this is a file, not a folder; move it away or make it a folder of `.md` files"]
    );
    let (content, diags) = load(&[("content", b"x")]);
    assert_eq!(content, Content::default());
    let paths: Vec<_> = diags.iter().map(|d| d.split(':').next().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "content/governance",
            "content/metrics",
            "content/reports",
            "content/retros",
            "content/reviews"
        ]
    );
    assert!(
        diags
            .iter()
            .all(|d| d.contains(": error: cannot open this folder (")),
        "{diags:?}"
    );
}

/// Only a symlink to a file is read as a page: a symlink named `*.md` that leads to a
/// folder (inside the site) or to nothing is passed over, as a folder named `*.md` is,
/// with no error; a symlink to a file inside the site is read.
#[cfg(unix)]
#[test]
fn a_symlink_to_a_folder_or_to_nothing_is_no_page() {
    let dir = site(&[
        ("content/governance/inside.md", b"# Inside\n"),
        ("pages/x.md", b"# X\n"),
    ]);
    let gov = dir.path().join("content/governance");
    let link = |to: &Path, name: &str| std::os::unix::fs::symlink(to, gov.join(name)).unwrap();
    link(&dir.path().join("pages"), "folder.md");
    link(&dir.path().join("gone.md"), "gone.md");
    link(&gov.join("inside.md"), "alias.md");
    std::fs::create_dir(gov.join("real-folder.md")).unwrap();
    let (content, diags) = load_content(dir.path());
    let paths: Vec<_> = content.governance.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "content/governance/alias.md",
            "content/governance/inside.md"
        ]
    );
    assert_eq!(diags.len(), 0, "{:?}", diags.sorted());
}
