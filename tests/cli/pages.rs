//! Page snapshots: the real binary builds the `basic` fixture and a few small pages are
//! compared whole with their reviewed snapshots (tests/cli/snapshots/), so any change to
//! what a reader sees shows up in review.

use super::*;

fn basic_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&fixture("basic"), &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    (tmp, out)
}

#[test]
fn page_snapshots() {
    let (_tmp, out) = basic_site();
    for (name, page) in [
        ("page_retro_i1", "retros/i1.html"),
        ("page_retro_i2_yaml", "retros/i2.html"),
        (
            "page_metric_definition",
            "metrics/lead_time_median_hours.html",
        ),
        ("page_teams_index", "teams/index.html"),
    ] {
        let html = fs::read_to_string(out.join(page)).unwrap();
        insta::assert_snapshot!(name, html);
    }
}
