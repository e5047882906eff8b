#!/usr/bin/python3
"""pandas peer for bench/rfm_vs_peers.sh: UCI order lines -> cleaning -> RFM -> customer CSV.

    /usr/bin/python3 bench/pandas_rfm.py orders.csv customers.csv

Idiomatic, vectorised pandas as a data analyst would write it, with the custlens cleaning
rules and quintile scores. Prints one JSON line: {"customers": N, "revenue": X}.
Two approximations, both without effect on the customer table of well-formed data: a row with
too few fields is padded rather than rejected (pandas' C parser cannot tell), and duplicates
are not counted (they are kept either way).
"""

import json
import sys

import numpy as np
import pandas as pd

DATE_FORMATS = ["%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


def choose_date_format(sample):
    counts = [pd.to_datetime(sample, format=f, errors="coerce").notna().sum() for f in DATE_FORMATS]
    return DATE_FORMATS[int(np.argmax(counts))]


def quintile(values, ascending=True):
    # rank(method='min') - 1 = customers with a strictly smaller (or larger) value.
    beaten = values.rank(method="min", ascending=ascending).astype(np.int64) - 1
    return 1 + (5 * beaten) // len(values)


def main(source, target):
    # Rows with too many fields are malformed: the C parser skips them.
    lines = pd.read_csv(source, dtype=str, keep_default_na=False, on_bad_lines="skip")
    invoice = lines["InvoiceNo"].str.strip()
    customer = lines["CustomerID"].str.strip().str.replace(r"^([+-]?\d+)\.0+$", r"\1", regex=True)
    quantity = pd.to_numeric(lines["Quantity"], errors="coerce")
    price = pd.to_numeric(lines["UnitPrice"], errors="coerce")
    date_format = choose_date_format(lines["InvoiceDate"].head(1000))
    timestamp = pd.to_datetime(lines["InvoiceDate"], format=date_format, errors="coerce")

    well_formed = quantity.notna() & price.notna() & timestamp.notna()
    keep = (
        well_formed
        & (customer != "")
        & ~invoice.str.startswith("C")
        & (quantity > 0)
        & (price > 0)
    )
    kept = pd.DataFrame(
        {
            "customer_id": customer[keep],
            "invoice": invoice[keep],
            "timestamp": timestamp[keep],
            "amount": (quantity * price)[keep],
        }
    )
    del lines

    grouped = kept.groupby("customer_id", sort=True)
    customers = grouped.agg(
        first_purchase=("timestamp", "min"),
        last_purchase=("timestamp", "max"),
        frequency=("invoice", "nunique"),
        monetary=("amount", "sum"),
    )
    as_of = customers["last_purchase"].max().normalize() + pd.Timedelta(days=1)
    customers["recency_days"] = (as_of - customers["last_purchase"].dt.normalize()).dt.days
    customers["tenure_days"] = (as_of - customers["first_purchase"].dt.normalize()).dt.days
    customers["r_score"] = quintile(customers["recency_days"], ascending=False)
    customers["f_score"] = quintile(customers["frequency"])
    # Monetary ties at 1e-6, rounded half away from zero (monetary is positive).
    customers["m_score"] = quintile(np.floor(customers["monetary"] * 1e6 + 0.5))
    customers["rfm_code"] = (
        customers["r_score"].astype(str)
        + customers["f_score"].astype(str)
        + customers["m_score"].astype(str)
    )
    r, f, m = customers["r_score"], customers["f_score"], customers["m_score"]
    customers["segment"] = np.select(
        [(r >= 4) & (f >= 4) & (m >= 4), (r >= 3) & (f >= 3) & (m >= 3), r >= 3, r == 1],
        ["Champions", "Loyal", "Potential", "Lost"],
        default="General",
    )
    customers["avg_order_value"] = customers["monetary"] / customers["frequency"]

    columns = [
        "recency_days", "frequency", "monetary", "first_purchase", "last_purchase", "r_score",
        "f_score", "m_score", "rfm_code", "segment", "tenure_days", "avg_order_value",
    ]
    customers[columns].to_csv(
        target, float_format="%.2f", date_format="%Y-%m-%d %H:%M:%S", index_label="customer_id"
    )
    print(json.dumps({"customers": len(customers), "revenue": float(customers["monetary"].sum())}))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: pandas_rfm.py ORDERS.csv CUSTOMERS.csv")
    main(sys.argv[1], sys.argv[2])
