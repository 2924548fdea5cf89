//! Markdown: takes untrusted markdown text and returns sanitised HTML (`render`) or plain
//! text pulled out of it (`section_items`, `first_paragraph_text`, `first_heading`).

use crate::output::slug;
use ammonia::Builder;
use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};
use std::ops::Range;

/// Tables, footnotes, strikethrough and task lists; heading attributes stay off.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Renders markdown to HTML that is safe to show to every reader. Make one and share it:
/// building the sanitiser's tables costs more than rendering a retro.
pub struct Markdown {
    sanitizer: Builder<'static>,
}

impl Default for Markdown {
    fn default() -> Self {
        Markdown {
            sanitizer: sanitizer(),
        }
    }
}

impl Markdown {
    /// Raw HTML is sanitised (no scripts, event handlers, `style` attributes or
    /// `javascript:` URLs), headings get ids from their text, links get
    /// `rel="noopener noreferrer"`, table column alignment becomes an `align` attribute.
    pub fn render(&self, md: &str) -> String {
        let events = with_heading_ids(Parser::new_ext(md, options()).map(labelled_task).collect());
        let mut raw = String::with_capacity(md.len() + md.len() / 2);
        html::push_html(&mut raw, events.into_iter());
        self.sanitizer
            .clean(&alignment_to_attribute(&raw))
            .to_string()
    }
}

/// A task list's checkbox with an accessible name ("done" or "open"): pulldown-cmark
/// writes an unlabelled disabled `<input>`, which fails WCAG's label rule.
fn labelled_task(ev: Event<'_>) -> Event<'_> {
    match ev {
        Event::TaskListMarker(true) => Event::Html(CowStr::Borrowed(
            "<input type=\"checkbox\" disabled checked aria-label=\"done\"> ",
        )),
        Event::TaskListMarker(false) => Event::Html(CowStr::Borrowed(
            "<input type=\"checkbox\" disabled aria-label=\"open\"> ",
        )),
        ev => ev,
    }
}

/// Gives every heading an id made from its text, unique within the document
/// (`overview`, `overview-1`, ...).
fn with_heading_ids(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut used = BTreeSet::new();
    for i in 0..events.len() {
        if !matches!(events[i], Event::Start(Tag::Heading { .. })) {
            continue;
        }
        let mut text = String::new();
        for ev in &events[i + 1..] {
            if matches!(ev, Event::End(TagEnd::Heading(_))) {
                break;
            }
            push_plain(ev, &mut text);
        }
        let id = unique_id(slug(&text), &mut used);
        if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
            *slot = Some(CowStr::from(id));
        }
    }
    events
}

/// `base`, or `base-1`, `base-2`, ... for the first one not yet used in this document.
fn unique_id(base: String, used: &mut BTreeSet<String>) -> String {
    let mut candidate = base.clone();
    let mut n = 0;
    while used.contains(&candidate) {
        n += 1;
        candidate = format!("{base}-{n}");
    }
    used.insert(candidate.clone());
    candidate
}

/// pulldown-cmark writes alignment as `style="text-align: ..."`; `style` is never allowed
/// through the sanitiser, so the alignment moves to the `align` attribute of the cell.
fn alignment_to_attribute(html: &str) -> Cow<'_, str> {
    if !html.contains(" style=\"text-align: ") {
        return Cow::Borrowed(html);
    }
    let mut out = html.to_string();
    for side in ["left", "center", "right"] {
        out = out.replace(
            &format!(" style=\"text-align: {side}\">"),
            &format!(" align=\"{side}\">"),
        );
    }
    Cow::Owned(out)
}

fn sanitizer() -> Builder<'static> {
    {
        let mut b = Builder::default();
        b.url_schemes(HashSet::from(["http", "https", "mailto"]))
            .link_rel(Some("noopener noreferrer"))
            .add_tags(["input"])
            .add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"])
            .add_tag_attributes("code", ["class"])
            .add_tag_attributes("sup", ["class"])
            .add_tag_attributes("div", ["class", "id"])
            .attribute_filter(keep_attribute);
        for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
            b.add_tag_attributes(h, ["id"]);
        }
        b
    }
}

