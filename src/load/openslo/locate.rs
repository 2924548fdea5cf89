//! Field locator: takes one YAML document's text and a path such as
//! `spec.objectives[1].target`, and returns the byte offset of that key (or of its
//! nearest located parent), by indentation, for block-style YAML.

/// A path step: a mapping key or a sequence item.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'a> {
    Key(&'a str),
    Item(usize),
}

#[derive(Debug)]
struct Line<'a> {
    start: usize,
    indent: usize,
    item: bool,
    key_col: usize,
    key: Option<&'a str>,
}

/// A located node: the lines `first..end` that hold its children, which sit at `col`.
#[derive(Debug, Clone, Copy)]
struct Node {
    first: usize,
    end: usize,
    col: usize,
}

/// Indexes the lines of one document.
pub struct Locator<'a> {
    lines: Vec<Line<'a>>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut lines = Vec::new();
        let mut start = 0;
        for raw in text.split_inclusive('\n') {
            if let Some(line) = parse_line(raw, start) {
                lines.push(line);
            }
            start += raw.len();
        }
        Locator { lines }
    }

    /// Byte offset of the first content line (the document start), if any.
    pub fn start(&self) -> Option<usize> {
        self.lines.first().map(|l| l.start + l.indent)
    }

    /// Byte offset of the deepest step of `path` that was found, or the document start.
    pub fn find(&self, path: &[Seg]) -> usize {
        let mut best = self.start().unwrap_or(0);
        let Some(first) = self.lines.first() else {
            return best;
        };
        let mut node = Node {
            first: 0,
            end: self.lines.len(),
            col: first.key_col,
        };
        for seg in path {
            let found = match *seg {
                Seg::Key(k) => self.key(node, k),
                Seg::Item(n) => self.item(node, n),
            };
            match found {
                Some((offset, next)) => {
                    best = offset;
                    node = next;
                }
                None => break,
            }
        }
        best
    }

    fn key(&self, node: Node, key: &str) -> Option<(usize, Node)> {
        let j = (node.first..node.end)
            .find(|&j| self.lines[j].key_col == node.col && self.lines[j].key == Some(key))?;
        let line = &self.lines[j];
        let col = line.key_col;
        let end = (j + 1..node.end)
            .find(|&i| {
                let l = &self.lines[i];
                l.indent < col || (l.indent == col && !l.item)
            })
            .unwrap_or(node.end);
        let child_col = self
            .lines
            .get(j + 1)
            .filter(|_| j + 1 < end)
            .map_or(col + 2, |l| if l.item { l.indent } else { l.key_col });
        let next = Node {
            first: j + 1,
            end,
            col: child_col,
        };
        Some((line.start + col, next))
    }

    fn item(&self, node: Node, n: usize) -> Option<(usize, Node)> {
        let j = (node.first..node.end)
            .filter(|&j| self.lines[j].item && self.lines[j].indent == node.col)
            .nth(n)?;
        let line = &self.lines[j];
        let end = (j + 1..node.end)
            .find(|&i| self.lines[i].indent <= line.indent)
            .unwrap_or(node.end);
        let next = Node {
            first: j,
            end,
            col: line.key_col,
        };
        Some((line.start + line.indent, next))
    }
}

/// Reads one line's indentation, item marker and key; `None` for blank and comment lines.
fn parse_line(raw: &str, start: usize) -> Option<Line<'_>> {
    let body = raw.trim_end_matches(['\n', '\r']);
    let indent = body.len() - body.trim_start_matches(' ').len();
    let rest = &body[indent..];
    if rest.is_empty() || rest.starts_with('#') {
        return None;
    }
    let (item, after) = match rest.strip_prefix('-') {
        Some(a) if a.is_empty() || a.starts_with(' ') => (true, a.trim_start_matches(' ')),
        _ => (false, rest),
    };
    let key_col = indent + (rest.len() - after.len());
    Some(Line {
        start,
        indent,
        item,
        key_col,
        key: key_of(after),
    })
}

