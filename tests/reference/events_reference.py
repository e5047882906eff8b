#!/usr/bin/python3
"""Independent pandas reference for `custlens events` (docs/events.md).

Written from docs/events.md alone (never from the C++ sources). For one input and the options of
`custlens events` it prints (or writes with --out) the `--json` object; with --golden DIR it runs
every case of CASES below and writes DIR/<case>.json:
    {"case": {"command": "events", "input": <file in tests/data/>, "args": [CLI options]},
     <the keys of docs/events.md "JSON": audit, kpis, funnel, retention, hours, days, lifecycle,
      categories, items, tz>}
so the C++ test runs `custlens events tests/data/<input> <args...> --json` and compares the
output with the golden less "case".

How it reads the contract where it leaves room (each point is in docs/events.md too):
  * CSV: RFC 4180 (Python's csv module); blank lines are skipped and not counted; a row whose
    field count differs from the header's (headerless: the first row's) is `malformed`.
  * Header: the first row is data when one of its fields is a decimal number; a headerless file
    must fit the Taobao layout on its first 20 rows (int, int, int, pv|fav|cart|buy, int).
  * Roles: the first column whose name, lower-cased without spaces, `_` and `-`, equals an
    alias so normalised (ALIASES below).
  * Text fields are trimmed; an empty item or category is "missing" (not counted under keys).
  * Timestamp: an integer is Unix seconds (13 digits: milliseconds, floor-divided by 1000);
    another decimal number is seconds rounded down; else date-time text in one format per file
    (the candidate of DATE_FORMATS that parses most of the file's non-numeric values), naive
    local time in --tz (zoneinfo, fold 0).
  * Duplicates: the raw fields (after CSV unquoting) equal those of an earlier kept row.
  * Days: only local days with a kept event are listed. Funnel breakdowns: see docs/events.md.
  * strict: an entry from a row already in the live chain (a row matching several steps of a
    funnel with a repeated step name) is passed over instead of ending the chain.
  * strict_once: an entry of step i > 1 from row r extends the latest-started chain at level
    i - 1 whose step i - 1 is another row than r (ties: the one made last).
  * Funnel: null without --funnel when the log has no pv or no buy. Breakdowns: categories with
    a step-1 user (top 20 by step-1 users, then key), every local day with an event, new and
    returning always. Retention cohorts: periods with a first event, k = 0 .. last - c.
    Lifecycle: every period from the first to the last; transitions ordered by stage.
  * Floats are written unrounded (shortest repr); undefined values are null.
At every start it asserts the examples table of docs/events.md and checks ordered and
strict_once against a brute force over every chain on seeded random users.

Run: /usr/bin/python3 tests/reference/events_reference.py INPUT [options] [--out FILE]
     /usr/bin/python3 tests/reference/events_reference.py --golden DIR
"""
import argparse
import csv
import datetime as dt
import json
import math
import pathlib
import re
import sys
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import profile_reference  # noqa: E402
import rfm_reference  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
DATA = HERE.parent / "data"

TAOBAO_BEHAVIOURS = {"pv", "fav", "cart", "buy"}
ALIASES = {
    "user": ["user_id", "userid", "user", "customer_id", "customer", "用户ID", "用户"],
    "behavior": ["behavior_type", "behaviour_type", "behavior", "behaviour", "event",
                 "event_type", "action", "行为类型", "行为"],
    "timestamp": ["timestamp", "ts", "time", "datetime", "event_time", "时间戳", "时间"],
    "item": ["item_id", "itemid", "item", "商品ID"],
    "category": ["category_id", "categoryid", "category", "商品类别"],
}
DATE_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M:%S",
                "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d"]
INT_RE = re.compile(r"^[+-]?\d+$")
DECIMAL_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
STAGES = ["new", "active", "returning", "at_risk", "churned"]
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def norm(name):
    return re.sub(r"[\s_\-]", "", name.strip().lower())


def day_text(day):
    return dt.date.fromordinal(day + EPOCH_ORDINAL).isoformat()


def ratio(a, b):
    return None if b == 0 else a / b


# ---------------------------------------------------------------------------------------- input
def read_rows(path):
    """(line, fields) of every non-blank row; line = physical line where the row starts."""
    rows, prev_end = [], 0
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        for fields in reader:
            start, prev_end = prev_end + 1, reader.line_num
            if not fields:  # a blank line (docs/csv.md: skipped, not counted)
                continue
            rows.append((start, fields))
    return rows


def taobao_layout(rows):
    width = len(rows[0][1])
    if width != 5:
        return False
    sample = [f for _, f in rows[:20] if len(f) == width]
    for f in sample:
        s = [x.strip() for x in f]
        if not (s[0].isdigit() and s[1].isdigit() and s[2].isdigit() and s[4].isdigit()
                and s[3] in TAOBAO_BEHAVIOURS):
            return False
    return True


def find_roles(header):
    names = [norm(h) for h in header]
    roles = {}
    for role, aliases in ALIASES.items():
        for alias in aliases:
            if norm(alias) in names:
                roles[role] = names.index(norm(alias))
                break
    for role in ("user", "behavior", "timestamp"):
        if role not in roles:
            sys.exit(f"events_reference: no {role} column in {header}")
    return roles


