//! Chart kind tests: one insta snapshot of the SVG per kind (line, bars, sparkline,
//! burn-down, before/after, DORA bands) and the numbers each kind puts in its table.

use super::tests::{ann, d, side_median, spec, weeks};
use super::*;
use crate::period::Calendar;

fn twelve() -> Vec<Option<f64>> {
    vec![
        Some(30.0),
        Some(26.5),
        Some(28.0),
        None,
        Some(24.0),
        Some(22.0),
        Some(25.5),
        Some(19.0),
        Some(18.0),
        Some(20.5),
        Some(17.0),
        Some(18.5),
    ]
}

#[test]
fn line_snapshot() {
    let values = twelve();
    let medians = super::tests::rolling_median(&values, 4);
    let mut s = spec(
        ChartKind::Line,
        weeks("2026-01-05", 12),
        vec![
            Series::aligned("lead time", Role::Primary, &values),
            Series::aligned("4-week median", Role::RollingMedian, &medians),
        ],
    );
    s.annotations = vec![
        ann(
            AnnotationKind::Incident,
            "2026-01-21",
            None,
            "Checkout outage & rollback",
        ),
        ann(
            AnnotationKind::Freeze,
            "2026-02-09",
            Some("2026-02-20"),
            "Release freeze",
        ),
    ];
    s.thresholds = vec![("target 24 h".to_string(), 24.0)];
    let chart = draw(&s);
    insta::assert_snapshot!("line", chart.svg);
    insta::assert_snapshot!("line_csv", chart.csv());
}

#[test]
fn bars_snapshot_zero_is_a_sliver_and_none_is_nothing_and_markers_are_on_top() {
    let counts = [Some(4.0), Some(7.0), Some(0.0), None, Some(5.0), Some(9.0)];
    let mut s = spec(
        ChartKind::Bars,
        weeks("2026-01-05", 6),
        vec![Series::aligned("deployments", Role::Primary, &counts)],
    );
    s.unit = "/week".to_string();
    s.title = "Deployments per week".to_string();
    s.desc = "Between 0 and 9 deployments a week; one week has no data.".to_string();
    s.annotations = vec![ann(
        AnnotationKind::Incident,
        "2026-01-14",
        None,
        "Checkout outage",
    )];
    let chart = draw(&s);
    // The incident's line is drawn over the bars (7 deployments that week), not hidden
    // under them.
    let at = |needle: &str| chart.svg.find(needle).unwrap();
    assert!(at("<g class=\"bar\">") < at("ann-incident"));
    // Five values, five bars; the None draws none. y axis 0..10 (steps of 2) over the
    // 198-unit plot (16..214): the zero bar is one unit high (10 / 198 of the axis),
    // 9 deployments 9 x 19.8 = 178.2 units.
    // All bars are one path of closed rectangles `M x y h width v height h -width z`.
    let bars = chart.svg.split("<g class=\"bar\">").nth(1).unwrap();
    let bars = bars.split("</g>").next().unwrap();
    assert_eq!(
        (bars.matches("<path").count(), bars.matches('z').count()),
        (1, 5)
    );
    assert!(bars.contains("v1h"));
    assert!(bars.contains("v178.2h"));
    assert_eq!(chart.table.rows[3][1], "n/a");
    assert_eq!(chart.table.rows[2][1], "0");
    assert!(chart.svg.contains(">0</text>") && chart.svg.contains(">8</text>"));
    insta::assert_snapshot!("bars", chart.svg);
}

#[test]
fn sparkline_snapshot() {
    let mut s = spec(
        ChartKind::Sparkline,
        weeks("2026-01-05", 12),
        vec![Series::aligned("lead time", Role::Primary, &twelve())],
    );
    s.annotations = vec![ann(
        AnnotationKind::Incident,
        "2026-01-21",
        None,
        "not drawn",
    )];
    let chart = draw(&s);
    assert!(chart.svg.contains("viewBox=\"0 0 120 28\""));
    assert!(!chart.svg.contains("<text") && !chart.svg.contains("class=\"ann"));
    assert!(chart.annotations.is_empty());
    // Last point: period 11 at x = 11.5 of 12 -> 3 + 114 x 11.5 / 12 = 112.25 (floored to
    // 112.2); value 18.5 of 17..30 -> 22 x 1.5 / 13 = 2.54 px above 25, truncated to 2.5 -> 22.5.
    assert!(
        chart
            .svg
            .contains("<circle cx=\"112.2\" cy=\"22.5\" r=\"2\"/>"),
        "{}",
        chart.svg
    );
    insta::assert_snapshot!("sparkline", chart.svg);
}

