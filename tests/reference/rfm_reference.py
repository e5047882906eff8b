#!/usr/bin/python3
"""Independent pandas reference for `custlens rfm`: cleaning audit, customer table, tiers, Pareto.

Written from the RFM / cleaning contract alone (never from the C++ sources) so that the golden
files it produces can catch mistakes in either. Clarity over speed: it is a reference.

    /usr/bin/python3 tests/reference/rfm_reference.py INPUT --scheme five --out DIR

writes DIR/summary.json (the `rfm --json` object) and DIR/customers.csv (the customer table).
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

# Header aliases per column role, compared case-insensitively with spaces and '_' removed.
ROLE_ALIASES = {
    "invoice": ["invoiceno", "invoice", "invoiceid", "orderid"],
    "date": ["invoicedate", "date", "orderdate", "timestamp"],
    "customer": ["customerid", "customer", "userid"],
    "quantity": ["quantity", "qty"],
    "price": ["unitprice", "price"],
    "amount": ["totalprice", "amount", "total", "sales"],
}

# Candidate formats for text dates; one format per file: the one that parses the most values.
DATE_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",
]

# A plain decimal number; Python's float() would also take "nan", "inf", "1_0" and padding.
NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# An integer written as a float ("17850.0") names the same customer as "17850".
FLOAT_INTEGER_RE = re.compile(r"^([+-]?\d+)\.0+$")

AUDIT_KEYS = [
    "rows_read",
    "malformed",
    "missing_customer",
    "cancelled",
    "non_positive_quantity",
    "non_positive_price",
    "duplicates",
    "outliers_dropped",
    "rows_kept",
    "customers_kept",
]

# The outlier step (docs/outliers.md): flagged values listed per field, in row order.
OUTLIER_EXAMPLES = 5

CUSTOMER_COLUMNS = [
    "customer_id",
    "recency_days",
    "frequency",
    "monetary",
    "first_purchase",
    "last_purchase",
    "r_score",
    "f_score",
    "m_score",
    "rfm_code",
    "segment",
    "tenure_days",
    "avg_order_value",
]


# ---------------------------------------------------------------------------------------------
# Tier schemes. Each segment: (english name, chinese name, predicate on (r, f, m) scores or on
# the customer row). Output order is the list order; evaluation order is given separately.


def _in(value, low, high):
    return low <= value <= high


FIVE_SEGMENTS = [
    ("Champions", "冠军客户"),
    ("Loyal", "忠实客户"),
    ("Potential", "潜力客户"),
    ("General", "一般客户"),
    ("Lost", "流失客户"),
]


def five_segment(r, f, m):
    if r >= 4 and f >= 4 and m >= 4:
        return "Champions"
    if r >= 3 and f >= 3 and m >= 3:
        return "Loyal"
    if r >= 3:
        return "Potential"
    if r == 1:
        return "Lost"
    return "General"


CN8_SEGMENTS = [
    ("Important Value", "重要价值客户", "HHH"),
    ("Important Retain", "重要保持客户", "LHH"),
    ("Important Develop", "重要发展客户", "HLH"),
    ("Important Win-back", "重要挽留客户", "LLH"),
    ("General Value", "一般价值客户", "HHL"),
    ("General Retain", "一般保持客户", "LHL"),
    ("General Develop", "一般发展客户", "HLL"),
    ("General Win-back", "一般挽留客户", "LLL"),
]

# (name, name_zh, R range, F range, M range), in output order.
RFM11_TABLE = [
    ("Champions", "冠军客户", (4, 5), (4, 5), (4, 5)),
    ("Loyal Customers", "忠诚客户", (3, 5), (3, 5), (3, 5)),
    ("Potential Loyalist", "潜在忠诚客户", (3, 5), (2, 3), (2, 3)),
    ("New Customers", "新客户", (4, 5), (1, 1), (1, 5)),
    ("Promising", "有潜力客户", (3, 3), (1, 1), (1, 5)),
    ("Can't Lose Them", "不能失去的客户", (1, 1), (4, 5), (4, 5)),
    ("At Risk", "有流失风险客户", (1, 2), (3, 5), (3, 5)),
    ("Need Attention", "需要关注客户", (2, 3), (2, 3), (2, 3)),
    ("About To Sleep", "即将沉睡客户", (2, 3), (1, 2), (1, 2)),
    ("Hibernating", "休眠客户", (1, 2), (1, 5), (1, 5)),
    ("Lost", "流失客户", (1, 1), (1, 1), (1, 1)),
]
RFM11_OTHERS = ("Others", "其他客户")
# Lost (R1 F1 M1) is a subset of Hibernating, so it is tested first to be reachable.
RFM11_EVALUATION = [row[0] for row in RFM11_TABLE if row[0] not in ("Hibernating", "Lost")] + [
    "Lost",
    "Hibernating",
]


def rfm11_segment(r, f, m):
    ranges = {row[0]: row[2:] for row in RFM11_TABLE}
    for name in RFM11_EVALUATION:
        r_range, f_range, m_range = ranges[name]
        if _in(r, *r_range) and _in(f, *f_range) and _in(m, *m_range):
            return name
    return RFM11_OTHERS[0]


def assign_segments(customers, scheme):
    """Returns (segment names per customer, [(name, name_zh)] in output order)."""
    if scheme == "five":
        names = [
            five_segment(r, f, m)
            for r, f, m in zip(customers.r_score, customers.f_score, customers.m_score)
        ]
        return names, FIVE_SEGMENTS
    if scheme == "cn8":
        mean_recency = customers.recency_days.mean() if len(customers) else 0.0
        mean_frequency = customers.frequency.mean() if len(customers) else 0.0
        mean_monetary = customers.monetary.mean() if len(customers) else 0.0
        by_code = {code: name for name, _, code in CN8_SEGMENTS}
        names = []
        for recency, frequency, monetary in zip(
            customers.recency_days, customers.frequency, customers.monetary
        ):
            code = (
                ("H" if recency < mean_recency else "L")
                + ("H" if frequency > mean_frequency else "L")
                + ("H" if monetary > mean_monetary else "L")
            )
            names.append(by_code[code])
        return names, [(name, zh) for name, zh, _ in CN8_SEGMENTS]
    if scheme == "rfm11":
        names = [
            rfm11_segment(r, f, m)
            for r, f, m in zip(customers.r_score, customers.f_score, customers.m_score)
        ]
        return names, [(row[0], row[1]) for row in RFM11_TABLE] + [RFM11_OTHERS]
    raise SystemExit(f"unknown scheme '{scheme}' (five, cn8, rfm11)")


# ---------------------------------------------------------------------------------------------
# Reading: every input row becomes either a reject reason or a parsed line.


def normalise_header(name):
    return re.sub(r"[\s_]", "", str(name)).lower()


def map_roles(header, overrides):
    normalised = [normalise_header(h) for h in header]
    roles = {}
    for role, aliases in ROLE_ALIASES.items():
        wanted = overrides.get(role)
        if wanted is not None:
            if wanted not in header:
                raise SystemExit(f"column '{wanted}' not found in {header}")
            roles[role] = header.index(wanted)
            continue
        for alias in aliases:
            if alias in normalised:
                roles[role] = normalised.index(alias)
                break
    if "customer" not in roles or "date" not in roles:
        raise SystemExit(f"need customer and date columns; header is {header}")
    if not ("quantity" in roles and "price" in roles) and "amount" not in roles:
        raise SystemExit(f"need quantity and unit price, or an amount column; header is {header}")
    return roles


def parse_number(value):
    """A float, or None when the cell is empty or not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return None if (isinstance(value, float) and math.isnan(value)) else float(value)
    if value is None:
        return None
    text = str(value).strip()
    if not NUMBER_RE.match(text):
        return None
    return float(text)


