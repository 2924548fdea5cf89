//! `almanac serve`'s pure pieces: which built file a request path names (only files of
//! the site, never a path outside it), its content type, the live-reload script injected
//! into HTML in serve mode only (the built site stays script-free), the banner that shows
//! a broken edit's diagnostics over the last good page. What a changed file reaches is
//! `pipeline::live`; the server, the watcher and the clock live in the command line.

/// The long-poll endpoint the live-reload script asks: `?v=N` answers with the site's
/// version once it is past `N`.
pub const RELOAD_PATH: &str = "/__almanac/reload";

pub use crate::output::{site_files, SiteFiles};

/// The site file a request path names: the query dropped, percent-escapes decoded, `/`
/// and folders meaning their `index.html`. `None` for anything that is not a file of the
/// site (a `..` segment, a hidden segment, a backslash, an unknown path).
pub fn resolve<'a>(site: &'a SiteFiles, url: &str) -> Option<(&'a str, &'a [u8])> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let path = percent_decode(path)?;
    let path = path.strip_prefix('/')?;
    if path.contains('\\') || path.contains('\0') {
        return None;
    }
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    if segments
        .iter()
        .enumerate()
        .any(|(i, s)| s.starts_with('.') || (s.is_empty() && i != last))
    {
        return None;
    }
    let mut key = path.to_string();
    if key.is_empty() || key.ends_with('/') {
        key.push_str("index.html");
    }
    if !site.contains_key(&key) && site.contains_key(&format!("{key}/index.html")) {
        key.push_str("/index.html");
    }
    site.get_key_value(&key).map(|(k, v)| (k.as_str(), &v[..]))
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The content type of a site file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map_or("", |(_, ext)| ext) {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The script that waits on `RELOAD_PATH` and reloads the page when the site's version
/// moves past `version`.
pub fn reload_script(version: u64) -> String {
    format!(
        "<script>/* almanac serve: live reload */(async()=>{{let v={version};for(;;){{try{{const r=await fetch('{RELOAD_PATH}?v='+v,{{cache:'no-store'}});const t=(await r.text()).trim();if(r.ok&&t!==String(v)){{location.reload();return}}}}catch(e){{await new Promise(s=>setTimeout(s,1000))}}}}}})();</script>"
    )
}

/// An HTML page as served: the reload script before `</body>`, and when the last edit
/// broke the site its diagnostics in a banner at the top.
pub fn inject(html: &[u8], version: u64, problems: Option<&[String]>) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let mut banner = String::new();
    if let Some(lines) = problems {
        banner = error_banner(lines);
    }
    let script = reload_script(version);
    let body_open = text
        .find("<body")
        .and_then(|i| text[i..].find('>').map(|j| i + j + 1));
    let body_close = text.rfind("</body>");
    let mut out = String::with_capacity(text.len() + banner.len() + script.len());
    match (body_open, body_close) {
        (Some(open), Some(close)) if open <= close => {
            out.push_str(&text[..open]);
            out.push_str(&banner);
            out.push_str(&text[open..close]);
            out.push_str(&script);
            out.push_str(&text[close..]);
        }
        _ => {
            out.push_str(&banner);
            out.push_str(&text);
            out.push_str(&script);
        }
    }
    out.into_bytes()
}

/// The diagnostics of a broken edit, escaped, as a banner over the last good page.
pub fn error_banner(lines: &[String]) -> String {
    let mut s = String::from(
        "<div id=\"almanac-serve-errors\" role=\"alert\" style=\"border:3px solid #b00020;background:#fff0f0;color:#000;padding:1em;margin:0 0 1em;font:14px/1.4 monospace;white-space:pre-wrap\"><strong>almanac serve: the last edit does not build; this is the last good site.</strong>\n",
    );
    for l in lines {
        s.push_str(&crate::render::escape_html(l));
        s.push('\n');
    }
    s.push_str("</div>");
    s
}

/// A whole page for when no build has succeeded yet.
pub fn error_page(lines: &[String], version: u64) -> Vec<u8> {
    let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>almanac serve: errors</title></head><body></body></html>";
    inject(page.as_bytes(), version, Some(lines))
}