fn burn_down() -> ChartSpec {
    // 28 days from 2026-03-01 in Berlin, a point every 12 hours: the budget falls 3% a
    // day, and an incident on day 10 costs 30%, so it runs out when 0.03 d + 0.3 = 1,
    // d = 23.33 (24 March), and ends at 1 - 0.84 - 0.3 = -14%.
    let calendar = Calendar::new(chrono_tz::Europe::Berlin, d("2026-03-28"));
    let start = calendar.day_start(d("2026-03-01"));
    let end = calendar.day_start(d("2026-03-29"));
    let remaining: Vec<(f64, Option<f64>)> = (0..=56)
        .map(|k| {
            let t = start + k * 12 * 3600;
            let day = k as f64 / 2.0;
            let spent = 0.03 * day + if day >= 10.0 { 0.3 } else { 0.0 };
            (t as f64, Some(((1.0 - spent) * 1000.0).round() / 10.0))
        })
        .collect();
    let exhausted = start as f64 + 0.7 / 0.03 * 86_400.0;
    ChartSpec {
        id: "slo-checkout".to_string(),
        kind: ChartKind::BurnDown,
        title: "Checkout availability: error budget remaining".to_string(),
        desc: "The budget fell steadily, lost 30% to one incident and ran out on 24 March."
            .to_string(),
        x: XAxis::Time {
            start,
            end,
            calendar,
        },
        series: vec![
            Series {
                name: "ideal".to_string(),
                role: Role::Ideal,
                points: vec![(start as f64, Some(100.0)), (end as f64, Some(0.0))],
            },
            Series {
                name: "remaining".to_string(),
                role: Role::Primary,
                points: remaining,
            },
        ],
        unit: "%".to_string(),
        annotations: vec![ann(
            AnnotationKind::Incident,
            "2026-03-11",
            None,
            "INC-7 payment timeouts",
        )],
        bands: Vec::new(),
        thresholds: vec![("budget exhausted".to_string(), 0.0)],
        shaded: vec![(exhausted, end as f64, Shade::Breach)],
    }
}

#[test]
fn burn_down_snapshot() {
    let chart = draw(&burn_down());
    // The budget ends at -14%: y runs -20..100 in steps of 20.
    assert!(
        chart.svg.contains(">-20</text>") && chart.svg.contains(">100</text>"),
        "{}",
        chart.svg
    );
    // The table has one row per time; the two-point ideal line is blank in between.
    assert_eq!(
        chart.table.headers,
        vec!["time", "ideal (%)", "remaining (%)"]
    );
    assert_eq!(chart.table.rows.len(), 57);
    assert_eq!(chart.table.rows[0], vec!["2026-03-01 00:00", "100", "100"]);
    assert_eq!(chart.table.rows[1], vec!["2026-03-01 12:00", "", "98.5"]);
    // Times are local: 56 steps of 12 h from midnight CET (2026-02-28 23:00 UTC) end at
    // 2026-03-28 23:00 UTC, still CET (summer time starts 01:00 UTC on 29 March).
    assert_eq!(chart.table.rows[56][0], "2026-03-29 00:00");
    insta::assert_snapshot!("burn_down", chart.svg);
}

#[test]
fn before_after_snapshot_and_medians() {
    // Intervention on Wednesday 2026-02-11, inside week 6 (2026-02-09..15, index 5).
    // Before: weeks 0-4 = 30, 26.5, 28, n/a, 24 -> sorted 24, 26.5, 28, 30 -> median 27.25.
    // Week 5 (22) straddles the day and is left out. After: weeks 6-11 = 25.5, 19, 18, 20.5,
    // 17, 18.5 -> sorted 17, 18, 18.5, 19, 20.5, 25.5 -> median (18.5 + 19) / 2 = 18.75.
    // The caller computes and words the medians (27.25 h reads "27 h": whole hours from
    // 10 h); the chart draws the labels and puts the exact values in the table.
    let at = d("2026-02-11");
    let mut s = spec(
        ChartKind::BeforeAfter {
            at,
            before: side_median(Some(27.25), 4, "before: median 27 h (n=4)"),
            after: side_median(Some(18.75), 6, "after: median 19 h (n=6)"),
        },
        weeks("2026-01-05", 12),
        vec![Series::aligned("lead time", Role::Primary, &twelve())],
    );
    s.annotations = vec![ann(
        AnnotationKind::Intervention,
        "2026-02-11",
        None,
        "Trunk-based development",
    )];
    let chart = draw(&s);
    assert_eq!(
        chart.table.footer,
        vec![
            vec!["median before 2026-02-11", "27.25", "n=4"],
            vec!["median after 2026-02-11", "18.75", "n=6"],
        ]
    );
    let sides: Vec<&str> = chart.table.rows.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(sides[4..7], ["before", "intervention period", "after"]);
    assert!(chart.svg.contains(">before: median 27 h (n=4)</text>"));
    assert!(chart.svg.contains(">after: median 19 h (n=6)</text>"));
    insta::assert_snapshot!("before_after", chart.svg);
}

