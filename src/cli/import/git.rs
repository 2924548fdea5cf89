//! `almanac import git`: runs git on the repository (tags, commit resolution, the commit
//! graph) and hands its output to `almanac::import::git`, which decides the rows.

use super::append::{append_all, note_unowned, shown};
use crate::cli::fail;
use almanac::diag::Diagnostics;
use almanac::import::git;
use chrono::NaiveDate;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

#[derive(clap::Args)]
pub struct Options {
    /// The git repository to read.
    #[arg(long, value_name = "PATH")]
    repo: PathBuf,
    /// The service id the deployments and changes belong to.
    #[arg(long, value_name = "ID")]
    service: String,
    /// Each tag matching this glob (e.g. 'v*') is one successful production deployment.
    #[arg(
        long,
        value_name = "GLOB",
        required_unless_present = "deploys_from",
        conflicts_with = "deploys_from"
    )]
    tags: Option<String>,
    /// Find the changes of deployments already listed in this deployments.csv (its
    /// `commit` column names each deployed commit).
    #[arg(long, value_name = "FILE")]
    deploys_from: Option<PathBuf>,
    /// The site's root folder (with almanac.toml and data/).
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Only write deployments on or after this day (YYYY-MM-DD, UTC) and their changes.
    #[arg(long, value_name = "DATE", value_parser = crate::parse_date)]
    since: Option<NaiveDate>,
}

pub fn run(o: &Options) -> ExitCode {
    match import(o) {
        Ok(code) => code,
        Err(e) => fail(&e),
    }
}

fn import(o: &Options) -> Result<ExitCode, String> {
    let repo = o.repo.display().to_string();
    git(&o.repo, &["rev-parse", "--git-dir"], None).map_err(|e| {
        format!("{repo} is not a git repository ({e}); pass the folder of a clone with --repo")
    })?;
    let mut notes = Vec::new();
    let mut diags = Diagnostics::new();
    let deploys = match (&o.tags, &o.deploys_from) {
        (Some(pattern), _) => {
            let out = git(
                &o.repo,
                &[
                    "for-each-ref",
                    &format!("--format={}", git::TAG_FORMAT),
                    "refs/tags",
                ],
                None,
            )?;
            let t = git::tags(&out, pattern, &mut notes);
            if t.is_empty() {
                notes.push(format!("no tag of {repo} matches `{pattern}`"));
            }
            t
        }
        (None, Some(from)) => {
            // Like the issue's `--deploys-from data/deployments.csv`: under the root first.
            let path = if o.root.join(from).is_file() {
                o.root.join(from)
            } else {
                from.clone()
            };
            let bytes = std::fs::read(&path)
                .map_err(|e| format!("cannot read {} ({e})", path.display()))?;
            let shown = shown(from);
            let mut d = git::deployed(&shown, &bytes, &o.service, &mut notes, &mut diags);
            if !d.is_empty() {
                let answers = git(
                    &o.repo,
                    &["cat-file", "--batch-check=%(objectname) %(objecttype)"],
                    Some(&git::batch_query(&d)),
                )?;
                git::resolve(&mut d, &answers, &shown, &repo, &mut diags);
            }
            d
        }
        (None, None) => return Err("pass --tags GLOB or --deploys-from FILE".into()),
    };
    let graph = if deploys.is_empty() {
        git::Graph::default()
    } else {
        let revs: String = deploys.iter().map(|d| format!("{}\n", d.commit)).collect();
        let log = git(
            &o.repo,
            &[
                "-c",
                "log.showSignature=false",
                "log",
                &format!("--format={}", git::LOG_FORMAT),
                "--stdin",
            ],
            Some(&revs),
        )?;
        git::Graph::parse(&log)
    };
    let plan = git::plan(
        deploys,
        &graph,
        &o.service,
        o.since.map(git::since),
        o.tags.is_some(),
    );
    notes.extend(plan.notes);
    let planned: Vec<_> = plan.deployments.into_iter().chain([plan.changes]).collect();
    let code = append_all(&o.root, &planned, diags);
    for note in notes {
        eprintln!("note: {note}");
    }
    if code == ExitCode::SUCCESS {
        note_unowned(&o.root, &o.service);
    }
    Ok(code)
}

/// Runs git in `repo` with `args` (and `input` on its standard input); its output, or its
/// error message.
fn git(repo: &Path, args: &[&str], input: Option<&str>) -> Result<String, String> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git ({e}); install git and put it on PATH"))?;
    if let (Some(text), Some(mut stdin)) = (input, child.stdin.take()) {
        // git reads while it writes; feed it from another thread so neither pipe fills.
        let text = text.to_string();
        std::thread::spawn(move || {
            let _ = stdin.write_all(text.as_bytes());
        });
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("git failed ({e})"))?;
    if !out.status.success() {
        return Err(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    String::from_utf8(out.stdout).map_err(|_| "git printed text that is not UTF-8".to_string())
}
