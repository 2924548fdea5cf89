//! Diagnostics: every stage reports problems as `Diagnostic`s, collected in `Diagnostics`
//! and printed together as `path:line:column: severity: message`.

use std::fmt;

/// How bad a problem is: errors stop a build, warnings are printed and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
        });
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

    /// The diagnostics in a stable order: by path, line, column, then message.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
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
        let v = d.sorted();
        assert_eq!(v[0].to_string(), "almanac.toml: warning: meh");
        assert_eq!(v[1].to_string(), "data/deployments.csv:3:7: error: bad");
    }

    #[test]
    fn offsets_become_line_and_column() {
        let text = "ab\ncdé\nf";
        assert_eq!(pos_of_offset(text, 0), Pos { line: 1, column: 1 });
        assert_eq!(pos_of_offset(text, 4), Pos { line: 2, column: 2 });
        // 'é' is two bytes: offset 7 is 'f'? no: "cdé\n" spans bytes 3..8, so 8 is 'f'.
        assert_eq!(pos_of_offset(text, 8), Pos { line: 3, column: 1 });
    }
}
