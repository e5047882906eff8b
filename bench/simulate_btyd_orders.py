#!/usr/bin/python3
"""Order lines of customers who buy and then leave, for bench/clv_vs_scipy.sh.

    simulate_btyd_orders.py OUT.csv --customers N --rows R [--seed S]

`custlens gen orders` draws every invoice's customer from one fixed pool, so its customers never
leave: the buy-till-you-die models then sit at "no dropout" and a bench on it measures a boundary
search, not a fit. This simulates the Pareto/NBD process itself, with the published CDNOW
parameters (Fader & Hardie: r 0.553, alpha 10.578, s 0.606, beta 11.669, in weeks):
  - each customer's first purchase at a uniform time in the first 12 weeks from 2010-12-01;
  - purchase rate lambda ~ Gamma(r, 1/alpha), dropout rate mu ~ Gamma(s, 1/beta), lifetime
    ~ Exp(mu); repeat purchases a Poisson process at lambda until the lifetime or 2011-12-09 ends;
  - each purchase one invoice of 1 + Poisson(k) lines, k set so the file has about R lines;
    quantity 1..12, unit price lognormal around the customer's own price level.
Purchases on the same day become one transaction in the clv summary, so fitted parameters come
close to the true ones but need not equal them. Writes the UCI layout (InvoiceNo, StockCode,
Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country), sorted by time, and prints
the true parameters and counts as one JSON line."""
import argparse
import json

import numpy as np
import pandas as pd

TRUE = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
START = np.datetime64("2010-12-01T00:00:00")
END_WEEKS = (np.datetime64("2011-12-10") - np.datetime64("2010-12-01")).astype(int) / 7


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--customers", type=int, required=True)
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    n = args.customers
    first = rng.uniform(0, 12, n)  # weeks after START
    rate = rng.gamma(TRUE["r"], 1 / TRUE["alpha"], n)
    dropout = rng.gamma(TRUE["s"], 1 / TRUE["beta"], n)
    end = np.minimum(first + rng.exponential(1 / dropout), END_WEEKS)
    repeats = rng.poisson(rate * np.maximum(end - first, 0))
    owner = np.concatenate([np.arange(n), np.repeat(np.arange(n), repeats)])
    span = (end - first)[owner[n:]]
    when = np.concatenate([first, first[owner[n:]] + rng.uniform(0, 1, len(span)) * span])
    order = np.argsort(when, kind="stable")
    owner, when = owner[order], when[order]
    invoices = len(owner)
    lines = 1 + rng.poisson(max(args.rows / invoices - 1, 0), invoices)
    seconds = np.round(when * 7 * 86400).astype("int64")
    stamp = np.datetime_as_string(START + seconds.astype("timedelta64[s]"), unit="s")
    stamp = np.char.replace(stamp, "T", " ")
    price_level = rng.lognormal(1.0, 0.5, n)
    line_owner = np.repeat(owner, lines)
    total = len(line_owner)
    product = rng.integers(0, 500, total)
    frame = pd.DataFrame({
        "InvoiceNo": np.repeat(np.arange(536365, 536365 + invoices), lines),
        "StockCode": product + 20000,
        "Description": pd.Categorical.from_codes(product % 50,
                                                 [f"SIMULATED ITEM {k}" for k in range(50)]),
        "Quantity": rng.integers(1, 13, total),
        "InvoiceDate": np.repeat(stamp, lines),
        "UnitPrice": np.round(price_level[line_owner] * rng.lognormal(0, 0.3, total), 2),
        "CustomerID": line_owner + 100000,
        "Country": "United Kingdom",
    })
    frame.to_csv(args.out, index=False)
    print(json.dumps({"true": TRUE, "customers": n, "invoices": int(invoices),
                      "rows": int(total), "seed": args.seed}))


if __name__ == "__main__":
    main()