def choose_date_format(values):
    best, best_count = None, -1
    for fmt in DATE_FORMATS:
        count = 0
        for value in values:
            try:
                dt.datetime.strptime(value, fmt)
                count += 1
            except ValueError:
                pass
        if count > best_count:
            best, best_count = fmt, count
    return best


def parse_date(value, fmt):
    """A datetime, or None when the cell is empty or not a date in the file's format."""
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        return dt.datetime.strptime(str(value).strip(), fmt)
    except ValueError:
        return None


def cell_text(value):
    """The text of a cell as the contract sees it: trimmed, empty for a missing cell."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def normalise_customer(value):
    text = cell_text(value)
    match = FLOAT_INTEGER_RE.match(text)
    return match.group(1) if match else text


def read_rows(path):
    """Returns (header, rows, field_count_ok, line numbers) with rows as lists of raw cells."""
    if path.lower().endswith((".xlsx", ".xlsm")):
        # openpyxl turns date-styled serials into datetimes; dtype=object keeps cells as read.
        frame = pd.read_excel(path, dtype=object, engine="openpyxl")
        header = [str(c) for c in frame.columns]
        rows = frame.values.tolist()
        return header, rows, [True] * len(rows), list(range(2, len(rows) + 2))
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        records, lines, start = [], [], 1
        for record in reader:
            records.append(record)
            lines.append(start)  # the line a record starts on (quoted fields may span lines)
            start = reader.line_num + 1
    header, rows = records[0], records[1:]
    return header, rows, [len(row) == len(header) for row in rows], lines[1:]


def clean(path, overrides, dedup, outlier_options=("iqr", 1.5, "flag")):
    """Applies the cleaning rules; returns (audit dict, DataFrame of kept lines, has_invoice)."""
    header, rows, field_count_ok, line_numbers = read_rows(path)
    roles = map_roles(header, overrides)
    amount_mode = not ("quantity" in roles and "price" in roles)
    date_col = roles["date"]
    text_dates = [
        str(row[date_col]).strip()
        for row, ok in zip(rows, field_count_ok)
        if ok and isinstance(row[date_col], str) and row[date_col].strip()
    ]
    date_format = choose_date_format(text_dates) if text_dates else DATE_FORMATS[0]

    audit = {key: 0 for key in AUDIT_KEYS}
    audit["rows_read"] = len(rows)
    seen = set()
    kept = {"customer_id": [], "invoice": [], "timestamp": [], "amount": [], "quantity": [],
            "unit_price": [], "line": []}
    for row, ok, line_number in zip(rows, field_count_ok, line_numbers):
        if not ok:
            audit["malformed"] += 1
            continue
        timestamp = parse_date(row[date_col], date_format)
        if amount_mode:
            amount = parse_number(row[roles["amount"]])
            numbers_ok = amount is not None
        else:
            quantity = parse_number(row[roles["quantity"]])
            price = parse_number(row[roles["price"]])
            numbers_ok = quantity is not None and price is not None
        if timestamp is None or not numbers_ok:
            audit["malformed"] += 1
            continue
        customer = normalise_customer(row[roles["customer"]])
        if customer == "":
            audit["missing_customer"] += 1
            continue
        invoice = cell_text(row[roles["invoice"]]) if "invoice" in roles else ""
        if invoice.startswith("C"):
            audit["cancelled"] += 1
            continue
        if amount_mode:
            if amount <= 0:
                audit["non_positive_price"] += 1
                continue
        else:
            if quantity <= 0:
                audit["non_positive_quantity"] += 1
                continue
            if price <= 0:
                audit["non_positive_price"] += 1
                continue
            amount = quantity * price
        key = tuple(repr(v) for v in row)
        if key in seen:
            audit["duplicates"] += 1
            if dedup:
                continue
        else:
            seen.add(key)
        kept["customer_id"].append(customer)
        kept["invoice"].append(invoice)
        kept["timestamp"].append(timestamp)
        kept["amount"].append(amount)
        kept["quantity"].append(None if amount_mode else quantity)
        kept["unit_price"].append(None if amount_mode else price)
        kept["line"].append(line_number)

    rejected = sum(
        audit[k]
        for k in [
            "malformed",
            "missing_customer",
            "cancelled",
            "non_positive_quantity",
            "non_positive_price",
        ]
    )
    lines = pd.DataFrame(kept)
    lines["timestamp"] = pd.to_datetime(lines["timestamp"])
    fields = ["amount"] if amount_mode else ["quantity", "unit_price", "amount"]
    lines, outliers = line_outliers(lines, fields, outlier_options)
    audit["outliers_dropped"] = outliers["rows_dropped"]
    audit["rows_kept"] = (audit["rows_read"] - rejected - (audit["duplicates"] if dedup else 0)
                          - audit["outliers_dropped"])
    assert len(lines) == audit["rows_kept"]
    audit["outliers"] = outliers
    return audit, lines, "invoice" in roles


# ---------------------------------------------------------------------------------------------
# The outlier step: after every other rule, on the kept lines; then per customer (flag only).


def describe_outliers(name, scope, values, method, k, action):
    """Statistics, bounds and counts of one field; quantiles are pandas' default (linear)."""
    series = pd.Series(values, dtype="float64").dropna()
    field = {"field": name, "scope": scope, "action": action, "count": int(len(series)),
             "below": 0, "above": 0, "dropped": 0, "capped": 0, "examples": []}
    if len(series) == 0:
        return field, None, None
    q1, median, q3 = (float(series.quantile(p)) for p in (0.25, 0.5, 0.75))
    mean = float(series.mean())
    sd = float(series.std(ddof=1)) if len(series) > 1 else 0.0
    if method == "z":
        lower, upper = mean - k * sd, mean + k * sd
    else:
        lower, upper = q1 - k * (q3 - q1), q3 + k * (q3 - q1)
    field.update({"min": float(series.min()), "q1": q1, "median": median, "q3": q3,
                  "max": float(series.max()), "iqr": q3 - q1, "mean": mean, "sd": sd,
                  "lower": lower, "upper": upper,
                  "below": int((series < lower).sum()), "above": int((series > upper).sum())})
    return field, lower, upper


