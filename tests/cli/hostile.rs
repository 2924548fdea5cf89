//! Untrusted input: the `hostile` fixture puts markup, event handlers and `javascript:`
//! links into every user-written string (config, CSV fields, front matter, markdown).
//! The real binary builds it and every HTML file is scanned tag by tag.

use super::*;

/// Every problem in one page: script tags, `on*` handlers, `style` attributes and
/// `javascript:` URLs in any tag's attributes.
fn dangers(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let tail = &rest[open + 1..];
        let close = tail.find('>').unwrap_or(tail.len());
        let tag = &tail[..close];
        let name = tag
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if name == "script" {
            found.push(format!("<{tag}>"));
        }
        for (key, value) in attributes(tag) {
            let key = key.to_ascii_lowercase();
            let bad_value = value.to_ascii_lowercase().contains("javascript:");
            if key.starts_with("on") || key == "style" || bad_value {
                found.push(format!("<{tag}>"));
            }
        }
        rest = &tail[close.min(tail.len())..];
    }
    found
}

/// A tag's `name=value` pairs, with quoted values kept whole.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = tag.chars().peekable();
    // Skip the tag name.
    while chars.next_if(|c| !c.is_whitespace()).is_some() {}
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=') {
            key.push(c);
        }
        if key.is_empty() {
            return out;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            match chars.next_if(|c| *c == '"' || *c == '\'') {
                Some(q) => value.extend(chars.by_ref().take_while(|c| *c != q)),
                None => {
                    while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                        value.push(c);
                    }
                }
            }
        }
        out.push((key, value));
    }
}

#[test]
fn hostile_input_never_becomes_markup() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&fixture("hostile"), &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let mut pages = 0;
    for (path, bytes) in tree(&out) {
        if !(path.ends_with(".html") || path.ends_with(".svg")) {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).unwrap();
        assert_eq!(dangers(&html), Vec::<String>::new(), "in {path}");
    }
    assert!(pages > 20, "only {pages} pages");
    // The strings are still shown, as text.
    let retro = fs::read_to_string(out.join("retros/i1.html")).unwrap();
    assert!(
        retro.contains("&lt;script&gt;alert(&#x27;retro&#x27;)&lt;/script&gt;"),
        "{retro}"
    );
    let incident = fs::read_to_string(out.join("incidents/i1.html")).unwrap();
    assert!(incident.contains("&quot;quoted&quot;") || incident.contains("&#34;quoted&#34;"));
}

#[test]
fn the_scanner_finds_what_it_looks_for() {
    assert_eq!(dangers("<p>ok</p><script>x</script>").len(), 1);
    assert_eq!(dangers("<img src=x onerror=alert(1)>").len(), 1);
    assert_eq!(dangers("<a href=\"JavaScript:alert(1)\">x</a>").len(), 1);
    assert_eq!(dangers("<div style=\"color:red\">x</div>").len(), 1);
    assert!(dangers("<p>&lt;script&gt; onerror= text</p>").is_empty());
    assert!(dangers("<a title=\"online only\" href=\"x.html\">x</a>").is_empty());
}
