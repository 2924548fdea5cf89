//! Chart planning (render stage): takes the config, dataset and metrics `Report` and
//! returns the `ChartSpec`s each page shows (titles, descriptions, annotation links, CSV
//! paths, trend notes), drawn by the chart stage into `Charts`.

pub mod incident;
pub mod scope;
pub mod slo;
pub mod trend;

pub use scope::{build, sparkline_id, ChartView, Charts};
