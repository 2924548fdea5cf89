//! Demo tests: take generated sites and check determinism, that every file parses with
//! the project's parsers, referential integrity, the freeze, the CI intervention and scale.

use super::*;
use crate::config;
use crate::load::time::{parse_date, parse_timestamp};
use crate::metrics::stats::median;
use crate::model::{AnnotationKind, Ts, HOUR};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

fn default_site() -> &'static [OutputFile] {
    static SITE: OnceLock<Vec<OutputFile>> = OnceLock::new();
    SITE.get_or_init(|| generate(&DemoOptions::default()))
}

fn file<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
    let f = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} missing"));
    std::str::from_utf8(&f.bytes).expect("utf-8")
}

/// Rows of a CSV file as header-name -> value maps (parsed by the csv crate, so quoting
/// mistakes show up as wrong field counts).
fn table(files: &[OutputFile], path: &str) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(file(files, path).as_bytes());
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(rec.len(), headers.len(), "{path}: {rec:?}");
            headers
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn ts(row: &BTreeMap<String, String>, col: &str) -> Ts {
    parse_timestamp(&row[col]).unwrap_or_else(|| panic!("{col} `{}` is not RFC 3339", row[col]))
}

fn opt_ts(row: &BTreeMap<String, String>, col: &str) -> Option<Ts> {
    (!row[col].is_empty()).then(|| ts(row, col))
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let small = DemoOptions {
        teams: 2,
        services_per_team: 1,
        months: 3,
        ..DemoOptions::default()
    };
    let a = generate(&small);
    assert_eq!(a, generate(&small));
    let b = generate(&DemoOptions {
        seed: 43,
        ..small.clone()
    });
    assert!(a.len() > 10);
    assert_ne!(
        file(&a, "data/deployments.csv"),
        file(&b, "data/deployments.csv")
    );
    assert_ne!(file(&a, "data/sli.csv"), file(&b, "data/sli.csv"));
    // Paths are relative and safe.
    assert!(a
        .iter()
        .all(|f| !f.path.starts_with('/') && !f.path.contains("..")));
}

#[test]
fn config_and_csv_columns_parse_with_project_parsers() {
    let site = default_site();
    let cfg = config::parse(file(site, "almanac.toml")).expect("almanac.toml parses");
    let services: BTreeSet<&str> = cfg
        .teams
        .iter()
        .flat_map(|t| t.services.iter().map(String::as_str))
        .collect();
    let teams: BTreeSet<&str> = cfg.teams.iter().map(|t| t.id.as_str()).collect();
    let slos: BTreeSet<&str> = cfg.slos.iter().map(|s| s.id.as_str()).collect();
    let time_cols: &[(&str, &[&str])] = &[
        ("data/deployments.csv", &["deployed_at"]),
        ("data/changes.csv", &["committed_at"]),
        (
            "data/incidents.csv",
            &[
                "started_at",
                "detected_at",
                "acknowledged_at",
                "resolved_at",
            ],
        ),
        ("data/sli.csv", &["timestamp"]),
        ("data/pages.csv", &["paged_at"]),
    ];
    for (path, cols) in time_cols {
        let rows = table(site, path);
        assert!(!rows.is_empty(), "{path}");
        for row in &rows {
            for c in *cols {
                if *c != "resolved_at" || !row[*c].is_empty() {
                    ts(row, c);
                }
            }
            if let Some(s) = row.get("service") {
                assert!(services.contains(s.as_str()), "{path}: unknown service {s}");
            }
        }
    }
    for row in table(site, "data/sli.csv") {
        assert!(slos.contains(row["slo"].as_str()));
        let (good, total): (u64, u64) =
            (row["good"].parse().unwrap(), row["total"].parse().unwrap());
        assert!(good <= total && total > 0);
    }
    for row in table(site, "data/pages.csv") {
        assert!(["true", "false"].contains(&row["actionable"].as_str()));
        assert!(["true", "false"].contains(&row["after_hours"].as_str()));
    }
    let mut kinds = BTreeSet::new();
    for row in table(site, "data/annotations.csv") {
        let start = parse_date(&row["date"]).expect("annotation date");
        if !row["end_date"].is_empty() {
            assert!(parse_date(&row["end_date"]).expect("end_date") >= start);
        }
        let scope = row["scope"].as_str();
        assert!(
            scope == "org" || teams.contains(scope) || services.contains(scope),
            "{scope}"
        );
        kinds.insert(AnnotationKind::parse(&row["kind"]).expect("known kind"));
    }
    // freeze, intervention, launch, migration, staffing, oncall, definition, incident.
    assert_eq!(kinds.len(), 8);
}

