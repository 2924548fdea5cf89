//! Chart stage: takes one `ChartSpec` (series, axis, annotations, reference bands) and
//! returns one `Chart`: a compact, accessible, themeable, deterministic inline SVG plus the
//! same numbers as a data table and as CSV.
//!
//! # How the drawing is done, and why no font is needed
//!
//! Plotters is built with no backend and no font feature: a font backend (`ttf`,
//! `ab_glyph`) would either need fontconfig or bundle a font. Plotters draws only geometry
//! (`PathElement`, `Rectangle`, `Circle` through its `Cartesian2d` mapping) into `geom`'s
//! own small `DrawingBackend`, which writes compact SVG elements; this module writes every
//! piece of text itself as plain `<text>` elements, plus the wrapper, `<title>`, `<desc>`
//! and the annotations' `<title>`.
//! The browser lays the text out with the site's font, so the bytes never depend on the
//! fonts the build machine has, and the build needs no fontconfig.
//!
//! Plotters maps to integer pixels, so it draws at ten times the size and `geom` divides
//! by ten: coordinates are rounded to 0.1 px and written as integers where they are whole.
//! `geom` writes no `stroke=`/`fill=`/`opacity=` attributes: each layer is a
//! `<g class="...">` and [`CHART_CSS`] colours the classes from CSS custom properties with
//! light and dark (`prefers-color-scheme`) values. No inline style, no random ids: the
//! only ids are `{id}-t` and `{id}-d` for `aria-labelledby`, prefixed by the spec's id.
//!
//! # What the caller does
//!
//! The caller writes `desc` (the trend in words) and the before/after medians with their
//! labels (see [`SideMedian`]), converts units (for example change failure rate to
//! percent, see [`RefBand::scaled`]) and downsamples long series before drawing
//! (largest-triangle-three-buckets): `draw` plots every point it is given, dropping only
//! points that land on the same 0.1 px as the previous. Missing values are `None`: they
//! break the line and show "n/a" in the table. Chart computes no figure and imports
//! nothing from `metrics`.

mod axis;
mod css;
mod dora;
mod geom;
mod kinds;
mod layers;
mod memo;
mod svg;
mod table;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_kinds;

pub use axis::day_label;
pub use css::CHART_CSS;
pub use dora::{dora_bands, DoraKey};
pub use memo::{draw_with, Memo};
pub use table::DataTable;

use crate::model::{Annotation, AnnotationKind, Ts};
use crate::period::{Calendar, Period};
use chrono::NaiveDate;

/// Which chart to draw.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartKind {
    /// Weekly or monthly series, usually with a rolling median.
    Line,
    /// Counts per period.
    Bars,
    /// A 120×28 line for dashboard tiles: no axes, a dot on the last point.
    Sparkline,
    /// Error budget remaining over a continuous time axis, with the ideal line.
    BurnDown,
    /// The series split at the intervention day `at`, with the caller's median of each
    /// side drawn as a labelled line over that side.
    BeforeAfter {
        at: NaiveDate,
        before: SideMedian,
        after: SideMedian,
    },
    /// A line on a y axis fitted to the data and thresholds instead of starting at zero,
    /// for SLIs near 100% (a 99.9% objective is invisible on a 0-100 axis).
    Sli,
}

/// One side's median on a before/after chart, computed and worded by the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct SideMedian {
    /// `None` when the side has no data: no line is drawn and the table reads "n/a".
    pub median: Option<f64>,
    /// The periods with data behind the median.
    pub n: usize,
    /// The words on the line, e.g. "before: median 27 h (n=4)".
    pub label: String,
}

/// One period on a period axis; `last_day` is inclusive. A `partial` period (cut short by
/// `as_of`) is drawn distinctly: a lighter, outlined bar, or a dashed last segment and a
/// hollow dot on a line; its data table row reads "(partial)". The caller says why in
/// `desc`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodTick {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub label: String,
    pub partial: bool,
}

impl From<&Period> for PeriodTick {
    fn from(p: &Period) -> Self {
        PeriodTick {
            first_day: p.first_day,
            last_day: p.last_day,
            label: p.key.clone(),
            partial: p.clipped,
        }
    }
}

