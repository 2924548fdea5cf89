//! Geometry: takes shapes in data coordinates and returns compact SVG elements, drawn by
//! plotters' `SVGBackend` at ten times the size and rewritten to 0.1 px coordinates with
//! every presentation attribute (colour, opacity, stroke width) removed.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use std::fmt::Write as _;

/// Backend pixels per SVG user unit: plotters works in integer pixels, so drawing at ten
/// times the size and dividing by ten gives coordinates rounded to 0.1 px.
const SCALE: i32 = 10;

/// Plotters' Cartesian mapping from data to backend pixels (tenths of a user unit).
pub(super) type Coord = Cartesian2d<RangedCoordf64, RangedCoordf64>;

/// A plot rectangle in user units with its data domain.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Frame {
    pub width: u32,
    pub height: u32,
    /// Plot area: left, top, right, bottom, in user units.
    pub plot: (i32, i32, i32, i32),
    pub x: (f64, f64),
    pub y: (f64, f64),
}

/// One primitive in data coordinates.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Shape {
    /// A polyline through the points (at least two to be visible).
    Path(Vec<(f64, f64)>),
    /// A filled rectangle between two corners.
    Rect((f64, f64), (f64, f64)),
    /// A dot of the given radius in user units.
    Dot((f64, f64), f64),
}

impl Frame {
    fn coord(&self) -> Coord {
        let (l, t, r, b) = self.plot;
        Cartesian2d::new(
            self.x.0..self.x.1,
            self.y.0..self.y.1,
            ((l * SCALE)..(r * SCALE), (b * SCALE)..(t * SCALE)),
        )
    }

    /// Where a data point lands, in tenths of a user unit, clamped to the plot area.
    pub fn tenths(&self, x: f64, y: f64) -> (i32, i32) {
        let (l, t, r, b) = self.plot;
        let (px, py) = self.coord().translate(&(x, y));
        (
            px.clamp(l * SCALE, r * SCALE),
            py.clamp(t * SCALE, b * SCALE),
        )
    }

    /// Draws `shapes` with plotters and returns their SVG elements, one per line.
    pub fn draw(&self, shapes: &[Shape]) -> String {
        let mut raw = String::new();
        {
            let size = (self.width * SCALE as u32, self.height * SCALE as u32);
            let root = SVGBackend::with_string(&mut raw, size).into_drawing_area();
            let (l, t, r, b) = self.plot;
            let area = root
                .clone()
                .shrink((l * SCALE, t * SCALE), ((r - l) * SCALE, (b - t) * SCALE))
                .apply_coord_spec(self.coord());
            for shape in shapes {
                // Drawing into a String cannot fail: the backend's only error is file I/O.
                let _ = draw_shape(&area, shape);
            }
            let _ = root.present();
        }
        clean(&raw)
    }
}

fn draw_shape(
    area: &DrawingArea<SVGBackend<'_>, Coord>,
    shape: &Shape,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    // The colour is a placeholder: `clean` drops it and the stylesheet colours the group.
    let style = ShapeStyle::from(&BLACK);
    match shape {
        Shape::Path(points) => area.draw(&PathElement::new(points.clone(), style)),
        Shape::Rect(a, b) => area.draw(&Rectangle::new([*a, *b], style.filled())),
        Shape::Dot(c, r) => {
            let radius = (r * SCALE as f64).round() as i32;
            area.draw(&Circle::new(*c, radius, style.filled()))
        }
    }
}

/// Keeps the geometry attributes of each element plotters wrote, divided by `SCALE`.
fn clean(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() / 2);
    for line in raw.lines() {
        let Some(body) = line.trim().strip_prefix('<') else {
            continue;
        };
        let Some(body) = body.strip_suffix("/>") else {
            continue;
        };
        let (tag, attrs) = body.split_once(' ').unwrap_or((body, ""));
        if tag == "polyline" {
            if let Some(element) = polyline_path(attrs) {
                out.push_str(&element);
                out.push('\n');
            }
            continue;
        }
        let keep: &[&str] = match tag {
            "line" => &["x1", "y1", "x2", "y2"],
            "rect" => &["x", "y", "width", "height"],
            "circle" => &["cx", "cy", "r"],
            "polyline" | "polygon" => &["points"],
            _ => continue,
        };
        if let Some(element) = rewrite(tag, attrs, keep) {
            out.push_str(&element);
            out.push('\n');
        }
    }
    out
}

fn rewrite(tag: &str, attrs: &str, keep: &[&str]) -> Option<String> {
    let mut el = format!("<{tag}");
    for (key, value) in parse_attrs(attrs) {
        if !keep.contains(&key) {
            continue;
        }
        let value = if key == "points" {
            let points = scale_points(value);
            if points.matches(' ').count() == 0 {
                return None; // a single distinct point draws nothing
            }
            points
        } else {
            tenths_str(value.parse().ok()?)
        };
        let _ = write!(el, " {key}=\"{value}\"");
    }
    el.push_str("/>");
    Some(el)
}

fn parse_attrs(attrs: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = attrs;
    while let Some((key, tail)) = rest.split_once("=\"") {
        let Some((value, tail)) = tail.split_once('"') else {
            break;
        };
        out.push((key.trim(), value));
        rest = tail;
    }
    out
}

