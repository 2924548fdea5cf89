//! Repeat rule, written once: takes the `Dataset`, each service's time-sorted incidents and
//! each incident's first retro, and returns for every incident the earlier incident it
//! repeats (`repeats_of`): the one its retro names in `repeats`, or else, when its cause is
//! specific, the latest earlier incident on the same service with the same cause within
//! 90 days (`previous_same_cause`). Coarse causes (`COARSE_CAUSES`) never match by
//! themselves.

use crate::model::{Dataset, Retro, DAY};
use std::collections::HashMap;

/// How far back an earlier incident with the same cause on the same service makes a repeat.
pub const REPEAT_WINDOW: i64 = 90 * DAY;

/// Causes too coarse to say that two incidents share a root cause: two `bad-deploy`
/// incidents are usually two different bugs. Incidents with one of these causes (compared
/// without regard to case) are repeats only when a retro names them in `repeats`. Every
/// other non-empty cause is specific. The README's metric semantics list them.
pub const COARSE_CAUSES: &[&str] = &[
    "bad-deploy",
    "capacity",
    "config-change",
    "data-migration",
    "dependency",
    "dependency-failure",
    "human-error",
    "network",
    "other",
    "software-bug",
    "unknown",
];

/// Whether `cause` is specific enough for cause matching (not in `COARSE_CAUSES`).
pub fn is_specific(cause: &str) -> bool {
    let cause = cause.trim();
    !cause.is_empty() && !COARSE_CAUSES.iter().any(|c| c.eq_ignore_ascii_case(cause))
}

/// The latest earlier incident on the same service with the same specific cause that
/// started at most 90 days before incident `i`. `list` is that service's incidents sorted
/// by `(started_at, index)`.
pub fn previous_same_cause(ds: &Dataset, list: &[u32], i: u32) -> Option<u32> {
    let inc = &ds.incidents[i as usize];
    let cause = inc.cause.filter(|&c| is_specific(ds.causes.name(c)))?;
    let key = |j: u32| (ds.incidents[j as usize].started_at, j);
    let pos = list.partition_point(|&j| key(j) < (inc.started_at, i));
    let from = inc.started_at - REPEAT_WINDOW;
    list[..pos]
        .iter()
        .rev()
        .take_while(|&&j| ds.incidents[j as usize].started_at >= from)
        .find(|&&j| ds.incidents[j as usize].cause == Some(cause))
        .copied()
}

/// The latest-starting incident `retro` names in `repeats` that started before incident
/// `i` (ids not in the data, or not earlier, are `load::validate` errors and ignored here).
fn named_repeat(ds: &Dataset, by_id: &HashMap<&str, u32>, retro: &Retro, i: u32) -> Option<u32> {
    let started = ds.incidents[i as usize].started_at;
    retro
        .repeats
        .iter()
        .filter_map(|id| by_id.get(id.as_str()).copied())
        .filter(|&j| ds.incidents[j as usize].started_at < started)
        .max_by_key(|&j| (ds.incidents[j as usize].started_at, j))
}

