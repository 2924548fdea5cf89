# Sourced by the benchmark scripts: the scale issue's organisation and the site made from it.
#
# The issue's organisation: 40 teams, 400 services, with the deployment and incident rates
# scaled to its counts (over 36 months about 551,000 deployments and 10,700 incidents; the
# demo's other tables differ: about 1.6 million changes, 800 SLOs, 3,600 retros). Before
# 2026-12-01 (afternoon) the workload was the demo's own rates, 2.0x the deployments and
# about 4.4x the incidents; a site made then (no .workload file) is made again.
rates="--teams 40 --services-per-team 10 --deploy-rate 0.5 --incident-rate 0.41"

# make_site BIN DIR MONTHS: `almanac demo` of the organisation over MONTHS into DIR, unless
# DIR already holds that site (its .workload file names the arguments it was made with).
make_site() {
  local bin=$1 dir=$2 months=$3
  local args="$rates --months $months"
  if [ "$(cat "$dir/.workload" 2>/dev/null)" != "$args" ]; then
    rm -rf "$dir"
    # shellcheck disable=SC2086
    "$bin" demo --out "$dir" $args >/dev/null
    echo "$args" >"$dir/.workload"
  fi
}
