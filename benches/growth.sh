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
rates="--teams 40 --services-per-team 10 --deploy-rate 0.5 --incident-rate 0.41"
for m in 18 36; do
  site=$work/m$m
  if [ "$(cat "$site/.workload" 2>/dev/null)" != "$rates --months $m" ]; then
    rm -rf "$site"
    # shellcheck disable=SC2086
    "$bin" demo --out "$site" $rates --months $m >/dev/null
    echo "$rates --months $m" >"$site/.workload"
  fi
  echo "$m months: $(du -sh "$site/data" | cut -f1) of CSV, $(cat "$site"/data/*.csv | wc -l) rows"
done
log=$(mktemp)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$runs"); do
  for m in 18 36; do
    rm -rf "$work/out$m"
    /usr/bin/time -f "m$m %e %M" "$bin" build --root "$work/m$m" --output "$work/out$m" 2>&1 >/dev/null |
      grep -E "^m$m " >>"$log"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$work/out18" "$work/out36"
python3 - "$log" <<'PY'
import sys, statistics as st
by = {}
for name, secs, kb in (l.split() for l in open(sys.argv[1])):
    by.setdefault(name, ([], []))
    by[name][0].append(float(secs)); by[name][1].append(float(kb) / 1024)
f = lambda v: f"{min(v):8.2f} {st.median(v):8.2f} {max(v):8.2f}"
print(f"{'months':8} {'wall s min   median      max':>27} {'peak MB min   median      max':>28}")
for name in ["m18", "m36"]:
    t, m = by[name]
    print(f"{name[1:]:8} {f(t)}   {f(m)}")
r = lambda i: st.median(by["m36"][i]) / st.median(by["m18"][i])
print(f"36 / 18 months: time {r(0):.2f}, memory {r(1):.2f} (target <= 2.1)")
PY
rm -f "$log"
