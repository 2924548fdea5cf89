//! Trend functions: take per-period figures (`Option<f64>` per period) and return
//! period-over-period comparisons, Theil-Sen / Mann-Kendall trends, rolling medians,
//! before/after medians around interventions, LTTB downsampling and their wording.
//!
//! Every function here is pure. The methods are explained for readers in [`METHOD`].

mod describe;
mod lttb;
mod method;
mod robust;
mod verdict;
mod window;

pub use describe::{describe_change, describe_trend, format_p, format_value};
pub use lttb::lttb;
pub use method::METHOD;
pub use robust::{erfc, mann_kendall, theil_sen, MannKendall, TheilSen};
pub use verdict::{
    compare, trend, Comparison, ComparisonVerdict, Trend, TrendVerdict, MIN_TREND_POINTS,
    SIGNIFICANCE, TREND_WEEKS,
};
pub use window::{before_after, rolling_median, sides, BeforeAfter, BEFORE_AFTER_WEEKS};
