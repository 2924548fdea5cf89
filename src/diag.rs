//! Diagnostics: every stage reports problems as `Diagnostic`s, collected in `Diagnostics`
//! and printed together as `path:line:column: severity: message`.

pub mod catalogue;
mod entries;
pub mod format;
pub mod similar;

use std::collections::{HashMap, HashSet};
use std::fmt;

/// How bad a problem is: errors stop a build, warnings are printed and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem with the user's files, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based line; for CSV files the header row is line 1.
    pub line: Option<u32>,
    /// 1-based column in characters.
    pub column: Option<u32>,
    pub severity: Severity,
    /// What is wrong and what to do about it.
    pub message: String,
    /// The whole file cannot be used (unreadable, not UTF-8, a missing column): a root
    /// cause, printed first, whose follow-on errors are not printed.
    pub file_level: bool,
    /// The file this problem is only true of if that file loaded completely (a retro
    /// naming an incident of `data/incidents.csv`); dropped when that file failed.
    pub follows: Option<&'static str>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {sev}: {}", self.message)
    }
}

/// A collection of diagnostics from one or more stages.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

/// A position in a file, for building diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    fn add(&mut self, severity: Severity, path: &str, pos: Option<Pos>, message: String) {
        self.items.push(Diagnostic {
            path: path.to_string(),
            line: pos.map(|p| p.line),
            column: pos.and_then(|p| (p.column > 0).then_some(p.column)),
            severity,
            message,
            file_level: false,
            follows: None,
        });
    }

    /// Records an error that makes the whole file unusable (it cannot be read, is not
    /// UTF-8, lacks a required column): printed first, and the errors that follow from it
    /// (`error_after`) are not printed.
    pub fn file_error(&mut self, path: &str, pos: Option<Pos>, message: impl Into<String>) {
        self.add(Severity::Error, path, pos, message.into());
        if let Some(d) = self.items.last_mut() {
            d.file_level = true;
        }
    }

    /// Records an error that is only true if the file `follows` loaded completely (an id
    /// looked up in it): not printed when that file failed or lost rows to such a failure.
    pub fn error_after(
        &mut self,
        follows: &'static str,
        path: &str,
        pos: Option<Pos>,
        message: impl Into<String>,
    ) {
        self.add(Severity::Error, path, pos, message.into());
        if let Some(d) = self.items.last_mut() {
            d.follows = Some(follows);
        }
    }

    /// Records an error at `path`, optionally at a position.
    pub fn error(&mut self, path: &str, pos: Option<Pos>, message: impl Into<String>) {
        self.add(Severity::Error, path, pos, message.into());
    }

    /// Records a warning at `path`, optionally at a position.
    pub fn warn(&mut self, path: &str, pos: Option<Pos>, message: impl Into<String>) {
        self.add(Severity::Warning, path, pos, message.into());
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// `check --strict`: every warning becomes an error.
    pub fn strict(mut self) -> Self {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
        self
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// The diagnostics in a stable order, root causes first: file-level errors, then the
    /// other errors, then the warnings (what stops the build before what does not); among
    /// those, the problems of the files others follow from (`follows`: the deployment row a
    /// change names before the change) before the rest; then by path, line, column and message.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        // A few files at most (deployments, incidents): a scan, no hashing in the comparisons.
        let mut roots: Vec<&'static str> = self.items.iter().filter_map(|d| d.follows).collect();
        roots.sort_unstable();
        roots.dedup();
        let leaf = |d: &Diagnostic| !roots.contains(&d.path.as_str());
        self.items.sort_by(|a, b| {
            (
                !a.file_level,
                a.severity,
                leaf(a),
                &a.path,
                a.line,
                a.column,
                &a.message,
            )
                .cmp(&(
                    !b.file_level,
                    b.severity,
                    leaf(b),
                    &b.path,
                    b.line,
                    b.column,
                    &b.message,
                ))
        });
        self.items.dedup();
        self.items
    }

    /// The diagnostics worth printing, sorted, and how many errors were left out because
    /// they follow from a file-level error: an error `follows` a file that failed, or a
    /// file that itself has such a left-out error (it lost rows to the failure), and so on.
    pub fn settled(self) -> (Vec<Diagnostic>, usize) {
        let all = self.sorted();
        let mut broken: HashSet<String> = all
            .iter()
            .filter(|d| d.file_level)
            .map(|d| d.path.clone())
            .collect();
        let mut dropped = vec![false; all.len()];
        loop {
            let mut grew = false;
            for (i, d) in all.iter().enumerate() {
                if !dropped[i] && d.follows.is_some_and(|f| broken.contains(f)) {
                    dropped[i] = true;
                    if !broken.contains(&d.path) {
                        broken.insert(d.path.clone());
                        grew = true;
                    }
                }
            }
            if !grew {
                break;
            }
        }
        let hidden = dropped.iter().filter(|&&d| d).count();
        // Moved, not copied: a file whose every row fails holds a million of them.
        let kept = all
            .into_iter()
            .zip(dropped)
            .filter_map(|(d, dropped)| (!dropped).then_some(d))
            .collect();
        (kept, hidden)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// How many problems of one kind are printed before the rest are counted.
pub const SHOWN_PER_KIND: usize = 20;

/// The lines to print for settled diagnostics: each diagnostic, except that after
/// `SHOWN_PER_KIND` problems of one kind (same severity, same file or content folder, same
/// message once quoted values and numbers are blanked) the rest become one line
/// "  ... and N more like this" after the last one shown.
pub fn lines(diags: &[Diagnostic]) -> Vec<String> {
    let kinds: Vec<(Severity, &str, String)> = diags.iter().map(kind).collect();
    let mut total: HashMap<&(Severity, &str, String), usize> = HashMap::new();
    for k in &kinds {
        *total.entry(k).or_default() += 1;
    }
    let mut seen: HashMap<&(Severity, &str, String), usize> = HashMap::new();
    let mut out = Vec::new();
    for (d, k) in diags.iter().zip(&kinds) {
        let n = seen.entry(k).or_default();
        *n += 1;
        if *n <= SHOWN_PER_KIND {
            out.push(d.to_string());
        }
        if *n == SHOWN_PER_KIND && total[k] > SHOWN_PER_KIND {
            out.push(format!(
                "  ... and {} more like this",
                total[k] - SHOWN_PER_KIND
            ));
        }
    }
    out
}

/// A diagnostic's kind: severity, where (a CSV or TOML file, or the folder of a content
/// file) and its message with `quoted` values and digits blanked.
fn kind(d: &Diagnostic) -> (Severity, &str, String) {
    let place = match d.path.rsplit_once('/') {
        Some((dir, _)) if d.path.ends_with(".md") => dir,
        _ => d.path.as_str(),
    };
    let mut shape = String::with_capacity(d.message.len());
    let mut quoted = false;
    for c in d.message.chars() {
        if c == '`' {
            quoted = !quoted;
            shape.push(c);
        } else if !quoted && !c.is_ascii_digit() {
            shape.push(c);
        }
    }
    (d.severity, place, shape)
}

/// Converts a byte offset in `text` into a 1-based line and character column.
pub fn pos_of_offset(text: &str, offset: usize) -> Pos {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.bytes().filter(|&b| b == b'\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() as u32 + 1;
    Pos { line, column }
}

/// The bytes as text, or the position of the first byte that is not UTF-8.
pub fn utf8_text(bytes: &[u8]) -> Result<&str, Pos> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or("");
        pos_of_offset(prefix, valid)
    })
}

