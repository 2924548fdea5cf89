//! Demo clock and text helpers: takes the site timezone and span, returns fast local-time
//! conversions and RFC 3339 / CSV formatting into `String` buffers (no per-row allocation).

use crate::model::{Ts, DAY, HOUR};
use chrono::{Datelike, NaiveDate, Offset, TimeZone, Weekday};
use chrono_tz::Tz;

/// Days from 1970-01-01 to `date`.
pub fn epoch_days(date: NaiveDate) -> i64 {
    date.num_days_from_ce() as i64 - 719_163
}

/// The date `days` after 1970-01-01.
pub fn date_of_days(days: i64) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt((days + 719_163) as i32).unwrap_or(NaiveDate::MIN)
}

/// UTC offsets per hour, precomputed for the span (plus margins) so formatting 1.7 million
/// timestamps needs no timezone lookups.
#[derive(Debug, Clone)]
pub struct Clock {
    pub tz: Tz,
    base: Ts,
    offsets: Vec<i32>,
}

impl Clock {
    /// A table from `margin_days` before `start` to `margin_days` after `end`.
    pub fn new(tz: Tz, start: NaiveDate, end: NaiveDate, margin_days: i64) -> Clock {
        let base = (epoch_days(start) - margin_days) * DAY;
        let hours = ((epoch_days(end) + margin_days) * DAY - base) / HOUR + 1;
        let offsets = (0..hours)
            .map(|h| Self::lookup(tz, base + h * HOUR))
            .collect();
        Clock { tz, base, offsets }
    }

    fn lookup(tz: Tz, ts: Ts) -> i32 {
        let utc = chrono::DateTime::from_timestamp(ts, 0)
            .unwrap_or_default()
            .naive_utc();
        tz.offset_from_utc_datetime(&utc).fix().local_minus_utc()
    }

    /// Seconds to add to UTC to get local wall time at `ts`.
    pub fn offset(&self, ts: Ts) -> i32 {
        let h = (ts - self.base).div_euclid(HOUR);
        match usize::try_from(h).ok().and_then(|i| self.offsets.get(i)) {
            Some(o) => *o,
            None => Self::lookup(self.tz, ts),
        }
    }

    /// Local wall time as seconds since the epoch (for date and hour arithmetic).
    pub fn local(&self, ts: Ts) -> i64 {
        ts + self.offset(ts) as i64
    }

    /// The UTC instant of `secs` seconds after local midnight on `date`.
    pub fn at_local(&self, date: NaiveDate, secs: i64) -> Ts {
        let naive = epoch_days(date) * DAY + secs;
        let guess = naive - self.offset(naive) as i64;
        naive - self.offset(guess) as i64
    }

    /// Local hour of day, 0..24.
    pub fn local_hour(&self, ts: Ts) -> u32 {
        (self.local(ts).rem_euclid(DAY) / HOUR) as u32
    }

    /// Local calendar date.
    pub fn local_date(&self, ts: Ts) -> NaiveDate {
        date_of_days(self.local(ts).div_euclid(DAY))
    }

    /// Outside 08:00-18:00 on a weekday, or any time at the weekend, local time.
    pub fn after_hours(&self, ts: Ts) -> bool {
        let local = self.local(ts);
        let weekday = date_of_days(local.div_euclid(DAY)).weekday();
        let hour = local.rem_euclid(DAY) / HOUR;
        matches!(weekday, Weekday::Sat | Weekday::Sun) || !(8..18).contains(&hour)
    }

    /// Appends `ts` as RFC 3339 with the local offset, e.g. `2026-07-01T12:00:00+02:00`.
    pub fn push_local(&self, out: &mut String, ts: Ts) {
        let off = self.offset(ts);
        push_rfc3339(out, ts + off as i64);
        if off == 0 {
            out.push('Z');
        } else {
            out.push(if off < 0 { '-' } else { '+' });
            let a = off.unsigned_abs();
            push2(out, a / 3600);
            out.push(':');
            push2(out, a % 3600 / 60);
        }
    }

