//! Table registry: the list of `data/*.csv` input files. Each entry says where the file is,
//! its contract columns, when it can be parsed (its `Phase`), its row parser, and where its
//! rows go in the `Dataset`. `load::load_data` reads every entry's file, parses the entries
//! of a phase in parallel, and stores the results in registry order.
//!
//! Adding an input file is one entry here plus its parser (and its `Dataset` field).

use crate::config::Team;
use crate::diag::Diagnostics;
use crate::load::csv::Col;
use crate::load::delivery::{self, ChangeTable, DeployTable};
use crate::load::incidents::{self, IncidentTable};
use crate::load::merge::ServiceMerger;
use crate::load::signals::{self, PageTable, SliTable};
use crate::model::{Annotation, Dataset, Interner};
use std::any::Any;
use std::collections::HashMap;

/// When a table can be parsed: phases run in this order, each one's tables in parallel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Needs only the config and the SLO definitions.
    Independent,
    /// Needs the deployments id table (`Context::deploys`).
    AfterDeployments,
    /// Needs every service the earlier tables name (`Context::services`); such a table
    /// names no new services.
    AfterServices,
}

/// What a parser may read besides its file's bytes.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The config's services and the SLOs' services, the start of every table's services.
    pub base: &'a Interner,
    /// SLO id to its index in `Dataset::slos`.
    pub slo_index: &'a HashMap<String, u32>,
    pub teams: &'a [Team],
    /// The deployments with their id index; empty before `Phase::AfterDeployments`.
    pub deploys: &'a DeployTable,
    /// Every service of the earlier tables; only `base` before `Phase::AfterServices`.
    pub services: &'a Interner,
}

/// Where parsed rows are stored: the dataset, with services renumbered through `services`.
pub struct Assembly<'a> {
    pub ds: &'a mut Dataset,
    pub services: &'a mut ServiceMerger,
}

