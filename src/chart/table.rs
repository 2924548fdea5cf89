//! Data tables: takes a spec and returns the numbers it draws as a `DataTable` (rows of
//! strings, "n/a" for missing values) and as CSV. Render writes them as HTML.

use super::axis::fmt_num;
use super::layers::{self, Side};
use super::{ChartKind, ChartSpec, Series, XAxis};
use chrono::TimeZone;

/// A chart's numbers: one row per x, one column per series. A cell is "n/a" where the
/// series has the point but no value, and empty where the series has no point at that x
/// (e.g. the two-point ideal line of a burn-down).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataTable {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Summary rows (the before/after medians), shown in `<tfoot>`, not in the CSV.
    pub footer: Vec<Vec<String>>,
}

impl DataTable {
    /// Headers and rows as CSV (`\n` line ends, quoted where needed).
    pub fn to_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        for record in std::iter::once(&self.headers).chain(&self.rows) {
            // Writing to a Vec cannot fail.
            let _ = w.write_record(record);
        }
        let bytes = w.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

pub(super) fn build(spec: &ChartSpec) -> DataTable {
    let (xs, labels) = row_keys(&spec.x, &spec.series);
    let unit = if spec.unit.is_empty() {
        String::new()
    } else {
        format!(" ({})", spec.unit)
    };
    let mut headers = vec![match spec.x {
        XAxis::Periods(_) => "period".to_string(),
        XAxis::Time { .. } => "time".to_string(),
    }];
    headers.extend(spec.series.iter().map(|s| format!("{}{unit}", s.name)));
    // The cells are moved into rows of their exact width: a build holds every chart's table.
    let mut columns: Vec<_> = spec
        .series
        .iter()
        .map(|s| column(s, &xs).into_iter())
        .collect();
    let width = 1 + columns.len() + usize::from(matches!(spec.kind, ChartKind::BeforeAfter { .. }));
    let mut rows: Vec<Vec<String>> = labels
        .into_iter()
        .map(|label| {
            let mut row = Vec::with_capacity(width);
            row.push(label);
            row.extend(columns.iter_mut().map(|c| c.next().unwrap_or_default()));
            row
        })
        .collect();
    let mut footer = Vec::new();
    if let ChartKind::BeforeAfter { at, before, after } = &spec.kind {
        let at = *at;
        headers.push("side".to_string());
        for (row, &x) in rows.iter_mut().zip(&xs) {
            row.push(side_name(layers::side(&spec.x, x, at)).to_string());
        }
        for (half, name) in [(before, "before"), (after, "after")] {
            let m = half.median.map_or("n/a".to_string(), fmt_num);
            footer.push(vec![
                format!("median {name} {at}"),
                m,
                format!("n={}", half.n),
            ]);
        }
    }
    DataTable {
        caption: spec.title.clone(),
        headers,
        rows,
        footer,
    }
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Before => "before",
        Side::After => "after",
        Side::During => "intervention period",
    }
}

/// The x of every row and its label: every period, or every time any series has a point.
fn row_keys(x: &XAxis, series: &[Series]) -> (Vec<f64>, Vec<String>) {
    match x {
        XAxis::Periods(p) => (
            (0..p.len()).map(|i| i as f64).collect(),
            p.iter()
                .map(|t| match t.partial {
                    true => format!("{} (partial)", t.label),
                    false => t.label.clone(),
                })
                .collect(),
        ),
        XAxis::Time { calendar, .. } => {
            let mut xs: Vec<f64> = series
                .iter()
                .flat_map(|s| s.points.iter().map(|p| p.0))
                .filter(|x| x.is_finite())
                .collect();
            xs.sort_by(f64::total_cmp);
            xs.dedup();
            let labels = xs
                .iter()
                .map(|&x| match calendar.tz.timestamp_opt(x as i64, 0).single() {
                    Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
                    None => fmt_num(x),
                })
                .collect();
            (xs, labels)
        }
    }
}

/// One series' cells at the row xs.
fn column(s: &Series, xs: &[f64]) -> Vec<String> {
    let by_x = |a: &(f64, Option<f64>), b: &(f64, Option<f64>)| a.0.total_cmp(&b.0);
    let sorted;
    let points = if s.points.is_sorted_by(|a, b| by_x(a, b).is_le()) {
        &s.points
    } else {
        let mut p = s.points.clone();
        p.sort_by(by_x);
        sorted = p;
        &sorted
    };
    xs.iter()
        .map(|x| match points.binary_search_by(|p| p.0.total_cmp(x)) {
            Ok(i) => points[i]
                .1
                .filter(|v| v.is_finite())
                .map_or("n/a".to_string(), fmt_num),
            Err(_) => String::new(),
        })
        .collect()
}
