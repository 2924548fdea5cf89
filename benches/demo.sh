#!/usr/bin/env bash
# Times `almanac demo` at benchmark scale (40 teams, 3 services each, 36 months: about
# 1.65 M events), N runs, and prints min / median / max wall time against the 10 s target
# that `benchmark_scale_hits_the_targets` used to assert. Not a test: CI never runs it and
# nothing asserts a time; the test keeps only the scale and shape checks.
#
#   benches/demo.sh [BIN=target/release/almanac] [RUNS=3] [OUT=/dev/shm/almanac-demo]
set -euo pipefail
bin=${1:-target/release/almanac} runs=${2:-3} out=${3:-/dev/shm/almanac-demo}
[ -x "$bin" ] || { echo "build it first: cargo build --release" >&2; exit 2; }
times=()
for _ in $(seq "$runs"); do
  rm -rf "$out"
  start=$(date +%s.%N)
  "$bin" demo --out "$out" --teams 40 --services-per-team 3 --months 36 >/dev/null
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc)")
done
rm -rf "$out"
printf '%s\n' "${times[@]}" | sort -n | awk -v target=10 '
  { t[NR] = $1 }
  END { med = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
        printf "demo at benchmark scale: min %.2f s, median %.2f s, max %.2f s (%d runs; target < %d s)\n", t[1], med, t[NR], NR, target }'
