//! Layers of a full chart: takes the spec's series, bands, thresholds, shaded ranges and
//! annotations and writes each as a classed group of plotters-drawn shapes.

use super::axis;
use super::geom::{Frame, Shape};
use super::svg::{text, Doc};
use super::{ChartAnnotation, ChartSpec, RefBand, Series, Shade, SideMedian, XAxis};
use chrono::NaiveDate;

/// The runs of a series between gaps: a run of two or more points is a line, a lone point
/// is a dot, a `None` (or non-finite value) breaks the line.
pub(super) fn series_shapes(x: &XAxis, s: &Series) -> Vec<Shape> {
    let mut shapes = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    for &(px, py) in &s.points {
        match py.filter(|v| v.is_finite()) {
            Some(v) => run.push((axis::point_x(x, px), v)),
            None => flush(&mut run, &mut shapes),
        }
    }
    flush(&mut run, &mut shapes);
    shapes
}

fn flush(run: &mut Vec<(f64, f64)>, shapes: &mut Vec<Shape>) {
    match run.len() {
        0 => {}
        1 => shapes.push(Shape::Dot(run[0], 1.5)),
        _ => shapes.push(Shape::Path(std::mem::take(run))),
    }
    run.clear();
}

/// A series split at the partial periods of a period axis: the series with the partial
/// points' values taken out, and (when a partial point has a value) the tail drawn
/// distinctly: each partial point with the complete point before it, so a line's last
/// segment reaches it dashed. On a time axis, or with no partial period, the series and
/// `None`.
pub(super) fn split_partial(x: &XAxis, s: &Series) -> (Series, Option<Series>) {
    let is_partial = |px: f64| is_partial(x, px);
    let mut complete = s.clone();
    let mut tail = Vec::new();
    for (i, p) in s.points.iter().enumerate() {
        if !is_partial(p.0) || p.1.is_none() {
            continue;
        }
        complete.points[i].1 = None;
        match i.checked_sub(1).map(|j| s.points[j]) {
            Some(before) if !is_partial(before.0) && before.1.is_some() => tail.push(before),
            _ => tail.push((p.0, None)),
        }
        tail.push(*p);
    }
    let tail = (!tail.is_empty()).then(|| Series {
        points: tail,
        ..s.clone()
    });
    (complete, tail)
}

/// Whether the point at `px` of a period axis belongs to a partial period.
pub(super) fn is_partial(x: &XAxis, px: f64) -> bool {
    match x {
        XAxis::Periods(ticks) => ticks
            .get(px.round().max(0.0) as usize)
            .is_some_and(|t| t.partial),
        XAxis::Time { .. } => false,
    }
}

/// One bar per value from zero, 70% of the spacing wide. A zero is one pixel high so that
/// it reads differently from a missing value, which draws nothing.
pub(super) fn bar_shapes(x: &XAxis, s: &Series, frame: &Frame) -> Vec<Shape> {
    let gap = s
        .points
        .windows(2)
        .map(|w| w[1].0 - w[0].0)
        .filter(|g| *g > 0.0)
        .fold(f64::INFINITY, f64::min);
    let half = 0.35 * if gap.is_finite() { gap } else { 1.0 };
    let one_px = (frame.y.1 - frame.y.0) / f64::from(frame.plot.3 - frame.plot.1);
    s.points
        .iter()
        .filter_map(|&(px, py)| {
            let v = py.filter(|v| v.is_finite())?;
            let v = if v == 0.0 { one_px } else { v };
            let cx = axis::point_x(x, px);
            Some(Shape::Rect((cx - half, 0.0), (cx + half, v)))
        })
        .collect()
}

/// Faint reference bands, all in one style, each labelled with its name and year in the
/// right margin beside the band (never over the data).
pub(super) fn bands(doc: &mut Doc, frame: &Frame, bands: &[RefBand]) {
    let (y0, y1) = frame.y;
    let (x0, x1) = frame.x;
    let mut shapes = Vec::new();
    let mut edges: Vec<f64> = Vec::new();
    let mut labels = Vec::new();
    for b in bands.iter().filter(|b| !b.lo.is_nan() && !b.hi.is_nan()) {
        let (lo, hi) = (b.lo.max(y0), b.hi.min(y1));
        let (_, top) = frame.tenths(x0, hi);
        let (_, bottom) = frame.tenths(x0, lo);
        if b.lo == b.hi {
            if !(y0..=y1).contains(&b.lo) {
                continue;
            }
            shapes.push(Shape::Path(vec![(x0, lo), (x1, lo)]));
        } else {
            if lo >= hi {
                continue;
            }
            shapes.push(Shape::Rect((x0, lo), (x1, hi)));
            // Edges inside the plot are drawn, so neighbouring bands read apart.
            edges.extend([b.lo, b.hi].into_iter().filter(|e| *e > y0 && *e < y1));
        }
        labels.push(((top + bottom) / 2, b.label.clone()));
    }
    edges.sort_by(f64::total_cmp);
    edges.dedup();
    shapes.extend(
        edges
            .into_iter()
            .map(|e| Shape::Path(vec![(x0, e), (x1, e)])),
    );
    let mut body = frame.draw(&shapes);
    body.push_str(&margin_labels(frame, labels));
    doc.group("band", &body);
}

/// Characters per line of a margin label: the right margin (136 units) holds about 14 at
/// a phone's 17 units (`css.rs`), 20 at the 12 units elsewhere.
const MARGIN_CHARS: usize = 13;
/// One line of margin text, in tenths of a user unit: room for a phone's 17-unit text.
const LINE: i32 = 180;

