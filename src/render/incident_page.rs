//! One incident's page: takes the dataset's incident, the report's facts about it (status,
//! retro, repeat-of, daily chart figures) and returns `incidents/<id>.html`: timeline, duration, the deployment that caused it, the
//! retro with its contributing factors and action items, and two small charts around it.

use crate::chart::Chart;
use crate::metrics::incidents::{resolved_by, Status};
use crate::metrics::retro::retro_due;
use crate::metrics::scope::ScopeKind;
use crate::model::Ts;
use crate::render::charts::incident::{deploys_spec, error_rate_spec, no_sli_line, IncidentWindow};
use crate::render::content::ItemRow;
use crate::render::context::root_of;
use crate::render::incident_row::Facts;
use crate::render::paths::retro_path;
use crate::render::paths::scope_path;
use crate::render::registry::{Kind, PageKind, PageOf, RecordKeys, Source};
use crate::render::site::Site;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Arc;

#[derive(Serialize)]
struct Step {
    label: &'static str,
    /// "2026-01-14 10:09", and the same as `day` and `time` (a narrow screen wraps between
    /// them, never inside the date).
    when: String,
    day: String,
    time: String,
    after: String,
}

impl Step {
    fn new(label: &'static str, when: String, after: String) -> Step {
        let (day, time) = match when.split_once(' ') {
            Some((day, time)) => (day.to_string(), time.to_string()),
            None => (when.clone(), String::new()),
        };
        Step {
            label,
            when,
            day,
            time,
            after,
        }
    }
}

#[derive(Serialize)]
struct Link {
    name: String,
    href: String,
}

#[derive(Serialize)]
struct Deploy {
    id: String,
    when: String,
    service: Link,
    status: &'static str,
    before: String,
}

#[derive(Serialize)]
struct RetroView {
    title: String,
    href: String,
    published: String,
    timely: String,
}

/// A small chart as the template reads it (`id`, `svg`, `caption`), shared with the memo
/// of drawn charts rather than copied. Its data is a column of the page's one table.
struct SmallChart(Arc<Chart>);

impl Serialize for SmallChart {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let c = &self.0;
        let mut out = s.serialize_struct("SmallChart", 3)?;
        out.serialize_field("id", &c.id)?;
        out.serialize_field("svg", &c.svg)?;
        out.serialize_field("caption", &c.table.caption)?;
        out.end()
    }
}