/// What a watcher's event says of a file being saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saving {
    /// The file was created or written: more may follow.
    Writing,
    /// The file was closed after writing, moved into place or removed: its save is done.
    Done,
    /// Nothing about a save (a read, a change of permissions).
    Other,
}

/// The files of a batch of events (taken in the order they came) still being saved: a
/// file written and not yet closed, moved into place or removed. When there is none, an
/// editor's save is complete and the batch need not wait as long for more of it.
#[derive(Debug, Default)]
pub struct Saves {
    open: std::collections::BTreeSet<std::path::PathBuf>,
}

impl Saves {
    pub fn note(&mut self, saving: Saving, path: &std::path::Path) {
        match saving {
            Saving::Writing => drop(self.open.insert(path.to_path_buf())),
            Saving::Done => drop(self.open.remove(path)),
            Saving::Other => {}
        }
    }

    /// Every file written so far was closed, moved into place or removed.
    pub fn done(&self) -> bool {
        self.open.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteFiles {
        [
            "index.html",
            "teams/index.html",
            "teams/a.html",
            "style.css",
        ]
        .into_iter()
        .map(|p| (p.to_string(), std::sync::Arc::from(p.as_bytes())))
        .collect()
    }

    #[test]
    fn paths_resolve_only_to_files_of_the_site() {
        let s = site();
        let got = |u: &str| resolve(&s, u).map(|(p, _)| p.to_string());
        assert_eq!(got("/").as_deref(), Some("index.html"));
        assert_eq!(got("/teams/").as_deref(), Some("teams/index.html"));
        assert_eq!(got("/teams").as_deref(), Some("teams/index.html"));
        assert_eq!(got("/teams/a.html?x=1").as_deref(), Some("teams/a.html"));
        assert_eq!(got("/teams/%61.html").as_deref(), Some("teams/a.html"));
        for bad in [
            "/../almanac.toml",
            "/teams/../index.html",
            "/%2e%2e/etc/passwd",
            "/..%2fetc",
            "/.git/config",
            "//etc/passwd",
            "/teams\\a.html",
            "/nope.html",
            "index.html",
            "/%zz",
        ] {
            assert_eq!(got(bad), None, "{bad}");
        }
    }

    /// A save written in two steps and closed is done; one still open is not; a file moved
    /// into place (an editor's atomic save) or removed is done; a read says nothing; two
    /// files are done only when both are.
    #[test]
    fn a_batch_s_saves_are_done_when_every_written_file_is_closed() {
        use std::path::Path;
        use Saving::{Done, Other, Writing};
        let (a, b) = (Path::new("data/a.csv"), Path::new("content/b.md"));
        let done = |events: &[(Saving, &Path)]| {
            let mut saves = Saves::default();
            events.iter().for_each(|&(s, p)| saves.note(s, p));
            saves.done()
        };
        assert!(done(&[(Writing, a), (Writing, a), (Done, a)]));
        assert!(!done(&[(Writing, a), (Done, a), (Writing, a)]));
        assert!(!done(&[(Writing, a), (Writing, b), (Done, a)]));
        assert!(done(&[(Writing, a), (Writing, b), (Done, b), (Done, a)]));
        assert!(done(&[(Done, b)]));
        assert!(done(&[(Other, a)]));
        assert!(!done(&[(Writing, a), (Other, a)]));
        assert!(done(&[]));
    }

    #[test]
    fn the_script_goes_before_the_body_end_and_the_banner_after_its_start() {
        let page = b"<html><body class=\"x\"><p>hi</p></body></html>";
        let out = String::from_utf8(inject(page, 7, Some(&["a <b>".into()]))).unwrap();
        let banner = out.find("almanac-serve-errors").unwrap();
        let p = out.find("<p>hi").unwrap();
        let script = out.find("<script>").unwrap();
        assert!(out.find("<body class=\"x\">").unwrap() < banner && banner < p && p < script);
        assert!(out.contains("a &lt;b&gt;"), "{out}");
        assert!(out.contains("let v=7;"));
        assert!(out.ends_with("</script></body></html>"));
    }
}
