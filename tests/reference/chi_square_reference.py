#!/usr/bin/env python3
"""scipy's chi-square test of independence on the hand-checkable tables of
tests/common/chi_square_test.cpp; prints the values the test pins (run with /usr/bin/python3)."""
import numpy as np
from scipy.stats import chi2_contingency

TABLES = {
    "2x2": [[12, 5], [7, 16]],
    "3x3": [[10, 20, 30], [15, 15, 5], [8, 2, 12]],
    "small_expected": [[1, 2], [3, 4]],
}

for name, table in TABLES.items():
    observed = np.array(table)
    statistic, p, dof, expected = chi2_contingency(observed, correction=False)
    n = observed.sum()
    v = np.sqrt(statistic / (n * (min(observed.shape) - 1)))
    print(f"{name}: statistic={statistic!r} p={p!r} dof={dof} cramers_v={v!r} "
          f"min_expected={expected.min()!r} cells_below_5={(expected < 5).sum()}")