def line_outliers(lines, fields, options):
    method, k, action = options
    result = {"method": method, "action": action, "rows_dropped": 0, "fields": []}
    if method == "off" or len(lines) == 0:
        return lines, result
    result.update({"k": k, "quantile": "linear"})
    dropped = pd.Series(False, index=lines.index)
    for name in fields:
        field, lower, upper = describe_outliers(name, "line", lines[name], method, k, action)
        outside = (lines[name] < lower) | (lines[name] > upper)
        field["examples"] = [
            {"customer_id": row.customer_id, "line": int(row.line), "value": float(row[name])}
            for _, row in lines[outside].head(OUTLIER_EXAMPLES).iterrows()
        ]
        if action == "cap":
            field["capped"] = int(outside.sum())
            lines[name] = lines[name].clip(lower, upper)
        elif action == "drop":
            first = outside & ~dropped  # a line is dropped under the first field it fails
            field["dropped"] = int(first.sum())
            dropped |= outside
        result["fields"].append(field)
    result["rows_dropped"] = int(dropped.sum())
    return lines[~dropped].reset_index(drop=True), result


def customer_outliers(outliers, customers):
    if outliers["method"] == "off" or len(customers) == 0:
        return
    for name in ["monetary", "frequency"]:
        values = customers[name].astype("float64")
        field, lower, upper = describe_outliers(name, "customer", values, outliers["method"],
                                                outliers["k"], "flag")
        outside = (values < lower) | (values > upper)
        field["examples"] = [
            {"customer_id": customers.customer_id.iloc[i], "value": float(values.iloc[i])}
            for i in np.flatnonzero(outside.to_numpy())[:OUTLIER_EXAMPLES]
        ]
        outliers["fields"].append(field)


