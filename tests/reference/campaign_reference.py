"""Independent reference for `custlens campaign --json` (docs/campaign.md).

Written from the contract, not from the C++ sources: orders cleaned and RFM tiers computed by the
pandas RFM reference (rfm_reference.py), the contact list read with the csv module, then
statsmodels proportions_ztest (pooled z test) and confint_proportions_2indep(method='wald'),
scipy ttest_ind(equal_var=False) with statsmodels' Welch interval (CompareMeans), CUPED by numpy, scipy chisquare for the
sample ratio, pandas for the breakdowns and the Qini curve.

    /usr/bin/python3 tests/reference/campaign_reference.py --golden DIR

writes DIR/<case>.json for each case below: the `campaign` object with the case's inputs and
arguments under "case" (tests/cli/campaign_golden_test.cpp runs them and compares).
"""

import argparse
import csv
import datetime as dt
import json
import math
import os
import re
import sys

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest
from statsmodels.stats.weightstats import CompareMeans

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rfm_reference  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")

# (name, orders, contacts, arguments)
CASES = [
    ("three_campaigns", "campaign_orders.csv", "campaign_contacts.csv", []),
    ("short_window_cn8", "campaign_orders.csv", "campaign_contacts.csv",
     ["--window", "14", "--margin", "0.25", "--planned-split", "0.5", "--scheme", "cn8"]),
    ("deciles_zh", "campaign_orders.csv", "campaign_targets_zh.csv",
     ["--window", "21", "--planned-split", "0.8", "--lang", "en"]),
]

MIN_OUTCOMES = 10
SRM_ALPHA = 0.001

ALIASES = {
    "customer": ["customerid", "userid", "customer", "客户id", "用户id"],
    "campaign": ["campaign", "活动"],
    "group": ["group", "组别"],
    "sent_at": ["sentat", "发送时间"],
    "channel": ["channel", "渠道"],
    "cost": ["cost", "成本"],
    "decile": ["decile", "十分位"],
    "score": ["score", "得分"],
}
TREATMENT = {"treatment", "test", "experiment", "treated", "实验组", "处理组", "测试组", "实验"}
CONTROL = {"control", "holdout", "hold-out", "对照组", "控制组", "对照"}
SENT_FORMATS = ["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%dT%H:%M", "%Y/%m/%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M"]
NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
RULES = ["malformed", "missing_customer", "missing_campaign", "bad_group", "bad_sent_at",
         "bad_cost", "bad_decile", "bad_score", "duplicate_contact"]


def parse_sent(text):
    for fmt in SENT_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    return None


def number(text):
    return float(text) if NUMBER_RE.match(text) else None


