//! DORA reference clusters: takes one of the four keys and a report year (2023, 2024) and
//! returns the clusters as faint reference bands labelled "name (year)".
//!
//! The clusters are profiles, not a ladder (in 2024 "high" has a 20% change failure rate
//! and "medium" 10%), so every band has the same style and only its name and year; a band
//! never labels a team. Units: deployment frequency in deploys per week, lead time and
//! recovery time in hours, change failure rate as a fraction (a typical value, so `lo ==
//! hi`: drawn as a thin labelled line; scale it with `RefBand::scaled(100.0)` for percent).
//! Open ends ("on demand", "under 1 hour") are `f64::INFINITY` and 0.

use super::RefBand;

/// The four keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DoraKey {
    DeploymentFrequency,
    LeadTime,
    ChangeFailureRate,
    RecoveryTime,
}

const DAY_H: f64 = 24.0;
const WEEK_H: f64 = 7.0 * DAY_H;
/// A mean Gregorian month: 365.2425 / 12 = 30.436875 days.
const MONTH_DAYS: f64 = 365.2425 / 12.0;
const MONTH_H: f64 = MONTH_DAYS * DAY_H;
/// Once a day is 7 a week; once a month is 7 / 30.436875 a week.
const DAILY_PER_WEEK: f64 = 7.0;
const MONTHLY_PER_WEEK: f64 = 7.0 / MONTH_DAYS;

/// One cluster: name, then (lo, hi) for DF, LT, CFR (lo == hi), RT.
type Row = (&'static str, [(f64, f64); 4]);

/// From the DORA State of DevOps reports: "on demand" DF is open above daily; "under"
/// ranges start at 0. 2023: low and medium share DF and LT; recovery "under 1 day" spans
/// 0 to 24 h as stated, so it overlaps the elite band.
const Y2023: [Row; 4] = [
    (
        "elite",
        [
            (DAILY_PER_WEEK, f64::INFINITY),
            (0.0, DAY_H),
            (0.05, 0.05),
            (0.0, 1.0),
        ],
    ),
    (
        "high",
        [
            (1.0, DAILY_PER_WEEK),
            (DAY_H, WEEK_H),
            (0.10, 0.10),
            (0.0, DAY_H),
        ],
    ),
    (
        "medium",
        [
            (MONTHLY_PER_WEEK, 1.0),
            (WEEK_H, MONTH_H),
            (0.15, 0.15),
            (DAY_H, WEEK_H),
        ],
    ),
    (
        "low",
        [
            (MONTHLY_PER_WEEK, 1.0),
            (WEEK_H, MONTH_H),
            (0.64, 0.64),
            (MONTH_H, 6.0 * MONTH_H),
        ],
    ),
];

const Y2024: [Row; 4] = [
    (
        "elite",
        [
            (DAILY_PER_WEEK, f64::INFINITY),
            (0.0, DAY_H),
            (0.05, 0.05),
            (0.0, 1.0),
        ],
    ),
    (
        "high",
        [
            (1.0, DAILY_PER_WEEK),
            (DAY_H, WEEK_H),
            (0.20, 0.20),
            (0.0, DAY_H),
        ],
    ),
    (
        "medium",
        [
            (MONTHLY_PER_WEEK, 1.0),
            (WEEK_H, MONTH_H),
            (0.10, 0.10),
            (0.0, DAY_H),
        ],
    ),
    (
        "low",
        [
            (MONTHLY_PER_WEEK / 6.0, MONTHLY_PER_WEEK),
            (MONTH_H, 6.0 * MONTH_H),
            (0.40, 0.40),
            (WEEK_H, MONTH_H),
        ],
    ),
];

/// The clusters of `year`'s report for `metric`; empty for a year with no data.
pub fn dora_bands(metric: DoraKey, year: u16) -> Vec<RefBand> {
    let rows = match year {
        2023 => &Y2023,
        2024 => &Y2024,
        _ => return Vec::new(),
    };
    let col = match metric {
        DoraKey::DeploymentFrequency => 0,
        DoraKey::LeadTime => 1,
        DoraKey::ChangeFailureRate => 2,
        DoraKey::RecoveryTime => 3,
    };
    rows.iter()
        .map(|(name, ranges)| RefBand {
            label: format!("{name} ({year})"),
            lo: ranges[col].0,
            hi: ranges[col].1,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_band_names_its_year() {
        for key in [
            DoraKey::DeploymentFrequency,
            DoraKey::LeadTime,
            DoraKey::ChangeFailureRate,
            DoraKey::RecoveryTime,
        ] {
            for year in [2023, 2024] {
                let bands = dora_bands(key, year);
                assert_eq!(bands.len(), 4);
                for b in &bands {
                    assert!(b.label.ends_with(&format!(" ({year})")), "{}", b.label);
                    assert!(!b.label.contains("team"));
                }
            }
        }
        assert!(dora_bands(DoraKey::LeadTime, 2022).is_empty());
    }

    #[test]
    fn change_failure_rates_are_typical_values_not_a_ladder() {
        // 2024 report: elite 5%, high 20%, medium 10%, low 40%.
        let cfr: Vec<(String, f64, f64)> = dora_bands(DoraKey::ChangeFailureRate, 2024)
            .into_iter()
            .map(|b| (b.label, b.lo, b.hi))
            .collect();
        assert_eq!(
            cfr,
            vec![
                ("elite (2024)".to_string(), 0.05, 0.05),
                ("high (2024)".to_string(), 0.20, 0.20),
                ("medium (2024)".to_string(), 0.10, 0.10),
                ("low (2024)".to_string(), 0.40, 0.40),
            ]
        );
        // 2023: 5%, 10%, 15%, 64%.
        let v: Vec<f64> = dora_bands(DoraKey::ChangeFailureRate, 2023)
            .iter()
            .map(|b| b.lo)
            .collect();
        assert_eq!(v, vec![0.05, 0.10, 0.15, 0.64]);
    }

    #[test]
    fn ranges_are_in_hours_and_per_week() {
        // Lead time 2024 low: 1 month to 6 months = 730.485 h to 4382.91 h
        // (30.436875 days x 24 = 730.485).
        let lt = dora_bands(DoraKey::LeadTime, 2024);
        assert!((lt[3].lo - 730.485).abs() < 1e-9 && (lt[3].hi - 4382.91).abs() < 1e-9);
        // Deployment frequency 2024 high: daily to weekly = 1 to 7 per week;
        // low: monthly (7 / 30.436875 = 0.229984) to every 6 months (0.038331) per week.
        let df = dora_bands(DoraKey::DeploymentFrequency, 2024);
        assert_eq!((df[1].lo, df[1].hi), (1.0, 7.0));
        assert!((df[3].hi - 0.229_984).abs() < 1e-6 && (df[3].lo - 0.038_331).abs() < 1e-6);
        assert_eq!(df[0].hi, f64::INFINITY);
        // Recovery 2023 low: 1 month to 6 months; 2024 low: 1 week to 1 month.
        let rt23 = dora_bands(DoraKey::RecoveryTime, 2023);
        let rt24 = dora_bands(DoraKey::RecoveryTime, 2024);
        assert!((rt23[3].lo - 730.485).abs() < 1e-9);
        assert_eq!(rt24[3].lo, 168.0);
        assert_eq!((rt24[0].lo, rt24[0].hi), (0.0, 1.0));
    }
}
