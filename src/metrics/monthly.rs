//! Monthly incident review figures: takes the dataset, the incident facts and one month and
//! returns what that month's review shows (`MonthReview`): its incidents, counts by
//! severity and cause, recurring (service, cause) pairs, the services with the most
//! incidents, retros missing and action items closed, each list in its shown order.

use crate::metrics::incidents::{IncidentFacts, Status};
use crate::metrics::retro::done_on_time;
use crate::model::Dataset;
use crate::period::Period;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The label of incidents without a cause; causes are ordered by their labels.
pub const NO_CAUSE: &str = "(no cause given)";

/// Incidents and how many of them repeat an earlier one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub count: usize,
    pub repeats: usize,
}

/// A recurring (service, cause) pair and its repeat incidents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurring {
    pub service: u32,
    pub cause: u32,
    /// The repeats, newest first.
    pub incidents: Vec<u32>,
    /// The worst (lowest) severity among them.
    pub worst: u8,
}

/// A service's incidents, severity 1-2 incidents and on-call pages in the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Noisy {
    pub service: u32,
    pub incidents: usize,
    pub severe: usize,
    pub pages: usize,
}

/// An action item done in the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClosedItem {
    pub incident: u32,
    pub retro: u32,
    /// Index into the retro's `action_items`.
    pub item: u32,
    pub done: NaiveDate,
    pub on_time: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MonthReview {
    /// The month's incidents (started in it), newest first.
    pub incidents: Vec<u32>,
    /// Severity 1-2 incidents among them.
    pub severe: usize,
    /// SEV1 to SEV4.
    pub severities: [Tally; 4],
    /// By cause (`None`: no cause given), most incidents first, then by label.
    pub causes: Vec<(Option<u32>, Tally)>,
    /// Most repeats first, then worst severity, then service and cause names.
    pub recurring: Vec<Recurring>,
    /// Most incidents first, then severity 1-2 incidents, then pages, then name.
    pub noisy: Vec<Noisy>,
    /// Incidents whose retro is missing.
    pub missing: Vec<u32>,
    /// Action items done in the month, by done date then incident id.
    pub closed: Vec<ClosedItem>,
}

/// The review of month `p`.
pub fn review(ds: &Dataset, f: &IncidentFacts, p: &Period) -> MonthReview {
    let ids: Vec<u32> = f
        .visible
        .iter()
        .copied()
        .filter(|&i| {
            let t = ds.incidents[i as usize].started_at;
            t >= p.start && t < p.end
        })
        .collect();
    let mut out = MonthReview::default();
    let mut causes: BTreeMap<&str, (Option<u32>, Tally)> = BTreeMap::new();
    let mut noisy: BTreeMap<u32, Noisy> = BTreeMap::new();
    for &i in &ids {
        let inc = &ds.incidents[i as usize];
        let repeat = f.repeat_of[i as usize].is_some() as usize;
        let s = &mut out.severities[(inc.severity - 1) as usize];
        s.count += 1;
        s.repeats += repeat;
        let label = inc.cause.map_or(NO_CAUSE, |c| ds.causes.name(c));
        let c = &mut causes
            .entry(label)
            .or_insert((inc.cause, Tally::default()))
            .1;
        c.count += 1;
        c.repeats += repeat;
        let n = noisy.entry(inc.service).or_insert(Noisy {
            service: inc.service,
            incidents: 0,
            severe: 0,
            pages: 0,
        });
        n.incidents += 1;
        n.severe += (inc.severity <= 2) as usize;
    }
    let mut causes: Vec<(&str, (Option<u32>, Tally))> = causes.into_iter().collect();
    causes.sort_by(|a, b| b.1 .1.count.cmp(&a.1 .1.count).then(a.0.cmp(b.0)));
    out.causes = causes.into_iter().map(|(_, c)| c).collect();
    out.recurring = recurring(ds, f, &ids);
    out.noisy = noisiest(ds, p, noisy);
    out.missing = ids
        .iter()
        .copied()
        .filter(|&i| f.status[i as usize] == Status::RetroMissing)
        .collect();
    out.closed = closed(ds, f, p);
    out.severe = ids
        .iter()
        .filter(|&&i| ds.incidents[i as usize].severity <= 2)
        .count();
    out.incidents = ids;
    out
}

/// The repeats among `ids` grouped by service and cause.
fn recurring(ds: &Dataset, f: &IncidentFacts, ids: &[u32]) -> Vec<Recurring> {
    let mut pairs: BTreeMap<(u32, u32), Vec<u32>> = BTreeMap::new();
    for &i in ids {
        let inc = &ds.incidents[i as usize];
        if let (Some(_), Some(c)) = (f.repeat_of[i as usize], inc.cause) {
            pairs.entry((inc.service, c)).or_default().push(i);
        }
    }
    let mut out: Vec<Recurring> = pairs
        .into_iter()
        .map(|((service, cause), incidents)| Recurring {
            worst: incidents
                .iter()
                .map(|&i| ds.incidents[i as usize].severity)
                .min()
                .unwrap_or(4),
            service,
            cause,
            incidents,
        })
        .collect();
    let key = |r: &Recurring| (ds.services.name(r.service), ds.causes.name(r.cause));
    out.sort_by(|a, b| {
        (b.incidents.len(), a.worst, key(a)).cmp(&(a.incidents.len(), b.worst, key(b)))
    });
    out
}

/// Every service with incidents in the month, with its pages in the month.
fn noisiest(ds: &Dataset, p: &Period, mut counts: BTreeMap<u32, Noisy>) -> Vec<Noisy> {
    for pg in ds
        .pages
        .iter()
        .filter(|pg| pg.at >= p.start && pg.at < p.end)
    {
        if let Some(n) = counts.get_mut(&pg.service) {
            n.pages += 1;
        }
    }
    let mut rows: Vec<Noisy> = counts.into_values().collect();
    rows.sort_by(|a, b| {
        (b.incidents, b.severe, b.pages)
            .cmp(&(a.incidents, a.severe, a.pages))
            .then(ds.services.name(a.service).cmp(ds.services.name(b.service)))
    });
    rows
}

/// Action items done in the month (of any visible incident's earliest retro).
fn closed(ds: &Dataset, f: &IncidentFacts, p: &Period) -> Vec<ClosedItem> {
    let mut out = Vec::new();
    for &i in &f.visible {
        let Some(r) = f.retro_of[i as usize] else {
            continue;
        };
        for (k, a) in ds.retros[r as usize].action_items.iter().enumerate() {
            let Some(done) = a.done.filter(|&d| d >= p.first_day && d <= p.last_day) else {
                continue;
            };
            out.push(ClosedItem {
                incident: i,
                retro: r,
                item: k as u32,
                done,
                on_time: done_on_time(a, done),
            });
        }
    }
    let id = |c: &ClosedItem| ds.incidents[c.incident as usize].id.as_str();
    out.sort_by(|a, b| (a.done, id(a)).cmp(&(b.done, id(b))));
    out
}
