"""The SLO half of the oracle: every SLO's figures at the end of every period, recomputed
from data/sli.csv by the methodology page's text (src/metrics/slo/method.rs) alone, with
prefix sums over the SLO's buckets, and compared with data/slos/<slo>.json."""
import bisect
import collections
import datetime as dt
import json
import math
from zoneinfo import ZoneInfo

EPS = 1e-9
HOUR = 3600
ROLLING = {"7d": 7, "28d": 28, "30d": 30, "4w": 28}


class Buckets:
    """One SLO's buckets in time order, with prefix sums of the units of both budgetings."""

    def __init__(self, rows, target):
        rows.sort()
        self.ts = [t for t, _, _ in rows]
        self.good, self.total, self.slices, self.good_slices, self.traffic = [0], [0], [0], [0], [0]
        for _, good, total in rows:
            self.good.append(self.good[-1] + good)
            self.total.append(self.total[-1] + total)
            sliced = total > 0
            self.slices.append(self.slices[-1] + sliced)
            self.good_slices.append(self.good_slices[-1] + (sliced and target is not None and good / total >= target))
            self.traffic.append(self.traffic[-1] + sliced)
        gaps = collections.Counter(b - a for a, b in zip(self.ts, self.ts[1:]))
        self.size = min(gaps, key=lambda g: (-gaps[g], g)) if gaps else None

    def span(self, start, end):
        """Index range of the buckets whose timestamp is in [start, end)."""
        return bisect.bisect_left(self.ts, start), bisect.bisect_left(self.ts, end)


def units(b, i, j, timeslices):
    """(good, total) units of buckets i..j."""
    if timeslices:
        return b.good_slices[j] - b.good_slices[i], b.slices[j] - b.slices[i]
    return b.good[j] - b.good[i], b.total[j] - b.total[i]


def burn(b, i, j, timeslices, allowed):
    good, total = units(b, i, j, timeslices)
    return None if total == 0 else (total - good) / total / allowed


def figures(slo, b, day, tz):
    """The SLO's exported figures at the end of `day`."""
    midnight = lambda d: int(dt.datetime.combine(d, dt.time(), tz).timestamp())
    end = midnight(day + dt.timedelta(days=1))
    window = slo["window"]
    if window in ROLLING:
        n = ROLLING[window]
        start = midnight(day - dt.timedelta(days=n - 1))
        whole_end = None
    else:
        first = day.replace(day=1) if window == "month" else day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        months = 1 if window == "month" else 3
        y, m = divmod(first.month - 1 + months, 12)
        next_first = first.replace(year=first.year + y, month=m + 1)
        start, whole_end = midnight(first), midnight(next_first)
    timeslices = slo.get("budgeting") == "timeslices"
    allowed = 1 - slo["objective"]
    i, j = b.span(start, end)
    good, total = units(b, i, j, timeslices)
    raw_good, raw_total = b.good[j] - b.good[i], b.total[j] - b.total[i]
    out = {"buckets": j - i, "good": raw_good, "total": raw_total, "bucket_seconds": b.size}
    if timeslices:
        out["good_slices"], out["slices"] = good, total
    short = lambda seconds: burn(b, *b.span(end - seconds, end), timeslices, allowed)
    out["burn_rate_1h"] = short(HOUR) if b.size and b.size <= HOUR else None
    out["burn_rate_6h"] = short(6 * HOUR) if b.size and b.size <= 6 * HOUR else None
    out["burn_rate_1d"] = burn(b, *b.span(midnight(day), end), timeslices, allowed)
    b7 = burn(b, *b.span(midnight(day - dt.timedelta(days=6)), end), timeslices, allowed)
    out["burn_rate_7d"] = b7
    if b.traffic[j] - b.traffic[i] == 0:
        out.update(attainment=None, error_budget_remaining=None, burn_rate_window=None,
                   time_to_exhaustion_hours=None, status="no data")
        return out
    remaining = 1 - (total - good) / (allowed * total)
    out.update(attainment=good / total, error_budget_remaining=remaining, burn_rate_window=1 - remaining)
    if remaining <= EPS:
        tte = 0.0
    elif b7 is None:
        tte = None
    elif whole_end is None:
        tte = remaining * ROLLING[window] * 24 / b7 if b7 > 1 + EPS else None
    else:
        # The burn-down's remaining budget against the expected whole-period units.
        expected = total / (j - i) * round((whole_end - start) / b.size)
        down = 1 - (total - good) / (allowed * expected)
        hours = down * (whole_end - start) / HOUR / b7 if b7 > 0 else math.inf
        tte = hours if end + hours * HOUR < whole_end else None
    out["time_to_exhaustion_hours"] = tte
    if remaining <= EPS:
        out["status"] = "exhausted"
    elif (b7 is not None and b7 > 1 + EPS) or tte is not None:
        out["status"] = "at risk"
    else:
        out["status"] = "healthy"
    return out


def check(con, site, built, cfg, close, end):
    """Compares every SLO's exported rows, leaving out buckets at or after `end` (epoch
    seconds, the end of the as_of day); returns (figures compared, disagreements, each SLO's
    status by (id, period))."""
    tz = ZoneInfo(cfg.get("timezone", "UTC"))
    rows = collections.defaultdict(list)
    sli = con.sql(f"""SELECT slo, epoch(CAST(timestamp AS TIMESTAMPTZ))::BIGINT, good::BIGINT, total::BIGINT
                      FROM read_csv('{site}/data/sli.csv', all_varchar = true)
                      WHERE CAST(timestamp AS TIMESTAMPTZ) < to_timestamp({end})""").fetchall()
    for slo, ts, good, total in sli:
        rows[slo].append((ts, good, total))
    compared, wrong, statuses = 0, [], {}
    for slo in cfg.get("slo", []):
        b = Buckets(rows.get(slo["id"], []), slo.get("timeslice_target"))
        export = json.load(open(f"{built}/data/slos/{slo['id']}.json"))
        cols = export["columns"]
        for row in export["rows"]:
            got = dict(zip(cols, row))
            want = figures(slo, b, dt.date.fromisoformat(got["end"]), tz)
            statuses[slo["id"], got["period"]] = want["status"]
            for name, value in want.items():
                compared += 1
                ok = got[name] == value if isinstance(value, str) or name == "bucket_seconds" else close(got[name], value)
                if not ok:
                    wrong.append(f"slo {slo['id']} {got['period']} {name}: almanac {got[name]}, oracle {value}")
    return compared, wrong, statuses


def check_counts(built, cfg, scopes, statuses):
    """Each scope row's `slo_status`: how many of the scope's SLOs are in each status at
    the period's end, from the statuses recomputed above."""
    compared, wrong = 0, []
    for path, members in scopes.items():
        export = json.load(open(f"{built}/data/metrics/{path}.json"))
        mine = [s["id"] for s in cfg.get("slo", []) if s["service"] in members]
        at = export["columns"].index("slo_status")
        for row in export["rows"]:
            want = dict(collections.Counter(statuses[slo, row[0]] for slo in mine))
            compared += 1
            if row[at] != want:
                wrong.append(f"{path} {row[0]} slo_status: almanac {row[at]}, oracle {want}")
    return compared, wrong
