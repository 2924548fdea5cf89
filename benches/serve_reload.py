#!/usr/bin/env python3
"""almanac serve on a copy of the example site: time from saving a file to the browser
being told to reload (the long poll answering), for an edited retro and a changed data
row, against a full `almanac build`. Prints median, min and max of RUNS runs (ms), and the
medians of the steps serve itself timed in each rebuild (its `rebuild:` lines). The full build
is timed into a folder on disk and, where there is /dev/shm, into memory.

usage: benches/serve_reload.py PATH/TO/almanac [RUNS]   (run from the repository root)
"""
import os, re, shutil, statistics, subprocess, sys, tempfile, threading, time, urllib.request

BIN = os.path.abspath(sys.argv[1])
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
RETRO = "content/retros/INC-2025-0003.md"


def stats(name, xs):
    print(f"{name:<34} median {statistics.median(xs):8.1f} ms  min {min(xs):8.1f}  max {max(xs):8.1f}  (n={len(xs)})")


def main():
    tmp = tempfile.mkdtemp(prefix="almanac-bench-")
    root = os.path.join(tmp, "site-root")
    os.mkdir(root)
    shutil.copy("almanac.toml", root)
    for d in ["data", "content", "themes"]:
        if os.path.isdir(d):
            shutil.copytree(d, os.path.join(root, d))
    builds, shm_builds = [], []
    # The full build as a user runs it (into a folder on disk, replacing the last build),
    # and into memory (/dev/shm, where there is one): writing and deleting the site's
    # 1,000-odd files costs what the disk makes it cost, so the ratio is given for both.
    shm = tempfile.mkdtemp(prefix="almanac-bench-", dir="/dev/shm") if os.path.isdir("/dev/shm") else None
    for _ in range(RUNS):
        for out, times in [(os.path.join(tmp, "out"), builds)] + ([(os.path.join(shm, "out"), shm_builds)] if shm else []):
            t = time.perf_counter()
            subprocess.run([BIN, "build", "--root", root, "--output", out], check=True, capture_output=True)
            times.append((time.perf_counter() - t) * 1000)
    log = open(os.path.join(tmp, "serve.log"), "w+")
    proc = subprocess.Popen([BIN, "serve", "--port", "0", "--root", root], stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        url = proc.stdout.readline().split("at ")[1].split()[0]
        poll = lambda v: urllib.request.urlopen(f"{url}__almanac/reload?v={v}", timeout=120).read().decode()
        version = int(poll(0))

        def measure(edit):
            nonlocal version
            got = {}
            th = threading.Thread(target=lambda: got.update(v=poll(version)))
            th.start()
            time.sleep(0.3)  # the long poll is waiting
            # The clock starts as the file is saved: the new text is made before it.
            save = edit()
            t = time.perf_counter()
            save()
            th.join()
            version = int(got["v"])
            return (time.perf_counter() - t) * 1000

        def write(path, text):
            with open(path, "w") as f:
                f.write(text)

        def edit_retro(i):
            p = os.path.join(root, RETRO)
            text = open(p).read() + f"\nEdited for the benchmark, run {i}.\n"
            return lambda: write(p, text)

        def change_row(i):
            p = os.path.join(root, "data/deployments.csv")
            rows = open(p).read().split("\n")
            a, b = ("success", "rolled_back") if i % 2 == 0 else ("rolled_back", "success")
            rows[1] = rows[1].replace(f",{a},", f",{b},")
            text = "\n".join(rows)
            return lambda: write(p, text)

        retro = [measure(lambda i=i: edit_retro(i)) for i in range(RUNS)]
        row = [measure(lambda i=i: change_row(i)) for i in range(RUNS)]
    finally:
        proc.kill()
        proc.wait()
        log.seek(0)
        lines = [l for l in log.read().splitlines() if l.startswith("rebuild:")]
        log.close()
        shutil.rmtree(tmp)
        if shm:
            shutil.rmtree(shm)
    stats("full build (almanac build)", builds)
    if shm_builds:
        stats("full build into /dev/shm", shm_builds)
    stats("retro edited -> reload signalled", retro)
    stats("data row changed -> reload signalled", row)
    # serve's own timing of each rebuild: the total and each step, in ms.
    for name, part in [("retro", lines[:RUNS]), ("data row", lines[RUNS:])]:
        steps = {}
        for l in part:
            m = re.search(r"in ([0-9.]+) ms \((.*) ms\)", l)
            steps.setdefault("total", []).append(float(m.group(1)))
            for step in m.group(2).split(", "):
                k, v = step.rsplit(" ", 1)
                steps.setdefault(k, []).append(float(v))
        print(f"serve's timing, {name}: " + ", ".join(f"{k} {statistics.median(v):.1f}" for k, v in steps.items()) + " ms (medians)")
    print(f"data row vs full build: {100 * statistics.median(row) / statistics.median(builds):.0f}% (medians)")
    if shm_builds:
        print(f"data row vs full build into /dev/shm: {100 * statistics.median(row) / statistics.median(shm_builds):.0f}% (medians)")


main()
