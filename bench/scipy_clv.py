#!/usr/bin/python3
"""The job of `custlens clv FILE --calibration-end C --holdout-end H --json` as a Python user
writes it with pandas + scipy, for bench/clv_vs_scipy.sh.

    scipy_clv.py FILE --calibration-end YYYY-MM-DD --holdout-end YYYY-MM-DD

Reads a UCI-layout order file (InvoiceNo, Quantity, InvoiceDate, UnitPrice, CustomerID) with
pandas, cleans it as custlens clv does (docs/pipeline.md: drop lines without a customer, invoices
starting with C, Quantity <= 0, UnitPrice < 0; zero-priced lines are kept, a free purchase is a
purchase), makes one transaction per (customer, day) worth the sum of Quantity x UnitPrice, the
calibration summary (x, t_x, T in weeks, zbar, holdout purchases) with pandas group-bys, then fits
BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma with the scipy reference's own likelihoods and
optimiser (tests/reference/clv_reference.py: BFGS from three fixed starts, Newton polish to
max |gradient| < 1e-6, Hessian standard errors). The reference's `summarise` is a per-customer
Python loop written for 2,357 CDNOW customers; at a million it would dominate, so the summary here
is the vectorised group-by a pandas user would write (same definitions; on the 200 k-line
generated file its 2,391 customers' first day, x, t_x, T and holdout purchases equal the
reference's summarise exactly, zbar to 1.1e-15 relative).

Prints the stage times on stderr and one JSON object on the last line of stdout: customers,
repeat_customers, the four fits and `seconds` per stage."""
import argparse
import datetime as dt
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reference"))
import clv_reference as ref  # noqa: E402  (the models, their likelihoods and the optimiser)

EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def read_lines(path):
    return pd.read_csv(
        path,
        usecols=["InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"],
        dtype={"InvoiceNo": str, "CustomerID": str, "InvoiceDate": str,
               "Quantity": float, "UnitPrice": float},
    )


def clean(df):
    customer = df["CustomerID"].str.strip()
    keep = (customer.notna() & (customer != "")
            & ~df["InvoiceNo"].str.strip().str.startswith("C")
            & (df["Quantity"] > 0) & (df["UnitPrice"] >= 0))
    df = df[keep]
    stamp = pd.to_datetime(df["InvoiceDate"].str.slice(0, 10), format="%Y-%m-%d")
    day = (stamp.values.astype("datetime64[D]").astype(np.int64) + EPOCH_ORDINAL)
    return pd.DataFrame({"customer_id": customer[keep].to_numpy(), "day": day,
                         "value": (df["Quantity"] * df["UnitPrice"]).to_numpy()})


def summarise(lines, cal_end, holdout_end):
    """The reference's summary (tests/reference/README.md, "CLV") as pandas group-bys."""
    c, h = cal_end.toordinal(), holdout_end.toordinal()
    days = lines.groupby(["customer_id", "day"], sort=False)["value"].sum().reset_index()
    first = days.groupby("customer_id", sort=False)["day"].transform("min")
    days = days[first <= c].assign(first=first[first <= c])
    cal = days[days["day"] <= c]
    g = cal.groupby("customer_id", sort=False)
    summary = pd.DataFrame({"first": g["first"].first(), "x": g["day"].size() - 1,
                            "last": g["day"].max()})
    repeat_value = cal[cal["day"] != cal["first"]].groupby("customer_id", sort=False)["value"].sum()
    summary["zbar"] = repeat_value.reindex(summary.index) / summary["x"].where(summary["x"] > 0)
    summary["t_x"] = (summary["last"] - summary["first"]) / ref.UNIT
    summary["T"] = (c - summary["first"]) / ref.UNIT
    holdout = days[(days["day"] > c) & (days["day"] <= h)].groupby("customer_id").size()
    summary["holdout_x"] = holdout.reindex(summary.index, fill_value=0)
    return summary


def fit_grouped(summary, seconds):
    """ref.fit_all's fits, with the purchase models' likelihood summed over the distinct
    (x, t_x, T) weighted by their counts, as custlens does (per customer, scipy would take hours
    at a million customers)."""
    groups = summary.groupby(["x", "t_x", "T"], sort=True).size().reset_index(name="n")
    x, tx, T = ref._arrays(groups)
    weight = groups["n"].to_numpy(float)
    fits = {}
    for model in ref.MODELS:
        ll = ref.LOGLIK[model]
        start = time.perf_counter()
        fits[model] = ref.fit(lambda th: math.fsum(weight * ll(th, x, tx, T)), ref.PARAMS[model],
                              ref.STARTS[model])
        fits[model]["customers"] = len(summary)
        seconds[model] = time.perf_counter() - start
        print(f"scipy_clv: {model} {seconds[model]:.1f} s", file=sys.stderr, flush=True)
    repeat = summary[summary["x"] > 0]
    positive = repeat[repeat["zbar"] > 0]
    gx, gz = positive["x"].to_numpy(float), positive["zbar"].to_numpy(float)
    start = time.perf_counter()
    # On values in the hundreds the reference's BFGS from its fixed starts overflows; on values
    # divided by their mean it converges, and v, its se and log L map back exactly (v scales with
    # the values, log L loses the Jacobian n·log(scale)).
    scale = float(gz.mean())
    gg = ref.fit(lambda th: math.fsum(ref.ll_gamma_gamma(th, gx, gz / scale)),
                 ref.PARAMS["gamma_gamma"], ref.STARTS["gamma_gamma"])
    gg["v"] *= scale
    gg["se"]["v"] *= scale
    gg["log_likelihood"] -= len(gz) * math.log(scale)
    seconds["gamma_gamma"] = time.perf_counter() - start
    del gg["max_abs_gradient"]
    gg["customers"] = len(positive)
    gg["excluded"] = len(repeat) - len(positive)
    fits["gamma_gamma"] = gg
    return fits


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--calibration-end", required=True, type=dt.date.fromisoformat)
    ap.add_argument("--holdout-end", required=True, type=dt.date.fromisoformat)
    args = ap.parse_args()
    seconds = {}
    start = time.perf_counter()
    raw = read_lines(args.file)
    seconds["read"] = time.perf_counter() - start
    mark = time.perf_counter()
    lines = clean(raw)
    rows, kept = len(raw), len(lines)
    del raw
    seconds["clean"] = time.perf_counter() - mark
    mark = time.perf_counter()
    summary = summarise(lines, args.calibration_end, args.holdout_end)
    del lines
    seconds["summary"] = time.perf_counter() - mark
    print(f"scipy_clv: read {seconds['read']:.1f} s, clean {seconds['clean']:.1f} s, summary "
          f"{seconds['summary']:.1f} s ({len(summary)} customers)", file=sys.stderr, flush=True)
    fit_seconds = {}
    fits = fit_grouped(summary, fit_seconds)
    seconds.update(fit_seconds)
    seconds["total"] = time.perf_counter() - start
    print("scipy_clv: fits " + ", ".join(f"{m} {fit_seconds[m]:.1f} s" for m in fit_seconds),
          file=sys.stderr, flush=True)
    print(json.dumps({
        "rows": rows, "kept": kept, "customers": len(summary),
        "repeat_customers": int((summary["x"] > 0).sum()),
        "holdout_purchases": int(summary["holdout_x"].sum()),
        **fits, "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
