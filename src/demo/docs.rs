//! Demo governance and report pages: takes the organisation, timeline and generated
//! deployments, changes and incidents and returns `content/governance/*.md` and
//! `content/reports/*.md` (quarterly narratives that quote the data's own figures).

use super::clock::{quoted, Clock};
use super::delivery::{Change, Deploy, Status};
use super::incidents::Incident;
use super::org::Org;
use super::timeline::Timeline;
use crate::metrics::stats::median;
use crate::output::OutputFile;
use crate::period::{containing, Grain};
use chrono::{Days, Months, NaiveDate};
use std::fmt::Write;

const GOVERNANCE: &[(&str, &str, &str)] = &[
    (
        "how-we-use-metrics",
        "How we use these metrics",
        "These figures exist to help teams improve their own systems, not to rank them.\n\n## Principles\n\n- **Team level only.** Every figure describes a team or a service. We do not collect, compute or publish metrics about individual engineers, and nobody may derive them from this data.\n- **No leaderboards.** Teams work on different systems with different risks. A payments service and an internal build tool should not deploy at the same pace. Comparing teams against each other invites gaming; compare a team with its own past instead.\n- **Trends over targets.** A single quarter says little. Look at the direction over several periods, and read the annotations: freezes, launches, migrations and staffing changes explain many moves.\n- **Figures start conversations.** A worse number is a question for the team to answer in its review, never a verdict.\n\n## What we do not do\n\n- Use these figures in performance reviews or promotion cases.\n- Set company-wide targets for deployment frequency or change failure rate.\n- Publish figures outside engineering without the owning team's consent.\n",
    ),
    (
        "data-ownership",
        "Data ownership",
        "## Who owns what\n\n- **Deployment and change data** comes from the CI/CD pipeline and is owned by the Platform team. Report gaps in the platform channel.\n- **Incidents** are recorded by the incident lead and owned by the team that owns the affected service. The team keeps severity, timestamps and `caused_by_deploy` accurate.\n- **SLO definitions** belong to the service's team; the SRE council reviews new SLOs and changes to objectives.\n- **Retros and action items** belong to the team that ran the incident. Action items assigned to another team need that team's agreement.\n- **Metric definitions** are owned by the owner named on each definition page. Changes are recorded in the changelog with a date, and the site marks the change on every chart.\n\n## Corrections\n\nFix data at the source and rebuild the site. Do not edit generated pages.\n",
    ),
    (
        "review-cadence",
        "Review cadence",
        "## Weekly\n\nEach team looks at its SLO budgets and open action items in its on-call handover.\n\n## Monthly\n\nThe SRE council reviews severity 1 and 2 incidents, overdue action items and repeat incidents (named in a retro's `repeats`, or the same specific cause on the same service within 90 days).\n\n## Quarterly\n\nEngineering leadership reads the quarterly report. Each team writes two or three sentences on what moved and why. Metric definition changes are proposed and agreed at this review, and take effect on the first day of a month.\n",
    ),
];

pub fn governance() -> Vec<OutputFile> {
    GOVERNANCE
        .iter()
        .map(|(slug, title, body)| {
            OutputFile::new(
                format!("content/governance/{slug}.md"),
                format!("+++\ntitle = {}\n+++\n\n{body}", quoted(title)),
            )
        })
        .collect()
}

/// Per-team figures for one quarter.
#[derive(Debug, Clone, Default)]
struct TeamQuarter {
    deploys: usize,
    failures: usize,
    leads: Vec<f64>,
    serious: usize,
    restores: Vec<f64>,
}

struct Quarter {
    key: String,
    first: NaiveDate,
    /// Exclusive.
    next: NaiveDate,
}

fn quarter_of(d: NaiveDate) -> Quarter {
    let (first, key) = containing(Grain::Quarter, d);
    Quarter {
        key,
        first,
        next: first + Months::new(3),
    }
}

/// Up to two whole quarters inside the span, newest first, each with a whole previous quarter.
fn report_quarters(tl: &Timeline) -> Vec<(Quarter, Quarter)> {
    let mut q = quarter_of(tl.end);
    if q.next > tl.end + Days::new(1) {
        q = quarter_of(q.first - Days::new(1));
    }
    let mut out = Vec::new();
    while out.len() < 2 {
        let prev = quarter_of(q.first - Days::new(1));
        if prev.first < tl.start {
            break;
        }
        let older = quarter_of(prev.first);
        out.push((q, prev));
        q = older;
    }
    out
}

