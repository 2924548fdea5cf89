//! Metric definitions for `demo` and `init`: takes the changelog dates and returns one
//! `content/metrics/<id>.md` per metric, with TOML front matter and a body explaining the
//! definition, its arithmetic and its caveats.

use super::clock::quoted;
use super::timeline::Timeline;
use crate::output::OutputFile;
use chrono::{Days, NaiveDate};
use std::fmt::Write;

struct Def {
    id: &'static str,
    name: &'static str,
    owner: &'static str,
    unit: &'static str,
    better: &'static str,
    tolerance: Option<f64>,
    body: &'static str,
}

const DEFS: &[Def] = &[
    Def {
        id: "deploys_per_week",
        name: "Deployment frequency",
        owner: "platform",
        unit: "per week",
        better: "higher",
        tolerance: Some(0.05),
        body: "How often a team ships to production.\n\n## Definition\n\nThe number of production deployments with status `success` or `rolled_back`, divided by the number of weeks in the period (days / 7). Failed attempts never reached production and are not counted; neither are staging deployments.\n\n## Arithmetic\n\n30 counted deployments in a 91-day quarter give 30 / (91 / 7) = 2.3 per week.\n\n## Caveats\n\n- A team that batches work into fewer, larger deployments looks slower even if it delivers as much.\n- Deploy freezes pull the figure down for the weeks they cover; read it next to the freeze annotations.\n- Counting is per service and summed per team, so teams with more services deploy \"more\".\n",
    },
    Def {
        id: "lead_time_median_hours",
        name: "Lead time for changes",
        owner: "platform",
        unit: "hours",
        better: "lower",
        tolerance: Some(0.05),
        body: "How long a committed change waits before it runs in production.\n\n## Definition\n\nFor every change in `changes.csv` that names a deployment, the time from `committed_at` to that deployment's `deployed_at`. We report the median over the changes deployed in the period.\n\n## Arithmetic\n\nLead times of 2, 5, 9 and 30 hours have a median of (5 + 9) / 2 = 7 hours. The mean (11.5 hours) would be dominated by the one slow change, which is why we use the median.\n\n## Caveats\n\n- Changes not yet deployed are left out, so a growing backlog is invisible until it ships.\n- Changes committed just before a freeze carry the whole freeze in their lead time.\n- Squash-merging shortens lead time on paper: only the final commit is counted.\n",
    },
    Def {
        id: "change_failure_rate",
        name: "Change failure rate",
        owner: "SRE council",
        unit: "ratio",
        better: "lower",
        tolerance: Some(0.05),
        body: "The share of production deployments that caused a failure.\n\n## Definition\n\nSince version 2: a counted production deployment is a failure when its status is `rolled_back`, or when an incident names it in `caused_by_deploy`. The rate is failures divided by counted deployments. Version 1 counted rollbacks only.\n\n## Arithmetic\n\n40 deployments, of which 3 were rolled back and 2 more were named by incidents: (3 + 2) / 40 = 0.125. Under version 1 the same period reads 3 / 40 = 0.075.\n\n## Caveats\n\n- Version 2 reads higher than version 1 would. Every period, before and after the change, is computed under version 2, so the chart is one consistent series; the quarter of the change is shown under both versions below.\n- Linking incidents to deployments is manual; teams that link more diligently look worse.\n- Few deployments make the ratio jumpy: 1 failure in 4 deployments is 25%.\n",
    },
    Def {
        id: "time_to_restore_median_hours",
        name: "Time to restore service",
        owner: "SRE council",
        unit: "hours",
        better: "lower",
        tolerance: Some(0.1),
        body: "How long users are affected when something breaks.\n\n## Definition\n\nFor every incident that started in the period and is resolved by the report date, `resolved_at` minus `started_at`, in hours; the median over those incidents. An incident belongs to the period it started in, like the incident count, so an incident that starts on the last day of a quarter and ends in the next counts in the first. Unresolved incidents are listed separately and not counted.\n\n**Corrected on 2026-12-02.** This definition used to say \"the incidents resolved in the period\". The figures have always counted the incidents that started in the period, as it says now: only the wording changed, and no published figure moved.\n\n## Arithmetic\n\nIncidents lasting 0.5, 1, 2 and 12 hours have a median of (1 + 2) / 2 = 1.5 hours.\n\n## Caveats\n\n- `started_at` is often estimated after the fact from graphs; it is less precise than the detection time.\n- One long low-severity incident barely moves the median, by design; look at the severity breakdown for outliers.\n",
    },
    Def {
        id: "failed_deployment_recovery_median_hours",
        name: "Failed deployment recovery time",
        owner: "SRE council",
        unit: "hours",
        better: "lower",
        tolerance: Some(0.1),
        body: "How quickly we recover from a deployment that went wrong (the DORA 2024 replacement for time to restore).\n\n## Definition\n\nFor every incident that started in the period, is resolved by the report date and names a counted deployment in `caused_by_deploy`, the time from the deployment's `deployed_at` to the incident's `resolved_at`; the median over those incidents.\n\n**Corrected on 2026-12-02.** This definition used to say \"the median over the period\". The figures have always counted the incidents that started in the period, as it says now: only the wording changed, and no published figure moved.\n\n## Arithmetic\n\nThree deployment-caused incidents resolved 0.4, 0.9 and 3 hours after their deployments give a median of 0.9 hours.\n\n## Caveats\n\n- Rollbacks that did not lead to an incident are not counted, because they have no end time.\n- The figure depends on how reliably incidents are linked to deployments.\n",
    },
    Def {
        id: "rework_rate",
        name: "Rework rate",
        owner: "platform",
        unit: "ratio",
        better: "lower",
        tolerance: Some(0.05),
        body: "The share of deployments that were unplanned fixes for user-facing bugs.\n\n## Definition\n\nCounted production deployments with `rework = true`, divided by all counted production deployments.\n\n## Arithmetic\n\n4 rework deployments out of 80: 4 / 80 = 0.05.\n\n## Caveats\n\n- The flag is set by the engineer deploying; it is a judgement call, and teams calibrate it differently.\n- A hotfix that ships together with planned work is counted once, as rework.\n",
    },
    Def {
        id: "retro_within_72h_rate",
        name: "Retro within 72 hours",
        owner: "SRE council",
        unit: "ratio",
        better: "higher",
        tolerance: None,
        body: "Whether we learn from serious incidents while memories are fresh.\n\n## Definition\n\nFor severity 1 and 2 incidents that started in the period and are resolved by the report date, the share whose retro was published within 72 hours of `resolved_at`. An incident without a retro counts as not within 72 hours.\n\n**Corrected on 2026-12-02.** This definition used to say \"severity 1 and 2 incidents resolved in the period\". The figures have always counted the incidents that started in the period, as it says now: only the wording changed, and no published figure moved.\n\n## Arithmetic\n\n5 severity 1-2 incidents; 3 retros within 72 hours, 1 after five days, 1 missing: 3 / 5 = 0.6.\n\n## Caveats\n\n- Incidents resolved in the last three days of a period can still meet the target after the period ends; the figure for the current period is provisional.\n- A rushed retro is worse than a late one. Treat this as a prompt, not a target.\n",
    },
    Def {
        id: "action_items_on_time_rate",
        name: "Action items done on time",
        owner: "SRE council",
        unit: "ratio",
        better: "higher",
        tolerance: None,
        body: "Whether retro action items get done by the date the team committed to.\n\n## Definition\n\nAction items due in the period: done on or before their due date, divided by all items due in the period. Items still open after their due date count as not on time.\n\n## Arithmetic\n\n10 items due: 7 done on time, 2 done late, 1 still open: 7 / 10 = 0.7.\n\n## Caveats\n\n- Teams can make this look good by setting generous due dates; read it next to the age of open items.\n- Items handed to another team are counted for the team named in `team`.\n",
    },
];