    pub fn fmt_local(&self, ts: Ts) -> String {
        let mut s = String::with_capacity(25);
        self.push_local(&mut s, ts);
        s
    }
}

/// Appends `ts` as RFC 3339 in UTC, e.g. `2026-07-01T10:00:00Z`.
pub fn push_utc(out: &mut String, ts: Ts) {
    push_rfc3339(out, ts);
    out.push('Z');
}

/// Appends `wall` (seconds since the epoch, already shifted) as `YYYY-MM-DDTHH:MM:SS`.
fn push_rfc3339(out: &mut String, wall: i64) {
    push_date(out, date_of_days(wall.div_euclid(DAY)));
    let s = wall.rem_euclid(DAY) as u32;
    out.push('T');
    push2(out, s / 3600);
    out.push(':');
    push2(out, s % 3600 / 60);
    out.push(':');
    push2(out, s % 60);
}

/// Appends `YYYY-MM-DD`.
pub fn push_date(out: &mut String, d: NaiveDate) {
    let y = d.year().clamp(0, 9999) as u32;
    push2(out, y / 100);
    push2(out, y % 100);
    out.push('-');
    push2(out, d.month());
    out.push('-');
    push2(out, d.day());
}

fn push2(out: &mut String, n: u32) {
    out.push((b'0' + (n / 10 % 10) as u8) as char);
    out.push((b'0' + (n % 10) as u8) as char);
}

/// Appends one CSV field, quoting it (RFC 4180) when it holds a comma, quote or newline.
pub fn push_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        for c in text.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(text);
    }
}

pub fn bool_str(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// A double-quoted string valid in both TOML and YAML (basic escapes only).
pub fn quoted(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            c if c.is_control() => {}
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::time::parse_timestamp;

    fn clock() -> Clock {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        Clock::new(chrono_tz::Europe::Berlin, d(1, 1), d(12, 31), 10)
    }

    #[test]
    fn formats_local_offsets_across_dst() {
        let c = clock();
        // 2026-07-01T10:00:00Z is 20635 days x 86400 + 36000 (see load::time tests);
        // Berlin is on CEST (+02:00) in July.
        let summer = 20_635 * 86_400 + 36_000;
        assert_eq!(c.fmt_local(summer), "2026-07-01T12:00:00+02:00");
        // 2026-01-15T10:00:00Z: 20468 days; Berlin is on CET (+01:00).
        assert_eq!(
            c.fmt_local(20_468 * 86_400 + 36_000),
            "2026-01-15T11:00:00+01:00"
        );
        // DST starts 2026-03-29 at 01:00Z: 00:59:59Z is 01:59:59+01:00, 01:00Z is 03:00+02:00.
        let switch = parse_timestamp("2026-03-29T01:00:00Z").unwrap();
        assert_eq!(c.fmt_local(switch - 1), "2026-03-29T01:59:59+01:00");
        assert_eq!(c.fmt_local(switch), "2026-03-29T03:00:00+02:00");
        for ts in [summer, switch - 1, switch] {
            assert_eq!(parse_timestamp(&c.fmt_local(ts)), Some(ts));
        }
        let mut s = String::new();
        push_utc(&mut s, summer);
        assert_eq!(s, "2026-07-01T10:00:00Z");
    }

    #[test]
    fn local_midnight_and_after_hours() {
        let c = clock();
        let d = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(); // a Wednesday
        let midnight = c.at_local(d, 0);
        assert_eq!(c.fmt_local(midnight), "2026-07-01T00:00:00+02:00");
        assert_eq!(c.local_date(midnight), d);
        assert!(!c.after_hours(midnight + 9 * HOUR));
        assert!(c.after_hours(midnight + 19 * HOUR));
        assert!(c.after_hours(midnight + 3 * DAY + 10 * HOUR)); // Saturday
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        let mut s = String::new();
        push_field(&mut s, "plain");
        s.push(',');
        push_field(&mut s, "a, \"b\"");
        assert_eq!(s, "plain,\"a, \"\"b\"\"\"");
        assert_eq!(quoted("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
    }
}
