//! Demo governance and report pages: takes the organisation, timeline and generated
//! deployments, changes and incidents and returns `content/governance/*.md` and
//! `content/reports/*.md` (quarterly narratives that quote the figures by shortcode).

use super::clock::quoted;
use super::org::Org;
use super::timeline::Timeline;
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

pub fn reports(org: &Org, tl: &Timeline) -> Vec<OutputFile> {
    report_quarters(tl)
        .into_iter()
        .enumerate()
        .map(|(i, (q, prev))| {
            let text = narrative(&q, &prev, org, tl, i == 0);
            OutputFile::new(format!("content/reports/{}.md", q.key.to_lowercase()), text)
        })
        .collect()
}

/// `{{ figure(...) }}` of a metric for a scope, this quarter or the previous one.
fn fig(metric: &str, scope: &str, previous: bool) -> String {
    let prev = if previous { ", previous=true" } else { "" };
    format!("{{{{ figure(metric=\"{metric}\", scope=\"{scope}\"{prev}) }}}}")
}

/// A quarter's narrative: context the data cannot give, with every number quoted from the
/// figures by shortcode (so the prose never contradicts the tables), and for the newest
/// quarter two goals.
fn narrative(q: &Quarter, prev: &Quarter, org: &Org, tl: &Timeline, goals: bool) -> String {
    let title = quoted(&format!("Quarterly report {}", q.key));
    let mut s = format!("+++\ntitle = {title}\n");
    if goals {
        s.push_str("\n[[goals]]\nmetric = \"lead_time_median_hours\"\nscope = \"org\"\ntarget_change = -0.10\n\n[[goals]]\nmetric = \"change_failure_rate\"\nscope = \"org\"\ntarget = 0.05\n");
    }
    s.push_str("+++\n\n");
    let _ = writeln!(
        s,
        "## Summary\n\nAcross {} teams we deployed to production {} ({} in {}); median lead time was {} and the change failure rate {}. The tables below say which moves are real and which are noise.",
        org.teams.len(),
        fig("deploys_per_week", "org", false),
        fig("deploys_per_week", "org", true),
        prev.key,
        fig("lead_time_median_hours", "org", false),
        fig("change_failure_rate", "org", false),
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
        let scope = format!("team:{}", team.id);
        let _ = writeln!(
            s,
            "- **{}** deployed {} ({} before); median lead time {} ({} before); change failure rate {}.",
            team.name,
            fig("deploys_per_week", &scope, false),
            fig("deploys_per_week", &scope, true),
            fig("lead_time_median_hours", &scope, false),
            fig("lead_time_median_hours", &scope, true),
            fig("change_failure_rate", &scope, false),
        );
        if k == tl.intervention.1 && tl.intervention.0 < q.next && tl.intervention.0 >= prev.first {
            let _ = writeln!(
                s,
                "  CI caching, enabled on {}, is the main reason lead time dropped.",
                tl.intervention.0
            );
        }
    }
    let _ = writeln!(s, "\n## Caveats\n\nChange failure rate counts incident-linked deployments (definition version 2, in effect since {}); every quarter, before and after, is computed under version 2, and the definition page shows the quarter of the change under both versions. Figures are team-level by policy; see the governance pages.", tl.definition_change);
    s
}