/// Only checkboxes, and only the classes pulldown-cmark itself writes.
fn keep_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    let keep = match (element, attribute) {
        ("input", "type") => value == "checkbox",
        ("input", "aria-label") => matches!(value, "done" | "open"),
        ("code", "class") => value.strip_prefix("language-").is_some_and(|lang| {
            !lang.is_empty()
                && lang
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-_.#".contains(c))
        }),
        ("sup", "class") => matches!(value, "footnote-reference" | "footnote-definition-label"),
        ("div", "class") => value == "footnote-definition",
        _ => true,
    };
    keep.then_some(Cow::Borrowed(value))
}

/// The plain-text items of the lists directly under the heading `heading` (matched
/// case-insensitively, ignoring a trailing colon), up to the next heading of the same or a
/// higher level. Nested sub-lists are not separate items and their text is left out.
pub fn section_items(md: &str, heading: &str) -> Vec<String> {
    let want = normalise_heading(heading);
    let mut items = Vec::new();
    let mut heading_text: Option<(HeadingLevel, String)> = None;
    let mut section: Option<HeadingLevel> = None;
    let mut depth = 0usize;
    let mut item: Option<String> = None;
    for ev in Parser::new_ext(md, options()) {
        match (&ev, &mut heading_text) {
            (Event::Start(Tag::Heading { level, .. }), _) => {
                if section.is_some_and(|open| *level <= open) {
                    section = None;
                }
                heading_text = Some((*level, String::new()));
            }
            (Event::End(TagEnd::Heading(_)), Some((level, text))) => {
                if section.is_none() && normalise_heading(text) == want {
                    section = Some(*level);
                    depth = 0;
                }
                heading_text = None;
            }
            (_, Some((_, text))) => push_plain(&ev, text),
            _ if section.is_none() => {}
            (Event::Start(Tag::List(_)), _) => depth += 1,
            (Event::End(TagEnd::List(_)), _) => depth = depth.saturating_sub(1),
            (Event::Start(Tag::Item), _) if depth == 1 => item = Some(String::new()),
            (Event::End(TagEnd::Item), _) if depth == 1 => {
                let text = collapse_spaces(&item.take().unwrap_or_default());
                if !text.is_empty() {
                    items.push(text);
                }
            }
            _ if depth == 1 => {
                if let Some(text) = item.as_mut() {
                    push_plain(&ev, text);
                }
            }
            _ => {}
        }
    }
    items
}

/// The markdown with the sections under any of `headings` (matched as `section_items`
/// matches, each up to the next heading of the same or a higher level) cut out, so that a
/// page showing those facts in its own header says them once. A section holding anything
/// besides its lists (a paragraph, a quote, a subsection's text) stays whole: its items are
/// said twice rather than its prose lost.
pub fn without_sections(md: &str, headings: &[&str]) -> String {
    let want: Vec<String> = headings.iter().map(|h| normalise_heading(h)).collect();
    let mut cuts: Vec<Range<usize>> = Vec::new();
    // The open section: its level, where it starts, and whether it holds anything but lists.
    let mut open: Option<(HeadingLevel, usize, bool)> = None;
    let mut heading: Option<(HeadingLevel, usize, String)> = None;
    let mut lists = 0usize;
    for (ev, range) in Parser::new_ext(md, options()).into_offset_iter() {
        match (&ev, &mut heading) {
            (Event::Start(Tag::Heading { level, .. }), _) => {
                if let Some((_, start, prose)) = open.filter(|(lvl, _, _)| level <= lvl) {
                    if !prose {
                        cuts.push(start..range.start);
                    }
                    open = None;
                }
                heading = Some((*level, range.start, String::new()));
            }
            (Event::End(TagEnd::Heading(_)), Some((level, start, text))) => {
                if open.is_none() && want.contains(&normalise_heading(text)) {
                    open = Some((*level, *start, false));
                    lists = 0;
                }
                heading = None;
            }
            (_, Some((_, _, text))) => push_plain(&ev, text),
            (Event::Start(Tag::List(_)), None) => lists += 1,
            (Event::End(TagEnd::List(_)), None) => lists = lists.saturating_sub(1),
            // Anything outside a list in the section, a subsection's heading aside.
            (Event::Start(_) | Event::Text(_) | Event::Html(_) | Event::Rule, None)
                if lists == 0 =>
            {
                if let Some((_, _, prose)) = open.as_mut() {
                    *prose = true;
                }
            }
            _ => {}
        }
    }
    if let Some((_, start, false)) = open {
        cuts.push(start..md.len());
    }
    let mut out = String::with_capacity(md.len());
    let mut at = 0;
    for cut in cuts {
        out.push_str(&md[at..cut.start]);
        at = cut.end;
    }
    out.push_str(&md[at..]);
    out
}

