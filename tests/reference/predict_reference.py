#!/usr/bin/env python3
"""Independent reference of predict's evaluation and targeting (docs/predict.md, "Evaluation"
and "Targeting and profit"), from the contract alone: scikit-learn, numpy and pandas.

Reads a scores CSV (`customer_id, split, label, score`, the format of `predict --scores`), keeps
the rows whose split is "test" in file order, and writes one golden JSON with: roc_auc_score,
roc_curve(drop_intermediate=True), DeLong's standard error and 95 % interval by the slow
O(m·n) placement-value form (numpy, not the fast algorithm the C++ uses), brier_score_loss, the
10-bin calibration table, gains and lift by decile, and the profit curve for each
`--targeting COST,MARGIN[,BUDGET]` (a fixed margin per conversion).

    predict_reference.py SCORES.csv --out GOLDEN.json [--targeting 1.5,10,150 ...]
    predict_reference.py --make-sample OUT.csv [--seed 11] [--customers 3000]
"""
import argparse
import json
import math
import sys

import numpy as np
import pandas as pd
from scipy.stats import norm
from sklearn.metrics import brier_score_loss, roc_auc_score, roc_curve


def make_sample(path, seed, customers):
    """A seeded scores file with ties (half the scores rounded to 2 decimals), scores exactly on
    the calibration edges (0, 0.3, 0.9, 1), train and test rows, labels drawn from the scores."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=customers)
    score = 1 / (1 + np.exp(-(latent * 1.3 - 0.6)))
    rounded = rng.random(customers) < 0.5
    score = np.where(rounded, np.round(score, 2), score)
    edges = rng.choice(customers, size=12, replace=False)
    score[edges] = np.array([0.0, 0.3, 0.9, 1.0] * 3)
    # Labels follow a noisier version of the latent, so the scores are informative but imperfect.
    p = 1 / (1 + np.exp(-(latent + rng.normal(scale=1.2, size=customers) - 0.5)))
    label = (rng.random(customers) < p).astype(int)
    split = np.where(rng.random(customers) < 0.3, "test", "train")
    ids = [f"C{10000 + i}" for i in range(customers)]
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write("customer_id,split,label,score\n")
        for i in range(customers):
            out.write(f"{ids[i]},{split[i]},{label[i]},{float(score[i])!r}\n")


def delong_slow(y, s):
    """DeLong's variance from the m × n matrix of pairwise comparisons (ties count half)."""
    x = s[y == 1]
    z = s[y == 0]
    m, n = len(x), len(z)
    psi = (x[:, None] > z[None, :]).astype(float) + 0.5 * (x[:, None] == z[None, :])
    auc = psi.mean()
    if m < 2 or n < 2:
        return auc, 0.0, 0.0, 1.0
    v10 = psi.mean(axis=1)
    v01 = psi.mean(axis=0)
    var = np.var(v10, ddof=1) / m + np.var(v01, ddof=1) / n
    se = math.sqrt(var)
    if auc <= 0 or auc >= 1 or se == 0:
        return auc, se, auc, auc
    logit = math.log(auc / (1 - auc))
    half = norm.ppf(0.975) * se / (auc * (1 - auc))
    return auc, se, 1 / (1 + math.exp(-(logit - half))), 1 / (1 + math.exp(-(logit + half)))


def calibration(y, s):
    edges = np.arange(11) / 10.0
    # Bin k holds edges[k] <= s < edges[k+1]; 1.0 goes to the last bin.
    b = np.clip(np.digitize(s, edges[1:10], right=False), 0, 9)
    rows = []
    for k in range(10):
        inside = b == k
        count = int(inside.sum())
        rows.append({
            "lower": float(edges[k]),
            "upper": float(edges[k + 1]),
            "customers": count,
            "mean_score": float(s[inside].mean()) if count else 0.0,
            "observed_rate": float(y[inside].mean()) if count else 0.0,
        })
    return rows


def ranked(df):
    """Score descending, ties in file order (a stable sort)."""
    return df.sort_values("score", ascending=False, kind="mergesort").reset_index(drop=True)


