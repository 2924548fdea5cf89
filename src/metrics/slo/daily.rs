//! Daily SLI: takes an SLO, its rows and a date range, and returns the SLI of each local
//! day (for the "SLI over time" chart) and the stretches of days below the objective.

use super::series::SliSeries;
use crate::config::SloDef;
use crate::model::{SliRow, Ts};
use crate::period::Calendar;
use chrono::{Duration, NaiveDate};
use serde::{Serialize, Serializer};

/// A run of consecutive days whose daily SLI was below the objective.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breach {
    #[serde(serialize_with = "iso_date")]
    pub from: NaiveDate,
    /// Inclusive.
    #[serde(serialize_with = "iso_date")]
    pub to: NaiveDate,
    pub days: u32,
    /// The lowest daily SLI in the run.
    pub worst: f64,
}

fn iso_date<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&date.format("%Y-%m-%d"))
}

/// The SLI of each day `from..=to` (good / total units of the buckets whose timestamp
/// falls in that local day); `None` for a day without traffic or after `as_of`.
pub fn sli_daily(
    def: &SloDef,
    rows: &[SliRow],
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<(NaiveDate, Option<f64>)> {
    sli_daily_series(&SliSeries::new(def, rows, cal), cal, from, to)
}

/// As `sli_daily`, on a prebuilt series.
pub fn sli_daily_series(
    s: &SliSeries,
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<(NaiveDate, Option<f64>)> {
    let days = (0..).map(|k| from + Duration::days(k));
    days.zip(sli_by_day(s, &cal.day_starts(from, to))).collect()
}

/// The SLI of each day between consecutive midnights of `bounds` (`None` for a day
/// without traffic).
pub fn sli_by_day(s: &SliSeries, bounds: &[Ts]) -> Vec<Option<f64>> {
    let at: Vec<usize> = bounds.iter().map(|&b| s.index(b)).collect();
    at.windows(2)
        .map(|w| s.sum_idx(w[0], w[1]).ratio())
        .collect()
}

/// Runs of consecutive days with an SLI below `objective`. A day without data ends a run:
/// nothing is known about it.
pub fn breaching(daily: &[(NaiveDate, Option<f64>)], objective: f64) -> Vec<Breach> {
    let mut out: Vec<Breach> = Vec::new();
    let mut open = false;
    for &(day, sli) in daily {
        match sli {
            Some(v) if v < objective => match out.last_mut() {
                Some(b) if open => {
                    b.to = day;
                    b.days += 1;
                    b.worst = b.worst.min(v);
                }
                _ => {
                    out.push(Breach {
                        from: day,
                        to: day,
                        days: 1,
                        worst: v,
                    });
                    open = true;
                }
            },
            _ => open = false,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SloWindow;
    use crate::metrics::slo::testutil::*;

    #[test]
    fn daily_sli_and_breaches() {
        let def = slo(0.99, SloWindow::Rolling { days: 28 });
        let cal = utc(2025, 11, 6);
        // Nov 1: two hourly buckets 99+98 of 200 -> 0.985; Nov 2: 100/100; Nov 3: none;
        // Nov 4: 97/100; Nov 5: 95/100; Nov 6: 99/100 (= objective, not below)
        let rows = [
            row(ts(2025, 11, 1, 0), 99, 100),
            row(ts(2025, 11, 1, 1), 98, 100),
            row(ts(2025, 11, 2, 0), 100, 100),
            row(ts(2025, 11, 4, 0), 97, 100),
            row(ts(2025, 11, 5, 23), 95, 100),
            row(ts(2025, 11, 6, 0), 99, 100),
            row(ts(2025, 11, 7, 0), 0, 100), // after as_of: does not exist
        ];
        let daily = sli_daily(&def, &rows, &cal, d(2025, 11, 1), d(2025, 11, 7));
        let values: Vec<Option<f64>> = daily.iter().map(|x| x.1).collect();
        assert_eq!(
            values,
            vec![
                Some(0.985),
                Some(1.0),
                None,
                Some(0.97),
                Some(0.95),
                Some(0.99),
                None
            ]
        );
        let b = breaching(&daily, 0.99);
        assert_eq!(b.len(), 2);
        assert_eq!(
            (b[0].from, b[0].to, b[0].days),
            (d(2025, 11, 1), d(2025, 11, 1), 1)
        );
        assert_eq!(
            (b[1].from, b[1].to, b[1].days),
            (d(2025, 11, 4), d(2025, 11, 5), 2)
        );
        assert_eq!(b[1].worst, 0.95);
        let json = serde_json::to_string(&b[1]).unwrap();
        assert!(json.contains("\"from\":\"2025-11-04\""), "{json}");
    }
}