/// The small charts' data as one table, a row a day and a column a chart (the charts share
/// their days): one table rather than one per chart, whose day column and markup made
/// about a fifth of an incident page.
#[derive(Serialize, Default)]
struct DaysTable {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl DaysTable {
    /// `charts` with each one's column header; each chart's table is (day, value).
    fn of(charts: &[(String, Arc<Chart>)]) -> DaysTable {
        let Some((_, first)) = charts.first() else {
            return DaysTable::default();
        };
        let day = "day".to_string();
        let headers = std::iter::once(day)
            .chain(charts.iter().map(|(h, _)| h.clone()))
            .collect();
        let rows = first
            .table
            .rows
            .iter()
            .enumerate()
            .map(|(n, row)| {
                let day = row.first().cloned().unwrap_or_default();
                let values = charts.iter().map(|(_, c)| {
                    debug_assert_eq!(c.table.rows[n].first(), row.first(), "{}", c.id);
                    c.table.rows[n].get(1).cloned().unwrap_or_default()
                });
                std::iter::once(day).chain(values).collect()
            })
            .collect();
        DaysTable { headers, rows }
    }
}

#[derive(Serialize)]
pub struct IncidentView {
    id: String,
    title: String,
    severity: u8,
    service: Link,
    team: Option<Link>,
    status: &'static str,
    status_class: &'static str,
    timeline: Vec<Step>,
    duration: String,
    cause: Option<String>,
    repeat_of: Option<Link>,
    repeat_days: i64,
    deploy: Option<Deploy>,
    retro: Option<RetroView>,
    retro_note: String,
    factors: Vec<String>,
    items: Vec<ItemRow>,
    charts: Vec<SmallChart>,
    /// The charts' data.
    days: DaysTable,
    /// One line for each SLO of the service with no SLI data on the days shown, instead of
    /// an empty chart.
    no_sli: Vec<String>,
}

/// "45 min", "3 h 20 min", "2 d 4 h".
pub fn span(seconds: i64) -> String {
    let m = seconds.max(0) / 60;
    match m {
        m if m < 60 => format!("{m} min"),
        m if m < 48 * 60 => match m % 60 {
            0 => format!("{} h", m / 60),
            r => format!("{} h {r} min", m / 60),
        },
        m => match (m / 60) % 24 {
            0 => format!("{} d", m / (24 * 60)),
            h => format!("{} d {h} h", m / (24 * 60)),
        },
    }
}

/// `incidents/{incident}.html`: one incident's timeline, cause, retro, action items and
/// small charts of the days around it.
pub struct IncidentPage;

impl PageKind for IncidentPage {
    type View = IncidentView;
    const KIND: Kind = Kind {
        name: "incident",
        pattern: "incidents/{incident}.html",
        template: "incident.html",
        reads: &[
            Source::Config,
            Source::Incidents,
            Source::Deployments,
            Source::Sli,
            Source::Slos,
            Source::Retros,
            Source::RetroProse,
        ],
    };
    fn pages(site: &Site) -> Vec<PageOf<IncidentView>> {
        let f = &site.incidents;
        f.facts
            .visible
            .par_iter()
            .map(|&i| page(site, f, i))
            .collect()
    }
    fn each_page<E: Send>(
        site: &Site,
        put: &(impl Fn(PageOf<IncidentView>) -> Result<(), E> + Sync),
    ) -> Result<(), E> {
        let f = &site.incidents;
        f.facts
            .visible
            .par_iter()
            .try_for_each(|&i| put(page(site, f, i)))
    }
    fn first_page(site: &Site) -> Option<PageOf<IncidentView>> {
        let f = &site.incidents;
        f.facts.visible.first().map(|&i| page(site, f, i))
    }
    /// The pages of the incidents named.
    fn pages_for(site: &Site, keys: &RecordKeys) -> Vec<PageOf<IncidentView>> {
        let f = &site.incidents;
        f.facts
            .visible
            .iter()
            .filter(|&&i| keys.incidents.contains(&f.ds.incidents[i as usize].id))
            .map(|&i| page(site, f, i))
            .collect()
    }
}

fn page(site: &Site, f: &Facts, i: u32) -> PageOf<IncidentView> {
    let ds = f.ds;
    let inc = &ds.incidents[i as usize];
    let path = f.paths[i as usize].clone();
    let root = root_of(&path);
    let end = f.cal.as_of_end;
    let service_name = ds.services.name(inc.service).to_string();
    let known = |t: Option<Ts>| t.filter(|&t| t < end);
    let mut timeline = vec![Step::new("Started", f.when(inc.started_at), String::new())];
    for (label, t) in [
        ("Detected", known(inc.detected_at)),
        ("Acknowledged", known(inc.acknowledged_at)),
        ("Resolved", known(inc.resolved_at)),
    ] {
        if let Some(t) = t {
            timeline.push(Step::new(
                label,
                f.when(t),
                format!("+{}", span(t - inc.started_at)),
            ));
        }
    }
    let resolved = resolved_by(inc, &f.cal);
    let duration = match resolved {
        Some(r) => span(r - inc.started_at),
        None => format!("unresolved, open for {}", span(end - inc.started_at)),
    };
    let facts = f.facts;
    let retro = facts.retro_of[i as usize].map(|r| &ds.retros[r as usize]);
    let repeat = facts.repeat_of[i as usize];
    let status = facts.status[i as usize];
    let (charts, days, no_sli) = charts(site, i, &service_name);
    let view = IncidentView {
        id: inc.id.clone(),
        title: inc.title.clone(),
        severity: inc.severity,
        service: Link {
            href: f.service_href(inc.service, &root),
            name: service_name.clone(),
        },
        team: f.team(i).map(|t| {
            let team = &site.config.teams[t as usize];
            Link {
                name: team.name.clone(),
                href: format!("{root}{}", scope_path(ScopeKind::Team, &team.id)),
            }
        }),
        status: status.label(),
        status_class: status.slug(),
        timeline,
        duration,
        cause: inc.cause.map(|c| ds.causes.name(c).to_string()),
        repeat_of: repeat.map(|r| Link {
            name: ds.incidents[r.incident as usize].id.clone(),
            href: f.href(r.incident, &root),
        }),
        repeat_days: repeat.map_or(0, |r| r.days),
        deploy: deploy(f, inc, &root),
        retro: retro.map(|r| RetroView {
            title: r.title.clone(),
            href: format!("{root}{}", retro_path(&r.slug)),
            published: f.when(r.published_at),
            timely: match (facts.retro_timely(i), facts.time_to_retro[i as usize]) {
                (Some(true), _) => "within 72 h".into(),
                (_, Some(after)) => format!("{} after resolution", span(after)),
                _ => String::new(),
            },
        }),
        retro_note: match status {
            Status::RetroMissing => {
                "No retro yet, and the 72 hours after resolution have passed.".into()
            }
            Status::RetroDue => resolved.map_or(String::new(), |r| {
                format!("A retro is due by {}.", f.when(retro_due(r)))
            }),
            _ if inc.severity > 2 => "No retro: optional for severity 3 and 4 incidents.".into(),
            _ => "No retro yet.".into(),
        },
        factors: retro.map_or(Vec::new(), |r| r.contributing_factors.clone()),
        items: retro.map_or(Vec::new(), |r| {
            r.action_items
                .iter()
                .map(|a| ItemRow::new(a, f.cal.as_of))
                .collect()
        }),
        charts,
        days,
        no_sli,
    };
    PageOf {
        path,
        title: format!("{}: {}", inc.id, inc.title),
        view,
    }
}

fn deploy(f: &Facts, inc: &crate::model::Incident, root: &str) -> Option<Deploy> {
    let ds = f.ds;
    let d = inc.caused_by?;
    let dep = &ds.deployments[d as usize];
    Some(Deploy {
        id: ds.deploy_ids[d as usize].to_string(),
        when: f.when(dep.at),
        service: Link {
            href: f.service_href(dep.service, root),
            name: ds.services.name(dep.service).to_string(),
        },
        status: match dep.status {
            crate::model::DeployStatus::Success => "success",
            crate::model::DeployStatus::RolledBack => "rolled back",
            crate::model::DeployStatus::Failed => "failed",
        },
        before: if dep.at <= inc.started_at {
            format!(
                "{} before the incident started",
                span(inc.started_at - dep.at)
            )
        } else {
            format!(
                "{} after the incident started",
                span(dep.at - inc.started_at)
            )
        },
    })
}

/// The small charts around incident `i`, their data as one table, and a line for each SLO
/// without SLI data on the days shown (drawn as no chart).
fn charts(site: &Site, i: u32, service: &str) -> (Vec<SmallChart>, DaysTable, Vec<String>) {
    let f = &site.incidents;
    let inc = &f.ds.incidents[i as usize];
    let cal = &f.cal;
    let Some(daily) = &f.facts.daily[i as usize] else {
        return (Vec::new(), DaysTable::default(), Vec::new());
    };
    let w = IncidentWindow::around(
        &inc.id,
        service,
        daily,
        cal.date_of(inc.started_at),
        resolved_by(inc, cal).map(|r| cal.date_of(r)),
    );
    let deploys = site.draw(&deploys_spec(&w, &daily.deploys));
    let mut out = vec![("deployments".to_string(), deploys)];
    let mut no_sli = Vec::new();
    for (k, sli) in &daily.sli {
        let def = &f.ds.slos[*k as usize];
        if sli.iter().all(Option::is_none) {
            no_sli.push(no_sli_line(&w, &def.id, daily.sli_since.get(k).copied()));
            continue;
        }
        let chart = site.draw(&error_rate_spec(&w, out.len(), &def.id, def.objective, sli));
        out.push((format!("{} bad events (%)", def.id), chart));
    }
    let days = DaysTable::of(&out);
    let charts = out.into_iter().map(|(_, c)| SmallChart(c)).collect();
    (charts, days, no_sli)
}

#[cfg(test)]
mod tests {
    use super::span;

    #[test]
    fn spans_read_naturally() {
        assert_eq!(span(20 * 60), "20 min");
        assert_eq!(span(24 * 3600), "24 h");
        assert_eq!(span(3 * 3600 + 20 * 60), "3 h 20 min");
        // 4 days exactly; 2 days 4 hours (52 h).
        assert_eq!(span(4 * 86_400), "4 d");
        assert_eq!(span(52 * 3600), "2 d 4 h");
        assert_eq!(span(-5), "0 min");
    }
}
