//! Statistics: pure order statistics over `f64` samples (median, PERCENTILE_CONT
//! percentiles, ratios that are `None` on an empty denominator).

/// The `p`-quantile (0..=1) by linear interpolation between closest ranks, as SQL's
/// PERCENTILE_CONT and numpy's default: rank = p x (n - 1). Sorts `values` in place.
/// `None` for an empty sample.
pub fn percentile(values: &mut [f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable_by(f64::total_cmp);
    Some(percentile_sorted(values, p))
}

/// As `percentile`, for an already sorted, non-empty slice.
pub fn percentile_sorted(sorted: &[f64], p: f64) -> f64 {
    let rank = p.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    let frac = rank - lo as f64;
    sorted[lo] + (sorted[hi] - sorted[lo]) * frac
}

/// As `percentile` for each of `ps` (in ascending order), by selection rather than a full
/// sort: O(n), the same values to the bit (the same ranks of the same `total_cmp` order,
/// the same interpolation). Each is selected among the values from the rank before it on
/// (a selection leaves the higher ones to its right), so the later ones cost less. Leaves
/// `values` partly reordered.
pub fn percentiles_selected<const N: usize>(values: &mut [f64], ps: [f64; N]) -> Option<[f64; N]> {
    if values.is_empty() {
        return None;
    }
    let mut out = [0.0; N];
    // Every value left of `from` ranks below every value from it on.
    let mut from = 0;
    for (k, p) in ps.into_iter().enumerate() {
        let rank = p.clamp(0.0, 1.0) * (values.len() - 1) as f64;
        let lo = rank.floor() as usize;
        assert!(lo >= from, "percentiles in ascending order");
        let frac = rank - rank.floor();
        let (_, &mut at_lo, above) =
            values[from..].select_nth_unstable_by(lo - from, f64::total_cmp);
        // The next rank is the least of those above `lo` (none when `lo` is the last).
        let at_hi = match rank.ceil() as usize == rank.floor() as usize {
            true => at_lo,
            false => above.iter().copied().min_by(f64::total_cmp)?,
        };
        out[k] = at_lo + (at_hi - at_lo) * frac;
        from = lo;
    }
    Some(out)
}

/// The median (the 0.5 percentile). Sorts `values` in place.
pub fn median(values: &mut [f64]) -> Option<f64> {
    percentile(values, 0.5)
}

/// `num / den`, or `None` when the denominator is zero.
pub fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_interpolates_even_samples() {
        // sorted 1, 2, 4, 10: rank 0.5 x 3 = 1.5 -> 2 + (4 - 2) x 0.5 = 3
        assert_eq!(median(&mut [10.0, 1.0, 4.0, 2.0]), Some(3.0));
        assert_eq!(median(&mut [5.0]), Some(5.0));
        assert_eq!(median(&mut []), None);
    }

    #[test]
    fn p90_matches_percentile_cont() {
        // 1..=10: rank 0.9 x 9 = 8.1 -> 9 + (10 - 9) x 0.1 = 9.1 (numpy.percentile gives 9.1)
        let mut v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert!((percentile(&mut v, 0.9).unwrap() - 9.1).abs() < 1e-12);
        // 2, 4, 8: rank 0.9 x 2 = 1.8 -> 4 + (8 - 4) x 0.8 = 7.2
        assert!((percentile(&mut [8.0, 2.0, 4.0], 0.9).unwrap() - 7.2).abs() < 1e-12);
    }

    #[test]
    fn selection_gives_the_sorted_percentile_to_the_bit() {
        // 1, 2, 4, 10 (given unsorted): median rank 1.5 -> 2 + (4 - 2) x 0.5 = 3; p90 rank
        // 0.9 x 3 = 2.7 -> 4 + (10 - 4) x 0.7 = 8.2; p0 and p100 are the ends.
        let v = [10.0, 1.0, 4.0, 2.0];
        let at = |p| percentiles_selected(&mut v.clone(), [p]).map(|[x]| x);
        assert_eq!(at(0.5), Some(3.0));
        assert_eq!(at(0.9), Some(4.0 + 6.0 * (2.7f64 - 2.0)));
        assert_eq!((at(0.0), at(1.0)), (Some(1.0), Some(10.0)));
        assert_eq!(
            percentiles_selected(&mut v.clone(), [0.5, 0.9]),
            Some([3.0, 4.0 + 6.0 * (2.7f64 - 2.0)])
        );
        assert_eq!(
            percentiles_selected(&mut [7.5], [0.5, 0.9]),
            Some([7.5, 7.5])
        );
        assert_eq!(percentiles_selected(&mut [], [0.5]), None);
        // Against the sort, over shuffled values with repeats, for many ranks and sizes
        // (two values: the median and p90 share rank 0), alone and in ascending pairs.
        let ps = [0.0, 0.1, 0.25, 0.5, 0.73, 0.9, 0.99, 1.0];
        for n in [1u32, 2, 3, 10, 97] {
            let x: Vec<f64> = (0..n).map(|i| f64::from((i * 37) % 23) / 4.0).collect();
            let sorted = |p| percentile(&mut x.clone(), p).map(f64::to_bits);
            for (k, &p) in ps.iter().enumerate() {
                let one = percentiles_selected(&mut x.clone(), [p]);
                assert_eq!(one.map(|[a]| a.to_bits()), sorted(p), "n {n} p {p}");
                for &q in &ps[k..] {
                    let two = percentiles_selected(&mut x.clone(), [p, q]);
                    let bits = two.map(|[a, b]| (a.to_bits(), b.to_bits()));
                    assert_eq!(bits, sorted(p).zip(sorted(q)), "n {n} p {p} q {q}");
                }
            }
        }
    }

    #[test]
    fn ratio_of_nothing_is_none() {
        assert_eq!(ratio(0, 0), None);
        assert_eq!(ratio(0, 4), Some(0.0));
        assert_eq!(ratio(1, 4), Some(0.25));
    }
}
