//! Action-item board: takes the `Site` (the report's action-item board and figures, the
//! retro records) and returns `actions.html`: every open and overdue action item across the
//! org as of `as_of`, grouped by owner team (teams in config order, never ranked), oldest
//! due date first, and each team's
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

/// The report's action-item board, formatted.
fn board(site: &Site) -> BoardView {
    let f = &site.incidents;
    let ds = f.ds;
    let as_of = f.cal.as_of;
    let b = &site.report.actions;
    let groups: Vec<Group> = b
        .groups
        .iter()
        .map(|g| {
            let known = g.team.and_then(|t| site.config.teams.get(t));
            Group {
                team: known.map_or(g.owner.clone(), |t| t.name.clone()),
                href: known.map(|t| scope_path(ScopeKind::Team, &t.id)),
                open: g.open(),
                overdue: g.overdue,
                items: g
                    .items
                    .iter()
                    .map(|x| {
                        let retro = &ds.retros[x.retro as usize];
                        let a = &retro.action_items[x.item as usize];
                        let (status, status_class) = item_status(a, as_of);
                        BoardItem {
                            title: a.title.clone(),
                            incident: ds.incidents[x.incident as usize].id.clone(),
                            incident_href: f.href(x.incident, ""),
                            retro_href: retro_path(&retro.slug),
                            due: x.due.to_string(),
                            status,
                            status_class,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let (quarters, follow) = follow_through(site);
    BoardView {
        open: b.open,
        overdue: b.overdue,
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