#[test]
fn a_side_without_data_draws_no_median_line() {
    // The caller has no "after" median (no week with data after the day): only the
    // "before" segment is drawn, and the table's "after" row reads n/a with n=0.
    let at = d("2026-02-11");
    let chart = draw(&spec(
        ChartKind::BeforeAfter {
            at,
            before: side_median(Some(27.25), 4, "before: median 27 h (n=4)"),
            after: side_median(None, 0, ""),
        },
        weeks("2026-01-05", 12),
        vec![Series::aligned("lead time", Role::Primary, &twelve())],
    ));
    assert_eq!(chart.svg.matches("class=\"seg seg-before\"").count(), 1);
    assert!(!chart.svg.contains("seg-after"));
    assert_eq!(
        chart.table.footer[1],
        vec!["median after 2026-02-11", "n/a", "n=0"]
    );
}

#[test]
fn dora_bands_snapshot_change_failure_rate_as_lines() {
    let cfr = [
        Some(12.0),
        Some(8.0),
        Some(15.0),
        Some(11.0),
        Some(9.5),
        Some(7.0),
    ];
    let mut s = spec(
        ChartKind::Line,
        weeks("2026-01-05", 6),
        vec![Series::aligned("change failure rate", Role::Primary, &cfr)],
    );
    s.id = "cfr".to_string();
    s.title = "Change failure rate, weekly".to_string();
    s.desc = "Between 7% and 15% a week, no clear trend.".to_string();
    s.unit = "%".to_string();
    s.bands = dora_bands(DoraKey::ChangeFailureRate, 2024)
        .iter()
        .map(|b| b.scaled(100.0))
        .collect();
    let chart = draw(&s);
    // y runs 0..15 (the data; bands never widen it): elite 5% and medium 10% are thin
    // lines; high 20% and low 40% are off-scale and not drawn.
    let band = chart.svg.split("<g class=\"band\">").nth(1).unwrap();
    let band = band.split("</g>").next().unwrap();
    assert_eq!(
        (band.matches("<path").count(), band.matches("<rect").count()),
        (2, 0)
    );
    assert!(band.contains(">elite (2024)</text>") && band.contains(">medium (2024)</text>"));
    assert!(!band.contains("high (2024)") && !band.contains("low (2024)"));
    insta::assert_snapshot!("dora_cfr", chart.svg);
}

#[test]
fn the_data_table_and_csv_hold_the_numbers() {
    let chart = draw(&spec(
        ChartKind::Line,
        weeks("2026-01-05", 2),
        vec![Series::aligned("x", Role::Primary, &[Some(1.5), None])],
    ));
    assert_eq!(chart.table.headers, vec!["period", "x (h)"]);
    assert_eq!(
        chart.table.rows,
        vec![vec!["2026-W02", "1.5"], vec!["2026-W03", "n/a"]]
    );
    assert_eq!(chart.csv(), "period,x (h)\n2026-W02,1.5\n2026-W03,n/a\n");
}

/// `(x, y)` of every `<text>` in the chart's `<g class="{class}">` group.
fn texts_of(svg: &str, class: &str) -> Vec<(f64, f64, String)> {
    let group = svg
        .split(&format!("<g class=\"{class}\">"))
        .nth(1)
        .unwrap_or("")
        .split("</g>")
        .next()
        .unwrap();
    group
        .split("<text x=\"")
        .skip(1)
        .map(|t| {
            let (x, rest) = t.split_once("\" y=\"").unwrap();
            let (y, rest) = rest.split_once("\">").unwrap();
            let label = rest.split_once("</text>").unwrap().0.to_string();
            (x.parse().unwrap(), y.parse().unwrap(), label)
        })
        .collect()
}