/// When the definitions changed: version 1 of every metric, version 2 of change failure
/// rate and of time to restore.
#[derive(Debug, Clone, Copy)]
pub struct Changes {
    pub first: NaiveDate,
    pub change_failure_rate_v2: NaiveDate,
}

impl Changes {
    /// The demo's dates: version 1 half a year before the data, change failure rate's
    /// version 2 inside it.
    fn of(tl: &Timeline) -> Changes {
        Changes {
            first: tl.start - Days::new(180),
            change_failure_rate_v2: tl.definition_change,
        }
    }
}

/// The demo's `content/metrics/*.md` files.
/// `platform` is the id of the team that owns delivery metrics.
pub fn generate(tl: &Timeline, platform: &str) -> Vec<OutputFile> {
    definitions(Changes::of(tl), platform)
}

/// Every metric's definition page, the changelog dated by `dates`; `platform` owns the
/// delivery metrics.
pub fn definitions(dates: Changes, platform: &str) -> Vec<OutputFile> {
    DEFS.iter()
        .map(|d| {
            OutputFile::new(
                format!("content/metrics/{}.md", d.id),
                render(d, dates, platform),
            )
        })
        .collect()
}

fn changelog(d: &Def, dates: Changes) -> Vec<(&'static str, NaiveDate, String)> {
    let before = dates.first;
    match d.id {
        "change_failure_rate" => vec![
            (
                "1",
                before,
                "First version: rolled-back deployments over counted production deployments."
                    .into(),
            ),
            (
                "2",
                dates.change_failure_rate_v2,
                "Also count successful deployments that an incident names in caused_by_deploy."
                    .into(),
            ),
        ],
        _ => vec![(
            "1",
            before,
            format!("First version of {}.", d.name.to_lowercase()),
        )],
    }
}

fn render(d: &Def, dates: Changes, platform: &str) -> String {
    let owner = if d.owner == "platform" {
        platform
    } else {
        d.owner
    };
    let log = changelog(d, dates);
    let version = log.last().map_or("1", |e| e.0);
    let mut s = String::from("+++\n");
    let _ = writeln!(
        s,
        "id = {}\nname = {}\nversion = {}",
        quoted(d.id),
        quoted(d.name),
        quoted(version)
    );
    let _ = writeln!(
        s,
        "owner = {}\nunit = {}\nbetter = {}",
        quoted(owner),
        quoted(d.unit),
        quoted(d.better)
    );
    if let Some(t) = d.tolerance {
        let _ = writeln!(s, "tolerance = {t}");
    }
    for (v, date, note) in &log {
        let _ = writeln!(
            s,
            "\n[[changelog]]\nversion = {}\ndate = {date}\nnote = {}",
            quoted(v),
            quoted(note)
        );
    }
    s.push_str("+++\n\n");
    s.push_str(d.body);
    s
}
