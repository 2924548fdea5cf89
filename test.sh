#!/usr/bin/env bash
# The whole test suite, exactly what CI runs (.ci/run): the Rust tests, then the example site
# checked in a real browser (tests/browser/run.sh; it installs Chromium, Java, Node packages
# and the Nu HTML Checker on first use and skips them after), then the figures recomputed by
# DuckDB from the published definitions (tests/oracle/run.sh; it installs DuckDB from PyPI
# on first use). See TESTING.md.
set -euo pipefail
cd "$(dirname "$0")"
cargo test --locked
tests/browser/run.sh
tests/oracle/run.sh
