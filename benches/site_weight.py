#!/usr/bin/env python3
"""Where a built site's bytes are: each top folder's size, and the parts of the incident
pages (the site's largest share at scale): page chrome (head, header, footer), the small
charts' SVG and its axes, grid and titles, the data table, and the rest of the page.

    python3 benches/site_weight.py SITE_DIR

Sizes are bytes of the files as written (no compression). Not a test: nothing asserts it.
"""
import os
import re
import sys
from collections import Counter

site = sys.argv[1] if len(sys.argv) > 1 else "site"

folders = Counter()
files = 0
chrome = pages_all = 0
for root, _, names in os.walk(site):
    for name in names:
        rel = os.path.relpath(os.path.join(root, name), site)
        top = rel.split(os.sep)[0] if os.sep in rel else "(top-level files)"
        folders[top] += os.path.getsize(os.path.join(root, name))
        files += 1
        if name.endswith(".html"):
            text = open(os.path.join(root, name), encoding="utf-8").read()
            main_at, main_end = text.find("<main"), text.find("</main>")
            if main_at >= 0 and main_end >= 0:
                chrome += main_at + len(text) - main_end
                pages_all += 1
total = sum(folders.values())
print(f"site: {total / 1e6:.1f} MB in {files} files")
for top, size in folders.most_common():
    print(f"  {top:20s} {size / 1e6:8.1f} MB")
print(f"chrome of the {pages_all} pages (outside <main>): {chrome / 1e6:.1f} MB")

PARTS = {
    "chrome (outside <main>)": None,
    "chart SVG": r"<svg.*?</svg>",
    "  of it: axes": r'<g class="ax[^"]*">.*?</g>',
    "  of it: grid": r'<g class="grid">.*?</g>',
    "  of it: titles, descriptions": r"<title.*?</title>|<desc.*?</desc>",
    "  of it: data (bars, lines)": r'<g class="(?:bar|s [^"]*)">.*?</g>',
    "data table": r"<details>.*?</details>",
}
parts = Counter()
pages = 0
incidents = os.path.join(site, "incidents")
for name in os.listdir(incidents) if os.path.isdir(incidents) else []:
    if not (name.startswith("inc-") and name.endswith(".html")):
        continue
    text = open(os.path.join(incidents, name), encoding="utf-8").read()
    pages += 1
    parts["whole page"] += len(text)
    main_at, main_end = text.find("<main"), text.find("</main>")
    parts["chrome (outside <main>)"] += main_at + len(text) - main_end
    for part, pattern in PARTS.items():
        if pattern:
            parts[part] += sum(len(m) for m in re.findall(pattern, text, re.S))
if pages:
    print(f"incident pages: {pages}")
    for part in ["whole page", *PARTS]:
        print(f"  {part:32s} {parts[part] / 1e6:8.1f} MB  {parts[part] / pages:8.0f} B a page")
