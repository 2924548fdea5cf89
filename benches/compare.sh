#!/usr/bin/env bash
# almanac against its peers on the scale issue's workload (40 teams, 400 services, 36
# months), run in alternation so all see the same machine state:
#   - `almanac build` (wall time, peak RSS, output size, largest file) against Hugo building
#     the same retros as plain markdown with a minimal layout;
#   - `almanac metrics --scope org --format json` against DuckDB computing four keys per
#     service per quarter (deployments, median lead time, change failure rate, median time
#     to restore) by almanac's definitions in one SQL query over the same CSVs
#     (benches/four_keys.sql, whose figures tests/oracle/agree.py holds to almanac's).
# Prints min / median / max of each (wall time, peak RSS, and the `--timings` stages of
# the almanac builds) and the ratios of the medians. With BEFORE, an older almanac binary
# runs in the same alternation (build and metrics), for a before/after. Installs Hugo (the
# distribution's `hugo` package) and DuckDB (the PyPI `duckdb` package) when missing.
# Not a test: CI never runs it and nothing asserts a time.
#
#   benches/compare.sh [BIN=target/release/almanac] [RUNS=5] [WORK=/tmp/almanac-compare] [OUT=/dev/shm/almanac-compare] [BEFORE]
set -euo pipefail
bin=$(realpath "${1:-target/release/almanac}") runs=${2:-5} work=${3:-/tmp/almanac-compare} out=${4:-/dev/shm/almanac-compare}
before=${5:-}
[ -x "$bin" ] || { echo "build it first: cargo build --release" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
command -v hugo >/dev/null || { apt-get update -qq && apt-get install -y -qq hugo >/dev/null; }
python3 -c 'import duckdb' 2>/dev/null || pip install --quiet duckdb || pip install --quiet --break-system-packages duckdb

# The issue's organisation over 36 months (benches/common.sh).
. "$(dirname "$0")/common.sh"
site=$work/site hugo_site=$work/hugo
make_site "$bin" "$site" 36
# Hugo: the retros as plain markdown (title and body; almanac's front matter is not Hugo's),
# with a minimal layout.
rm -rf "$hugo_site" && mkdir -p "$hugo_site/content/retros" "$hugo_site/layouts/_default"
python3 - "$site/content/retros" "$hugo_site/content/retros" <<'PY'
import os, sys, json
src, dst = sys.argv[1], sys.argv[2]
for name in os.listdir(src):
    if not name.endswith(".md"):
        continue
    text = open(os.path.join(src, name), encoding="utf-8").read()
    title, body = name[:-3], text
    if text.startswith("---\n"):
        head, _, body = text[4:].partition("\n---\n")
        for line in head.splitlines():
            if line.startswith("title:"):
                title = line[6:].strip().strip('"')
    with open(os.path.join(dst, name), "w", encoding="utf-8") as f:
        f.write("---\ntitle: %s\n---\n%s" % (json.dumps(title), body))
PY
printf 'baseURL = "/"\ntitle = "retros"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n' >"$hugo_site/hugo.toml"
printf '<!doctype html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n' >"$hugo_site/layouts/_default/single.html"
printf '<!doctype html><html><head><title>{{ .Title }}</title></head><body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n' >"$hugo_site/layouts/_default/list.html"
cp "$hugo_site/layouts/_default/list.html" "$hugo_site/layouts/index.html"

# DuckDB: the four keys per service per quarter by almanac's definitions
# (benches/four_keys.sql; tests/oracle/agree.py proves its rows equal almanac's exports).
query=$work/four_keys.sql
tz=$(sed -n 's/^timezone = "\(.*\)"$/\1/p' "$site/almanac.toml")
sed -e "s|@DATA@|$site/data|g" -e "s|@TZ@|${tz:-UTC}|g" "$(dirname "$0")/four_keys.sql" >"$query"

log=$(mktemp)
measure() { # NAME COMMAND...: one run's wall time and peak RSS (and --timings stages)
  local name=$1; shift
  /usr/bin/time -f "TIME %e %M" "$@" 2>&1 >/dev/null | awk -v n="$name" '
    /^TIME/ {print n, $2, $3 / 1024}
    /^  [a-z]+ +[0-9.]+ ms/ {print n "_" $1, $2 / 1000, 0}' >>"$log"
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$runs"); do
  if [ -n "$before" ]; then
    measure before_build "$before" build --root "$site" --output "$out-before" --timings
    rm -rf "$out-before"
    measure before_metrics_org "$before" metrics --root "$site" --scope org --format json
  fi
  rm -rf "$out"
  measure almanac_build "$bin" build --root "$site" --output "$out" --timings
  measure hugo_build hugo --quiet --source "$hugo_site" --destination "$out-hugo"
  rm -rf "$out-hugo"
  measure almanac_metrics_org "$bin" metrics --root "$site" --scope org --format json
  measure duckdb_four_keys python3 -c "import duckdb, sys; duckdb.sql(open(sys.argv[1]).read()).fetchall()" "$query"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# Sizes in bytes of the files (what a pages branch stores); du without --apparent-size
# rounds each file up to a 4 KB block.
echo "almanac site: $(du -s --apparent-size --block-size=1000000 "$out" | cut -f1) MB in bytes ($(du -sh "$out" | cut -f1) in blocks), $(find "$out" -type f | wc -l) files; largest:"
find "$out" -type f -printf '%s %P\n' | sort -rn | awk 'NR <= 5' | awk '{printf "  %.2f MB %s\n", $1 / 1e6, $2}'
echo "pages over 1 MB: $(find "$out" -name '*.html' -size +1000000c | wc -l)"
echo "largest page: $(find "$out" -name '*.html' -printf '%s %P\n' | sort -rn | awk 'NR == 1' | awk '{printf "%.2f MB %s", $1 / 1e6, $2}')"
echo "org dashboard: $(stat -c %s "$out/index.html") bytes"
echo "data/: $(du -s --apparent-size --block-size=1000000 "$out/data" | cut -f1) MB in bytes ($(find "$out/data" -type f | wc -l) files; largest $(find "$out/data" -type f -printf '%s %P\n' | sort -rn | awk 'NR == 1' | awk '{printf "%.2f MB %s", $1 / 1e6, $2}'))"
rm -rf "$out"
python3 "$(dirname "$0")/stats.py" "$log" "build / Hugo=almanac_build/hugo_build" \
  "metrics org / DuckDB=almanac_metrics_org/duckdb_four_keys" \
  "build after / before=almanac_build/before_build" \
  "metrics after / before=almanac_metrics_org/before_metrics_org"
rm -f "$log"
