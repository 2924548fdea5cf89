//! Trend functions: take per-period figures (`Option<f64>` per period) and return
//! period-over-period comparisons, Theil-Sen / Mann-Kendall trends, rolling medians,
//! before/after medians around interventions and LTTB downsampling (render words them).
//!
//! Every function here is pure. The methods are explained for readers in [`METHOD`].

mod lttb;
mod method;
mod robust;
mod verdict;
mod window;

pub use lttb::{downsample, lttb};
pub use method::METHOD;
pub use robust::{erfc, mann_kendall, theil_sen, MannKendall, TheilSen};
pub use verdict::{
    compare, trend, Comparison, ComparisonVerdict, Trend, TrendVerdict, MIN_TREND_POINTS,
    SIGNIFICANCE, TREND_WEEKS,
};
pub use window::{before_after, rolling_median, sides, BeforeAfter, BEFORE_AFTER_WEEKS};