# ---------------------------------------------------------------------------------------------
# Customer table, scores, segments, Pareto.


def sequential_sum(values):
    """Sum in input order, as the contract defines monetary (pandas' own sums are compensated)."""
    array = np.asarray(values, dtype=np.float64)
    return float(np.cumsum(array)[-1]) if len(array) else 0.0


def round_half_away(values, scale):
    scaled = np.asarray(values, dtype=np.float64) * scale
    return np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)


def quintile_score(count_beaten, n):
    """1 + floor(5 * L / n) in integer arithmetic."""
    return 1 + (5 * count_beaten.astype(np.int64)) // n


def customer_table(lines, has_invoice, as_of):
    lines = lines.copy()
    lines["day"] = lines["timestamp"].dt.normalize()
    grouped = lines.groupby("customer_id", sort=False)
    customers = pd.DataFrame(
        {
            "first_purchase": grouped["timestamp"].min(),
            "last_purchase": grouped["timestamp"].max(),
            "frequency": (
                grouped["invoice"].nunique() if has_invoice else grouped["day"].nunique()
            ),
            "monetary": grouped["amount"].agg(sequential_sum),
        }
    )
    customers.index.name = "customer_id"
    customers = customers.reset_index()
    # Byte-wise order: Python compares code points, which sort like their UTF-8 bytes.
    customers = customers.iloc[
        sorted(range(len(customers)), key=lambda i: customers.customer_id.iloc[i])
    ].reset_index(drop=True)

    if as_of is None:
        as_of = (lines["day"].max() + pd.Timedelta(days=1)) if len(lines) else None
    else:
        as_of = pd.Timestamp(as_of)
    n = len(customers)
    if n == 0:
        for column in ["recency_days", "tenure_days", "r_score", "f_score", "m_score"]:
            customers[column] = pd.Series(dtype=np.int64)
        customers["avg_order_value"] = pd.Series(dtype=np.float64)
        customers["rfm_code"] = pd.Series(dtype=object)
        return customers, as_of
    customers["recency_days"] = (as_of - customers.last_purchase.dt.normalize()).dt.days
    customers["tenure_days"] = (as_of - customers.first_purchase.dt.normalize()).dt.days
    customers["avg_order_value"] = customers.monetary / customers.frequency

    # rank(method='min') is 1 + the number of customers with a strictly smaller value.
    recency_beaten = customers.recency_days.rank(method="min", ascending=False) - 1
    frequency_beaten = customers.frequency.rank(method="min") - 1
    monetary_key = pd.Series(round_half_away(customers.monetary, 1e6))
    monetary_beaten = monetary_key.rank(method="min") - 1
    customers["r_score"] = quintile_score(recency_beaten, n)
    customers["f_score"] = quintile_score(frequency_beaten, n)
    customers["m_score"] = quintile_score(monetary_beaten, n)
    customers["rfm_code"] = (
        customers.r_score.astype(str) + customers.f_score.astype(str) + customers.m_score.astype(str)
    )
    return customers, as_of


