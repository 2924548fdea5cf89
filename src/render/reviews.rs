//! Weekly reviews: takes the report's week rows (each team's `Figures` at week grain and
//! `metrics::weekly`'s incidents and action items) and the optional decisions of
//! `content/reviews/<YYYY-Www>.md` and returns one page per ISO week
//! (`reviews/2026-W39.html`) plus an index of weeks. It selects and formats; the figures
//! are the metrics stage's.

use crate::metrics::catalog::Metric;
use crate::metrics::scope::ScopeKind;
use crate::metrics::slo::SloStatus;
use crate::metrics::weekly::WeekItem;
use crate::period::{Grain, Period};
use crate::render::content::ItemRow;
use crate::render::context::root_of;
use crate::render::incident_row::{row, Row};
use crate::render::pages::team_scopes;
use crate::render::paths::{retro_path, review_path, scope_path};
use crate::render::registry::{Kind, PageKind, PageOf, FIGURES_AND_REVIEWS};
use crate::render::site::Site;
use crate::render::slo::{budget_text, burn_text, slo_path, status_class};
use crate::render::words::{format_metric, grouped};
use rayon::prelude::*;
use serde::Serialize;

#[derive(Serialize)]
struct Link {
    label: String,
    href: String,
}

#[derive(Serialize)]
struct DecisionView {
    decision: &'static str,
    notes: String,
    body_html: String,
}

#[derive(Serialize)]
struct SloLine {
    id: String,
    href: String,
    status: &'static str,
    status_class: &'static str,
    burn_7d: String,
    budget: String,
}

#[derive(Serialize)]
struct ItemLine {
    incident: String,
    retro_href: String,
    item: ItemRow,
}

#[derive(Serialize)]
struct TeamWeekView {
    name: String,
    href: String,
    deployments: String,
    lead_time: String,
    changes: String,
    /// The team's SLOs that are not healthy at the week's end (no data included).
    slos: Vec<SloLine>,
    /// How many of its SLOs are healthy, counted rather than listed: at hundreds of SLOs
    /// a row each made every weekly review ~300 KB; the team page lists them all.
    healthy: usize,
    incidents: Vec<Row>,
    /// What the incident list says when empty: none started, or n/a when no incident data
    /// covers the week (a week without data is not a week without incidents).
    incidents_empty: &'static str,
    due: Vec<ItemLine>,
    /// The items overdue at the week's end that fell due in the [`RECENT_OVERDUE_DAYS`]
    /// before it began, listed.
    overdue: Vec<ItemLine>,
    /// The items overdue for longer, counted: over years they would list the same hundreds
    /// of items every week; the action board lists them.
    older_overdue: Option<OlderOverdue>,
}

#[derive(Serialize)]
struct OlderOverdue {
    count: usize,
    /// The oldest due date among them.
    oldest_due: String,
    /// The first due date the review lists.
    since: String,
    href: String,
}

/// How far back before a week's first day the overdue items it lists fell due: four weeks.
const RECENT_OVERDUE_DAYS: i64 = 28;

#[derive(Serialize)]
pub struct WeekView {
    week: String,
    span: String,
    partial: Option<String>,
    decision: Option<DecisionView>,
    previous: Option<Link>,
    next: Option<Link>,
    teams: Vec<TeamWeekView>,
}

#[derive(Serialize)]
struct WeekRow {
    week: String,
    href: String,
    span: String,
    partial: bool,
    deployments: String,
    /// The incidents the week's teams list, or "n/a" when no incident data covers the week.
    incidents: String,
    overdue: usize,
    decision: Option<&'static str>,
}

#[derive(Serialize)]
pub struct WeekIndexView {
    latest: Option<Link>,
    weeks: Vec<WeekRow>,
}

/// `reviews/{week}.html`: one ISO week, per team.
pub struct WeekPage;

impl PageKind for WeekPage {
    type View = WeekView;
    const KIND: Kind = Kind {
        name: "week",
        pattern: "reviews/{week}.html",
        template: "week.html",
        reads: FIGURES_AND_REVIEWS,
    };
    fn pages(site: &Site) -> Vec<PageOf<WeekView>> {
        let weeks = weeks(site);
        (0..weeks.len())
            .map(|i| week_page(site, weeks, i))
            .collect()
    }
    fn each_page<E: Send>(
        site: &Site,
        put: &(impl Fn(PageOf<WeekView>) -> Result<(), E> + Sync),
    ) -> Result<(), E> {
        let weeks = weeks(site);
        (0..weeks.len())
            .into_par_iter()
            .try_for_each(|i| put(week_page(site, weeks, i)))
    }
    fn first_page(site: &Site) -> Option<PageOf<WeekView>> {
        let weeks = weeks(site);
        (!weeks.is_empty()).then(|| week_page(site, weeks, 0))
    }
}

/// `reviews/index.html`: every week, newest first, with its decision.
pub struct WeekIndex;

impl PageKind for WeekIndex {
    type View = WeekIndexView;
    const KIND: Kind = Kind {
        name: "week-index",
        pattern: "reviews/index.html",
        template: "week_index.html",
        reads: FIGURES_AND_REVIEWS,
    };
    fn pages(site: &Site) -> Vec<PageOf<WeekIndexView>> {
        vec![week_index(site)]
    }
}

fn weeks<'s>(site: &Site<'s>) -> &'s [Period] {
    site.report
        .periods
        .get(&Grain::Week)
        .map_or(&[], Vec::as_slice)
}

