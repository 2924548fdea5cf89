//! Data tables: takes a spec and returns the numbers it draws as a `DataTable` (rows of
//! strings, "n/a" for missing values), as CSV, and as the HTML `<details>` block and the
//! annotation list shown under a chart.

use super::axis::fmt_num;
use super::layers::{self, Side};
use super::svg::esc;
use super::{Chart, ChartKind, ChartSpec, Series, XAxis};
use chrono::TimeZone;
use std::fmt::Write as _;

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
    let columns: Vec<Vec<String>> = spec.series.iter().map(|s| column(s, &xs)).collect();
    let mut rows: Vec<Vec<String>> = labels
        .into_iter()
        .enumerate()
        .map(|(i, label)| {
            let mut row = vec![label];
            row.extend(columns.iter().map(|c| c[i].clone()));
            row
        })
        .collect();
    let mut footer = Vec::new();
    if let ChartKind::BeforeAfter { at } = spec.kind {
        headers.push("side".to_string());
        for (row, &x) in rows.iter_mut().zip(&xs) {
            row.push(side_name(layers::side(&spec.x, x, at)).to_string());
        }
        let [before, after] = layers::medians(spec, at);
        for ((m, n), name) in [(before, "before"), (after, "after")] {
            let m = m.map_or("n/a".to_string(), fmt_num);
            footer.push(vec![format!("median {name} {at}"), m, format!("n={n}")]);
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
            p.iter().map(|t| t.label.clone()).collect(),
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
    let mut points: Vec<(f64, Option<f64>)> = s.points.clone();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
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

/// The `<details>` block under a chart: its numbers as a table and a link to the CSV.
pub fn details_html(chart: &Chart, csv_href: &str) -> String {
    let t = &chart.table;
    let mut out = String::from("<details class=\"chart-data\"><summary>Data table</summary>\n");
    let _ = write!(
        out,
        "<table>\n<caption>{}</caption>\n<thead><tr>",
        esc(&t.caption)
    );
    for h in &t.headers {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        push_row(&mut out, row);
    }
    out.push_str("</tbody>\n");
    if !t.footer.is_empty() {
        out.push_str("<tfoot>\n");
        for row in &t.footer {
            push_row(&mut out, row);
        }
        out.push_str("</tfoot>\n");
    }
    let _ = write!(
        out,
        "</table>\n<p><a href=\"{}\" download>Download CSV</a></p>\n</details>\n",
        esc(csv_href)
    );
    out
}

fn push_row(out: &mut String, row: &[String]) {
    out.push_str("<tr>");
    for (i, cell) in row.iter().enumerate() {
        if i == 0 {
            let _ = write!(out, "<th scope=\"row\">{}</th>", esc(cell));
        } else {
            let _ = write!(out, "<td>{}</td>", esc(cell));
        }
    }
    out.push_str("</tr>\n");
}

/// The annotations of a chart as a list with links; empty when it has none. A link is
/// kept only when it is `http(s)` or relative (no `javascript:` and the like).
pub fn annotation_list_html(chart: &Chart) -> String {
    if chart.annotations.is_empty() {
        return String::new();
    }
    let mut out = String::from("<ul class=\"chart-anns\">\n");
    for a in &chart.annotations {
        let kind = a.kind.as_str();
        let when = match a.end.filter(|e| *e > a.start) {
            Some(end) => format!("<time>{}</time> to <time>{end}</time>", a.start),
            None => format!("<time>{}</time>", a.start),
        };
        let title = match a.link.as_deref().filter(|l| safe_link(l)) {
            Some(link) => format!("<a href=\"{}\">{}</a>", esc(link), esc(&a.title)),
            None => esc(&a.title),
        };
        let _ = writeln!(
            out,
            "<li class=\"ann-{kind}\"><span class=\"ann-kind\">{kind}</span> {when}: {title}</li>"
        );
    }
    out.push_str("</ul>\n");
    out
}

fn safe_link(link: &str) -> bool {
    let lower = link.trim().to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let path_start = lower.find(['/', '?', '#']);
    match (scheme_end, path_start) {
        (None, _) => true,
        (Some(c), Some(p)) if p < c => true,
        _ => lower.starts_with("https://") || lower.starts_with("http://"),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_link;

    #[test]
    fn only_web_and_relative_links_are_kept() {
        assert!(safe_link("https://example.org/x"));
        assert!(safe_link("../retros/inc-1.html"));
        assert!(safe_link("/a/b?x=1:2"));
        assert!(!safe_link("javascript:alert(1)"));
        assert!(!safe_link(" JavaScript:alert(1)"));
        assert!(!safe_link("data:text/html,x"));
    }
}
