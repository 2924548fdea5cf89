"""An independent check of almanac's figures: DuckDB recomputes them from the CSVs by the
published definitions (content/metrics/, the catalogue and the methodology page), for every
scope (org, team, service), every SLO and every quarter, month and week, and compares them
with the site's exports (data/metrics/, data/slos/). It also runs the benchmark's peer query (benches/four_keys.sql) and holds
its rows to the same exports, so the benchmark compares like with like.

    python3 tests/oracle/agree.py SITE BUILT [--four-keys benches/four_keys.sql]

SITE is a site root, BUILT its built output. It checks the delivery, incident and on-call
figures of every scope, their learning-loop figures (learning.py, from the retros' front
matter), every SLO's figures (slo.py, from the methodology page's text) and every scope's
13-week trends and intervention medians (trend.py, from the same page).
Events after the report date (the last day of the exports' rows: `--as-of`, or the
data's last day) are left out as almanac does. Exits 1 when any figure disagrees or too few
are compared to mean anything. The four-keys query does not clip: pass --four-keys only for
a build without --as-of.
"""
import argparse
import datetime as dt
import json
import sys
import tomllib
from zoneinfo import ZoneInfo

import duckdb

import learning
import slo
import trend

# The figures checked: the name in the exports, and whether "no event" reads 0 there (a
# count, with the data present) rather than n/a.
FIGURES = {
    "deployments": True, "deploys_per_week": True, "failed_attempts": True, "rework_rate": False,
    "changes": True, "lead_time_median_hours": False, "lead_time_p90_hours": False,
    "failed_deployments": True, "change_failure_rate": False, "incidents": True,
    "unresolved_incidents": True, "time_to_restore_median_hours": False,
    "failed_deployment_recovery_median_hours": False, "time_to_detect_median_hours": False,
    "time_to_acknowledge_median_hours": False, "pages_per_week": True,
    "actionable_page_rate": False, "after_hours_page_rate": False,
}
# Period kinds: DuckDB's date_trunc unit, and how the export names such a period.
KINDS = {
    "quarter": lambda name: "-Q" in name,
    "month": lambda name: len(name) == 7 and "-Q" not in name and "-W" not in name,
    "week": lambda name: "-W" in name,
}


def load(con, data, end):
    """The CSVs as tables, clipped to the report date: an event at or after `end` (the end of
    the as_of day, epoch seconds) does not exist, and a later detection, acknowledgement or
    resolution has not happened yet."""
    ts = lambda col: f"CAST({col} AS TIMESTAMPTZ)"
    by = lambda col: f"CASE WHEN {ts(col)} < to_timestamp({end}) THEN {ts(col)} END"
    csv = lambda name: f"read_csv('{data}/{name}.csv', all_varchar = true)"
    con.sql(f"""CREATE TABLE dep AS SELECT deploy_id, service, environment, status, {ts('deployed_at')} AS ts,
                rework = 'true' AS rework FROM {csv('deployments')} WHERE {ts('deployed_at')} < to_timestamp({end})""")
    con.sql(f"""CREATE TABLE inc AS SELECT service, caused_by_deploy, {ts('started_at')} AS started,
                {by('detected_at')} AS detected, {by('acknowledged_at')} AS acked, {by('resolved_at')} AS resolved
                FROM {csv('incidents')} WHERE {ts('started_at')} < to_timestamp({end})""")
    con.sql(f"CREATE TABLE ch AS SELECT deploy_id, {ts('committed_at')} AS committed FROM {csv('changes')}")
    con.sql(f"""CREATE TABLE pg AS SELECT service, {ts('paged_at')} AS ts, actionable = 'true' AS actionable,
                after_hours = 'true' AS after_hours FROM {csv('pages')} WHERE {ts('paged_at')} < to_timestamp({end})""")
    # Counted deployments (production, success or rolled_back) and which of them failed
    # (rolled back, or named by an incident's caused_by_deploy).
    con.sql("""CREATE TABLE counted AS SELECT dep.*, (status = 'rolled_back' OR deploy_id IN
               (SELECT caused_by_deploy FROM inc WHERE caused_by_deploy IS NOT NULL)) AS failed
               FROM dep WHERE environment = 'production' AND status IN ('success', 'rolled_back')""")