def gains(df):
    order = ranked(df)
    n = len(order)
    total = int(order["label"].sum())
    overall = total / n
    rows = []
    cum_c = cum_p = 0
    for d in range(10):
        part = order.iloc[d * n // 10:(d + 1) * n // 10]
        c = len(part)
        p = int(part["label"].sum())
        cum_c += c
        cum_p += p
        rate = p / c if c else 0.0
        rows.append({
            "decile": d + 1,
            "customers": c,
            "positives": p,
            "min_score": float(part["score"].min()) if c else 0.0,
            "max_score": float(part["score"].max()) if c else 0.0,
            "response_rate": rate,
            "gain": cum_p / total if total else 0.0,
            "lift": rate / overall if overall else 0.0,
            "cumulative_lift": (cum_p / cum_c / overall) if (overall and cum_c) else 0.0,
        })
    return rows


def point(threshold, contacted, score_sum, converters, revenue, expected_revenue, cost):
    spent = cost * contacted
    profit = revenue - spent
    return {
        "threshold": None if math.isinf(threshold) else float(threshold),
        "contacted": int(contacted),
        "expected_converters": float(score_sum),
        "converters": int(converters),
        "hit_rate": converters / contacted if contacted else 0.0,
        "revenue": float(revenue),
        "profit": float(profit),
        "expected_profit": float(expected_revenue - spent),
        "roi": float(profit / spent) if spent > 0 else None,
    }


def targeting(df, cost, margin, budget):
    order = ranked(df)
    value = np.full(len(order), float(margin))
    y = order["label"].to_numpy()
    s = order["score"].to_numpy()
    cum = pd.DataFrame({
        "contacted": np.arange(1, len(order) + 1),
        "score": np.cumsum(s),
        "converters": np.cumsum(y),
        "revenue": np.cumsum(y * value),
        "expected": np.cumsum(s * value),
    })
    # The last row of each run of equal scores closes the cut "score >= that score".
    last = np.r_[s[1:] != s[:-1], True]
    curve = [point(math.inf, 0, 0.0, 0, 0.0, 0.0, cost)]
    for i in np.flatnonzero(last):
        r = cum.iloc[i]
        curve.append(point(s[i], r["contacted"], r["score"], r["converters"], r["revenue"],
                           r["expected"], cost))
    profits = np.array([p["profit"] for p in curve])
    best = int(np.argmax(profits))  # first maximum: the fewest contacts
    out = {
        "contact_cost": cost,
        "margin": margin,
        "curve": curve,
        "best_index": best,
        "best": curve[best],
        "all": curve[-1],
        "budget_requested": budget,
        "budget": None,
    }
    if budget is not None:
        k = min(budget, len(order))
        if k == 0:
            out["budget"] = point(math.inf, 0, 0.0, 0, 0.0, 0.0, cost)
        else:
            r = cum.iloc[k - 1]
            out["budget"] = point(s[k - 1], r["contacted"], r["score"], r["converters"],
                                  r["revenue"], r["expected"], cost)
    return out


def evaluate(path, specs):
    df = pd.read_csv(path, dtype={"customer_id": str, "split": str})
    test = df[df["split"] == "test"].reset_index(drop=True)
    y = test["label"].to_numpy().astype(int)
    s = test["score"].to_numpy().astype(float)
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=True)
    thr = [float(t) for t in thr]
    # sklearn < 1.3 writes max + 1 as the first threshold, later versions inf: both mean "none".
    thr[0] = None
    auc, se, lo, hi = delong_slow(y, s)
    result = {
        "source": path.split("/")[-1],
        "customers": int(len(test)),
        "positives": int(y.sum()),
        "auc": float(roc_auc_score(y, s)),
        "auc_placement": float(auc),
        "auc_se": float(se),
        "auc_ci_lower": float(lo),
        "auc_ci_upper": float(hi),
        "auc_ci_method": "delong-logit",
        "brier": float(brier_score_loss(y, s)),
        "roc": {"fpr": [float(v) for v in fpr], "tpr": [float(v) for v in tpr], "threshold": thr},
        "calibration": calibration(y, s),
        "gains": gains(test),
        "targeting": [targeting(test, *spec) for spec in specs],
    }
    return result


def parse_spec(text):
    parts = text.split(",")
    if len(parts) not in (2, 3):
        raise argparse.ArgumentTypeError("--targeting COST,MARGIN[,BUDGET]")
    return (float(parts[0]), float(parts[1]), int(parts[2]) if len(parts) == 3 else None)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scores", nargs="?")
    ap.add_argument("--out")
    ap.add_argument("--targeting", type=parse_spec, action="append", default=[])
    ap.add_argument("--make-sample")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--customers", type=int, default=3000)
    args = ap.parse_args()
    if args.make_sample:
        make_sample(args.make_sample, args.seed, args.customers)
        return 0
    if not args.scores or not args.out:
        ap.error("SCORES and --out are required")
    result = evaluate(args.scores, args.targeting)
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(result, out, indent=1)
        out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
