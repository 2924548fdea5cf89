//! Incident charts: takes an incident's days from the report (`IncidentDaily`: the window
//! of days with the affected service's daily deployment counts and its SLOs' daily SLI)
//! and returns the `ChartSpec`s of the small
//! charts on the incident page, one day per bar or point, the incident shaded as an annotation.

use crate::chart::day_label;
use crate::chart::{ChartAnnotation, ChartKind, ChartSpec, PeriodTick, Role, Series, XAxis};
use crate::metrics::incident_window::IncidentDaily;
use crate::model::AnnotationKind;
use crate::render::words::format_value;
use chrono::{Duration, NaiveDate};

/// What the charts of one incident page share.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentWindow {
    pub incident: String,
    pub service: String,
    /// First and last day shown (the last clipped to `as_of`).
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// The incident's local start and (known) resolution day.
    pub started: NaiveDate,
    pub resolved: Option<NaiveDate>,
    /// The x axis every chart of the page shares: a tick a day, `first..=last`.
    axis: XAxis,
}

impl IncidentWindow {
    /// The days the report's `daily` figures cover (±14 days around the start day, never
    /// past `as_of`).
    pub fn around(
        incident: &str,
        service: &str,
        daily: &IncidentDaily,
        started: NaiveDate,
        resolved: Option<NaiveDate>,
    ) -> IncidentWindow {
        IncidentWindow {
            incident: incident.to_string(),
            service: service.to_string(),
            first: daily.first,
            last: daily.last,
            started,
            resolved,
            axis: day_axis(daily.first, daily.last),
        }
    }

    /// Every day shown, in order.
    pub fn days(&self) -> Vec<NaiveDate> {
        days(self.first, self.last)
    }

    fn annotation(&self) -> ChartAnnotation {
        ChartAnnotation {
            start: self.started,
            end: self.resolved.filter(|&r| r > self.started),
            kind: AnnotationKind::Incident,
            title: format!("{} (this incident)", self.incident),
            link: None,
        }
    }
}

/// The days `first..=last`, in order.
fn days(first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    let n = (last - first).num_days().max(0) + 1;
    (0..n).map(|k| first + Duration::days(k)).collect()
}

/// An axis of a tick a day, `first..=last`, labelled "Sep 18".
fn day_axis(first: NaiveDate, last: NaiveDate) -> XAxis {
    XAxis::Periods(
        days(first, last)
            .into_iter()
            .map(|d| PeriodTick {
                first_day: d,
                last_day: d,
                label: day_label(d),
                partial: false,
            })
            .collect(),
    )
}

/// Deployments of the service per day; `counts` is aligned with `w.days()`.
pub fn deploys_spec(w: &IncidentWindow, counts: &[u64]) -> ChartSpec {
    let values: Vec<Option<f64>> = counts.iter().map(|&c| Some(c as f64)).collect();
    let total: u64 = counts.iter().sum();
    ChartSpec {
        // Ids need only be unique on the incident's page; short, as each is written five times.
        id: "around-deploys".to_string(),
        kind: ChartKind::Bars,
        title: format!("Deployments of {} per day", w.service),
        desc: format!(
            "{total} deployment{} of {} from {} to {}; the incident started {}.",
            if total == 1 { "" } else { "s" },
            w.service,
            w.first,
            w.last,
            w.started
        ),
        x: w.axis.clone(),
        series: vec![Series::aligned("deployments", Role::Primary, &values)],
        unit: String::new(),
        annotations: vec![w.annotation()],
        bands: Vec::new(),
        thresholds: Vec::new(),
        shaded: Vec::new(),
    }
}