def parse_ts_number(text):
    if INT_RE.match(text):
        value = int(text)
        return value // 1000 if len(text.lstrip("+-")) == 13 else value
    if DECIMAL_RE.match(text):
        return math.floor(float(text))
    return None


def load(path, tz, steps_map, dedup):
    """Audit counts and the kept events (user, item, category, behavior, ts, row)."""
    rows = read_rows(path)
    if not rows:
        sys.exit("events_reference: empty input")
    first = rows[0][1]
    has_header = not any(DECIMAL_RE.match(x.strip()) for x in first)
    taobao = False
    if has_header:
        roles, width, data = find_roles(first), len(first), rows[1:]
    else:
        if not taobao_layout(rows):
            sys.exit("events_reference: headerless file that is not the Taobao layout")
        taobao = True
        roles = {"user": 0, "item": 1, "category": 2, "behavior": 3, "timestamp": 4}
        width, data = 5, rows
    zone = ZoneInfo(tz)
    # One date-time format per file: the candidate that parses most non-numeric timestamps.
    texts = {f[roles["timestamp"]].strip() for _, f in data if len(f) == width}
    texts = [t for t in texts if t and parse_ts_number(t) is None]
    best_format, best_count = None, 0
    for fmt in DATE_FORMATS:
        count = 0
        for t in texts:
            try:
                dt.datetime.strptime(t, fmt)
                count += 1
            except ValueError:
                pass
        if count > best_count:
            best_format, best_count = fmt, count

    def timestamp(text):
        value = parse_ts_number(text)
        if value is not None or best_format is None:
            return value
        try:
            naive = dt.datetime.strptime(text, best_format)
        except ValueError:
            return None
        return int(naive.replace(tzinfo=zone).timestamp())

    audit = {"rows_read": len(data), "malformed": 0, "missing_customer": 0, "duplicates": 0,
             "rows_kept": 0}
    seen, events = set(), []
    for line, fields in data:
        if len(fields) != width:
            audit["malformed"] += 1
            continue
        ts = timestamp(fields[roles["timestamp"]].strip())
        behavior = fields[roles["behavior"]].strip()
        behavior = steps_map.get(behavior, behavior)
        if ts is None or behavior == "" or (taobao and behavior not in TAOBAO_BEHAVIOURS):
            audit["malformed"] += 1
            continue
        user = fields[roles["user"]].strip()
        if user == "":
            audit["missing_customer"] += 1
            continue
        key = tuple(fields)
        if key in seen:
            audit["duplicates"] += 1
            if dedup:
                continue
        seen.add(key)

        def optional(role):
            if role not in roles:
                return None
            value = fields[roles[role]].strip()
            return value if value else None

        events.append((user, optional("item"), optional("category"), behavior, ts, line))
    audit["rows_kept"] = len(events)
    df = pd.DataFrame(events, columns=["user", "item", "category", "behavior", "ts", "line"])
    df["row"] = np.arange(len(df))
    cache = {}

    def local(ts):
        if ts not in cache:
            when = dt.datetime.fromtimestamp(ts, zone)
            cache[ts] = (when.date().toordinal() - EPOCH_ORDINAL, when.hour)
        return cache[ts]

    loc = [local(int(ts)) for ts in df["ts"]]
    df["day"] = pd.Series([d for d, _ in loc], dtype="int64")
    df["hour"] = pd.Series([h for _, h in loc], dtype="int64")
    df = df.sort_values(["user", "ts", "row"], kind="stable").reset_index(drop=True)
    return audit, df


# ------------------------------------------------------------------------------------------ KPIs
def kpis(df):
    uv = df.user.nunique()
    pv = int((df.behavior == "pv").sum())
    buys = df[df.behavior == "buy"]
    buy_users = buys.user.nunique()
    repeat = int((buys.groupby("user").day.nunique() >= 2).sum())
    per_user = df.groupby("user").behavior.agg(["size", "first"])
    bounce = int(((per_user["size"] == 1) & (per_user["first"] == "pv")).sum())
    return {"pv": pv, "uv": int(uv), "pv_per_uv": ratio(pv, uv), "buy_users": int(buy_users),
            "buys": int(len(buys)), "conversion_rate": ratio(buy_users, uv),
            "repurchase_rate": ratio(repeat, buy_users), "bounce_rate": ratio(bounce, uv)}


def days(df):
    out = []
    for day, g in df.groupby("day", sort=True):
        buys = g[g.behavior == "buy"]
        out.append({"day": day_text(int(day)), "pv": int((g.behavior == "pv").sum()),
                    "uv": int(g.user.nunique()), "buys": int(len(buys)),
                    "buy_users": int(buys.user.nunique())})
    return out


def hours(df):
    out = []
    for hour in range(24):
        g = df[df.hour == hour]
        out.append({"hour": hour, "pv": int((g.behavior == "pv").sum()),
                    "uv": int(g.user.nunique()), "buys": int((g.behavior == "buy").sum())})
    return out


