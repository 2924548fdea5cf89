//! Chart kinds: takes a spec and returns its SVG document, choosing the layout (full chart
//! or sparkline) and stacking the layers from `layers` back to front.

use super::axis::{self, fmt_tick, YScale};
use super::geom::{Frame, Shape};
use super::layers;
use super::svg::{text, Doc};
use super::{ChartAnnotation, ChartKind, ChartSpec, Role, Series};

/// Full charts: 640×240 user units, plot area inset for the y labels, the x labels and, on
/// the right, a margin for the labels of reference bands and thresholds. The margins hold
/// the larger text a phone gets (see `css.rs`: a chart 360 px wide shows 640 units at 0.56).
const FULL: (u32, u32) = (640, 240);
const FULL_PLOT: (i32, i32, i32, i32) = (56, 16, 500, 214);
/// Sparklines: 120×28, inset by the last-point dot's radius.
const SPARK: (u32, u32) = (120, 28);
const SPARK_PLOT: (i32, i32, i32, i32) = (3, 3, 117, 25);

pub(super) fn render(spec: &ChartSpec, id: &str, anns: &[ChartAnnotation]) -> String {
    let class = match spec.kind {
        ChartKind::Line => "chart-line",
        ChartKind::Bars => "chart-bars",
        ChartKind::Sparkline => "chart-spark",
        ChartKind::BurnDown => "chart-burndown",
        ChartKind::BeforeAfter { .. } => "chart-beforeafter",
        ChartKind::Sli => "chart-line chart-sli",
    };
    let size = if spec.kind == ChartKind::Sparkline {
        SPARK
    } else {
        FULL
    };
    let mut doc = Doc::open(id, class, size, &spec.title, &spec.desc);
    match value_range(spec) {
        None => no_data(&mut doc, &spec.kind),
        Some(range) if spec.kind == ChartKind::Sparkline => sparkline(&mut doc, spec, range),
        Some(range) => full(&mut doc, spec, anns, range),
    }
    doc.finish()
}

/// Finite y values of the series that set the scale.
fn values(spec: &ChartSpec) -> impl Iterator<Item = f64> + '_ {
    spec.series
        .iter()
        .filter(move |s| spec.kind != ChartKind::Sparkline || s.role == Role::Primary)
        .flat_map(|s| s.points.iter().filter_map(|p| p.1))
        .filter(|v| v.is_finite())
}

/// Lowest and highest value, `None` when no series has any.
fn value_range(spec: &ChartSpec) -> Option<(f64, f64)> {
    values(spec).fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

/// An empty frame with "no data" in the middle: never a flat zero line.
fn no_data(doc: &mut Doc, kind: &ChartKind) {
    let (size, plot) = if *kind == ChartKind::Sparkline {
        (SPARK, SPARK_PLOT)
    } else {
        (FULL, FULL_PLOT)
    };
    let frame = Frame {
        width: size.0,
        height: size.1,
        plot,
        x: (0.0, 1.0),
        y: (0.0, 1.0),
    };
    doc.group("frame", &frame.draw(&[Shape::Rect((0.0, 0.0), (1.0, 1.0))]));
    let (x, y) = frame.tenths(0.5, 0.5);
    doc.group("nodata", &text(x, y + 40, "no data"));
}

fn sparkline(doc: &mut Doc, spec: &ChartSpec, (lo, hi): (f64, f64)) {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, hi + 1.0)
    };
    let frame = Frame {
        width: SPARK.0,
        height: SPARK.1,
        plot: SPARK_PLOT,
        x: axis::x_domain(&spec.x),
        y: (lo, hi),
    };
    for s in spec.series.iter().filter(|s| s.role == Role::Primary) {
        let shapes = layers::series_shapes(&spec.x, s);
        doc.group(&format!("s {}", s.role.class()), &frame.draw(&shapes));
        let last = s.points.iter().rev().find_map(|(x, y)| y.map(|y| (*x, y)));
        if let Some((x, y)) = last.filter(|(_, y)| y.is_finite()) {
            let dot = Shape::Dot((axis::point_x(&spec.x, x), y), 2.0);
            doc.group("last", &frame.draw(&[dot]));
        }
    }
}

