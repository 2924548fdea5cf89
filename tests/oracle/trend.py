"""The trend half of the oracle: every scope's 13-week trend of every figure (data/trends/),
recomputed from the weekly rows of the scope's export (which agree.py checks separately)
by the methodology page's "Trend over the last 13 weeks" text alone: Theil-Sen slope,
Mann-Kendall p-value with ties and continuity correction, and the verdict word; and each
intervention's medians before and after ("Before and after an intervention")."""
import glob
import json
import math
import statistics
import tomllib

WEEKS, MIN_POINTS, SIGNIFICANCE = 13, 6, 0.05
# Each figure's better direction, as the catalogue publishes it; a definition page's own
# `better` (content/metrics/) wins.
HIGHER = {"deployments", "deploys_per_week", "changes", "retro_within_72h_rate", "action_items_on_time_rate",
          "actionable_page_rate"}


def definitions(site):
    """The definition pages' front matter by metric id (`better`, `tolerance`)."""
    out = {}
    for path in glob.glob(f"{site}/content/metrics/*.md"):
        text = open(path, encoding="utf-8").read()
        fm = tomllib.loads(text[4:].split("\n+++\n", 1)[0]) if text.startswith("+++\n") else {}
        if "id" in fm:
            out[fm["id"]] = fm
    return out


def compare(after, before, direction, tolerance):
    """The period-over-period verdict (methodology, "Period over period")."""
    if after is None or before is None:
        return "n/a"
    change = after - before
    unchanged = abs(change) / abs(before) <= tolerance + 1e-9 if before != 0 else change == 0
    if unchanged:
        return "unchanged"
    return "improved" if (change > 0) == (direction == "higher") else "worsened"


def interventions(t, weeks, cols, defs, direction, close):
    """Each intervention's medians of the 6 weeks before and after its week (which is left
    out of both) and the verdict; yields (what, almanac's, oracle's, equal)."""
    for iv in t["interventions"]:
        at = next(i for i, r in enumerate(weeks) if r[1] <= iv["date"] <= r[2])
        for name, got in iv["figures"].items():
            col = cols.index(name)
            side = lambda rows: [r[col] for r in rows if r[col] is not None]
            # The week of the change is left out of both, unless the change is on its first
            # day (a Monday): then it mixes nothing and is the first week after.
            first_after = at if weeks[at][1] == iv["date"] else at + 1
            before = side(weeks[max(0, at - iv["weeks"]):at])
            after = side(weeks[first_after:first_after + iv["weeks"]])
            want = {"before_n": len(before), "after_n": len(after),
                    "before_median": statistics.median(before) if before else None,
                    "after_median": statistics.median(after) if after else None}
            tolerance = defs.get(name, {}).get("tolerance")
            if tolerance is not None:
                want["verdict"] = compare(want["after_median"], want["before_median"], direction(name), tolerance)
            for key, value in want.items():
                yield f"{iv['date']} {name} {key}", got.get(key), value, (
                    got.get(key) == value if key in ("before_n", "after_n", "verdict") else close(got.get(key), value))


def theil_sen(points):
    slopes = [(y2 - y1) / (x2 - x1) for i, (x1, y1) in enumerate(points) for (x2, y2) in points[i + 1:]]
    return statistics.median(slopes)


def mann_kendall(values):
    n = len(values)
    s = sum((b > a) - (b < a) for i, a in enumerate(values) for b in values[i + 1:])
    ties = {}
    for v in values:
        ties[v] = ties.get(v, 0) + 1
    var = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties.values())) / 18
    if s == 0 or var <= 0:
        return s, 1.0
    z = (s - 1 if s > 0 else s + 1) / math.sqrt(var)
    return s, math.erfc(abs(z) / math.sqrt(2))


def trend(points, direction):
    """(n, slope, p, verdict) of the (week index, value) points."""
    n = len(points)
    if n < MIN_POINTS:
        return n, None, None, "not enough data"
    slope = theil_sen(points)
    s, p = mann_kendall([y for _, y in points])
    verdict = "no clear trend"
    if p < SIGNIFICANCE and slope != 0 and (slope > 0) == (s > 0):
        verdict = "improving" if (slope > 0) == (direction == "higher") else "worsening"
    return n, slope, p, verdict


def check(site, built, close):
    """Compares every trend file's figures; returns (figures compared, disagreements)."""
    defs = definitions(site)
    direction = lambda name: defs.get(name, {}).get("better", "higher" if name in HIGHER else "lower")
    compared, wrong = 0, []
    for path in sorted(glob.glob(f"{built}/data/trends/**/*.json", recursive=True)):
        t = json.load(open(path))
        scope = path[len(f"{built}/data/trends/"):-5]
        export = json.load(open(f"{built}/data/metrics/{scope}.json"))
        cols = export["columns"]
        weeks = [r for r in export["rows"] if "-W" in r[0]]
        last = next(i for i, r in enumerate(weeks) if r[0] == t["trend"]["week"])
        window = weeks[max(0, last + 1 - WEEKS):last + 1]
        for name, got in t["trend"]["figures"].items():
            at = cols.index(name)
            points = [(x, r[at]) for x, r in enumerate(window) if r[at] is not None]
            n, slope, p, verdict = trend(points, direction(name))
            # The weekly values read here are the exports' (six significant digits), so the
            # slope may differ from almanac's (from the unrounded values) by the rounding of
            # two values over one week: 1e-5 of the largest.
            slack = 1e-5 * max((abs(y) for _, y in points), default=0)
            for key, want in (("n", n), ("slope_per_period", slope), ("p_value", p), ("verdict", verdict)):
                compared += 1
                if key in ("n", "verdict"):
                    ok = got.get(key) == want
                elif key == "slope_per_period" and want is not None and got.get(key) is not None:
                    ok = abs(got[key] - want) <= slack + 1e-5 * abs(want)
                else:
                    ok = close(got.get(key), want)
                if not ok:
                    wrong.append(f"trends/{scope} {t['trend']['week']} {name} {key}: almanac {got.get(key)}, oracle {want}")
        for what, ours, theirs, equal in interventions(t, weeks, cols, defs, direction, close):
            compared += 1
            if not equal:
                wrong.append(f"trends/{scope} intervention {what}: almanac {ours}, oracle {theirs}")
    return compared, wrong
