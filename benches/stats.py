#!/usr/bin/env python3
"""Min / median / max of benchmark runs, and ratios of medians, for the benchmark scripts.

    python3 benches/stats.py LOG [LABEL=A/B ...]

LOG holds one line per run: `NAME SECONDS MEGABYTES` (megabytes 0 where not measured).
Prints a row per name, in the order first seen, then for each `LABEL=A/B` the ratio of A's
median to B's, in time and (when both were measured) in memory. Not a test.
"""
import statistics as st
import sys

by = {}
for line in open(sys.argv[1]):
    name, secs, mb = line.split()
    t, m = by.setdefault(name, ([], []))
    t.append(float(secs))
    m.append(float(mb))
f = lambda v: f"{min(v):8.2f} {st.median(v):8.2f} {max(v):8.2f}"
width = max([22] + [len(n) for n in by])
print(f"{'run':{width}} {'wall s min   median      max':>27} {'peak MB min   median      max':>28}")
for name, (t, m) in by.items():
    print(f"{name:{width}} {f(t)}   {f(m) if max(m) > 0 else ''}")
for arg in sys.argv[2:]:
    label, _, pair = arg.rpartition("=")
    a, _, b = pair.partition("/")
    if a not in by or b not in by:
        continue
    ratio = lambda i: st.median(by[a][i]) / st.median(by[b][i])
    memory = f", memory {ratio(1):.2f}" if min(by[a][1] + by[b][1]) > 0 else ""
    print(f"{label + ':':24} time {ratio(0):.2f}{memory}")
