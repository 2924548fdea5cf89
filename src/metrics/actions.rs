//! Action-item facts: takes the config's teams, the dataset's retros, the incident facts and
//! the report date and returns the action-item board (`ActionBoard`: every open item of a
//! visible incident's earliest retro, grouped by owner team, with open and overdue counts)
//! and each retro's open-item count.

use crate::config::Team;
use crate::metrics::incidents::IncidentFacts;
use crate::metrics::retro::is_open;
use crate::model::{Dataset, Retro};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One open action item on the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardItem {
    /// Index into `Dataset::retros`.
    pub retro: u32,
    /// Index into the retro's `action_items`.
    pub item: u32,
    /// Index into `Dataset::incidents`: the retro's incident.
    pub incident: u32,
    pub due: NaiveDate,
    /// Not done and past its due date on `as_of`.
    pub overdue: bool,
}

/// The open items of one owner team, by due date then incident id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardGroup {
    /// The owner as the items name it.
    pub owner: String,
    /// Its index into `Config::teams`, when it is a configured team.
    pub team: Option<usize>,
    pub items: Vec<BoardItem>,
    /// Items past their due date.
    pub overdue: usize,
}

impl BoardGroup {
    /// Open items (overdue ones included).
    pub fn open(&self) -> usize {
        self.items.len()
    }
}

/// Every open action item as of `as_of`: configured teams in config order, then other
/// owner names alphabetically; only owners with open items.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionBoard {
    pub groups: Vec<BoardGroup>,
    /// Open items across the org.
    pub open: usize,
    /// Overdue items across the org.
    pub overdue: usize,
}

/// The board of the open action items of every visible incident's earliest retro.
pub fn board(teams: &[Team], ds: &Dataset, f: &IncidentFacts, as_of: NaiveDate) -> ActionBoard {
    // Config order for known teams, then other owner names alphabetically.
    let mut groups: BTreeMap<(usize, &str), Vec<BoardItem>> = BTreeMap::new();
    for &i in &f.visible {
        let Some(r) = f.retro_of[i as usize] else {
            continue;
        };
        for (k, a) in ds.retros[r as usize].action_items.iter().enumerate() {
            if !is_open(a, as_of) {
                continue;
            }
            let order = teams
                .iter()
                .position(|t| t.id == a.team)
                .unwrap_or(usize::MAX);
            groups.entry((order, &a.team)).or_default().push(BoardItem {
                retro: r,
                item: k as u32,
                incident: i,
                due: a.due,
                overdue: crate::model::past_due(a.due, as_of),
            });
        }
    }
    let id = |b: &BoardItem| ds.incidents[b.incident as usize].id.as_str();
    let groups: Vec<BoardGroup> = groups
        .into_iter()
        .map(|((order, owner), mut items)| {
            items.sort_by(|a, b| (a.due, id(a)).cmp(&(b.due, id(b))));
            BoardGroup {
                owner: owner.to_string(),
                team: (order < teams.len()).then_some(order),
                overdue: items.iter().filter(|b| b.overdue).count(),
                items,
            }
        })
        .collect();
    ActionBoard {
        open: groups.iter().map(BoardGroup::open).sum(),
        overdue: groups.iter().map(|g| g.overdue).sum(),
        groups,
    }
}

/// Each retro's action items still open on `as_of`, aligned with `retros`.
pub fn open_items(retros: &[Retro], as_of: NaiveDate) -> Vec<usize> {
    retros
        .iter()
        .map(|r| r.action_items.iter().filter(|a| is_open(a, as_of)).count())
        .collect()
}

#[cfg(test)]
#[path = "actions_tests.rs"]
mod tests;
