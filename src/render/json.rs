//! JSON rows: the row `almanac metrics --format json` prints (one flat object with the
//! figures and their comparison with the previous period) and the compact JSON writer the
//! data exports (`exports.rs`) use too, numbers rounded to 6 significant digits.

use crate::metrics::trends::Change;
use crate::metrics::Figures;
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

/// One row of `almanac metrics --format json`: the figures, and each figure against the
/// previous period (a partial row against the same days of it, named in `compared_with`).
#[derive(Serialize)]
pub struct Row<'a> {
    #[serde(flatten)]
    pub figures: &'a Figures,
    pub vs_previous: BTreeMap<&'static str, Change>,
    /// On a partial row, what `vs_previous` compares it with: the previous period's
    /// first `days` days (`Calendar::baseline`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared_with: Option<ComparedWith>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_to_six_significant_digits() {
        assert_eq!(round_significant(1.866_666_666_666_666_7, 6), 1.86667);
        assert_eq!(round_significant(0.999_912_345, 6), 0.999912);
        assert_eq!(round_significant(1_352.141_304_347_826, 6), 1352.14);
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
    /// entry and function: a column after the last built-in figure, and on org 2026-Q3 (to
    /// 15 July: i1..i4, of which i3 and i4 are not resolved by as_of) 4 - 2 = 2, an
    /// integer.
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
        let head = text.lines().next().unwrap();
        assert!(
            head.contains(r#""after_hours_page_rate","test_resolved_incidents","slo_status"]"#),
            "{head}"
        );
        // as_of 2026-07-15 cuts Q3 to 15 of 92 days: partial; 2 resolved incidents.
        let org_q3 = text
            .lines()
            .find(|l| l.starts_with(r#"["2026-Q3","2026-07-01","2026-07-15",true,15,"#))
            .unwrap();
        assert!(org_q3.ends_with(r#",2,{}],"#), "{org_q3}");
        // It is compared with Q2's first 15 days (1 .. 15 April), said once below the rows;
        // Q2 is complete (30 + 31 + 30 = 91 days).
        assert!(
            text.contains(
                r#"{"period":"2026-Q3","compared_with":{"period":"2026-Q2","start":"2026-04-01","end":"2026-04-15","days":15},"vs_previous":{"#
            ),
            "{text}"
        );
        // Q2 ends before the first incident: no incident data, so null rather than 0.
        let org_q2 = text
            .lines()
            .find(|l| l.starts_with(r#"["2026-Q2","2026-04-01","2026-06-30",false,91,"#))
            .unwrap();
        assert!(org_q2.ends_with(r#",null,{}],"#), "{org_q2}");
    }
}
