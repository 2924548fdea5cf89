//! Service merge: takes each data table's own service list and returns one site-wide
//! service table (config services first, then new ones in file order), the rows renumbered
//! into it, the owning team of each service, and a warning for every unowned service.

use crate::config::Config;
use crate::diag::Diagnostics;
use crate::load::delivery::Services;
use crate::model::{Dataset, Interner};

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
    /// The file where each non-config service first appeared (aligned with `all.first_lines`).
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
        self.paths.resize(self.all.first_lines.len(), path);
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

    /// Warns about each service no team owns, at the line where it first appears.
    pub fn warn_unowned(&self, diags: &mut Diagnostics) {
        let base_len = self.all.names.len() - self.all.first_lines.len();
        for (i, (path, line)) in self.paths.iter().zip(&self.all.first_lines).enumerate() {
            let name = self.all.names.name((base_len + i) as u32);
            diags.warn(
                path,
                Some(crate::diag::Pos { line: *line, column: 1 }),
                format!("service `{name}` is not owned by any team; add it to a [[team]]'s services in almanac.toml"),
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