fn full(doc: &mut Doc, spec: &ChartSpec, anns: &[ChartAnnotation], (lo, hi): (f64, f64)) {
    let th = spec
        .thresholds
        .iter()
        .map(|t| t.1)
        .filter(|v| v.is_finite());
    let zero = spec.kind != ChartKind::Sli;
    let lo = th
        .clone()
        .fold(if zero { lo.min(0.0) } else { lo }, f64::min);
    let hi = th.fold(if zero { hi.max(0.0) } else { hi }, f64::max);
    let lo = if spec.kind == ChartKind::Sli {
        sli_floor(spec, lo, hi)
    } else {
        lo
    };
    let scale = axis::y_scale(lo, hi);
    // An SLI axis may start above the worst days: those are drawn on the axis's floor and
    // the lowest is labelled with its value.
    let clamped;
    let (spec, off_axis) = if spec.kind == ChartKind::Sli {
        let (c, off) = clamp_below(spec, scale.lo);
        clamped = c;
        (&clamped, off)
    } else {
        (spec, None)
    };
    let frame = Frame {
        width: FULL.0,
        height: FULL.1,
        plot: FULL_PLOT,
        x: axis::x_domain(&spec.x),
        y: (scale.lo, scale.hi),
    };
    layers::bands(doc, &frame, &spec.bands);
    layers::shaded(doc, &frame, &spec.shaded);
    grid(doc, &frame, &scale);
    // Under a line, which stays readable over them; over bars, which would hide a day's
    // marker (an incident on a day with deployments).
    let bars = spec.kind == ChartKind::Bars;
    if !bars {
        layers::annotations(doc, &frame, &spec.x, anns);
    }
    let mut order: Vec<_> = spec.series.iter().collect();
    // Context lines first, the primary series on top.
    order.sort_by_key(|s| s.role == Role::Primary);
    for s in order {
        // A partial period (cut short by as_of) is drawn apart, in a lighter style.
        let (complete, tail) = layers::split_partial(&spec.x, s);
        if spec.kind == ChartKind::Bars && s.role == Role::Primary {
            let bars = frame.draw_bars(&layers::bar_shapes(&spec.x, &complete, &frame));
            doc.group("bar", &bars);
            if tail.is_some() {
                let partial = Series {
                    points: (s.points.iter().copied())
                        .filter(|p| layers::is_partial(&spec.x, p.0))
                        .collect(),
                    ..s.clone()
                };
                let bars = frame.draw_bars(&layers::bar_shapes(&spec.x, &partial, &frame));
                doc.group("bar partial", &bars);
            }
        } else {
            let shapes = layers::series_shapes(&spec.x, &complete);
            doc.group(&format!("s {}", s.role.class()), &frame.draw(&shapes));
            if let Some(tail) = tail {
                let shapes = layers::series_shapes(&spec.x, &tail);
                let class = format!("s {} partial", s.role.class());
                doc.group(&class, &frame.draw(&shapes));
            }
        }
    }
    if bars {
        layers::annotations(doc, &frame, &spec.x, anns);
    }
    // Reference lines and their labels over the data, so the labels stay readable.
    layers::thresholds(doc, &frame, &spec.thresholds);
    if let ChartKind::BeforeAfter { at, before, after } = &spec.kind {
        layers::before_after(doc, &frame, spec, *at, [before, after]);
    }
    labels(doc, &frame, spec, &scale);
    if let Some((x, v)) = off_axis {
        let (px, py) = frame.tenths(axis::point_x(&spec.x, x), scale.lo);
        let label = format!("\u{2193} {}{}", axis::fmt_num(v), spec.unit);
        // Beside the point, on the side with more room.
        if px < (frame.plot.0 + frame.plot.2) * 5 {
            doc.group("ax off", &text(px + 60, py - 40, &label));
        } else {
            doc.group("ax off left", &text(px - 60, py - 40, &label));
        }
    }
}

/// The bottom an SLI axis needs to show its objective clearly: the gap between the
/// objective and the top of the data, four times over, below the objective (99.9% under a
/// top of 100% gives 99.5%: the band above the objective is a fifth of the plot). Never
/// below the lowest value `lo`; `lo` itself when there is no objective.
fn sli_floor(spec: &ChartSpec, lo: f64, hi: f64) -> f64 {
    let objective = spec.thresholds.iter().map(|t| t.1).find(|v| v.is_finite());
    match objective {
        Some(o) if hi > o => lo.max(o - 4.0 * (hi - o)),
        _ => lo,
    }
}

/// The spec with every value under `floor` drawn at `floor`, and the lowest such point
/// (its x and true value), if any.
fn clamp_below(spec: &ChartSpec, floor: f64) -> (ChartSpec, Option<(f64, f64)>) {
    let mut lowest: Option<(f64, f64)> = None;
    let mut out = spec.clone();
    // A nice tick is a multiple of its step, a few ulps off the value it was chosen for.
    let below = floor - 1e-9 * floor.abs().max(1.0);
    for s in &mut out.series {
        for p in &mut s.points {
            if let Some(v) = p.1.filter(|v| v.is_finite() && *v < below) {
                if lowest.is_none_or(|(_, l)| v < l) {
                    lowest = Some((p.0, v));
                }
                p.1 = Some(floor);
            }
        }
    }
    (out, lowest)
}

/// Horizontal grid lines at the y ticks.
fn grid(doc: &mut Doc, frame: &Frame, scale: &YScale) {
    let (x0, x1) = frame.x;
    let lines: Vec<Shape> = scale
        .ticks
        .iter()
        .map(|&y| Shape::Path(vec![(x0, y), (x1, y)]))
        .collect();
    doc.group("grid", &frame.draw(&lines));
}

/// Y tick labels (right-aligned left of the plot), x labels under it, the unit on top.
fn labels(doc: &mut Doc, frame: &Frame, spec: &ChartSpec, scale: &YScale) {
    let (l, _, r, b) = frame.plot;
    let mut y_text = String::new();
    for &v in &scale.ticks {
        let (_, y) = frame.tenths(frame.x.0, v);
        y_text.push_str(&text((l - 6) * 10, y + 40, &fmt_tick(v, scale.decimals)));
    }
    doc.group("ax ax-y", &y_text);
    // Every other x label also goes in an `alt` group, which a phone's stylesheet hides to
    // make room for its larger text.
    let (mut x_text, mut alt_text) = (String::new(), String::new());
    for (k, (x, label)) in axis::x_labels(&spec.x, r - l, 84).into_iter().enumerate() {
        let (px, _) = frame.tenths(x, frame.y.0);
        let target = if k % 2 == 0 {
            &mut x_text
        } else {
            &mut alt_text
        };
        target.push_str(&text(px, (b + 18) * 10, &label));
    }
    doc.group("ax ax-x", &x_text);
    if !alt_text.is_empty() {
        doc.group("ax ax-x alt", &alt_text);
    }
    if !spec.unit.is_empty() {
        doc.group("ax unit", &text(40, 120, &spec.unit));
    }
}
