#!/usr/bin/python3
"""Independent pandas reference for custlens sales patterns (src/analysis/patterns.cpp).

Input: tests/data/patterns_orders.csv, made by
    custlens gen orders --rows 3000 --customers 250 --seed 11 -o tests/data/patterns_orders.csv
Cleaning (the same rule the C++ test applies before building OrderLines): keep lines with a
CustomerID, an InvoiceNo not starting with "C", Quantity > 0 and UnitPrice > 0.

Outputs, under tests/reference/golden/:
    patterns_orders.json             orders = distinct invoices
    patterns_orders_no_invoice.json  orders = distinct (customer, calendar day) pairs
Categories come from share/categories.toml: the first keyword in file order found in the
description as a whole word (regex lookarounds on [A-Za-z0-9_], ASCII case-insensitive).

Run with Debian's interpreter from the repository root: /usr/bin/python3 tests/reference/patterns_reference.py
"""
import json
import pathlib
import re
import tomllib

import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "data" / "patterns_orders.csv"
CATEGORY_MAP = ROOT / "share" / "categories.toml"
GOLDEN = ROOT / "tests" / "reference" / "golden"
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def load_lines() -> pd.DataFrame:
    df = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)
    df["Quantity"] = pd.to_numeric(df["Quantity"])
    df["UnitPrice"] = df["UnitPrice"].map(float)  # correctly rounded, as strtod
    keep = (
        (df["CustomerID"] != "")
        & ~df["InvoiceNo"].str.startswith("C")
        & (df["Quantity"] > 0)
        & (df["UnitPrice"] > 0)
    )
    df = df[keep].copy()
    df["when"] = pd.to_datetime(df["InvoiceDate"], format="%Y-%m-%d %H:%M:%S")
    df["amount"] = df["Quantity"].astype(float) * df["UnitPrice"]
    df["month"] = df["when"].dt.strftime("%Y-%m")
    df["weekday"] = df["when"].dt.dayofweek.map(lambda d: WEEKDAYS[d])
    df["hour"] = df["when"].dt.hour.astype(str)
    df["customer_day"] = df["CustomerID"] + "|" + df["when"].dt.strftime("%Y-%m-%d")
    return df


def categorise(descriptions: pd.Series) -> pd.Series:
    with open(CATEGORY_MAP, "rb") as f:
        spec = tomllib.load(f)
    rules = []
    for category in spec["category"]:
        for keyword in category["keywords"]:
            pattern = r"(?<![A-Za-z0-9_])" + re.escape(keyword.strip()) + r"(?![A-Za-z0-9_])"
            rules.append((re.compile(pattern, re.IGNORECASE | re.ASCII), category["name"]))

    def first_match(text: str) -> str:
        for regex, name in rules:
            if regex.search(text):
                return name
        return "Other"

    return descriptions.map(first_match)


def buckets(df: pd.DataFrame, column: str, order_column: str, keys, total: float):
    grouped = df.groupby(column)
    table = pd.DataFrame(
        {
            "revenue": grouped["amount"].sum(),
            "orders": grouped[order_column].nunique(),
            "customers": grouped["CustomerID"].nunique(),
        }
    )
    if keys is not None:
        table = table.reindex(keys, fill_value=0)
    rows = [
        {
            "key": str(key),
            "revenue": float(row.revenue),
            "orders": int(row.orders),
            "customers": int(row.customers),
            "revenue_share": float(row.revenue) / total,
        }
        for key, row in table.iterrows()
    ]
    return rows


def patterns(df: pd.DataFrame, order_column: str) -> dict:
    total = float(df["amount"].sum())
    months = pd.period_range(df["when"].min(), df["when"].max(), freq="M").strftime("%Y-%m")
    countries = buckets(df, "Country", order_column, None, total)
    countries.sort(key=lambda b: (-b["revenue"], b["key"]))
    month_rows = buckets(df, "month", order_column, list(months), total)
    weekday_rows = buckets(df, "weekday", order_column, WEEKDAYS, total)
    hour_rows = buckets(df, "hour", order_column, [str(h) for h in range(24)], total)

    def peak(rows):  # the first maximum, as in listing order
        best = rows[0]
        for row in rows[1:]:
            if row["revenue"] > best["revenue"]:
                best = row
        return best["key"]

    grouped = df.groupby("category")
    categories = [
        {
            "category": name,
            "revenue": float(grouped["amount"].sum()[name]),
            "lines": int(grouped.size()[name]),
            "revenue_share": float(grouped["amount"].sum()[name]) / total,
        }
        for name in grouped.groups
    ]
    categories.sort(key=lambda b: (-b["revenue"], b["category"]))
    return {
        "revenue": total,
        "lines": int(len(df)),
        "countries": countries,
        "months": month_rows,
        "weekdays": weekday_rows,
        "hours": hour_rows,
        "peak_month": peak(month_rows),
        "peak_weekday": peak(weekday_rows),
        "peak_hour": int(peak(hour_rows)),
        "categories": categories,
    }


def main() -> None:
    df = load_lines()
    df["category"] = categorise(df["Description"])
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, order_column in [
        ("patterns_orders.json", "InvoiceNo"),
        ("patterns_orders_no_invoice.json", "customer_day"),
    ]:
        with open(GOLDEN / name, "w") as f:
            json.dump(patterns(df, order_column), f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"wrote {GOLDEN / name}")


if __name__ == "__main__":
    main()
