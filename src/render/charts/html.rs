//! Chart HTML (render stage): takes a drawn `Chart` and returns the HTML shown under it:
//! its data table as a `<details>` block with a link to its CSV, and its annotations as a
//! list with their links.

use crate::chart::{esc, Chart};
use std::fmt::Write as _;

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
    use super::*;
    use crate::chart::{
        draw, ChartAnnotation, ChartKind, ChartSpec, PeriodTick, Role, Series, XAxis,
    };
    use crate::model::AnnotationKind;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Two weeks (2026-W02, 2026-W03) of one series "x" in hours: 1.5, then no value.
    fn two_weeks(annotations: Vec<ChartAnnotation>) -> Chart {
        let week = |first: &str, label: &str| PeriodTick {
            first_day: d(first),
            last_day: d(first) + chrono::Duration::days(6),
            label: label.to_string(),
            partial: false,
        };
        draw(&ChartSpec {
            id: "lead-time".to_string(),
            kind: ChartKind::Line,
            title: "Lead time <weekly>".to_string(),
            desc: String::new(),
            x: XAxis::Periods(vec![
                week("2026-01-05", "2026-W02"),
                week("2026-01-12", "2026-W03"),
            ]),
            series: vec![Series::aligned("x", Role::Primary, &[Some(1.5), None])],
            unit: "h".to_string(),
            annotations,
            bands: Vec::new(),
            thresholds: Vec::new(),
            shaded: Vec::new(),
        })
    }

    fn ann(title: &str, link: &str) -> ChartAnnotation {
        ChartAnnotation {
            start: d("2026-01-07"),
            end: None,
            kind: AnnotationKind::Launch,
            title: title.to_string(),
            link: Some(link.to_string()),
        }
    }

    #[test]
    fn the_data_table_renders_with_a_csv_link() {
        let html = details_html(&two_weeks(Vec::new()), "lead-time.csv");
        assert!(html.starts_with("<details class=\"chart-data\"><summary>Data table</summary>"));
        assert!(html.contains("<caption>Lead time &lt;weekly&gt;</caption>"));
        assert!(html.contains("<th scope=\"col\">x (h)</th>"));
        assert!(html.contains("<tr><th scope=\"row\">2026-W02</th><td>1.5</td></tr>"));
        assert!(html.contains("<tr><th scope=\"row\">2026-W03</th><td>n/a</td></tr>"));
        assert!(html.contains("<a href=\"lead-time.csv\" download>Download CSV</a>"));
        assert!(!html.contains("<tfoot>"));
    }

    #[test]
    fn annotations_are_listed_with_their_links() {
        let chart = two_weeks(vec![ann("in", "../retros/in.html")]);
        assert_eq!(
            annotation_list_html(&chart),
            "<ul class=\"chart-anns\">\n<li class=\"ann-launch\"><span class=\"ann-kind\">\
             launch</span> <time>2026-01-07</time>: <a href=\"../retros/in.html\">in</a></li>\n\
             </ul>\n"
        );
        assert_eq!(annotation_list_html(&two_weeks(Vec::new())), "");
    }

    #[test]
    fn hostile_titles_and_links_are_escaped_or_dropped() {
        let chart = two_weeks(vec![ann(
            "</title><script>x</script>",
            "javascript:alert(1)",
        )]);
        let html = details_html(&chart, "x.csv\"><script>");
        assert!(!html.contains("<script>") && html.contains("x.csv&quot;&gt;&lt;script&gt;"));
        let list = annotation_list_html(&chart);
        assert!(!list.contains("<script>") && list.contains("&lt;/title&gt;"));
        assert!(!list.contains("javascript") && !list.contains("<a "));
    }

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