#[test]
fn references_and_time_order_hold() {
    let site = default_site();
    let deploys = table(site, "data/deployments.csv");
    let by_id: BTreeMap<&str, &BTreeMap<String, String>> = deploys
        .iter()
        .map(|d| (d["deploy_id"].as_str(), d))
        .collect();
    assert_eq!(by_id.len(), deploys.len(), "deploy ids unique");
    let mut envs = BTreeSet::new();
    for d in &deploys {
        assert!(["success", "rolled_back", "failed"].contains(&d["status"].as_str()));
        assert!(["true", "false"].contains(&d["rework"].as_str()));
        envs.insert(d["environment"].as_str());
    }
    assert_eq!(envs, BTreeSet::from(["production", "staging"]));
    let changes = table(site, "data/changes.csv");
    let mut undeployed = 0;
    for c in &changes {
        if c["deploy_id"].is_empty() {
            undeployed += 1;
            continue;
        }
        let d = by_id[c["deploy_id"].as_str()];
        assert_eq!(d["service"], c["service"]);
        assert_eq!(
            (d["environment"].as_str(), d["status"] != "failed"),
            ("production", true)
        );
        assert!(ts(c, "committed_at") < ts(d, "deployed_at"), "{c:?}");
    }
    assert!(undeployed > 0 && undeployed < 100, "{undeployed}");
    let incidents = table(site, "data/incidents.csv");
    let mut unresolved = 0;
    for i in &incidents {
        let sev: u8 = i["severity"].parse().unwrap();
        assert!((1..=4).contains(&sev));
        let (s, d, a) = (
            ts(i, "started_at"),
            ts(i, "detected_at"),
            ts(i, "acknowledged_at"),
        );
        assert!(s <= d && d <= a, "{i:?}");
        match opt_ts(i, "resolved_at") {
            Some(r) => assert!(a <= r),
            None => unresolved += 1,
        }
        if !i["caused_by_deploy"].is_empty() {
            let dep = by_id[i["caused_by_deploy"].as_str()];
            assert!(ts(dep, "deployed_at") <= s);
            assert_eq!(dep["service"], i["service"]);
        }
    }
    assert!((1..=2).contains(&unresolved), "{unresolved}");
}

#[test]
fn rollbacks_mostly_cause_incidents() {
    let site = default_site();
    let incidents = table(site, "data/incidents.csv");
    let caused: BTreeSet<&str> = incidents
        .iter()
        .map(|i| i["caused_by_deploy"].as_str())
        .collect();
    let deploys = table(site, "data/deployments.csv");
    let rolled: Vec<&str> = deploys
        .iter()
        .filter(|d| d["status"] == "rolled_back")
        .map(|d| d["deploy_id"].as_str())
        .collect();
    let linked = rolled.iter().filter(|d| caused.contains(*d)).count();
    assert!(linked * 2 > rolled.len(), "{linked} of {}", rolled.len());
    let prod: Vec<_> = deploys
        .iter()
        .filter(|d| d["environment"] == "production" && d["status"] != "failed")
        .collect();
    let rb =
        prod.iter().filter(|d| d["status"] == "rolled_back").count() as f64 / prod.len() as f64;
    let rework = prod.iter().filter(|d| d["rework"] == "true").count() as f64 / prod.len() as f64;
    assert!((0.05..=0.15).contains(&rb), "rollback rate {rb}");
    assert!((0.03..=0.08).contains(&rework), "rework rate {rework}");
}

/// Local date of an RFC 3339 timestamp as written (its own offset).
fn written_date(text: &str) -> chrono::NaiveDate {
    parse_date(&text[..10]).unwrap()
}

