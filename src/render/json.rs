//! JSON rows: takes the metrics `Report` and returns the rows of `almanac metrics --format
//! json` and of the data exports (`exports.rs`), every scope x every quarter, month and
//! week, one flat object with the `almanac metrics` keys, rounded to 6 significant digits.
//!
//! Export files hold one row per line, which keeps them reviewable in pull requests (a
//! changed figure is a changed line).

use crate::metrics::trend::Trend;
use crate::metrics::trends::{Change, Intervention, ScopeTrends};
use crate::metrics::{Figures, ScopeReport};
use crate::period::Grain;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io;

/// Writes floats rounded to 6 significant digits, everything else as compact JSON.
struct Rounded;

impl serde_json::ser::Formatter for Rounded {
    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        serde_json::ser::CompactFormatter.write_f64(writer, round_significant(value, 6))
    }
}

/// `v` rounded to `digits` significant digits (half away from zero).
pub fn round_significant(v: f64, digits: i32) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let magnitude = v.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits - 1 - magnitude);
    let r = (v * scale).round() / scale;
    if r.is_finite() {
        r
    } else {
        v
    }
}

/// One value as compact JSON with rounded numbers.
pub fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Rounded);
    value.serialize(&mut ser).expect("figures serialise");
    out
}

/// One row of `metrics.json` (and of `almanac metrics --format json`): the figures, each
/// figure against the previous period (a partial row against the same days of it, named in
/// `compared_with`), and on the rows where they belong, the 13-week trends (the scope's
/// latest complete week) and interventions (the week they happened).
#[derive(Serialize)]
pub struct Row<'a> {
    #[serde(flatten)]
    pub figures: &'a Figures,
    pub vs_previous: BTreeMap<&'static str, Change>,
    /// On a partial row, what `vs_previous` compares it with: the previous period's
    /// first `days` days (`Calendar::baseline`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared_with: Option<ComparedWith>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trend_13w: Option<&'a BTreeMap<&'static str, Trend>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub interventions: Vec<&'a Intervention>,
}

/// The stretch a partial row is compared with: `{"period":"2026-W39","start":
/// "2026-09-21","end":"2026-09-23","days":3}`.
#[derive(Debug, Serialize)]
pub struct ComparedWith {
    pub period: String,
    pub start: String,
    pub end: String,
    pub days: u32,
}

impl ComparedWith {
    /// For a partial row, the span of the row it is compared with; `None` otherwise.
    pub fn of(row: &Figures, previous: Option<&Figures>) -> Option<ComparedWith> {
        let p = previous.filter(|_| row.partial)?;
        Some(ComparedWith {
            period: p.period.clone(),
            start: p.start.clone(),
            end: p.end.clone(),
            days: p.days,
        })
    }
}

/// The rows of one scope: every grain's periods, each against the one before.
pub fn scope_rows<'a>(s: &'a ScopeReport, t: &'a ScopeTrends) -> Vec<Row<'a>> {
    let mut out = Vec::new();
    for (grain, series) in &s.series {
        for (i, f) in series.iter().enumerate() {
            let latest_week =
                *grain == Grain::Week && t.trend.week.as_deref() == Some(f.period.as_str());
            out.push(Row {
                figures: f,
                vs_previous: t.vs_previous(*grain, i),
                compared_with: ComparedWith::of(f, s.previous(*grain, i)),
                trend_13w: latest_week.then_some(&t.trend.figures),
                interventions: if *grain == Grain::Week {
                    t.interventions
                        .iter()
                        .filter(|v| f.start <= v.date && v.date <= f.end)
                        .collect()
                } else {
                    Vec::new()
                },
            });
        }
    }
    out
}

/// Rows already serialised, as a JSON array with one row per line.
pub fn lines_array(lines: Vec<Vec<u8>>) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(lines.iter().map(|l| l.len() + 2).sum::<usize>() + 4);
    bytes.extend_from_slice(b"[\n");
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            bytes.extend_from_slice(b",\n");
        }
        bytes.extend_from_slice(line);
    }
    bytes.extend_from_slice(b"\n]\n");
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_to_six_significant_digits() {
        assert_eq!(round_significant(1.866_666_666_666_666_7, 6), 1.86667);
        assert_eq!(round_significant(0.999_912_345, 6), 0.999912);
        assert_eq!(round_significant(1352.141_304_347_826, 6), 1352.14);
        assert_eq!(round_significant(-8.0, 6), -8.0);
        assert_eq!(round_significant(38.4, 6), 38.4);
        assert_eq!(round_significant(0.0, 6), 0.0);
    }

    #[test]
    fn writes_compact_rounded_json() {
        #[derive(Serialize)]
        struct Row {
            a: Option<f64>,
            b: Option<f64>,
            n: u64,
        }
        let bytes = to_json(&Row {
            a: Some(28.0 / 15.0),
            b: None,
            n: 4,
        });
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            r#"{"a":1.86667,"b":null,"n":4}"#
        );
    }

    /// The test-only catalogue entry reaches `data/metrics/org.json` with nothing but its
    /// entry and function: org 2026-Q3 (to 15 July) has i1..i4, of which i3 and i4 are not
    /// resolved by as_of -> 4 - 2 = 2, an integer, after the last built-in figure.
    #[test]
    fn a_new_catalogue_entry_reaches_the_exports() {
        use crate::metrics::tests::{full_site, report_at};
        let dir = full_site();
        let report = report_at(dir.path(), chrono_tz::UTC, false);
        let files = std::sync::Mutex::new(Vec::new());
        crate::render::exports::exports(&report, None, &|f| {
            files.lock().unwrap().push(f);
            Ok::<(), ()>(())
        })
        .unwrap();
        let files = files.into_inner().unwrap();
        let org = files
            .iter()
            .find(|f| f.path == "data/metrics/org.json")
            .unwrap();
        let text = String::from_utf8(org.bytes.clone()).unwrap();
        let org_q3 = text
            .lines()
            .find(|l| l.starts_with(r#"{"scope":"org","period":"2026-Q3""#))
            .unwrap();
        assert!(
            org_q3
                .contains(r#""after_hours_page_rate":null,"test_resolved_incidents":2,"slo_ids""#),
            "{org_q3}"
        );
        // as_of 2026-07-15 cuts Q3 to 15 of 92 days: partial, compared with Q2's first
        // 15 days (1 .. 15 April); Q2 is complete (30 + 31 + 30 = 91 days).
        assert!(
            org_q3.contains(r#""end":"2026-07-15","partial":true,"days":15,"#),
            "{org_q3}"
        );
        assert!(
            org_q3.contains(
                r#""compared_with":{"period":"2026-Q2","start":"2026-04-01","end":"2026-04-15","days":15}}"#
            ),
            "{org_q3}"
        );
        // Q2 ends before the first incident: no incident data, so null rather than 0.
        let org_q2 = text
            .lines()
            .find(|l| l.starts_with(r#"{"scope":"org","period":"2026-Q2""#))
            .unwrap();
        assert!(
            org_q2.contains(r#""test_resolved_incidents":null"#),
            "{org_q2}"
        );
        assert!(
            org_q2.contains(r#""end":"2026-06-30","partial":false,"days":91,"#),
            "{org_q2}"
        );
        assert!(!org_q2.contains("compared_with"), "{org_q2}");
    }
}
