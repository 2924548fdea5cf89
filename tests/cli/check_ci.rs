//! `check` for CI: `--format github` annotations, `--format json` objects, `--strict`,
//! and every flag of every command described in its `--help`.

use super::*;

fn check(args: &[&str]) -> (Option<i32>, String, String) {
    let o = almanac(&[&["check"], args].concat());
    (o.status.code(), text(&o.stdout), text(&o.stderr))
}

#[test]
fn github_format_annotates_each_problem_and_exits_like_text() {
    let root = fixture("broken");
    let (code, out, err) = check(&["--root", root.to_str().unwrap(), "--format", "github"]);
    assert_eq!(code, Some(1), "{err}");
    // The same 7 errors and 1 warning the text format counts, one annotation each.
    assert_eq!(out.lines().filter(|l| l.starts_with("::error ")).count(), 7);
    assert_eq!(
        out.lines().filter(|l| l.starts_with("::warning ")).count(),
        1
    );
    for line in [
        "::error file=data/deployments.csv,line=3,col=19::unknown status `ok`; use success, rolled_back or failed",
        "::warning file=data/deployments.csv,line=5,col=4::1 service is not owned by any team: `billing` (1 row, first at data/deployments.csv:5)",
    ] {
        assert!(out.lines().any(|l| l.starts_with(line)), "missing `{line}` in:\n{out}");
    }
    assert_eq!(err, "", "annotations only, on stdout");
}

#[test]
fn json_format_prints_one_object_per_problem() {
    let root = fixture("basic");
    let (code, out, _) = check(&["--root", root.to_str().unwrap(), "--format", "json"]);
    // basic has one warning (an overdue action item) and no error: exit 0.
    assert_eq!(code, Some(0));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v["path"], "content/retros/i2.md");
    assert_eq!(v["line"], 6);
    assert_eq!(v["column"], 1);
    assert_eq!(v["severity"], "warning");
    assert!(v["message"].as_str().unwrap().contains("is overdue"), "{v}");
}

#[test]
fn strict_makes_warnings_errors() {
    let root = fixture("basic");
    let root = root.to_str().unwrap();
    let (code, _, err) = check(&["--root", root]);
    assert_eq!(code, Some(0), "{err}");
    let (code, _, err) = check(&["--root", root, "--strict"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains(
            "content/retros/i2.md:6:1: error: action item `Tune the connection pool` is overdue"
        ),
        "{err}"
    );
    assert!(err.contains("1 error, 0 warnings"), "{err}");
    // A clean site stays clean under --strict.
    let (code, out, _) = check(&["--root", fixture("slo").to_str().unwrap(), "--strict"]);
    assert_eq!((code, out.as_str()), (Some(0), "no problems found\n"));
}

#[test]
fn every_flag_of_every_command_is_described_in_its_help() {
    let verbs: &[&[&str]] = &[
        &["build"],
        &["check"],
        &["metrics"],
        &["new", "retro"],
        &["demo"],
        &["init"],
        &["diff"],
        &["serve"],
    ];
    for verb in verbs {
        let o = almanac(&[*verb, &["-h"]].concat());
        assert!(o.status.success(), "{verb:?}: {}", text(&o.stderr));
        let help = text(&o.stdout);
        let lines: Vec<&str> = help.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            if !(t.starts_with("--") || t.starts_with("-h") || t.starts_with('<')) {
                continue;
            }
            // `--flag <X>  description` on the line, or the description on the next one.
            let words: Vec<&str> = t.split("  ").filter(|w| !w.trim().is_empty()).collect();
            let next_is_text = lines
                .get(i + 1)
                .is_some_and(|n| n.starts_with("          ") && !n.trim().is_empty());
            assert!(
                words.len() > 1 || next_is_text,
                "{verb:?}: `{t}` has no description in:\n{help}"
            );
        }
    }
}
