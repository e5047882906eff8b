#!/usr/bin/python3
"""pandas peer for bench/events_vs_peers.sh: what an analyst writes in pandas for
`custlens events --json` (docs/events.md) on a Taobao-layout behaviour log.

    pandas_events.py LOG.csv [--header] [--tz UTC] [--funnel pv,cart,buy] [--window 86400]

Prints one JSON line with the keys it computes: audit, kpis, funnel (mode ordered: steps),
retention (period day, event any), hours, days, categories, items, tz; plus "seconds" (time per
stage). No lifecycle, breakdowns, --steps-map, --dedup, week/month periods or date-time texts.

Reading: the lines of the file (blank lines skipped, not counted), split on commas: it reads no
CSV quoting (the Taobao layout and `custlens gen events` write none), so a quoted comma would be
counted as a wrong field count. Columns user_id,item_id,category_id,behavior_type,timestamp in
this order (--header skips the first line). The rules are docs/events.md's for the headerless
layout: malformed = a field count other than 5, a trimmed timestamp that is not an integer
(13 digits: milliseconds) or decimal number, a trimmed behaviour not in pv, fav, cart, buy;
missing_customer = an empty trimmed user; duplicates = kept rows equal in all five raw fields to
an earlier kept row. Vectorised throughout; the funnel is the `ordered` windowFunnel of
docs/events.md as running maxima per user (groupby cummax + ffill)."""
import argparse
import csv
import json
import math
import re
import sys
import time

import numpy as np
import pandas as pd

BEHAVIOURS = ["pv", "fav", "cart", "buy"]
INT_RE = re.compile(r"^[+-]?\d+$")
DECIMAL_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def ratio(a, b):
    return None if b == 0 else a / b


