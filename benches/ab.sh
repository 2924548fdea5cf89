#!/usr/bin/env bash
# Before/after benchmark of two almanac binaries on one site, run in alternation so both
# see the same machine state: wall time and peak memory (GNU time) and the --timings stage
# split, N runs each; prints min / median / max per binary and the ratio of the medians.
# Not a test: CI never runs it and nothing asserts a time.
#
#   benches/ab.sh BEFORE_BIN AFTER_BIN SITE_ROOT [RUNS=5] [OUT_DIR=/dev/shm/almanac-ab]
#
# The workload of BENCHMARKS.md:
#   almanac demo --out /tmp/big10 --teams 40 --services-per-team 10 --months 36
set -euo pipefail
before=$1 after=$2 root=$3 runs=${4:-5} out=${5:-/dev/shm/almanac-ab}
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
log=$(mktemp)
for i in $(seq "$runs"); do
  for which in before after; do
    bin=$before; [ "$which" = after ] && bin=$after
    rm -rf "$out"
    /usr/bin/time -f "TIME %e %M" "$bin" build --root "$root" --output "$out" --timings \
      2>&1 | awk -v w="$which" '/^  [a-z]+ +[0-9.]+ ms/ {print w, "stage", $1, $2} /^TIME/ {print w, "wall", $2; print w, "rss_mb", $3/1024}' >>"$log"
  done
done
rm -rf "$out"
python3 - "$log" <<'PY'
import sys, statistics as st
rows = [l.split() for l in open(sys.argv[1])]
def series(which, *key):
    out = []
    for r in rows:
        if r[0] != which: continue
        if r[1] == "stage" and key[0] == "stage" and r[2] == key[1]: out.append(float(r[3]) / 1000)
        elif r[1] == key[0] and key[0] != "stage": out.append(float(r[2]))
    return out
keys = [("wall",), ("rss_mb",)] + [("stage", s) for s in ["load", "metrics", "chart", "render", "write"]]
print(f"{'measure':16} {'before min/med/max':>26} {'after min/med/max':>26} {'after/before':>12}")
for k in keys:
    b, a = series("before", *k), series("after", *k)
    if not b or not a: continue
    f = lambda v: f"{min(v):.2f}/{st.median(v):.2f}/{max(v):.2f}"
    name = " ".join(k) + (" (s)" if k[0] != "rss_mb" else " (MB)")
    print(f"{name:16} {f(b):>26} {f(a):>26} {st.median(a)/st.median(b):>12.2f}")
PY
rm -f "$log"
