//! `almanac serve`: builds the site into memory, serves it on 127.0.0.1 (another address
//! only with `--address`), watches the root and rebuilds what a changed input reaches
//! (`pipeline::live`), telling browsers to reload through a long poll. A broken edit
//! prints its diagnostics and shows them over the last good site until the next good edit.

use super::report_lines;
use almanac::pipeline::live::{self, Live};
use almanac::pipeline::Failure;
use almanac::serve::{self as pure, SiteFiles, RELOAD_PATH};
use chrono::NaiveDate;
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// What is being served: the last good site, the last edit's problems if it broke, and a
/// version that moves with every rebuild.
#[derive(Default)]
struct State {
    site: Arc<SiteFiles>,
    problems: Option<Arc<Vec<String>>>,
    version: u64,
}

type Shared = Arc<(Mutex<State>, Condvar)>;

pub struct Options {
    pub root: PathBuf,
    pub address: String,
    pub port: u16,
    pub open: bool,
    pub as_of: Option<NaiveDate>,
}

pub fn run(o: Options) -> ExitCode {
    let shared: Shared = Arc::default();
    let mut site = Live::new(&o.root, o.as_of);
    rebuild(&mut site, &[], &shared, "start");
    let server = match tiny_http::Server::http((o.address.as_str(), o.port)) {
        Ok(s) => s,
        Err(e) => {
            return super::fail(&format!(
                "cannot listen on {}:{} ({e}); pick another --port",
                o.address, o.port
            ))
        }
    };
    let url = match server.server_addr().to_ip() {
        Some(a) => format!("http://{a}/"),
        None => format!("http://{}:{}/", o.address, o.port),
    };
    out!("serving {} at {url} (Ctrl-C stops)", o.root.display());
    if o.open {
        open_browser(&url);
    }
    let (tx, rx) = mpsc::channel();
    let mut watcher = match notify::recommended_watcher(tx) {
        Ok(w) => w,
        Err(e) => return super::fail(&format!("cannot watch {} ({e})", o.root.display())),
    };
    if let Err(e) = watcher.watch(&o.root, RecursiveMode::Recursive) {
        return super::fail(&format!("cannot watch {} ({e})", o.root.display()));
    }
    let watched = shared.clone();
    let root = o.root.clone();
    std::thread::spawn(move || watch(&root, site, rx, &watched));
    for request in server.incoming_requests() {
        let shared = shared.clone();
        std::thread::spawn(move || answer(request, &shared));
    }
    ExitCode::SUCCESS
}

/// How long a batch of changes waits for more while a written file is still open (editors
/// write a file in several steps), and once every written file is closed or in place.
const QUIET: Duration = Duration::from_millis(10);
const QUIET_AFTER_SAVE: Duration = Duration::from_millis(2);

/// What a watcher's event says of a save (`serve::Saves`).
fn saving(e: &notify::Event) -> pure::Saving {
    use notify::event::{AccessKind, AccessMode, ModifyKind};
    use notify::EventKind::{Access, Any, Create, Modify, Remove};
    match e.kind {
        Access(AccessKind::Close(AccessMode::Write)) | Remove(_) => pure::Saving::Done,
        Modify(ModifyKind::Name(_)) => pure::Saving::Done,
        Modify(ModifyKind::Metadata(_)) => pure::Saving::Other,
        Create(_) | Modify(_) | Any => pure::Saving::Writing,
        _ => pure::Saving::Other,
    }
}

/// Rebuilds on every batch of changes to inputs of the site: events less than `QUIET`
/// apart are one batch (`QUIET_AFTER_SAVE` once every file written is closed).
fn watch(
    root: &Path,
    mut site: Live,
    rx: mpsc::Receiver<notify::Result<notify::Event>>,
    shared: &Shared,
) {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    while let Ok(first) = rx.recv() {
        let mut saves = pure::Saves::default();
        let mut events = vec![first];
        loop {
            if let Some(Ok(e)) = events.last() {
                e.paths.iter().for_each(|p| saves.note(saving(e), p));
            }
            let wait = if saves.done() {
                QUIET_AFTER_SAVE
            } else {
                QUIET
            };
            match rx.recv_timeout(wait) {
                Ok(e) => events.push(e),
                Err(_) => break,
            }
        }
        let mut inputs: Vec<String> = Vec::new();
        // Reads (the build's own among them) are not changes.
        let changes = events.into_iter().flatten().filter(|e| {
            use notify::EventKind::{Any, Create, Modify, Remove};
            matches!(e.kind, Create(_) | Modify(_) | Remove(_) | Any)
                && !matches!(e.kind, Modify(notify::event::ModifyKind::Metadata(_)))
        });
        for e in changes {
            for p in e.paths {
                let rel = p.strip_prefix(&root).unwrap_or(&p);
                let rel = rel.to_string_lossy().replace('\\', "/");
                if live::classify(&rel).is_some() && !inputs.contains(&rel) {
                    inputs.push(rel);
                }
            }
        }
        if !inputs.is_empty() {
            eprintln!("changed: {}", inputs.join(", "));
            rebuild(&mut site, &inputs, shared, "rebuild");
        }
    }
}

