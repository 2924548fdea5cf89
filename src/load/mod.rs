//! Load stage: reads `data/*.csv` and `content/**/*.md` under the site root and returns a
//! `Dataset` plus every problem found, located by path, line and column.

pub mod content;
pub mod frontmatter;
pub mod time;