def read_contacts(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        records = list(csv.reader(handle))
    header = records[0]
    normalised = [re.sub(r"[\s_\-]", "", h).lower() for h in header]
    column = {}
    for role, names in ALIASES.items():
        for name in names:
            if name in normalised:
                column[role] = normalised.index(name)
                break
    counts = {rule: 0 for rule in RULES}
    kept = []
    stem = os.path.splitext(os.path.basename(path))[0]
    for record in records[1:]:
        if len(record) != len(header):
            counts["malformed"] += 1
            continue
        field = {role: record[i].strip() for role, i in column.items()}
        customer = rfm_reference.normalise_customer(field["customer"])
        campaign = field.get("campaign", stem)
        group = field["group"].lower()
        sent = parse_sent(field["sent_at"])
        cost = 0.0
        if not customer:
            counts["missing_customer"] += 1
        elif not campaign:
            counts["missing_campaign"] += 1
        elif group not in TREATMENT and group not in CONTROL:
            counts["bad_group"] += 1
        elif sent is None:
            counts["bad_sent_at"] += 1
        elif "cost" in field and field["cost"] and (number(field["cost"]) is None
                                                    or number(field["cost"]) < 0):
            counts["bad_cost"] += 1
        else:
            if "cost" in field and field["cost"]:
                cost = number(field["cost"])
            decile = int(field["decile"]) if "decile" in field else 0
            score = float(field["score"]) if "score" in field else 0.0
            kept.append({"customer_id": customer, "campaign": campaign,
                         "treatment": group in TREATMENT, "sent": pd.Timestamp(sent),
                         "channel": field.get("channel", ""), "cost": cost, "decile": decile,
                         "score": score})
    frame = pd.DataFrame(kept)
    times = frame.groupby(["campaign", "customer_id"])["customer_id"].transform("size")
    counts["duplicate_contact"] = int((times > 1).sum())
    frame = frame[times == 1].reset_index(drop=True)
    audit = {
        "rows_read": len(records) - 1,
        "rows_kept": len(frame),
        "rows_rejected": sum(counts.values()),
        "rejected": {rule: count for rule, count in counts.items() if count},
    }
    return frame, audit, "decile" in column, "score" in column


def optional(value):
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def group_stats(members, treatment):
    g = members[members.treatment == treatment]
    n = len(g)
    return {
        "customers": n,
        "converters": int(g.converted.sum()),
        "conversion_rate": float(g.converted.mean()) if n else 0.0,
        "revenue": float(g.revenue.sum()),
        "revenue_per_customer": float(g.revenue.mean()) if n else 0.0,
        "pre_revenue_per_customer": float(g.pre_revenue.mean()) if n else 0.0,
        "cost": float(g.cost.sum()),
        "without_orders": int((~g.has_orders).sum()),
    }


def welch(y_t, y_c):
    difference = float(np.mean(y_t) - np.mean(y_c)) if len(y_t) and len(y_c) else 0.0
    out = {"absolute": difference, "ci_lower": None, "ci_upper": None,
           "p_value": None, "df": None}
    if len(y_t) < 2 or len(y_c) < 2:
        return out
    a = np.var(y_t, ddof=1) / len(y_t)
    b = np.var(y_c, ddof=1) / len(y_c)
    if a + b <= 0:
        return out
    p_value = stats.ttest_ind(y_t, y_c, equal_var=False).pvalue
    compared = CompareMeans.from_data(y_t, y_c)
    low, high = compared.tconfint_diff(alpha=0.05, usevar="unequal")
    _, _, df = compared.ttest_ind(usevar="unequal")
    # scipy 1.10's t.ppf at a fractional df is off by ~1e-9 relative (t.sf of it misses 0.025 by
    # ~3e-10); one Newton step on t.sf makes the quantile exact to rounding, and the interval is
    # statsmodels' own centre and half-width rescaled to that quantile.
    quantile = stats.t.ppf(0.975, df)
    exact = quantile + (stats.t.sf(quantile, df) - 0.025) / stats.t.pdf(quantile, df)
    centre, half = (low + high) / 2, (high - low) / 2 * exact / quantile
    out.update(ci_lower=float(centre - half), ci_upper=float(centre + half),
               p_value=float(p_value), df=float(df))
    return out


def compare(members, margin):
    t = group_stats(members, True)
    c = group_stats(members, False)
    weak = any(g["converters"] < MIN_OUTCOMES or g["customers"] - g["converters"] < MIN_OUTCOMES
               for g in (t, c))
    uplift = {"absolute": 0.0, "relative": None, "ci_lower": None, "ci_upper": None,
              "p_value": None}
    if t["customers"] and c["customers"]:
        p_t, p_c = t["conversion_rate"], c["conversion_rate"]
        uplift["absolute"] = p_t - p_c
        uplift["relative"] = (p_t - p_c) / p_c if p_c > 0 else None
        pooled = (t["converters"] + c["converters"]) / (t["customers"] + c["customers"])
        if not weak and 0 < pooled < 1:
            low, high = confint_proportions_2indep(t["converters"], t["customers"],
                                                   c["converters"], c["customers"],
                                                   method="wald", compare="diff")
            _, p = proportions_ztest([t["converters"], c["converters"]],
                                     [t["customers"], c["customers"]])
            uplift.update(ci_lower=float(low), ci_upper=float(high), p_value=float(p))
    y_t = members[members.treatment].revenue.to_numpy()
    y_c = members[~members.treatment].revenue.to_numpy()
    revenue = welch(y_t, y_c)
    revenue["absolute"] = t["revenue_per_customer"] - c["revenue_per_customer"]
    if weak:
        revenue.update(ci_lower=None, ci_upper=None, p_value=None, df=None)
    treated = t["customers"]
    incremental_conversions = uplift["absolute"] * treated
    incremental_revenue = revenue["absolute"] * treated
    profit = {
        "margin": margin,
        "incremental_conversions": incremental_conversions,
        "incremental_revenue": incremental_revenue,
        "treatment_cost": t["cost"],
        "incremental_profit": incremental_revenue * margin - t["cost"],
        "cost_per_incremental_conversion": (t["cost"] / incremental_conversions
                                            if incremental_conversions > 0 else None),
    }
    return {"groups": {"treatment": t, "control": c}, "weak": weak, "uplift": uplift,
            "revenue_uplift": revenue, "profit": profit}


def cuped(members, weak):
    x = members.pre_revenue.to_numpy()
    y = members.revenue.to_numpy()
    var_x = np.var(x, ddof=1)
    theta = float(np.cov(x, y, ddof=1)[0, 1] / var_x) if var_x > 0 else 0.0
    adjusted = y - theta * (x - x.mean())
    var_y = np.var(y, ddof=1)
    treat = members.treatment.to_numpy()
    out = welch(adjusted[treat], adjusted[~treat])
    if weak:
        out.update(ci_lower=None, ci_upper=None, p_value=None, df=None)
    out.update(theta=theta, mean_pre_revenue=float(x.mean()),
               variance_reduction=float(1 - np.var(adjusted, ddof=1) / var_y) if var_y > 0
               else 0.0)
    return out


def qini(members, by_score):
    key = -members.score if by_score else members.decile
    ranked = members.assign(key=key.to_numpy()).sort_values("key", kind="stable")
    n = len(ranked)
    n_t = ranked.treatment.cumsum().to_numpy()
    n_c = (~ranked.treatment).cumsum().to_numpy()
    conv_t = (ranked.treatment & ranked.converted).cumsum().to_numpy()
    conv_c = (~ranked.treatment & ranked.converted).cumsum().to_numpy()
    keys = ranked.key.to_numpy()
    ends = [i for i in range(n) if i + 1 == n or keys[i + 1] != keys[i]]
    full = [{"customers": 0, "population_share": 0.0, "incremental_conversions": 0.0}]
    for i in ends:
        q = conv_t[i] - (conv_c[i] * n_t[i] / n_c[i] if n_c[i] > 0 else 0.0)
        full.append({"customers": i + 1, "population_share": (i + 1) / n,
                     "incremental_conversions": float(q)})
    xs = np.array([p["population_share"] for p in full])
    ys = np.array([p["incremental_conversions"] for p in full])
    area = float(np.sum(np.diff(xs) * (ys[1:] + ys[:-1]) / 2))
    if len(full) <= 102:
        points = full
    else:
        points, last = [full[0]], 0
        for j, p in enumerate(full[1:], start=1):
            bucket = p["customers"] * 100 // n
            if bucket > last or j + 1 == len(full):
                points.append(p)
                last = bucket
    return {"ranked_by": "score" if by_score else "decile", "points": points,
            "coefficient": area - ys[-1] / 2}


def verdict(c):
    t, ctl = c["groups"]["treatment"], c["groups"]["control"]
    u = c["uplift"]
    text = (f"Treatment converted {100 * t['conversion_rate']:.1f}% vs "
            f"{100 * ctl['conversion_rate']:.1f}% in control: {100 * u['absolute']:+.1f} pp")
    if c["weak"] or u["p_value"] is None:
        return text + (f", but a group has fewer than {MIN_OUTCOMES} converters or non-converters "
                       f"(treatment {t['converters']} of {t['customers']}, control "
                       f"{ctl['converters']} of {ctl['customers']}): the normal approximation is "
                       "weak, so no interval or p-value is given and the effect cannot be told "
                       "from chance.")
    p = u["p_value"]
    p_text = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
    text += (f", 95 % CI {100 * u['ci_lower']:+.1f} to {100 * u['ci_upper']:+.1f}, {p_text}. ")
    return text + ("The effect is distinguishable from chance at the 5 % level." if p < 0.05 else
                   "The effect is not distinguishable from chance at the 5 % level.")


def read_out(orders_path, contacts_path, args):
    options = {"--window": "30", "--margin": "0.3", "--planned-split": None, "--scheme": "five"}
    for i in range(0, len(args), 2):
        options[args[i]] = args[i + 1]
    window = int(options["--window"])
    margin = float(options["--margin"])
    split = float(options["--planned-split"]) if options["--planned-split"] else None
    _, lines, has_invoice = rfm_reference.clean(orders_path, {}, False)
    lines = lines.copy()
    lines["day"] = lines.timestamp.dt.normalize()
    contacts, audit, has_decile, has_score = read_contacts(contacts_path)
    campaigns = []
    for name in dict.fromkeys(contacts.campaign):
        members = contacts[contacts.campaign == name].reset_index(drop=True)
        known = set(lines.customer_id)
        rows = []
        for contact in members.itertuples():
            mine = lines[lines.customer_id == contact.customer_id]
            start = contact.sent
            end = start + pd.Timedelta(days=window)
            before = start - pd.Timedelta(days=window)
            after = mine[(mine.day >= start) & (mine.day < end)]
            pre = mine[(mine.day >= before) & (mine.day < start)]
            rows.append({"converted": len(after) > 0, "revenue": float(after.amount.sum()),
                         "pre_revenue": float(pre.amount.sum()),
                         "has_orders": contact.customer_id in known})
        members = pd.concat([members, pd.DataFrame(rows)], axis=1)
        overall = compare(members, margin)
        out = {"name": name,
               "first_sent": members.sent.min().strftime("%Y-%m-%d"),
               "last_sent": members.sent.max().strftime("%Y-%m-%d"),
               "window_days": window,
               "channels": sorted({c for c in members.channel if c}),
               "contacts_without_orders": int((~members.has_orders).sum())}
        out.update(overall)
        control_rpc = overall["groups"]["control"]["revenue_per_customer"]
        out["revenue_uplift"]["relative"] = (overall["revenue_uplift"]["absolute"] / control_rpc
                                             if control_rpc != 0 else None)
        out["cuped"] = cuped(members, overall["weak"])
        out["srm"] = None
        if split is not None:
            observed = [int(members.treatment.sum()), int((~members.treatment).sum())]
            n = sum(observed)
            chi2, p = stats.chisquare(observed, [n * split, n * (1 - split)])
            out["srm"] = {"planned_treatment_share": split,
                          "observed_treatment_share": observed[0] / n,
                          "chi_square": float(chi2), "p_value": float(p),
                          "mismatch": bool(p < SRM_ALPHA)}
        # Tiers as of the first send day, from the lines before it (the pandas RFM reference).
        first = members.sent.min()
        history = lines[lines.day < first]
        customers, _ = rfm_reference.customer_table(history, has_invoice, first.to_pydatetime())
        names, segments = rfm_reference.assign_segments(customers, options["--scheme"])
        tier_of = dict(zip(customers.customer_id, names))
        members["tier"] = [tier_of.get(c, "(no prior orders)") for c in members.customer_id]
        zh_of = dict(segments)
        zh_of["(no prior orders)"] = "(无历史订单)"
        by_tier = []
        for level in [name for name, _ in segments] + ["(no prior orders)"]:
            subset = members[members.tier == level]
            if len(subset):
                row = compare(subset, margin)
                row.update(level=level, level_zh=zh_of[level])
                by_tier.append(row)
        out["scheme"] = options["--scheme"]
        out["tier_as_of"] = first.strftime("%Y-%m-%d")
        out["tiered_customers"] = len(customers)
        out["by_tier"] = by_tier
        by_decile = []
        if has_decile:
            for level in sorted(set(members.decile)):
                row = compare(members[members.decile == level], margin)
                row.update(level=str(level), level_zh=str(level))
                by_decile.append(row)
        out["by_decile"] = by_decile
        out["qini"] = qini(members, has_score) if (has_score or has_decile) else None
        out["verdict"] = verdict(overall)
        campaigns.append(out)
    return {"contacts": audit, "window_days": window, "margin": margin, "planned_split": split,
            "campaigns": campaigns}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--golden", required=True, help="folder for <case>.json")
    folder = parser.parse_args().golden
    os.makedirs(folder, exist_ok=True)
    for name, orders, contacts, args in CASES:
        result = read_out(os.path.join(DATA, orders), os.path.join(DATA, contacts), args)
        result["case"] = {"orders": orders, "contacts": contacts, "args": args}
        with open(os.path.join(folder, f"{name}.json"), "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2, ensure_ascii=False, sort_keys=True)
            handle.write("\n")


if __name__ == "__main__":
    main()
