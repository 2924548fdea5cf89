#!/usr/bin/env bash
# The oracle half of the test suite (./test.sh runs it after the browser checks): agree.py
# recomputes every scope's and every SLO's figures from the CSVs and the retros by the
# published definitions, with DuckDB and Python rather than almanac's code, and holds
# almanac's exports to them, on the example site (also as of a day in mid-quarter) and on a
# larger generated organisation (two years, so quarters, months and ISO weeks cross year
# ends and daylight-saving changes). It also proves the benchmark's DuckDB query
# (benches/four_keys.sql) computes what `almanac metrics` does. Installs DuckDB and PyYAML from PyPI
# into target/oracle-venv on first use.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=target/oracle-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import duckdb, yaml' 2>/dev/null || "$venv/bin/pip" install --quiet --disable-pip-version-check duckdb==2.0.1 pyyaml==6.0.3

cargo build --locked --quiet
bin=./target/debug/almanac
work=target/oracle
rm -rf "$work" && mkdir -p "$work"
"$bin" build --output "$work/example" >/dev/null 2>&1
# A Wednesday in the middle of a month and a quarter: partial periods, and later events that
# must not exist yet.
"$bin" build --output "$work/example-as-of" --as-of 2026-08-12 >/dev/null 2>&1
"$bin" demo --out "$work/org" --seed 7 --teams 6 --services-per-team 4 --months 24 >/dev/null 2>&1
"$bin" build --root "$work/org" --output "$work/org-built" >/dev/null 2>&1

echo "oracle: the example site"
"$venv/bin/python" tests/oracle/agree.py . "$work/example" --four-keys benches/four_keys.sql --at-least 20000
echo "oracle: the example site as of 2026-08-12"
"$venv/bin/python" tests/oracle/agree.py . "$work/example-as-of" --at-least 20000
echo "oracle: a generated organisation of 6 teams and 24 services over 24 months"
"$venv/bin/python" tests/oracle/agree.py "$work/org" "$work/org-built" --four-keys benches/four_keys.sql --at-least 50000
rm -rf "$work"
