//! Timestamp sanity: collects the timestamps of one data file with their positions,
//! reports the ones no real report can hold (before 2000, or far beyond the rest of the
//! file) and returns the file's latest timestamp with the row that holds it, which is what
//! sets the default report date.

use crate::diag::{Diagnostics, Pos};
use crate::load::csv::Spot;
use crate::load::time::format_utc;
use crate::model::{Latest, Ts};
use rayon::slice::ParallelSliceMut;

/// 2000-01-01T00:00:00Z: no data row may be earlier.
pub const EARLIEST: Ts = 946_684_800;

/// How far (365 days, in seconds) a timestamp may lie past the next-latest of its file.
pub const MAX_GAP: Ts = 365 * 86_400;

/// The timestamps of one file, each with its field's place.
#[derive(Debug, Default, Clone)]
pub struct Stamps {
    rows: Vec<(Ts, Spot)>,
}

impl Stamps {
    /// Room for `n` more timestamps.
    pub fn reserve(&mut self, n: usize) {
        self.rows.reserve_exact(n);
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn add(&mut self, at: Ts, spot: Spot) {
        self.rows.push((at, spot));
    }

    /// Appends the stamps of a later part of the same file.
    pub fn append(&mut self, other: &mut Stamps) {
        self.rows.append(&mut other.rows);
    }

    /// Reports every timestamp before 2000, and every one from the first (in time) that
    /// lies more than a year after the next-latest timestamp of the file, when such rows are
    /// at most half of the file's (a sparse early history is not an error). Returns the
    /// latest timestamp among the rest. `pos` turns a reported field's place into its line
    /// and column (`Spot::pos` of the file's bytes).
    pub fn check(
        mut self,
        path: &'static str,
        pos: impl Fn(Spot) -> Pos,
        diags: &mut Diagnostics,
    ) -> Option<Latest> {
        let key = |&(at, spot): &(Ts, Spot)| (at, spot.line, spot.column);
        if self.rows.iter().any(|&(at, _)| at < EARLIEST) {
            let mut old: Vec<(Ts, Spot)> = self
                .rows
                .iter()
                .copied()
                .filter(|r| r.0 < EARLIEST)
                .collect();
            old.sort_by_key(key);
            for &(at, spot) in &old {
                diags.error(
                    path,
                    Some(pos(spot)),
                    format!(
                        "timestamp {} is before 2000; almanac reads data from 2000 on: check the year",
                        format_utc(at)
                    ),
                );
            }
            self.rows.retain(|&(at, _)| at >= EARLIEST);
        }
        if no_gap(&self.rows) {
            return self
                .rows
                .iter()
                .max_by_key(|r| key(r))
                .map(|&(at, spot)| Latest {
                    at,
                    path,
                    line: spot.line,
                });
        }
        // (line, column) is each row's own: the order is total, and a parallel unstable
        // sort gives the one order a stable sort would.
        self.rows.par_sort_unstable_by_key(key);
        let rows = &self.rows;
        let n = rows.len();
        let gap = (n.div_ceil(2).max(1)..n).find(|&g| rows[g].0 - rows[g - 1].0 > MAX_GAP);
        let kept = gap.unwrap_or(n);
        if let Some(g) = gap {
            let (before, before_spot) = rows[g - 1];
            for &(at, spot) in &rows[g..] {
                diags.error(
                    path,
                    Some(pos(spot)),
                    format!(
                        "timestamp {} is more than a year after the next-latest one in this file ({} on line {}); check the year",
                        format_utc(at),
                        format_utc(before),
                        before_spot.line
                    ),
                );
            }
        }
        rows[..kept].last().map(|&(at, spot)| Latest {
            at,
            path,
            line: spot.line,
        })
    }
}

/// Whether, in time order, no timestamp of the later half (from the middle one on) lies more
/// than `MAX_GAP` after the one before, told without sorting: in half-`MAX_GAP` buckets from
/// the middle timestamp up, such a gap leaves a bucket empty, so when none is empty there is
/// no gap. (An empty bucket does not prove a gap: the caller then sorts.)
fn no_gap(rows: &[(Ts, Spot)]) -> bool {
    let n = rows.len();
    if n < 2 {
        return true;
    }
    let mut times: Vec<Ts> = rows.iter().map(|r| r.0).collect();
    // The gaps checked are between sorted positions m and m + 1, m + 1 and m + 2, ...
    let m = n.div_ceil(2).max(1) - 1;
    let (_, &mut low, upper) = times.select_nth_unstable(m);
    let high = upper.iter().copied().max().unwrap_or(low);
    let width = MAX_GAP / 2;
    let buckets = ((high - low) / width + 1) as usize;
    if buckets > 4096 {
        return false;
    }
    let mut seen = vec![false; buckets];
    seen[0] = true;
    for &t in upper.iter() {
        seen[((t - low) / width) as usize] = true;
    }
    seen.iter().all(|&s| s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::time::parse_timestamp;

    /// The field in file column `column` of line `line` (its record offset is not read).
    fn spot(line: u32, column: u32) -> Spot {
        Spot {
            offset: 0,
            line,
            column,
        }
    }

    /// The tests' files: a field's character column is its file column plus one.
    fn pos(s: Spot) -> Pos {
        Pos {
            line: s.line,
            column: s.column + 1,
        }
    }

    fn at(line: u32, text: &str) -> (Ts, Spot) {
        (parse_timestamp(text).unwrap(), spot(line, 4))
    }

    fn run(rows: &[(Ts, Spot)]) -> (Option<Latest>, Vec<String>) {
        let mut s = Stamps::default();
        for &(t, p) in rows {
            s.add(t, p);
        }
        let mut d = Diagnostics::new();
        let latest = s.check("f.csv", pos, &mut d);
        (latest, d.sorted().iter().map(|d| d.to_string()).collect())
    }

    /// A file read in parts (the changes parser splits large files) is checked as one: the
    /// 2205 row and the latest row both come from the second part, which `append` joins
    /// to the first; the error is the same as for the file read whole, and line 5, not the
    /// first part's latest (line 3), sets the latest.
    #[test]
    fn appended_parts_are_checked_as_one_file() {
        let mut first = Stamps::default();
        for (t, p) in [at(2, "2026-09-01T00:00:00Z"), at(3, "2026-09-20T00:00:00Z")] {
            first.add(t, p);
        }
        let mut second = Stamps::default();
        for (t, p) in [at(4, "2205-04-03T10:00:00Z"), at(5, "2026-09-30T12:00:00Z")] {
            second.add(t, p);
        }
        first.append(&mut second);
        let mut d = Diagnostics::new();
        let latest = first.check("f.csv", pos, &mut d);
        let d: Vec<String> = d.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(
            d,
            ["f.csv:4:5: error: timestamp 2205-04-03T10:00:00Z is more than a year after the next-latest one in this file (2026-09-30T12:00:00Z on line 5); check the year"]
        );
        assert_eq!(latest.map(|l| l.line), Some(5));
    }

    /// `check` as first written: sort every row, then look for the gap in the later half.
    /// The checker sorts only when `no_gap` cannot rule a gap out; both must agree.
    fn sorted_check(rows: &[(Ts, Spot)]) -> (Option<Latest>, Vec<String>) {
        let mut rows: Vec<(Ts, Pos)> = rows.iter().map(|&(at, s)| (at, pos(s))).collect();
        rows.sort_by_key(|&(at, pos)| (at, pos.line, pos.column));
        let mut d = Diagnostics::new();
        let old = rows.partition_point(|&(at, _)| at < EARLIEST);
        for &(at, pos) in &rows[..old] {
            d.error(
                "f.csv",
                Some(pos),
                format!(
                    "timestamp {} is before 2000; almanac reads data from 2000 on: check the year",
                    format_utc(at)
                ),
            );
        }
        let rows = &rows[old..];
        let n = rows.len();
        let gap = (n.div_ceil(2).max(1)..n).find(|&g| rows[g].0 - rows[g - 1].0 > MAX_GAP);
        if let Some(g) = gap {
            let (before, pos) = rows[g - 1];
            for &(at, p) in &rows[g..] {
                d.error("f.csv", Some(p), format!("timestamp {} is more than a year after the next-latest one in this file ({} on line {}); check the year", format_utc(at), format_utc(before), pos.line));
            }
        }
        let latest = rows[..gap.unwrap_or(n)].last().map(|&(at, pos)| Latest {
            at,
            path: "f.csv",
            line: pos.line,
        });
        (latest, d.sorted().iter().map(|d| d.to_string()).collect())
    }

    proptest::proptest! {
        /// Rows spread over a few years, some far before 2000 or after the rest, several
        /// on one line: the same errors and the same latest row as sorting everything.
        #[test]
        fn checking_without_sorting_agrees_with_sorting(
            rows in proptest::collection::vec((0u8..12, 0i64..40_000, 1u32..30, 1u32..4), 0..60)
        ) {
            // Stamps at 2021-01-01 + k days, a kind choosing an era: 0 is 1990, 1 is 2090, 2
            // is 2031 (past a gap), the rest 2021 onwards.
            let base = parse_timestamp("2021-01-01T00:00:00Z").unwrap();
            let rows: Vec<(Ts, Spot)> = rows
                .iter()
                .map(|&(kind, hours, line, column)| {
                    let era = match kind {
                        0 => -31 * 365 * 86_400,
                        1 => 69 * 365 * 86_400,
                        2 => 10 * 365 * 86_400,
                        _ => 0,
                    };
                    (base + era + hours * 3600, spot(line, column))
                })
                .collect();
            proptest::prop_assert_eq!(run(&rows), sorted_check(&rows));
        }
    }

    #[test]
    fn a_far_future_row_is_an_error_and_does_not_set_the_latest() {
        // 2205 is far more than 365 days after 2026-09-30, the next-latest row.
        let (latest, d) = run(&[
            at(2, "2026-09-01T00:00:00Z"),
            at(3, "2205-04-03T10:00:00Z"),
            at(4, "2026-09-30T12:00:00Z"),
        ]);
        assert_eq!(
            d,
            ["f.csv:3:5: error: timestamp 2205-04-03T10:00:00Z is more than a year after the next-latest one in this file (2026-09-30T12:00:00Z on line 4); check the year"]
        );
        assert_eq!(latest.map(|l| l.line), Some(4));
    }

    #[test]
    fn the_gap_is_allowed_up_to_exactly_365_days() {
        // 2025-01-01 + 365 days = 2026-01-01: allowed; one second more is not.
        let ok = run(&[
            at(2, "2025-01-01T00:00:00Z"),
            at(3, "2025-01-01T00:00:00Z"),
            at(4, "2026-01-01T00:00:00Z"),
        ]);
        assert_eq!(ok.1, Vec::<String>::new());
        assert_eq!(ok.0.map(|l| l.line), Some(4));
        let bad = run(&[
            at(2, "2025-01-01T00:00:00Z"),
            at(3, "2025-01-01T00:00:00Z"),
            at(4, "2026-01-01T00:00:01Z"),
        ]);
        assert_eq!(bad.1.len(), 1);
        assert_eq!(bad.0.map(|l| l.line), Some(3));
    }

    #[test]
    fn a_sparse_early_history_is_not_an_error() {
        // One row in 2019 then three in 2024: the rows after the gap are the majority.
        let (latest, d) = run(&[
            at(2, "2019-01-01T00:00:00Z"),
            at(3, "2024-01-01T00:00:00Z"),
            at(4, "2024-01-02T00:00:00Z"),
            at(5, "2024-01-03T00:00:00Z"),
        ]);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(latest.map(|l| l.line), Some(5));
    }

    #[test]
    fn before_2000_is_an_error() {
        // 1999-12-31T23:59:59Z is one second before the limit; 2000-01-01T00:00:00Z is on it.
        let (latest, d) = run(&[at(2, "1999-12-31T23:59:59Z"), at(3, "2000-01-01T00:00:00Z")]);
        assert_eq!(
            d,
            ["f.csv:2:5: error: timestamp 1999-12-31T23:59:59Z is before 2000; almanac reads data from 2000 on: check the year"]
        );
        assert_eq!(latest.map(|l| l.line), Some(3));
    }
}
