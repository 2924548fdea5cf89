//! Metric definitions as code: the version each metric is computed under (the current one,
//! or an older one pinned in `[definitions]`), the checks that a definition page, a pin and
//! a coaching question name metrics and versions the code implements, and each definition
//! change read from a page's changelog, which the quarter it took effect shows under both
//! versions side by side.

use crate::config::{Config, CONFIG_FILE};
use crate::diag::similar::did_you_mean;
use crate::diag::{Diagnostics, Pos};
use crate::metrics::catalog::Metric;
use crate::model::MetricDef;
use chrono::NaiveDate;

pub use crate::metrics::catalog::Versions;

/// A definition version taking effect, from a definition page's changelog: on `date`,
/// `metric` went from version `from` to `to` (both implemented by the code).
#[derive(Debug, Clone, PartialEq)]
pub struct VersionChange {
    pub metric: Metric,
    pub from: u32,
    pub to: u32,
    pub date: NaiveDate,
}

/// Every change the site's definition pages record between two versions the code
/// implements, in page then changelog order. A changelog entry for version 1, or for a
/// version the code lacks, records history but has no second figure to show.
pub fn changes(defs: &[MetricDef]) -> Vec<VersionChange> {
    let mut out = Vec::new();
    for def in defs {
        let Some(metric) = Metric::from_key(&def.id) else {
            continue;
        };
        for entry in &def.changelog {
            let Ok(to) = entry.version.parse::<u32>() else {
                continue;
            };
            if to >= 2 && metric.version(to).is_some() && metric.version(to - 1).is_some() {
                out.push(VersionChange {
                    metric,
                    from: to - 1,
                    to,
                    date: entry.date,
                });
            }
        }
    }
    out
}

/// The implemented versions of `m`, as "1 and 2" or "1".
fn implemented(m: Metric) -> String {
    let n: Vec<String> = m
        .entry()
        .versions
        .iter()
        .map(|v| v.number.to_string())
        .collect();
    match n.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => String::new(),
    }
}

/// "; did you mean `x`?" when `name` looks like a typo of a metric key.
pub fn hint(name: &str) -> String {
    did_you_mean(name, Metric::ALL.iter().map(|m| m.key()))
}

/// Every problem with the site's definitions: a definition page for a metric almanac does
/// not compute, a page `version` the code does not implement or that is not the version
/// the figures use, and `[definitions]` pins and `[coaching]` keys naming unknown metrics
/// or versions. All are errors: a page that misstates its arithmetic is wrong.
pub fn check(config: &Config, defs: &[MetricDef]) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let versions = Versions::of(config);
    for pin in &config.definitions {
        let Some(m) = Metric::from_key(&pin.metric) else {
            diags.error(
                CONFIG_FILE,
                Some(pin.at),
                format!(
                    "`[definitions]` pins `{}`, which is not a metric almanac computes{}; the metrics are listed in the README",
                    pin.metric,
                    hint(&pin.metric)
                ),
            );
            continue;
        };
        if m.version(pin.version).is_none() {
            diags.error(
                CONFIG_FILE,
                Some(pin.at),
                format!(
                    "`[definitions] {} = {}`: almanac implements version {} of this metric; pin one of them",
                    pin.metric,
                    pin.version,
                    implemented(m)
                ),
            );
        }
    }
    for p in &config.coaching {
        if Metric::from_key(&p.metric).is_none() {
            diags.error(
                CONFIG_FILE,
                Some(p.at),
                format!(
                    "`[coaching]` has questions for `{}`, which is not a metric almanac computes{}",
                    p.metric,
                    hint(&p.metric)
                ),
            );
        }
    }
    for def in defs {
        let at = (def.version_line > 0).then_some(Pos {
            line: def.version_line,
            column: 0,
        });
        let Some(m) = Metric::from_key(&def.id) else {
            diags.error(
                &def.path,
                None,
                format!(
                    "`{}` is not a metric almanac computes{}; a definition page documents one of the metrics in the README (its file name and `id` are the metric's key)",
                    def.id,
                    hint(&def.id)
                ),
            );
            continue;
        };
        let used = versions.get(m);
        match def.version.parse::<u32>().ok().filter(|&n| m.version(n).is_some()) {
            None => diags.error(
                &def.path,
                at,
                format!(
                    "version `{}` of `{}` is not one almanac implements (it implements version {}); set `version` to the one the site uses",
                    def.version,
                    def.id,
                    implemented(m)
                ),
            ),
            Some(n) if n != used => {
                let how = if versions.pinned(m) {
                    format!("version {used}, pinned by `[definitions] {} = {used}` in {CONFIG_FILE}", def.id)
                } else {
                    format!("version {used}, the current version")
                };
                diags.error(
                    &def.path,
                    at,
                    format!(
                        "this page says version {n}, but every figure of `{}` is computed under {how}; set `version = \"{used}\"`, or pin version {n} with `[definitions] {} = {n}` in {CONFIG_FILE}",
                        def.id, def.id
                    ),
                );
            }
            Some(_) => {}
        }
    }
    diags
}

#[cfg(test)]
#[path = "definitions_tests.rs"]
mod tests;