/// The incident each incident repeats (index into `Dataset::incidents`), indexed like
/// `Dataset::incidents`; `None` for incidents in no list. `by_service` holds each
/// service's incidents sorted by `(started_at, index)`; `retro_of` each incident's first
/// retro published by `as_of` (index into `Dataset::retros`), whose `repeats` come first.
pub fn repeats_of(
    ds: &Dataset,
    by_service: &[Vec<u32>],
    retro_of: &[Option<u32>],
) -> Vec<Option<u32>> {
    let by_id: HashMap<&str, u32> = ds
        .incidents
        .iter()
        .enumerate()
        .map(|(i, inc)| (inc.id.as_str(), i as u32))
        .collect();
    let mut out = vec![None; ds.incidents.len()];
    for list in by_service {
        for &i in list {
            let named = retro_of[i as usize]
                .and_then(|r| named_repeat(ds, &by_id, &ds.retros[r as usize], i));
            out[i as usize] = named.or_else(|| previous_same_cause(ds, list, i));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::tests::site;
    use crate::metrics::{compute, Report};
    use crate::period::Calendar;

    #[test]
    fn coarse_causes_are_a_documented_list() {
        assert!(!is_specific("bad-deploy"));
        assert!(!is_specific(" Capacity "));
        assert!(!is_specific("unknown"));
        assert!(!is_specific(""));
        assert!(is_specific("disk-full"));
        assert!(is_specific("tls-certificate-expiry"));
    }

    const INCIDENTS: &str =
        "incident_id,service,severity,started_at,resolved_at,caused_by_deploy,cause,title
a,api,2,2026-04-01T00:00:00Z,2026-04-01T01:00:00Z,,disk-full,A
b,api,2,2026-04-02T00:00:00Z,2026-04-02T01:00:00Z,,bad-deploy,B
c,api,2,2026-06-30T00:00:00Z,2026-06-30T01:00:00Z,,disk-full,C
g,api,2,2026-06-30T12:00:00Z,2026-06-30T13:00:00Z,,bad-deploy,G
d,web,2,2026-07-01T00:00:00Z,2026-07-01T01:00:00Z,,Capacity,D
e,web,2,2026-07-02T00:00:00Z,2026-07-02T01:00:00Z,,capacity,E
f,web,2,2026-07-03T00:00:00Z,2026-07-03T01:00:00Z,,bad-deploy,F
";

    fn retro(incident: &str, published: &str, repeats: &str) -> String {
        format!("+++\ntitle = \"R\"\nincident = \"{incident}\"\npublished_at = {published}\nrepeats = [{repeats}]\n+++\n")
    }

    fn repeat_ids(as_of: &str) -> Vec<(String, Option<String>)> {
        let (d, e, f) = (
            retro("d", "2026-07-02T00:00:00Z", "\"a\""),
            retro("e", "2026-07-20T00:00:00Z", "\"b\", \"c\""),
            retro("f", "2026-07-04T00:00:00Z", "\"b\", \"d\""),
        );
        let dir = site(&[
            ("almanac.toml", "title = \"T\"\n"),
            ("data/incidents.csv", INCIDENTS),
        ]);
        std::fs::create_dir_all(dir.path().join("content/retros")).unwrap();
        for (name, text) in [("d", d), ("e", e), ("f", f)] {
            std::fs::write(dir.path().join(format!("content/retros/{name}.md")), text).unwrap();
        }
        let as_of = crate::load::time::parse_date(as_of).unwrap();
        let (loaded, diags) = crate::pipeline::load(dir.path(), Some(as_of))
            .unwrap_or_else(|d| panic!("{:?}", d.sorted()));
        assert!(!diags.has_errors(), "{:?}", diags.sorted());
        let cal = Calendar::new(loaded.config.timezone, as_of);
        let r: Report = compute(&loaded.config, &loaded.ds, cal);
        let ds = &loaded.ds;
        ds.incidents
            .iter()
            .enumerate()
            .map(|(i, inc)| {
                let of =
                    r.incidents.repeat_of[i].map(|x| ds.incidents[x.incident as usize].id.clone());
                (inc.id.clone(), of)
            })
            .collect()
    }

    #[test]
    fn retros_name_repeats_and_only_specific_causes_match() {
        let s = |x: &str| Some(x.to_string());
        let want = |e: Option<String>| {
            vec![
                // a: first disk-full on api.
                ("a".to_string(), None),
                // b: bad-deploy is coarse; a (disk-full) differs anyway.
                ("b".to_string(), None),
                // c: disk-full on api, 1 April 00:00 -> 30 June 00:00 = 29 + 31 + 30 = 90
                // days, inside the 90-day window: repeats a.
                ("c".to_string(), s("a")),
                // g: bad-deploy like b, 89.5 days later on api, but coarse: no repeat.
                ("g".to_string(), None),
                // d: its retro names a (another service, another cause): repeats a.
                ("d".to_string(), s("a")),
                // e: `capacity` like d, but coarse (any case); its retro (20 July) names b
                // and c, the later of them c.
                ("e".to_string(), e),
                // f: its retro names b and d: the later-starting one, d.
                ("f".to_string(), s("d")),
            ]
        };
        assert_eq!(repeat_ids("2026-07-31"), want(s("c")));
        // As of 10 July e's retro is not yet published: e is no repeat then.
        assert_eq!(repeat_ids("2026-07-10"), want(None));
    }
}
