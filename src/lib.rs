//! almanac: a static site generator for engineering operational-excellence reports.
//!
//! The pipeline, one module per stage, each handing the next a concrete type:
//! `config` (almanac.toml → `Config`) → `load` (CSV + markdown → `Dataset`, theme folder →
//! `ThemeFiles`) → `metrics` (`Dataset` → `Report`) → `chart` (`Report` → SVG charts) →
//! `render` (everything → `Vec<OutputFile>`; markdown becomes sanitised HTML here and the
//! default theme lies under the site's) → `write` (files → the output directory).
//! `pipeline` runs them in that order; `main` reads the arguments and the clock.
//!
//! Beside the stages: `model` (the compact dataset: interned ids, integer timestamps),
//! `period` (quarters, months and ISO weeks in the site timezone), `diag` (located
//! diagnostics), `markdown` (sanitised rendering), `output` (files in memory), and the
//! authoring commands `diff` (a change's review summary), `demo` (an example organisation), `init` (a new report repository)
//! `new` (a retro skeleton) and `serve` (live preview), and
//! `fuzzing` (entry points for the fuzz targets and the fuzz smoke test).

pub mod chart;
pub mod config;
pub mod demo;
pub mod diag;
pub mod diff;
pub mod fuzzing;
pub mod import;
pub mod init;
pub mod load;
pub mod markdown;
pub mod metrics;
pub mod model;
pub mod new;
pub mod output;
pub mod period;
pub mod pipeline;
pub mod publish;
pub mod published;
pub mod render;
pub mod serve;
pub mod write;

#[cfg(test)]
mod fuzz_smoke;
#[cfg(test)]
mod prop_tests;
