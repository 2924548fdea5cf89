//! Chart tests: fixtures (weekly axes, deterministic series, hostile annotations) and the
//! properties every chart has: accessible, deterministic, escaped, small, gaps not zeros.

use super::*;
use chrono::{Datelike, Duration};

pub(super) fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// `n` ISO weeks from Monday `first`, labelled like `2023-W01`.
pub(super) fn weeks(first: &str, n: usize) -> XAxis {
    let first = d(first);
    XAxis::Periods(
        (0..n)
            .map(|i| {
                let start = first + Duration::days(7 * i as i64);
                let w = start.iso_week();
                PeriodTick {
                    first_day: start,
                    last_day: start + Duration::days(6),
                    label: format!("{}-W{:02}", w.year(), w.week()),
                    partial: false,
                }
            })
            .collect(),
    )
}

/// A wavy, deterministic series of `n` values (no randomness): 20 + 8·sin(i/9) plus a
/// saw-tooth of 0.7·((37·i) mod 11), with gaps at the indices in `gaps`.
pub(super) fn wave(n: usize, gaps: &[usize]) -> Vec<Option<f64>> {
    (0..n)
        .map(|i| {
            let v = 20.0 + 8.0 * (i as f64 / 9.0).sin() + 0.7 * ((37 * i) % 11) as f64;
            (!gaps.contains(&i)).then_some((v * 10.0).round() / 10.0)
        })
        .collect()
}

/// Trailing median over `w` values, `None` until a window has a value (the middle value,
/// or the mean of the two middle ones).
pub(super) fn rolling_median(values: &[Option<f64>], w: usize) -> Vec<Option<f64>> {
    (0..values.len())
        .map(|i| {
            let mut win: Vec<f64> = values[i.saturating_sub(w - 1)..=i]
                .iter()
                .flatten()
                .copied()
                .collect();
            win.sort_by(f64::total_cmp);
            let n = win.len();
            (n > 0).then(|| (win[(n - 1) / 2] + win[n / 2]) / 2.0)
        })
        .collect()
}

/// One side of a before/after chart as its caller hands it over.
pub(super) fn side_median(median: Option<f64>, n: usize, label: &str) -> SideMedian {
    SideMedian {
        median,
        n,
        label: label.to_string(),
    }
}

pub(super) fn spec(kind: ChartKind, x: XAxis, series: Vec<Series>) -> ChartSpec {
    ChartSpec {
        id: "lead-time".to_string(),
        kind,
        title: "Lead time for changes, weekly median".to_string(),
        desc: "Lead time fell from about 24 h to 18 h over the period.".to_string(),
        x,
        series,
        unit: "h".to_string(),
        annotations: Vec::new(),
        bands: Vec::new(),
        thresholds: Vec::new(),
        shaded: Vec::new(),
    }
}

pub(super) fn ann(
    kind: AnnotationKind,
    start: &str,
    end: Option<&str>,
    title: &str,
) -> ChartAnnotation {
    ChartAnnotation {
        start: d(start),
        end: end.map(d),
        kind,
        title: title.to_string(),
        link: Some(format!("../retros/{}.html", crate::output::slug(title))),
    }
}

/// A 156-week line chart with a rolling median and ten annotations (two of them ranges).
pub(super) fn three_years() -> ChartSpec {
    let values = wave(156, &[40, 41, 97]);
    let mut s = spec(
        ChartKind::Line,
        weeks("2023-01-02", 156),
        vec![
            Series::aligned("lead time", Role::Primary, &values),
            Series::aligned(
                "4-week median",
                Role::RollingMedian,
                &rolling_median(&values, 4),
            ),
        ],
    );
    let kinds = AnnotationKind::ALL;
    s.annotations = (0..10)
        .map(|i| {
            let start = d("2023-01-02") + Duration::days(100 * i as i64 + 3);
            let end = (i % 4 == 1).then(|| start + Duration::days(20));
            ChartAnnotation {
                start,
                end,
                kind: kinds[i % kinds.len()],
                title: format!("Event number {i} with a readable title"),
                link: None,
            }
        })
        .collect();
    s
}

