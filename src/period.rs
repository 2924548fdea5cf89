//! Periods: cuts time into quarters (`2026-Q3`), months (`2026-07`) and ISO weeks
//! (`2026-W27`) in the site timezone, clipped to `as_of`; returns `Period`s with UTC bounds.

use crate::model::Ts;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Weekday};
use chrono_tz::Tz;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Grain {
    Quarter,
    Month,
    Week,
}

impl Grain {
    pub const ALL: [Grain; 3] = [Grain::Quarter, Grain::Month, Grain::Week];

    pub fn as_str(&self) -> &'static str {
        match self {
            Grain::Quarter => "quarter",
            Grain::Month => "month",
            Grain::Week => "week",
        }
    }
}

/// One period, with its bounds in UTC seconds. `end` is exclusive and already clipped to
/// the end of the `as_of` day, so `days` counts only the days that exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub grain: Grain,
    pub key: String,
    pub start: Ts,
    pub end: Ts,
    pub first_day: NaiveDate,
    /// Inclusive, clipped.
    pub last_day: NaiveDate,
    pub days: u32,
    /// True when `as_of` cut the period short: a partial period, which trends, verdicts,
    /// sparklines and before/after comparisons leave out (see the README's semantics).
    pub clipped: bool,
}

impl Period {
    /// The days the period has when `as_of` does not cut it (7 for a week).
    pub fn full_days(&self) -> u32 {
        (next_start(self.grain, self.first_day) - self.first_day).num_days() as u32
    }
}

/// The first day of the period of `grain` that contains `date`, and its key.
pub fn containing(grain: Grain, date: NaiveDate) -> (NaiveDate, String) {
    match grain {
        Grain::Quarter => {
            let q = (date.month0() / 3) + 1;
            let first = NaiveDate::from_ymd_opt(date.year(), (q - 1) * 3 + 1, 1).unwrap();
            (first, format!("{}-Q{q}", date.year()))
        }
        Grain::Month => {
            let first = NaiveDate::from_ymd_opt(date.year(), date.month(), 1).unwrap();
            (first, format!("{}-{:02}", date.year(), date.month()))
        }
        Grain::Week => {
            let w = date.iso_week();
            let first = date - Duration::days(date.weekday().num_days_from_monday() as i64);
            (first, format!("{}-W{:02}", w.year(), w.week()))
        }
    }
}

/// The first day of the next period after the one starting at `first`.
pub fn next_start(grain: Grain, first: NaiveDate) -> NaiveDate {
    match grain {
        Grain::Quarter => first.checked_add_months(chrono::Months::new(3)).unwrap(),
        Grain::Month => first.checked_add_months(chrono::Months::new(1)).unwrap(),
        Grain::Week => first + Duration::days(7),
    }
}

/// Parses `2026-Q3`, `2026-07` or `2026-W27` into its grain and first day.
pub fn parse_key(text: &str) -> Option<(Grain, NaiveDate)> {
    let (year, rest) = text.split_once('-')?;
    let year: i32 = year.parse().ok().filter(|y| (1970..=9999).contains(y))?;
    if let Some(q) = rest.strip_prefix('Q') {
        let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
        return Some((
            Grain::Quarter,
            NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1)?,
        ));
    }
    if let Some(w) = rest.strip_prefix('W') {
        let w: u32 = w.parse().ok()?;
        return Some((
            Grain::Week,
            NaiveDate::from_isoywd_opt(year, w, Weekday::Mon)?,
        ));
    }
    if rest.len() != 2 {
        return None;
    }
    let m: u32 = rest.parse().ok()?;
    Some((Grain::Month, NaiveDate::from_ymd_opt(year, m, 1)?))
}

/// Time in the site's zone, cut off at the end of the `as_of` day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    pub tz: Tz,
    pub as_of: NaiveDate,
    /// Exclusive: the first second after the `as_of` day.
    pub as_of_end: Ts,
}

impl Calendar {
    pub fn new(tz: Tz, as_of: NaiveDate) -> Self {
        let mut c = Calendar {
            tz,
            as_of,
            as_of_end: 0,
        };
        c.as_of_end = c.day_start(as_of + Duration::days(1));
        c
    }

