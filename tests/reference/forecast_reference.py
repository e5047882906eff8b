#!/usr/bin/env python3
"""Reference for `custlens forecast` (docs/forecast.md), written from the contract, not the C++.

Writes into --out:
  series.json  daily (zeros for days without sales), ISO-weekly and monthly revenue of
               tests/data/online_retail_invoices.csv with pandas (complete periods only), the
               weekday counts of days with and without sales, the longest gap;
  ets.json     statsmodels' ETSModel on three series (UCI daily, UCI weekly, the strictly
               positive quarterly US real GDP of statsmodels' macrodata): for several model types
               the fitted parameters and initial states, the log-likelihood at them (`llf`) and at
               perturbed ones (`perturbed_llf`);
  naive.json   the seasonal naive forecast of the UCI daily holdout (last 28 days) with its
               intervals and metrics computed by numpy/scikit-learn;
  metrics.json metrics of fixed forecasts (scikit-learn / numpy), for the metric functions.
"""
import argparse
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from statsmodels.datasets import macrodata
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

ROOT = Path(__file__).resolve().parents[2]
INVOICES = ROOT / "tests" / "data" / "online_retail_invoices.csv"
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
Z80, Z95 = 1.2815515655446004, 1.959963984540054


def r(x):
    return float(f"{x:.12g}")


def daily_revenue():
    df = pd.read_csv(INVOICES, dtype=str, keep_default_na=False)
    df["amount"] = df["TotalPrice"].map(float)
    # every row of this file passes the cleaning rules (patterns_reference.py checks the same)
    assert (df["CustomerID"] != "").all() and (df["amount"] > 0).all()
    df["day"] = pd.to_datetime(df["InvoiceDate"].str[:10], format="%Y-%m-%d")
    daily = df.groupby("day")["amount"].sum()
    days = pd.date_range(daily.index.min(), daily.index.max(), freq="D")
    has_sales = pd.Series(days.isin(daily.index), index=days)
    return daily.reindex(days, fill_value=0.0), has_sales


def complete_periods(daily, freq):
    first, last = daily.index.min(), daily.index.max()
    if freq == "week":
        key = daily.index - pd.to_timedelta(daily.index.dayofweek, unit="D")
        length = lambda start: 7
        end = lambda start: start + pd.Timedelta(days=6)
    else:
        key = daily.index.to_period("M").to_timestamp()
        end = lambda start: start + pd.offsets.MonthEnd(0)
    sums = daily.groupby(key).sum()
    keep = [s for s in sums.index if s >= first and end(s) <= last]
    return sums[keep]


def series_json(daily, has_sales):
    out = {"daily": [r(v) for v in daily.values], "first_day": str(daily.index[0].date())}
    for freq in ("week", "month"):
        p = complete_periods(daily, freq)
        out[freq] = {"first": str(p.index[0].date()), "values": [r(v) for v in p.values]}
    wd = pd.Series(daily.index.dayofweek, index=daily.index)
    out["weekday_days"] = [int((wd == d).sum()) for d in range(7)]
    out["weekday_sales_days"] = [int(((wd == d) & has_sales).sum()) for d in range(7)]
    empty = (~has_sales).astype(int).values
    runs, run, longest = [], 0, 0
    for e in list(empty) + [0]:
        if e:
            run += 1
        else:
            if run:
                runs.append(run)
            run = 0
    out["zero_days"] = int(empty.sum())
    out["zero_runs"] = sum(1 for x in runs if x >= 2)
    out["longest_gap_days"] = max(runs) if runs else 0
    return out


CASES = [
    # (series, error, trend, damped, seasonal)
    ("uci_daily", "add", None, False, None),
    ("uci_daily", "add", "add", False, None),
    ("uci_daily", "add", "add", True, None),
    ("uci_daily", "add", None, False, "add"),
    ("uci_daily", "add", "add", True, "add"),
    ("uci_weekly", "add", None, False, None),
    ("uci_weekly", "add", "add", True, None),
    ("gdp_quarterly", "mul", None, False, None),
    ("gdp_quarterly", "mul", "add", False, None),
    ("gdp_quarterly", "mul", "add", True, None),
    ("gdp_quarterly", "mul", None, False, "add"),
    ("gdp_quarterly", "mul", None, False, "mul"),
    ("gdp_quarterly", "mul", "add", True, "mul"),
    ("gdp_quarterly", "add", "add", False, "add"),
]
PERIODS = {"uci_daily": 7, "uci_weekly": 52, "gdp_quarterly": 4}


def hyndman_llf(y, c, params):
    """The log-likelihood in the form of Hyndman et al. (2008) table 2.3 and R's etscalc.c, as
    statsmodels' concentrated likelihood. Used for multiplicative seasons only: statsmodels 0.13.5
    updates such a season with the new level l_t (s_t = s_{t-m} + gamma (y_t - mu_t) / l_t, its
    fitted values match that form to 1e-11), where Hyndman et al. and R use l_{t-1} + phi b_{t-1}."""
    m = c["period"]
    alpha = params["smoothing_level"]
    beta = params.get("smoothing_trend", 0.0)
    gamma = params.get("smoothing_seasonal", 0.0)
    phi = params.get("damping_trend", 1.0) if c["damped"] else 1.0
    level, trend = params["initial_level"], params.get("initial_trend", 0.0)
    season = [params[f"initial_seasonal.{m - 1 - j}"] for j in range(m)]
    fitted = []
    for t, value in enumerate(y):
        s = season[t % m]
        base = level + phi * trend
        mu = base * s
        d = value - mu
        fitted.append(mu)
        trend = phi * trend + beta * d / s
        level = base + alpha * d / s
        season[t % m] = s + gamma * d / base
    fitted = np.array(fitted)
    resid = (y - fitted) / fitted if c["error"] == "mul" else y - fitted
    llf = -len(y) / 2 * (np.log(2 * np.pi * np.mean(resid ** 2)) + 1)
    return llf - np.sum(np.log(fitted)) if c["error"] == "mul" else llf


