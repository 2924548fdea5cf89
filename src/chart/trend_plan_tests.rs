//! Tests of `trend_plan`: see below.
