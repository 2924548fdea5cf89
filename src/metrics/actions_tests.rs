//! Hand-computed checks of the action-item board and the retros' open-item counts on the
//! `tests/fixtures/incidents` site (as of 2026-07-15), as loaded and with items added.

use super::{board, open_items, ActionBoard, BoardGroup, BoardItem};
use crate::metrics::incidents::tests::{date, ix, load};
use crate::model::{ActionItem, Dataset};

/// The board item `item` of the retro of incident `id`.
fn entry(ds: &Dataset, r: &crate::metrics::Report, id: &str, item: u32, due: &str) -> BoardItem {
    let incident = ix(ds, id);
    BoardItem {
        retro: r.incidents.retro_of[incident as usize].unwrap(),
        item,
        incident,
        due: date(due),
        overdue: date(due) < date("2026-07-15"),
    }
}

fn group(owner: &str, team: Option<usize>, items: Vec<BoardItem>, overdue: usize) -> BoardGroup {
    BoardGroup {
        owner: owner.to_string(),
        team,
        items,
        overdue,
    }
}

/// Each retro's open-item count by its incident id.
fn open_by_incident(ds: &Dataset, open: &[usize]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = ds
        .retros
        .iter()
        .zip(open)
        .map(|(r, &n)| (r.incident.clone(), n))
        .collect();
    out.sort();
    out
}

#[test]
fn board_of_the_fixture() {
    let (ds, r) = load();
    // i1's and i4's items are all done by 15 July, i3's retro has none; i2's retro has
    // "Canary every checkout deploy" (shop, due 10 July: 15 > 10, overdue) and "Add a
    // checkout smoke test" (web, due 31 July) open, "Page on checkout error rate" done.
    let expected = ActionBoard {
        groups: vec![
            group(
                "shop",
                Some(0),
                vec![entry(&ds, &r, "i2", 0, "2026-07-10")],
                1,
            ),
            group(
                "web",
                Some(1),
                vec![entry(&ds, &r, "i2", 1, "2026-07-31")],
                0,
            ),
        ],
        // 1 + 1 open, 1 + 0 overdue.
        open: 2,
        overdue: 1,
    };
    assert_eq!(r.actions, expected);
    assert_eq!(
        open_by_incident(&ds, &r.retro_open),
        [
            ("i1".to_string(), 0),
            ("i2".to_string(), 2),
            ("i3".to_string(), 0),
            ("i4".to_string(), 0)
        ]
    );
}

#[test]
fn board_orders_teams_owners_and_due_dates() {
    let (mut ds, r) = load();
    let item = |team: &str, due: &str, done: Option<&str>| ActionItem {
        title: format!("{team} {due}"),
        team: team.into(),
        due: date(due),
        done: done.map(date),
        line: 1,
    };
    let retro =
        |ds: &Dataset, id: &str| r.incidents.retro_of[ix(ds, id) as usize].unwrap() as usize;
    let (r2, r4) = (retro(&ds, "i2"), retro(&ds, "i4"));
    // i2's retro: items 3 and 4; done 16 July is after as_of, so "ops" is still open.
    ds.retros[r2].action_items.extend([
        item("zeta", "2026-07-01", None),
        item("ops", "2026-07-20", Some("2026-07-16")),
    ]);
    // i4's retro: items 2 to 5; item 3 was done on as_of, so it is closed.
    ds.retros[r4].action_items.extend([
        item("shop", "2026-07-10", None),
        item("shop", "2026-07-05", Some("2026-07-15")),
        item("web", "2026-07-14", None),
        item("shop", "2026-07-03", None),
    ]);
    let b = board(&fixture_teams(), &ds, &r.incidents, date("2026-07-15"));
    let e = |id, k, due| entry(&ds, &r, id, k, due);
    let expected = ActionBoard {
        groups: vec![
            // Config teams first. Shop by due date: 3 July, then two due 10 July by
            // incident id (i2 before i4); all before 15 July, so 3 overdue.
            group(
                "shop",
                Some(0),
                vec![
                    e("i4", 5, "2026-07-03"),
                    e("i2", 0, "2026-07-10"),
                    e("i4", 2, "2026-07-10"),
                ],
                3,
            ),
            // Web: 14 July (overdue), 31 July (not).
            group(
                "web",
                Some(1),
                vec![e("i4", 4, "2026-07-14"), e("i2", 1, "2026-07-31")],
                1,
            ),
            // Other owners alphabetically: ops (due 20 July, not overdue), zeta (1 July).
            group("ops", None, vec![e("i2", 4, "2026-07-20")], 0),
            group("zeta", None, vec![e("i2", 3, "2026-07-01")], 1),
        ],
        // 3 + 2 + 1 + 1 open; 3 + 1 + 0 + 1 overdue.
        open: 7,
        overdue: 5,
    };
    assert_eq!(b, expected);
    // i2: Canary, smoke test, zeta, ops = 4; i4: items 2, 4 and 5 = 3.
    assert_eq!(
        open_by_incident(&ds, &open_items(&ds.retros, date("2026-07-15"))),
        [
            ("i1".to_string(), 0),
            ("i2".to_string(), 4),
            ("i3".to_string(), 0),
            ("i4".to_string(), 3)
        ]
    );
}

/// The fixture's teams, from its `almanac.toml`.
fn fixture_teams() -> Vec<crate::config::Team> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/incidents/almanac.toml");
    let text = std::fs::read_to_string(path).unwrap();
    crate::config::parse(&text).unwrap().teams
}
