//! Demo prose pools: takes an incident cause index (see `incidents::CAUSES`) and returns
//! the phrases retros are assembled from (symptoms, contributing factors, action items, the
//! paragraph naming a repeated incident).

/// How users experienced an incident of each cause.
pub fn symptoms(cause: usize) -> &'static [&'static str] {
    match cause {
        0 => &[
            "returned server errors for a share of requests after a release",
            "started failing requests that took a code path changed in the latest release",
            "rejected valid requests after a release changed input validation",
        ],
        1 => &[
            "rejected or timed out requests after a configuration change",
            "served errors to a subset of users after a feature flag was flipped",
        ],
        2 => &[
            "slowed down and then timed out because a dependency stopped responding",
            "degraded while an upstream provider was failing intermittently",
        ],
        3 => &[
            "ran out of headroom during a traffic peak and shed requests",
            "slowed down as its database hit its connection limit",
        ],
        4 => &[
            "refused connections because a TLS certificate had expired",
            "failed calls to internal services after a certificate lapsed",
        ],
        _ => &[
            "served slow and partly stale responses while a data migration ran",
            "locked up writes during a schema migration",
        ],
    }
}

/// Contributing factors, several of which are drawn per retro.
pub fn factors(cause: usize) -> &'static [&'static str] {
    match cause {
        0 => &[
            "The failing code path was not covered by the integration test suite.",
            "The canary stage ran for five minutes, too short to see the error rate climb under real traffic.",
            "The change was large: several unrelated fixes shipped in one deployment, which slowed down diagnosis.",
            "Automatic rollback was not enabled for this service, so reverting needed a manual step.",
            "The staging environment uses a small, synthetic data set that did not contain the triggering case.",
        ],
        1 => &[
            "Configuration changes bypass the review that code changes get.",
            "The configuration was applied to all regions at once rather than progressively.",
            "There was no validation of the new value before it was pushed.",
            "The dashboard that would have shown the effect lives outside the service's runbook.",
        ],
        2 => &[
            "Client timeouts were longer than the upstream's own, so requests queued instead of failing fast.",
            "Retries had no jitter and multiplied the load on the struggling dependency.",
            "There was no fallback for the dependency, although a cached answer would have been acceptable.",
            "The dependency's status page lagged behind the actual outage by about half an hour.",
        ],
        3 => &[
            "Autoscaling limits were set a year ago and never revisited as traffic grew.",
            "The load test before the peak used last quarter's traffic profile.",
            "Connection pools were sized per instance, so scaling out exhausted the database's connection limit.",
            "Capacity alerts fired on averages and missed the short spikes.",
        ],
        4 => &[
            "The certificate was issued manually and not tracked by the renewal automation.",
            "The expiry warning went to a mailing list nobody reads any more.",
            "The certificate inventory did not include internal endpoints.",
        ],
        _ => &[
            "The migration was tested against a copy of production that was a tenth of the real size.",
            "The backfill had no rate limit and competed with live traffic for the primary database.",
            "There was no quick way to pause the migration without losing progress.",
            "The migration window overlapped with a batch job nobody had listed as a dependency.",
        ],
    }
}

/// Action item titles suited to each cause.
pub fn actions(cause: usize) -> &'static [&'static str] {
    match cause {
        0 => &[
            "Add an integration test for the failing request path",
            "Extend the canary stage to 20 minutes with an error-rate gate",
            "Enable automatic rollback on error-rate regression",
            "Split large releases: one logical change per deployment",
            "Seed staging with anonymised production-shaped data",
        ],
        1 => &[
            "Route configuration changes through code review",
            "Roll out configuration region by region",
            "Validate configuration values in CI before they are applied",
            "Link the service dashboard from the runbook",
        ],
        2 => &[
            "Set client timeouts below the dependency's timeout",
            "Add jittered exponential backoff to retries",
            "Serve cached responses when the dependency is down",
            "Subscribe the on-call channel to the provider's incident feed",
        ],
        3 => &[
            "Review autoscaling limits every quarter",
            "Load-test with this year's peak traffic profile",
            "Put a connection pooler in front of the database",
            "Alert on p99 saturation, not averages",
        ],
        4 => &[
            "Move the certificate to automated renewal",
            "Send expiry warnings to the team's on-call channel",
            "Add internal endpoints to the certificate inventory",
        ],
        _ => &[
            "Rate-limit backfills and make them pausable",
            "Rehearse migrations on a full-size copy of production",
            "Write a migration checklist that lists batch jobs and owners",
        ],
    }
}

pub const WENT_WELL: &[&str] = &[
    "The alert fired within minutes and pointed at the right service.",
    "The rollback procedure worked first time.",
    "Customer support was told early and had a status message ready.",
    "The incident channel stayed focused: one incident lead, one scribe.",
    "The runbook for this failure mode was up to date.",
    "Engineers from two teams joined quickly and split the investigation sensibly.",
    "Dashboards made the start of the problem easy to pinpoint.",
    "The status page was updated within fifteen minutes.",
];

/// The paragraph of a retro that names the incident it repeats (`{id}`, its local `{date}`,
/// the `{svc}`).
pub const REPEATS: &[&str] = &[
    "This incident repeats {id} of {date}: the same failure mode on {svc}. The follow-up from then did not cover this path, so this review looks again at those action items.",
    "{svc} failed the same way on {date} ({id}). We treat this as a repeat: the fix from that review addressed the symptom, not the mechanism.",
];

pub const DETECTED_BY: &[&str] = &[
    "by the error-rate alert",
    "by the SLO burn-rate alert",
    "by a synthetic check",
    "when customer support escalated user reports",
];

/// How the incident was brought under control, by cause.
pub fn mitigations(cause: usize) -> &'static [&'static str] {
    match cause {
        0 => &[
            "The deployment is rolled back",
            "The new code path is switched off with a feature flag",
            "Traffic shifts away from the canary instances and the release is reverted",
        ],
        1 => &[
            "The configuration change is reverted",
            "The flag is switched back for all users",
        ],
        2 => &[
            "Retries are disabled and cached responses served until the dependency recovers",
            "Traffic fails over to the secondary provider",
        ],
        3 => &[
            "Capacity is added and queues start draining",
            "Batch jobs are paused to free database connections",
        ],
        4 => &["A new certificate is issued and rolled out"],
        _ => &[
            "The migration is paused and the backfill throttled",
            "The table lock is released by cancelling the migration",
        ],
    }
}