def top_keys(df, column):
    rows = []
    for key, g in df[df[column].notna()].groupby(column):
        pv = int((g.behavior == "pv").sum())
        buys = g[g.behavior == "buy"]
        rows.append({"key": key, "pv": pv, "users": int(g.user.nunique()),
                     "buys": int(len(buys)), "buy_users": int(buys.user.nunique()),
                     "conversion": ratio(len(buys), pv)})
    rows.sort(key=lambda r: (-r["pv"], r["key"]))
    return rows[:20]


# ---------------------------------------------------------------------------------------- funnel
def funnel_level(events, steps, window, mode):
    """events: [(ts, behavior)] of one user sorted by (ts, row order); row = index.
    Returns (level, {level i >= 2: seconds from step i - 1 in the chain that first reached i})."""
    entries = sorted((ts, i, row) for row, (ts, b) in enumerate(events)
                     for i, s in enumerate(steps, start=1) if b == s)
    k, gaps, level = len(steps), {}, 0
    if mode == "ordered":
        start, at = [None] * (k + 1), [None] * (k + 1)
        for t, i, _ in entries:
            if i == 1:
                start[1] = at[1] = t
            elif start[i - 1] is not None and t <= start[i - 1] + window:
                if start[i] is None:
                    gaps[i] = t - at[i - 1]
                start[i], at[i] = start[i - 1], t
        level = max([i for i in range(1, k + 1) if start[i] is not None], default=0)
    elif mode == "strict_once":
        chains = [[] for _ in range(k + 1)]  # per level: (start, at, row, made)
        made = 0
        for t, i, row in entries:
            if i == 1:
                chains[1].append((t, t, row, made))
            else:
                options = [c for c in chains[i - 1] if c[2] != row and t <= c[0] + window]
                if not options:
                    continue
                base = max(options, key=lambda c: (c[0], c[3]))
                if not chains[i]:
                    gaps[i] = t - base[1]
                chains[i].append((base[0], t, row, made))
            made += 1
        level = max([i for i in range(1, k + 1) if chains[i]], default=0)
    elif mode == "strict":
        live = None  # [level, start, at, rows of the chain]
        for t, i, row in entries:
            if i == 1:
                live = [1, t, t, {row}]
            elif live is not None and live[0] == i - 1 and t <= live[1] + window:
                if i not in gaps:
                    gaps[i] = t - live[2]
                live = [i, live[1], t, live[3] | {row}]
            elif live is not None and row in live[3]:
                pass  # a row matching several steps does not end its own chain
            else:
                live = None
            if live is not None:
                level = max(level, live[0])
    else:
        raise ValueError(mode)
    return level, gaps


def check_periods():
    for text, week, month in [("2017-11-26", "2017-11-20", "2017-11-01"),
                              ("2017-11-27", "2017-11-27", "2017-11-01"),
                              ("2018-01-01", "2018-01-01", "2018-01-01"),
                              ("1970-01-01", "1969-12-29", "1970-01-01")]:
        day = dt.date.fromisoformat(text).toordinal() - EPOCH_ORDINAL
        for period, expected in (("week", week), ("month", month)):
            index, first = period_of(day, period)
            assert day_text(first) == expected == day_text(period_start(index, period)), text
        assert period_of(day + 7, "week")[0] == period_of(day, "week")[0] + 1


def check_examples():
    """The examples table of docs/events.md (window 1 day, pv,cart,buy; times in hours)."""
    h = 3600
    table = [
        ([("pv", 0), ("cart", 1), ("buy", 2)], 3, 3, 3),
        ([("pv", 0), ("fav", 1), ("cart", 2), ("buy", 3)], 3, 3, 3),
        ([("pv", 0), ("pv", 1), ("cart", 2)], 2, 2, 2),
        ([("pv", 0), ("cart", 1), ("cart", 2), ("buy", 3)], 3, 2, 3),
        ([("pv", 0), ("cart", 30), ("buy", 31)], 1, 1, 1),
        ([("pv", 0), ("pv", 20), ("cart", 30), ("buy", 31)], 3, 3, 3),
        ([("cart", 0), ("pv", 1), ("buy", 2)], 1, 1, 1),
        ([("pv", 5), ("cart", 5)], 2, 2, 2),
    ]
    for events, *expected in table:
        ev = [(t * h, b) for b, t in events]
        got = [funnel_level(ev, ["pv", "cart", "buy"], 86400, m)[0]
               for m in ("ordered", "strict", "strict_once")]
        assert got == expected, (events, got, expected)
    # The text's pv,pv,buy example: one pv and a buy.
    ev = [(0, "pv"), (3600, "buy")]
    assert funnel_level(ev, ["pv", "pv", "buy"], 86400, "ordered")[0] == 3
    assert funnel_level(ev, ["pv", "pv", "buy"], 86400, "strict_once")[0] == 1
    # Two pv rows (also at the same second) and a buy reach level 3 in every mode.
    for second in (0, 60):
        ev = [(0, "pv"), (second, "pv"), (3600, "buy")]
        for m in ("ordered", "strict", "strict_once"):
            assert funnel_level(ev, ["pv", "pv", "buy"], 86400, m)[0] == 3, (second, m)
    # Gaps: pv 0, cart 1h, buy 3h -> 3600 and 7200; the window end is inclusive.
    assert funnel_level([(0, "pv"), (3600, "cart"), (10800, "buy")], ["pv", "cart", "buy"],
                        86400, "ordered") == (3, {2: 3600, 3: 7200})
    assert funnel_level([(0, "pv"), (86400, "cart")], ["pv", "cart"], 86400, "strict")[0] == 2


