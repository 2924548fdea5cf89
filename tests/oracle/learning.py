"""The learning-loop half of the oracle: retros within 72 h, missing retros, action items on
time, open and overdue, repeat incidents and days to fix, for every scope and period,
recomputed from data/incidents.csv and the retros' front matter by the README's
"Learning loop" to "Days to fix" rules alone, and compared with data/metrics/."""
import datetime as dt
import glob
import json
import statistics
import tomllib
from zoneinfo import ZoneInfo

import yaml

COARSE = {"bad-deploy", "capacity", "config-change", "data-migration", "dependency", "dependency-failure",
          "human-error", "network", "other", "software-bug", "unknown"}
H72 = dt.timedelta(hours=72)


def front_matter(path):
    text = open(path, encoding="utf-8").read()
    for fence, parse in (("+++", tomllib.loads), ("---", yaml.safe_load)):
        if text.startswith(fence + "\n"):
            return parse(text[len(fence) + 1:].split("\n" + fence + "\n", 1)[0])
    raise SystemExit(f"{path}: no front matter this oracle reads")


def moment(value, tz):
    """A front-matter or CSV timestamp (string or parsed) as an aware datetime."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=tz)


def day(value):
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else dt.date.fromisoformat(str(value))


def load(con, site, tz, as_of):
    """Incidents and each incident's first retro, as known at the end of `as_of`: later
    incidents, retros and done dates do not exist yet."""
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tz)
    rows = con.sql(f"""SELECT incident_id, service, severity, started_at, resolved_at, cause
                       FROM read_csv('{site}/data/incidents.csv', all_varchar = true)""").fetchall()
    incidents = {}
    for iid, service, severity, started, resolved, cause in rows:
        started, resolved = moment(started, tz), moment(resolved, tz) if resolved else None
        if started >= end:
            continue
        incidents[iid] = dict(id=iid, service=service, severity=int(severity), started=started,
                              resolved=resolved if resolved and resolved < end else None, cause=cause or "")
    retros = {}
    for path in sorted(glob.glob(f"{site}/content/retros/*.md")):
        fm = front_matter(path)
        done = lambda i: day(i["done"]) if i.get("done") and day(i["done"]) <= as_of else None
        r = dict(published=moment(fm["published_at"], tz), repeats=fm.get("repeats", []),
                 items=[dict(due=day(i["due"]), done=done(i)) for i in fm.get("action_items", [])])
        if r["published"] >= end:
            continue
        first = retros.get(fm["incident"])
        if first is None or r["published"] < first["published"]:
            retros[fm["incident"]] = r
    return incidents, retros


def repeats(incidents, retros, end_of_as_of):
    """Ids of the incidents that repeat an earlier one (README "Repeats")."""
    out = set()
    by_service = {}
    for inc in sorted(incidents.values(), key=lambda i: i["started"]):
        by_service.setdefault(inc["service"], []).append(inc)
    for inc in incidents.values():
        r = retros.get(inc["id"])
        if r and r["published"] < end_of_as_of and r["repeats"]:
            out.add(inc["id"])
            continue
        if inc["cause"].lower() in COARSE or not inc["cause"]:
            continue
        for other in by_service[inc["service"]]:
            gap = inc["started"] - other["started"]
            if other["id"] != inc["id"] and other["cause"] == inc["cause"] and dt.timedelta(0) < gap <= dt.timedelta(days=90):
                out.add(inc["id"])
                break
    return out


def figures(incidents, retros, repeated, as_of, tz, members, start, last):
    """The learning-loop figures of the services `members` in the period start..last (dates,
    `last` already clipped to as_of)."""
    midnight = lambda d: dt.datetime.combine(d, dt.time(), tz)
    end, as_of_end = midnight(last + dt.timedelta(days=1)), midnight(as_of + dt.timedelta(days=1))
    mine = [i for i in incidents.values() if i["service"] in members]
    period = [i for i in mine if midnight(start) <= i["started"] < end]
    resolved = [i for i in period if i["resolved"] and i["resolved"] < as_of_end]
    serious = [i for i in resolved if i["severity"] <= 2]
    published_by = lambda i, t: retros.get(i["id"]) if retros.get(i["id"]) and retros[i["id"]]["published"] < t else None
    within = [i for i in serious if published_by(i, as_of_end) and retros[i["id"]]["published"] <= i["resolved"] + H72]
    missing = [i for i in serious if i["resolved"] + H72 < as_of_end and not published_by(i, as_of_end)]
    items = [it for i in mine if retros.get(i["id"]) for it in retros[i["id"]]["items"]]
    due = [it for it in items if start <= it["due"] <= last and it["due"] <= as_of]
    on_time = [it for it in due if it["done"] and it["done"] <= it["due"]]
    open_items = [(i, it) for i in mine if published_by(i, as_of_end) for it in retros[i["id"]]["items"]
                  if retros[i["id"]]["published"].astimezone(tz).date() <= last and (it["done"] is None or it["done"] > last)]
    fix = []
    for i in resolved:
        r = retros.get(i["id"])
        if r and r["items"] and all(it["done"] and it["done"] <= as_of for it in r["items"]):
            fix.append(max(0, (max(it["done"] for it in r["items"]) - i["resolved"].astimezone(tz).date()).days))
    return {
        "retro_within_72h_rate": len(within) / len(serious) if serious else None,
        "retros_missing": len(missing),
        "action_items_on_time_rate": len(on_time) / len(due) if due else None,
        "action_items_open": len(open_items),
        "action_items_overdue": sum(1 for _, it in open_items if it["due"] < last),
        "repeat_incidents": sum(1 for i in period if i["id"] in repeated),
        "median_days_to_fix": statistics.median(fix) if fix else None,
    }


def context(con, site, cfg, as_of):
    """What `figures` needs besides a scope and a period, as known at the end of `as_of`."""
    tz = ZoneInfo(cfg.get("timezone", "UTC"))
    incidents, retros = load(con, site, tz, as_of)
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tz)
    return incidents, retros, repeats(incidents, retros, end), as_of, tz


def check(built, close, scopes, ctx):
    """Compares the learning-loop figures of every scope; `scopes` maps an export path to the
    scope's services, `ctx` is `context`'s. Returns (figures compared, disagreements)."""
    compared, wrong = 0, []
    for path, members in scopes.items():
        export = json.load(open(f"{built}/data/metrics/{path}.json"))
        cols = export["columns"]
        for row in export["rows"]:
            got = dict(zip(cols, row))
            want = figures(*ctx, members, dt.date.fromisoformat(got["start"]), dt.date.fromisoformat(got["end"]))
            for name, value in want.items():
                compared += 1
                if not close(got[name], value):
                    wrong.append(f"{path} {got['period']} {name}: almanac {got[name]}, oracle {value}")
    return compared, wrong