fn stats(
    q: &Quarter,
    org: &Org,
    clock: &Clock,
    deploys: &[Deploy],
    changes: &[Change],
    incidents: &[Incident],
) -> Vec<TeamQuarter> {
    let mut t = vec![TeamQuarter::default(); org.teams.len()];
    let inside = |ts| {
        let d = clock.local_date(ts);
        q.first <= d && d < q.next
    };
    let team_of = |s: u32| org.services[s as usize].team;
    let mut linked = vec![false; deploys.len()];
    for i in incidents {
        if let Some(d) = i.caused_by {
            linked[d as usize] = true;
        }
    }
    for (k, d) in deploys.iter().enumerate() {
        if d.counted() && inside(d.at) {
            let tq = &mut t[team_of(d.service)];
            tq.deploys += 1;
            tq.failures += usize::from(d.status == Status::RolledBack || linked[k]);
        }
    }
    for c in changes {
        if let Some(d) = c.deploy.map(|d| &deploys[d as usize]) {
            if inside(d.at) {
                t[team_of(c.service)]
                    .leads
                    .push((d.at - c.committed_at) as f64 / 3600.0);
            }
        }
    }
    for i in incidents.iter().filter(|i| inside(i.started)) {
        let tq = &mut t[team_of(i.service)];
        tq.serious += usize::from(i.severity <= 2);
        if let Some(r) = i.resolved {
            tq.restores.push((r - i.started) as f64 / 3600.0);
        }
    }
    t
}

fn trend(now: f64, before: f64, lower_is_better: bool) -> &'static str {
    if before <= 0.0 || ((now - before) / before).abs() < 0.1 {
        return "about the same as";
    }
    match (now > before, lower_is_better) {
        (true, false) | (false, true) => "better than",
        _ => "worse than",
    }
}

pub fn reports(
    org: &Org,
    tl: &Timeline,
    clock: &Clock,
    deploys: &[Deploy],
    changes: &[Change],
    incidents: &[Incident],
) -> Vec<OutputFile> {
    report_quarters(tl)
        .into_iter()
        .map(|(q, prev)| {
            let now = stats(&q, org, clock, deploys, changes, incidents);
            let before = stats(&prev, org, clock, deploys, changes, incidents);
            let text = narrative(&q, &prev, &now, &before, org, tl);
            OutputFile::new(format!("content/reports/{}.md", q.key.to_lowercase()), text)
        })
        .collect()
}

/// "up on", "down on" or "about the same as" (within 10%).
fn direction(now: f64, before: f64) -> &'static str {
    if before <= 0.0 || ((now - before) / before).abs() < 0.1 {
        "about the same as"
    } else if now > before {
        "up on"
    } else {
        "down on"
    }
}

fn narrative(
    q: &Quarter,
    prev: &Quarter,
    now: &[TeamQuarter],
    before: &[TeamQuarter],
    org: &Org,
    tl: &Timeline,
) -> String {
    let title = quoted(&format!("Quarterly report {}", q.key));
    let mut s = format!("+++\ntitle = {title}\nperiod = {}\n+++\n\n", quoted(&q.key));
    let weeks = (q.next - q.first).num_days() as f64 / 7.0;
    let total: usize = now.iter().map(|t| t.deploys).sum();
    let total_before: usize = before.iter().map(|t| t.deploys).sum();
    let serious: usize = now.iter().map(|t| t.serious).sum();
    let _ = writeln!(
        s,
        "## Summary\n\nAcross {} teams we shipped about {} production deployments a week, {} the previous quarter ({}). There were {serious} severity 1-2 incidents.",
        org.teams.len(),
        (total as f64 / weeks).round(),
        direction(total as f64, total_before as f64),
        prev.key,
    );
    let in_q = |d: NaiveDate| q.first <= d && d < q.next;
    if in_q(tl.big_incident) {
        let _ = writeln!(s, "\nThe quarter's defining event was the {} outage on {}: a release broke payments for over four hours and burned most of the service's error budget in an afternoon.", org.services[0].id, tl.big_incident);
    }
    if tl.freezes.iter().any(|(a, b)| in_q(*a) || in_q(*b)) {
        let _ = writeln!(s, "\nThe year-end freeze pulls deployment frequency down for the weeks it covers; changes queued behind it shipped with long lead times in early January.");
    }
    let _ = writeln!(s, "\n## Teams\n");
    for (k, team) in org.teams.iter().enumerate().take(8) {
        team_line(&mut s, &team.name, &now[k], &before[k], weeks);
        if k == tl.intervention.1 && tl.intervention.0 < q.next && tl.intervention.0 >= prev.first {
            let _ = writeln!(
                s,
                "  CI caching, enabled on {}, is the main reason lead time dropped.",
                tl.intervention.0
            );
        }
    }
    let _ = writeln!(s, "\n## Caveats\n\nChange failure rate counts incident-linked deployments since {} (definition version 2); compare with earlier quarters carefully. Figures are team-level by policy; see the governance pages.", tl.definition_change);
    s
}

fn team_line(s: &mut String, name: &str, n: &TeamQuarter, b: &TeamQuarter, weeks: f64) {
    let per_week = n.deploys as f64 / weeks;
    let dir = direction(n.deploys as f64, b.deploys as f64);
    let _ = write!(
        s,
        "- **{name}** deployed about {per_week:.0} times a week, {dir} last quarter"
    );
    if let (Some(a), Some(bf)) = (median(&mut n.leads.clone()), median(&mut b.leads.clone())) {
        let _ = write!(
            s,
            "; median lead time was {a:.0} hours, {} the {bf:.0} hours before",
            trend(a, bf, true)
        );
    }
    if n.deploys > 0 {
        let cfr = 100.0 * n.failures as f64 / n.deploys as f64;
        let _ = write!(s, "; change failure rate {cfr:.0}%");
    }
    s.push_str(".\n");
}