/// The time axis.
#[derive(Debug, Clone, PartialEq)]
pub enum XAxis {
    /// Periods in order; a series' x is the period's index.
    Periods(Vec<PeriodTick>),
    /// Continuous UTC seconds `start..end`; a series' x is a `Ts` as `f64`. The calendar
    /// places day labels and annotation days in the site's timezone.
    Time {
        start: Ts,
        end: Ts,
        calendar: Calendar,
    },
}

/// What a series is, which sets its class (and so its colour and dash).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Primary,
    Secondary,
    RollingMedian,
    /// The ideal burn-down line.
    Ideal,
}

impl Role {
    fn class(self) -> &'static str {
        match self {
            Role::Primary => "s-primary",
            Role::Secondary => "s-secondary",
            Role::RollingMedian => "s-median",
            Role::Ideal => "s-ideal",
        }
    }
}

/// One series: `(x, y)` points in x order; `y = None` is a gap.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub role: Role,
    pub points: Vec<(f64, Option<f64>)>,
}

impl Series {
    /// A series aligned with a period axis: value `i` belongs to period `i`.
    pub fn aligned(name: &str, role: Role, values: &[Option<f64>]) -> Series {
        Series {
            name: name.to_string(),
            role,
            points: values
                .iter()
                .enumerate()
                .map(|(i, v)| (i as f64, *v))
                .collect(),
        }
    }
}

/// An annotation as a chart draws and lists it; `end` is the inclusive last day of a range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartAnnotation {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub kind: AnnotationKind,
    pub title: String,
    pub link: Option<String>,
}

impl From<&Annotation> for ChartAnnotation {
    fn from(a: &Annotation) -> Self {
        ChartAnnotation {
            start: a.date,
            end: a.end_date,
            kind: a.kind,
            title: a.title.clone(),
            link: a.link.clone(),
        }
    }
}

/// A faint horizontal reference band (`lo == hi` draws a thin line). `hi` may be
/// `f64::INFINITY` for an open-ended band; bands are clipped to the plotted range and never
/// widen it.
#[derive(Debug, Clone, PartialEq)]
pub struct RefBand {
    pub label: String,
    pub lo: f64,
    pub hi: f64,
}

impl RefBand {
    /// The band with both edges multiplied by `factor` (e.g. 100 for a fraction in percent).
    pub fn scaled(&self, factor: f64) -> RefBand {
        RefBand {
            label: self.label.clone(),
            lo: self.lo * factor,
            hi: self.hi * factor,
        }
    }
}

/// Everything one chart needs.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// Unique per page; prefixes the ids inside the SVG.
    pub id: String,
    pub kind: ChartKind,
    pub title: String,
    /// The chart in words (the SVG `<desc>`), written by the caller: render always gives
    /// one; chart writes no sentence of its own.
    pub desc: String,
    pub x: XAxis,
    pub series: Vec<Series>,
    /// "h", "%", "/week", ...
    pub unit: String,
    pub annotations: Vec<ChartAnnotation>,
    pub bands: Vec<RefBand>,
    /// Labelled horizontal lines, e.g. an SLO objective.
    pub thresholds: Vec<(String, f64)>,
    /// Shaded x ranges, in the axis' x units, and what each marks.
    pub shaded: Vec<(f64, f64, Shade)>,
}

/// What a shaded x range marks, which sets its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shade {
    /// Days below the objective, or past an exhausted budget: the breach colour.
    Breach,
    /// The period the page is about (a report's quarter): the reference bands' neutral
    /// colour, never the breach colour, which would read as a verdict.
    Focus,
}

/// A drawn chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The sanitised id used inside the SVG.
    pub id: String,
    pub svg: String,
    pub table: DataTable,
    /// The annotations drawn: those that touch the x range, in date order, for the list
    /// under the chart (none for a sparkline, which draws none).
    pub annotations: Vec<ChartAnnotation>,
}

impl Chart {
    /// The chart's numbers as CSV (made on demand: most charts are never downloaded).
    pub fn csv(&self) -> String {
        self.table.to_csv()
    }
}

/// Draws one chart. Pure: the same spec gives the same bytes.
pub fn draw(spec: &ChartSpec) -> Chart {
    let id = svg::safe_id(&spec.id);
    // A sparkline draws no annotations, so it lists none.
    let annotations = match spec.kind {
        ChartKind::Sparkline => Vec::new(),
        _ => axis::annotations_in_range(spec),
    };
    let svg = kinds::render(spec, &id, &annotations);
    let table = table::build(spec);
    Chart {
        id,
        svg,
        table,
        annotations,
    }
}
