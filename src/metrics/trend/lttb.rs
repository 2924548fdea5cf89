//! Downsampling for charts: takes points sorted by x and returns at most `threshold` of
//! them chosen by Largest-Triangle-Three-Buckets (Steinarsson 2013, "Downsampling Time
//! Series for Visual Representation", MSc thesis, University of Iceland, ch. 4).

/// LTTB: keeps the first and last points; splits the rest into `threshold - 2` equal
/// buckets and from each keeps the point forming the largest triangle with the point kept
/// from the previous bucket and the average of the next bucket. Returns the input
/// unchanged when it has at most `threshold` points or `threshold < 3`. O(n), points must
/// be sorted by x; ties between equal areas go to the earliest point.
pub fn lttb(points: &[(f64, f64)], threshold: usize) -> Vec<(f64, f64)> {
    let len = points.len();
    if len <= threshold || threshold < 3 {
        return points.to_vec();
    }
    // Bucket i holds points[start(i)..start(i + 1)], start(i) = floor(i(len-2)/(threshold-2)) + 1,
    // computed in integers so the last bucket ends exactly at len - 1.
    let start = |i: usize| (i * (len - 2) / (threshold - 2) + 1).min(len);
    let mut out = Vec::with_capacity(threshold);
    out.push(points[0]);
    let mut a = points[0];
    for i in 0..threshold - 2 {
        // The next bucket's average; after the last bucket that is the last point alone.
        let c = average(&points[start(i + 1)..start(i + 2)]);
        let kept = largest_triangle(a, &points[start(i)..start(i + 1)], c);
        out.push(kept);
        a = kept;
    }
    out.push(points[len - 1]);
    out
}

