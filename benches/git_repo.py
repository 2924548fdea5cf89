#!/usr/bin/env python3
"""Writes a git fast-import stream for a synthetic repository: N commits on main, one a
minute from 2024-01-01T00:00:00Z, a side branch merged back every 50 commits, and an
annotated tag v<k> every 100 commits. Deterministic: the same N gives the same SHAs.
usage: python3 benches/git_repo.py N | git -C DIR fast-import --quiet"""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
start = 1704067200
out = sys.stdout.buffer
mark = 0
main_tip = None


def commit(ref, t, parents, path):
    global mark
    mark += 1
    msg = f"change {mark}\n".encode()
    data = f"{mark}\n".encode()
    out.write(f"commit {ref}\nmark :{mark}\n".encode())
    out.write(f"author Dev <dev@example.com> {t} +0000\n".encode())
    out.write(f"committer Dev <dev@example.com> {t} +0000\n".encode())
    out.write(b"data %d\n%s" % (len(msg), msg))
    if parents:
        out.write(f"from :{parents[0]}\n".encode())
        for p in parents[1:]:
            out.write(f"merge :{p}\n".encode())
    out.write(f"M 644 inline {path}\n".encode())
    out.write(b"data %d\n%s\n" % (len(data), data))
    return mark


for i in range(n):
    t = start + 60 * i
    if i % 50 == 49 and main_tip:
        side = commit("refs/heads/side", t - 30, [main_tip], f"side/{i}")
        main_tip = commit("refs/heads/main", t, [main_tip, side], f"f{i % 97}")
    else:
        main_tip = commit("refs/heads/main", t, [main_tip] if main_tip else [], f"f{i % 97}")
    if i % 100 == 99:
        msg = f"release {i // 100}\n".encode()
        out.write(f"tag v{i // 100}\nfrom :{main_tip}\n".encode())
        out.write(f"tagger Dev <dev@example.com> {t + 30} +0000\n".encode())
        out.write(b"data %d\n%s" % (len(msg), msg))