/// The key of `key: value` (quotes removed), if the text starts with one.
fn key_of(text: &str) -> Option<&str> {
    let colon = text
        .match_indices(':')
        .map(|(i, _)| i)
        .find(|&i| text[i + 1..].is_empty() || text[i + 1..].starts_with([' ', '\t']))?;
    let key = text[..colon].trim();
    let key = key
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))
        .unwrap_or(key);
    (!key.is_empty()).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Seg::{Item, Key};

    const DOC: &str = "# comment\napiVersion: openslo/v1\nspec:\n  indicator:\n    metadata:\n      description: nested\n  description: top\n  objectives:\n  - displayName: a\n    target: 0.9\n  - target: 0.8\n    targetPercent: 80\n  timeWindow:\n    - duration: 28d\n      calendar:\n        startTime: x\n";

    fn line_of(path: &[Seg]) -> usize {
        let off = Locator::new(DOC).find(path);
        DOC[..off].matches('\n').count() + 1
    }

    #[test]
    fn finds_keys_by_indentation() {
        assert_eq!(line_of(&[]), 2);
        assert_eq!(line_of(&[Key("spec"), Key("description")]), 7);
        assert_eq!(
            line_of(&[Key("spec"), Key("objectives"), Item(0), Key("target")]),
            10
        );
        assert_eq!(line_of(&[Key("spec"), Key("objectives"), Item(1)]), 11);
        assert_eq!(
            line_of(&[
                Key("spec"),
                Key("objectives"),
                Item(1),
                Key("targetPercent")
            ]),
            12
        );
        let start = [
            Key("spec"),
            Key("timeWindow"),
            Item(0),
            Key("calendar"),
            Key("startTime"),
        ];
        assert_eq!(line_of(&start), 16);
        assert_eq!(
            line_of(&[Key("spec"), Key("timeWindow"), Item(0), Key("duration")]),
            14
        );
        // a missing key falls back to its parent
        assert_eq!(line_of(&[Key("spec"), Key("budgetingMethod")]), 3);
    }

    /// A key's block ends at the next key of its own column: `a` has no `b`, so the path
    /// `a.b` stops at `a` (offset 0) rather than finding `c`'s `b` on line 4 (offset 15).
    #[test]
    fn a_key_s_children_end_at_its_next_sibling() {
        let doc = "a:\n  x: 1\nc:\n  b: 2\n";
        let at = |path: &[Seg]| Locator::new(doc).find(path);
        assert_eq!(at(&[Key("a"), Key("b")]), 0);
        assert_eq!(at(&[Key("c"), Key("b")]), 15);
        assert_eq!(at(&[Key("a"), Key("x")]), 5);
    }

    /// A key's children start on the line after it, even when a sequence under it sits at
    /// its own column: in `a:` / `- x`, the path `a.a[0]` finds no second `a` and stops at
    /// `a` (offset 0); were `a` its own child, it would go on to `- x` (offset 3).
    #[test]
    fn a_key_is_not_its_own_child() {
        let doc = "a:\n- x\n";
        let at = |path: &[Seg]| Locator::new(doc).find(path);
        assert_eq!(at(&[Key("a"), Key("a"), Item(0)]), 0);
        assert_eq!(at(&[Key("a"), Item(0)]), 3);
    }

    /// An item of a sequence is a `-` line at the sequence's column: the items of `b`'s
    /// own sequence, deeper, are not `a`'s. `a[1]` is `- c` on line 5 (offset 28), not
    /// `- p` on line 3 (offset 14).
    #[test]
    fn items_are_the_dashes_at_the_sequence_s_column() {
        let doc = "a:\n  - b:\n    - p\n    - q\n  - c\n";
        let at = |path: &[Seg]| Locator::new(doc).find(path);
        assert_eq!(at(&[Key("a"), Item(0)]), 5);
        assert_eq!(at(&[Key("a"), Item(1)]), 28);
        assert_eq!(at(&[Key("a"), Item(0), Key("b"), Item(1)]), 22);
    }

    /// A dash starts an item only before a space or the line's end: `-x` is a key, found at
    /// offset 5 (line 2, column 3), not an item holding `x`.
    #[test]
    fn a_dash_glued_to_a_word_is_part_of_a_key() {
        let doc = "a:\n  -x: 1\n";
        assert_eq!(Locator::new(doc).find(&[Key("a"), Key("-x")]), 5);
    }
}