/// "14 – 20 Sep 2026".
fn span(p: &Period) -> String {
    format!(
        "{} – {}",
        p.first_day.format("%-d %b"),
        p.last_day.format("%-d %b %Y")
    )
}

/// A link to week `p`'s review from a page in `reviews/`.
fn sibling(p: &Period) -> Link {
    Link {
        label: p.key.clone(),
        href: format!("{}.html", p.key),
    }
}

fn decision(site: &Site, week: &str) -> Option<DecisionView> {
    let d = site.records.reviews.iter().find(|d| d.week == week)?;
    Some(DecisionView {
        decision: d.decision.as_str(),
        notes: d.notes.clone(),
        body_html: site.markdown.render(&d.body),
    })
}

fn item_lines(site: &Site, items: &[WeekItem], p: &Period, root: &str) -> Vec<ItemLine> {
    let ds = &site.records;
    items
        .iter()
        .map(|w| {
            let retro = &ds.retros[w.retro as usize];
            ItemLine {
                incident: ds.incidents[w.incident as usize].id.clone(),
                retro_href: format!("{root}{}", retro_path(&retro.slug)),
                item: ItemRow::new(&retro.action_items[w.item as usize], p.last_day),
            }
        })
        .collect()
}

fn week_page(site: &Site, weeks: &[Period], i: usize) -> PageOf<WeekView> {
    let p = &weeks[i];
    let path = review_path(&p.key);
    let root = root_of(&path);
    let review = &site.report.weekly[i];
    let teams = team_scopes(site.report)
        .zip(&review.teams)
        .map(|(s, t)| {
            let f = &s.series[&Grain::Week][i];
            // Overdue items are in due-date order: the first `older` fell due before `since`.
            let since = p.first_day - chrono::Days::new(RECENT_OVERDUE_DAYS as u64);
            let older = t.overdue.partition_point(|w| w.due < since);
            let slos: Vec<SloLine> = f
                .slos
                .iter()
                .filter(|o| o.status != SloStatus::Healthy)
                .map(|o| SloLine {
                    id: o.id.clone(),
                    href: format!("{root}{}", slo_path(&o.id)),
                    status: o.status.as_str(),
                    status_class: status_class(o.status),
                    burn_7d: burn_text(o.burn_rate_7d),
                    budget: budget_text(o.error_budget_remaining),
                })
                .collect();
            TeamWeekView {
                name: s.scope.name.clone(),
                href: format!("{root}{}", scope_path(ScopeKind::Team, &s.scope.id)),
                deployments: format_metric(Metric::Deployments, f.get(Metric::Deployments)),
                lead_time: format_metric(
                    Metric::LeadTimeMedianHours,
                    f.get(Metric::LeadTimeMedianHours),
                ),
                changes: format_metric(Metric::Changes, f.get(Metric::Changes)),
                healthy: f.slos.len() - slos.len(),
                slos,
                incidents: t
                    .incidents
                    .iter()
                    .map(|&n| row(&site.incidents, n, &root))
                    .collect(),
                incidents_empty: match f.get(Metric::Incidents) {
                    Some(_) => "None started this week.",
                    None => "n/a: no incident data covers this week.",
                },
                due: item_lines(site, &t.due, p, &root),
                overdue: item_lines(site, &t.overdue[older..], p, &root),
                older_overdue: (older > 0).then(|| OlderOverdue {
                    count: older,
                    oldest_due: t.overdue[0].due.to_string(),
                    since: since.to_string(),
                    href: format!("{root}actions.html"),
                }),
            }
        })
        .collect();
    let view = WeekView {
        week: p.key.clone(),
        span: span(p),
        partial: p.clipped.then(|| {
            format!(
                "Partial: {} of 7 days, to the report date. Figures will change.",
                p.days
            )
        }),
        decision: decision(site, &p.key),
        previous: i.checked_sub(1).map(|j| sibling(&weeks[j])),
        next: weeks.get(i + 1).map(sibling),
        teams,
    };
    PageOf {
        title: format!("Weekly review {}", p.key),
        path,
        view,
    }
}

fn week_index(site: &Site) -> PageOf<WeekIndexView> {
    let weeks = weeks(site);
    let org = site.report.scope("org");
    let rows = weeks
        .iter()
        .enumerate()
        .rev()
        .map(|(i, p)| {
            let review = &site.report.weekly[i];
            let week = org.and_then(|o| o.series.get(&Grain::Week)).map(|s| &s[i]);
            let deployments = week.and_then(|f| f.get(Metric::Deployments));
            WeekRow {
                week: p.key.clone(),
                href: sibling(p).href,
                span: span(p),
                partial: p.clipped,
                deployments: format_metric(Metric::Deployments, deployments),
                incidents: match week.and_then(|f| f.get(Metric::Incidents)) {
                    Some(_) => grouped(
                        review
                            .teams
                            .iter()
                            .map(|t| t.incidents.len())
                            .sum::<usize>(),
                    ),
                    None => "n/a".to_string(),
                },
                overdue: review.teams.iter().map(|t| t.overdue.len()).sum(),
                decision: site
                    .records
                    .reviews
                    .iter()
                    .find(|d| d.week == p.key)
                    .map(|d| d.decision.as_str()),
            }
        })
        .collect();
    PageOf {
        path: "reviews/index.html".to_string(),
        title: "Weekly reviews".to_string(),
        view: WeekIndexView {
            latest: site.report.latest_complete(Grain::Week).map(sibling),
            weeks: rows,
        },
    }
}