def brute_force_level(events, steps, window, distinct_neighbours):
    """The longest chain of entries e1..eL (step j, increasing in processing order, t(eL) <=
    t(e1) + window) found by trying every chain; with distinct_neighbours, consecutive steps
    of the chain come from different rows (strict_once)."""
    entries = sorted((ts, i, row) for row, (ts, b) in enumerate(events)
                     for i, s in enumerate(steps, start=1) if b == s)
    best = 0

    def extend(chain):
        nonlocal best
        best = max(best, len(chain))
        if len(chain) == len(steps):
            return
        last = chain[-1]
        for e in entries[entries.index(last) + 1:]:
            if (e[1] == len(chain) + 1 and e[0] <= chain[0][0] + window
                    and not (distinct_neighbours and e[2] == last[2])):
                extend(chain + [e])

    for e in entries:
        if e[1] == 1:
            extend([e])
    return best


def check_random(count=400):
    """ordered and strict_once against brute_force_level on small random users (ties, repeated
    step names, windows)."""
    rng = np.random.default_rng(13)
    for _ in range(count):
        steps = [["pv", "cart", "buy"], ["pv", "pv", "buy"], ["pv", "cart", "pv", "buy"]][
            rng.integers(3)]
        n = int(rng.integers(1, 8))
        events = sorted(((int(rng.integers(0, 6)) * 1800, str(rng.choice(["pv", "cart", "buy",
                                                                          "fav"])))
                         for _ in range(n)), key=lambda e: e[0])
        window = int(rng.choice([0, 1800, 3600, 86400]))
        assert funnel_level(events, steps, window, "ordered")[0] == \
            brute_force_level(events, steps, window, False), (events, steps, window)
        assert funnel_level(events, steps, window, "strict_once")[0] == \
            brute_force_level(events, steps, window, True), (events, steps, window)


def funnel_steps(levels, gaps, steps):
    """levels: {user: level}; gaps: {user: {i: seconds}}."""
    out, counts = [], []
    for i, step in enumerate(steps, start=1):
        reached = [u for u, lv in levels.items() if lv >= i]
        counts.append(len(reached))
        entry = {"step": step, "users": len(reached)}
        if i == 1:
            entry["conversion_from_previous"] = 1.0
        else:
            entry["conversion_from_previous"] = ratio(len(reached), counts[i - 2])
        entry["conversion_from_first"] = ratio(len(reached), counts[0])
        if i == 1 or not reached:
            entry["median_seconds_from_previous"] = None
            entry["p90_seconds_from_previous"] = None
        else:
            values = pd.Series([gaps[u][i] for u in reached], dtype="float64")
            entry["median_seconds_from_previous"] = float(values.median())
            entry["p90_seconds_from_previous"] = float(values.quantile(0.9))
        out.append(entry)
    return out


def funnel_on(df, steps, window, mode):
    levels, gaps = {}, {}
    for user, g in df.groupby("user", sort=False):
        ev = list(zip(g.ts.astype("int64").tolist(), g.behavior.tolist()))
        levels[user], gaps[user] = funnel_level(ev, steps, window, mode)
    return funnel_steps(levels, gaps, steps), levels


def funnel(df, steps, window, mode, by, group_of=None):
    result = {"mode": mode, "window_seconds": window}
    result["steps"], _ = funnel_on(df, steps, window, mode)
    if by is None:
        return result
    breakdown = []
    if by == "category":
        for key, g in df[df.category.notna()].groupby("category"):
            s, _ = funnel_on(g, steps, window, mode)
            if s[0]["users"] > 0:
                breakdown.append({"key": key, "steps": s})
        breakdown.sort(key=lambda b: (-b["steps"][0]["users"], b["key"]))
        breakdown = breakdown[:20]
    elif by == "day":
        for day, g in df.groupby("day", sort=True):
            breakdown.append({"key": day_text(int(day)), "steps": funnel_on(g, steps, window,
                                                                             mode)[0]})
    elif by in ("tier", "profile_tier"):
        key_of_user, keys = group_of[by]
        for key, _, _ in keys:
            users = {u for u, k in key_of_user.items() if k == key}
            if users:
                breakdown.append({"key": key, "steps": funnel_on(df[df.user.isin(users)], steps,
                                                                 window, mode)[0]})
    elif by == "new_returning":
        returning = df.groupby("user").day.nunique() >= 2
        for key, flag in (("new", False), ("returning", True)):
            users = set(returning[returning == flag].index)
            breakdown.append({"key": key, "steps": funnel_on(df[df.user.isin(users)], steps,
                                                             window, mode)[0]})
    result["by"] = by
    result["breakdown"] = breakdown
    return result


