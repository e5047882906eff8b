#!/usr/bin/python3
"""Independent statsmodels reference for `custlens ols` and `custlens logit` (src/models/).

For every case below it builds the design matrix from the documented rules (README, "Models")
with pandas, fits it with statsmodels 0.13 (Debian python3-statsmodels) and writes
    tests/reference/golden/models/<case>.json         the CLI arguments and the expected numbers
    tests/reference/golden/models/<case>.summary.txt  statsmodels' summary().as_text()
tests/cli/models_golden_test.cpp runs `custlens <command> <input> <args> --json` for each JSON
file it finds there and compares field by field.

Design rules, implemented here from the contract:
  * numbers as they are; booleans (TRUE/FALSE, True/False, true/false, yes/no, 是/否) as 0/1;
    text columns one-hot with the first sorted level dropped (pandas get_dummies(drop_first=True)),
    numbers and booleans first in column order, then the dummies column by column; `const` first.
  * `--x all`: every column but the target, except dates, identifiers (every value present and
    distinct, and text, or named like an id, or the first column unnamed / named like an index /
    counting up by one) and text columns with more than 50 levels.
  * rows with a missing value (pandas' default NA markers, empty) in a used column are dropped.
  * --standardize: target and numeric (not boolean, not dummy) regressors z-scored with the
    sample sd (ddof = 1) of the rows used.
  * logit target: booleans and 0/1 as they are; two-level text: the later sorted level is 1.
The blank first header cell is named `column_1`, as custlens' reader names it (pandas says
"Unnamed: 0").

Run from anywhere: /usr/bin/python3 tests/reference/models_reference.py [--out DIR]
"""
import argparse
import json
import math
import pathlib
import re
import time

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.graphics.gofplots import ProbPlot
from statsmodels.stats.diagnostic import het_breuschpagan
from statsmodels.stats.outliers_influence import variance_inflation_factor

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
GOLDEN = ROOT / "tests" / "reference" / "golden" / "models"

TRUE_WORDS = {"TRUE", "True", "true", "yes", "Yes", "YES", "是"}
FALSE_WORDS = {"FALSE", "False", "false", "no", "No", "NO", "否"}
INDEX_NAMES = {"index", "idx", "#", "no", "row", "rownumber", "rowid"}
CUSTOMER_ALIASES = {"customerid", "customer", "custid", "userid", "user", "clientid", "client",
                    "memberid", "buyerid", "用户id", "客户id", "会员id", "买家id"}
MAX_LEVELS_FOR_ALL = 50

CASES = [
    # (case, command, input, arguments)
    ("ols_all", "ols", "user_personalized_features.csv",
     ["--y", "Total_Spending", "--x", "all"]),
    ("ols_subset_hc3_standardized", "ols", "user_personalized_features.csv",
     ["--y", "Total_Spending", "--x",
      "Age,Income,Average_Order_Value,Purchase_Frequency,Location,Newsletter_Subscription",
      "--robust", "HC3", "--standardize"]),
    ("ols_no_intercept_hc1", "ols", "user_personalized_features.csv",
     ["--y", "Total_Spending", "--x", "Age,Income,Pages_Viewed,Gender", "--no-intercept",
      "--robust", "HC1"]),
    ("ols_missing_values_chinese_bool", "ols", "profiles_missing.csv",
     ["--y", "Total_Spending", "--x",
      "Age,Income,Location,Newsletter_Subscription,Pages_Viewed"]),
    ("logit_all", "logit", "user_personalized_features.csv",
     ["--y", "Newsletter_Subscription", "--x", "all"]),
    ("logit_gender", "logit", "user_personalized_features.csv",
     ["--y", "Gender", "--x", "Age,Income,Total_Spending,Interests"]),
]


