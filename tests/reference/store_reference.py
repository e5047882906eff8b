#!/usr/bin/python3
"""Independent pandas reference for the run store's KPIs (`custlens history`) and the tier
migration between two runs (`custlens migrate`), written from docs/store.md.

    /usr/bin/python3 tests/reference/store_reference.py FIRST SECOND --scheme five --out DIR

reads two order files (two snapshots of one shop), computes each one's customer table and tiers
with the RFM reference (rfm_reference.py), and writes DIR/history.json (the KPIs of each run and
the change of the second from the first), DIR/migration.json (the `migrate --json` matrix) and
DIR/movers.csv (the customers whose tier changed, as `migrate --customers` writes them).
"""

import argparse
import csv
import json
import os
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rfm_reference as rfm  # noqa: E402


def snapshot(path, scheme):
    """The customer table with tiers, and the scheme's tiers in order."""
    overrides = {role: None for role in rfm.ROLE_ALIASES}
    audit, lines, has_invoice = rfm.clean(path, overrides, False)
    customers, as_of = rfm.customer_table(lines, has_invoice, None)
    summary = rfm.summarise(audit, customers, as_of, scheme)
    tiers = [s["name"] for s in summary["segments"]]
    return customers, tiers, summary


def kpis(customers, summary):
    n = len(customers)
    revenue = float(customers.monetary.sum())
    orders = int(customers.frequency.sum())
    out = {
        "customers": n,
        "revenue": revenue,
        "orders": orders,
        "aov": revenue / orders,
        "repurchase_rate": float((customers.frequency >= 2).sum()) / n,
        "rows_read": summary["audit"]["rows_read"],
        "rows_kept": summary["audit"]["rows_kept"],
        "top20_revenue_share": summary["pareto"]["top20pct_revenue_share"],
    }
    for s in summary["segments"]:
        out[f"tier.{s['name']}.customer_share"] = s["customer_share"]
        out[f"tier.{s['name']}.revenue_share"] = s["revenue_share"]
        if s["name"] == "Lost":
            out["churn_share"] = s["customer_share"]
    return out


def migration(first, second, from_tiers, to_tiers):
    a = first[["customer_id", "segment", "monetary", "recency_days", "frequency"]]
    b = second[["customer_id", "segment", "monetary", "recency_days", "frequency"]]
    both = a.merge(b, on="customer_id", suffixes=("_from", "_to"), how="inner")
    cells = []
    for f in from_tiers:
        for t in to_tiers:
            members = both[(both.segment_from == f) & (both.segment_to == t)]
            cells.append(
                {
                    "from": f,
                    "to": t,
                    "customers": len(members),
                    "revenue_from": float(members.monetary_from.sum()),
                    "revenue_to": float(members.monetary_to.sum()),
                }
            )
    new = b[~b.customer_id.isin(a.customer_id)]
    gone = a[~a.customer_id.isin(b.customer_id)]
    rank_from = {t: i for i, t in enumerate(from_tiers)}
    rank_to = {t: i for i, t in enumerate(to_tiers)}
    moved = both[both.segment_from != both.segment_to]
    up = int(sum(rank_to[t] < rank_from[f] for f, t in zip(moved.segment_from, moved.segment_to)))
    result = {
        "from_tiers": from_tiers,
        "to_tiers": to_tiers,
        "cells": cells,
        "new": [
            {"tier": t, "customers": int((new.segment == t).sum()),
             "revenue": float(new[new.segment == t].monetary.sum())}
            for t in to_tiers
        ],
        "gone": [
            {"tier": t, "customers": int((gone.segment == t).sum()),
             "revenue": float(gone[gone.segment == t].monetary.sum())}
            for t in from_tiers
        ],
        "both": len(both),
        "stayed": len(both) - len(moved),
        "moved_up": up,
        "moved_down": len(moved) - up,
        "moved": len(moved),
    }
    movers = moved.assign(
        rank_f=moved.segment_from.map(rank_from), rank_t=moved.segment_to.map(rank_to)
    )
    # By from tier, to tier, then id in byte order (as Python compares str: code points).
    movers = movers.sort_values(["rank_f", "rank_t", "customer_id"], kind="mergesort")
    return result, movers


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first")
    parser.add_argument("second")
    parser.add_argument("--scheme", default="five", choices=["five", "cn8", "rfm11"])
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    c1, tiers1, s1 = snapshot(args.first, args.scheme)
    c2, tiers2, s2 = snapshot(args.second, args.scheme)
    k1, k2 = kpis(c1, s1), kpis(c2, s2)
    changes = {name: {"previous": k1[name], "change": k2[name] - k1[name]} for name in k2 if name in k1}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "history.json"), "w", encoding="utf-8") as handle:
        json.dump({"runs": [{"as_of": s1["as_of"], "kpis": k1}, {"as_of": s2["as_of"], "kpis": k2}],
                   "changes": changes}, handle, indent=2, sort_keys=True)
        handle.write("\n")
    result, movers = migration(c1, c2, tiers1, tiers2)
    with open(os.path.join(args.out, "migration.json"), "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2)
        handle.write("\n")
    with open(os.path.join(args.out, "movers.csv"), "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["customer_id", "from_tier", "to_tier", "recency_days_from",
                         "recency_days_to", "frequency_from", "frequency_to", "monetary_from",
                         "monetary_to"])
        for row in movers.itertuples(index=False):
            writer.writerow([row.customer_id, row.segment_from, row.segment_to,
                             int(row.recency_days_from), int(row.recency_days_to),
                             int(row.frequency_from), int(row.frequency_to),
                             f"{row.monetary_from:.2f}", f"{row.monetary_to:.2f}"])


if __name__ == "__main__":
    main(sys.argv[1:])
