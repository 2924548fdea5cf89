//! An incrementally rebuilt site is the site a full build of the same tree gives, byte for
//! byte, through a sequence of edits of every kind `Live` follows without a full build.

use super::*;
use crate::output::site_files;
use crate::pipeline::build;
use std::fs;

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Edits `rel` under `root` with `edit`, rebuilds incrementally, and checks the result
/// against a full build; returns what the rebuild did.
fn step(live: &mut Live, root: &Path, rel: &str, edit: impl FnOnce(String) -> String) -> Rebuilt {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap_or_default();
    let new = edit(text.clone());
    assert_ne!(new, text, "{rel}: the edit changes the file");
    fs::write(&path, new).unwrap();
    let done = live
        .rebuild(&[rel.to_string()], &mut |_| {})
        .unwrap_or_else(|_| panic!("{rel}: the edited site builds"))
        .expect("an input changed");
    let full = match build(root, None, &mut |_| {}) {
        Ok((_, files)) => site_files(files),
        Err(_) => panic!("{rel}: the full build fails"),
    };
    let got = live.files().expect("a good build");
    let missing: Vec<&String> = full.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<&String> = got.keys().filter(|k| !full.contains_key(*k)).collect();
    let differ: Vec<&String> = full
        .iter()
        .filter(|(k, v)| got.get(*k).is_some_and(|g| g != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && differ.is_empty(),
        "after editing {rel}: missing {missing:?}, extra {extra:?}, different {differ:?}"
    );
    done
}

#[test]
fn incremental_rebuilds_equal_a_full_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/incidents"),
        root,
    );
    // A definition page, a governance page and a template of the site's own theme.
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/content/metrics"),
        &root.join("content/metrics"),
    );
    fs::create_dir_all(root.join("content/governance")).unwrap();
    fs::write(
        root.join("content/governance/review.md"),
        "+++\ntitle = \"Review\"\n+++\n\nWe review weekly.\n",
    )
    .unwrap();
    let templates = root.join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    let defaults = crate::render::theme::with_overrides(&ThemeFiles::default());
    fs::write(
        templates.join("retros.html"),
        &defaults.templates["retros.html"],
    )
    .unwrap();

    let mut live = Live::new(root, None);
    let Ok(first) = live.full(&mut |_| {}) else {
        panic!("the site builds")
    };
    assert!(first.full);

    // Retro prose moves no figure: of the four retros, only the edited one's page and its
    // incident's page are made again, and of those only the retro's page shows the prose:
    // the incident page's fingerprint is unchanged, so 1 page is rendered.
    let prose = step(&mut live, root, "content/retros/i1.md", |t| {
        t + "\nA new paragraph.\n"
    });
    assert!(!prose.full && !prose.figures);
    assert_eq!(prose.kinds, ["incident", "retro"]);
    assert_eq!(prose.pages, 1);
    assert!(
        String::from_utf8_lossy(&live.files().unwrap()["retros/i1.html"])
            .contains("A new paragraph."),
        "the paragraph after the factors' list is shown"
    );
    let factors = step(&mut live, root, "content/retros/i2.md", |t| {
        t + "\n## Contributing factors\n\n- A factor added later.\n"
    });
    assert!(!factors.figures);
    assert_eq!((factors.kinds.len(), factors.pages), (2, 2));
    // An action item done later moves the learning-loop figures.
    let done = step(&mut live, root, "content/retros/i1.md", |t| {
        t.replace("done = 2026-06-20", "done = 2026-07-01")
    });
    assert!(done.figures && done.kinds.contains(&"dashboard"));
    // A data row: i1 resolved an hour later.
    let row = step(&mut live, root, "data/incidents.csv", |t| {
        t.replace(
            "2026-04-20T10:40:00Z,2026-04-20T12:00:00Z",
            "2026-04-20T10:40:00Z,2026-04-20T13:00:00Z",
        )
    });
    // It reaches most kinds of page, but only the pages that show i1 or a figure it moves
    // differ (9 of the 88 when this was written): the others keep their bytes, unrendered.
    assert!(row.figures && !row.full);
    assert!(
        row.pages > 0 && row.pages * 4 < first.pages,
        "{} of {}",
        row.pages,
        first.pages
    );
    // Deployments alone: d1, which i2 names, rolled back (i2's page shows its status; the
    // failure rate moves), then d4 moved from 1 to 3 July (the daily deployments around i2,
    // i3 and i4 move). Only the incident pages whose facts or named deployment differ are
    // made again (`touched_incidents`); the others keep their bytes.
    let rolled = step(&mut live, root, "data/deployments.csv", |t| {
        t.replace("d1,api,production,success", "d1,api,production,rolled_back")
    });
    assert!(rolled.figures && rolled.kinds.contains(&"incident"));
    assert!(
        String::from_utf8_lossy(&live.files().unwrap()["incidents/i2.html"])
            .contains("rolled back")
    );
    let moved = step(&mut live, root, "data/deployments.csv", |t| {
        t.replace(
            "d4,api,production,success,2026-07-01T15",
            "d4,api,production,success,2026-07-03T15",
        )
    });
    assert!(moved.figures && moved.pages > 0);
    // Both deployment edits kept the SLO figures of the build before (the SLI rows stand,
    // `metrics::compute_reusing`); an SLI row must not: 15 June 06:00 loses 10 of 100.
    let sli = step(&mut live, root, "data/sli.csv", |t| {
        t.replace(
            "api-availability,2026-06-15T06:00:00Z,100,100",
            "api-availability,2026-06-15T06:00:00Z,90,100",
        )
    });
    assert!(sli.figures && sli.kinds.contains(&"slo"));
    let def = step(
        &mut live,
        root,
        "content/metrics/lead_time_median_hours.md",
        |t| t.replace("Median hours from commit", "The median hours from commit"),
    );
    assert!(def.kinds.contains(&"metric") && !def.kinds.contains(&"retro"));
    let gov = step(&mut live, root, "content/governance/review.md", |t| {
        t.replace("weekly", "every week")
    });
    assert_eq!(gov.kinds, ["governance-index", "governance"]);
    assert!(!gov.figures);
    let template = step(
        &mut live,
        root,
        "themes/default/templates/retros.html",
        |t| t.replace("<h1>Retros</h1>", "<h1>All retros</h1>"),
    );
    assert_eq!(template.kinds, ["retro-index"]);
    // A new retro, then a broken one (the next rebuild is a full one), then the fix.
    step(&mut live, root, "content/retros/i9.md", |_| {
        "+++\ntitle = \"Late\"\nincident = \"i8\"\npublished_at = 2026-01-20T10:00:00Z\n+++\n\nLate.\n"
            .to_string()
    });
    fs::write(root.join("content/retros/i9.md"), "+++\ntitle = 3\n+++\n").unwrap();
    assert!(live
        .rebuild(&["content/retros/i9.md".to_string()], &mut |_| {})
        .is_err());
    let fixed = step(&mut live, root, "content/retros/i9.md", |_| {
        "+++\ntitle = \"Late\"\nincident = \"i8\"\npublished_at = 2026-01-21T10:00:00Z\n+++\n"
            .to_string()
    });
    assert!(fixed.full);
    // The config: a service added before `web` renumbers the services every table was
    // parsed with, so the full rebuild may reuse no parsed table (`Table::reads`).
    let config = step(&mut live, root, "almanac.toml", |t| {
        t.replace("services = [\"web\"]", "services = [\"search\", \"web\"]")
    });
    assert!(config.full);
    // An SLO defined before the one `sli.csv` measures renumbers the SLOs the SLI rows were
    // parsed against: the SLI table must be parsed again, not reused.
    let slo = step(&mut live, root, "almanac.toml", |t| {
        t.replacen(
            "[[slo]]\n",
            "[[slo]]\nid = \"api-latency\"\nservice = \"api\"\nobjective = 0.95\nwindow = \"28d\"\ndescription = \"API answers fast\"\n\n[[slo]]\n",
            1,
        )
    });
    assert!(slo.full);
    // A file the build does not read changes nothing.
    fs::write(root.join("NOTES.txt"), "x").unwrap();
    assert!(live
        .rebuild(&["NOTES.txt".to_string()], &mut |_| {})
        .is_ok_and(|r| r.is_none()));
}

#[test]
fn changed_files_are_classified_by_what_reads_them() {
    use Change::*;
    assert_eq!(classify("README.md"), None);
    assert_eq!(classify("site/index.html"), None);
    assert_eq!(classify("content/retros/.a.md.swp"), None);
    assert_eq!(classify("almanac.toml"), Some(Full));
    assert_eq!(classify("data/slos/api.yaml"), Some(Full));
    assert_eq!(
        classify("content/reports/2026-q2.snapshot.json"),
        Some(Full)
    );
    assert_eq!(classify("content/retros"), Some(Full));
    assert_eq!(classify("themes/x/static/site.css"), Some(Full));
    assert_eq!(
        classify("data/deployments.csv"),
        Some(Data(Some(Source::Deployments)))
    );
    assert_eq!(classify("data/deploys.csv"), Some(Data(None)));
    assert_eq!(
        classify("content/retros/a.md"),
        Some(Content(Source::Retros))
    );
    assert_eq!(classify("content/retros/a.md~"), Some(Digest));
    assert_eq!(
        classify("themes/x/templates/scope.html"),
        Some(Template("scope.html".into()))
    );
}
