//! `almanac serve` over loopback: start on a free port, fetch a page, edit a retro and
//! see the new text, break a file and see the diagnostics, fix it and recover; paths
//! outside the site are 404 and the live-reload script is only in served pages.

use super::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// The server, stopped when the test ends however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `almanac serve --port 0` on `root` and returns it with its `host:port`.
fn serve(root: &Path) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_almanac"))
        .args(["serve", "--port", "0", "--root", root.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let server = Server(child);
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    (server, addr)
}

/// GET `path` (sent as written, `..` and all): status code and body.
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = text(&raw);
    let status = raw[9..12].parse().unwrap();
    let body = raw
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

/// Polls `path` until its body satisfies `ok`; fails after a generous bound (the speed
/// is measured in BENCHMARKS.md, not asserted here).
fn wait_for(addr: &str, path: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let (_, body) = get(addr, path);
        if ok(&body) {
            return body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{what}: never seen in {path}:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn edits_show_up_broken_edits_show_their_diagnostics_and_a_fix_recovers() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("r");
    let o = almanac(&["init", root.to_str().unwrap()]);
    assert!(o.status.success());
    let (_server, addr) = serve(&root);
    let page = "/retros/inc-2.html";
    let (status, body) = get(&addr, page);
    assert_eq!(status, 200);
    assert!(body.contains("Add a canary stage"), "{body}");
    assert!(
        body.contains("/__almanac/reload?v="),
        "the reload script is injected"
    );
    assert!(!root.join("site").exists(), "serve writes nothing");

    let retro = root.join("content/retros/INC-2.md");
    let good = fs::read_to_string(&retro).unwrap();
    fs::write(
        &retro,
        good.replace("Add a canary stage", "Add a blue-green stage"),
    )
    .unwrap();
    wait_for(&addr, page, "the edited retro", |b| {
        b.contains("Add a blue-green stage")
    });

    // A row with an empty service: the diagnostics over the last good page.
    let deployments = root.join("data/deployments.csv");
    let rows = fs::read_to_string(&deployments).unwrap();
    fs::write(
        &deployments,
        format!("{rows}d-009,,production,success,2026-06-20T10:00:00Z,false\n"),
    )
    .unwrap();
    let body = wait_for(&addr, page, "the error banner", |b| {
        b.contains("almanac-serve-errors")
    });
    // Line 10: the header and 8 rows come before it; `d-009,` is 6 characters.
    assert!(
        body.contains("deployments.csv:10:7: error: `service` is empty"),
        "{body}"
    );
    assert!(
        body.contains("Add a blue-green stage"),
        "the last good page is still served"
    );

    fs::write(&deployments, rows).unwrap();
    wait_for(&addr, page, "the recovery", |b| {
        !b.contains("almanac-serve-errors")
    });
}

#[test]
fn only_files_of_the_site_are_served() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("r");
    assert!(almanac(&["init", root.to_str().unwrap()]).status.success());
    let (_server, addr) = serve(&root);
    assert_eq!(get(&addr, "/").0, 200);
    assert_eq!(get(&addr, "/teams/").0, 200);
    for path in [
        "/../almanac.toml",
        "/%2e%2e/almanac.toml",
        "/almanac.toml",
        "/data/deployments.csv",
        "/.gitignore",
        "/nope.html",
    ] {
        assert_eq!(get(&addr, path).0, 404, "{path}");
    }
    // Non-HTML files are served as built, with no script.
    let (status, css) = get(&addr, "/data/index.json");
    assert_eq!(status, 200);
    assert!(!css.contains("<script"));
}
