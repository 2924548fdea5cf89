//! `almanac demo`: takes `DemoOptions` (seed, size, end date) and returns a complete,
//! deterministic example site as `OutputFile`s (config, CSV data, retros, metric
//! definitions, governance and report pages, weekly review decisions). Same options, same
//! bytes.

mod clock;
mod delivery;
pub(crate) mod docs;
mod incidents;
pub(crate) mod metric_docs;
mod org;
mod prose;
mod retros;
mod reviews;
mod rng;
mod slo;
#[cfg(test)]
mod tests;
mod timeline;

use crate::output::OutputFile;
use chrono::NaiveDate;
use clock::Clock;
use timeline::Timeline;

/// What to generate. `end` is a fixed date, never the clock.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoOptions {
    pub seed: u64,
    pub teams: u32,
    pub services_per_team: u32,
    pub months: u32,
    /// Last day with data (inclusive).
    pub end: NaiveDate,
    /// Scales the chance of every incident but the big-deploy ones (1 = the example's
    /// rates); benchmarks use it to match a stated workload.
    pub incident_rate: f64,
    /// Scales every service's deployment pace, and with it the changes (1 = the example's).
    pub deploy_rate: f64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            seed: 42,
            teams: 4,
            services_per_team: 3,
            months: 18,
            end: NaiveDate::from_ymd_opt(2026, 9, 30).expect("valid date"),
            incident_rate: 1.0,
            deploy_rate: 1.0,
        }
    }
}

/// Generates the demo site. Zero teams, services or months are treated as one.
pub fn generate(opts: &DemoOptions) -> Vec<OutputFile> {
    let opts = DemoOptions {
        teams: opts.teams.max(1),
        services_per_team: opts.services_per_team.max(1),
        months: opts.months.max(1),
        ..opts.clone()
    };
    let seed = opts.seed;
    let org = org::build(&opts);
    let tz: chrono_tz::Tz = org::TIMEZONE.parse().unwrap_or(chrono_tz::UTC);
    let start = timeline::span_start(opts.end, opts.months);
    let clock = Clock::new(tz, start, opts.end, 400);
    let tl = Timeline::build(&opts, &clock);
    let delivery = delivery::generate(seed, &org, &tl, &clock, opts.deploy_rate);
    let incidents = incidents::generate(
        seed,
        &org,
        &tl,
        &clock,
        &delivery.deploys,
        opts.incident_rate,
    );
    let pages = incidents::pages(seed, &org, &tl, &clock, &incidents);
    let big_id = incidents.iter().find(|i| i.big).map(|i| i.id.as_str());
    let platform = &org.teams[2 % org.teams.len()].id;

    let mut files = vec![
        OutputFile::new("almanac.toml", org::almanac_toml(&org)),
        OutputFile::new(
            "data/deployments.csv",
            delivery::deployments_csv(&org, &delivery.deploys, &clock),
        ),
        OutputFile::new(
            "data/changes.csv",
            delivery::changes_csv(seed, &org, &delivery.changes),
        ),
        OutputFile::new(
            "data/incidents.csv",
            incidents::incidents_csv(&org, &incidents, &clock),
        ),
        OutputFile::new(
            "data/sli.csv",
            slo::sli_csv(seed, &org, &tl, &clock, &incidents),
        ),
        OutputFile::new(
            "data/annotations.csv",
            timeline::annotations_csv(&tl, &org, big_id),
        ),
        OutputFile::new("data/pages.csv", incidents::pages_csv(&org, &pages, &clock)),
    ];
    files.extend(retros::generate(
        seed,
        &org,
        &tl,
        &clock,
        &incidents,
        &delivery.deploys,
    ));
    files.extend(metric_docs::generate(&tl, platform));
    files.extend(docs::governance());
    files.extend(docs::reports(&org, &tl));
    files.extend(reviews::generate(&org, opts.end));
    files
}
