//! Chart context: takes the config, the dataset, the report date and one scope and returns
//! the annotations and severity 1 incidents that belong on that scope's charts, as indices
//! into the dataset (`ScopeContext`). The rule is written once here (`scope::applies`).

use crate::config::Config;
use crate::metrics::scope::{applies, ScopeDef, ScopeKind};
use crate::model::Dataset;
use crate::period::Calendar;

/// What a scope's charts mark besides its figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeContext {
    /// Indices into `Dataset::annotations`: the org's on every scope, a team's on the team
    /// and its services, a service's on that service; in file order.
    pub annotations: Vec<u32>,
    /// Indices into `Dataset::incidents`: the severity 1 incidents started by as_of on the
    /// scope's services (on the org: every one, as the README promises); in file order.
    pub sev1: Vec<u32>,
}

pub fn scope_context(
    config: &Config,
    ds: &Dataset,
    cal: &Calendar,
    scope: &ScopeDef,
) -> ScopeContext {
    let annotations = (0..ds.annotations.len() as u32)
        .filter(|&i| applies(&ds.annotations[i as usize].scope, scope, ds, config))
        .collect();
    let sev1 = (0..ds.incidents.len() as u32)
        .filter(|&i| {
            let inc = &ds.incidents[i as usize];
            inc.severity == 1
                && inc.started_at < cal.as_of_end
                && (scope.kind == ScopeKind::Org || scope.services.contains(&inc.service))
        })
        .collect();
    ScopeContext { annotations, sev1 }
}
