#!/usr/bin/python3
"""Writes a deterministic regression data set for bench/ols_vs_statsmodels.sh.

    /usr/bin/python3 bench/make_regression_data.py --rows 1000000 --seed 1 -o FILE.csv

Columns: y, x1..x16 (normal, scales from 1 to 1e5, some correlated), f1, f2 (TRUE/FALSE) and
region (East, North, South) — 20 regressors once region is coded as two
0/1 columns. y is linear in them plus noise, so every estimate is well determined.
"""
import argparse

import numpy as np
import pandas as pd


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    n = args.rows
    columns = {}
    base = rng.standard_normal(n)
    for j in range(1, 17):
        scale = 10.0 ** (j % 6)
        # Every fourth column shares a component with x1: VIFs above 1, still well conditioned.
        shared = 0.5 * base if j % 4 == 0 else 0.0
        columns[f"x{j}"] = np.round((rng.standard_normal(n) + shared) * scale, 4)
    flags = {f"f{j}": rng.random(n) < 0.3 * j for j in (1, 2)}
    region = rng.choice(np.array(["East", "North", "South"]), size=n)
    y = 5.0 + rng.standard_normal(n) * 3
    for j in range(1, 17):
        y += (j % 5 - 2) * 0.5 * columns[f"x{j}"] / 10.0 ** (j % 6)
    y += 1.5 * flags["f1"] - 0.7 * flags["f2"]
    y += np.where(region == "North", 2.0, 0.0) + np.where(region == "South", -1.0, 0.0)

    frame = pd.DataFrame({"y": np.round(y, 6), **columns})
    for name, values in flags.items():
        frame[name] = np.where(values, "TRUE", "FALSE")
    frame["region"] = region
    frame.to_csv(args.output, index=False)


if __name__ == "__main__":
    main()
