//! The error catalogue: every kind of diagnostic almanac prints, as data (an id, its
//! severity, the file it concerns, a pattern of its message, an example and its fix), for
//! the site's `errors.html` page and for the test that keeps it honest.

pub use super::entries::{Entry, ENTRIES};

/// The files in the order the page shows them.
pub const FILES: &[&str] = &[
    "command line",
    "almanac.toml",
    "data/ (every CSV file)",
    "data/deployments.csv",
    "data/changes.csv",
    "data/incidents.csv",
    "data/sli.csv",
    "data/pages.csv",
    "data/annotations.csv",
    "data/slos/*.yaml",
    "content/ (every Markdown file)",
    "content/retros/*.md",
    "content/metrics/*.md",
    "content/governance and content/reports",
    "content/reviews/*.md",
    "themes/",
    "almanac import sources",
];

impl Entry {
    /// Whether `message` is one of this entry's: the pattern with `*` standing for any text.
    pub fn matches(&self, message: &str) -> bool {
        glob(self.pattern, message)
    }
}

/// The entry a message belongs to, if any.
pub fn entry_of(message: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.matches(message))
}

/// `*` matches any run of characters (also none); everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if parts.len() == 1 {
        return pattern == text;
    }
    if !text.starts_with(first) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &text[first.len()..];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn glob_matches_stars_anywhere() {
        assert!(glob("a `*` b", "a `x y` b"));
        assert!(glob("*; fix", "oops; fix"));
        assert!(!glob("a `*` b", "a `x` c"));
        assert!(!glob("ab*ba", "aba"));
        assert!(glob("no stars", "no stars"));
        assert!(!glob("no stars", "no stars!"));
    }

    #[test]
    fn every_example_message_matches_its_own_pattern() {
        for e in ENTRIES {
            assert!(e.matches(e.message), "{}: {}", e.id, e.message);
        }
    }

    #[test]
    fn ids_are_unique_and_files_are_listed() {
        let mut seen = HashSet::new();
        for e in ENTRIES {
            assert!(seen.insert(e.id), "duplicate id {}", e.id);
            assert!(FILES.contains(&e.file), "{}: unknown file {}", e.id, e.file);
            assert!(!e.example.is_empty() && !e.fix.is_empty(), "{}", e.id);
        }
    }
}