fn all_kinds() -> Vec<Chart> {
    let mut out = vec![draw(&three_years())];
    for kind in [
        ChartKind::Bars,
        ChartKind::Sparkline,
        // The medians are the caller's; the chart draws them as given.
        ChartKind::BeforeAfter {
            at: d("2023-03-01"),
            before: side_median(Some(22.0), 8, "before: median 22 h (n=8)"),
            after: side_median(Some(24.5), 145, "after: median 25 h (n=145)"),
        },
    ] {
        let mut s = three_years();
        s.kind = kind;
        out.push(draw(&s));
    }
    let mut empty = three_years();
    empty.series.iter_mut().for_each(|s| s.points.clear());
    out.push(draw(&empty));
    out
}

#[test]
fn every_chart_is_an_accessible_image() {
    for chart in all_kinds() {
        let svg = &chart.svg;
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(svg.contains(" role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"lead-time-t lead-time-d\""));
        assert!(
            svg.contains("<title id=\"lead-time-t\">Lead time for changes, weekly median</title>")
        );
        assert!(svg.contains("<desc id=\"lead-time-d\">Lead time fell"));
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}

#[test]
fn no_inline_style_and_no_presentation_attributes() {
    for chart in all_kinds() {
        for attr in [
            "style=",
            "stroke=",
            "fill=",
            "opacity=",
            "font-",
            "stroke-width",
        ] {
            assert!(!chart.svg.contains(attr), "{attr} in {}", chart.svg);
        }
    }
}

#[test]
fn coordinates_have_at_most_one_decimal() {
    for chart in all_kinds() {
        for number in chart.svg.split(|c: char| !(c.is_ascii_digit() || c == '.')) {
            if let Some((_, frac)) = number.split_once('.') {
                assert!(frac.len() <= 1, "{number} in {}", chart.svg);
            }
        }
    }
}

#[test]
fn the_same_spec_gives_the_same_bytes() {
    let spec = three_years();
    let a = draw(&spec);
    let b = draw(&spec.clone());
    assert_eq!(a, b);
}

#[test]
fn a_156_week_chart_with_annotations_fits_8_kb() {
    // The heaviest realistic line chart: 156 weeks with gaps, a rolling median, ten
    // annotations, the four DORA bands and a threshold.
    let mut spec = three_years();
    spec.bands = dora_bands(DoraKey::LeadTime, 2024);
    spec.thresholds = vec![("target 30 h".to_string(), 30.0)];
    let chart = draw(&spec);
    assert_eq!(chart.annotations.len(), 10);
    assert_eq!(chart.svg.matches(" class=\"ann ").count(), 10);
    assert!(chart.svg.len() <= 8192, "{} bytes", chart.svg.len());
}

#[test]
fn hostile_titles_are_escaped() {
    let mut s = three_years();
    s.title = "<script>alert('x')</script>".to_string();
    s.desc = "a & b \"quoted\"".to_string();
    s.annotations = vec![ann(
        AnnotationKind::Incident,
        "2023-06-01",
        None,
        "</title><script>x</script>",
    )];
    s.bands = vec![RefBand {
        label: "<b>elite</b>".into(),
        lo: 0.0,
        hi: 10.0,
    }];
    s.thresholds = vec![("obj <&>".into(), 25.0)];
    s.series[0].name = "a,\"b\"".to_string();
    let chart = draw(&s);
    assert!(!chart.svg.contains("<script>") && !chart.svg.contains("<b>"));
    assert!(chart
        .svg
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(chart
        .svg
        .contains("<desc id=\"lead-time-d\">a &amp; b &quot;quoted&quot;</desc>"));
    assert!(chart
        .svg
        .contains("&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;</title>"));
    assert!(chart.svg.contains(">obj &lt;&amp;&gt;</text>"));
    // The CSV quotes the header with a comma and doubles the quotes.
    assert!(chart
        .csv()
        .starts_with("period,\"a,\"\"b\"\" (h)\",4-week median (h)\n"));
}

#[test]
fn missing_values_break_the_line_instead_of_dropping_to_zero() {
    // Values 10, 20, None, 30, 40 over 5 periods: two runs, two polylines, no point at 0.
    let values = [Some(10.0), Some(20.0), None, Some(30.0), Some(40.0)];
    let chart = draw(&spec(
        ChartKind::Line,
        weeks("2026-01-05", 5),
        vec![Series::aligned("x", Role::Primary, &values)],
    ));
    let body = chart.svg.split("<g class=\"s s-primary\">").nth(1).unwrap();
    assert_eq!(
        body.split("</g>").next().unwrap().matches("<path").count(),
        2
    );
    // y axis 0..40 over the plot 14..218 px: the value 0 would be at y = 218.
    let group = body.split("</g>").next().unwrap();
    let ys: Vec<f64> = group
        .split("d=\"")
        .skip(1)
        .flat_map(|d| absolute_points(d.split('"').next().unwrap()))
        .map(|p| p.1)
        .collect();
    assert_eq!(ys.len(), 4);
    assert!(ys.iter().all(|&y| y < 218.0), "{ys:?}");
    assert_eq!(
        chart.table.rows[2],
        vec!["2026-W04".to_string(), "n/a".to_string()]
    );
    assert_eq!(chart.csv().lines().nth(3), Some("2026-W04,n/a"));
}

#[test]
fn a_lone_value_between_gaps_is_a_dot() {
    let values = [Some(10.0), None, Some(20.0), None, Some(30.0), Some(30.0)];
    let chart = draw(&spec(
        ChartKind::Line,
        weeks("2026-01-05", 6),
        vec![Series::aligned("x", Role::Primary, &values)],
    ));
    let body = chart.svg.split("<g class=\"s s-primary\">").nth(1).unwrap();
    let body = body.split("</g>").next().unwrap();
    assert_eq!(
        (
            body.matches("<circle").count(),
            body.matches("<path").count()
        ),
        (2, 1)
    );
}

#[test]
fn a_series_without_data_draws_an_empty_frame_saying_no_data() {
    let chart = draw(&spec(
        ChartKind::Line,
        weeks("2026-01-05", 4),
        vec![Series::aligned(
            "x",
            Role::Primary,
            &[None, None, None, None],
        )],
    ));
    assert!(chart.svg.contains("<g class=\"frame\">"));
    assert!(chart.svg.contains(">no data</text>"));
    assert!(!chart.svg.contains("<polyline"));
    assert!(chart.table.rows.iter().all(|r| r[1] == "n/a"));
}

#[test]
fn ids_are_prefixed_by_the_spec_id() {
    let mut s = three_years();
    s.id = "team a/lead".to_string();
    let chart = draw(&s);
    assert_eq!(chart.id, "team-a-lead");
    assert!(chart.svg.contains("<title id=\"team-a-lead-t\">"));
    assert_eq!(chart.svg.matches(" id=\"").count(), 2);
}

#[test]
fn annotations_outside_the_range_are_left_out() {
    let mut s = spec(
        ChartKind::Line,
        weeks("2026-01-05", 4),
        vec![Series::aligned(
            "x",
            Role::Primary,
            &[Some(1.0), Some(2.0), Some(3.0), Some(4.0)],
        )],
    );
    s.annotations = vec![
        ann(AnnotationKind::Launch, "2026-01-20", None, "in"),
        ann(AnnotationKind::Launch, "2025-12-01", None, "before"),
        ann(
            AnnotationKind::Freeze,
            "2025-12-20",
            Some("2026-01-06"),
            "overlaps the start",
        ),
        ann(AnnotationKind::Launch, "2026-02-02", None, "after"),
    ];
    let chart = draw(&s);
    let titles: Vec<&str> = chart.annotations.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, vec!["overlaps the start", "in"]);
    assert_eq!(
        chart.annotations[1].link.as_deref(),
        Some("../retros/in.html")
    );
}

#[test]
fn bands_are_all_one_style_and_labelled_by_name_and_year() {
    let mut s = three_years();
    s.bands = dora_bands(DoraKey::LeadTime, 2024);
    let chart = draw(&s);
    let band = chart.svg.split("<g class=\"band\">").nth(1).unwrap();
    let band = band.split("</g>").next().unwrap();
    // y runs 0..40 h: elite (0-24 h) and high (24-168 h, clipped to 40) show; medium and
    // low (from 168 h) are above the range and are not drawn.
    assert_eq!(band.matches("<rect").count(), 2);
    assert!(band.contains(">elite (2024)</text>") && band.contains(">high (2024)</text>"));
    assert_eq!(chart.svg.matches("class=\"band").count(), 1);
}

/// The absolute points of a path `d` written as `M x y l dx dy dx dy ...`.
pub(super) fn absolute_points(d: &str) -> Vec<(f64, f64)> {
    let (head, tail) = d.trim_start_matches('M').split_once('l').unwrap_or((d, ""));
    let numbers = |s: &str| -> Vec<f64> {
        s.replace('-', " -")
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect()
    };
    let start = numbers(head);
    let mut at = (start[0], start[1]);
    let mut out = vec![at];
    for pair in numbers(tail).chunks(2) {
        at = (at.0 + pair[0], at.1 + pair[1]);
        out.push(at);
    }
    out
}

#[test]
fn paths_read_back_to_the_points_drawn() {
    // M44 120 then +3.7 -2.1 and +3.7 +1.2: back to (44, 120), (47.7, 117.9), (51.4, 119.1).
    let p = absolute_points("M44 120l3.7-2.1 3.7 1.2");
    assert_eq!(p.len(), 3);
    assert!((p[2].0 - 51.4).abs() < 1e-9 && (p[2].1 - 119.1).abs() < 1e-9);
}

#[test]
fn squeezed_band_labels_never_overprint() {
    // Deployments per week up to 100: the high, medium and low clusters (under 1 a week)
    // are a few tenths of a pixel at the bottom. Their labels would land on top of each
    // other; in the right margin (x = 504) they are stacked one line (18 units) apart.
    let values: Vec<Option<f64>> = (0..20).map(|i| Some(50.0 + i as f64 * 2.5)).collect();
    let mut s = spec(
        ChartKind::Bars,
        weeks("2026-01-05", 20),
        vec![Series::aligned("deploys", Role::Primary, &values)],
    );
    s.bands = dora_bands(DoraKey::DeploymentFrequency, 2024);
    let chart = draw(&s);
    let band = chart.svg.split("<g class=\"band\">").nth(1).unwrap();
    let band = band.split("</g>").next().unwrap();
    let ys: Vec<f64> = band
        .split("<text x=\"504\" y=\"")
        .skip(1)
        .map(|t| t.split('"').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(ys.len(), s.bands.len(), "{band}");
    for (i, a) in ys.iter().enumerate() {
        for b in &ys[i + 1..] {
            assert!((a - b).abs() >= 18.0, "{ys:?}");
        }
    }
}

/// Three weeks of which the last is partial (cut short by as_of).
fn with_partial_last_week() -> XAxis {
    let XAxis::Periods(mut ticks) = weeks("2026-09-14", 3) else {
        unreachable!()
    };
    let last = ticks.last_mut().unwrap();
    last.last_day = d("2026-09-30");
    last.partial = true;
    XAxis::Periods(ticks)
}

#[test]
fn a_partial_period_is_drawn_apart_and_named_in_the_table() {
    // Bars 180, 190, 135 with W40 partial: two bars in `bar`, one in `bar partial`
    // (each bar is one `M...z` rectangle).
    let values = [Some(180.0), Some(190.0), Some(135.0)];
    let bars = draw(&spec(
        ChartKind::Bars,
        with_partial_last_week(),
        vec![Series::aligned("deployments", Role::Primary, &values)],
    ));
    let group = |svg: &str, class: &str| -> String {
        let open = format!("<g class=\"{class}\">\n");
        let at = svg
            .find(&open)
            .unwrap_or_else(|| panic!("no {class} in {svg}"));
        let body = &svg[at + open.len()..];
        body[..body.find("</g>").unwrap()].to_string()
    };
    assert_eq!(group(&bars.svg, "bar").matches('z').count(), 2);
    assert_eq!(group(&bars.svg, "bar partial").matches('z').count(), 1);
    let labels: Vec<&str> = bars.table.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(labels, ["2026-W38", "2026-W39", "2026-W40 (partial)"]);
    // A line: the complete weeks W38-W39 as one path, and the segment W39 -> W40 apart.
    let line = draw(&spec(
        ChartKind::Line,
        with_partial_last_week(),
        vec![Series::aligned("lead time", Role::Primary, &values)],
    ));
    assert_eq!(group(&line.svg, "s s-primary").matches("<path").count(), 1);
    assert_eq!(
        group(&line.svg, "s s-primary partial")
            .matches("<path")
            .count(),
        1
    );
    // Without a partial period nothing is drawn apart.
    let whole = draw(&spec(
        ChartKind::Bars,
        weeks("2026-09-14", 3),
        vec![Series::aligned("deployments", Role::Primary, &values)],
    ));
    assert!(!whole.svg.contains("partial"));
    assert!(!whole.table.rows[2][0].contains("partial"));
}
