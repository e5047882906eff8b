#!/usr/bin/python3
"""Independent pandas reference for custlens sales patterns (src/analysis/patterns.cpp).

Input: tests/data/patterns_orders.csv, made by
    custlens gen orders --rows 3000 --customers 250 --seed 11 -o tests/data/patterns_orders.csv
Cleaning (the same rule the C++ test applies before building OrderLines): keep lines with a
CustomerID, an InvoiceNo not starting with "C", Quantity > 0 and UnitPrice > 0.

Outputs, under tests/reference/golden/:
    patterns_orders.json             orders = distinct invoices
    patterns_orders_no_invoice.json  orders = distinct (customer, calendar day) pairs
    patterns_online_retail_invoices.json
                                     tests/data/online_retail_invoices.csv: invoice totals
                                     (TotalPrice) with date-only InvoiceDate, no country and no
                                     description (so no countries and no categories)

What the data cannot support is not reported (docs/patterns.md, "What the data can support"):
  * hours: when every kept order time is at midnight (a date-only column) there is no time of
    day: `hours` is empty, `has_time_of_day` false and `peak_hour` null;
  * months: `days` is the number of the month's calendar days inside [first order day, last
    order day]; `partial` is true when that is fewer than the month has; `partial_months` lists
    them;
  * weekdays: `days` is how many dates of that weekday the range holds; a weekday with no order
    although the range holds it at least 4 times is listed in `closed_weekdays`.
Categories come from share/categories.toml: the first keyword in file order found in the
description as a whole word (regex lookarounds on [A-Za-z0-9_], ASCII case-insensitive).

Run with Debian's interpreter from the repository root: /usr/bin/python3 tests/reference/patterns_reference.py
"""
import argparse
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


CLOSED_WEEKDAY_MIN_DAYS = 4
INVOICES = ROOT / "tests" / "data" / "online_retail_invoices.csv"


def load_invoices() -> pd.DataFrame:
    """online_retail_invoices.csv: every row is kept by the cleaning rules (checked below)."""
    df = pd.read_csv(INVOICES, dtype=str, keep_default_na=False)
    df["amount"] = df["TotalPrice"].map(float)
    assert (df["CustomerID"] != "").all() and (df["amount"] > 0).all()
    assert not df["InvoiceNo"].str.startswith("C").any()
    df["when"] = pd.to_datetime(df["InvoiceDate"], format="%Y-%m-%d")
    df["month"] = df["when"].dt.strftime("%Y-%m")
    df["weekday"] = df["when"].dt.dayofweek.map(lambda d: WEEKDAYS[d])
    df["hour"] = df["when"].dt.hour.astype(str)
    df["customer_day"] = df["CustomerID"] + "|" + df["when"].dt.strftime("%Y-%m-%d")
    return df


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
    first_day, last_day = df["when"].min().normalize(), df["when"].max().normalize()
    periods = pd.period_range(first_day, last_day, freq="M")
    months = periods.strftime("%Y-%m")
    if "Country" in df:
        countries = buckets(df, "Country", order_column, None, total)
        countries.sort(key=lambda b: (-b["revenue"], b["key"]))
    else:
        countries = []
    month_rows = buckets(df, "month", order_column, list(months), total)
    for row, period in zip(month_rows, periods):
        start, end = period.start_time.normalize(), period.end_time.normalize()
        row["days"] = int((min(end, last_day) - max(start, first_day)).days) + 1
        row["partial"] = row["days"] < period.days_in_month
    weekday_rows = buckets(df, "weekday", order_column, WEEKDAYS, total)
    calendar = pd.date_range(first_day, last_day, freq="D")
    for row in weekday_rows:
        row["days"] = int((calendar.dayofweek == WEEKDAYS.index(row["key"])).sum())
    has_time_of_day = bool((df["when"] != df["when"].dt.normalize()).any())
    if has_time_of_day:
        hour_rows = buckets(df, "hour", order_column, [str(h) for h in range(24)], total)
    else:
        hour_rows = []

    def peak(rows):  # the first maximum, as in listing order
        best = rows[0]
        for row in rows[1:]:
            if row["revenue"] > best["revenue"]:
                best = row
        return best["key"]

    if "category" not in df:
        grouped = None
    else:
        grouped = df.groupby("category")
    categories = [] if grouped is None else [
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
        "has_time_of_day": has_time_of_day,
        "peak_month": peak(month_rows),
        "peak_weekday": peak(weekday_rows),
        "peak_hour": int(peak(hour_rows)) if hour_rows else None,
        "closed_weekdays": [
            row["key"]
            for row in weekday_rows
            if row["orders"] == 0 and row["days"] >= CLOSED_WEEKDAY_MIN_DAYS
        ],
        "partial_months": [row["key"] for row in month_rows if row["partial"]],
        "categories": categories,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=GOLDEN)
    parser.add_argument("--quiet", action="store_true")
    out = parser.parse_args().out
    quiet = parser.parse_args().quiet
    df = load_lines()
    df["category"] = categorise(df["Description"])
    invoices = load_invoices()
    out.mkdir(parents=True, exist_ok=True)
    for name, frame, order_column in [
        ("patterns_orders.json", df, "InvoiceNo"),
        ("patterns_orders_no_invoice.json", df, "customer_day"),
        ("patterns_online_retail_invoices.json", invoices, "InvoiceNo"),
    ]:
        with open(out / name, "w") as f:
            json.dump(patterns(frame, order_column), f, indent=1, ensure_ascii=False)
            f.write("\n")
        if not quiet:
            print(f"wrote {out / name}")


if __name__ == "__main__":
    main()
