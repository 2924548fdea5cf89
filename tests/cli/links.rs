//! Every internal link and anchor of every page of the built example site resolves, and
//! no tag repeats an attribute or an id: the real binary builds the repository root into a
//! temp dir and each HTML page is tokenised with html5ever (no browser).
//!
//! A link is internal when it has no scheme (`http:`, `mailto:`, `data:` ...) and does not
//! start with `//`. Its path, resolved against the page's folder, must name a file of the
//! build; its fragment, if any, must be an `id` (or an `<a name>`) of that file.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// What one page holds: its ids, its links (attribute value and line) and its tag faults.
#[derive(Default)]
pub struct Scan {
    pub ids: Vec<String>,
    pub links: Vec<(String, u64)>,
    pub faults: Vec<String>,
}

struct Sink(RefCell<Scan>);

impl TokenSink for Sink {
    type Handle = ();
    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token {
            if tag.kind != TagKind::StartTag {
                return TokenSinkResult::Continue;
            }
            let mut scan = self.0.borrow_mut();
            if tag.had_duplicate_attributes {
                scan.faults
                    .push(format!("line {line}: <{}> repeats an attribute", tag.name));
            }
            for a in &tag.attrs {
                let name = &*a.name.local;
                let value = a.value.to_string();
                match name {
                    "id" => scan.ids.push(value),
                    "name" if &*tag.name == "a" => scan.ids.push(value),
                    "href" | "src" => scan.links.push((value, line)),
                    _ => {}
                }
            }
        }
        TokenSinkResult::Continue
    }
}

/// Tokenise one page.
pub fn scan(html: &str) -> Scan {
    let tok = Tokenizer::new(
        Sink(RefCell::new(Scan::default())),
        TokenizerOpts::default(),
    );
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from(html));
    let _ = tok.feed(&queue);
    tok.end();
    tok.sink.0.take()
}

/// `true` for a link that leaves the site (a scheme, or a protocol-relative `//host`).
fn external(link: &str) -> bool {
    if link.starts_with("//") {
        return true;
    }
    let head = link.split(['/', '?', '#']).next().unwrap_or("");
    head.contains(':')
}

/// `dir/../a/./b` -> `a/b`, or `None` where it climbs out of the site.
fn normalise(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Every broken internal link or anchor, and every tag fault, of the site in `out`.
pub fn problems(out: &Path) -> (usize, usize, Vec<String>) {
    let mut pages: BTreeMap<String, Scan> = BTreeMap::new();
    let mut files: BTreeSet<String> = BTreeSet::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.ends_with(".html") {
            pages.insert(
                rel.clone(),
                scan(&fs::read_to_string(entry.path()).unwrap()),
            );
        }
        files.insert(rel);
    }
    let mut bad = Vec::new();
    let mut links = 0;
    for (page, s) in &pages {
        bad.extend(s.faults.iter().map(|f| format!("{page} {f}")));
        let mut seen = BTreeSet::new();
        for id in &s.ids {
            if !seen.insert(id) {
                bad.push(format!("{page}: id {id:?} is used twice"));
            }
        }
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        for (link, line) in &s.links {
            if external(link) {
                continue;
            }
            links += 1;
            let (path, fragment) = link.split_once('#').unwrap_or((link, ""));
            let path = path.split('?').next().unwrap_or("");
            let target = if path.is_empty() {
                Some(page.clone())
            } else {
                normalise(dir, path).map(|t| {
                    if t.is_empty() || path.ends_with('/') {
                        format!("{t}/index.html")
                            .trim_start_matches('/')
                            .to_string()
                    } else {
                        t
                    }
                })
            };
            let Some(target) = target.filter(|t| files.contains(t)) else {
                bad.push(format!("{page}:{line}: {link} names no file of the build"));
                continue;
            };
            if fragment.is_empty() {
                continue;
            }
            let Some(t) = pages.get(&target) else {
                bad.push(format!("{page}:{line}: {link} has an anchor on a non-page"));
                continue;
            };
            if !t.ids.iter().any(|id| id == fragment) {
                bad.push(format!(
                    "{page}:{line}: {link}: {target} has no id {fragment:?}"
                ));
            }
        }
    }
    (pages.len(), links, bad)
}

#[test]
fn every_internal_link_and_anchor_of_the_example_site_resolves() {
    let (_tmp, out) = super::example_site();
    let (pages, links, bad) = problems(&out);
    // The example site has hundreds of pages, each linking the navigation at least.
    assert!(
        pages > 100 && links > pages * 5,
        "{pages} pages, {links} links"
    );
    assert!(
        bad.is_empty(),
        "{} problems, first 40:\n{}",
        bad.len(),
        bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_checker_finds_a_missing_file_a_missing_anchor_and_a_repeated_attribute() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    fs::create_dir_all(out.join("teams")).unwrap();
    fs::write(
        out.join("index.html"),
        "<a href=\"teams/\">t</a><a href=\"teams/a.html#top\">a</a><a href=\"gone.html\">g</a>\
         <a href=\"#here\">h</a><a href=\"https://example.org/x#y\">x</a><p id=\"here\"></p>",
    )
    .unwrap();
    fs::write(
        out.join("teams/index.html"),
        "<a href=\"../index.html#nowhere\">i</a><details open open></details>",
    )
    .unwrap();
    fs::write(
        out.join("teams/a.html"),
        "<h1 id=\"top\">A</h1><i id=\"top\"></i>",
    )
    .unwrap();
    let (pages, links, mut bad) = problems(out);
    bad.sort();
    assert_eq!((pages, links), (3, 5));
    assert_eq!(
        bad,
        [
            "index.html:1: gone.html names no file of the build",
            "teams/a.html: id \"top\" is used twice",
            "teams/index.html line 1: <details> repeats an attribute",
            "teams/index.html:1: ../index.html#nowhere: index.html has no id \"nowhere\"",
        ]
    );
}

#[test]
fn teams_listed_by_name_are_sorted_by_name_and_no_page_says_1_days() {
    let (_tmp, out) = super::example_site();
    // almanac.toml lists Payments, Search, Platform, Mobile; by name they read
    // Mobile, Payments, Platform, Search on the teams index and the dashboard.
    for page in ["teams/index.html", "index.html"] {
        let html = fs::read_to_string(out.join(page)).unwrap();
        // The list follows its "Listed by name" note.
        let html = &html[html.find("Listed by name").expect("the note")..];
        let at = |name: &str| {
            html.find(&format!(">{name}</a>"))
                .unwrap_or_else(|| panic!("{page} lacks {name}"))
        };
        let order = [at("Mobile"), at("Payments"), at("Platform"), at("Search")];
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{page}: {order:?}");
    }
    // "1 days", "1 weeks": a count of one takes the singular, on every page.
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = fs::read_to_string(entry.path()).unwrap();
        for unit in [" days", " weeks", " hours"] {
            for (i, _) in html.match_indices(&format!("1{unit}")) {
                let before = html[..i].chars().next_back().unwrap_or(' ');
                assert!(
                    before.is_ascii_digit() || before == '.' || before == ',',
                    "{}: \"1{unit}\" at byte {i}",
                    entry.path().display()
                );
            }
        }
    }
}
