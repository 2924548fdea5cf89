//! `import prometheus`: two saved responses of a Prometheus range query
//! (`/api/v1/query_range`, `resultType` `matrix`), one counting good events and one all
//! events, become `data/sli.csv` rows (`slo,timestamp,good,total`), one per step. Series of
//! a file are summed per step. Cumulative counters are turned into per-step increases (a
//! drop is a counter reset: the count restarted from 0); missing steps and resets are
//! reported, never filled.

use super::Planned;
use crate::diag::{Diagnostics, Pos};
use crate::load::signals::{SLI, SLI_COLUMNS};
use crate::load::time::format_utc;
use crate::model::Ts;
use serde_json::Value;
use std::collections::BTreeMap;

/// What the values of a response are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counts {
    /// Cumulative when every series still has its metric name (`__name__`, kept only by a
    /// plain counter selector such as `http_requests_total{...}`), per step otherwise (the
    /// result of `increase(...)` or `sum(...)`).
    Auto,
    /// Counter values since the process started: each step's count is the increase.
    Cumulative,
    /// Each value is the count of its step already.
    PerStep,
}

/// A saved response and the path it is reported under.
pub struct Source<'a> {
    pub path: &'a str,
    pub bytes: &'a [u8],
}

/// One series: its labels for messages and its points with their positions.
struct Series {
    labels: String,
    named: bool,
    points: Vec<(Ts, f64, Pos)>,
}

/// One file's per-step counts: step -> (count, position of the first point of that step).
type Steps = BTreeMap<Ts, (f64, Pos)>;

/// The `data/sli.csv` rows of `slo` from the two responses, and notes on resets and
/// missing steps. A step is written only when both files have it (and, for cumulative
/// counts, the step before it too, so each increase covers one step).
pub fn plan(
    slo: &str,
    good: &Source,
    total: &Source,
    counts: Counts,
    notes: &mut Vec<String>,
    diags: &mut Diagnostics,
) -> Planned {
    let g = read(good, diags);
    let t = read(total, diags);
    let step = [&g, &t]
        .iter()
        .flat_map(|f| f.iter())
        .flat_map(|s| s.points.windows(2).map(|w| w[1].0 - w[0].0))
        .filter(|d| *d > 0)
        .min()
        .unwrap_or(0);
    let g = steps(good.path, g, counts, step, notes);
    let t = steps(total.path, t, counts, step, notes);
    let mut records = Vec::new();
    let mut unmatched: Vec<Ts> = Vec::new();
    for (&ts, &(tv, _)) in &t {
        let Some(&(gv, pos)) = g.get(&ts) else {
            unmatched.push(ts);
            continue;
        };
        let (gr, tr) = (gv.round(), tv.round());
        if gr > tr {
            diags.error(
                good.path,
                Some(pos),
                format!(
                    "good ({gr}) is greater than total ({tr}) at {}; the two queries must count the same events, good ones being a subset",
                    format_utc(ts)
                ),
            );
            continue;
        }
        records.push(vec![
            ("slo", slo.to_string()),
            ("timestamp", format_utc(ts)),
            ("good", format!("{gr:.0}")),
            ("total", format!("{tr:.0}")),
        ]);
    }
    unmatched.extend(g.keys().filter(|ts| !t.contains_key(ts)));
    if !unmatched.is_empty() {
        unmatched.sort_unstable();
        notes.push(format!(
            "{} step{} in only one of the two files (first: {}); no row written for {}",
            unmatched.len(),
            if unmatched.len() == 1 { " is" } else { "s are" },
            format_utc(unmatched[0]),
            if unmatched.len() == 1 { "it" } else { "them" }
        ));
    }
    Planned {
        path: SLI,
        columns: &SLI_COLUMNS,
        header: &["slo", "timestamp", "good", "total"],
        key: &["slo", "timestamp"],
        records,
    }
}

