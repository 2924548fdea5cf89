//! One incident's page: takes the incident facts, the dataset and the chart lookups and
//! returns `incidents/<id>.html`: timeline, duration, the deployment that caused it, the
//! retro with its contributing factors and action items, and two small charts around it.

use crate::render::charts::incident::{deploys_spec, error_rate_spec, IncidentWindow};
use crate::chart::{draw, Chart};
use crate::metrics::scope::ScopeKind;
use crate::metrics::slo::{sli_daily_series, SliSeries};
use crate::model::{Dataset, Ts, HOUR};
use crate::period::Calendar;
use crate::render::content::ItemRow;
use crate::render::context::{base, context, root_of};
use crate::render::incidents::Facts;
use crate::render::pages::scope_path;
use crate::render::{Page, RenderInput};
use serde::Serialize;

/// What the incident charts read, prepared once per build.
pub struct ChartData {
    /// Counted production deployment times per service, sorted.
    deploys: Vec<Vec<Ts>>,
    /// The SLOs (indices into `Dataset::slos`) of each service.
    slos: Vec<Vec<u32>>,
    series: Vec<SliSeries>,
}

impl ChartData {
    pub fn new(ds: &Dataset, cal: &Calendar) -> ChartData {
        let mut deploys = vec![Vec::new(); ds.services.len()];
        for d in &ds.deployments {
            if d.counted() && d.at < cal.as_of_end {
                deploys[d.service as usize].push(d.at);
            }
        }
        deploys.iter_mut().for_each(|v| v.sort_unstable());
        let mut slos = vec![Vec::new(); ds.services.len()];
        let mut rows = vec![Vec::new(); ds.slos.len()];
        for (k, def) in ds.slos.iter().enumerate() {
            if let Some(s) = ds.services.get(&def.service) {
                slos[s as usize].push(k as u32);
            }
        }
        for r in &ds.sli {
            rows[r.slo as usize].push(*r);
        }
        let series = ds
            .slos
            .iter()
            .zip(rows)
            .map(|(def, mut rows)| {
                rows.sort_unstable_by_key(|r| r.at);
                SliSeries::new(def, &rows, cal)
            })
            .collect();
        ChartData {
            deploys,
            slos,
            series,
        }
    }
}

