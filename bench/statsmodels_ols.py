#!/usr/bin/python3
"""The statsmodels side of bench/ols_vs_statsmodels.sh: what `custlens ols FILE --y y --x all`
computes, the way a pandas/statsmodels user would: read the CSV, code booleans as 0/1 and text
with get_dummies(drop_first=True), fit OLS with a constant, build the summary (diagnostics,
condition number) and one variance inflation factor per regressor.

    /usr/bin/python3 bench/statsmodels_ols.py FILE.csv [--no-vif]

Prints one JSON line: r_squared, f_statistic, coefficients (by name), and the seconds spent
reading, fitting with summary, and on the VIFs.
"""
import argparse
import json
import time

import pandas as pd
import statsmodels.api as sm
from statsmodels.stats.outliers_influence import variance_inflation_factor


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--no-vif", action="store_true")
    args = parser.parse_args()

    start = time.perf_counter()
    frame = pd.read_csv(args.file)
    read_done = time.perf_counter()

    y = frame.pop("y").astype(float)
    x = pd.get_dummies(frame, drop_first=True).astype(float)
    x = sm.add_constant(x)
    result = sm.OLS(y, x).fit()
    result.summary()
    fit_done = time.perf_counter()

    vifs = {}
    if not args.no_vif:
        for i, name in enumerate(x.columns):
            if name != "const":
                vifs[name] = variance_inflation_factor(x.values, i)
    vif_done = time.perf_counter()

    print(json.dumps({
        "r_squared": result.rsquared,
        "f_statistic": result.fvalue,
        "coefficients": {name: value for name, value in result.params.items()},
        "vif": vifs,
        "seconds": {"read": read_done - start, "fit_and_summary": fit_done - read_done,
                    "vif": vif_done - fit_done},
    }))


if __name__ == "__main__":
    main()