def pareto(customers, segment_stats, total):
    n = len(customers)
    if n == 0 or total <= 0:
        return {
            "customer_share_for_80pct_revenue": 0.0,
            "top20pct_revenue_share": 0.0,
            "top_two_tiers_revenue_share": 0.0,
            "concentration": [],
        }
    ranked = customers.sort_values(
        ["monetary", "customer_id"], ascending=[False, True], kind="mergesort"
    )
    cumulative = np.cumsum(ranked.monetary.to_numpy())
    k = int(np.argmax(cumulative >= 0.8 * total)) + 1
    top_count = (n + 4) // 5  # ceil(0.2 n) without floating-point rounding
    # Concentration curve: the top k customers' revenue share at k = 0 and k = ceil(i n / 100),
    # i = 1..100, each count once (so every k when n <= 100).
    counts = sorted({0} | {(i * n + 99) // 100 for i in range(1, 101)})
    revenue_of_top = np.concatenate([[0.0], cumulative])
    return {
        "customer_share_for_80pct_revenue": k / n,
        "top20pct_revenue_share": float(cumulative[top_count - 1]) / total,
        "top_two_tiers_revenue_share": (segment_stats[0]["revenue"] + segment_stats[1]["revenue"])
        / total,
        "concentration": [[count / n, float(revenue_of_top[count]) / total] for count in counts],
    }


def rf_grid(customers):
    """Customers and mean monetary for each (r_score, f_score) cell, R 1-5 then F 1-5."""
    cells = []
    for r in range(1, 6):
        for f in range(1, 6):
            members = customers[(customers.r_score == r) & (customers.f_score == f)]
            count = len(members)
            cells.append(
                {
                    "r_score": r,
                    "f_score": f,
                    "customers": count,
                    "mean_monetary": float(members.monetary.mean()) if count else 0.0,
                }
            )
    return cells


def summarise(audit, customers, as_of, scheme):
    names, segments = assign_segments(customers, scheme)
    customers["segment"] = names
    n = len(customers)
    total = float(customers.monetary.sum()) if n else 0.0
    stats = []
    for name, name_zh in segments:
        members = customers[customers.segment == name]
        count = len(members)
        revenue = float(members.monetary.sum()) if count else 0.0
        stats.append(
            {
                "name": name,
                "name_zh": name_zh,
                "customers": count,
                "revenue": revenue,
                "customer_share": count / n if n else 0.0,
                "revenue_share": revenue / total if total > 0 else 0.0,
                "mean_recency": float(members.recency_days.mean()) if count else 0.0,
                "mean_frequency": float(members.frequency.mean()) if count else 0.0,
                "mean_monetary": float(members.monetary.mean()) if count else 0.0,
            }
        )
    audit = dict(audit, customers_kept=n)
    customer_outliers(audit["outliers"], customers)
    return {
        "audit": audit,
        "as_of": as_of.strftime("%Y-%m-%d") if as_of is not None else "",
        "scheme": scheme,
        "customers": n,
        "revenue": total,
        "segments": stats,
        "pareto": pareto(customers, stats, total),
        "rf_grid": rf_grid(customers),
    }


def write_customers(customers, path):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CUSTOMER_COLUMNS)
        for row in customers.itertuples(index=False):
            writer.writerow(
                [
                    row.customer_id,
                    int(row.recency_days),
                    int(row.frequency),
                    f"{row.monetary:.2f}",
                    row.first_purchase.strftime("%Y-%m-%d %H:%M:%S"),
                    row.last_purchase.strftime("%Y-%m-%d %H:%M:%S"),
                    int(row.r_score),
                    int(row.f_score),
                    int(row.m_score),
                    row.rfm_code,
                    row.segment,
                    int(row.tenure_days),
                    f"{row.avg_order_value:.2f}",
                ]
            )


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="order lines or invoices: .csv or .xlsx")
    parser.add_argument("--scheme", default="five", choices=["five", "cn8", "rfm11"])
    parser.add_argument("--out", required=True, help="folder for summary.json and customers.csv")
    parser.add_argument("--as-of", help="YYYY-MM-DD; default: the day after the last purchase")
    parser.add_argument("--dedup", action="store_true", help="drop duplicate lines")
    parser.add_argument("--outliers", default="iqr", choices=["iqr", "z", "off"])
    parser.add_argument("--outlier-k", type=float, help="default: 1.5 (iqr), 3 (z)")
    parser.add_argument("--outlier-action", default="flag", choices=["flag", "drop", "cap"])
    for role in ROLE_ALIASES:
        parser.add_argument(f"--{role}-column", dest=role, help=f"header of the {role} column")
    args = parser.parse_args(argv)

    overrides = {role: getattr(args, role) for role in ROLE_ALIASES}
    k = args.outlier_k if args.outlier_k is not None else (3.0 if args.outliers == "z" else 1.5)
    audit, lines, has_invoice = clean(args.input, overrides, args.dedup,
                                      (args.outliers, k, args.outlier_action))
    customers, as_of = customer_table(lines, has_invoice, args.as_of)
    summary = summarise(audit, customers, as_of, args.scheme)

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "summary.json"), "w", encoding="utf-8") as handle:
        json.dump(summary, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    write_customers(customers, os.path.join(args.out, "customers.csv"))


if __name__ == "__main__":
    main(sys.argv[1:])