#[derive(Serialize)]
struct Step {
    label: &'static str,
    when: String,
    after: String,
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

#[derive(Serialize)]
struct SmallChart {
    id: String,
    svg: String,
    caption: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

#[derive(Serialize)]
struct IncidentView {
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

pub fn page(input: &RenderInput, f: &Facts, data: &ChartData, i: u32) -> Page {
    let ds = f.ds;
    let inc = &ds.incidents[i as usize];
    let path = f.paths[i as usize].clone();
    let root = root_of(&path);
    let end = f.cal.as_of_end;
    let service_name = ds.services.name(inc.service).to_string();
    let known = |t: Option<Ts>| t.filter(|&t| t < end);
    let mut timeline = vec![Step {
        label: "Started",
        when: f.when(inc.started_at),
        after: String::new(),
    }];
    for (label, t) in [
        ("Detected", known(inc.detected_at)),
        ("Acknowledged", known(inc.acknowledged_at)),
        ("Resolved", known(inc.resolved_at)),
    ] {
        if let Some(t) = t {
            timeline.push(Step {
                label,
                when: f.when(t),
                after: format!("+{}", span(t - inc.started_at)),
            });
        }
    }
    let resolved = known(inc.resolved_at);
    let duration = match resolved {
        Some(r) => span(r - inc.started_at),
        None => format!("unresolved, open for {}", span(end - inc.started_at)),
    };
    let retro = f.retro_of[i as usize].map(|r| &ds.retros[r as usize]);
    let repeat = f.repeat_of[i as usize];
    let view = IncidentView {
        id: inc.id.clone(),
        title: inc.title.clone(),
        severity: inc.severity,
        service: Link {
            href: format!("{root}{}", scope_path(ScopeKind::Service, &service_name)),
            name: service_name.clone(),
        },
        team: f.team(i).map(|t| {
            let team = &input.config.teams[t as usize];
            Link {
                name: team.name.clone(),
                href: format!("{root}{}", scope_path(ScopeKind::Team, &team.id)),
            }
        }),
        status: f.status[i as usize].label(),
        status_class: f.status[i as usize].slug(),
        timeline,
        duration,
        cause: inc.cause.map(|c| ds.causes.name(c).to_string()),
        repeat_of: repeat.map(|j| Link {
            name: ds.incidents[j as usize].id.clone(),
            href: f.href(j, &root),
        }),
        repeat_days: repeat
            .map(|j| (inc.started_at - ds.incidents[j as usize].started_at) / crate::model::DAY)
            .unwrap_or(0),
        deploy: deploy(f, inc, &root),
        retro: retro.map(|r| RetroView {
            title: r.title.clone(),
            href: format!("{root}retros/{}.html", r.slug),
            published: f.when(r.published_at),
            timely: match resolved {
                Some(res) if r.published_at <= res + 3 * 24 * HOUR => "within 72 h".into(),
                Some(res) => format!("{} after resolution", span(r.published_at - res)),
                None => String::new(),
            },
        }),
        retro_note: match f.status[i as usize] {
            crate::render::incidents::Status::RetroMissing => {
                "No retro yet, and the 72 hours after resolution have passed.".into()
            }
            crate::render::incidents::Status::RetroDue => resolved.map_or(String::new(), |r| {
                format!("A retro is due by {}.", f.when(r + 72 * HOUR))
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
        charts: charts(f, data, i, &service_name),
    };
    let title = format!("{}: {}", inc.id, inc.title);
    Page {
        context: context(
            base(&input.config.title, input.report, &path, &title),
            &view,
        ),
        path,
        template: "incident.html",
    }
}

fn deploy(f: &Facts, inc: &crate::model::Incident, root: &str) -> Option<Deploy> {
    let ds = f.ds;
    let d = inc.caused_by?;
    let dep = &ds.deployments[d as usize];
    let service = ds.services.name(dep.service).to_string();
    Some(Deploy {
        id: ds.deploy_ids[d as usize].to_string(),
        when: f.when(dep.at),
        service: Link {
            href: format!("{root}{}", scope_path(ScopeKind::Service, &service)),
            name: service,
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

fn charts(f: &Facts, data: &ChartData, i: u32, service: &str) -> Vec<SmallChart> {
    let inc = &f.ds.incidents[i as usize];
    let cal = &f.cal;
    let resolved = inc
        .resolved_at
        .filter(|&r| r < cal.as_of_end)
        .map(|r| cal.date_of(r));
    let w = IncidentWindow::around(
        &inc.id,
        service,
        cal.date_of(inc.started_at),
        resolved,
        cal.as_of,
    );
    let days = w.days();
    let times = &data.deploys[inc.service as usize];
    let counts: Vec<u64> = days
        .iter()
        .map(|&d| {
            let (a, b) = (
                cal.day_start(d),
                cal.day_start(d + chrono::Duration::days(1)),
            );
            (times.partition_point(|&t| t < b) - times.partition_point(|&t| t < a)) as u64
        })
        .collect();
    let mut out = vec![small(draw(&deploys_spec(&w, &counts)))];
    for &k in &data.slos[inc.service as usize] {
        let def = &f.ds.slos[k as usize];
        let daily = sli_daily_series(&data.series[k as usize], cal, w.first, w.last);
        let sli: Vec<Option<f64>> = daily.into_iter().map(|(_, v)| v).collect();
        out.push(small(draw(&error_rate_spec(
            &w,
            &def.id,
            def.objective,
            &sli,
        ))));
    }
    out
}

fn small(c: Chart) -> SmallChart {
    SmallChart {
        id: c.id,
        svg: c.svg,
        caption: c.table.caption,
        headers: c.table.headers,
        rows: c.table.rows,
    }
}