/// LTTB over each run of values between gaps, each run keeping its share of `max` points
/// (`ceil(run x max / all)`, at least 3); a gap stays one gap point. Returns the input
/// unchanged when it has at most `max` points.
pub fn downsample(points: &[(f64, Option<f64>)], max: usize) -> Vec<(f64, Option<f64>)> {
    if points.len() <= max {
        return points.to_vec();
    }
    let mut out = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    let flush = |run: &mut Vec<(f64, f64)>, out: &mut Vec<(f64, Option<f64>)>| {
        let share = (run.len() * max).div_ceil(points.len()).max(3);
        out.extend(lttb(run, share).into_iter().map(|(x, y)| (x, Some(y))));
        run.clear();
    };
    for &(x, y) in points {
        match y {
            Some(y) => run.push((x, y)),
            None => {
                flush(&mut run, &mut out);
                if out.last().is_none_or(|p| p.1.is_some()) {
                    out.push((x, None));
                }
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

fn average(points: &[(f64, f64)]) -> (f64, f64) {
    let n = points.len() as f64;
    let (sx, sy) = points
        .iter()
        .fold((0.0, 0.0), |(sx, sy), &(x, y)| (sx + x, sy + y));
    (sx / n, sy / n)
}

fn largest_triangle(a: (f64, f64), bucket: &[(f64, f64)], c: (f64, f64)) -> (f64, f64) {
    let mut best = bucket[0];
    let mut best_area = -1.0;
    for &b in bucket {
        // Twice the triangle's area; the factor 1/2 does not change the choice.
        let area = ((a.0 - c.0) * (b.1 - a.1) - (a.0 - b.0) * (c.1 - a.1)).abs();
        if area > best_area {
            best_area = area;
            best = b;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keeps_the_spikes_in_a_small_case() {
        // 8 points, threshold 4: first (0,0) and last (7,0) kept; the 6 middle points form
        // 2 buckets of 3: every = 6/2 = 3 -> bucket 0 = x 1..=3, bucket 1 = x 4..=6.
        // Bucket 0: a = (0,0), c = average of bucket 1 = ((4+5+6)/3, (1+0-5)/3) = (5, -4/3).
        //   twice-area |(0-5)(y_b) - (0-x_b)(-4/3)| = |-5 y_b - 4/3 x_b|:
        //   (1, 1): |-5 - 1.33| = 6.33; (2, 9): |-45 - 2.67| = 47.67; (3, 2): |-10 - 4| = 14
        //   -> keeps (2, 9), the spike.
        // Bucket 1: a = (2, 9), c = last point (7, 0).
        //   |(2-7)(y_b - 9) - (2-x_b)(0-9)| = |-5(y_b - 9) + 9(2 - x_b)|:
        //   (4, 1): |40 - 18| = 22; (5, 0): |45 - 27| = 18; (6, -5): |70 - 36| = 34
        //   -> keeps (6, -5), the dip.
        let pts = [
            (0.0, 0.0),
            (1.0, 1.0),
            (2.0, 9.0),
            (3.0, 2.0),
            (4.0, 1.0),
            (5.0, 0.0),
            (6.0, -5.0),
            (7.0, 0.0),
        ];
        assert_eq!(
            lttb(&pts, 4),
            vec![(0.0, 0.0), (2.0, 9.0), (6.0, -5.0), (7.0, 0.0)]
        );
    }

    #[test]
    fn short_inputs_and_small_thresholds_pass_through() {
        let pts = [(0.0, 1.0), (1.0, 2.0), (2.0, 0.0), (3.0, 5.0)];
        assert_eq!(lttb(&pts, 4), pts.to_vec());
        assert_eq!(lttb(&pts, 10), pts.to_vec());
        assert_eq!(lttb(&pts, 2), pts.to_vec());
        assert_eq!(lttb(&[], 3), vec![]);
    }

    #[test]
    fn threshold_three_keeps_the_most_prominent_middle_point() {
        // One bucket holding x = 1..=3; a = (0,0), c = the last point (4,0):
        // twice-area = |(0-4)(y_b)| = 4|y_b| -> the largest |y|, (2, -7).
        let pts = [(0.0, 0.0), (1.0, 3.0), (2.0, -7.0), (3.0, 6.0), (4.0, 0.0)];
        assert_eq!(lttb(&pts, 3), vec![(0.0, 0.0), (2.0, -7.0), (4.0, 0.0)]);
    }

    #[test]
    fn the_third_corner_is_the_next_bucket_not_this_one() {
        // One bucket holding x = 1..=3; a = (0,0), c = the next bucket, here the last point
        // alone, (4,12): twice-area = |(0-4)(y_b) - (0-x_b)(12)| = |12 x_b - 4 y_b|:
        //   (1, 10): |12 - 40| = 28; (2, 0): 24; (3, 0): 36 -> keeps (3, 0), the point
        //   farthest below the rise to the last point.
        // Were the third corner the average of this bucket and the next, x = 1..=4:
        //   c = (10/4, 22/4) = (2.5, 5.5), twice-area = |5.5 x_b - 2.5 y_b|:
        //   (1, 10): 19.5; (2, 0): 11; (3, 0): 16.5 -> it would keep (1, 10).
        let pts = [(0.0, 0.0), (1.0, 10.0), (2.0, 0.0), (3.0, 0.0), (4.0, 12.0)];
        assert_eq!(lttb(&pts, 3), vec![(0.0, 0.0), (3.0, 0.0), (4.0, 12.0)]);
    }

    #[test]
    fn the_third_corner_is_the_mean_of_the_next_bucket() {
        // 8 points, threshold 4: buckets x = 1..=3 and x = 4..=6 (as in the first test).
        // Bucket 0: a = (0,0), c = the mean of bucket 1 = ((4+5+6)/3, (5+5-3)/3) = (5, 7/3).
        //   twice-area |(0-5)(y_b) - (0-x_b)(7/3)| = |7/3 x_b - 5 y_b|:
        //   (1, -4): 7/3 + 20 = 22.33; (2, -1): 14/3 + 5 = 9.67; (3, 5): |7 - 25| = 18
        //   -> keeps (1, -4).
        // Bucket 1: a = (1, -4), c = the last point (7, 0).
        //   |(1-7)(y_b + 4) - (1-x_b)(0 + 4)| = |4 x_b - 6 y_b - 28|:
        //   (4, 5): |16 - 30 - 28| = 42; (5, 5): 38; (6, -3): |24 + 18 - 28| = 14
        //   -> keeps (4, 5).
        // A third corner of bucket 0 that is not that mean (a coordinate's sum or sign
        // wrong, not divided by the count, a fixed point, or bucket 0's points with bucket
        // 1's) keeps (3, 5) or (2, -1) in bucket 0, or (5, 5) or (6, -3) in bucket 1.
        let pts = [
            (0.0, 0.0),
            (1.0, -4.0),
            (2.0, -1.0),
            (3.0, 5.0),
            (4.0, 5.0),
            (5.0, 5.0),
            (6.0, -3.0),
            (7.0, 0.0),
        ];
        assert_eq!(
            lttb(&pts, 4),
            vec![(0.0, 0.0), (1.0, -4.0), (4.0, 5.0), (7.0, 0.0)]
        );
    }

    #[test]
    fn equal_areas_keep_the_earliest_point() {
        // One bucket holding x = 1..=3; a = (0,0), c = (4,0): twice-area = 4|y_b|:
        // (1, 2): 8; (2, -2): 8; (3, 0): 0 -> a tie, the earlier (1, 2) is kept.
        let pts = [(0.0, 0.0), (1.0, 2.0), (2.0, -2.0), (3.0, 0.0), (4.0, 0.0)];
        assert_eq!(lttb(&pts, 3), vec![(0.0, 0.0), (1.0, 2.0), (4.0, 0.0)]);
    }

    #[test]
    fn a_nearly_flat_bucket_still_keeps_its_largest_triangle() {
        // Twice-areas below 1 still count: a = (0,0), c = (4,0), twice-area = 4|y_b|:
        // (1, 0.05): 0.2; (2, 0.2): 0.8; (3, 0.1): 0.4 -> keeps (2, 0.2), not the first.
        let pts = [(0.0, 0.0), (1.0, 0.05), (2.0, 0.2), (3.0, 0.1), (4.0, 0.0)];
        assert_eq!(lttb(&pts, 3), vec![(0.0, 0.0), (2.0, 0.2), (4.0, 0.0)]);
    }

    #[test]
    fn downsampling_keeps_gaps_and_ends() {
        // 1000 points with a gap at x = 500: two runs of 500 and 499, each cut to
        // ceil(500 x 100 / 1000) = 50 points, plus the gap.
        let pts: Vec<(f64, Option<f64>)> = (0..1000)
            .map(|i| (i as f64, (i != 500).then_some((i % 7) as f64)))
            .collect();
        let out = downsample(&pts, 100);
        assert_eq!(out.len(), 50 + 1 + 50);
        assert_eq!(out[0], (0.0, Some(0.0)));
        assert_eq!(out[50], (500.0, None));
        assert_eq!(out.last().unwrap().0, 999.0);
        let short = &pts[..10];
        assert_eq!(downsample(short, 100), short.to_vec());
    }

    proptest! {
        #[test]
        fn length_first_last_and_order(
            ys in proptest::collection::vec(-1e6f64..1e6, 0..400),
            threshold in 0usize..120,
        ) {
            let pts: Vec<(f64, f64)> =
                ys.iter().enumerate().map(|(i, &y)| (i as f64, y)).collect();
            let out = lttb(&pts, threshold);
            let expected_len = if threshold < 3 { pts.len() } else { pts.len().min(threshold) };
            prop_assert_eq!(out.len(), expected_len);
            prop_assert_eq!(out.first(), pts.first());
            prop_assert_eq!(out.last(), pts.last());
            // Kept points are input points, in strictly increasing x.
            prop_assert!(out.windows(2).all(|w| w[0].0 < w[1].0));
            prop_assert!(out.iter().all(|p| pts[p.0 as usize] == *p));
        }
    }
}
