#!/usr/bin/env bash
# Growth with history (scale issue): the issue's organisation (benches/compare.sh's workload:
# 40 teams, 400 services, deployment and incident rates 0.5 and 0.41) over 18 and over 36
# months, built in alternation RUNS times into /dev/shm. Prints min / median / max wall time
# and peak RSS of each, and the 36-month / 18-month ratios of the medians (target: <= 2.1 in
# both). Not a test: CI never runs it and nothing asserts a time.
#
#   benches/growth.sh [BIN=target/release/almanac] [RUNS=5] [WORK=/dev/shm/almanac-growth]
set -euo pipefail
bin=$(realpath "${1:-target/release/almanac}") runs=${2:-5} work=${3:-/dev/shm/almanac-growth}
[ -x "$bin" ] || { echo "build it first: cargo build --release" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
. "$(dirname "$0")/common.sh"
for m in 18 36; do
  site=$work/m$m
  make_site "$bin" "$site" $m
  echo "$m months: $(du -sh "$site/data" | cut -f1) of CSV, $(cat "$site"/data/*.csv | wc -l) rows"
done
log=$(mktemp)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$runs"); do
  for m in 18 36; do
    rm -rf "$work/out$m"
    /usr/bin/time -f "${m}_months %e %M" "$bin" build --root "$work/m$m" --output "$work/out$m" 2>&1 >/dev/null |
      awk -v n="${m}_months" '$1 == n {print n, $2, $3 / 1024}' >>"$log"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$work/out18" "$work/out36"
python3 "$(dirname "$0")/stats.py" "$log" "36 / 18 months (target <= 2.1)=36_months/18_months"
rm -f "$log"