#[test]
fn band_and_threshold_labels_sit_in_the_right_margin_never_over_the_data() {
    // Lead time 2024 bands over 2..40 h: elite 0-24 h and high 24-168 h are drawn; the
    // plot ends at x = 500, so every label starts at 504 (500 + 4), beside its band.
    let lt: Vec<Option<f64>> = (0..8).map(|i| Some(2.0 + 5.0 * i as f64)).collect();
    let mut s = spec(
        ChartKind::Line,
        weeks("2026-01-05", 8),
        vec![Series::aligned("lead time", Role::Primary, &lt)],
    );
    s.bands = dora_bands(DoraKey::LeadTime, 2024);
    let svg = draw(&s).svg;
    let labels = texts_of(&svg, "band");
    assert_eq!(
        labels.iter().map(|l| l.2.as_str()).collect::<Vec<_>>(),
        ["high (2024)", "elite (2024)"]
    );
    assert!(labels.iter().all(|l| l.0 == 504.0), "{labels:?}");
    // No two lines of text closer than one 18-unit line.
    assert!(
        labels.windows(2).all(|w| w[1].1 - w[0].1 >= 18.0),
        "{labels:?}"
    );

    // The burn-down's "budget exhausted" sits in the margin at the 0% line, not over the
    // remaining-budget line.
    let th = texts_of(&draw(&burn_down()).svg, "th");
    assert_eq!(
        th.iter().map(|t| (t.0, t.2.as_str())).collect::<Vec<_>>(),
        [(504.0, "budget"), (504.0, "exhausted")]
    );
}

#[test]
fn long_margin_labels_wrap_and_crowded_ones_are_pushed_apart() {
    // Three thresholds within 1% of each other on a 0..100 axis (198-unit plot): each
    // would sit at the same height; they are stacked 18 units apart instead, and the long
    // one wraps at a space to two lines of at most 13 characters.
    let v: Vec<Option<f64>> = vec![Some(0.0), Some(100.0)];
    let mut s = spec(
        ChartKind::Line,
        weeks("2026-01-05", 2),
        vec![Series::aligned("sli", Role::Primary, &v)],
    );
    s.thresholds = vec![
        ("objective allows 0.12%".to_string(), 50.0),
        ("a".to_string(), 50.5),
        ("b".to_string(), 49.5),
    ];
    let th = texts_of(&draw(&s).svg, "th");
    let words: Vec<&str> = th.iter().map(|t| t.2.as_str()).collect();
    assert_eq!(words, ["a", "objective", "allows 0.12%", "b"]);
    assert!(th.windows(2).all(|w| w[1].1 - w[0].1 >= 18.0), "{th:?}");
}

#[test]
fn an_sli_axis_shows_the_objective_and_labels_the_day_off_its_floor() {
    // Daily SLI (%) around a 99.9% objective, one day at 90%. The floor is the gap between
    // the objective and the top of the data four times below the objective:
    // 99.9 - 4 x (100 - 99.9) = 99.5, so the axis runs 99.5..100 in steps of 0.1 and the
    // band above the objective is a fifth of the plot (0.1 of 0.5), not a hundredth (0.1
    // of 10, as an axis down to 90 would draw it).
    let v = vec![Some(99.95), Some(100.0), Some(90.0), Some(99.97)];
    let mut s = spec(
        ChartKind::Sli,
        weeks("2026-01-05", 4),
        vec![Series::aligned("daily SLI", Role::Primary, &v)],
    );
    s.unit = "%".to_string();
    s.thresholds = vec![("objective 99.9%".to_string(), 99.9)];
    let chart = draw(&s);
    let ticks: Vec<String> = texts_of(&chart.svg, "ax ax-y")
        .into_iter()
        .map(|t| t.2)
        .collect();
    assert_eq!(ticks, ["99.5", "99.6", "99.7", "99.8", "99.9", "100"]);
    // The 90% day is drawn on the floor and labelled with its true value, left of the
    // point (the third of four weeks lies in the right half); the table keeps the number.
    let off = texts_of(&chart.svg, "ax off left");
    assert_eq!(off.len(), 1);
    assert_eq!(off[0].2, "\u{2193} 90%");
    assert_eq!(chart.table.rows[2][1], "90");
    // Without a day under the floor, the axis starts at the data as before.
    s.series[0].points[2].1 = Some(99.8);
    let svg = draw(&s).svg;
    assert!(!svg.contains("class=\"ax off"), "{svg}");
    assert_eq!(texts_of(&svg, "ax ax-y")[0].2, "99.8");
}