def by_unit(unit):
    """The period key of a timestamp column: its quarter's, month's or week's first day."""
    return lambda col: f"strftime(date_trunc('{unit}', {col}), '%Y-%m-%d')"


def in_range(start, end, label):
    """The period key `label` for a timestamp in [start, end) (epoch seconds), else NULL."""
    return lambda col: f"CASE WHEN {col} >= to_timestamp({start}) AND {col} < to_timestamp({end}) THEN '{label}' END"


def figures(con, p, scopes):
    """Every figure of FIGURES per scope and period key (`p` of a timestamp column), by the
    definitions; `scopes` is a query of (service, scope) pairs."""
    q = f"""
    WITH s AS ({scopes}),
    a AS (SELECT scope, {p('ts')} AS p, count(*) AS deployments, avg(rework::INT) AS rework_rate,
                 sum(failed::INT) AS failed_deployments, avg(failed::INT) AS change_failure_rate
          FROM counted JOIN s USING (service) GROUP BY ALL),
    f AS (SELECT scope, {p('ts')} AS p, count(*) AS failed_attempts FROM dep JOIN s USING (service)
          WHERE environment = 'production' AND status = 'failed' GROUP BY ALL),
    l AS (SELECT scope, {p('c.ts')} AS p, count(*) AS changes,
                 median(epoch(c.ts) - epoch(committed)) / 3600 AS lead_time_median_hours,
                 quantile_cont(epoch(c.ts) - epoch(committed), 0.9) / 3600 AS lead_time_p90_hours
          FROM ch JOIN counted c USING (deploy_id) JOIN s USING (service) GROUP BY ALL),
    i AS (SELECT scope, {p('started')} AS p, count(*) AS incidents,
                 count(*) FILTER (WHERE resolved IS NULL) AS unresolved_incidents,
                 median(epoch(resolved) - epoch(started)) / 3600 AS time_to_restore_median_hours,
                 median(epoch(resolved) - epoch(c.ts)) / 3600 AS failed_deployment_recovery_median_hours,
                 median(epoch(detected) - epoch(started)) / 3600 AS time_to_detect_median_hours,
                 median(epoch(acked) - epoch(detected)) / 3600 AS time_to_acknowledge_median_hours
          FROM inc LEFT JOIN counted c ON c.deploy_id = inc.caused_by_deploy JOIN s ON s.service = inc.service
          GROUP BY ALL),
    g AS (SELECT scope, {p('ts')} AS p, count(*) AS pages, avg(actionable::INT) AS actionable_page_rate,
                 avg(after_hours::INT) AS after_hours_page_rate FROM pg JOIN s USING (service) GROUP BY ALL)
    SELECT * FROM a FULL JOIN f USING (scope, p) FULL JOIN l USING (scope, p) FULL JOIN i USING (scope, p)
         FULL JOIN g USING (scope, p)"""
    rel = con.sql(q)
    out = {}
    for row in rel.fetchall():
        r = dict(zip(rel.columns, row))
        out.setdefault(r["scope"], {})[r["p"]] = r
    return out


def per_week(figs, days):
    """The figures with deploys and pages per week, over `days` days."""
    out = dict(figs)
    if out.get("deployments") is not None:
        out["deploys_per_week"] = out["deployments"] * 7 / days
    if out.get("pages") is not None:
        out["pages_per_week"] = out["pages"] * 7 / days
    return out


