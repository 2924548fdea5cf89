//! almanac: a static site generator for engineering operational-excellence reports.
//!
//! The pipeline, one module per stage, each handing the next a concrete type:
//! `config` (almanac.toml → `Config`) → `load` (CSV + markdown → `Dataset`) →
//! `metrics` (`Dataset` → `Report`) → `chart` (`Report` → SVG charts) →
//! `render` (everything → `Vec<OutputFile>`) → `write` (files → the output directory).

pub mod chart;
pub mod config;
pub mod demo;
pub mod diag;
pub mod load;
pub mod markdown;
pub mod metrics;
pub mod model;
pub mod new;
pub mod output;
pub mod period;
pub mod pipeline;
pub mod render;
pub mod write;
