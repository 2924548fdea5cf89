//! Geometry: takes shapes in data coordinates and returns compact SVG elements, drawn by
//! plotters at ten times the size into a backend that writes 0.1 px coordinates and no
//! presentation attribute (colour, opacity, stroke width).

use crate::output::decimal;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, DrawingErrorKind};
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
        self.draw_as(shapes, false)
    }

    /// Draws the rectangles of `shapes` with plotters as one `<path>` of closed subpaths
    /// (`M44 14h584v192.1h-584z`, a line of its own), or nothing without any: bars of a
    /// long weekly series cost a third of the bytes of `<rect>` elements. Shapes other than
    /// rectangles are not drawn.
    pub fn draw_bars(&self, shapes: &[Shape]) -> String {
        let d = self.draw_as(shapes, true);
        if d.is_empty() {
            return d;
        }
        format!("<path d=\"{d}\"/>\n")
    }

    /// `draw`, or with `bars` only the rectangles, each as a closed subpath of one `d`.
    fn draw_as(&self, shapes: &[Shape], bars: bool) -> String {
        let mut out = String::new();
        {
            let size = (self.width * SCALE as u32, self.height * SCALE as u32);
            let root = Compact {
                out: &mut out,
                size,
                bars,
            }
            .into_drawing_area();
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
        out
    }
}

fn draw_shape(
    area: &DrawingArea<Compact<'_>, Coord>,
    shape: &Shape,
) -> Result<(), DrawingAreaErrorKind<std::convert::Infallible>> {
    // The colour is a placeholder: `Compact` writes geometry only; the stylesheet colours
    // the group.
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

/// A plotters backend that writes each element's geometry directly as compact SVG, in
/// user units (backend pixels divided by `SCALE`), with no presentation attributes:
/// plotters maps data to pixels and draws the elements; nothing is written as full SVG
/// and parsed again.
struct Compact<'a> {
    out: &'a mut String,
    size: (u32, u32),
    /// Rectangles only, as closed subpaths of one path's `d` (`Frame::draw_bars`).
    bars: bool,
}

type Drawn = Result<(), DrawingErrorKind<std::convert::Infallible>>;

impl DrawingBackend for Compact<'_> {
    type ErrorType = std::convert::Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, _: BackendColor) -> Drawn {
        self.rect(point, (point.0 + 1, point.1 + 1));
        Ok(())
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, _: &S) -> Drawn {
        if self.bars {
            return Ok(());
        }
        let (x1, y1, x2, y2) = (Tenths(from.0), Tenths(from.1), Tenths(to.0), Tenths(to.1));
        let _ = writeln!(
            self.out,
            "<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\"/>"
        );
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        _: &S,
        _: bool,
    ) -> Drawn {
        self.rect(upper_left, bottom_right);
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        _: &S,
    ) -> Drawn {
        if self.bars {
            return Ok(());
        }
        if let Some(element) = path_element(path) {
            self.out.push_str(&element);
            self.out.push('\n');
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        _: &S,
    ) -> Drawn {
        if self.bars {
            return Ok(());
        }
        let points = scale_points(path);
        if points.contains(' ') {
            let _ = writeln!(self.out, "<polygon points=\"{points}\"/>");
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        _: &S,
        _: bool,
    ) -> Drawn {
        if self.bars {
            return Ok(());
        }
        let (cx, cy, r) = (Tenths(center.0), Tenths(center.1), Tenths(radius as i32));
        let _ = writeln!(self.out, "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\"/>");
        Ok(())
    }
}

impl Compact<'_> {
    fn rect(&mut self, upper_left: BackendCoord, bottom_right: BackendCoord) {
        let (x, y) = (Tenths(upper_left.0), Tenths(upper_left.1));
        let (w, h) = (
            Tenths(bottom_right.0 - upper_left.0),
            Tenths(bottom_right.1 - upper_left.1),
        );
        if self.bars {
            let _ = write!(self.out, "M{x} {y}h{w}v{h}h-{w}z");
            return;
        }
        let _ = writeln!(
            self.out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\"/>"
        );
    }
}