#[test]
fn the_freeze_almost_stops_production_deploys() {
    let site = default_site();
    let freeze = table(site, "data/annotations.csv")
        .into_iter()
        .find(|a| a["kind"] == "freeze")
        .unwrap();
    let (a, b) = (
        parse_date(&freeze["date"]).unwrap(),
        parse_date(&freeze["end_date"]).unwrap(),
    );
    let freeze_days = (b - a).num_days() + 1;
    let mut inside = 0usize;
    let mut outside = 0usize;
    for d in table(site, "data/deployments.csv") {
        if d["environment"] == "production" {
            let day = written_date(&d["deployed_at"]);
            if a <= day && day <= b {
                inside += 1;
            } else {
                outside += 1;
            }
        }
    }
    // Span 2025-04-01..2026-09-30 is 548 days.
    let rate_in = inside as f64 / freeze_days as f64;
    let rate_out = outside as f64 / (548 - freeze_days) as f64;
    assert!(
        rate_in < 0.05 * rate_out,
        "freeze {rate_in}/day vs {rate_out}/day"
    );
}

#[test]
fn ci_intervention_shortens_that_teams_lead_time() {
    let site = default_site();
    let ann = table(site, "data/annotations.csv")
        .into_iter()
        .find(|a| a["kind"] == "intervention")
        .unwrap();
    let cfg = config::parse(file(site, "almanac.toml")).unwrap();
    let team = cfg.teams.iter().find(|t| t.id == ann["scope"]).unwrap();
    let day = parse_date(&ann["date"]).unwrap();
    let deploys = table(site, "data/deployments.csv");
    let at: BTreeMap<&str, &str> = deploys
        .iter()
        .map(|d| (d["deploy_id"].as_str(), d["deployed_at"].as_str()))
        .collect();
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for c in table(site, "data/changes.csv") {
        if c["deploy_id"].is_empty() || !team.services.contains(&c["service"]) {
            continue;
        }
        let dep = at[c["deploy_id"].as_str()];
        let hours = (parse_timestamp(dep).unwrap() - ts(&c, "committed_at")) as f64 / HOUR as f64;
        let d = written_date(dep);
        let gap = (d - day).num_days();
        if (-90..0).contains(&gap) {
            before.push(hours);
        } else if (0..90).contains(&gap) {
            after.push(hours);
        }
    }
    let (b, a) = (median(&mut before).unwrap(), median(&mut after).unwrap());
    // Generator: median x 0.4 after the intervention; allow noise up to 0.6.
    assert!(
        a < 0.6 * b,
        "median lead time before {b:.1} h, after {a:.1} h"
    );
}

#[test]
fn retros_and_docs_have_the_contracted_front_matter() {
    let site = default_site();
    let incidents: BTreeMap<String, BTreeMap<String, String>> = table(site, "data/incidents.csv")
        .into_iter()
        .map(|i| (i["incident_id"].clone(), i))
        .collect();
    let (mut toml_n, mut yaml_n) = (0, 0);
    let mut with_retro = BTreeSet::new();
    for f in site
        .iter()
        .filter(|f| f.path.starts_with("content/retros/"))
    {
        let text = std::str::from_utf8(&f.bytes).unwrap();
        let (fm, body) = front_matter(text);
        let value: serde_json::Value = match fm {
            FrontMatter::Toml(t) => {
                toml_n += 1;
                serde_json::to_value(toml::from_str::<toml::Value>(t).expect("toml front matter"))
                    .unwrap()
            }
            FrontMatter::Yaml(t) => {
                yaml_n += 1;
                serde_norway::from_str(t).expect("yaml front matter")
            }
        };
        let id = value["incident"].as_str().unwrap();
        assert_eq!(f.path, format!("content/retros/{id}.md"));
        let inc = &incidents[id];
        let published = value_ts(&value["published_at"]);
        assert!(published >= ts(inc, "resolved_at"));
        for item in value["action_items"].as_array().unwrap() {
            assert!(parse_date(&value_str(&item["due"])).is_some());
            assert!(!item["title"].as_str().unwrap().is_empty());
        }
        for section in [
            "## Summary",
            "## Timeline",
            "## Contributing factors",
            "## What went well",
            "## Action items",
        ] {
            assert!(body.contains(section), "{} lacks {section}", f.path);
        }
        with_retro.insert(id.to_string());
    }
    assert!(
        toml_n > 5 * yaml_n && yaml_n > 0,
        "{toml_n} toml, {yaml_n} yaml"
    );
    let serious: Vec<&String> = incidents
        .iter()
        .filter(|(_, i)| i["severity"].as_str() <= "2" && !i["resolved_at"].is_empty())
        .map(|(k, _)| k)
        .collect();
    let missing = serious
        .iter()
        .filter(|k| !with_retro.contains(k.as_str()))
        .count();
    assert!(
        missing > 0 && missing * 4 < serious.len(),
        "{missing} of {} sev 1-2 without retro",
        serious.len()
    );
    let metrics: Vec<_> = site
        .iter()
        .filter(|f| f.path.starts_with("content/metrics/"))
        .collect();
    assert_eq!(metrics.len(), 8);
    for f in metrics {
        let FrontMatter::Toml(t) = front_matter(std::str::from_utf8(&f.bytes).unwrap()).0 else {
            panic!()
        };
        let v: toml::Value = toml::from_str(t).unwrap();
        assert!(["lower", "higher"].contains(&v["better"].as_str().unwrap()));
        assert!(f
            .path
            .ends_with(&format!("{}.md", v["id"].as_str().unwrap())));
    }
    for f in site.iter().filter(|f| {
        f.path.starts_with("content/reports/") || f.path.starts_with("content/governance/")
    }) {
        let FrontMatter::Toml(t) = front_matter(std::str::from_utf8(&f.bytes).unwrap()).0 else {
            panic!()
        };
        let v: toml::Value = toml::from_str(t).unwrap();
        assert!(v.get("title").is_some());
    }
    assert!(site.iter().any(|f| f.path == "content/reports/2026-q3.md"));
}