/// The message for a file that is not UTF-8, given at the first bad byte.
pub const NOT_UTF8: &str =
    "this file is not valid UTF-8 (first bad byte here); save it with UTF-8 encoding";

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_path_line_column_severity() {
        let mut d = Diagnostics::new();
        d.error(
            "data/deployments.csv",
            Some(Pos { line: 3, column: 7 }),
            "bad",
        );
        d.warn("almanac.toml", None, "meh");
        // Errors first, whatever their paths.
        let v = d.sorted();
        assert_eq!(v[0].to_string(), "data/deployments.csv:3:7: error: bad");
        assert_eq!(v[1].to_string(), "almanac.toml: warning: meh");
    }

    #[test]
    fn offsets_become_line_and_column() {
        let text = "ab\ncdé\nf";
        assert_eq!(pos_of_offset(text, 0), Pos { line: 1, column: 1 });
        assert_eq!(pos_of_offset(text, 4), Pos { line: 2, column: 2 });
        // 'é' is two bytes: offset 7 is 'f'? no: "cdé\n" spans bytes 3..8, so 8 is 'f'.
        assert_eq!(pos_of_offset(text, 8), Pos { line: 3, column: 1 });
    }

    #[test]
    fn errors_that_follow_from_a_failed_file_are_dropped_transitively() {
        let mut d = Diagnostics::new();
        let at = |line| Some(Pos { line, column: 1 });
        d.error("data/incidents.csv", at(9), "bad time");
        d.error_after(
            "data/deployments.csv",
            "data/incidents.csv",
            at(4),
            "no dep",
        );
        d.error_after("data/incidents.csv", "content/retros/a.md", at(3), "no inc");
        d.file_error("data/deployments.csv", at(1), "missing column");
        let (kept, hidden) = d.settled();
        let kept: Vec<String> = kept.iter().map(|d| d.to_string()).collect();
        // The root cause first, although "content/" sorts before "data/"; the deploy
        // error follows deployments.csv and taints incidents.csv, so the retro error goes
        // too: 2 hidden. incidents.csv's own error stays.
        assert_eq!(
            kept,
            [
                "data/deployments.csv:1:1: error: missing column",
                "data/incidents.csv:9:1: error: bad time"
            ]
        );
        assert_eq!(hidden, 2);
    }

    /// Row errors of a file that other errors follow from come before the rest: the change
    /// errors go after the deployment row they may stem from; the warnings come after every
    /// error, the deployments' before the retro's (content/ sorts first by path); each file
    /// keeps its line order.
    #[test]
    fn the_files_other_errors_follow_from_come_first() {
        let mut d = Diagnostics::new();
        let at = |line| Some(Pos { line, column: 1 });
        d.warn("content/retros/a.md", at(2), "overdue");
        d.error_after(
            "data/deployments.csv",
            "data/changes.csv",
            at(2),
            "refused dep",
        );
        d.error("data/changes.csv", at(5), "bad time");
        d.error("data/deployments.csv", at(3), "bad status");
        d.warn("data/deployments.csv", at(9), "unowned");
        let got: Vec<String> = d.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(
            got,
            [
                "data/deployments.csv:3:1: error: bad status",
                "data/changes.csv:2:1: error: refused dep",
                "data/changes.csv:5:1: error: bad time",
                "data/deployments.csv:9:1: warning: unowned",
                "content/retros/a.md:2:1: warning: overdue",
            ]
        );
    }

    #[test]
    fn an_error_after_a_sound_file_is_kept() {
        let mut d = Diagnostics::new();
        d.error_after("data/incidents.csv", "content/retros/a.md", None, "no inc");
        let (kept, hidden) = d.settled();
        assert_eq!((kept.len(), hidden), (1, 0));
    }

    #[test]
    fn after_twenty_of_a_kind_the_rest_are_counted() {
        let mut d = Diagnostics::new();
        for line in 2..=26 {
            let pos = Some(Pos { line, column: 3 });
            d.error(
                "data/changes.csv",
                pos,
                format!("deploy_id `dep-{line}` is unknown"),
            );
        }
        d.error(
            "data/changes.csv",
            Some(Pos {
                line: 30,
                column: 1,
            }),
            "other",
        );
        let printed = lines(&d.sorted());
        // 25 of one kind (lines 2..=26): 20 shown, then "5 more", then the other kind.
        assert_eq!(printed.len(), 22);
        assert_eq!(
            printed[19],
            "data/changes.csv:21:3: error: deploy_id `dep-21` is unknown"
        );
        assert_eq!(printed[20], "  ... and 5 more like this");
        assert_eq!(printed[21], "data/changes.csv:30:1: error: other");
    }
}
