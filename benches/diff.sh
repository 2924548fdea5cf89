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
workload="--teams 40 --services-per-team 10 --months 36 --deploy-rate 0.5 --incident-rate 0.41"
base=$work/base head=$work/head
if [ "$(cat "$base/.workload" 2>/dev/null)" != "$workload" ]; then
  rm -rf "$base"
  # shellcheck disable=SC2086
  "$bin" demo --out "$base" $workload >/dev/null
  echo "$workload" >"$base/.workload"
fi
rm -rf "$head" && cp -r "$base" "$head"
awk -F, -v OFS=, 'NR == 1001 { $4 = ($4 == "success") ? "failed" : "success" } { print }' \
  "$base/data/deployments.csv" >"$head/data/deployments.csv"
log=$(mktemp)
for _ in $(seq "$runs"); do
  for b in ${before:+"$before"} "$bin"; do
    name=after
    [ "$b" = "$bin" ] || name=before
    /usr/bin/time -f "$name %e %M" "$b" diff --base "$base" --root "$head" 2>&1 >/dev/null |
      grep -E "^(before|after) " >>"$log"
  done
done
"$bin" diff --base "$base" --root "$head" | head -12
python3 - "$log" <<'PY'
import sys, statistics as st
by = {}
for name, secs, kb in (l.split() for l in open(sys.argv[1])):
    by.setdefault(name, ([], []))
    by[name][0].append(float(secs)); by[name][1].append(float(kb) / 1024)
f = lambda v: f"{min(v):8.2f} {st.median(v):8.2f} {max(v):8.2f}"
print(f"{'run':8} {'wall s min   median      max':>27} {'peak MB min   median      max':>28}")
for name, (t, m) in by.items():
    print(f"{name:8} {f(t)}   {f(m)}")
if "before" in by:
    print(f"after / before: time {st.median(by['after'][0]) / st.median(by['before'][0]):.2f}")
PY
rm -f "$log"
