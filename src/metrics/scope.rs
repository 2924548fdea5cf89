//! Scopes: takes the `Config` and `Dataset` and returns the org, team and service scopes,
//! and for one scope its time-sorted events (`ScopeEvents`) gathered from the `Index`,
//! and whether an annotation's scope covers a scope (`applies`).

use crate::config::Config;
use crate::metrics::index::{in_time_order, Index, ItemFact};
use crate::model::{Dataset, Scope, Ts};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScopeKind {
    Org,
    Team,
    Service,
}

/// A scope of figures: the org (all services), a team (its services) or one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeDef {
    /// `org`, `team:ID` or `service:ID`.
    pub key: String,
    pub kind: ScopeKind,
    pub id: String,
    pub name: String,
    /// Service ids (into `Dataset::services`), ascending.
    pub services: Vec<u32>,
}

/// Every scope: the org, then teams in config order, then services by id.
pub fn all_scopes(config: &Config, ds: &Dataset) -> Vec<ScopeDef> {
    let mut out = vec![ScopeDef {
        key: "org".into(),
        kind: ScopeKind::Org,
        id: "org".into(),
        name: config.title.clone(),
        services: (0..ds.services.len() as u32).collect(),
    }];
    for team in &config.teams {
        let mut services: Vec<u32> = team
            .services
            .iter()
            .filter_map(|s| ds.services.get(s))
            .collect();
        services.sort_unstable();
        out.push(ScopeDef {
            key: format!("team:{}", team.id),
            kind: ScopeKind::Team,
            id: team.id.clone(),
            name: team.name.clone(),
            services,
        });
    }
    let mut names: Vec<&String> = ds.services.names().iter().collect();
    names.sort();
    for name in names {
        out.push(ScopeDef {
            key: format!("service:{name}"),
            kind: ScopeKind::Service,
            id: name.clone(),
            name: name.clone(),
            services: vec![ds.services.get(name).expect("interned")],
        });
    }
    out
}

/// Looks a scope up by `org`, `team:ID` or `service:ID`.
pub fn find<'a>(scopes: &'a [ScopeDef], key: &str) -> Option<&'a ScopeDef> {
    scopes.iter().find(|s| s.key == key)
}

/// One scope's events, each list sorted by time (with a parallel timestamp list for
/// range lookups).
#[derive(Debug, Default)]
pub struct ScopeEvents {
    pub deploys: Vec<u32>,
    pub deploy_at: Vec<Ts>,
    /// The lead times of `deploys`' changes, deployment after deployment
    /// (`Index::lead_times`); those of `deploys[a..b]` are `leads[lead_at[a]..lead_at[b]]`.
    pub leads: Vec<f64>,
    pub lead_at: Vec<usize>,
    pub failed_attempts: Vec<Ts>,
    pub incidents: Vec<u32>,
    pub incident_at: Vec<Ts>,
    pub items: Vec<ItemFact>,
    pub pages: Vec<u32>,
    pub page_at: Vec<Ts>,
    /// The SLOs of the scope's services (indices into `Dataset::slos`).
    pub slos: Vec<u32>,
}

impl ScopeEvents {
    pub fn gather(ix: &Index, scope: &ScopeDef) -> ScopeEvents {
        let ds = ix.ds;
        let services = &scope.services;
        // Each service's list is sorted already: the lists are merged by time (a stable
        // sort finds the runs), side by side.
        let ((deploys, incidents), (pages, (failed_attempts, items))) = rayon::join(
            || {
                rayon::join(
                    || by_time(&ix.deploys, services, |i| ds.deployments[i].at),
                    || by_time(&ix.incidents, services, |i| ds.incidents[i].started_at),
                )
            },
            || {
                rayon::join(
                    || by_time(&ix.pages, services, |i| ds.pages[i].at),
                    || {
                        let mut failed = concat(&ix.failed_attempts, services);
                        failed.sort_unstable();
                        let mut items = concat(&ix.items, services);
                        items.sort_unstable_by_key(|f| (f.due, f.done));
                        (failed, items)
                    },
                )
            },
        );
        let mut lead_at = Vec::with_capacity(deploys.len() + 1);
        lead_at.push(0);
        let mut leads = Vec::new();
        for &d in &deploys {
            leads.extend_from_slice(ix.lead_times(d));
            lead_at.push(leads.len());
        }
        ScopeEvents {
            leads,
            lead_at,
            deploy_at: deploys
                .iter()
                .map(|&i| ds.deployments[i as usize].at)
                .collect(),
            deploys,
            failed_attempts,
            incident_at: incidents
                .iter()
                .map(|&i| ds.incidents[i as usize].started_at)
                .collect(),
            incidents,
            items,
            page_at: pages.iter().map(|&i| ds.pages[i as usize].at).collect(),
            pages,
            slos: (0..ds.slos.len() as u32)
                .filter(|&i| {
                    scope.kind == ScopeKind::Org
                        || ds
                            .services
                            .get(&ds.slos[i as usize].service)
                            .is_some_and(|s| scope.services.contains(&s))
                })
                .collect(),
        }
    }
}

