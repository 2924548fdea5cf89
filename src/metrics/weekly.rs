//! Weekly review figures: takes the config's teams, the dataset, the incident facts and one
//! ISO week and returns what that week's review shows per team beyond its `Figures` row
//! (`WeekReview`): the incidents that started in the week on the team's services and the
//! team's action items due in the week or overdue at its end, each as of the week's last
//! (clipped) day.

use crate::config::Team;
use crate::metrics::incidents::IncidentFacts;
use crate::metrics::retro::done_by;
use crate::model::{past_due, Dataset};
use crate::period::Period;
use chrono::NaiveDate;

/// One action item in a week's review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekItem {
    /// Index into `Dataset::retros`.
    pub retro: u32,
    /// Index into the retro's `action_items`.
    pub item: u32,
    /// Index into `Dataset::incidents`: the retro's incident.
    pub incident: u32,
    pub due: NaiveDate,
    /// The day it was done, if by the week's last day.
    pub done: Option<NaiveDate>,
}

/// One team's week.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamWeek {
    /// Incidents started in the week on the team's services, newest first.
    pub incidents: Vec<u32>,
    /// The team's items due in the week (done or not), by due date then incident.
    pub due: Vec<WeekItem>,
    /// The team's items due before the week and still open at its end, by due date.
    pub overdue: Vec<WeekItem>,
}

/// One week's review: per team, aligned with `Config::teams`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeekReview {
    pub teams: Vec<TeamWeek>,
}

/// The review of week `p`: its incidents by owning team, and every visible incident's
/// earliest retro's action items by owner team.
pub fn review(teams: &[Team], ds: &Dataset, f: &IncidentFacts, p: &Period) -> WeekReview {
    let mut out = vec![TeamWeek::default(); teams.len()];
    let (first, last) = (p.first_day, p.last_day);
    for &i in &f.visible {
        let inc = &ds.incidents[i as usize];
        if inc.started_at >= p.start && inc.started_at < p.end {
            if let Some(t) = ds.service_team[inc.service as usize] {
                out[t as usize].incidents.push(i);
            }
        }
        let Some(r) = f.retro_of[i as usize] else {
            continue;
        };
        for (k, a) in ds.retros[r as usize].action_items.iter().enumerate() {
            let done = done_by(a, last);
            let due = (first..=last).contains(&a.due);
            let overdue = a.due < first && done.is_none() && past_due(a.due, last);
            if !due && !overdue {
                continue;
            }
            // Only the few items due or overdue this week look their team up.
            let Some(t) = teams.iter().position(|t| t.id == a.team) else {
                continue;
            };
            let item = WeekItem {
                retro: r,
                item: k as u32,
                incident: i,
                due: a.due,
                done,
            };
            if due {
                out[t].due.push(item);
            } else {
                out[t].overdue.push(item);
            }
        }
    }
    for t in &mut out {
        let order = |w: &WeekItem| (w.due, ds.incidents[w.incident as usize].id.clone(), w.item);
        t.due.sort_by_key(order);
        t.overdue.sort_by_key(order);
    }
    WeekReview { teams: out }
}