    /// The first second of `date` in the site zone, as UTC seconds. Where midnight does not
    /// exist (a DST gap), the first local time that does.
    pub fn day_start(&self, date: NaiveDate) -> Ts {
        let midnight: NaiveDateTime = date.and_hms_opt(0, 0, 0).unwrap();
        for hour in 0..4 {
            let t = midnight + Duration::hours(hour);
            if let Some(dt) = self.tz.from_local_datetime(&t).earliest() {
                return dt.timestamp();
            }
        }
        midnight.and_utc().timestamp()
    }

    /// The local midnights that bound the days `first..=last`: one more than there are
    /// days (just `first`'s when `last` is before it).
    pub fn day_starts(&self, first: NaiveDate, last: NaiveDate) -> Vec<Ts> {
        let n = (last - first).num_days().max(-1) + 2;
        (0..n)
            .map(|k| self.day_start(first + Duration::days(k)))
            .collect()
    }

    /// The local calendar date of a timestamp.
    pub fn date_of(&self, ts: Ts) -> NaiveDate {
        match chrono::DateTime::from_timestamp(ts, 0) {
            Some(utc) => utc.with_timezone(&self.tz).date_naive(),
            None => NaiveDate::MIN,
        }
    }

    /// A timestamp as local date and time in the site zone, "2026-07-14 20:05".
    pub fn local_time(&self, ts: Ts) -> String {
        chrono::DateTime::from_timestamp(ts, 0)
            .map(|t| {
                t.with_timezone(&self.tz)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default()
    }

    /// The period of `grain` containing `date`, clipped to `as_of`; `None` when the
    /// period starts after `as_of`.
    pub fn period(&self, grain: Grain, date: NaiveDate) -> Option<Period> {
        let (first, key) = containing(grain, date);
        if first > self.as_of {
            return None;
        }
        let full_end = next_start(grain, first);
        let clipped = full_end > self.as_of + Duration::days(1);
        let last_day = if clipped {
            self.as_of
        } else {
            full_end - Duration::days(1)
        };
        Some(Period {
            grain,
            key,
            start: self.day_start(first),
            end: self.day_start(last_day + Duration::days(1)),
            first_day: first,
            last_day,
            days: ((last_day - first).num_days() + 1) as u32,
            clipped,
        })
    }

    /// Every period of `grain` from the one containing `from` up to the one containing `as_of`.
    pub fn periods(&self, grain: Grain, from: NaiveDate) -> Vec<Period> {
        let mut out = Vec::new();
        let (mut first, _) = containing(grain, from.min(self.as_of));
        while let Some(p) = self.period(grain, first) {
            first = next_start(grain, p.first_day);
            out.push(p);
        }
        out
    }

    /// What period `p` is compared with: the period before it, and when `p` is partial,
    /// only that period's first `p.days` days (all of it when it is shorter), so a partial
    /// period is compared like for like and never against a whole one. `None` for the
    /// first period there is.
    pub fn baseline(&self, p: &Period) -> Option<Period> {
        let prev = self.period(p.grain, p.first_day.pred_opt()?)?;
        if !p.clipped || p.days >= prev.days {
            return Some(prev);
        }
        let last_day = prev.first_day + Duration::days(p.days as i64 - 1);
        Some(Period {
            end: self.day_start(last_day + Duration::days(1)),
            last_day,
            days: p.days,
            clipped: true,
            ..prev
        })
    }

    /// The period with this key (`2026-Q3`, `2026-07`, `2026-W27`), clipped.
    pub fn period_by_key(&self, key: &str) -> Option<Period> {
        let (grain, first) = parse_key(key)?;
        self.period(grain, first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DAY;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn iso_weeks_cross_the_year_boundary() {
        // 2026-01-01 is a Thursday, so ISO week 1 of 2026 starts Monday 2025-12-29.
        assert_eq!(
            containing(Grain::Week, d(2025, 12, 29)),
            (d(2025, 12, 29), "2026-W01".into())
        );
        assert_eq!(
            containing(Grain::Week, d(2026, 1, 4)),
            (d(2025, 12, 29), "2026-W01".into())
        );
        // 2021-01-03 (Sunday) still belongs to 2020-W53.
        assert_eq!(
            containing(Grain::Week, d(2021, 1, 3)),
            (d(2020, 12, 28), "2020-W53".into())
        );
        assert_eq!(parse_key("2026-W01"), Some((Grain::Week, d(2025, 12, 29))));
    }

    #[test]
    fn quarters_and_months() {
        assert_eq!(
            containing(Grain::Quarter, d(2026, 9, 30)),
            (d(2026, 7, 1), "2026-Q3".into())
        );
        assert_eq!(
            containing(Grain::Month, d(2026, 2, 14)),
            (d(2026, 2, 1), "2026-02".into())
        );
        assert_eq!(parse_key("2026-Q4"), Some((Grain::Quarter, d(2026, 10, 1))));
        assert_eq!(parse_key("2026-13"), None);
        assert_eq!(parse_key("2026-Q5"), None);
    }

    #[test]
    fn as_of_clips_the_current_period() {
        let cal = Calendar::new(Tz::UTC, d(2026, 8, 15));
        let q = cal.period_by_key("2026-Q3").unwrap();
        // July 1 .. August 15 inclusive: 31 + 15 = 46 days.
        assert_eq!(q.days, 46);
        assert!(q.clipped);
        assert_eq!(q.end - q.start, 46 * DAY);
        assert!(cal.period_by_key("2026-Q4").is_none());
        let full = cal.period_by_key("2026-Q2").unwrap();
        assert_eq!(full.days, 91); // 30 + 31 + 30
        assert!(!full.clipped);
    }

    #[test]
    fn a_week_clipped_to_three_days_is_partial() {
        // as_of Wednesday 2026-09-30: 2026-W40 runs Mon 28 Sep .. Sun 4 Oct, cut after
        // Wednesday: 28, 29, 30 = 3 of 7 days.
        let cal = Calendar::new(Tz::UTC, d(2026, 9, 30));
        let w = cal.period_by_key("2026-W40").unwrap();
        assert_eq!((w.clipped, w.days, w.full_days()), (true, 3, 7));
        assert_eq!(w.end - w.start, 3 * DAY);
        // Its baseline is W39's first 3 days, 21 .. 23 Sep.
        let b = cal.baseline(&w).unwrap();
        assert_eq!(
            (b.key.as_str(), b.first_day, b.last_day, b.days, b.clipped),
            ("2026-W39", d(2026, 9, 21), d(2026, 9, 23), 3, true)
        );
        assert_eq!(b.end - b.start, 3 * DAY);
        // The same week on its Sunday is complete, and compared with the whole W39.
        let cal = Calendar::new(Tz::UTC, d(2026, 10, 4));
        let w = cal.period_by_key("2026-W40").unwrap();
        assert_eq!((w.clipped, w.days), (false, 7));
        assert_eq!(cal.baseline(&w).unwrap().days, 7);
        // A partial March of 30 days against February's 28: all of February.
        let cal = Calendar::new(Tz::UTC, d(2026, 3, 30));
        let m = cal.period_by_key("2026-03").unwrap();
        let b = cal.baseline(&m).unwrap();
        assert_eq!(
            (m.days, b.key.as_str(), b.days, b.clipped),
            (30, "2026-02", 28, false)
        );
    }

    #[test]
    fn periods_are_cut_in_the_site_timezone() {
        let cal = Calendar::new(chrono_tz::Europe::Berlin, d(2026, 12, 31));
        let q3 = cal.period_by_key("2026-Q3").unwrap();
        // Berlin is UTC+2 in summer: Q3 starts 2026-06-30T22:00:00Z.
        assert_eq!(q3.start, 1_782_856_800);
        // 2026-06-30T22:30:00Z is 00:30 on July 1 in Berlin: in Q3.
        assert_eq!(cal.date_of(1_782_858_600), d(2026, 7, 1));
        // Q4 ends at 2027-01-01T00:00 Berlin (UTC+1) = 2026-12-31T23:00:00Z.
        let q4 = cal.period_by_key("2026-Q4").unwrap();
        assert_eq!(q4.end, 1_798_758_000);
        // Q3 has 92 days but the October DST change makes Q4 one hour longer than 92 days.
        assert_eq!(q4.end - q4.start, 92 * DAY + 3600);
    }

    #[test]
    fn lists_periods_up_to_as_of() {
        let cal = Calendar::new(Tz::UTC, d(2026, 2, 3));
        let keys: Vec<_> = cal
            .periods(Grain::Month, d(2025, 11, 20))
            .into_iter()
            .map(|p| p.key)
            .collect();
        assert_eq!(keys, vec!["2025-11", "2025-12", "2026-01", "2026-02"]);
    }

    #[test]
    fn clipped_only_when_as_of_is_before_the_last_day() {
        // Each grain's period ending on 30 September 2026 (Q3, September, and W40 is
        // 28 Sep - 4 Oct so use W39, 21-27 Sep, for the week).
        for (key, last, days) in [
            ("2026-Q3", d(2026, 9, 30), 92),
            ("2026-09", d(2026, 9, 30), 30),
            ("2026-W39", d(2026, 9, 27), 7),
        ] {
            // as_of on the last day: the whole period exists, not clipped (`>`, not `>=`).
            let on = Calendar::new(Tz::UTC, last).period_by_key(key).unwrap();
            assert!(!on.clipped, "{key} as of its last day");
            assert_eq!((on.days, on.last_day), (days, last));
            // A day earlier: clipped, one day short.
            let before = Calendar::new(Tz::UTC, last - Duration::days(1))
                .period_by_key(key)
                .unwrap();
            assert!(before.clipped, "{key} as of the day before its last");
            assert_eq!(before.days, days - 1);
            // A day later: not clipped; the next period has begun with one day, clipped.
            let after = Calendar::new(Tz::UTC, last + Duration::days(1));
            assert!(!after.period_by_key(key).unwrap().clipped);
            let next = after.period(on.grain, last + Duration::days(1)).unwrap();
            assert!(next.clipped);
            assert_eq!(next.days, 1);
        }
    }

    #[test]
    fn the_period_starting_on_as_of_exists_and_the_next_does_not() {
        // as_of 1 July: Q3 has one day; as_of 30 June: Q3 does not exist yet.
        let on = Calendar::new(Tz::UTC, d(2026, 7, 1));
        assert_eq!(on.period_by_key("2026-Q3").unwrap().days, 1);
        assert!(Calendar::new(Tz::UTC, d(2026, 6, 30))
            .period_by_key("2026-Q3")
            .is_none());
        // Berlin: the end of as_of 15 July is 2026-07-15T22:00:00Z (UTC+2).
        let berlin = Calendar::new(chrono_tz::Europe::Berlin, d(2026, 7, 15));
        assert_eq!(berlin.as_of_end, 1_784_152_800);
        assert_eq!(berlin.date_of(berlin.as_of_end - 1), d(2026, 7, 15));
        assert_eq!(berlin.date_of(berlin.as_of_end), d(2026, 7, 16));
    }

    #[test]
    fn day_start_in_a_dst_gap_and_overlap() {
        let cal = Calendar::new(chrono_tz::Europe::Berlin, d(2026, 12, 31));
        // 29 March 2026 starts at 00:00 CET = 28 March 23:00Z; that day has 23 hours.
        assert_eq!(cal.day_start(d(2026, 3, 29)), 1_774_738_800);
        assert_eq!(
            cal.day_start(d(2026, 3, 30)) - cal.day_start(d(2026, 3, 29)),
            23 * 3600
        );
        // 25 October 2026 has 25 hours.
        assert_eq!(
            cal.day_start(d(2026, 10, 26)) - cal.day_start(d(2026, 10, 25)),
            25 * 3600
        );
    }

    /// Where midnight itself does not exist, the day starts at the first local time that
    /// does, later that day (a cargo-mutants run found no test of the gap at midnight).
    #[test]
    fn a_day_whose_midnight_falls_in_a_dst_gap_starts_at_one() {
        // Chile moves its clocks from 24:00 on Saturday 5 September 2026 to 01:00 on the
        // 6th (UTC-4 to UTC-3): the 6th starts at 01:00 -03:00 = 04:00Z, 1_788_667_200;
        // not at 23:00 the day before (03:00Z).
        let cal = Calendar::new(chrono_tz::America::Santiago, d(2026, 12, 31));
        assert_eq!(cal.day_start(d(2026, 9, 6)), 1_788_667_200);
        // The 6th has 23 hours: the 7th starts at 00:00 -03:00 = 03:00Z on the 7th.
        assert_eq!(
            cal.day_start(d(2026, 9, 7)) - cal.day_start(d(2026, 9, 6)),
            23 * 3600
        );
    }
}
