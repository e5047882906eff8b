#!/usr/bin/env python3
"""Independent pandas reference for the customer features of `custlens predict`.

Reads an order file, applies the cleaning rules itself (missing customer, cancelled invoice,
non-positive quantity / price / amount), and computes every feature of docs/predict.md
("Features") for the customers with an order before the cut, plus the label (a purchase in
[cut, as_of)). Written from the contract in docs/predict.md, not from the C++ code.

Usage: predict_features_reference.py --out DIR   (writes DIR/<dataset>_<cut>.csv)
"""
import argparse
import math
import os
import re

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
WINDOWS = (30, 90, 180)
TOP_COUNTRIES = 10
HORIZON = 90


def normalise_customer(text):
    text = text.strip()
    m = re.fullmatch(r"([+-]?\d+)\.0+", text)
    return m.group(1) if m else text


def country_column(name):
    out = "country_"
    gap = False
    for ch in name:
        if ord(ch) < 0x80 and not ch.isalnum():
            gap = True
            continue
        if gap and len(out) > 8:
            out += "_"
        gap = False
        out += ch.lower() if ord(ch) < 0x80 else ch
    return out


def load(path):
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    cols = {c.lower(): c for c in raw.columns}
    df = pd.DataFrame({"customer": raw[cols["customerid"]].map(normalise_customer)})
    df["invoice"] = raw[cols["invoiceno"]].str.strip()
    df["ts"] = pd.to_datetime(raw[cols["invoicedate"]])
    df["day"] = (df["ts"].values.astype("datetime64[s]").astype(np.int64) // 86400).astype(np.int64)
    lines = "quantity" in cols
    if lines:
        df["quantity"] = raw[cols["quantity"]].astype(float)
        price = raw[cols["unitprice"]].astype(float)
        df["amount"] = df["quantity"] * price
        bad_value = (df["quantity"] <= 0) | (price <= 0)
    else:
        df["quantity"] = 0.0
        df["amount"] = raw[cols["totalprice"]].astype(float)
        bad_value = df["amount"] <= 0
    df["description"] = raw[cols["description"]] if "description" in cols else ""
    df["country"] = raw[cols["country"]] if "country" in cols else ""
    has_customer = df["customer"] != ""
    cancelled = has_customer & df["invoice"].str.startswith("C")
    kept = has_customer & ~cancelled & ~bad_value
    flags = {
        "lines": lines or "description" in cols,
        "quantity": lines,
        "description": "description" in cols,
        "country": "country" in cols,
    }
    return df[kept].copy(), df[cancelled].copy(), flags


def features(kept, cancelled, flags, cut):
    # Orders: (customer, invoice, day); country of the order's first line in file order.
    orders = (
        kept.reset_index()
        .groupby(["customer", "invoice", "day"], sort=False)
        .agg(
            amount=("amount", "sum"),
            lines=("amount", "size"),
            quantity=("quantity", "sum"),
            country=("country", "first"),
            first_row=("index", "min"),
        )
        .reset_index()
    )
    before = orders[orders["day"] < cut]
    out = {}
    for customer, g in before.groupby("customer", sort=False):
        g = g.sort_values(["day", "first_row"])
        days = g["day"].to_numpy()
        n = len(g)
        row = {}
        row["recency_days"] = cut - days[-1]
        row["frequency"] = n
        row["monetary"] = g["amount"].sum()
        row["tenure_days"] = cut - days[0]
        row["avg_order_value"] = row["monetary"] / n
        gaps = np.diff(days).astype(float)
        row["gap_mean_days"] = gaps.mean() if n >= 2 else math.nan
        row["gap_sd_days"] = gaps.std(ddof=1) if n >= 3 else math.nan
        age = cut - days
        for w in WINDOWS:
            now = age <= w
            prev = (age > w) & (age <= 2 * w)
            amounts = g["amount"].to_numpy()
            row[f"orders_{w}d"] = now.sum()
            row[f"spend_{w}d"] = amounts[now].sum()
            row[f"orders_trend_{w}d"] = now.sum() - prev.sum()
            row[f"spend_trend_{w}d"] = amounts[now].sum() - amounts[prev].sum()
        kept_lines = g["lines"].sum()
        if flags["lines"]:
            row["basket_lines"] = kept_lines / n
        if flags["quantity"]:
            row["basket_quantity"] = g["quantity"].sum() / n
        if flags["description"]:
            mine = kept[(kept["customer"] == customer) & (kept["day"] < cut)]
            row["distinct_products"] = mine.loc[mine["description"] != "", "description"].nunique()
        ncancel = ((cancelled["customer"] == customer) & (cancelled["day"] < cut)).sum()
        row["cancellation_share"] = ncancel / (ncancel + kept_lines)
        if flags["country"]:
            counts = g.loc[g["country"] != "", "country"].value_counts()
            if len(counts):
                top = counts.max()
                row["main_country"] = sorted(c for c, k in counts.items() if k == top)[0]
            else:
                row["main_country"] = None
        out[customer] = row
    table = pd.DataFrame.from_dict(out, orient="index")
    if flags["country"]:
        per_country = table["main_country"].dropna().value_counts()
        ranked = sorted(per_country.items(), key=lambda kv: (-kv[1], kv[0].encode()))
        columns = []
        for name, _ in ranked[:TOP_COUNTRIES]:
            column = country_column(name)
            if column not in columns:
                columns.append(column)
        main_column = table["main_country"].map(
            lambda c: None if c is None or (isinstance(c, float) and math.isnan(c)) else country_column(c)
        )
        for column in columns:
            table[column] = (main_column == column).astype(int)
        table["country_other"] = (main_column.notna() & ~main_column.isin(columns)).astype(int)
        table = table.drop(columns="main_country")
    return table


def write(table, labels, path):
    with open(path, "w", newline="\n") as f:
        f.write(",".join(["customer_id", "label"] + list(table.columns)) + "\n")
        for customer, row in table.iterrows():
            values = [customer, str(int(labels[customer]))]
            for v in row:
                v = float(v)
                values.append("nan" if math.isnan(v) else repr(v))
            f.write(",".join(values) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for file in ("predict_orders.csv", "online_retail_invoices.csv"):
        kept, cancelled, flags = load(os.path.join(DATA, file))
        # Cancellations need an invoice column (both datasets have one).
        as_of = int(kept["day"].max()) + 1
        # The apply cut (as_of) on the line fixture only: the invoice file's would be 600 kB more.
        for cut in (as_of - HORIZON, as_of) if file == "predict_orders.csv" else (as_of - HORIZON,):
            table = features(kept, cancelled, flags, cut)
            # Rows in order of the customer's first kept line in the file (the scan's ids).
            first_seen = {c: i for i, c in enumerate(dict.fromkeys(kept["customer"]))}
            table = table.loc[sorted(table.index, key=first_seen.__getitem__)]
            later = set(kept.loc[(kept["day"] >= cut) & (kept["day"] < as_of), "customer"])
            labels = {c: c in later for c in table.index}
            date = pd.Timestamp(cut * 86400, unit="s").strftime("%Y-%m-%d")
            write(table, labels, os.path.join(args.out, f"{os.path.splitext(file)[0]}_{date}.csv"))


if __name__ == "__main__":
    main()
