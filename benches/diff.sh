#!/usr/bin/env bash
# `almanac diff` at the scale issue's workload (benches/compare.sh's organisation: 40 teams,
# 400 services, 36 months): the base is the generated site, the head a copy of it in which the
# deployment on line 1001 of data/deployments.csv changes status (success <-> failed, a
# correction to 2023-Q4). Runs `diff` RUNS times, with BEFORE (an older binary) in alternation
# when given, and prints min / median / max wall time and peak RSS of each. Not a test: CI
# never runs it and nothing asserts a time.
#
#   benches/diff.sh [BIN=target/release/almanac] [RUNS=5] [WORK=/dev/shm/almanac-diff] [BEFORE]
set -euo pipefail
bin=$(realpath "${1:-target/release/almanac}") runs=${2:-5} work=${3:-/dev/shm/almanac-diff}
before=${4:-}
[ -x "$bin" ] || { echo "build it first: cargo build --release" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
. "$(dirname "$0")/common.sh"
base=$work/base head=$work/head
make_site "$bin" "$base" 36
rm -rf "$head" && cp -r "$base" "$head"
awk -F, -v OFS=, 'NR == 1001 { $4 = ($4 == "success") ? "failed" : "success" } { print }' \
  "$base/data/deployments.csv" >"$head/data/deployments.csv"
log=$(mktemp)
for _ in $(seq "$runs"); do
  for b in ${before:+"$before"} "$bin"; do
    name=after
    [ "$b" = "$bin" ] || name=before
    /usr/bin/time -f "$name %e %M" "$b" diff --base "$base" --root "$head" 2>&1 >/dev/null |
      awk -v n="$name" '$1 == n {print n, $2, $3 / 1024}' >>"$log"
  done
done
"$bin" diff --base "$base" --root "$head" | head -12
python3 "$(dirname "$0")/stats.py" "$log" "after / before=after/before"
rm -f "$log"
