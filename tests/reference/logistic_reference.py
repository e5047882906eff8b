#!/usr/bin/env python3
"""Reference of predict's logistic baseline: scikit-learn's LogisticRegression(C=1,
solver='newton-cholesky') on the feature table custlens wrote (`predict --features`), fitted on
the rows marked `train`, with the preprocessing of src/models/classifiers/logistic.cpp: a missing
value takes the column's training median and sets a `<feature>_missing` indicator (only for
columns with a missing training value), every column standardised by the training mean and
population sd. The columns custlens leaves out as constant or collinear are named with --drop
(its describe() lists them; the test checks the list). Writes the probability of every row."""
import argparse
import json

import numpy as np
import pandas as pd
import sklearn
from sklearn.linear_model import LogisticRegression


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("features")
    parser.add_argument("--drop", default="")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    table = pd.read_csv(args.features, dtype={"customer_id": str}, keep_default_na=False,
                        na_values=[""])
    drop = [name for name in args.drop.split(",") if name]
    train = table[table["split"] == "train"]
    columns = []
    for name in table.columns[3:]:
        if train[name].notna().sum() == 0:
            continue
        if name not in drop:
            columns.append((name, False, float(train[name].median())))
        if train[name].isna().any() and name + "_missing" not in drop:
            columns.append((name, True, 0.0))

    def design(frame):
        return np.column_stack([
            frame[name].isna().to_numpy(dtype=float) if flag
            else frame[name].fillna(fill).to_numpy(dtype=float)
            for name, flag, fill in columns])

    x_train = design(train)
    mean = x_train.mean(axis=0)
    sd = x_train.std(axis=0)
    model = LogisticRegression(C=1.0, solver="newton-cholesky", tol=1e-12, max_iter=1000)
    model.fit((x_train - mean) / sd, train["label"].to_numpy())
    p = model.predict_proba((design(table) - mean) / sd)[:, 1]
    out = {
        "sklearn_version": sklearn.__version__,
        "dropped": drop,
        "columns": [name + ("_missing" if flag else "") for name, flag, _ in columns],
        "predictions": [float(v) for v in p],
    }
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
