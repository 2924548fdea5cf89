//! Published history is frozen (issue 9), on the `publish` fixture: the generated draft
//! report (figures, goals, shortcodes, the definition change side by side, coaching), then
//! publish, correct a row, the restatement notice and `check` warning, `diff`, restate,
//! and both revisions readable; a pinned older version; a version the code lacks.
//!
//! The fixture, by hand (UTC, as_of 2026-07-15):
//! - 2026-Q1 counts q1a, q1b, q1c (rolled back) and q1d: change failure rate 1 / 4 = 25%;
//!   lead times 10 h (c1) and 4 h (c2): median 7 h.
//! - 2026-Q2 counts q2a..q2e: 5 deployments. Rolled back: q2c; named by incident i1: q2d.
//!   Version 1: 1 / 5 = 20%; version 2 (current, in effect from 2026-05-01, inside Q2):
//!   2 / 5 = 40%. Shop (api: q2a..q2d): v2 2 / 4 = 50%. Lead times 6, 2 and 1 h: median 2 h.
//! - Goals: lead time -20% on 7 h: (2 - 7) / 7 = -71% -> met; change failure rate
//!   target 25%, result 40% -> missed; web's time to restore: no Q2 incident -> n/a.

use super::*;

fn site(dir: &Path) -> PathBuf {
    let root = dir.join("src");
    copy_dir(&fixture("publish"), &root);
    root
}

