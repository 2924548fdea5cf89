#!/usr/bin/env bash
# Where the build's heap is at its peak: builds almanac with the C library's allocator
# (heaptrack does not see mimalloc), runs `almanac build` under heaptrack on a site root,
# and prints the peak heap by the innermost three frames of almanac's own code. Needs
# heaptrack (apt-get install heaptrack). Not a test.
#
#   benches/heap.sh ROOT [OUT=/dev/shm/almanac-heap-site]
set -euo pipefail
root=$(realpath "$1") out=${2:-/dev/shm/almanac-heap-site}
command -v heaptrack >/dev/null || { echo "needs heaptrack (apt-get install heaptrack)" >&2; exit 2; }
cargo build --release --locked --features system-allocator --target-dir target/system-allocator
bin=$(realpath target/system-allocator/release/almanac)
trace=$(mktemp -u /tmp/almanac-heap-XXXXXX)
(cd "$root" && heaptrack -o "$trace" "$bin" build --output "$out" >/dev/null)
heaptrack_print -f "$trace.zst" --print-peaks 0 --print-allocators 0 --print-temporary 0 \
  --print-leaks 0 -F "$trace.folded" --flamegraph-cost-type peak >/dev/null
python3 - "$trace.folded" src <<'PY'
import collections, os, re, sys
ours = {f for _, _, fs in os.walk(sys.argv[2]) for f in fs if f.endswith(".rs")} - {"mod.rs", "lib.rs", "main.rs"}
by = collections.Counter()
for line in open(sys.argv[1]):
    stack, _, cost = line.rstrip().rpartition(" ")
    frames = []
    for f in stack.split(";"):
        m = re.match(r"(.*) \(([\w.]+\.rs)\)$", f)
        if m and m.group(2) in ours:
            frame = re.sub(r"<.*", "", m.group(1)) + "@" + m.group(2)
            if not frames or frames[-1] != frame:
                frames.append(frame)
    by[" > ".join(frames[-3:]) or "(outside almanac's code)"] += int(cost)
print(f"peak heap {sum(by.values()) / 1e6:.1f} MB; the largest parts:")
for k, v in by.most_common(25):
    print(f"{v / 1e6:8.1f} MB  {k}")
PY
rm -f "$trace.zst" "$trace.folded"