/// Rebuilds what `changed` reaches (everything at the start or after a broken edit); on
/// success it replaces the served site, on failure it keeps it and records the problems.
/// Either way browsers are told to reload.
fn rebuild(site: &mut Live, changed: &[String], shared: &Shared, what: &str) {
    let start = Instant::now();
    // Each step's wall time, from the end of the one before.
    let mut steps: Vec<String> = Vec::new();
    let mut last = start;
    let mut stage = |name: &'static str| {
        let now = Instant::now();
        steps.push(format!("{name} {:.1}", (now - last).as_secs_f64() * 1000.0));
        last = now;
    };
    let result = match changed {
        [] => site.full(&mut stage).map(Some),
        _ => site.rebuild(changed, &mut stage),
    };
    let problems = match result {
        Ok(None) => return,
        Ok(Some(done)) => {
            let files = Arc::new(site.files().cloned().unwrap_or_default());
            stage("publish");
            let (lock, cvar) = &**shared;
            let mut s = lock.lock().expect("state lock");
            s.site = files;
            s.problems = None;
            s.version += 1;
            cvar.notify_all();
            let version = s.version;
            drop(s);
            let scope = match (done.full, done.figures) {
                (true, _) => "the whole site".to_string(),
                (false, figures) => format!(
                    "{} kind{} of page{}",
                    done.kinds.len(),
                    super::plural(done.kinds.len()),
                    if figures { ", figures and charts" } else { "" }
                ),
            };
            eprintln!(
                "{what}: rendered {} pages ({scope}) in {:.1} ms ({} ms); browsers told to reload (version {version})",
                done.pages,
                start.elapsed().as_secs_f64() * 1000.0,
                steps.join(", "),
            );
            return;
        }
        Err(Failure::Invalid(diags)) => report_lines(diags).0,
        Err(Failure::Render(e)) => e.to_string().lines().map(str::to_string).collect(),
    };
    for line in &problems {
        eprintln!("{line}");
    }
    let (lock, cvar) = &**shared;
    let mut s = lock.lock().expect("state lock");
    s.problems = Some(Arc::new(problems));
    s.version += 1;
    cvar.notify_all();
    eprintln!(
        "{what}: the site does not build; still serving the last good one (version {})",
        s.version
    );
}

fn answer(request: tiny_http::Request, shared: &Shared) {
    let url = request.url().to_string();
    if url.starts_with(RELOAD_PATH) {
        return long_poll(request, &url, shared);
    }
    let (site, problems, version) = {
        let s = shared.0.lock().expect("state lock");
        (s.site.clone(), s.problems.clone(), s.version)
    };
    let header = |ct: &str| {
        tiny_http::Header::from_bytes(&b"Content-Type"[..], ct.as_bytes()).expect("a valid header")
    };
    let response = match pure::resolve(&site, &url) {
        Some((path, bytes)) if path.ends_with(".html") => {
            let body = pure::inject(bytes, version, problems.as_deref().map(Vec::as_slice));
            tiny_http::Response::from_data(body).with_header(header(pure::content_type(path)))
        }
        Some((path, bytes)) => tiny_http::Response::from_data(bytes.to_vec())
            .with_header(header(pure::content_type(path))),
        None if site.is_empty() && problems.is_some() => {
            let lines = problems.as_deref().map(Vec::as_slice).unwrap_or(&[]);
            tiny_http::Response::from_data(pure::error_page(lines, version))
                .with_header(header("text/html; charset=utf-8"))
        }
        None => tiny_http::Response::from_data(b"404: not a page of this site\n".to_vec())
            .with_status_code(404)
            .with_header(header("text/plain; charset=utf-8")),
    };
    let _ = request.respond(response);
}

/// Answers once the version is past `?v=N`, or after 25 s with the same version.
fn long_poll(request: tiny_http::Request, url: &str, shared: &Shared) {
    let seen: u64 = url
        .split_once("?v=")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let (lock, cvar) = &**shared;
    let guard = lock.lock().expect("state lock");
    let (guard, _) = cvar
        .wait_timeout_while(guard, Duration::from_secs(25), |s| s.version <= seen)
        .expect("state lock");
    let version = guard.version;
    drop(guard);
    let _ = request.respond(tiny_http::Response::from_string(version.to_string()));
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("note: cannot open a browser ({opener}: {e}); open {url}");
    }
}
