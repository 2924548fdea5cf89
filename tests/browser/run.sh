#!/usr/bin/env bash
# The browser half of the test suite (./test.sh runs it after `cargo test --locked`): installs
# what it needs (setup.sh), builds the example site into target/browser-site and runs
# check.mjs: the Nu HTML Checker on every page (0 errors), then the pages in headless
# Chromium. Screenshots, printed PDFs and the Nu errors are kept in target/browser-artifacts/.
set -euo pipefail
cd "$(dirname "$0")/../.."

tests/browser/setup.sh

site=target/browser-site
artefacts=target/browser-artifacts
rm -rf "$site" "$artefacts"
cargo build --locked --quiet
./target/debug/almanac build --output "$site" >/dev/null

browser_rc=0
node tests/browser/check.mjs "$site" "$artefacts" target/browser-tools/vnu.jar || browser_rc=$?
rm -rf "$site"
exit "$browser_rc"