/// The event indices of `services`' lists, by (time, index); `at(i)` is event `i`'s time.
fn by_time(per_service: &[Vec<u32>], services: &[u32], at: impl Fn(usize) -> Ts) -> Vec<u32> {
    let mut keyed: Vec<(Ts, u32)> = Vec::with_capacity(
        services
            .iter()
            .map(|&s| per_service[s as usize].len())
            .sum(),
    );
    for &s in services {
        keyed.extend(per_service[s as usize].iter().map(|&i| (at(i as usize), i)));
    }
    in_time_order(keyed)
}

fn concat<T: Copy>(per_service: &[Vec<T>], services: &[u32]) -> Vec<T> {
    let mut out = Vec::with_capacity(
        services
            .iter()
            .map(|&s| per_service[s as usize].len())
            .sum(),
    );
    for &s in services {
        out.extend_from_slice(&per_service[s as usize]);
    }
    out
}

/// The index range of sorted timestamps within `[start, end)`.
pub fn range(sorted: &[Ts], start: Ts, end: Ts) -> std::ops::Range<usize> {
    sorted.partition_point(|&t| t < start)..sorted.partition_point(|&t| t < end)
}

/// Whether an annotation with scope `on` belongs on the charts of `scope`.
pub fn applies(on: &Scope, scope: &ScopeDef, ds: &Dataset, config: &Config) -> bool {
    match on {
        Scope::Org => true,
        Scope::Team(team) => match scope.kind {
            ScopeKind::Org => false,
            ScopeKind::Team => scope.id == *team,
            ScopeKind::Service => scope
                .services
                .first()
                .and_then(|&s| ds.service_team[s as usize])
                .is_some_and(|t| config.teams[t as usize].id == *team),
        },
        Scope::Service(service) => scope.kind == ScopeKind::Service && scope.id == *service,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::Calendar;
    use std::path::Path;

    #[test]
    fn scopes_come_in_order_and_each_service_has_only_its_own_slos() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/slo");
        let (loaded, _) =
            crate::pipeline::load(&root, None).unwrap_or_else(|d| panic!("{:?}", d.sorted()));
        let ds = &loaded.ds;
        let scopes = all_scopes(&loaded.config, ds);
        // The org, the fixture's one team (shop: api and web), then the services by name.
        let keys: Vec<&str> = scopes.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["org", "team:shop", "service:api", "service:web"]);
        // `find` returns the scope with that key (not the first with another key).
        assert_eq!(find(&scopes, "org").map(|s| s.kind), Some(ScopeKind::Org));
        assert_eq!(
            find(&scopes, "service:web").map(|s| s.id.as_str()),
            Some("web")
        );
        assert_eq!(find(&scopes, "team:nope"), None);
        // The SLOs: api-availability and api-latency-slices (almanac.toml) of api;
        // web-month (almanac.toml) and web-latency (data/slos/web.yaml) of web. The org and
        // the team have all four; each service only its own two.
        let ix = Index::new(
            ds,
            Calendar::new(loaded.config.timezone, loaded.config.as_of.unwrap()),
        );
        let slos = |key: &str| {
            let ev = ScopeEvents::gather(&ix, find(&scopes, key).unwrap());
            let mut ids: Vec<&str> = ev
                .slos
                .iter()
                .map(|&i| ds.slos[i as usize].id.as_str())
                .collect();
            ids.sort_unstable();
            ids
        };
        let all = [
            "api-availability",
            "api-latency-slices",
            "web-latency",
            "web-month",
        ];
        assert_eq!(slos("org"), all);
        assert_eq!(slos("team:shop"), all);
        assert_eq!(
            slos("service:api"),
            ["api-availability", "api-latency-slices"]
        );
        assert_eq!(slos("service:web"), ["web-latency", "web-month"]);
    }
}
