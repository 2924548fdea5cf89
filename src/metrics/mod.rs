//! Metrics stage: takes the `Dataset`, `Config` and `Calendar` and returns every figure
//! for every scope and period as plain data.

pub mod slo;
pub mod stats;