def partial_rows(con, built, scopes, members, learn, tz, direction, tolerance):
    """Each partial row's `vs_previous`: the row's figures against the same figures over the
    stretch it names in `compared_with` (the previous period's first `days` days), by the
    period-over-period rules. Returns (figures compared, disagreements)."""
    midnight = lambda d: int(dt.datetime.combine(d, dt.time(), tz).timestamp())
    compared, wrong = 0, []
    for kind, scope_sql, path in scopes:
        exports = {}
        for scope in members_of(kind, members):
            exports[scope] = json.load(open(f"{built}/data/metrics/{path(scope)}.json"))
        # The stretches compared: (start, last day, days) of each partial row and of what it
        # is compared with. Both sides are recomputed here (the exports' rounded figures
        # could flip a verdict at the tolerance's edge).
        stretches = {}
        for e in exports.values():
            cols = e["columns"]
            for p in e["partial_rows"]:
                row = dict(zip(cols, next(r for r in e["rows"] if r[0] == p["period"])))
                cw = p.get("compared_with")
                if cw:
                    stretches[p["period"]] = (row["start"], row["end"], row["days"])
                    stretches[cw["period"]] = (cw["start"], cw["end"], cw["days"])
        got_figures = {}
        for key, (start, last, days) in stretches.items():
            first, final = dt.date.fromisoformat(start), dt.date.fromisoformat(last)
            sql = figures(con, in_range(midnight(first), midnight(final + dt.timedelta(days=1)), key), scope_sql)
            for scope in exports:
                f = per_week(sql.get(scope, {}).get(key, {}), days)
                f.update(learning.figures(*learn, members[path(scope)], first, final))
                got_figures[scope, key] = f
        for scope, e in exports.items():
            for p in e["partial_rows"]:
                cw = p.get("compared_with")
                if not cw:
                    continue
                now, then = got_figures[scope, p["period"]], got_figures[scope, cw["period"]]
                for name, got in p["vs_previous"].items():
                    new, old = now.get(name), then.get(name)
                    if FIGURES.get(name):
                        new, old = (0 if v is None else v for v in (new, old))
                    verdict = trend.compare(new, old, direction(name), tolerance(name))
                    both = new is not None and old is not None
                    absolute = new - old if both else None
                    relative = absolute / abs(old) if both and old != 0 else None
                    slack = 1e-5 * max(abs(new or 0), abs(old or 0), 1e-12)
                    for key, want, ok in (
                        ("verdict", verdict, got["verdict"] == verdict),
                        ("absolute", absolute, (got["absolute"] is None) == (absolute is None)
                         and (absolute is None or abs(got["absolute"] - absolute) <= slack)),
                        ("relative", relative, (got["relative"] is None) == (relative is None)
                         and (relative is None or abs(got["relative"] - relative) <= slack / abs(old) + 1e-5 * abs(relative))),
                    ):
                        compared += 1
                        if not ok:
                            wrong.append(f"{path(scope)} {p['period']} vs {cw['period']} {name} {key}: "
                                         f"almanac {got[key]}, oracle {want} (now {new}, then {old})")
    return compared, wrong


def members_of(kind, members):
    """The scope ids of one kind (org, team, service) in `members`' keys."""
    if kind == "org":
        return ["org"]
    prefix = "teams/" if kind == "team" else "services/"
    return [k[len(prefix):] for k in members if k.startswith(prefix)]


def close(ours, theirs):
    """Equal to the exports' rounding (six significant digits)."""
    if ours is None or theirs is None:
        return ours is None and theirs is None
    return abs(ours - theirs) <= 1e-5 * max(1.0, abs(theirs))