/// A polyline as a `<path>` with one absolute move and relative line-tos
/// (`M12.5 35l77.5-30`): the shortest text for a long series. Repeated points are
/// dropped; `None` for fewer than two distinct points.
fn path_element(points: impl IntoIterator<Item = (i32, i32)>) -> Option<String> {
    let mut d = String::from("<path d=\"");
    let mut last: Option<(i32, i32)> = None;
    let mut segments = 0;
    for (x, y) in points {
        match last {
            None => {
                let _ = write!(d, "M{} {}l", Tenths(x), Tenths(y));
            }
            Some(p) if p == (x, y) => continue,
            Some((px, py)) => {
                let (dx, dy) = (x - px, y - py);
                if segments > 0 && dx >= 0 {
                    d.push(' ');
                }
                let _ = write!(d, "{}", Tenths(dx));
                if dy >= 0 {
                    d.push(' ');
                }
                let _ = write!(d, "{}", Tenths(dy));
                segments += 1;
            }
        }
        last = Some((x, y));
    }
    (segments > 0).then(|| d + "\"/>")
}

/// Points scaled to user units with repeats dropped: `(10,20) (15,20) (15,20)` → `"1,2 1.5,2"`.
fn scale_points(points: impl IntoIterator<Item = (i32, i32)>) -> String {
    let mut out = String::new();
    let mut last = None;
    for (x, y) in points {
        if last == Some((x, y)) {
            continue;
        }
        if last.is_some() {
            out.push(' ');
        }
        last = Some((x, y));
        let _ = write!(out, "{},{}", Tenths(x), Tenths(y));
    }
    out
}

/// Tenths of a unit written as the shortest decimal: `125` → `12.5`, `120` → `12`, `-5` →
/// `-0.5`. Writes straight into the formatter (charts write a few hundred numbers each,
/// tens of thousands of charts a build: no string per number).
pub(super) struct Tenths(pub i32);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Written straight, with no padding or width (none is ever asked for) and no nested
        // formatting of the parts.
        let a = self.0.unsigned_abs();
        let mut buf = [0; 20];
        if self.0 < 0 {
            f.write_str("-")?;
        }
        f.write_str(decimal(u64::from(a / 10), &mut buf))?;
        match a % 10 {
            0 => Ok(()),
            d => {
                f.write_char('.')?;
                f.write_char(char::from(b'0' + d as u8))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // `rects_to_path` (what bars were until `draw_bars`) is the reference `draw_bars` is
    // held to: `draw`'s `<rect>` lines, parsed and merged.

    /// `key="value"` pairs of one element, in order.
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

    /// Rectangles (as `draw` writes them) merged into one `<path>` of closed subpaths
    /// (`M44 14h584v192.1h-584z`): bars of a long weekly series cost a third of the bytes.
    fn rects_to_path(svg: &str) -> String {
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

    #[test]
    fn bars_are_the_rects_draw_writes_as_one_path() {
        let f = frame();
        // Bars from the axis up, one of zero height, one reaching past the domain, and a
        // path, which draw_bars leaves out.
        let shapes = vec![
            Shape::Rect((0.5, 0.0), (1.5, 2.25)),
            Shape::Rect((2.0, 0.0), (3.0, 0.0)),
            Shape::Rect((6.5, 0.0), (9.0, 5.0)),
            Shape::Path(vec![(0.0, 1.0), (8.0, 3.0)]),
        ];
        let rects: Vec<Shape> = shapes[..3].to_vec();
        assert_eq!(f.draw_bars(&shapes), rects_to_path(&f.draw(&rects)));
        assert!(f.draw_bars(&shapes).starts_with("<path d=\"M"));
        assert_eq!(f.draw_bars(&shapes[3..]), "");
    }

    #[test]
    fn tenths_are_the_shortest_decimal() {
        let shown: Vec<String> = [0, 5, -5, 120, 125, -125, 1234567, i32::MIN, i32::MAX]
            .into_iter()
            .map(|v| Tenths(v).to_string())
            .collect();
        assert_eq!(
            shown,
            [
                "0",
                "0.5",
                "-0.5",
                "12",
                "12.5",
                "-12.5",
                "123456.7",
                "-214748364.8",
                "214748364.7"
            ]
        );
    }

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
        let s = |v: i32| Tenths(v).to_string();
        assert_eq!(s(125), "12.5");
        assert_eq!(s(120), "12");
        assert_eq!(s(-5), "-0.5");
        assert_eq!(s(0), "0");
        assert_eq!(s(-120), "-12");
        assert_eq!(s(7), "0.7");
        // The extremes: every digit and the sign fit.
        assert_eq!(s(i32::MIN), "-214748364.8");
        assert_eq!(s(i32::MAX), "214748364.7");
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
