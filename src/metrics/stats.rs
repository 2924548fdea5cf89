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
    fn ratio_of_nothing_is_none() {
        assert_eq!(ratio(0, 0), None);
        assert_eq!(ratio(0, 4), Some(0.0));
        assert_eq!(ratio(1, 4), Some(0.25));
    }
}