def exported(built, path):
    j = json.load(open(f"{built}/data/metrics/{path}.json"))
    return j["columns"], j["rows"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("built")
    ap.add_argument("--four-keys", help="the benchmark's peer query (benches/four_keys.sql)")
    ap.add_argument("--at-least", type=int, default=10_000, help="fewest figures that make a check")
    a = ap.parse_args()
    cfg = tomllib.load(open(f"{a.site}/almanac.toml", "rb"))
    tz = cfg.get("timezone", "UTC")
    con = duckdb.connect()
    con.sql(f"SET TimeZone = '{tz}'")
    # The report date: the last day of the exports' rows (as_of, given or from the data).
    _, org_rows = exported(a.built, "org")
    as_of = dt.date.fromisoformat(max(r[2] for r in org_rows))
    end = int(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), ZoneInfo(tz)).timestamp())
    load(con, f"{a.site}/data", end)
    con.sql("CREATE TABLE team_of (team VARCHAR, service VARCHAR)")
    pairs = [(t["id"], s) for t in cfg.get("team", []) for s in t.get("services", [])]
    if pairs:
        con.executemany("INSERT INTO team_of VALUES (?, ?)", pairs)
    every = "SELECT service, {} AS scope FROM (SELECT service FROM dep UNION SELECT service FROM inc UNION SELECT service FROM pg)"
    scopes = [("org", every.format("'org'"), lambda s: "org"),
              ("team", "SELECT service, team AS scope FROM team_of", lambda s: f"teams/{s}"),
              ("service", every.format("service"), lambda s: f"services/{s}")]

    compared, wrong = 0, []
    for unit, is_kind in KINDS.items():
        for kind, scope_sql, path in scopes:
            for scope, per in figures(con, by_unit(unit), scope_sql).items():
                cols, rows = exported(a.built, path(scope))
                at = {k: cols.index(k) for k in cols}
                for row in rows:
                    if not is_kind(row[0]):
                        continue
                    want = per_week(per.get(row[at["start"]], {}), row[at["days"]])
                    for name, zero in FIGURES.items():
                        got, exp = row[at[name]], want.get(name)
                        if exp is None and zero and got == 0:
                            exp = 0
                        compared += 1
                        if not close(got, exp):
                            wrong.append(f"{kind} {scope} {row[0]} {name}: almanac {got}, DuckDB {exp}")

    n, bad, statuses = slo.check(con, a.site, a.built, cfg, close, end)
    compared += n
    wrong += bad
    services = {s for (s,) in con.sql("SELECT service FROM dep UNION SELECT service FROM inc UNION SELECT service FROM pg").fetchall()}
    members = {"org": services, **{f"services/{s}": {s} for s in services}}
    for team in cfg.get("team", []):
        members[f"teams/{team['id']}"] = set(team.get("services", []))
    n, bad = slo.check_counts(a.built, cfg, members, statuses)
    compared += n
    wrong += bad
    learn = learning.context(con, a.site, cfg, as_of)
    n, bad = learning.check(a.built, close, members, learn)
    compared += n
    wrong += bad
    defs = trend.definitions(a.site)
    direction = lambda name: defs.get(name, {}).get("better", "higher" if name in trend.HIGHER else "lower")
    tolerance = lambda name: defs.get(name, {}).get("tolerance", 0.05)
    n, bad = partial_rows(con, a.built, scopes, members, learn, ZoneInfo(tz), direction, tolerance)
    compared += n
    wrong += bad
    n, bad = trend.check(a.site, a.built, close)
    compared += n
    wrong += bad

    if a.four_keys:
        sql = open(a.four_keys).read().replace("@DATA@", f"{a.site}/data").replace("@TZ@", tz)
        names = ["deployments", "change_failure_rate", "lead_time_median_hours", "time_to_restore_median_hours"]
        peer = duckdb.connect()
        for service, start, *values in peer.sql(sql).fetchall():
            cols, rows = exported(a.built, f"services/{service}")
            row = next(r for r in rows if is_quarter(r[0]) and r[cols.index("start")] == start)
            for name, value in zip(names, values):
                compared += 1
                if not close(row[cols.index(name)], value):
                    wrong.append(f"four_keys.sql {service} {row[0]} {name}: almanac {row[cols.index(name)]}, DuckDB {value}")

    for line in wrong[:40]:
        print(line)
    print(f"{compared} figures compared, {len(wrong)} disagree")
    if wrong or compared < a.at_least:
        sys.exit(1)


is_quarter = KINDS["quarter"]

if __name__ == "__main__":
    main()
