//! Service merge: takes each data table's own service list and returns one site-wide
//! service table (config services first, then new ones in file order), the rows renumbered
//! into it, the owning team of each service, and the unowned services: an error for a near
//! miss of a team's service, one warning listing the others.

use crate::config::{Config, Team};
use crate::diag::similar::closest;
use crate::diag::Diagnostics;
use crate::load::delivery::Services;
use crate::model::{Dataset, Interner};
use crate::output::slug;
use std::collections::BTreeMap;

/// A row that names a service by id.
pub trait ServiceRow {
    fn service_mut(&mut self) -> &mut u32;
}

macro_rules! service_row {
    ($($t:ty),*) => {
        $(impl ServiceRow for $t {
            fn service_mut(&mut self) -> &mut u32 {
                &mut self.service
            }
        })*
    };
}
service_row!(
    crate::model::Deployment,
    crate::model::Change,
    crate::model::Incident,
    crate::model::PageEvent
);

/// Builds the global service table from the per-file ones.
pub struct ServiceMerger {
    all: Services,
    /// The file where each non-config service first appeared (aligned with `all.first_at`).
    paths: Vec<&'static str>,
}

impl ServiceMerger {
    pub fn new(base: &Interner) -> Self {
        ServiceMerger {
            all: Services::from_base(base),
            paths: Vec::new(),
        }
    }

    /// Takes a file's rows, renumbering their services into the global table.
    pub fn adopt<T: ServiceRow>(
        &mut self,
        local: &Services,
        path: &'static str,
        mut rows: Vec<T>,
    ) -> Vec<T> {
        let map = self.all.absorb(local);
        self.paths.resize(self.all.first_at.len(), path);
        for r in &mut rows {
            let s = r.service_mut();
            *s = map[*s as usize];
        }
        rows
    }

    /// Every service adopted so far.
    pub fn names(&self) -> &Interner {
        &self.all.names
    }

    /// Reports the services no team owns. One that is a near miss of a team's service
    /// (`similar::closest`) is an error at the line where it first appears, with the hint;
    /// the others are one warning listing each with its row count and first line.
    pub fn warn_unowned(&self, teams: &[Team], diags: &mut Diagnostics) {
        let owned: Vec<&str> = teams
            .iter()
            .flat_map(|t| t.services.iter().map(String::as_str))
            .collect();
        let base_len = self.all.names.len() - self.all.first_at.len();
        let mut others = Vec::new();
        for (i, (path, first)) in self.paths.iter().zip(&self.all.first_at).enumerate() {
            let line = first.line;
            let id = base_len + i;
            let name = self.all.names.name(id as u32);
            let rows = self.all.rows.get(id).copied().unwrap_or(0);
            let at = Some(*first);
            match closest(name, owned.iter().copied()) {
                Some(known) => diags.error(
                    path,
                    at,
                    format!("service `{name}` ({rows} row{}) is not owned by any team; did you mean {known}? Fix the name, or add `{name}` to a [[team]]'s services in almanac.toml", plural(rows)),
                ),
                None => others.push((path, at, format!("`{name}` ({rows} row{}, first at {path}:{line})", plural(rows)))),
            }
        }
        if let Some((path, at, _)) = others.first() {
            let n = others.len();
            let list: Vec<&str> = others.iter().map(|(_, _, s)| s.as_str()).collect();
            diags.warn(
                path,
                *at,
                format!(
                    "{n} service{} not owned by any team: {}; add {} to a [[team]]'s services in almanac.toml",
                    if n == 1 { " is" } else { "s are" },
                    list.join(", "),
                    if n == 1 { "it" } else { "them" },
                ),
            );
        }
    }

    /// Services become pages: two ids that differ only in case or punctuation would share
    /// one. Reported at the first row of the later service (the config's own services come
    /// first, so the later one is always a data row's).
    pub fn page_clashes(&self, diags: &mut Diagnostics) {
        let base_len = self.all.names.len() - self.all.first_at.len();
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for id in 0..self.all.names.len() {
            let name = self.all.names.name(id as u32);
            let Some(other) = seen.insert(slug(name), name) else {
                continue;
            };
            // Two of the config's own services are an error of config::parse, at the second.
            let Some(i) = id.checked_sub(base_len) else {
                continue;
            };
            let (path, at) = (self.paths[i], Some(self.all.first_at[i]));
            diags.error(
                path,
                at,
                format!("services `{other}` and `{name}` would share the page services/{}.html; use one spelling", slug(name)),
            );
        }
    }

    /// Moves the service table and each service's owning team into the dataset.
    pub fn finish(self, config: &Config, ds: &mut Dataset) {
        let mut owners = vec![None; self.all.names.len()];
        for (t, team) in config.teams.iter().enumerate() {
            for s in &team.services {
                if let Some(id) = self.all.names.get(s) {
                    owners[id as usize] = Some(t as u32);
                }
            }
        }
        ds.service_team = owners;
        ds.services = self.all.names;
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    /// No team owns `billing-api` (row 2) or `Billing.API` (rows 3 and 4): one warning names
    /// both, with their row counts ("1 row", "2 rows"), and the two would share the page
    /// `services/billing-api.html`: an error at the later spelling's first row, line 3,
    /// column 4 (`d2,` is three bytes).
    #[test]
    fn unowned_services_are_counted_and_a_page_clash_is_an_error_at_the_later_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        std::fs::write(
            data.join("deployments.csv"),
            "deploy_id,service,environment,status,deployed_at\n\
             d1,billing-api,production,success,2026-07-01T10:00:00Z\n\
             d2,Billing.API,production,success,2026-07-02T10:00:00Z\n\
             d3,Billing.API,production,success,2026-07-03T10:00:00Z\n",
        )
        .unwrap();
        let config = crate::config::parse("title = \"T\"\n").unwrap();
        let (_, diags) = crate::load::load_data(dir.path(), &config, vec![]);
        let messages: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
        // The error first (it stops the build), then the warning.
        assert_eq!(
            messages,
            [
                "data/deployments.csv:3:4: error: services `billing-api` and `Billing.API` would share the page services/billing-api.html; use one spelling",
                "data/deployments.csv:2:4: warning: 2 services are not owned by any team: `billing-api` (1 row, first at data/deployments.csv:2), `Billing.API` (2 rows, first at data/deployments.csv:3); add them to a [[team]]'s services in almanac.toml",
            ]
        );
    }
}