fn page(out: &Path, path: &str) -> String {
    fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn built(root: &Path, out: &Path) {
    let o = build(root, out);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

fn publish(root: &Path, args: &[&str]) -> Output {
    almanac(&[&["publish"], args, &["--root", root.to_str().unwrap()]].concat())
}

fn check_lines(root: &Path) -> Vec<String> {
    let o = almanac(&["check", "--root", root.to_str().unwrap()]);
    text(&o.stderr).lines().map(str::to_string).collect()
}

/// The text of a page without tags, entities of `/` undone, spaces collapsed.
fn words(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => {
                inside = false;
                out.push(' ');
            }
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_draft_report_is_generated_from_the_figures_with_goals_and_shortcodes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let out = tmp.path().join("site");
    built(&root, &out);
    // The four keys by quarter shade the report's quarter in the neutral colour of the
    // reference bands (`focus`), never in the breach colour, which would read as a verdict.
    let html = page(&out, "reports/2026-q2.html");
    assert_eq!(html.matches("<g class=\"focus\">").count(), 4);
    assert!(!html.contains("class=\"breach\""));
    let q2 = words(&html);
    assert!(q2.contains("Draft : not published"), "{q2}");
    // The narrative's shortcodes: 5 deployments in Q2, 4 in Q1, Shop's rate 50%.
    assert!(
        q2.contains(
            "We shipped 5 deployments, against 4 in 2026-Q1; Shop's change failure rate was 50%."
        ),
        "{q2}"
    );
    // The org row: lead time 2 h against 7 h, improved; change failure rate 40% against 25%.
    assert!(q2.contains("2 h improved 2026-Q1: 7 h"), "{q2}");
    assert!(q2.contains("40% worsened 2026-Q1: 25%"), "{q2}");
    // The goals: met, missed and n/a.
    assert!(
        q2.contains("Lead time for changes (median) Publish Org -20% on 2026-Q1 7 h 2 h met"),
        "{q2}"
    );
    assert!(
        q2.contains("Change failure rate Publish Org 25% 25% 40% missed"),
        "{q2}"
    );
    assert!(
        q2.contains("Time to restore (median) Web 4 h 3 h n/a n/a"),
        "{q2}"
    );
    // The definition change, in its quarter, under both versions.
    assert!(q2.contains("2026-Q2: 40% under v2, 20% under v1"), "{q2}");
    // The coaching question of the metric that moved the wrong way.
    assert!(q2.contains("Change failure rate moved the wrong way (Publish Org, Shop): Which failures shared a cause?"), "{q2}");
    // The quarter's severity 1-2 incident with its retro, and its item open and overdue.
    assert!(
        q2.contains("SEV2 i1 2026-05-10, api: Checkout errors — retro: Checkout errors after q2d"),
        "{q2}"
    );
    assert!(q2.contains("1 open, 1 overdue on 2026-06-30"), "{q2}");
    assert!(q2.contains("2026-06-10 launch New checkout (org)"), "{q2}");
    // The definition page says which version computes every period and shows the change.
    let def = words(&page(&out, "metrics/change_failure_rate.html"));
    assert!(
        def.contains("computed under version 2, the current version"),
        "{def}"
    );
    assert!(def.contains("2026-Q2: 40% under v2, 20% under v1"), "{def}");
    // 2026-Q3 is partial: no verdict, and publishing it is refused.
    let q3 = words(&page(&out, "reports/2026-q3.html"));
    assert!(q3.contains("Partial quarter: 2026-Q3 is not over"), "{q3}");
    let o = publish(&root, &["2026-Q3"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("2026-Q3 is not over: the data runs to 2026-07-15"));
    // Nothing published yet: no latest page, an empty feed, an empty manifest list.
    assert!(!out.join("reports/latest.html").exists());
    let manifest: serde_json::Value = serde_json::from_str(&page(&out, "manifest.json")).unwrap();
    assert_eq!(manifest["published"], serde_json::json!([]));
    assert_eq!(manifest["definitions"]["change_failure_rate"], 2);
    assert!(page(&out, "sitemap.xml")
        .contains("<loc>https://reports.example.com/reports/2026-q2.html</loc>"));
}

#[test]
fn publish_correct_restate_and_read_both_revisions() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let out = tmp.path().join("site");
    let o = publish(&root, &["2026-Q2", "--date", "2026-07-20"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(root.join("content/reports/2026-q2.snapshot.json").is_file());
    let snapshot: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(root.join("content/reports/2026-q2.snapshot.json")).unwrap(),
    )
    .unwrap();
    let r1 = &snapshot["revisions"][0];
    assert_eq!(r1["as_of"], "2026-07-15");
    assert_eq!(r1["definitions"]["change_failure_rate"], 2);
    // SHA-256 of each input: the same as `sha256sum data/deployments.csv` gives.
    assert_eq!(
        r1["inputs"]["data/deployments.csv"].as_str().unwrap().len(),
        64
    );
    built(&root, &out);
    let q2 = words(&page(&out, "reports/2026-q2.html"));
    assert!(
        q2.contains("Published : revision 1 of 1, published 2026-07-20"),
        "{q2}"
    );
    assert!(!q2.contains("Restatement pending"), "{q2}");
    assert!(page(&out, "reports/latest.html").contains("href=\"../reports/2026-q2.html\""));
    assert!(page(&out, "reports/feed.xml")
        .contains("<id>https://reports.example.com/reports/2026-q2/r1.html</id>"));
    assert!(check_lines(&root).iter().all(|l| !l.contains("restated")));
    // Publishing again without --restate is refused and says how.
    let o = publish(&root, &["2026-Q2"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("already published (revision 1, 2026-07-20)"));
    // --restate needs --reason.
    assert_eq!(
        publish(&root, &["2026-Q2", "--restate"]).status.code(),
        Some(2)
    );

    // A late correction: q2a was rolled back. Version 2: q2a, q2c, q2d -> 3 / 5 = 60%.
    let base = tmp.path().join("base");
    copy_dir(&root, &base);
    let csv = root.join("data/deployments.csv");
    let text_before = fs::read_to_string(&csv).unwrap();
    fs::write(
        &csv,
        text_before.replace(
            "q2a,api,production,success",
            "q2a,api,production,rolled_back",
        ),
    )
    .unwrap();
    let lines = check_lines(&root);
    assert!(lines.iter().any(|l| l.starts_with("content/reports/2026-q2.snapshot.json: warning: published 2026-Q2 (revision 1) is restated by today's data: Publish Org change failure rate 40% -> 60% (input files changed since publication: data/deployments.csv)")), "{lines:#?}");
    built(&root, &out);
    let q2 = words(&page(&out, "reports/2026-q2.html"));
    // The published figures stay; the notice says what today's data gives, and why.
    assert!(q2.contains("40% worsened 2026-Q1: 25%"), "{q2}");
    assert!(q2.contains("Restatement pending"), "{q2}");
    assert!(
        q2.contains("Publish Org Change failure rate 40% 60%"),
        "{q2}"
    );
    assert!(
        q2.contains("input files changed since publication: data/deployments.csv"),
        "{q2}"
    );
    assert!(words(&page(&out, "reports/index.html")).contains("restatement pending"));
    // diff shows the restatement first and --fail-on restatement fails.
    let o = almanac(&[
        "diff",
        "--base",
        base.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
        "--fail-on",
        "restatement",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let md = text(&o.stdout);
    assert!(md.contains("Restates published quarters"), "{md}");
    assert!(
        md.contains("| 2026-Q2 | org | change_failure_rate | 0.4 | 0.6 |"),
        "{md}"
    );

    let o = publish(
        &root,
        &[
            "2026-Q2",
            "--restate",
            "--reason",
            "q2a was rolled back",
            "--date",
            "2026-07-25",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    built(&root, &out);
    assert!(check_lines(&root).iter().all(|l| !l.contains("restated")));
    let q2 = words(&page(&out, "reports/2026-q2.html"));
    assert!(
        q2.contains("Restated : revision 2 of 2, published 2026-07-25"),
        "{q2}"
    );
    assert!(q2.contains("60% worsened 2026-Q1: 25%"), "{q2}");
    assert!(
        q2.contains("Revision 2 , published 2026-07-25: q2a was rolled back"),
        "{q2}"
    );
    // Revision 1 stays readable as published, and says it is superseded.
    let r1 = words(&page(&out, "reports/2026-q2/r1.html"));
    assert!(r1.contains("40% worsened 2026-Q1: 25%"), "{r1}");
    assert!(r1.contains("Superseded."), "{r1}");
    let r2 = words(&page(&out, "reports/2026-q2/r2.html"));
    assert!(r2.contains("60% worsened"), "{r2}");
    let index = words(&page(&out, "reports/index.html"));
    assert!(
        index.contains("2026-Q2 Second quarter 2026 restated (revision 2) 2026-07-25"),
        "{index}"
    );
    let manifest: serde_json::Value = serde_json::from_str(&page(&out, "manifest.json")).unwrap();
    assert_eq!(manifest["published"][0]["status"], "restated");
    assert_eq!(
        manifest["published"][0]["revisions"][1]["reason"],
        "q2a was rolled back"
    );
    let feed = page(&out, "reports/feed.xml");
    assert!(
        feed.contains("2026-Q2 restated (revision 2): q2a was rolled back"),
        "{feed}"
    );
    // An edited narrative does not change the published text; the page says so.
    let md = root.join("content/reports/2026-q2.md");
    let n = fs::read_to_string(&md).unwrap();
    fs::write(&md, n.replace("We shipped", "In all we shipped")).unwrap();
    built(&root, &out);
    let q2 = words(&page(&out, "reports/2026-q2.html"));
    assert!(
        q2.contains("The narrative file has changed since this revision was published"),
        "{q2}"
    );
    assert!(
        q2.contains("We shipped 5 deployments") && !q2.contains("In all we shipped"),
        "{q2}"
    );
}

#[test]
fn a_pinned_older_version_computes_every_period() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let toml = root.join("almanac.toml");
    let t = fs::read_to_string(&toml).unwrap();
    fs::write(
        &toml,
        format!("{t}\n[definitions]\nchange_failure_rate = 1\n"),
    )
    .unwrap();
    // The definition page still says version 2: an error at its line.
    let lines = check_lines(&root);
    assert!(lines.iter().any(|l| l.starts_with("content/metrics/change_failure_rate.md:4: error: this page says version 2, but every figure of `change_failure_rate` is computed under version 1, pinned by `[definitions] change_failure_rate = 1`")), "{lines:#?}");
    let def = root.join("content/metrics/change_failure_rate.md");
    let d = fs::read_to_string(&def).unwrap();
    fs::write(&def, d.replacen("version = \"2\"", "version = \"1\"", 1)).unwrap();
    let out = tmp.path().join("site");
    built(&root, &out);
    // Version 1 for 2026-Q2: 1 / 5 = 20%, in the org's export and on the report.
    let m: serde_json::Value = serde_json::from_str(&page(&out, "data/metrics/org.json")).unwrap();
    let rows = crate::table_rows(&m);
    let q2 = rows
        .iter()
        .find(|r| r["scope"] == "org" && r["period"] == "2026-Q2")
        .unwrap();
    approx(&q2["change_failure_rate"], 0.2);
    let def = words(&page(&out, "metrics/change_failure_rate.html"));
    assert!(
        def.contains("computed under version 1, pinned in almanac.toml"),
        "{def}"
    );
}

#[test]
fn a_definition_version_the_code_lacks_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let def = root.join("content/metrics/change_failure_rate.md");
    let d = fs::read_to_string(&def).unwrap();
    fs::write(&def, d.replacen("version = \"2\"", "version = \"3\"", 1)).unwrap();
    let lines = check_lines(&root);
    assert!(lines.iter().any(|l| l == "content/metrics/change_failure_rate.md:4: error: version `3` of `change_failure_rate` is not one almanac implements (it implements version 1 and 2); set `version` to the one the site uses"), "{lines:#?}");
}