/// A plotters polyline as a `<path>` with one absolute move and relative line-tos
/// (`M12.5 35l77.5-30`): the shortest text for a long series. `None` for fewer than two
/// distinct points.
fn polyline_path(attrs: &str) -> Option<String> {
    let (_, value) = parse_attrs(attrs)
        .into_iter()
        .find(|(k, _)| *k == "points")?;
    let mut d = String::from("<path d=\"");
    let mut last: Option<(i32, i32)> = None;
    let mut segments = 0;
    for pair in value.split_whitespace() {
        let Some((x, y)) = pair.split_once(',') else {
            continue;
        };
        let (Ok(x), Ok(y)) = (x.parse::<i32>(), y.parse::<i32>()) else {
            continue;
        };
        match last {
            None => {
                let _ = write!(d, "M{} {}l", tenths_str(x), tenths_str(y));
            }
            Some(p) if p == (x, y) => continue,
            Some((px, py)) => {
                let (dx, dy) = (x - px, y - py);
                if segments > 0 && dx >= 0 {
                    d.push(' ');
                }
                d.push_str(&tenths_str(dx));
                if dy >= 0 {
                    d.push(' ');
                }
                d.push_str(&tenths_str(dy));
                segments += 1;
            }
        }
        last = Some((x, y));
    }
    (segments > 0).then(|| d + "\"/>")
}

/// Rectangles (as `draw` writes them) merged into one `<path>` of closed subpaths
/// (`M44 14h584v192.1h-584z`): bars of a long weekly series cost a third of the bytes.
pub(super) fn rects_to_path(svg: &str) -> String {
    let mut d = String::new();
    for line in svg.lines() {
        let Some(body) = line
            .strip_prefix("<rect ")
            .and_then(|b| b.strip_suffix("/>"))
        else {
            continue;
        };
        let attrs = parse_attrs(body);
        let get = |k: &str| attrs.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
        let (Some(x), Some(y), Some(w), Some(h)) =
            (get("x"), get("y"), get("width"), get("height"))
        else {
            continue;
        };
        let _ = write!(d, "M{x} {y}h{w}v{h}h-{w}z");
    }
    if d.is_empty() {
        String::new()
    } else {
        format!("<path d=\"{d}\"/>\n")
    }
}

/// `"10,20 15,20 15,20 "` → `"1,2 1.5,2"`: scaled, and repeated points dropped.
fn scale_points(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut last = None;
    for pair in value.split_whitespace() {
        let Some((x, y)) = pair.split_once(',') else {
            continue;
        };
        let (Ok(x), Ok(y)) = (x.parse::<i32>(), y.parse::<i32>()) else {
            continue;
        };
        if last == Some((x, y)) {
            continue;
        }
        if last.is_some() {
            out.push(' ');
        }
        last = Some((x, y));
        let _ = write!(out, "{},{}", tenths_str(x), tenths_str(y));
    }
    out
}

/// Tenths of a unit as the shortest decimal: `125` → `12.5`, `120` → `12`, `-5` → `-0.5`.
pub(super) fn tenths_str(v: i32) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    if a.is_multiple_of(10) {
        format!("{sign}{}", a / 10)
    } else {
        format!("{sign}{}.{}", a / 10, a % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> Frame {
        Frame {
            width: 100,
            height: 50,
            plot: (10, 5, 90, 45),
            x: (0.0, 8.0),
            y: (0.0, 4.0),
        }
    }

    #[test]
    fn tenths_are_shortest_decimals() {
        assert_eq!(tenths_str(125), "12.5");
        assert_eq!(tenths_str(120), "12");
        assert_eq!(tenths_str(-5), "-0.5");
        assert_eq!(tenths_str(0), "0");
    }

    #[test]
    fn paths_map_to_tenth_pixels_without_presentation_attributes() {
        // x: 0..8 over 10..90 px, so 1 unit = 10 px; y: 0..4 over 45..5 px, 1 unit = 10 px.
        // (0.25, 1) -> (10 + 2.5, 45 - 10) = (12.5, 35); (8, 4) -> (90, 5).
        let svg = frame().draw(&[Shape::Path(vec![(0.25, 1.0), (8.0, 4.0)])]);
        assert_eq!(svg, "<path d=\"M12.5 35l77.5-30\"/>\n");
    }

    #[test]
    fn rects_and_dots_keep_only_geometry() {
        // Rect (1,1)-(2,3): x 20..30 px, y from 45-30=15 to 45-10=35.
        let svg = frame().draw(&[
            Shape::Rect((1.0, 1.0), (2.0, 3.0)),
            Shape::Dot((4.0, 2.0), 2.0),
        ]);
        assert_eq!(
            svg,
            "<rect x=\"20\" y=\"15\" width=\"10\" height=\"20\"/>\n\
             <circle cx=\"50\" cy=\"25\" r=\"2\"/>\n"
        );
    }

    #[test]
    fn shapes_outside_the_domain_are_clamped_to_the_plot() {
        // y = 10 is above the domain top (4): clamped to the plot top, 5 px.
        let svg = frame().draw(&[Shape::Path(vec![(0.0, 0.0), (8.0, 10.0)])]);
        assert_eq!(svg, "<path d=\"M10 45l80-40\"/>\n");
    }

    #[test]
    fn repeated_points_collapse() {
        let svg = frame().draw(&[Shape::Path(vec![(0.0, 0.0), (0.0, 0.0), (1.0, 0.0)])]);
        assert_eq!(svg, "<path d=\"M10 45l10 0\"/>\n");
    }
}