/// One input file whose parser returns a `T`.
pub struct Table<T> {
    pub path: &'static str,
    pub columns: &'static [Col],
    pub phase: Phase,
    pub parse: fn(&[u8], &Context<'_>, &mut Diagnostics) -> T,
    /// Moves the rows into the dataset and records that the file (and its optional
    /// columns) exist.
    pub store: fn(T, &mut Assembly<'_>),
    /// Hashes the parts of the context `parse` reads (`memo`): what `parse` passes on.
    pub reads: fn(&Context<'_>, &mut xxhash_rust::xxh3::Xxh3),
}

/// A parsed table, its type known only to its own entry.
pub type Parsed = Box<dyn Any + Send>;

/// A registry entry with its row type hidden, so tables of every type share one list.
pub trait Entry: Sync {
    fn path(&self) -> &'static str;
    fn columns(&self) -> &'static [Col];
    fn phase(&self) -> Phase;
    fn parse(&self, bytes: &[u8], cx: &Context<'_>, diags: &mut Diagnostics) -> Parsed;
    /// Stores what this entry's `parse` returned.
    fn store(&self, parsed: Parsed, into: &mut Assembly<'_>);
    /// A copy of what this entry's `parse` returned (`memo` keeps one).
    fn copy(&self, parsed: &Parsed) -> Parsed;
    /// Hashes what `parse` reads of `cx` (the parse's result is a function of the file's
    /// bytes and this), for `memo`.
    fn hash_context(&self, cx: &Context<'_>, h: &mut xxhash_rust::xxh3::Xxh3);
}

impl<T: Clone + Send + 'static> Entry for Table<T> {
    fn path(&self) -> &'static str {
        self.path
    }

    fn columns(&self) -> &'static [Col] {
        self.columns
    }

    fn phase(&self) -> Phase {
        self.phase
    }

    fn parse(&self, bytes: &[u8], cx: &Context<'_>, diags: &mut Diagnostics) -> Parsed {
        Box::new((self.parse)(bytes, cx, diags))
    }

    fn store(&self, parsed: Parsed, into: &mut Assembly<'_>) {
        // `parsed` came from this entry's `parse`, so it is always a `T`.
        if let Ok(rows) = parsed.downcast::<T>() {
            (self.store)(*rows, into);
        }
    }

    fn copy(&self, parsed: &Parsed) -> Parsed {
        match parsed.downcast_ref::<T>() {
            Some(rows) => Box::new(rows.clone()),
            None => unreachable!("an entry's parsed rows are its own type"),
        }
    }

    fn hash_context(&self, cx: &Context<'_>, h: &mut xxhash_rust::xxh3::Xxh3) {
        (self.reads)(cx, h)
    }
}

/// Every input table, in the order files are read and their services are numbered.
pub static TABLES: [&dyn Entry; 6] = [
    &Table::<DeployTable> {
        path: delivery::DEPLOYMENTS,
        columns: &delivery::DEPLOYMENT_COLUMNS,
        phase: Phase::Independent,
        parse: |bytes, cx, diags| delivery::deployments(bytes, cx.base, diags),
        reads: |cx, h| hash::interner(cx.base, h),
        store: |t, to| {
            to.ds.present.deployments = true;
            to.ds.present.rework = t.has_rework;
            to.ds.deployments = to
                .services
                .adopt(&t.services, delivery::DEPLOYMENTS, t.rows);
            to.ds.deploy_ids = t.ids;
            to.ds.note_latest(t.latest);
        },
    },
    &Table::<ChangeTable> {
        path: delivery::CHANGES,
        columns: &delivery::CHANGE_COLUMNS,
        phase: Phase::AfterDeployments,
        parse: |bytes, cx, diags| delivery::changes(bytes, cx.base, cx.deploys, diags),
        reads: |cx, h| {
            hash::interner(cx.base, h);
            hash::deploys(cx.deploys, h)
        },
        store: |t, to| {
            to.ds.present.changes = true;
            to.ds.changes = to.services.adopt(&t.services, delivery::CHANGES, t.rows);
            to.ds.note_latest(t.latest);
        },
    },
    &Table::<IncidentTable> {
        path: incidents::INCIDENTS,
        columns: &incidents::INCIDENT_COLUMNS,
        phase: Phase::AfterDeployments,
        parse: |bytes, cx, diags| incidents::incidents(bytes, cx.base, cx.deploys, diags),
        reads: |cx, h| {
            hash::interner(cx.base, h);
            hash::deploys(cx.deploys, h)
        },
        store: |t, to| {
            to.ds.present.incidents = true;
            to.ds.present.detected = t.has_detected;
            to.ds.present.acknowledged = t.has_acknowledged;
            to.ds.incidents = to.services.adopt(&t.services, incidents::INCIDENTS, t.rows);
            to.ds.causes = t.causes;
            to.ds.refused_incidents = t.refused;
            to.ds.note_latest(t.latest);
        },
    },
    &Table::<SliTable> {
        path: signals::SLI,
        columns: &signals::SLI_COLUMNS,
        phase: Phase::Independent,
        parse: |bytes, cx, diags| signals::sli(bytes, cx.slo_index, diags),
        reads: |cx, h| hash::slo_index(cx.slo_index, h),
        store: |t, to| {
            to.ds.present.sli = true;
            to.ds.sli = t.rows;
            to.ds.note_latest(t.latest);
        },
    },
    &Table::<PageTable> {
        path: signals::PAGES,
        columns: &signals::PAGE_COLUMNS,
        phase: Phase::Independent,
        parse: |bytes, cx, diags| signals::pages(bytes, cx.base, diags),
        reads: |cx, h| hash::interner(cx.base, h),
        store: |t, to| {
            to.ds.present.pages = true;
            to.ds.pages = to.services.adopt(&t.services, signals::PAGES, t.rows);
            to.ds.note_latest(t.latest);
        },
    },
    &Table::<Vec<Annotation>> {
        path: signals::ANNOTATIONS,
        columns: &signals::ANNOTATION_COLUMNS,
        phase: Phase::AfterServices,
        parse: |bytes, cx, diags| signals::annotations(bytes, cx.teams, cx.services, diags),
        reads: |cx, h| {
            hash::teams(cx.teams, h);
            hash::interner(cx.services, h)
        },
        store: |rows, to| to.ds.annotations = rows,
    },
];

/// What the parsers read of their context, hashed for `memo` (see `Table::reads`).
mod hash {
    use super::{DeployTable, HashMap, Interner, Team};
    use xxhash_rust::xxh3::Xxh3;

    /// Every name, in id order.
    pub fn interner(names: &Interner, h: &mut Xxh3) {
        for n in names.names() {
            h.update(n.as_bytes());
            h.update(&[0]);
        }
        h.update(&[1]);
    }

    /// What a linked table reads of the deployments: each id, in row order (the index is made
    /// from them), each deployment's time, and the refused rows' ids and lines.
    pub fn deploys(d: &DeployTable, h: &mut Xxh3) {
        for (id, row) in d.ids.iter().zip(&d.rows) {
            h.update(id.as_bytes());
            h.update(&[0]);
            h.update(&row.at.to_le_bytes());
        }
        h.update(&(d.ids.len() as u64).to_le_bytes());
        // A change naming a refused row is told its line.
        for (id, line) in &d.refused {
            h.update(id.as_bytes());
            h.update(&line.to_le_bytes());
        }
    }

    /// SLO ids with their index, sorted.
    pub fn slo_index(index: &HashMap<String, u32>, h: &mut Xxh3) {
        let mut pairs: Vec<(&String, &u32)> = index.iter().collect();
        pairs.sort();
        for (id, i) in pairs {
            h.update(id.as_bytes());
            h.update(&i.to_le_bytes());
        }
        h.update(&[1]);
    }

    /// The teams as configured.
    pub fn teams(teams: &[Team], h: &mut Xxh3) {
        h.update(format!("{teams:?}").as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's data contract documents every registered file and each of its columns.
    /// Each section opens with the header a file must have: the entry's required columns in
    /// order (`deploy_id,service,environment,status,deployed_at` for deployments.csv, whose
    /// `rework` and `commit` are optional), so an entry that lost its columns fails here.
    #[test]
    fn the_data_contract_lists_every_table_and_column() {
        let readme = include_str!("../../README.md");
        for t in TABLES {
            let heading = format!("### `{}`\n", t.path());
            let start = readme.find(&heading).unwrap_or_else(|| panic!("{heading}"));
            let section = &readme[start + heading.len()..];
            let section = &section[..section.find("\n### ").unwrap_or(section.len())];
            let header = section.split('`').nth(1).unwrap_or_default();
            let required: Vec<&str> = t
                .columns()
                .iter()
                .filter(|c| c.required)
                .map(|c| c.name)
                .collect();
            assert_eq!(header, required.join(","), "{}", t.path());
            for c in t.columns() {
                assert!(section.contains(c.name), "{} lacks `{}`", t.path(), c.name);
            }
        }
    }

    /// The registry end to end: services are numbered config first, then in registry order
    /// (deployments, changes, incidents, sli, pages) whatever phase parsed them; changes see
    /// the deployments; annotations see every service; absent files stay absent.
    #[test]
    fn load_data_parses_in_phases_and_stores_in_registry_order() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        let files = [
            ("pages.csv", "page_id,service,paged_at,actionable,after_hours\np1,pager,2026-07-03T00:00:00Z,true,false\n"),
            ("changes.csv", "change_id,service,committed_at,deploy_id\nc1,web,2026-07-01T08:00:00Z,d1\n"),
            ("deployments.csv", "deploy_id,service,environment,status,deployed_at,rework\nd1,api,production,success,2026-07-01T10:00:00Z,false\n"),
            ("annotations.csv", "date,end_date,scope,kind,title,link\n2026-07-02,,pager,launch,Pager v2,\n"),
        ];
        for (name, text) in files {
            std::fs::write(data.join(name), text).unwrap();
        }
        let config =
            crate::config::parse("title = \"T\"\n[[team]]\nid = \"shop\"\nservices = [\"api\"]\n")
                .unwrap();
        let (ds, diags) = crate::load::load_data(dir.path(), &config, vec![]);
        // `api` is the config's (id 0); `web` first appears in changes.csv, which comes
        // before pages.csv in the registry although pages are parsed in an earlier phase.
        assert_eq!(ds.services.names(), ["api", "web", "pager"]);
        assert_eq!(ds.service_team, vec![Some(0), None, None]);
        assert_eq!(ds.changes[0].deploy, Some(0));
        assert_eq!(ds.changes[0].service, 1);
        assert_eq!(ds.pages[0].service, 2);
        assert_eq!(
            ds.annotations[0].scope,
            crate::model::Scope::Service("pager".into())
        );
        let p = ds.present;
        assert_eq!(
            (
                p.deployments,
                p.rework,
                p.changes,
                p.incidents,
                p.sli,
                p.pages
            ),
            (true, true, true, false, false, true)
        );
        // The latest timestamp is the page's, 2026-07-03T00:00:00Z.
        assert_eq!(
            ds.latest,
            crate::load::time::parse_timestamp("2026-07-03T00:00:00Z")
        );
        let messages: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(
            messages,
            // One warning for both unowned services, at the first one's first field
            // (`c1,web`: the service starts at column 4).
            [
                "data/changes.csv:2:4: warning: 2 services are not owned by any team: `web` (1 row, first at data/changes.csv:2), `pager` (1 row, first at data/pages.csv:2); add them to a [[team]]'s services in almanac.toml",
            ]
        );
    }
}
