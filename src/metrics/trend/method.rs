//! Methodology text: takes nothing and returns the markdown that explains the trend methods
//! on the site's methodology page.

/// Markdown for the methodology page. Kept next to the code it describes; the numbers in it
/// match the constants in [`super::verdict`] and [`super::window`] (a test checks).
pub const METHOD: &str = r#"## How trends are judged

### Period over period

Each figure is set against the same figure for the previous period, as an absolute
change (current − previous) and a relative change ((current − previous) / |previous|).
Every metric definition states which direction is better and a tolerance: a relative
change no larger than the tolerance reads **unchanged**; otherwise the change reads
**improved** or **worsened** according to the better direction. When the previous value
is 0 there is no relative change, and only an equal value reads unchanged. When either
period has no data the comparison reads **n/a**.

### Trend over the last 13 weeks

The trend uses the weekly values of the last 13 weeks. Weeks without data are left out
but keep their place in time.

- **Slope: Theil–Sen.** The slope is the median of the slopes between every pair of
  weeks (Theil 1950; Sen 1968). Unlike a least-squares line, one unusual week barely
  moves it. It is reported in the metric's unit per week.
- **Significance: Mann–Kendall.** The test counts, over every pair of weeks, how often
  the later value is higher (+1) or lower (−1) than the earlier one; the sum is S
  (Mann 1945; Kendall 1975). With no trend, S is centred on 0 with variance
  n(n−1)(2n+5)/18, reduced by t(t−1)(2t+5)/18 for each group of t equal values (ties).
  The p-value is two-sided, from the normal approximation with a continuity correction
  (Gilbert 1987, ch. 16).
- **Wording.** A trend reads **improving** or **worsening** only when p < 0.05 and the
  slope points the same way as S; which word depends on the metric's better direction.
  Otherwise it reads **no clear trend**. With fewer than 6 weeks of data it reads
  **not enough data**: below 5 points even a perfectly steady rise cannot reach
  p < 0.05, and 6 allows for one out-of-line week.

The test assumes weeks are independent. Weekly engineering figures are often correlated
from one week to the next, which makes the test somewhat too eager; read a borderline
p-value with that in mind.

### Before and after an intervention

For each `intervention` annotation the page shows the median of the relevant metric in
the 6 weeks before and the 6 weeks after, with the number of weeks that had data on
each side (for example "lead time 31 h -> 19 h after 'CI caching enabled'"). The week
in which the intervention falls mixes both regimes and is left out of both sides, unless
the intervention falls on a Monday, the first day of its week: then that week mixes
nothing and is the first week after. This is a description, not proof that the
intervention caused the change.

### Rolling medians

Rolling lines are trailing medians: each point is the median of the values in the
window ending at that period, over the periods that have data. A window with no data
draws no point.

### Downsampling long series

Long hourly series are thinned before drawing with Largest-Triangle-Three-Buckets
(Steinarsson 2013, "Downsampling Time Series for Visual Representation"). The first and
last points are kept; the rest are split into equal buckets, and from each bucket the
point forming the largest triangle with its neighbours is kept, so peaks and dips
survive. Downsampling only affects the drawing; every figure is computed from the full
data.
"#;

#[cfg(test)]
mod tests {
    use super::super::verdict::{MIN_TREND_POINTS, SIGNIFICANCE, TREND_WEEKS};
    use super::super::window::BEFORE_AFTER_WEEKS;
    use super::*;

    #[test]
    fn method_text_states_the_constants_in_use() {
        assert!(METHOD.contains(&format!("last {TREND_WEEKS} weeks")));
        assert!(METHOD.contains(&format!("fewer than {MIN_TREND_POINTS} weeks")));
        assert!(METHOD.contains(&format!("p < {SIGNIFICANCE}")));
        assert!(METHOD.contains(&format!("the {BEFORE_AFTER_WEEKS} weeks before")));
    }
}
