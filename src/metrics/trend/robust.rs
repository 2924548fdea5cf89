//! Robust trend statistics: takes points or an ordered sample and returns the Theil-Sen
//! line and the Mann-Kendall trend test (with the tie correction), plus the `erfc` they need.
//!
//! Both are O(n²) in the number of points; they run on per-period aggregates (13 weekly
//! points), never on raw events.

use serde::Serialize;

use crate::metrics::stats::median;

/// A Theil-Sen line `y = intercept + slope * x`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TheilSen {
    pub slope: f64,
    pub intercept: f64,
}

/// Theil (1950) / Sen (1968) estimator: the slope is the median of the slopes of all
/// pairs of points with different `x` (pairs with equal `x` are skipped); the intercept is
/// the median of `y - slope * x`. `None` when fewer than two distinct `x` exist.
/// Expects finite coordinates.
pub fn theil_sen(points: &[(f64, f64)]) -> Option<TheilSen> {
    let n = points.len();
    let mut slopes = Vec::with_capacity(n * n.saturating_sub(1) / 2);
    for (i, &(xi, yi)) in points.iter().enumerate() {
        for &(xj, yj) in &points[i + 1..] {
            if xj != xi {
                slopes.push((yj - yi) / (xj - xi));
            }
        }
    }
    let slope = median(&mut slopes)?;
    let mut residuals: Vec<f64> = points.iter().map(|&(x, y)| y - slope * x).collect();
    let intercept = median(&mut residuals)?;
    Some(TheilSen { slope, intercept })
}

/// The Mann-Kendall test of a monotonic trend in an ordered sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MannKendall {
    /// Sample size.
    pub n: usize,
    /// S = Σ_{i<j} sign(x_j - x_i).
    pub s: i64,
    /// Var(S) = [n(n-1)(2n+5) - Σ t(t-1)(2t+5)] / 18, summed over groups of `t` tied values.
    pub var_s: f64,
    /// (S - 1)/√Var(S) for S > 0, (S + 1)/√Var(S) for S < 0, else 0 (continuity correction).
    pub z: f64,
    /// Two-sided p-value from the standard normal: erfc(|z| / √2).
    pub p_value: f64,
    /// Kendall's tau-a: S / (n(n-1)/2).
    pub tau: f64,
}

/// Mann (1945) / Kendall (1975) trend test, normal approximation with the tie-corrected
/// variance and a continuity correction, as in Gilbert (1987, ch. 16).
///
/// `None` for n < 3: two values form a single pair, so S = ±1 or 0 and the
/// continuity-corrected z is always 0 — the test cannot say anything. (The caller,
/// [`super::trend`], asks for more points still; see [`super::MIN_TREND_POINTS`].)
/// Values are compared exactly; equal values are ties.
pub fn mann_kendall(values: &[f64]) -> Option<MannKendall> {
    let n = values.len();
    if n < 3 {
        return None;
    }
    let s = s_statistic(values);
    let var_s = s_variance(values);
    let z = continuity_z(s, var_s);
    let pairs = (n * (n - 1) / 2) as f64;
    Some(MannKendall {
        n,
        s,
        var_s,
        z,
        p_value: erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0),
        tau: s as f64 / pairs,
    })
}

fn s_statistic(values: &[f64]) -> i64 {
    let mut s = 0i64;
    for (i, &a) in values.iter().enumerate() {
        for &b in &values[i + 1..] {
            s += (b > a) as i64 - (b < a) as i64;
        }
    }
    s
}

fn s_variance(values: &[f64]) -> f64 {
    let term = |t: f64| t * (t - 1.0) * (2.0 * t + 5.0);
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let ties: f64 = sorted
        .chunk_by(|a, b| a == b)
        .map(|group| term(group.len() as f64))
        .sum();
    (term(values.len() as f64) - ties) / 18.0
}

fn continuity_z(s: i64, var_s: f64) -> f64 {
    if var_s <= 0.0 || s == 0 {
        return 0.0;
    }
    let corrected = if s > 0 { s - 1 } else { s + 1 };
    corrected as f64 / var_s.sqrt()
}