fn normalise_heading(text: &str) -> String {
    collapse_spaces(text.trim().trim_end_matches(':')).to_lowercase()
}

/// The plain text of the first top-level paragraph (not in a list, quote, table or
/// footnote), for summaries on list pages; `None` when there is none.
pub fn first_paragraph_text(md: &str) -> Option<String> {
    let mut depth = 0usize;
    let mut text: Option<String> = None;
    for ev in Parser::new_ext(md, options()) {
        match &ev {
            Event::Start(Tag::Paragraph) if depth == 0 => text = Some(String::new()),
            Event::End(TagEnd::Paragraph) if depth == 0 => {
                let found = collapse_spaces(&text.take().unwrap_or_default());
                if !found.is_empty() {
                    return Some(found);
                }
            }
            Event::Start(
                Tag::List(_) | Tag::BlockQuote(_) | Tag::Table(_) | Tag::FootnoteDefinition(_),
            ) => depth += 1,
            Event::End(
                TagEnd::List(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::Table
                | TagEnd::FootnoteDefinition,
            ) => depth = depth.saturating_sub(1),
            _ => {
                if let Some(t) = text.as_mut() {
                    push_plain(&ev, t);
                }
            }
        }
    }
    None
}

/// The plain text of the first level-1 heading and its byte range in `md` (so a caller
/// using it as the page title can drop it from the body).
pub fn first_heading(md: &str) -> Option<(String, Range<usize>)> {
    let mut found: Option<(String, Range<usize>)> = None;
    for (ev, range) in Parser::new_ext(md, options()).into_offset_iter() {
        match (&ev, &mut found) {
            (
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                }),
                None,
            ) => {
                found = Some((String::new(), range));
            }
            (Event::End(TagEnd::Heading(_)), Some((text, range))) => {
                return Some((collapse_spaces(text), range.clone()));
            }
            (_, Some((text, _))) => push_plain(&ev, text),
            _ => {}
        }
    }
    None
}

/// Appends the visible text of one inline event; breaks and block ends become spaces.
fn push_plain(ev: &Event<'_>, out: &mut String) {
    match ev {
        Event::Text(t) | Event::Code(t) => out.push_str(t),
        Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => out.push(' '),
        _ => {}
    }
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_strips_scripts_handlers_styles_and_javascript_urls() {
        let md = "<script>alert(1)</script>\n\n\
                  <a href=\"javascript:alert(1)\" onclick=\"steal()\">click</a> \
                  <span style=\"position:fixed\">s</span> <img src=\"x.png\" onerror=\"alert(1)\">\n\n\
                  [data](data:text/html;base64,PHNjcmlwdD4=) [js](javascript:alert(2))\n";
        let html = Markdown::default().render(md);
        for bad in [
            "<script",
            "alert(1)",
            "onclick",
            "steal",
            "style=",
            "onerror",
            "javascript:",
            "data:",
        ] {
            assert!(!html.contains(bad), "`{bad}` survived in {html}");
        }
        assert!(
            html.contains("<a rel=\"noopener noreferrer\">click</a>"),
            "{html}"
        );
        assert!(html.contains("<img src=\"x.png\">"), "{html}");
    }

    #[test]
    fn render_keeps_tables_code_headings_links_footnotes_and_tasks() {
        let md = "# Summary\n\n## Summary\n\n|a|b|\n|:-|-:|\n|1|2|\n\n\
                  ```rust\nfn main() {}\n```\n\n[site](https://example.com) ~~old~~ note[^n]\n\n\
                  [^n]: the note\n\n- [x] done\n- [ ] open\n\n<input type=\"text\" value=\"phish\">\n";
        let html = Markdown::default().render(md);
        // Two headings with the same text: the second id gets `-1`.
        assert!(html.contains("<h1 id=\"summary\">Summary</h1>"), "{html}");
        assert!(html.contains("<h2 id=\"summary-1\">Summary</h2>"), "{html}");
        assert!(
            html.contains("<th align=\"left\">a</th><th align=\"right\">b</th>"),
            "{html}"
        );
        assert!(
            html.contains("<pre><code class=\"language-rust\">fn main() {}"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"https://example.com\" rel=\"noopener noreferrer\">site</a>")
        );
        assert!(html.contains("<del>old</del>"));
        assert!(
            html.contains("<sup class=\"footnote-reference\"><a href=\"#n\""),
            "{html}"
        );
        assert!(
            html.contains("<div class=\"footnote-definition\" id=\"n\">"),
            "{html}"
        );
        assert!(
            html.contains(
                "<input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"done\">"
            ),
            "{html}"
        );
        // A raw text input loses its type (so it is not a text box) and its value.
        assert!(
            !html.contains("type=\"text\"") && !html.contains("phish"),
            "{html}"
        );
    }

    #[test]
    fn render_drops_unknown_classes() {
        let html = Markdown::default().render("<div class=\"overlay\">x</div>\n\n<code class=\"language-rust evil\">y</code> <sup class=\"big\">z</sup>\n");
        assert_eq!(html, "<div>x</div>\n<p><code>y</code> <sup>z</sup></p>\n");
    }

    const RETRO: &str = "\
# Checkout outage

Summary  paragraph
over two lines.

## Contributing Factors:

- Alerting **threshold** too high
- Runbook `restart` step outdated
  - nested detail, not an item
- [x] Missing canary

### Detail (a sub-heading stays inside the section)

1. Deploy on a Friday

## Action items

- Not a factor
";

    #[test]
    fn section_items_stop_at_the_next_heading_of_the_same_level() {
        assert_eq!(
            section_items(RETRO, "contributing factors"),
            vec![
                "Alerting threshold too high",
                "Runbook restart step outdated",
                "Missing canary",
                "Deploy on a Friday",
            ]
        );
        assert_eq!(section_items(RETRO, "Action Items"), vec!["Not a factor"]);
        assert!(section_items(RETRO, "Timeline").is_empty());
    }

    #[test]
    fn first_paragraph_and_heading() {
        assert_eq!(
            first_paragraph_text(RETRO).as_deref(),
            Some("Summary paragraph over two lines.")
        );
        assert_eq!(first_paragraph_text("- only a list\n\n> quote\n"), None);
        let (title, range) = first_heading("Intro\n\n# On-call *policy*\n\nText\n").unwrap();
        assert_eq!(title, "On-call policy");
        // "Intro\n\n" is 7 bytes; the heading line "# On-call *policy*\n" is 19 bytes.
        assert_eq!(range, 7..26);
        assert_eq!(first_heading("## Only level two\n"), None);
    }
}