def ets_json(series):
    cases = []
    for name, error, trend, damped, seasonal in CASES:
        y = np.asarray(series[name], dtype=float)
        m = PERIODS[name]
        model = ETSModel(y, error=error, trend=trend, damped_trend=damped, seasonal=seasonal,
                         seasonal_periods=m if seasonal else None,
                         initialization_method="estimated")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = model.fit(disp=False, maxiter=5000)
        params = dict(zip(model.param_names, fit.params))
        perturbed = np.array(fit.params, dtype=float)
        names = list(model.param_names)
        perturbed[names.index("smoothing_level")] *= 0.8
        perturbed[names.index("initial_level")] *= 1.01
        perturbed_params = dict(zip(names, perturbed))
        case = {
            "series": name,
            "error": error, "trend": trend or "none", "damped": damped,
            "seasonal": seasonal or "none", "period": m if seasonal else 1,
            "params": {k: r(v) for k, v in params.items()},
            "llf": r(model.loglike(np.array([r(params[k]) for k in names]))),
            "fitted_llf": r(fit.llf),
            "perturbed_params": {k: r(v) for k, v in perturbed_params.items()},
            "perturbed_llf": r(model.loglike(np.array([r(perturbed_params[k]) for k in names]))),
        }
        if seasonal == "mul":
            rounded = lambda d: {k: r(v) for k, v in d.items()}
            case["statsmodels_llf"], case["statsmodels_perturbed_llf"] = (
                case["llf"], case["perturbed_llf"])
            case["llf"] = r(hyndman_llf(y, case, rounded(params)))
            case["perturbed_llf"] = r(hyndman_llf(y, case, rounded(perturbed_params)))
        cases.append(case)
    return cases


def metrics(actual, mean, lo80, hi80, lo95, hi95, scale):
    actual, mean = np.asarray(actual), np.asarray(mean)
    nonzero = actual != 0
    out = {
        "mae": r(mean_absolute_error(actual, mean)),
        "rmse": r(np.sqrt(mean_squared_error(actual, mean))),
        "mape": r(np.mean(np.abs(actual - mean)[nonzero] / np.abs(actual[nonzero])))
        if nonzero.any() else None,
        "mape_zero_actuals_skipped": int((~nonzero).sum()),
        "mase": r(mean_absolute_error(actual, mean) / scale) if scale > 0 else None,
        "r2": r(r2_score(actual, mean)) if np.ptp(actual) > 0 else None,
        "coverage_80": r(np.mean((actual >= lo80) & (actual <= hi80))),
        "coverage_95": r(np.mean((actual >= lo95) & (actual <= hi95))),
    }
    return out


def naive_json(daily, holdout=28, m=7):
    y = np.asarray(daily, dtype=float)
    train, test = y[:-holdout], y[-holdout:]
    h = np.arange(holdout)
    mean = train[len(train) - m + h % m]
    sigma = np.sqrt(np.mean((train[m:] - train[:-m]) ** 2))
    sd = sigma * np.sqrt(h // m + 1)
    scale = np.mean(np.abs(train[m:] - train[:-m]))
    return {"holdout": holdout, "season": m, "predicted": [r(v) for v in mean],
            "sd": [r(v) for v in sd],
            "metrics": metrics(test, mean, mean - Z80 * sd, mean + Z80 * sd, mean - Z95 * sd,
                               mean + Z95 * sd, scale)}


def metrics_json():
    rng = np.random.default_rng(7)
    cases = []
    for zeros in (0, 3):
        actual = rng.gamma(2.0, 50.0, 20)
        actual[:zeros] = 0.0
        mean = actual + rng.normal(0, 30, 20)
        width = np.abs(rng.normal(40, 10, 20))
        train = rng.gamma(2.0, 50.0, 30)
        scale = np.mean(np.abs(train[7:] - train[:-7]))
        cases.append({"actual": [r(v) for v in actual], "mean": [r(v) for v in mean],
                      "width80": [r(v) for v in width], "train": [r(v) for v in train],
                      "season": 7,
                      "metrics": metrics(np.array([r(v) for v in actual]),
                                         np.array([r(v) for v in mean]),
                                         np.array([r(v) for v in mean - width]),
                                         np.array([r(v) for v in mean + width]),
                                         np.array([r(v) for v in mean - 2 * width]),
                                         np.array([r(v) for v in mean + 2 * width]),
                                         np.mean(np.abs(np.array([r(v) for v in train])[7:]
                                                        - np.array([r(v) for v in train])[:-7])))})
    return cases


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    daily, has_sales = daily_revenue()
    series = series_json(daily, has_sales)
    gdp = macrodata.load_pandas().data["realgdp"].values[:100]
    ets_series = {"uci_daily": series["daily"], "uci_weekly": series["week"]["values"],
                  "gdp_quarterly": [r(v) for v in gdp]}
    (out / "series.json").write_text(json.dumps(series, indent=1) + "\n")
    (out / "ets.json").write_text(
        json.dumps({"series": ets_series, "cases": ets_json(ets_series)}, indent=1) + "\n")
    (out / "naive.json").write_text(json.dumps(naive_json(series["daily"]), indent=1) + "\n")
    (out / "metrics.json").write_text(json.dumps(metrics_json(), indent=1) + "\n")


if __name__ == "__main__":
    main()