/// Labels in the right margin, each centred on its target height `y` (tenths), wrapped at
/// spaces to the margin's width, pushed down so that no two overlap and kept inside the
/// chart: the text sits beside what it names, never over a line or a bar.
pub(super) fn margin_labels(frame: &Frame, mut items: Vec<(i32, String)>) -> String {
    items.sort_by_key(|(y, _)| *y);
    let x = (frame.plot.2 + 4) * 10;
    let blocks: Vec<(i32, Vec<String>)> = items
        .into_iter()
        .map(|(y, label)| (y, wrap(&label, MARGIN_CHARS)))
        .collect();
    let total: i32 = blocks.iter().map(|(_, l)| l.len() as i32 * LINE).sum();
    // The lowest first baseline that still keeps every block above the chart's bottom.
    let floor = frame.height as i32 * 10 - total;
    let mut next = 0;
    let mut out = String::new();
    let mut used = 0;
    for (y, lines) in &blocks {
        let height = lines.len() as i32 * LINE;
        let top = (y - height / 2).max(next).min(floor + used).max(0);
        for (i, line) in lines.iter().enumerate() {
            // A baseline sits 13 units below the top of its 18-unit line.
            out.push_str(&text(x, top + i as i32 * LINE + 130, line));
        }
        next = top + height;
        used += height;
    }
    out
}

/// `text` broken at spaces into lines of at most `width` characters (a longer word keeps
/// its own line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Shaded x ranges, full height: breaching stretches (`breach`), then the period the page is
/// about (`focus`).
pub(super) fn shaded(doc: &mut Doc, frame: &Frame, ranges: &[(f64, f64, Shade)]) {
    let (y0, y1) = frame.y;
    for (shade, class) in [(Shade::Breach, "breach"), (Shade::Focus, "focus")] {
        let shapes: Vec<Shape> = ranges
            .iter()
            .filter(|&&(a, b, s)| s == shade && a.is_finite() && b.is_finite() && a < b)
            .map(|&(a, b, _)| Shape::Rect((a.max(frame.x.0), y0), (b.min(frame.x.1), y1)))
            .collect();
        doc.group(class, &frame.draw(&shapes));
    }
}

/// A vertical line for a day, a shaded band for a range, each with its title on hover.
pub(super) fn annotations(doc: &mut Doc, frame: &Frame, x: &XAxis, anns: &[ChartAnnotation]) {
    let (y0, y1) = frame.y;
    for a in anns {
        let end = a.end.unwrap_or(a.start).max(a.start);
        let Some((s, e)) = axis::day_span(x, a.start, end) else {
            continue;
        };
        let (shape, when) = if end == a.start {
            let mid = (s + e) / 2.0;
            (Shape::Path(vec![(mid, y0), (mid, y1)]), a.start.to_string())
        } else {
            (
                Shape::Rect((s, y0), (e, y1)),
                format!("{} to {end}", a.start),
            )
        };
        let kind = a.kind.as_str();
        let title = format!("{kind}, {when}: {}", a.title);
        doc.titled_group(&format!("ann ann-{kind}"), &title, &frame.draw(&[shape]));
    }
}

/// Labelled horizontal lines, each label in the right margin beside its line.
pub(super) fn thresholds(doc: &mut Doc, frame: &Frame, lines: &[(String, f64)]) {
    let (x0, x1) = frame.x;
    let mut shapes = Vec::new();
    let mut labels = Vec::new();
    for (label, v) in lines.iter().filter(|t| t.1.is_finite()) {
        shapes.push(Shape::Path(vec![(x0, *v), (x1, *v)]));
        let (_, py) = frame.tenths(x1, *v);
        labels.push((py, label.clone()));
    }
    let mut body = frame.draw(&shapes);
    body.push_str(&margin_labels(frame, labels));
    doc.group("th", &body);
}

/// Which side of the intervention day a point is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Before,
    After,
    /// The period that contains the intervention day: left out of both medians.
    During,
}

/// A period ending before day `at` is before; one starting on or after it is after. On a
/// time axis, points before the day's first second are before.
pub(super) fn side(x: &XAxis, px: f64, at: NaiveDate) -> Side {
    match x {
        XAxis::Periods(p) => match p.get(px.round().max(0.0) as usize) {
            Some(t) if t.last_day < at => Side::Before,
            Some(t) if t.first_day >= at => Side::After,
            Some(_) => Side::During,
            None => Side::After,
        },
        XAxis::Time { calendar, .. } if px < calendar.day_start(at) as f64 => Side::Before,
        XAxis::Time { .. } => Side::After,
    }
}

/// The split at day `at` and the caller's two median segments, each with its label.
pub(super) fn before_after(
    doc: &mut Doc,
    frame: &Frame,
    spec: &ChartSpec,
    at: NaiveDate,
    medians: [&SideMedian; 2],
) {
    let (x0, x1) = frame.x;
    let split = axis::day_span(&spec.x, at, at).map_or(
        if side(&spec.x, x0, at) == Side::After {
            x0
        } else {
            x1
        },
        |(s, _)| s,
    );
    if split > x0 && split < x1 {
        let line = Shape::Path(vec![(split, frame.y.0), (split, frame.y.1)]);
        doc.group("split", &frame.draw(&[line]));
    }
    let [before, after] = medians;
    for (half, (a, b), name) in [
        (before, (x0, split), "before"),
        (after, (split, x1), "after"),
    ] {
        let Some(m) = half.median.filter(|m| m.is_finite() && a < b) else {
            continue;
        };
        let mut body = frame.draw(&[Shape::Path(vec![(a, m), (b, m)])]);
        let (px, py) = frame.tenths(a, m);
        body.push_str(&text(px + 40, py - 30, &half.label));
        doc.group(&format!("seg seg-{name}"), &body);
    }
}