#[cfg(test)]
mod section_tests {
    use super::*;

    #[test]
    fn sections_said_above_are_cut_out_up_to_the_next_heading_of_their_level() {
        let md = "## Summary\n\nIt broke.\n\n## Contributing factors:\n\n- a\n\n### Detail\n\n- c\n\n## What went well\n\n- b\n\n## Action items\n\n- [x] fix\n";
        let cut = without_sections(md, &["Contributing factors", "action items"]);
        assert_eq!(
            cut,
            "## Summary\n\nIt broke.\n\n## What went well\n\n- b\n\n"
        );
        // Nothing named: the text is unchanged.
        assert_eq!(without_sections(md, &[]), md);
    }

    #[test]
    fn a_section_said_above_that_holds_prose_stays_whole() {
        // A paragraph after the list, or a subsection's text: nothing of it is lost.
        for md in [
            "## Contributing factors\n\n- a\n\nA new paragraph.\n",
            "## Contributing factors\n\n- a\n\n### Detail\n\nx\n\n## Next\n\ny\n",
            "## Contributing factors\n\n> quoted\n",
        ] {
            assert_eq!(without_sections(md, &["contributing factors"]), md);
        }
        // Lists only, nested or not: cut.
        let md = "## Contributing factors\n\n- a\n  - a.1\n- b\n\n## Next\n\ny\n";
        assert_eq!(
            without_sections(md, &["contributing factors"]),
            "## Next\n\ny\n"
        );
    }

    #[test]
    fn task_list_checkboxes_have_an_accessible_name() {
        let html = Markdown::default().render("- [x] fixed\n- [ ] to do\n");
        assert!(html.contains("aria-label=\"done\""), "{html}");
        assert!(html.contains("aria-label=\"open\""), "{html}");
        assert_eq!(
            html.matches("<input").count(),
            html.matches("aria-label=").count()
        );
        // A hostile label is dropped by the sanitiser.
        let raw = Markdown::default().render("<input type=\"checkbox\" aria-label=\"x<y\">");
        assert!(!raw.contains("aria-label"), "{raw}");
    }
}
