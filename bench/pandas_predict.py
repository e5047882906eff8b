#!/usr/bin/python3
"""pandas + python3-xgboost peer for bench/predict_vs_peers.sh: what `custlens predict` does with
its defaults, as an analyst would write it in vectorised pandas.

    /usr/bin/python3 bench/pandas_predict.py orders.csv [--horizon 90] [--threads N]

UCI order lines -> the custlens cleaning rules -> orders (invoice, customer, day) -> the customer
features of docs/predict.md at the cutoff (as_of - horizon) and at as_of -> labels -> stratified
split (test 0.3, validation 0.2 of the rest) -> XGBoost with custlens' parameters and early
stopping on the validation part -> AUC on the test part -> the logistic baseline (median fill,
missing flags, standardised; scikit-learn) -> refit on the whole population with the kept rounds
-> scores and SHAP contributions of every customer as of as_of. Prints one JSON line
(population, positives, cutoff, as_of, features, test AUC of both, rounds, current customers).
The split is seeded but not custlens' generator, so the AUCs differ a little; population,
positives and the feature columns must agree.
"""

import argparse
import datetime
import json
import os

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

DATE_FORMATS = ["%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
WINDOWS = (30, 90, 180)
TOP_COUNTRIES = 10
# custlens' models::BoosterParams and the xgboost classifier's metric (src/models).
PARAMS = {
    "objective": "binary:logistic",
    "tree_method": "hist",
    "max_depth": 4,
    "eta": 0.05,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "min_child_weight": 1,
    "lambda": 1,
    "max_bin": 256,
    "seed": 42,
    "eval_metric": "logloss",
}
ROUNDS, EARLY_STOPPING = 400, 30


def choose_date_format(sample):
    counts = [pd.to_datetime(sample, format=f, errors="coerce").notna().sum() for f in DATE_FORMATS]
    return DATE_FORMATS[int(np.argmax(counts))]


def country_column(name):
    out, gap = "country_", False
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
    # Text as read (no NA guessing); the two repetitive name columns as categories.
    dtypes = {c: str for c in ("InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID")}
    dtypes.update(Description="category", Country="category")
    lines = pd.read_csv(path, usecols=list(dtypes), dtype=dtypes, keep_default_na=False,
                        on_bad_lines="skip")
    invoice = lines["InvoiceNo"].str.strip()
    customer = lines["CustomerID"].str.strip().str.replace(r"^([+-]?\d+)\.0+$", r"\1", regex=True)
    quantity = pd.to_numeric(lines["Quantity"], errors="coerce")
    price = pd.to_numeric(lines["UnitPrice"], errors="coerce")
    timestamp = pd.to_datetime(
        lines["InvoiceDate"], format=choose_date_format(lines["InvoiceDate"].head(1000)), errors="coerce"
    )
    day = timestamp.values.astype("datetime64[D]").astype(np.int64)
    valid = quantity.notna() & price.notna() & timestamp.notna() & (customer != "")
    cancelled = valid & invoice.str.startswith("C")
    keep = valid & ~cancelled & (quantity > 0) & (price > 0)
    kept = pd.DataFrame(
        {
            "customer": customer[keep],
            "invoice": invoice[keep],
            "day": day[keep.to_numpy()],
            "amount": (quantity * price)[keep],
            "quantity": quantity[keep],
            "description": lines["Description"][keep],
            "country": lines["Country"][keep],
        }
    )
    cancels = pd.DataFrame({"customer": customer[cancelled], "day": day[cancelled.to_numpy()]})
    del lines
    # Customer codes in order of first appearance (the scan's ids): rows in that order.
    kept["customer"] = pd.Categorical(kept["customer"], categories=pd.unique(kept["customer"]))
    cancels["customer"] = pd.Categorical(cancels["customer"], categories=kept["customer"].cat.categories)
    orders = (
        kept.groupby(["customer", "invoice", "day"], sort=False, observed=True)
        .agg(amount=("amount", "sum"), lines=("amount", "size"), quantity=("quantity", "sum"),
             country=("country", "first"))
        .reset_index()
    )
    orders["country"] = orders["country"].astype(str)  # ties go by name, not category order
    return kept, cancels, orders


def features(kept, cancels, orders, cut, country_columns=None):
    b = orders[orders["day"] < cut].sort_values(["customer", "day"], kind="stable")
    g = b.groupby("customer", sort=True, observed=True)
    f = pd.DataFrame({"first": g["day"].min(), "last": g["day"].max(), "n": g.size()})
    f["monetary"] = g["amount"].sum()
    lines = g["lines"].sum()
    quantity = g["quantity"].sum()
    out = pd.DataFrame(index=f.index)
    out["recency_days"] = cut - f["last"]
    out["frequency"] = f["n"]
    out["monetary"] = f["monetary"]
    out["tenure_days"] = cut - f["first"]
    out["avg_order_value"] = f["monetary"] / f["n"]
    out["gap_mean_days"] = np.where(f["n"] >= 2, (f["last"] - f["first"]) / (f["n"] - 1), np.nan)
    gaps = b["day"].diff().where(b["customer"].eq(b["customer"].shift()))
    out["gap_sd_days"] = gaps.groupby(b["customer"], observed=True).std(ddof=1)
    age = cut - b["day"]
    for w in WINDOWS:
        now, prev = age <= w, (age > w) & (age <= 2 * w)
        parts = pd.DataFrame(
            {"customer": b["customer"], "now": now, "prev": prev,
             "spend_now": b["amount"].where(now, 0.0), "spend_prev": b["amount"].where(prev, 0.0)}
        ).groupby("customer", observed=True).sum()
        out[f"orders_{w}d"] = parts["now"]
        out[f"spend_{w}d"] = parts["spend_now"]
        out[f"orders_trend_{w}d"] = parts["now"] - parts["prev"]
        out[f"spend_trend_{w}d"] = parts["spend_now"] - parts["spend_prev"]
    out["basket_lines"] = lines / f["n"]
    out["basket_quantity"] = quantity / f["n"]
    before = kept[kept["day"] < cut]
    products = before.loc[before["description"] != "", ["customer", "description"]].drop_duplicates()
    out["distinct_products"] = products.groupby("customer", observed=True).size().reindex(out.index, fill_value=0)
    ncancel = cancels[cancels["day"] < cut].groupby("customer", observed=True).size()
    ncancel = ncancel.reindex(out.index, fill_value=0)
    out["cancellation_share"] = ncancel / (ncancel + lines)
    # Main country: most orders, ties by name; top countries by customers, ties by name.
    counted = (
        b[b["country"] != ""].groupby(["customer", "country"], observed=True).size().rename("k").reset_index()
    )
    counted = counted.sort_values(["customer", "k", "country"], ascending=[True, False, True])
    main = counted.drop_duplicates("customer").set_index("customer")["country"].reindex(out.index)
    main_column = main.map(country_column, na_action="ignore")
    if country_columns is None:
        ranked = main.value_counts().reset_index()
        ranked.columns = ["country", "k"]
        ranked = ranked.sort_values(["k", "country"], ascending=[False, True]).head(TOP_COUNTRIES)
        country_columns = list(dict.fromkeys(country_column(c) for c in ranked["country"]))
    for column in country_columns:
        out[column] = (main_column == column).astype(np.int8)
    out["country_other"] = (main_column.notna() & ~main_column.isin(country_columns)).astype(np.int8)
    return out.astype(np.float32), country_columns


def logistic_auc(x_train, y_train, x_test, y_test):
    medians = np.nanmedian(x_train, axis=0)
    def prepare(x):
        missing = np.isnan(x)
        filled = np.where(missing, medians, x)
        return np.hstack([filled, missing[:, missing_cols]])
    missing_cols = np.isnan(x_train).any(axis=0)
    a, t = prepare(x_train), prepare(x_test)
    mean, sd = a.mean(axis=0), a.std(axis=0)
    keep = sd > 0
    a, t = (a[:, keep] - mean[keep]) / sd[keep], (t[:, keep] - mean[keep]) / sd[keep]
    model = LogisticRegression(penalty=None, max_iter=200).fit(a, y_train)
    return roc_auc_score(y_test, model.predict_proba(t)[:, 1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("orders")
    parser.add_argument("--horizon", type=int, default=90)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    kept, cancels, orders = load(args.orders)
    as_of = int(orders["day"].max()) + 1
    cutoff = as_of - args.horizon
    x, columns = features(kept, cancels, orders, cutoff)
    later = orders.loc[(orders["day"] >= cutoff) & (orders["day"] < as_of), "customer"].unique()
    y = x.index.isin(later).astype(np.float32)

    rows = np.arange(len(y))
    rest, test = train_test_split(rows, test_size=0.3, stratify=y, random_state=42)
    train, valid = train_test_split(rest, test_size=0.2, stratify=y[rest], random_state=42)
    xv = x.to_numpy()
    params = dict(PARAMS, nthread=args.threads)
    dtrain = xgb.DMatrix(xv[train], label=y[train], feature_names=list(x.columns))
    dvalid = xgb.DMatrix(xv[valid], label=y[valid], feature_names=list(x.columns))
    booster = xgb.train(params, dtrain, ROUNDS, evals=[(dvalid, "valid")],
                        early_stopping_rounds=EARLY_STOPPING, verbose_eval=False)
    rounds = booster.best_iteration + 1
    dtest = xgb.DMatrix(xv[test], feature_names=list(x.columns))
    auc = roc_auc_score(y[test], booster.predict(dtest, iteration_range=(0, rounds)))
    baseline_auc = logistic_auc(xv[np.concatenate([train, valid])], y[np.concatenate([train, valid])],
                                xv[test], y[test])

    # Apply: refit on everyone with the kept rounds, score every customer as of as_of.
    refit = xgb.train(params, xgb.DMatrix(xv, label=y, feature_names=list(x.columns)), rounds)
    current, _ = features(kept, cancels, orders, as_of, columns)
    dcurrent = xgb.DMatrix(current.to_numpy(), feature_names=list(x.columns))
    scores = refit.predict(dcurrent)
    contributions = refit.predict(dcurrent, pred_contribs=True)
    top = np.argsort(-np.abs(contributions[:, :-1]), axis=1)[:, :3]
    day = lambda d: (datetime.date(1970, 1, 1) + datetime.timedelta(days=int(d))).isoformat()
    print(json.dumps({
        "population": int(len(y)), "positives": int(y.sum()), "cutoff": day(cutoff),
        "as_of": day(as_of), "features": list(x.columns), "auc": auc,
        "baseline_auc": baseline_auc, "rounds": rounds, "current": int(len(scores)),
        "top_reason_columns": int(top.shape[1]),
    }))


if __name__ == "__main__":
    main()