enum FrontMatter<'a> {
    Toml(&'a str),
    Yaml(&'a str),
}

fn front_matter(text: &str) -> (FrontMatter<'_>, &str) {
    let fence = &text[..3];
    let rest = &text[4..];
    let end = rest.find(&format!("\n{fence}\n")).expect("closing fence");
    let fm = &rest[..end + 1];
    let body = &rest[end + 5..];
    match fence {
        "+++" => (FrontMatter::Toml(fm), body),
        _ => (FrontMatter::Yaml(fm), body),
    }
}

/// TOML datetimes arrive as `{"$__toml_private_datetime": "..."}` in JSON; YAML as strings.
fn value_str(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(m) => m
            .values()
            .next()
            .and_then(|x| x.as_str())
            .unwrap()
            .to_string(),
        other => panic!("not a date: {other}"),
    }
}

fn value_ts(v: &serde_json::Value) -> Ts {
    parse_timestamp(&value_str(v)).expect("RFC 3339 published_at")
}

#[test]
fn the_big_incident_burns_the_hourly_budget() {
    let site = default_site();
    let big = table(site, "data/incidents.csv")
        .into_iter()
        .find(|i| i["severity"] == "1" && i["title"].contains("four hours"))
        .unwrap();
    let (s, r) = (ts(&big, "started_at"), ts(&big, "resolved_at"));
    let rows: Vec<_> = table(site, "data/sli.csv")
        .into_iter()
        .filter(|x| x["slo"] == "checkout-api-availability")
        .collect();
    let ratio = |x: &BTreeMap<String, String>| {
        x["good"].parse::<f64>().unwrap() / x["total"].parse::<f64>().unwrap()
    };
    let during: Vec<f64> = rows
        .iter()
        .filter(|x| (s..r - HOUR).contains(&ts(x, "timestamp")))
        .map(ratio)
        .collect();
    assert!(
        during.len() >= 3 && during.iter().all(|&q| q < 0.8),
        "{during:?}"
    );
    // Hourly rows only for the last ~3 months (92 days x 24 h, give or take DST).
    assert!((2150..=2250).contains(&rows.len()), "{}", rows.len());
}

mod scale;

/// `incident_rate` scales the chance of every incident but a big deploy's: at 0.25 the
/// default site (582 lines with the header, so 581 incidents when this was written) keeps
/// roughly a quarter of them, and the deployments are the same bytes.
#[test]
fn incident_rate_scales_the_incidents_and_nothing_else() {
    let count = |f: &[OutputFile]| file(f, "data/incidents.csv").lines().count() - 1;
    let full = generate(&DemoOptions::default());
    let quarter = generate(&DemoOptions {
        incident_rate: 0.25,
        ..DemoOptions::default()
    });
    let (n, q) = (count(&full), count(&quarter));
    assert!(
        q * 100 >= n * 15 && q * 100 <= n * 35,
        "{q} of {n} incidents at rate 0.25"
    );
    assert_eq!(
        file(&full, "data/deployments.csv"),
        file(&quarter, "data/deployments.csv")
    );
}
