//! `almanac init`: returns the files of a new, minimal report repository as `OutputFile`s:
//! `almanac.toml`, a few rows of sample data in every contract file, the metric
//! definitions and governance pages of the demo generator, a retro, a quarterly report
//! template, a `.gitignore` for `site/` and the ready GitHub workflow. It builds and
//! checks clean as written; `main` refuses a non-empty folder and writes them.

use crate::demo::{docs, metric_docs};
use crate::output::OutputFile;
use chrono::NaiveDate;

const CONFIG: &str = r#"# Your report site. Every key is described in the README's data contract.
title = "Our engineering report"
timezone = "UTC"

[[team]]
id = "core"
name = "Core"
services = ["api", "web"]

[[slo]]
id = "api-availability"
service = "api"
objective = 0.999
window = "28d"
description = "Requests to api succeed (non-5xx responses)"

# Questions a quarterly report asks when a metric moved the wrong way.
[coaching]
lead_time_median_hours = ["Where does work wait: review, QA, approvals, rework?"]
change_failure_rate = ["Which failures shared a cause, and what would have caught them earlier?"]
"#;

const DEPLOYMENTS: &str = "deploy_id,service,environment,status,deployed_at,rework
d-001,api,production,success,2026-02-03T10:00:00Z,false
d-002,web,production,success,2026-02-17T14:30:00Z,false
d-003,api,production,rolled_back,2026-03-10T09:15:00Z,false
d-004,api,production,success,2026-04-07T11:00:00Z,false
d-005,web,production,success,2026-04-21T16:45:00Z,true
d-006,api,production,success,2026-05-12T08:30:00Z,false
d-007,api,staging,success,2026-06-02T09:00:00Z,false
d-008,web,production,success,2026-06-16T13:20:00Z,false
";

const CHANGES: &str = "change_id,service,committed_at,deploy_id
c-001,api,2026-02-02T15:00:00Z,d-001
c-002,web,2026-02-16T10:00:00Z,d-002
c-003,api,2026-03-09T17:40:00Z,d-003
c-004,api,2026-04-06T12:00:00Z,d-004
c-005,web,2026-04-21T11:10:00Z,d-005
c-006,api,2026-05-11T16:00:00Z,d-006
c-007,web,2026-06-15T09:30:00Z,d-008
c-008,api,2026-06-29T15:00:00Z,
";

const INCIDENTS: &str = "incident_id,service,severity,started_at,detected_at,resolved_at,caused_by_deploy,cause,title
INC-1,api,3,2026-03-10T09:40:00Z,2026-03-10T09:50:00Z,2026-03-10T10:20:00Z,d-003,config-change,Slow responses after a configuration change
INC-2,api,2,2026-05-12T09:00:00Z,2026-05-12T09:05:00Z,2026-05-12T10:30:00Z,d-006,bad-release,Checkout requests failed after a release
";

const SLI: &str = "slo,timestamp,good,total
api-availability,2026-06-27T00:00:00Z,99950,100000
api-availability,2026-06-28T00:00:00Z,99990,100000
api-availability,2026-06-29T00:00:00Z,99970,100000
api-availability,2026-06-30T00:00:00Z,99995,100000
";

const ANNOTATIONS: &str = "date,end_date,scope,kind,title,link
2026-04-01,,core,intervention,Deployments made self-service for the Core team,
";

const PAGES: &str = "page_id,service,paged_at,actionable,after_hours
p-001,api,2026-03-10T09:45:00Z,true,false
p-002,api,2026-05-12T09:04:00Z,true,false
p-003,web,2026-06-03T02:10:00Z,false,true
";

const RETRO: &str = r#"+++
title = "Retro: checkout requests failed after a release"
incident = "INC-2"
published_at = 2026-05-13T15:00:00Z

[[action_items]]
title = "Add a canary stage to api deployments"
team = "core"
due = 2026-06-15
done = 2026-06-10
+++

## Summary

What happened, who was affected and for how long. A retro is blameless: it asks how our
systems and processes allowed this, not who is at fault.

## Timeline

- 09:00 a release of api starts failing checkout requests
- 09:05 an alert fires
- 10:30 the release is rolled forward with a fix

## Contributing factors

- The release had no canary stage.

## What went well

## Action items

Listed in the front matter, each with a team and a due date.
"#;

const REPORT: &str = r#"+++
title = "Quarterly report 2026-Q2"

# Goals for the quarter: a `target` value, or a `target_change` on the previous quarter.
[[goals]]
metric = "lead_time_median_hours"
scope = "org"
target_change = -0.10
+++

## Summary

Two or three sentences on what moved this quarter and why. Quote figures instead of retyping
them: we deployed to production {{ figure(metric="deploys_per_week", scope="org") }}
({{ figure(metric="deploys_per_week", scope="org", previous=true) }} the quarter before).
The generated tables below show every figure against the previous quarter.

## Teams

- **Core**: what changed, what the team learned, what it will do next.

## Caveats

Definition changes, data gaps and anything a reader should know before comparing quarters.
When the quarter is over and reviewed, freeze it with `almanac publish 2026-Q2`.
"#;

const GITIGNORE: &str = "# The built site: `almanac build` writes it.\nsite/\n";

/// The ready workflow for a report repository (build, check with annotations, diff on pull
/// requests, the site published on the main branch).
pub const WORKFLOW: &str = include_str!("../docs/workflows/almanac.yml");

/// Every file of a new report repository, relative to its root.
pub fn files() -> Vec<OutputFile> {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a valid date");
    let mut files = vec![
        OutputFile::new("almanac.toml", CONFIG),
        OutputFile::new(".gitignore", GITIGNORE),
        OutputFile::new(".github/workflows/almanac.yml", WORKFLOW),
        OutputFile::new("data/deployments.csv", DEPLOYMENTS),
        OutputFile::new("data/changes.csv", CHANGES),
        OutputFile::new("data/incidents.csv", INCIDENTS),
        OutputFile::new("data/sli.csv", SLI),
        OutputFile::new("data/annotations.csv", ANNOTATIONS),
        OutputFile::new("data/pages.csv", PAGES),
        OutputFile::new("content/retros/INC-2.md", RETRO),
        OutputFile::new("content/reports/2026-q2.md", REPORT),
    ];
    files.extend(metric_docs::definitions(
        metric_docs::Changes {
            first: date(2025, 1, 1),
            change_failure_rate_v2: date(2025, 7, 1),
        },
        "core",
    ));
    files.extend(docs::governance());
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_contract_data_file_has_sample_rows() {
        let files = files();
        for table in crate::load::tables::TABLES {
            let f = files
                .iter()
                .find(|f| f.path == table.path())
                .unwrap_or_else(|| panic!("{} missing", table.path()));
            let text = String::from_utf8_lossy(&f.bytes);
            // A header and at least one row.
            assert!(text.lines().count() >= 2, "{}", table.path());
        }
    }
}