# ------------------------------------------------------------------------- retention, lifecycle
def period_of(day, period):
    """Period index and its first day (day numbers)."""
    date = dt.date.fromordinal(day + EPOCH_ORDINAL)
    if period == "day":
        return day, day
    if period == "week":
        monday = day - date.weekday()  # day 0 (1970-01-01) is a Thursday: Mondays are 4 mod 7
        return (monday + 3) // 7, monday
    index = date.year * 12 + date.month - 1
    return index, dt.date(date.year, date.month, 1).toordinal() - EPOCH_ORDINAL


def period_start(index, period):
    if period == "day":
        return index
    if period == "week":
        return index * 7 - 3
    return dt.date(index // 12, index % 12 + 1, 1).toordinal() - EPOCH_ORDINAL


def with_periods(df, period):
    out = df.copy()
    out["p"] = [period_of(int(d), period)[0] for d in out.day]
    return out


def retention(df, period, event):
    d = with_periods(df, period)
    last = int(d.p.max())
    cohort = d.groupby("user").p.min()
    active = d if event == "any" else d[d.behavior == "buy"]
    active_sets = active.groupby("p").user.agg(set).to_dict()
    cohorts = []
    for c in sorted(cohort.unique()):
        members = set(cohort[cohort == c].index)
        counts = [len(members & active_sets.get(c + k, set())) for k in range(last - c + 1)]
        cohorts.append({"cohort": day_text(period_start(int(c), period)), "users": len(members),
                        "active": counts, "share": [n / len(members) for n in counts]})
    return {"period": period, "event": event, "cohorts": cohorts}


def stage(user_periods, p, churn):
    """Stage of a user with event periods user_periods (a set) in period p, or None."""
    first = min(user_periods)
    if first > p:
        return None
    if p in user_periods:
        if first == p:
            return "new"
        if p - 1 in user_periods:
            return "active"
        return "returning"
    gap = p - max(q for q in user_periods if q < p)
    return "at_risk" if gap < churn else "churned"


def lifecycle(df, period, churn):
    d = with_periods(df, period)
    first, last = int(d.p.min()), int(d.p.max())
    per_user = d.groupby("user").p.agg(lambda s: set(int(x) for x in s)).to_dict()
    periods = []
    for p in range(first, last + 1):
        counts = dict.fromkeys(STAGES, 0)
        for ps in per_user.values():
            s = stage(ps, p, churn)
            if s is not None:
                counts[s] += 1
        periods.append({"period": day_text(period_start(p, period)), **counts})
    cells = {}
    for ps in per_user.values():
        cell = (stage(ps, first, churn) or "unseen", stage(ps, last, churn))
        cells[cell] = cells.get(cell, 0) + 1
    order = STAGES + ["unseen"]
    transitions = [{"from": f, "to": t, "users": n} for (f, t), n in
                   sorted(cells.items(), key=lambda c: (order.index(c[0][0]),
                                                        order.index(c[0][1])))]
    return {"periods": periods, "transitions": transitions}


# -------------------------------------------------------------------------------------- options
def parse_window(text):
    m = re.fullmatch(r"(\d+)([smhd]?)", text.strip())
    if not m:
        raise ValueError(f"--window '{text}'")
    return int(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def parse_steps_map(text):
    mapping = {}
    for pair in filter(None, (text or "").split(",")):
        raw, name = pair.split("=")
        mapping[raw.strip()] = name.strip()
    return mapping


def options_parser():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("input", nargs="?")
    p.add_argument("--tz", default="UTC")
    p.add_argument("--funnel")
    p.add_argument("--window", default="1d")
    p.add_argument("--mode", default="ordered", choices=["ordered", "strict", "strict_once"])
    p.add_argument("--by", choices=["category", "day", "new_returning", "tier", "profile_tier"])
    p.add_argument("--period", default="day", choices=["day", "week", "month"])
    p.add_argument("--retention-event", default="any", choices=["any", "buy"])
    p.add_argument("--churn-periods", type=int, default=3)
    p.add_argument("--steps-map")
    p.add_argument("--dedup", action="store_true")
    p.add_argument("--orders", help="order lines beside the log (the joined view)")
    p.add_argument("--profiles", help="a profile table beside the log (the joined view)")
    p.add_argument("--scheme", default="five", choices=["five", "cn8", "rfm11"])
    p.add_argument("--as-of", help="YYYY-MM-DD: the RFM as-of day of --orders")
    p.add_argument("--customers", help="write the per-customer table here")
    p.add_argument("--out")
    p.add_argument("--golden", help="write every case of CASES into this folder")
    return p


def data_path(text):
    """Golden cases name files in tests/data/ as data:NAME."""
    return str(DATA / text[5:]) if text and text.startswith("data:") else text


def rfm_groups(path, scheme, as_of):
    """The orders' RFM as `custlens rfm` computes it (rfm_reference), keyed by customer id:
    (source facts, {customer: row}, [(key, name, name_zh)] in scheme order)."""
    audit, lines, has_invoice = rfm_reference.clean(path, {r: None for r in
                                                           rfm_reference.ROLE_ALIASES}, False)
    customers, as_of_day = rfm_reference.customer_table(lines, has_invoice, as_of)
    names, segments = rfm_reference.assign_segments(customers, scheme)
    customers["segment"] = names
    zh = dict(segments)
    rows = {c.customer_id: c for c in customers.itertuples(index=False)}
    source = {"rows_read": audit["rows_read"], "rows_kept": audit["rows_kept"],
              "customers": len(customers), "scheme": scheme,
              "as_of": as_of_day.strftime("%Y-%m-%d")}
    keys = [(name, name, zh[name]) for name, _ in segments] + [("no_orders", "No orders", "无订单")]
    return source, rows, keys, zh


PROFILE_TIERS = [("important", "Important", "重要客户"), ("core", "Core", "核心客户"),
                 ("lost", "Lost", "流失客户"), ("potential", "Potential", "潜力客户"),
                 ("general", "General", "一般客户")]


def profile_groups(path):
    """Profile tiers by the rules of docs/profile.md (profile_reference)."""
    _, _, _, df, rows_read, _ = profile_reference.read_profile(path, "")
    profile_reference.add_scores(df)
    tiers = [profile_reference.rule_tier(r, f, m)
             for r, f, m in zip(df.r_score, df.f_score, df.m_score)]
    ids = [rfm_reference.normalise_customer(c) for c in df.customer]
    source = {"rows_read": rows_read, "rows_kept": len(df), "customers": len(df),
              "scheme": "rules", "as_of": None}
    keys = PROFILE_TIERS + [("no_profile", "Not in profiles", "无画像")]
    return source, dict(zip(ids, tiers)), keys


def pooled_retention(df, period, event, last):
    """The group's cohort triangle up to the log's last period, pooled over cohorts."""
    d = with_periods(df, period)
    cohort = d.groupby("user").p.min()
    active = d if event == "any" else d[d.behavior == "buy"]
    active_sets = active.groupby("p").user.agg(set).to_dict()
    points = []
    for c in sorted(cohort.unique()):
        members = set(cohort[cohort == c].index)
        for k in range(last - int(c) + 1):
            if k == len(points):
                points.append({"k": k, "users": 0, "active": 0})
            points[k]["users"] += len(members)
            points[k]["active"] += len(members & active_sets.get(c + k, set()))
    for point in points:
        point["share"] = point["active"] / point["users"]
    return points


def group_figures(df, key_of_user, keys, steps, o, last):
    out = []
    for key, name, name_zh in keys:
        users = [u for u, k in key_of_user.items() if k == key]
        if not users:
            continue
        g = df[df.user.isin(set(users))]
        per_user = g.groupby("user")
        n = len(users)
        pv = int((g.behavior == "pv").sum())
        cart_users = int(g[g.behavior == "cart"].user.nunique())
        buy_users = int(g[g.behavior == "buy"].user.nunique())
        out.append({
            "key": key, "name": name, "name_zh": name_zh, "users": n, "events": len(g), "pv": pv,
            "pv_per_user": ratio(pv, n), "cart_users": cart_users,
            "cart_rate": ratio(cart_users, n), "buy_users": buy_users,
            "buys": int((g.behavior == "buy").sum()), "conversion_rate": ratio(buy_users, n),
            "mean_active_days": ratio(int(per_user.day.nunique().sum()), n),
            "funnel": [] if steps is None else funnel_on(g, steps, parse_window(o.window),
                                                         o.mode)[0],
            "retention": pooled_retention(g, o.period, o.retention_event, last)})
    return out


def joined(df, o, steps):
    """The joined view of docs/events.md and the per-customer rows; None without tables."""
    if not o.orders and not o.profiles:
        return None, None, None
    log_users = sorted(df.user.unique())
    last = int(with_periods(df, o.period).p.max())
    view = {"rfm_tier": None, "profile_tier": None}
    rfm_rows, profile_tiers, group_of = None, None, {}
    if o.orders:
        source, rfm_rows, keys, zh = rfm_groups(data_path(o.orders), o.scheme, o.as_of)
        key_of_user = {u: (rfm_rows[rfm_reference.normalise_customer(u)].segment
                           if rfm_reference.normalise_customer(u) in rfm_rows else "no_orders")
                       for u in log_users}
        matched = {rfm_reference.normalise_customer(u) for u in log_users} & set(rfm_rows)
        source.update({"log_users": len(log_users),
                       "matched_users": sum(k != "no_orders" for k in key_of_user.values()),
                       "customers_without_events": len(set(rfm_rows) - matched)})
        source["match_rate"] = ratio(source["matched_users"], len(log_users))
        source["groups"] = group_figures(df, key_of_user, keys, steps, o, last)
        view["rfm_tier"] = source
        group_of["tier"] = (key_of_user, keys)
    if o.profiles:
        source, profile_tiers, keys = profile_groups(data_path(o.profiles))
        key_of_user = {u: profile_tiers.get(rfm_reference.normalise_customer(u), "no_profile")
                       for u in log_users}
        matched = {rfm_reference.normalise_customer(u) for u in log_users} & set(profile_tiers)
        source.update({"log_users": len(log_users),
                       "matched_users": sum(k != "no_profile" for k in key_of_user.values()),
                       "customers_without_events": len(set(profile_tiers) - matched)})
        source["match_rate"] = ratio(source["matched_users"], len(log_users))
        source["groups"] = group_figures(df, key_of_user, keys, steps, o, last)
        view["profile_tier"] = source
        group_of["profile_tier"] = (key_of_user, keys)
        if "tier" not in group_of:
            group_of["tier"] = group_of["profile_tier"]
    rows = customer_rows(df, o, log_users, rfm_rows, profile_tiers)
    view["customer_rows"] = len(rows)
    return view, group_of, rows


def customer_rows(df, o, log_users, rfm_rows, profile_tiers):
    """The full outer join of docs/events.md "Joined view", as CSV rows, sorted by id."""
    zone = ZoneInfo(o.tz)
    local = lambda ts: dt.datetime.fromtimestamp(int(ts), zone).strftime("%Y-%m-%d %H:%M:%S")
    per_user = {u: g for u, g in df.groupby("user")}
    ids = {rfm_reference.normalise_customer(u): None for u in log_users}
    entries = [(rfm_reference.normalise_customer(u), u) for u in log_users]
    others = set(rfm_rows or {}) | set(profile_tiers or {})
    entries += [(c, None) for c in sorted(others - set(ids))]
    entries.sort(key=lambda e: (e[0].encode(), e[1] is None))
    rows = []
    for cid, user in entries:
        row = [cid]
        if user is None:
            row += [0, 0, 0, 0, 0, 0, "", ""]
        else:
            g = per_user[user]
            count = lambda b: int((g.behavior == b).sum())
            row += [len(g), count("pv"), count("fav"), count("cart"), count("buy"),
                    int(g.day.nunique()), local(g.ts.min()), local(g.ts.max())]
        if rfm_rows is not None:
            c = rfm_rows.get(cid)
            row += ["", "", "", "", "", "", ""] if c is None else [
                c.segment, int(c.recency_days), int(c.frequency), f"{c.monetary:.2f}",
                int(c.r_score), int(c.f_score), int(c.m_score)]
        if profile_tiers is not None:
            tier = profile_tiers.get(cid)
            row.append("" if tier is None else dict((k, n) for k, n, _ in PROFILE_TIERS)[tier])
        rows.append(row)
    return rows


def write_customers(rows, o, path):
    header = ["customer_id", "events", "pv", "favs", "carts", "buys", "active_days", "first_seen",
              "last_seen"]
    if o.orders:
        header += ["rfm_tier", "recency_days", "frequency", "monetary", "r_score", "f_score",
                   "m_score"]
    if o.profiles:
        header.append("profile_tier")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def report(path, o):
    audit, df = load(path, o.tz, parse_steps_map(o.steps_map), o.dedup)
    if o.funnel:
        steps = [s.strip() for s in o.funnel.split(",")]
    elif (df.behavior == "pv").any() and (df.behavior == "buy").any():
        steps = ["pv", "cart", "buy"] if (df.behavior == "cart").any() else ["pv", "buy"]
    else:
        steps = None
    view, group_of, rows = joined(df, o, steps)
    result = {
        "audit": audit,
        "kpis": kpis(df),
        "funnel": None if steps is None else funnel(df, steps, parse_window(o.window), o.mode,
                                                       o.by, group_of),
        "retention": retention(df, o.period, o.retention_event),
        "hours": hours(df),
        "days": days(df),
        "lifecycle": lifecycle(df, o.period, o.churn_periods),
        "categories": top_keys(df, "category"),
        "items": top_keys(df, "item"),
        "tz": o.tz,
    }
    if view is not None:
        result["joined"] = view
    return result, rows


TAOBAO = "taobao_user_behavior_sample.csv"
EDGES = "events_funnel_edges.csv"
TZ = "events_retention_tz.csv"
CASES = {
    "taobao_default": (TAOBAO, []),
    "taobao_shanghai": (TAOBAO, ["--tz", "Asia/Shanghai"]),
    "taobao_strict": (TAOBAO, ["--mode", "strict"]),
    "taobao_strict_once": (TAOBAO, ["--mode", "strict_once"]),
    "taobao_by_category": (TAOBAO, ["--by", "category"]),
    "taobao_by_day_shanghai": (TAOBAO, ["--by", "day", "--tz", "Asia/Shanghai"]),
    "taobao_by_new_returning": (TAOBAO, ["--by", "new_returning"]),
    "taobao_week": (TAOBAO, ["--period", "week"]),
    "taobao_month_buy": (TAOBAO, ["--period", "month", "--retention-event", "buy"]),
    "taobao_buy_retention": (TAOBAO, ["--retention-event", "buy"]),
    "taobao_window_2h_fav": (TAOBAO, ["--funnel", "pv,fav,buy", "--window", "2h"]),
    "tianchi_default": ("tianchi_behavior_zh.csv", []),
    "tianchi_shanghai_by_category": ("tianchi_behavior_zh.csv",
                                     ["--tz", "Asia/Shanghai", "--by", "category"]),
    "edges_ordered": (EDGES, []),
    "edges_strict": (EDGES, ["--mode", "strict"]),
    "edges_strict_once": (EDGES, ["--mode", "strict_once"]),
    "edges_strict_dedup": (EDGES, ["--mode", "strict", "--dedup"]),
    "edges_pv_pv_buy_ordered": (EDGES, ["--funnel", "pv,pv,buy"]),
    "edges_pv_pv_buy_strict": (EDGES, ["--funnel", "pv,pv,buy", "--mode", "strict"]),
    "edges_pv_pv_buy_strict_once": (EDGES, ["--funnel", "pv,pv,buy", "--mode", "strict_once"]),
    "edges_window_30m": (EDGES, ["--window", "30m", "--by", "day"]),
    "edges_window_90000s_strict_once": (EDGES, ["--window", "90000", "--mode", "strict_once"]),
    "edges_by_category_strict": (EDGES, ["--by", "category", "--mode", "strict"]),
    "edges_new_returning_strict_once": (EDGES, ["--by", "new_returning",
                                                "--mode", "strict_once"]),
    "retention_utc": (TZ, []),
    "retention_shanghai": (TZ, ["--tz", "Asia/Shanghai"]),
    "retention_shanghai_week": (TZ, ["--tz", "Asia/Shanghai", "--period", "week"]),
    "retention_shanghai_month_buy": (TZ, ["--tz", "Asia/Shanghai", "--period", "month",
                                          "--retention-event", "buy"]),
    "retention_new_york_churn2": (TZ, ["--tz", "America/New_York", "--churn-periods", "2",
                                       "--by", "day"]),
    "datetime_text_shanghai": ("events_datetime_text.csv", ["--tz", "Asia/Shanghai"]),
    "datetime_text_utc": ("events_datetime_text.csv", []),
    "steps_map": ("events_steps_map.csv", ["--steps-map", "view=pv,addcart=cart,order=buy",
                                           "--mode", "strict"]),
    "pages": ("events_pages.csv", ["--funnel", "home,detail,cart,pay", "--window", "2h"]),
    "audit_headerless": ("events_audit_headerless.csv", []),
    "audit_headerless_dedup": ("events_audit_headerless.csv", ["--dedup"]),
    "audit_header_dedup": ("events_audit_header.csv", ["--dedup", "--mode", "strict"]),
    "one_day": ("events_one_day.csv", []),
    "date_only_shanghai": ("events_date_only.csv", ["--tz", "Asia/Shanghai"]),
    "joined_orders_profiles_by_tier": (TAOBAO, ["--orders", "data:events_join_orders.csv",
                                                "--profiles", "data:events_join_profiles.csv",
                                                "--by", "tier"]),
    "joined_profiles_shanghai_week_strict": (TAOBAO, ["--profiles",
                                                      "data:events_join_profiles.csv",
                                                      "--tz", "Asia/Shanghai", "--period", "week",
                                                      "--mode", "strict", "--by", "tier"]),
    "joined_orders_cn8_buy_retention": (TAOBAO, ["--orders", "data:events_join_orders.csv",
                                                 "--scheme", "cn8", "--as-of", "2017-12-04",
                                                 "--retention-event", "buy",
                                                 "--funnel", "pv,fav,buy"]),
}


def write_json(obj, path):
    text = json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    if path is None:
        sys.stdout.write(text)
    else:
        pathlib.Path(path).write_text(text, encoding="utf-8")


def main(argv):
    check_examples()
    check_periods()
    check_random()
    parser = options_parser()
    o = parser.parse_args(argv)
    if o.golden:
        out = pathlib.Path(o.golden)
        out.mkdir(parents=True, exist_ok=True)
        for name, (input_name, args) in CASES.items():
            case_options = parser.parse_args([input_name] + args)
            golden = {"case": {"command": "events", "input": input_name, "args": args}}
            result, rows = report(DATA / input_name, case_options)
            if result.get("joined"):
                for source in ("rfm_tier", "profile_tier"):
                    if result["joined"][source]:
                        result["joined"][source]["files"] = None  # paths differ; not compared
                golden["case"]["customers"] = f"{name}.customers.csv"
                write_customers(rows, case_options, out / f"{name}.customers.csv")
            golden.update(result)
            write_json(golden, out / f"{name}.json")
        return
    if not o.input:
        parser.error("INPUT or --golden is required")
    result, rows = report(o.input, o)
    if o.customers and rows is not None:
        write_customers(rows, o, o.customers)
    write_json(result, o.out)


if __name__ == "__main__":
    main(sys.argv[1:])
