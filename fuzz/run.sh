#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time each (default 60 s), seeding the corpora
# from the fixture sites. Not in CI (cargo-fuzz needs nightly); CI runs the stable smoke
# test `fuzz_smoke` instead. A crash is saved under fuzz/artifacts/TARGET/: turn it into a
# regression test (see TESTING.md) before fixing it.
#
#   cargo install cargo-fuzz      # once
#   fuzz/run.sh [SECONDS=60] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv_tables front_matter periods_and_durations openslo config whole_load)
fx=tests/fixtures
seed() { # seed TARGET FILE...: copies each file in as <parent>-<name>
  local t=$1; shift
  mkdir -p "fuzz/corpus/$t"
  for f in "$@"; do cp "$f" "fuzz/corpus/$t/$(basename "$(dirname "$f")")-$(basename "$f")"; done
}
seed csv_tables $fx/*/data/*.csv
seed front_matter $fx/*/content/retros/*.md
seed openslo $(find $fx -name '*.yaml' -o -name '*.yml')
seed config $fx/*/almanac.toml
mkdir -p fuzz/corpus/periods_and_durations
for s in 2026-Q3 2026-07 2026-W53 2026-07-01T00:00:00Z 2026-07-01 28d 4w month quarter; do
  printf '%s' "$s" > "fuzz/corpus/periods_and_durations/$s"
done
# whole_load: the first byte picks the file (order of almanac::fuzzing::SITE_FILES).
mkdir -p fuzz/corpus/whole_load
i=0
for f in almanac.toml data/deployments.csv data/incidents.csv data/pages.csv data/sli.csv content/retros/i1.md; do
  { printf "\\x$(printf %02x $i)"; cat "$fx/incidents/$f"; } > "fuzz/corpus/whole_load/$i"
  i=$((i + 1))
done
status=0
for t in "${targets[@]}"; do
  echo "== $t ($secs s)"
  cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$secs" -max_len=65536 -print_final_stats=1 || status=1
done
exit $status