/// A file's series, each point with its position; problems reported at them.
fn read(src: &Source, diags: &mut Diagnostics) -> Vec<Series> {
    let v: Value = match serde_json::from_slice(src.bytes) {
        Ok(v) => v,
        Err(e) => {
            let pos = Pos {
                line: e.line() as u32,
                column: e.column() as u32,
            };
            diags.file_error(
                src.path,
                Some(pos),
                format!("not JSON: {e}; save the response of /api/v1/query_range as it is"),
            );
            return Vec::new();
        }
    };
    let at_start = Some(Pos { line: 1, column: 1 });
    if v["status"] != "success" {
        diags.file_error(
            src.path,
            at_start,
            format!(
            "the response's status is {} ({}); save a successful response of /api/v1/query_range",
            v["status"], v["error"].as_str().unwrap_or("no error message")
        ),
        );
        return Vec::new();
    }
    if v["data"]["resultType"] != "matrix" {
        diags.file_error(src.path, at_start, format!(
            "resultType is {}, not \"matrix\"; save a range query (/api/v1/query_range with start, end and step)",
            v["data"]["resultType"]
        ));
        return Vec::new();
    }
    let positions = pair_positions(src.bytes);
    let empty = Vec::new();
    let result = v["data"]["result"].as_array().unwrap_or(&empty);
    let mut out = Vec::new();
    for (i, s) in result.iter().enumerate() {
        let metric = s["metric"].as_object();
        let labels = metric.map_or(String::from("{}"), |m| {
            let inner: Vec<String> = m.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{{{}}}", inner.join(","))
        });
        let mut series = Series {
            labels,
            named: metric.is_some_and(|m| m.contains_key("__name__")),
            points: Vec::new(),
        };
        for (j, p) in s["values"].as_array().unwrap_or(&empty).iter().enumerate() {
            let pos = positions
                .get(i)
                .and_then(|v| v.get(j))
                .copied()
                .unwrap_or_default();
            let ts = p[0].as_f64();
            let value = p[1]
                .as_str()
                .and_then(|t| t.parse::<f64>().ok())
                .filter(|v| v.is_finite() && *v >= 0.0);
            match (ts, value) {
                (Some(ts), Some(value)) => series.points.push((ts.floor() as Ts, value, pos)),
                _ => diags.error(src.path, Some(pos), format!(
                    "point {p} is not [unix seconds, \"count\"] with a finite count of at least 0; save the query's response unchanged"
                )),
            }
        }
        out.push(series);
    }
    out
}

/// Sums a file's series per step, after turning cumulative values into increases.
fn steps(
    path: &str,
    series: Vec<Series>,
    counts: Counts,
    step: Ts,
    notes: &mut Vec<String>,
) -> Steps {
    let cumulative = match counts {
        Counts::Auto => !series.is_empty() && series.iter().all(|s| s.named),
        Counts::Cumulative => true,
        Counts::PerStep => false,
    };
    let mut out = Steps::new();
    for s in series {
        let mut prev: Option<(Ts, f64)> = None;
        for (ts, v, pos) in s.points {
            let gap = prev.is_some_and(|(p, _)| step > 0 && ts - p > step);
            if gap {
                let (p, _) = prev.unwrap_or_default();
                let missing = (ts - p) / step - 1;
                notes.push(format!(
                    "{path}: {missing} step{} missing after {} in series {}; no row for {}{}",
                    if missing == 1 { "" } else { "s" },
                    format_utc(p),
                    s.labels,
                    if missing == 1 { "it" } else { "them" },
                    if cumulative {
                        format!(", nor for {}, whose increase spans the gap", format_utc(ts))
                    } else {
                        String::new()
                    }
                ));
            }
            let count = match prev {
                _ if !cumulative => Some(v),
                None => None,
                Some(_) if gap => None,
                Some((_, before)) if v < before => {
                    notes.push(format!(
                        "{path}: counter reset at {} in series {} ({before} then {v}); counted from 0",
                        format_utc(ts),
                        s.labels
                    ));
                    Some(v)
                }
                Some((_, before)) => Some(v - before),
            };
            prev = Some((ts, v));
            if let Some(c) = count {
                let e = out.entry(ts).or_insert((0.0, pos));
                e.0 += c;
            }
        }
    }
    out
}

