//! Records: takes the `Dataset` and returns `Records`, the slices of it that pages and
//! charts show one by one (names, incidents, deployments an incident names, SLO
//! definitions, retros, definitions, documents), never aggregated outside `metrics`.

use crate::config::SloDef;
use crate::model::{
    Annotation, Dataset, Deployment, Doc, IdList, Incident, Interner, MetricDef, Narrative, Retro,
    Snapshot, WeekDecision,
};
use std::collections::BTreeMap;

/// The records of the dataset that pages show, one by one; never aggregated by a page.
#[derive(Clone, Copy)]
pub struct Records<'a> {
    pub services: &'a Interner,
    /// Owning team (index into `Config::teams`) per service id.
    pub service_team: &'a [Option<u32>],
    pub incidents: &'a [Incident],
    pub causes: &'a Interner,
    /// Deployments and their ids, for the deployment an incident names.
    pub deployments: &'a [Deployment],
    pub deploy_ids: &'a IdList,
    pub slos: &'a [SloDef],
    /// The context charts mark: launches, freezes, migrations, interventions, ...
    pub annotations: &'a [Annotation],
    pub retros: &'a [Retro],
    pub metric_defs: &'a [MetricDef],
    pub governance: &'a [Doc],
    pub reports: &'a [Doc],
    /// The quarterly narratives and the published quarters' snapshots.
    pub narratives: &'a [Narrative],
    pub snapshots: &'a [Snapshot],
    /// The SHA-256 of every input file, for `manifest.json`.
    pub inputs: &'a BTreeMap<String, String>,
    pub reviews: &'a [WeekDecision],
}

impl<'a> Records<'a> {
    pub fn of(ds: &'a Dataset) -> Records<'a> {
        Records {
            services: &ds.services,
            service_team: &ds.service_team,
            incidents: &ds.incidents,
            causes: &ds.causes,
            deployments: &ds.deployments,
            deploy_ids: &ds.deploy_ids,
            slos: &ds.slos,
            annotations: &ds.annotations,
            retros: &ds.retros,
            metric_defs: &ds.metric_defs,
            governance: &ds.governance,
            reports: &ds.reports,
            narratives: &ds.narratives,
            snapshots: &ds.snapshots,
            inputs: &ds.inputs,
            reviews: &ds.reviews,
        }
    }
}