def read_table(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = df.rename(columns={c: f"column_{i + 1}" for i, c in enumerate(df.columns)
                            if c.strip() == "" or c.startswith("Unnamed: ")})
    na_markers = {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan",
                  "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan",
                  "null"}
    types = {}
    for name in df.columns:
        values = df[name].str.strip()
        missing = values.isin(na_markers)
        present = values[~missing]
        numbers = pd.to_numeric(present, errors="coerce")
        if len(present) and numbers.notna().all():
            df[name] = pd.to_numeric(values.where(~missing))
            types[name] = "number"
        elif len(present) and present.isin(TRUE_WORDS | FALSE_WORDS).all():
            df[name] = present.isin(TRUE_WORDS).astype(float).reindex(df.index)
            types[name] = "bool"
        else:
            df[name] = df[name].where(~missing)
            types[name] = "text"
    return df, types


def normalized(name):
    return "".join(c for c in name.lower() if c not in " _-")


def identifier(df, types, position, name):
    values = df[name]
    if len(values) < 2 or values.isna().any() or values.duplicated().any():
        return False
    lower = name.lower()
    named_id = (lower == "id" or lower.endswith(("_id", " id", "-id")) or name.endswith(("ID", "Id"))
                or normalized(name) in CUSTOMER_ALIASES)
    if named_id:
        return True
    if position == 0:
        if name == "column_1" or normalized(name) in INDEX_NAMES:
            return True
        if types[name] == "number" and (values.diff().iloc[1:] == 1).all():
            return True
    return types[name] == "text"


def select(df, types, target, x_arg):
    if x_arg == "all":
        chosen, excluded = [], []
        for position, name in enumerate(df.columns):
            if name == target:
                continue
            if identifier(df, types, position, name):
                excluded.append(name)
            elif types[name] == "text" and df[name].nunique() > MAX_LEVELS_FOR_ALL:
                excluded.append(name)
            else:
                chosen.append(name)
        return chosen, excluded
    return x_arg.split(","), []


def design(df, types, target, regressors, intercept, standardize):
    used = df[[target] + regressors].dropna()
    plain = [c for c in regressors if types[c] != "text"]
    text = [c for c in regressors if types[c] == "text"]
    x = used[plain].astype(float)
    if text:
        dummies = pd.get_dummies(used[text], drop_first=True).astype(float)
        x = pd.concat([x, dummies], axis=1)
    y = used[target]
    if standardize:
        y = (y - y.mean()) / y.std(ddof=1)
        for c in plain:
            if types[c] == "number":
                x[c] = (x[c] - x[c].mean()) / x[c].std(ddof=1)
    if intercept:
        x.insert(0, "const", 1.0)
    return used, x, y


def num(value):
    value = float(value)
    return None if not math.isfinite(value) else value


def coefficient_rows(res, x, use_vif):
    ci = np.asarray(res.conf_int(0.05))
    rows = []
    for i, name in enumerate(x.columns):
        row = {"name": name, "estimate": num(res.params.iloc[i]), "std_error": num(res.bse.iloc[i]),
               "statistic": num(res.tvalues.iloc[i]), "p_value": num(res.pvalues.iloc[i]),
               "ci_lower": num(ci[i, 0]), "ci_upper": num(ci[i, 1])}
        row["sd"] = None if name == "const" else num(x[name].std(ddof=1))
        if use_vif:
            row["vif"] = None if name == "const" else num(
                variance_inflation_factor(x.values, i))
        else:
            row["odds_ratio"] = num(math.exp(res.params.iloc[i]))
            row["odds_ratio_lower"] = num(math.exp(ci[i, 0]))
            row["odds_ratio_upper"] = num(math.exp(ci[i, 1]))
        rows.append(row)
    return rows


def breusch_pagan(res, intercept):
    """statsmodels' het_breuschpagan (Koenker's robust LM) on the design; null without a constant."""
    keys = ["breusch_pagan", "breusch_pagan_p_value", "breusch_pagan_f", "breusch_pagan_f_p_value"]
    if not intercept:
        return dict.fromkeys(keys)
    return dict(zip(keys, map(num, het_breuschpagan(res.resid, res.model.exog))))


def residual_plots(res):
    """The report's points: (fitted, residual) per row, and the normal Q-Q of resid / sqrt(scale)
    from statsmodels' ProbPlot (plotting positions i / (n + 1)). Every case here has at most
    2,000 rows, so no thinning."""
    n = int(res.nobs)
    assert n <= 2000
    qq = ProbPlot(np.asarray(res.resid) / math.sqrt(res.scale))
    return {
        "residuals_vs_fitted": {"rows": n, "every": 1, "points": [
            [num(f), num(r)] for f, r in zip(res.fittedvalues, res.resid)]},
        "qq": {"rows": n, "points": [
            [num(t), num(v)] for t, v in zip(qq.theoretical_quantiles, qq.sample_quantiles)]},
    }


def run_ols(df, types, args):
    target = args[args.index("--y") + 1]
    regressors, excluded = select(df, types, target, args[args.index("--x") + 1])
    intercept = "--no-intercept" not in args
    cov_type = args[args.index("--robust") + 1] if "--robust" in args else "nonrobust"
    used, x, y = design(df, types, target, regressors, intercept, "--standardize" in args)
    res = sm.OLS(y.astype(float), x).fit(cov_type=cov_type)
    summary = res.summary()
    d = res.diagn
    expected = {
        "model": "ols", "dependent": target, "covariance_type": cov_type,
        "distribution": "t" if res.use_t else "normal", "intercept": intercept,
        "n": int(res.nobs), "df_model": num(res.df_model), "df_resid": num(res.df_resid),
        "r_squared": num(res.rsquared), "adj_r_squared": num(res.rsquared_adj),
        "f_statistic": num(res.fvalue), "f_p_value": num(res.f_pvalue),
        "log_likelihood": num(res.llf), "aic": num(res.aic), "bic": num(res.bic),
        "ssr": num(res.ssr), "scale": num(res.scale),
        "coefficients": coefficient_rows(res, x, True),
        "diagnostics": {
            "omnibus": num(d["omni"]), "omnibus_p_value": num(d["omnipv"]),
            "skew": num(d["skew"]), "kurtosis": num(d["kurtosis"]),
            "jarque_bera": num(d["jb"]), "jarque_bera_p_value": num(d["jbpv"]),
            "durbin_watson": num(sm.stats.durbin_watson(res.wresid)),
            "condition_number": num(d["condno"]), "smallest_eigenvalue": num(d["mineigval"]),
            **breusch_pagan(res, intercept)},
        "plots": residual_plots(res),
        "design": {"rows_in_table": len(df), "rows_used": len(used),
                   "rows_dropped_missing": len(df) - len(used), "excluded": excluded},
    }
    return expected, summary.as_text()


def run_logit(df, types, args):
    target = args[args.index("--y") + 1]
    regressors, excluded = select(df, types, target, args[args.index("--x") + 1])
    used, x, y = design(df, types, target, regressors, "--no-intercept" not in args, False)
    positive = "1"
    if types[target] == "text":
        levels = sorted(y.unique())
        positive = levels[1]
        y = (y == positive).astype(float)
    elif types[target] == "bool":
        positive = "true"
    res = sm.Logit(y.astype(float), x).fit(method="newton", disp=0)
    expected = {
        "model": "logit", "dependent": target, "positive_level": positive,
        "n": int(res.nobs), "df_model": num(res.df_model), "df_resid": num(res.df_resid),
        "pseudo_r_squared": num(res.prsquared), "log_likelihood": num(res.llf),
        "ll_null": num(res.llnull), "llr": num(res.llr), "llr_p_value": num(res.llr_pvalue),
        "aic": num(res.aic), "bic": num(res.bic),
        "converged": bool(res.mle_retvals["converged"]),
        "iterations": int(res.mle_retvals["iterations"]),
        "coefficients": coefficient_rows(res, x, False),
        "design": {"rows_in_table": len(df), "rows_used": len(used),
                   "rows_dropped_missing": len(df) - len(used), "excluded": excluded},
    }
    return expected, res.summary().as_text()


def main():
    # The summaries' Date: and Time: rows show the epoch, so that regenerating changes nothing.
    import statsmodels.iolib.summary as summary_module
    summary_module.time.localtime = lambda *args: time.gmtime(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=GOLDEN)
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    for case, command, input_name, args in CASES:
        df, types = read_table(DATA / input_name)
        expected, summary = (run_ols if command == "ols" else run_logit)(df, types, args)
        golden = {"command": command, "input": input_name, "args": args, "expected": expected}
        text = json.dumps(golden, indent=2, ensure_ascii=False)
        # Plot points one pair per line: [\n  a,\n  b\n] -> [a, b].
        text = re.sub(r"\[\s+(\S+),\s+(\S+)\s+\]", r"[\1, \2]", text)
        (out / f"{case}.json").write_text(text + "\n", encoding="utf-8")
        (out / f"{case}.summary.txt").write_text(summary + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
