#!/usr/bin/env python3
"""XGBoost reference for `custlens predict`: python3-xgboost (Debian, the same 1.7 library)
trained on the very feature table custlens wrote (`predict --features`), with the parameters of
src/models/xgboost_booster.h, early stopping on the rows marked `valid`. Writes the best
iteration, the probability of every row and the SHAP contributions of the first rows as JSON;
tests/models/xgboost_golden_test.cpp fits custlens's Booster on the same table and compares."""
import argparse
import json

import numpy as np
import pandas as pd
import xgboost as xgb

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
    "nthread": 2,
}
ROUNDS = 400
EARLY_STOPPING = 30
CONTRIBUTION_ROWS = 25


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("features")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    table = pd.read_csv(args.features, dtype={"customer_id": str}, keep_default_na=False,
                        na_values=[""])
    names = list(table.columns[3:])
    x = table[names].to_numpy(dtype=np.float32)
    y = table["label"].to_numpy(dtype=np.float32)
    train = (table["split"] == "train").to_numpy()
    valid = (table["split"] == "valid").to_numpy()
    dtrain = xgb.DMatrix(x[train], label=y[train], missing=np.nan)
    dvalid = xgb.DMatrix(x[valid], label=y[valid], missing=np.nan)
    booster = xgb.train(PARAMS, dtrain, num_boost_round=ROUNDS, evals=[(dvalid, "valid")],
                        early_stopping_rounds=EARLY_STOPPING, verbose_eval=False)
    rounds = booster.best_iteration + 1
    dall = xgb.DMatrix(x, missing=np.nan)
    p = booster.predict(dall, iteration_range=(0, rounds))
    contributions = booster.predict(xgb.DMatrix(x[:CONTRIBUTION_ROWS], missing=np.nan),
                                    iteration_range=(0, rounds), pred_contribs=True)
    out = {
        "xgboost_version": xgb.__version__,
        "params": PARAMS,
        "num_boost_round": ROUNDS,
        "early_stopping_rounds": EARLY_STOPPING,
        "rounds": rounds,
        "features": names,
        "predictions": [float(v) for v in p],
        "contributions": [[float(v) for v in row] for row in contributions],
    }
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
