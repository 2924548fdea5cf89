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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::tests::{full_site, CONFIG};

    #[test]
    fn a_sev1_starting_after_as_of_is_not_marked() {
        // The full test site (as_of 2026-07-15, UTC) has two SEV1 incidents, i1 and i4. Two
        // copies of i4: `edge` starts at 2026-07-15T23:59:59Z, the last second of as_of,
        // and is marked; `late` at 2026-07-16T00:00:00Z, the first second after, is not.
        let dir = full_site();
        let config = crate::config::parse(CONFIG).unwrap();
        let (mut ds, _) = crate::load::load_data(dir.path(), &config, vec![]);
        let cal = Calendar::new(chrono_tz::UTC, "2026-07-15".parse().unwrap());
        let i4 = ds.incidents.iter().find(|i| i.id == "i4").unwrap().clone();
        for (id, at) in [("late", cal.as_of_end), ("edge", cal.as_of_end - 1)] {
            let mut copy = i4.clone();
            copy.id = id.into();
            copy.started_at = at;
            ds.incidents.push(copy);
        }
        let r = crate::metrics::compute(&config, &ds, cal);
        let org = &r.scope("org").unwrap().scope;
        let ids: Vec<&str> = scope_context(&config, &ds, &cal, org)
            .sev1
            .iter()
            .map(|&i| ds.incidents[i as usize].id.as_str())
            .collect();
        assert_eq!(ids, ["i1", "i4", "edge"]);
    }
}