/// Complementary error function, Chebyshev fit from Numerical Recipes in C (2nd ed.,
/// §6.2, `erfcc`): fractional error below 1.2e-7 everywhere.
pub fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let ans = t * (-z * z + poly).exp();
    if x >= 0.0 {
        ans
    } else {
        2.0 - ans
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn erfc_matches_reference_values() {
        // Reference values (Abramowitz & Stegun, Table 7.1, erf to 10 places):
        // erf(0.5) = 0.5204998778 -> erfc = 0.4795001222
        // erf(1.0) = 0.8427007929 -> erfc = 0.1572992071
        // erf(2.0) = 0.9953222650 -> erfc = 0.0046777350
        assert!(close(erfc(0.0), 1.0, 1.2e-7));
        assert!(close(erfc(0.5), 0.479_500_122_2, 1e-7));
        assert!(close(erfc(1.0), 0.157_299_207_1, 1e-7));
        assert!(close(erfc(2.0), 0.004_677_735_0, 1e-8));
        assert!(close(erfc(-1.0), 2.0 - 0.157_299_207_1, 1e-7));
        // Tail, where small p-values live: erf(3) = 0.9999779095030014, so
        // erfc(3) = 2.209049699858544e-5; the NR fit's fractional error is < 1.2e-7.
        let tail = 2.209_049_699_858_544e-5;
        assert!((erfc(3.0) - tail).abs() / tail < 1.2e-7);
    }

    #[test]
    fn mann_kendall_published_example_with_one_tie() {
        // Source: D. B. Little, College of the Holy Cross, "A Mann-Kendall Example
        // ('By Hand')", https://mathcs.holycross.edu/~little/Montserrat/MannKendallByHand.txt
        // Series of 14 values; 91 pairs: 72 (+1), 18 (-1), 1 zero -> S = 54.
        // One pair of ties (12.9 twice): V = (14)(13)(33)/18 - (2)(1)(9)/18 = 333.667 - 1
        // = 332.667. Z = (S - 1)/sqrt(V) = 53/18.239 = 2.9058. The page quotes the
        // one-sided p = .0018; the two-sided p is twice that, 0.00366.
        let x = [
            12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9, 11.0, 17.3, 15.9, 19.0, 18.3, 20.1, 21.7,
        ];
        let mk = mann_kendall(&x).unwrap();
        assert_eq!(mk.n, 14);
        assert_eq!(mk.s, 54);
        assert!(close(mk.var_s, 6006.0 / 18.0 - 1.0, 1e-9));
        assert!(close(mk.z, 2.9058, 1e-4));
        assert!(close(mk.p_value / 2.0, 0.0018, 1e-4));
        assert!(close(mk.p_value, 0.003_662_7, 1e-6));
        // tau = 54 / 91
        assert!(close(mk.tau, 54.0 / 91.0, 1e-12));
    }

    #[test]
    fn mann_kendall_hand_computed_ties() {
        // values 1, 2, 2, 3, 1 (n = 5). Pairs (i<j), sign(x_j - x_i):
        //   from 1: +1 +1 +1  0      = 3
        //   from 2:     0 +1 -1      = 0
        //   from 2:       +1 -1      = 0
        //   from 3:          -1      = -1
        // S = 2. Tie groups: {1,1} t=2, {2,2} t=2 -> each 2*1*9 = 18.
        // Var(S) = (5*4*15 - 18 - 18)/18 = (300 - 36)/18 = 14.6667.
        // z = (2 - 1)/sqrt(14.6667) = 1/3.8297 = 0.26112.
        // p = erfc(0.26112/sqrt 2) = erfc(0.18464) = 0.79400 (python math.erfc).
        // tau = 2 / 10 = 0.2.
        let mk = mann_kendall(&[1.0, 2.0, 2.0, 3.0, 1.0]).unwrap();
        assert_eq!(mk.s, 2);
        assert!(close(mk.var_s, 264.0 / 18.0, 1e-12));
        assert!(close(mk.z, 0.261_12, 1e-5));
        assert!(close(mk.p_value, 0.794_00, 1e-5));
        assert!(close(mk.tau, 0.2, 1e-12));
    }

    #[test]
    fn mann_kendall_decreasing_and_degenerate() {
        // 4, 3, 2, 1: all 6 pairs fall -> S = -6. Var = 4*3*13/18 = 8.6667.
        // z = (-6 + 1)/2.9439 = -1.6984; p = erfc(1.6984/sqrt 2) = 0.08943.
        let mk = mann_kendall(&[4.0, 3.0, 2.0, 1.0]).unwrap();
        assert_eq!(mk.s, -6);
        assert!(close(mk.z, -1.698_4, 1e-4));
        assert!(close(mk.p_value, 0.089_43, 1e-5));
        assert!(close(mk.tau, -1.0, 1e-12));
        // All values tied: Var(S) = (3*2*11 - 3*2*11)/18 = 0 -> z = 0, p = 1.
        let flat = mann_kendall(&[5.0, 5.0, 5.0]).unwrap();
        assert_eq!((flat.s, flat.var_s, flat.z), (0, 0.0, 0.0));
        assert!(close(flat.p_value, 1.0, 1e-7));
        assert_eq!(mann_kendall(&[1.0, 2.0]), None);
    }

    #[test]
    fn mann_kendall_without_direction_has_z_zero_and_p_one() {
        // 2, 4, 1, 3: pairs (2,4) +1, (2,1) -1, (2,3) +1, (4,1) -1, (4,3) -1, (1,3) +1
        // -> S = 0, no ties: Var(S) = 4*3*13/18 = 8.6667 > 0. S = 0 means no trend at
        // all: z = 0, p = erfc(0) = 1. (Corrected towards zero as if S were negative, it
        // would read z = 1/2.944 = 0.34, p = 0.73.)
        let mk = mann_kendall(&[2.0, 4.0, 1.0, 3.0]).unwrap();
        assert_eq!(mk.s, 0);
        assert!(close(mk.var_s, 156.0 / 18.0, 1e-12));
        assert_eq!((mk.z, mk.tau), (0.0, 0.0));
        assert!(close(mk.p_value, 1.0, 1.2e-7));
    }

    #[test]
    fn theil_sen_hand_computed() {
        // Points (1,1) (2,3) (3,2) (4,5) (5,4). Pairwise slopes:
        //   from x=1: 2, 0.5, 4/3, 0.75
        //   from x=2: -1, 1, 1/3
        //   from x=3: 3, 1
        //   from x=4: -1
        // sorted: -1 -1 1/3 0.5 0.75 1 1 4/3 2 3 -> median (0.75 + 1)/2 = 0.875.
        // y - 0.875x: 0.125, 1.25, -0.625, 1.5, -0.375 -> median 0.125.
        let pts = [(1.0, 1.0), (2.0, 3.0), (3.0, 2.0), (4.0, 5.0), (5.0, 4.0)];
        let ts = theil_sen(&pts).unwrap();
        assert!(close(ts.slope, 0.875, 1e-12));
        assert!(close(ts.intercept, 0.125, 1e-12));
    }

    #[test]
    fn theil_sen_resists_an_outlier_and_skips_equal_x() {
        // y = 2x + 1 at x = 0..=4, with y(4) replaced by 100 (outlier), plus a duplicate
        // x = 0 point (0, 1). Of the 15 pairs, (0,1)-(0,1) is skipped (equal x); the 9
        // pairs among clean points have slope 2; the 5 pairs with the outlier have
        // (100 - y)/(4 - x) > 2. 14 slopes: 9 equal 2, 5 larger -> median (2 + 2)/2 = 2.
        // Residuals y - 2x: 1, 1, 1, 1, 92, 1 -> median 1.
        let pts = [
            (0.0, 1.0),
            (1.0, 3.0),
            (2.0, 5.0),
            (3.0, 7.0),
            (4.0, 100.0),
            (0.0, 1.0),
        ];
        let ts = theil_sen(&pts).unwrap();
        assert_eq!((ts.slope, ts.intercept), (2.0, 1.0));
        assert_eq!(theil_sen(&[(1.0, 2.0), (1.0, 5.0)]), None);
        assert_eq!(theil_sen(&[]), None);
    }

    #[test]
    fn theil_sen_on_the_holy_cross_series() {
        // Same 14 values as the Mann-Kendall example, x = 0..13. Of the 91 pairwise
        // slopes (x_j - x_i)/(j - i), the 46th smallest (the median of an odd count) is
        // (17.3 - 15.6)/(8 - 5) = 0.56667 (pairs listed and sorted with a short python
        // script: sorted(slopes)[45] = 0.566667 from the pair i = 5, j = 8).
        let x = [
            12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9, 11.0, 17.3, 15.9, 19.0, 18.3, 20.1, 21.7,
        ];
        let pts: Vec<(f64, f64)> = x.iter().enumerate().map(|(i, &y)| (i as f64, y)).collect();
        let ts = theil_sen(&pts).unwrap();
        assert!(close(ts.slope, 0.566_667, 1e-6));
    }
}