def seconds_of(text):
    """Unix seconds of a trimmed timestamp text that is not plain digits, or NaN."""
    if INT_RE.match(text):
        value = int(text)
        return float(value // 1000 if len(text.lstrip("+-")) == 13 else value)
    if DECIMAL_RE.match(text):
        value = float(text)
        return float(math.floor(value)) if math.isfinite(value) else math.nan
    return math.nan


def load(path, header, tz, stages):
    lines = pd.read_csv(path, header=None, names=["line"], sep="\x1f", dtype=str,
                        quoting=csv.QUOTE_NONE, keep_default_na=False, na_filter=False,
                        skip_blank_lines=True, encoding="utf-8", engine="c")
    if header:
        lines = lines.iloc[1:]
    rows_read = len(lines)
    five = lines.line.str.count(",") == 4
    fields = lines.line[five].str.split(",", expand=True)
    fields.columns = ["u", "i", "c", "b", "t"]
    del lines  # the line texts are not needed past here: their memory goes back
    stages["read"] = time.perf_counter()

    t = fields.t.str.strip()
    digits = t.str.isdigit() & t.map(str.isascii)
    ts = pd.Series(np.nan, index=fields.index)
    plain = t[digits].astype("int64")
    ts[digits] = np.where(t[digits].str.len() == 13, plain // 1000, plain).astype("float64")
    other = ~digits
    if other.any():
        ts[other] = t[other].map(seconds_of)
    behaviour = fields.b.str.strip()
    user = fields.u.str.strip()
    malformed = ts.isna() | ~behaviour.isin(BEHAVIOURS)
    missing = ~malformed & (user == "")
    kept = ~malformed & ~missing
    raw = fields[kept]
    duplicates = int(raw.duplicated().sum())
    audit = {"rows_read": rows_read, "malformed": int((~five).sum() + malformed.sum()),
             "missing_customer": int(missing.sum()), "duplicates": duplicates,
             "rows_kept": int(kept.sum())}

    ev = pd.DataFrame({
        "user": user[kept],
        "item": fields.i[kept].str.strip().replace("", None),
        "category": fields.c[kept].str.strip().replace("", None),
        "b": pd.Categorical(behaviour[kept], categories=BEHAVIOURS),
        "ts": ts[kept].astype("int64"),
    }).reset_index(drop=True)
    if tz == "UTC":
        ev["day"] = ev.ts // 86400
        ev["hour"] = (ev.ts % 86400) // 3600
    else:
        local = pd.to_datetime(ev.ts, unit="s", utc=True).dt.tz_convert(tz).dt.tz_localize(None)
        ev["day"] = local.values.astype("datetime64[D]").astype("int64")
        ev["hour"] = local.dt.hour
    stages["clean"] = time.perf_counter()
    return audit, ev


def day_text(day):
    return str(np.datetime64(int(day), "D"))


def kpis(ev):
    is_pv, is_buy = ev.b == "pv", ev.b == "buy"
    per_user = ev.groupby("user").agg(n=("b", "size"), pv=("b", lambda s: (s == "pv").sum()))
    uv = len(per_user)
    buys = ev[is_buy]
    buy_days = buys.groupby("user").day.nunique()
    pv, buy_users = int(is_pv.sum()), len(buy_days)
    bounced = int(((per_user.n == 1) & (per_user.pv == 1)).sum())
    return {"pv": pv, "uv": uv, "pv_per_uv": ratio(pv, uv), "buy_users": buy_users,
            "buys": int(is_buy.sum()), "conversion_rate": ratio(buy_users, uv),
            "repurchase_rate": ratio(int((buy_days >= 2).sum()), buy_users),
            "bounce_rate": ratio(bounced, uv)}


def funnel(ev, steps, window):
    f = ev[ev.b.isin(steps)][["user", "ts", "b"]].copy()
    f["step"] = f.b.map({s: i for i, s in enumerate(steps, start=1)}).astype("int64")
    f = f.sort_values(["user", "ts", "step"], kind="stable").reset_index(drop=True)
    ts = f.ts.astype("float64")
    start = ts.where(f.step == 1)
    at = start
    reached = [f.user[f.step == 1].nunique()]
    gaps = [None]
    for i in range(2, len(steps) + 1):
        # latest start / last step time of a level i-1 chain among the earlier entries: the
        # running max, NaN on this entry itself (only step i-1 entries carry them), forward-filled
        prev_start = start.groupby(f.user).cummax().groupby(f.user).ffill()
        prev_at = at.groupby(f.user).cummax().groupby(f.user).ffill()
        valid = (f.step == i) & (ts <= prev_start + window)
        start, at = prev_start.where(valid), ts.where(valid)
        first = (ts - prev_at)[valid].groupby(f.user[valid]).first()
        reached.append(len(first))
        gaps.append(first)
    out = []
    for j, step in enumerate(steps):
        n, entry = reached[j], {"step": step, "users": reached[j]}
        entry["conversion_from_previous"] = 1.0 if j == 0 else ratio(n, reached[j - 1])
        entry["conversion_from_first"] = ratio(n, reached[0])
        defined = j > 0 and n > 0
        entry["median_seconds_from_previous"] = float(gaps[j].median()) if defined else None
        entry["p90_seconds_from_previous"] = float(gaps[j].quantile(0.9)) if defined else None
        out.append(entry)
    return {"mode": "ordered", "window_seconds": window, "steps": out}


def retention(ev):
    ud = ev[["user", "day"]].drop_duplicates()
    cohort = ud.groupby("user").day.transform("min")
    counts = ud.groupby([cohort.rename("cohort"), (ud.day - cohort).rename("k")]).size()
    last = int(ev.day.max())
    cohorts = []
    for c, g in counts.groupby(level="cohort"):
        active = [0] * (last - int(c) + 1)
        for (_, k), n in g.items():
            active[int(k)] = int(n)
        cohorts.append({"cohort": day_text(c), "users": active[0], "active": active,
                        "share": [n / active[0] for n in active]})
    return {"period": "day", "event": "any", "cohorts": cohorts}


def tables(ev, column, extra_buy_users):
    g = ev.assign(pv=ev.b == "pv", buy=ev.b == "buy").groupby(column)
    table = pd.DataFrame({"pv": g.pv.sum(), "uv": g.user.nunique(), "buys": g.buy.sum()})
    if extra_buy_users:
        table["buy_users"] = ev[ev.b == "buy"].groupby(column).user.nunique()
        table["buy_users"] = table.buy_users.fillna(0)
    return table.astype("int64")


def top(ev, column):
    t = tables(ev[ev[column].notna()], column, True).rename_axis("key").reset_index()
    t = t.sort_values(["pv", "key"], ascending=[False, True], kind="stable").head(20)
    return [{"key": r.key, "pv": int(r.pv), "users": int(r.uv), "buys": int(r.buys),
             "buy_users": int(r.buy_users), "conversion": ratio(int(r.buys), int(r.pv))}
            for r in t.itertuples(index=False)]


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("input")
    p.add_argument("--header", action="store_true")
    p.add_argument("--tz", default="UTC")
    p.add_argument("--funnel")
    p.add_argument("--window", type=int, default=86400)
    o = p.parse_args(argv)
    steps = (o.funnel or "pv,cart,buy").split(",")
    if len(set(steps)) != len(steps):
        sys.exit("pandas_events: funnel steps must be distinct")
    stages = {"start": time.perf_counter()}
    audit, ev = load(o.input, o.header, o.tz, stages)
    result = {"audit": audit, "kpis": kpis(ev)}
    stages["kpis"] = time.perf_counter()
    has = set(ev.b.unique())
    result["funnel"] = (None if o.funnel is None and not {"pv", "buy"} <= has
                        else funnel(ev, steps, o.window))
    stages["funnel"] = time.perf_counter()
    result["retention"] = retention(ev)
    stages["retention"] = time.perf_counter()
    hours = tables(ev, "hour", False).reindex(range(24), fill_value=0)
    result["hours"] = [{"hour": h, "pv": int(r.pv), "uv": int(r.uv), "buys": int(r.buys)}
                       for h, r in hours.iterrows()]
    days = tables(ev, "day", True).sort_index()
    result["days"] = [{"day": day_text(d), "pv": int(r.pv), "uv": int(r.uv), "buys": int(r.buys),
                       "buy_users": int(r.buy_users)} for d, r in days.iterrows()]
    result["categories"] = top(ev, "category")
    result["items"] = top(ev, "item")
    result["tz"] = o.tz
    stages["tables"] = time.perf_counter()
    names = list(stages)
    result["seconds"] = {b: round(stages[b] - stages[a], 3) for a, b in zip(names, names[1:])}
    print(json.dumps(result, allow_nan=False))


if __name__ == "__main__":
    main(sys.argv[1:])