/// The daily bad-event rate (100 − SLI, in percent: errors, or slow requests for a latency SLO) of one SLO of the service, with the rate
/// its objective allows as a line; `sli` is aligned with `w.days()`. `n` numbers the
/// page's SLO charts from 1.
pub fn error_rate_spec(
    w: &IncidentWindow,
    n: usize,
    slo_id: &str,
    objective: f64,
    sli: &[Option<f64>],
) -> ChartSpec {
    let values: Vec<Option<f64>> = sli.iter().map(|v| v.map(|s| (1.0 - s) * 100.0)).collect();
    let allowed = (1.0 - objective) * 100.0;
    let worst = values
        .iter()
        .flatten()
        .fold(None, |m: Option<f64>, &v| Some(m.map_or(v, |m| m.max(v))));
    let desc = match worst {
        Some(v) => format!(
            "Daily share of bad events of {slo_id}: at worst {} on these days; the objective allows {}.",
            format_value(v, "%"),
            format_value(allowed, "%")
        ),
        None => format!("No SLI data for {slo_id} on these days."),
    };
    ChartSpec {
        id: format!("around-slo-{n}"),
        kind: ChartKind::Line,
        title: format!("Daily bad-event rate — {slo_id}"),
        desc,
        x: w.axis.clone(),
        series: vec![Series::aligned("bad events", Role::Primary, &values)],
        unit: "%".to_string(),
        annotations: vec![w.annotation()],
        bands: Vec::new(),
        thresholds: vec![(format!("objective allows {}", fmt_pct(allowed)), allowed)],
        shaded: Vec::new(),
    }
}

/// The one line that stands in for an SLO's chart when none of the days shown has SLI
/// data: when its data starts later (`since`, the day of its first row) or that it has none.
pub fn no_sli_line(w: &IncidentWindow, slo_id: &str, since: Option<NaiveDate>) -> String {
    match since {
        Some(d) if d > w.last => format!("No SLI data for {slo_id} before {d}."),
        Some(_) => format!("No SLI data for {slo_id} from {} to {}.", w.first, w.last),
        None => format!("No SLI data for {slo_id}."),
    }
}

fn fmt_pct(v: f64) -> String {
    format_value(v, "%")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::load::time::parse_date(s).unwrap()
    }

    /// The report's days around an incident started on 2 July 2026 (18 June to `last`).
    fn daily(last: &str) -> IncidentDaily {
        IncidentDaily {
            first: d("2026-06-18"),
            last: d(last),
            deploys: Vec::new(),
            sli: Vec::new(),
            sli_since: Default::default(),
        }
    }

    #[test]
    fn the_window_is_the_reports_days() {
        let w = IncidentWindow::around("i3", "api", &daily("2026-07-15"), d("2026-07-02"), None);
        // 18 June .. 15 July: 13 + 15 = 28 days.
        assert_eq!(w.first, d("2026-06-18"));
        assert_eq!(w.last, d("2026-07-15"));
        assert_eq!(w.days().len(), 28);
    }

    #[test]
    fn specs_draw_with_the_incident_marked() {
        let w = IncidentWindow::around(
            "i3",
            "api",
            &daily("2026-07-16"),
            d("2026-07-02"),
            Some(d("2026-07-03")),
        );
        let mut counts = vec![0u64; w.days().len()];
        counts[14] = 2;
        let chart = crate::chart::draw(&deploys_spec(&w, &counts));
        assert!(chart.svg.starts_with("<svg"));
        assert_eq!(chart.annotations.len(), 1);
        assert_eq!(chart.table.rows.len(), 29);
        assert_eq!(chart.table.rows[14][1], "2");
        let mut sli = vec![Some(1.0); 29];
        sli[14] = Some(0.95);
        sli[0] = None;
        let spec = error_rate_spec(&w, 1, "api-availability", 0.99, &sli);
        assert_eq!(
            (spec.id.as_str(), chart.id.as_str()),
            ("around-slo-1", "around-deploys")
        );
        // 1 - 0.95 = 5% at worst; 1 - 0.99 = 1% allowed.
        assert!(spec.desc.contains("at worst 5%"), "{}", spec.desc);
        assert!(spec.desc.contains("allows 1%"), "{}", spec.desc);
        let chart = crate::chart::draw(&spec);
        assert_eq!(chart.table.rows[0][1], "n/a");
    }

    #[test]
    fn an_slo_without_data_on_the_days_shown_gets_one_line() {
        // Days shown: 2026-06-18 .. 2026-07-16.
        let w = IncidentWindow::around("i3", "api", &daily("2026-07-16"), d("2026-07-02"), None);
        assert_eq!(
            no_sli_line(&w, "api-availability", Some(d("2026-07-17"))),
            "No SLI data for api-availability before 2026-07-17."
        );
        // Rows began before the window, yet none falls in it: a gap.
        assert_eq!(
            no_sli_line(&w, "api-availability", Some(d("2026-01-01"))),
            "No SLI data for api-availability from 2026-06-18 to 2026-07-16."
        );
        assert_eq!(
            no_sli_line(&w, "api-latency", None),
            "No SLI data for api-latency."
        );
    }
}