/// The position of every `[time, value]` pair, per series in document order: the arrays
/// opened inside each array that is the value of a `"values"` key.
fn pair_positions(bytes: &[u8]) -> Vec<Vec<Pos>> {
    #[derive(PartialEq)]
    enum Open {
        Object,
        Array,
        Values,
    }
    let mut out: Vec<Vec<Pos>> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let (mut line, mut column) = (1u32, 1u32);
    let (mut in_string, mut escape, mut start) = (false, false, 0usize);
    let (mut values_key, mut values_next) = (false, false);
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            if escape {
                escape = false;
            } else if b == b'\\' {
                escape = true;
            } else if b == b'"' {
                in_string = false;
                values_key = stack.last() == Some(&Open::Object) && &bytes[start..i] == b"values";
            }
        } else {
            match b {
                b'"' => {
                    in_string = true;
                    start = i + 1;
                }
                b':' => values_next = values_key,
                b'{' => stack.push(Open::Object),
                b'[' if values_next => {
                    stack.push(Open::Values);
                    out.push(Vec::new());
                }
                b'[' => {
                    if stack.last() == Some(&Open::Values) {
                        if let Some(s) = out.last_mut() {
                            s.push(Pos { line, column });
                        }
                    }
                    stack.push(Open::Array);
                }
                b']' | b'}' => {
                    stack.pop();
                }
                _ => {}
            }
            if matches!(b, b',' | b'{' | b'[' | b'}' | b']') {
                values_key = false;
                values_next = false;
            }
        }
        if b == b'\n' {
            line += 1;
            column = 1;
        } else if b & 0xC0 != 0x80 {
            column += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::rows;

    /// A response with the given series: (labels JSON, [(unix seconds, value)]).
    fn response(series: &[(&str, &[(i64, &str)])]) -> String {
        let result: Vec<String> = series
            .iter()
            .map(|(m, pts)| {
                let values: Vec<String> =
                    pts.iter().map(|(t, v)| format!("[{t},\"{v}\"]")).collect();
                format!("{{\"metric\":{m},\"values\":[{}]}}", values.join(","))
            })
            .collect();
        format!(
            "{{\"status\":\"success\",\"data\":{{\"resultType\":\"matrix\",\"result\":[{}]}}}}",
            result.join(",")
        )
    }

    // 2026-07-01T00:00:00Z.
    const T0: i64 = 1_782_864_000;

    /// Plans `good` and `total` as `good.json` and `total.json`: the rows, notes and
    /// diagnostics.
    fn run(good: &str, total: &str, counts: Counts) -> (Planned, Vec<String>, Vec<String>) {
        let (mut notes, mut d) = (Vec::new(), Diagnostics::new());
        let p = plan(
            "api",
            &Source {
                path: "good.json",
                bytes: good.as_bytes(),
            },
            &Source {
                path: "total.json",
                bytes: total.as_bytes(),
            },
            counts,
            &mut notes,
            &mut d,
        );
        let m = d.sorted().iter().map(|d| d.to_string()).collect();
        (p, notes, m)
    }

    #[test]
    fn per_step_counts_are_summed_over_series_and_rounded() {
        // `sum by (code) (increase(...[1h]))`: no __name__, so per step. Good at 00:00 is
        // 89.6 + 0.3 = 89.9 -> 90; total 99.7 -> 100; at 01:00 good 95 of 100.
        let good = response(&[
            (r#"{"code":"200"}"#, &[(T0, "89.6"), (T0 + 3600, "95")]),
            (r#"{"code":"201"}"#, &[(T0, "0.3")]),
        ]);
        let total = response(&[("{}", &[(T0, "99.7"), (T0 + 3600, "100")])]);
        let (p, notes, m) = run(&good, &total, Counts::Auto);
        assert!(m.is_empty() && notes.is_empty(), "{notes:?}");
        assert_eq!(
            rows(&p),
            [
                "api,2026-07-01T00:00:00Z,90,100",
                "api,2026-07-01T01:00:00Z,95,100"
            ]
        );
    }

    #[test]
    fn good_above_total_is_an_error_at_the_point() {
        let good = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[\n{\"metric\":{},\"values\":[[1782864000,\"5\"],\n  [1782867600,\"11\"]]}]}}";
        let total = response(&[("{}", &[(T0, "10"), (T0 + 3600, "10")])]);
        let (p, _, m) = run(good, &total, Counts::PerStep);
        assert_eq!(rows(&p), ["api,2026-07-01T00:00:00Z,5,10"]);
        // The second pair opens on line 3 at column 3.
        assert_eq!(m, ["good.json:3:3: error: good (11) is greater than total (10) at 2026-07-01T01:00:00Z; the two queries must count the same events, good ones being a subset"]);
    }

    #[test]
    fn not_a_matrix_and_bad_points_are_reported() {
        let vector = r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#;
        let bad = r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1782864000,"NaN"]]}]}}"#;
        let (_, _, m) = run(vector, bad, Counts::Auto);
        assert_eq!(m, [
            "good.json:1:1: error: resultType is \"vector\", not \"matrix\"; save a range query (/api/v1/query_range with start, end and step)",
            // `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[` is 83 characters.
            "total.json:1:84: error: point [1782864000,\"NaN\"] is not [unix seconds, \"count\"] with a finite count of at least 0; save the query's response unchanged",
        ]);
    }
}
