//! Action-item board: takes the incident facts and the report and returns `actions.html`:
//! every open and overdue action item across the org as of `as_of`, grouped by owner team
//! (teams in config order, never ranked), oldest due date first, and each team's
//! follow-through (`action_items_on_time_rate`) per quarter.

use crate::metrics::catalog::{self, Metric};
use crate::metrics::scope::ScopeKind;
use crate::period::Grain;
use crate::render::content::item_status;
use crate::render::paths::retro_path;
use crate::render::paths::scope_path;
use crate::render::registry::{Kind, PageKind, PageOf, FIGURES};
use crate::render::site::Site;
use crate::render::words::format_in;
use serde::Serialize;
use std::collections::BTreeMap;

/// Quarters shown in the follow-through table.
const QUARTERS: usize = 6;

#[derive(Serialize)]
struct BoardItem {
    title: String,
    incident: String,
    incident_href: String,
    retro_href: String,
    due: String,
    status: String,
    status_class: &'static str,
}

#[derive(Serialize)]
struct Group {
    team: String,
    href: Option<String>,
    open: usize,
    overdue: usize,
    items: Vec<BoardItem>,
}

#[derive(Serialize)]
struct FollowRow {
    team: String,
    href: String,
    values: Vec<String>,
}

#[derive(Serialize)]
pub struct BoardView {
    open: usize,
    overdue: usize,
    groups: Vec<Group>,
    quarters: Vec<String>,
    follow: Vec<FollowRow>,
}

/// `actions.html`: every open action item by owner team, and each team's follow-through.
pub struct ActionBoard;

impl PageKind for ActionBoard {
    type View = BoardView;
    const KIND: Kind = Kind {
        name: "actions",
        pattern: "actions.html",
        template: "actions.html",
        reads: FIGURES,
    };
    fn pages(site: &Site) -> Vec<PageOf<BoardView>> {
        vec![PageOf {
            path: "actions.html".to_string(),
            title: "Action items".to_string(),
            view: board(site),
        }]
    }
}

fn board(site: &Site) -> BoardView {
    let f = &site.incidents;
    let ds = f.ds;
    let as_of = f.cal.as_of;
    // Group key: config order for known teams, then other owner names alphabetically.
    let mut groups: BTreeMap<(usize, String), Vec<(chrono::NaiveDate, String, BoardItem)>> =
        BTreeMap::new();
    for &i in &f.facts.visible {
        let Some(r) = f.facts.retro_of[i as usize] else {
            continue;
        };
        let retro = &ds.retros[r as usize];
        for a in &retro.action_items {
            if a.done.is_some_and(|d| d <= as_of) {
                continue;
            }
            let (status, status_class) = item_status(a, as_of);
            let order = site
                .config
                .teams
                .iter()
                .position(|t| t.id == a.team)
                .unwrap_or(usize::MAX);
            let inc = &ds.incidents[i as usize];
            groups.entry((order, a.team.clone())).or_default().push((
                a.due,
                inc.id.clone(),
                BoardItem {
                    title: a.title.clone(),
                    incident: inc.id.clone(),
                    incident_href: f.href(i, ""),
                    retro_href: retro_path(&retro.slug),
                    due: a.due.to_string(),
                    status,
                    status_class,
                },
            ));
        }
    }
    let groups: Vec<Group> = groups
        .into_iter()
        .map(|((order, team), mut items)| {
            items.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
            let known = site.config.teams.get(order);
            Group {
                team: known.map_or(team.clone(), |t| t.name.clone()),
                href: known.map(|t| scope_path(ScopeKind::Team, &t.id)),
                open: items.len(),
                overdue: items.iter().filter(|x| x.0 < as_of).count(),
                items: items.into_iter().map(|x| x.2).collect(),
            }
        })
        .collect();
    let (quarters, follow) = follow_through(site);
    BoardView {
        open: groups.iter().map(|g| g.open).sum(),
        overdue: groups.iter().map(|g| g.overdue).sum(),
        groups,
        quarters,
        follow,
    }
}

/// The last quarters' `action_items_on_time_rate` of every team, in config order.
fn follow_through(site: &Site) -> (Vec<String>, Vec<FollowRow>) {
    let ps = &site.report.periods[&Grain::Quarter];
    let from = ps.len().saturating_sub(QUARTERS);
    let quarters = ps[from..].iter().map(|p| p.key.clone()).collect();
    let rows = crate::render::pages::team_scopes(site.report)
        .map(|s| FollowRow {
            team: s.scope.name.clone(),
            href: scope_path(ScopeKind::Team, &s.scope.id),
            values: s.series.get(&Grain::Quarter).map_or(Vec::new(), |q| {
                q[from.min(q.len())..]
                    .iter()
                    .map(|fig| {
                        format_in(fig.get(Metric::ActionItemsOnTimeRate), catalog::Unit::Ratio)
                    })
                    .collect()
            }),
        })
        .collect();
    (quarters, rows)
}
