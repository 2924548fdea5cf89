#!/usr/bin/env python3
"""The resident memory of one command over time: samples /proc/PID/status every 0.05 s and
prints the command's stderr (run the build with --timings to place its stages), then about
60 samples as a bar chart and the peak, in MB. Linux only. Not a test.

usage: benches/rss.py COMMAND [ARGS...]
   e.g. (cd WORKLOAD && benches/rss.py almanac build --timings --output /dev/shm/out)
"""
import subprocess, sys, time

proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
start, samples = time.time(), []
while proc.poll() is None:
    try:
        with open(f"/proc/{proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS"):
                    samples.append((time.time() - start, int(line.split()[1]) // 1024))
    except (FileNotFoundError, ProcessLookupError):
        break
    time.sleep(0.05)
print(proc.stderr.read().decode()[-800:])
for t, mb in samples[:: max(1, len(samples) // 60)]:
    print(f"{t:6.2f}s {mb:6d} MB " + "#" * (mb // 20))
print("peak", max((mb for _, mb in samples), default=0), "MB")
