//! SVG text: takes titles, labels and drawn elements and returns the document, with every
//! piece of user text escaped and the accessible wrapper (`role="img"`, `<title>`, `<desc>`).

use super::geom::Tenths;
use std::fmt::Write as _;

/// An id safe inside an SVG inlined in HTML: ASCII letters, digits, `-` and `_`, starting
/// with a letter. Anything else becomes `-`; an empty id becomes `chart`.
pub(super) fn safe_id(id: &str) -> String {
    let mut out: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if out.is_empty() {
        out.push_str("chart");
    } else if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "c-");
    }
    out
}

/// Escapes text for XML content and attributes; control characters (not allowed in XML)
/// become spaces.
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An SVG document being written.
pub(super) struct Doc {
    out: String,
}

impl Doc {
    /// Opens the document with its accessible name (`title`) and description (`desc`). Charts
    /// are only ever inline in HTML, where `<svg>` is in the SVG namespace without `xmlns`.
    pub fn open(id: &str, class: &str, size: (u32, u32), title: &str, desc: &str) -> Doc {
        let (w, h) = size;
        // Room for a small chart (an incident page's are 1.5 to 1.7 KB); larger ones grow.
        let mut out = String::with_capacity(2048);
        let _ = write!(
            out,
            "<svg class=\"chart {class}\" \
             viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" \
             aria-labelledby=\"{id}-t {id}-d\">\n\
             <title id=\"{id}-t\">{}</title>\n<desc id=\"{id}-d\">{}</desc>\n",
            esc(title),
            esc(desc)
        );
        Doc { out }
    }

    /// A `<g class>` around `body`; nothing when `body` is empty.
    pub fn group(&mut self, class: &str, body: &str) {
        if body.is_empty() {
            return;
        }
        let _ = write!(self.out, "<g class=\"{class}\">\n{body}</g>\n");
    }

    /// `body` with a hover `<title>`: a single element gets the class and the title itself
    /// (`<path class="..." d="..."><title>...</title></path>`, the cheapest form for the
    /// many markers of a long chart); several are wrapped in a `<g class>`.
    pub fn titled_group(&mut self, class: &str, title: &str, body: &str) {
        let single = body.trim_end().lines().count() == 1;
        let parts = body
            .trim_end()
            .strip_prefix('<')
            .and_then(|b| b.strip_suffix("/>"))
            .and_then(|b| b.split_once(' '))
            .filter(|_| single);
        match parts {
            Some((tag, attrs)) => {
                let _ = writeln!(
                    self.out,
                    "<{tag} class=\"{class}\" {attrs}><title>{}</title></{tag}>",
                    esc(title)
                );
            }
            None => {
                let _ = write!(
                    self.out,
                    "<g class=\"{class}\"><title>{}</title>\n{body}</g>\n",
                    esc(title)
                );
            }
        }
    }

    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        // Most charts are far smaller than the room `open` makes, and a build holds every one.
        self.out.shrink_to_fit();
        self.out
    }
}

/// A `<text>` at a position in tenths of a user unit, its content escaped.
pub(super) fn text(x: i32, y: i32, content: &str) -> String {
    format!(
        "<text x=\"{}\" y=\"{}\">{}</text>\n",
        Tenths(x),
        Tenths(y),
        esc(content)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_safe_and_prefixed() {
        assert_eq!(safe_id("lead-time_w"), "lead-time_w");
        assert_eq!(safe_id("9 \"x\"<"), "c-9--x--");
        assert_eq!(safe_id(""), "chart");
    }

    #[test]
    fn hostile_text_is_escaped() {
        assert_eq!(esc("<script>&\"'\u{7}"), "&lt;script&gt;&amp;&quot;&#39; ");
    }

    #[test]
    fn text_positions_are_tenths() {
        assert_eq!(
            text(125, 40, "a<b"),
            "<text x=\"12.5\" y=\"4\">a&lt;b</text>\n"
        );
    }
}
