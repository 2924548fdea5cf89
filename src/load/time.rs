//! Time parsing: RFC 3339 timestamps (offset required) and `YYYY-MM-DD` dates from
//! input text, returned as UTC seconds and `NaiveDate`s; fast on the CSV hot path.

use crate::model::Ts;
use chrono::NaiveDate;

/// Why a timestamp did not parse, worded for the user.
pub fn timestamp_hint(text: &str) -> String {
    let t = text.trim();
    if t.len() >= 19 && parse_timestamp(&format!("{t}Z")).is_some() {
        format!("timestamp `{t}` has no UTC offset; add one, e.g. `{t}Z` or `{t}+02:00`")
    } else {
        format!("`{t}` is not an RFC 3339 timestamp; write e.g. `2026-07-01T10:00:00Z`")
    }
}

/// Parses an RFC 3339 timestamp with a mandatory offset (`Z`, `+02:00`, `-0500` is not
/// accepted). Fractional seconds are dropped. `T` or a space separates date and time.
pub fn parse_timestamp(text: &str) -> Option<Ts> {
    let b = text.trim().as_bytes();
    if b.len() < 20 {
        return None;
    }
    let date = parse_date_bytes(&b[..10])?;
    if !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let hour = two(&b[11..13])?;
    let min = two(&b[14..16])?;
    let sec = two(&b[17..19])?;
    if hour > 23 || min > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let oh = two(&b[i + 1..i + 3])?;
            let om = two(&b[i + 4..i + 6])?;
            if oh > 23 || om > 59 {
                return None;
            }
            let o = (oh * 3600 + om * 60) as i64;
            if *sign == b'-' {
                -o
            } else {
                o
            }
        }
        _ => return None,
    };
    let days = date
        .signed_duration_since(NaiveDate::from_ymd_opt(1970, 1, 1)?)
        .num_days();
    Some(days * 86_400 + (hour * 3600 + min * 60 + sec.min(59)) as i64 - offset)
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.trim().as_bytes();
    (b.len() == 10).then(|| parse_date_bytes(b)).flatten()
}

fn parse_date_bytes(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = two(&b[0..2])? * 100 + two(&b[2..4])?;
    NaiveDate::from_ymd_opt(year as i32, two(&b[5..7])?, two(&b[8..10])?)
}

fn two(b: &[u8]) -> Option<u32> {
    match b {
        [a @ b'0'..=b'9', c @ b'0'..=b'9'] => Some(((a - b'0') * 10 + (c - b'0')) as u32),
        _ => None,
    }
}

/// Formats UTC seconds as RFC 3339 in UTC, e.g. `2026-07-01T10:00:00Z`.
pub fn format_utc(ts: Ts) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_offsets() {
        // 2026-07-01T10:00:00Z: 20635 days after 1970-01-01, x 86400 + 10 h.
        assert_eq!(
            parse_timestamp("2026-07-01T10:00:00Z"),
            Some(20_635 * 86_400 + 36_000)
        );
        assert_eq!(
            parse_timestamp("2026-07-01T12:00:00+02:00"),
            parse_timestamp("2026-07-01T10:00:00Z")
        );
        assert_eq!(
            parse_timestamp("2026-07-01T05:30:00-04:30"),
            parse_timestamp("2026-07-01T10:00:00Z")
        );
        assert_eq!(
            parse_timestamp("2026-07-01 10:00:00.123Z"),
            parse_timestamp("2026-07-01T10:00:00Z")
        );
    }

    #[test]
    fn rejects_missing_offsets_and_garbage() {
        assert_eq!(parse_timestamp("2026-07-01T10:00:00"), None);
        assert_eq!(parse_timestamp("2026-02-30T10:00:00Z"), None);
        assert_eq!(parse_timestamp("2026-07-01T25:00:00Z"), None);
        assert_eq!(parse_timestamp("yesterday"), None);
        assert!(timestamp_hint("2026-07-01T10:00:00").contains("no UTC offset"));
        assert!(timestamp_hint("soon").contains("not an RFC 3339"));
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2026-07-01"),
            NaiveDate::from_ymd_opt(2026, 7, 1)
        );
        assert_eq!(parse_date("2026-7-1"), None);
        // Both separators are checked, each on its own.
        assert_eq!(parse_date("2026/07-01"), None);
        assert_eq!(parse_date("2026-07/01"), None);
        assert_eq!(format_utc(20_635 * 86_400 + 36_000), "2026-07-01T10:00:00Z");
    }

    /// Each separator and each field's top is checked on its own: a `-` where only the
    /// first (column 14) or only the second (column 17) `:` belongs, minute 60 or second
    /// 61 are not timestamps. Second 60 (a leap second) is read as 59:
    /// 2026-07-01T10:00:60Z = 20_635 days * 86_400 + 36_000 + 59.
    #[test]
    fn each_separator_and_field_range_is_checked() {
        for bad in [
            "2026-07-01T10-00:00Z",
            "2026-07-01T10:00-00Z",
            "2026-07-01T10:60:00Z",
            "2026-07-01T10:00:61Z",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
        assert_eq!(
            parse_timestamp("2026-07-01T10:00:60Z"),
            Some(20_635 * 86_400 + 36_000 + 59)
        );
        // A long text that is no timestamp even with a `Z` added gets the general hint.
        let hint = timestamp_hint("the first of July, ten o'clock");
        assert!(hint.contains("is not an RFC 3339 timestamp"), "{hint}");
    }

    /// The edges of each field: 10:59:59 is a time, and 2026-07-01T10:59:59Z = 20_635 days
    /// × 86_400 + 39_599; offsets run to +23:59, which is 23 * 3_600 + 59 * 60 = 86_340 s
    /// (10:00 at +23:59 is 36_000 - 86_340 s from the day's UTC midnight). After the seconds comes either a fraction with
    /// at least one digit, then an offset, or an offset: `Z` or `+hh:mm` and nothing more.
    #[test]
    fn fields_offsets_and_fractions_at_their_edges() {
        let day = 20_635 * 86_400;
        assert_eq!(parse_timestamp("2026-07-01T10:59:59Z"), Some(day + 39_599));
        assert_eq!(
            parse_timestamp("2026-07-01T10:00:00.25+23:59"),
            Some(day + 36_000 - 86_340)
        );
        for bad in [
            "2026-07-01T10:00:00.123",
            "2026-07-01T10:00:00.Z",
            "2026-07-01T10:00:00Z0",
            "2026-07-01T10:00:00+02",
            "2026-07-01T10:00:00+02:00:00",
            "2026-07-01T10:00:00+02.00",
            "2026-07-01T10:00:00+24:00",
            "2026-07-01T10:00:00+00:60",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }
}
