#!/usr/bin/env python3
"""What `custlens forecast FILE --freq day --models seasonal_naive,ets --json` does, in pandas +
statsmodels (bench/forecast_vs_statsmodels.sh): daily revenue with zeros, the same rolling-origin
backtest (3 origins of H = 28 days before a 28-day holdout, then a refit on all days), seasonal
naive and the AICc-best ETSModel of the admissible set (R's set without multiplicative trend;
multiplicative error/season only for strictly positive data; season m = 7). Prints JSON: the
chosen model, its holdout MAE and the ETS form chosen on all days."""
import argparse
import json
import time
import warnings

import numpy as np
import pandas as pd
from statsmodels.tsa.exponential_smoothing.ets import ETSModel


def daily_revenue(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    amount = df["TotalPrice"].astype(float)
    day = pd.to_datetime(df["InvoiceDate"].str[:10], format="%Y-%m-%d")
    daily = amount.groupby(day).sum()
    days = pd.date_range(daily.index.min(), daily.index.max(), freq="D")
    return daily.reindex(days, fill_value=0.0).to_numpy()


def snaive(y, h, m=7):
    return np.array([y[len(y) - m + i % m] for i in range(h)])


def best_ets(y, m=7):
    positive = (y > 0).all()
    best = None
    for error in ("add", "mul"):
        for trend, damped in ((None, False), ("add", False), ("add", True)):
            for seasonal in (None, "add", "mul"):
                if error == "add" and seasonal == "mul":
                    continue
                if (error == "mul" or seasonal == "mul") and not positive:
                    continue
                if seasonal and len(y) < 2 * m:
                    continue
                model = ETSModel(y, error=error, trend=trend, damped_trend=damped,
                                 seasonal=seasonal, seasonal_periods=m if seasonal else None,
                                 initialization_method="estimated")
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    fit = model.fit(disp=False, maxiter=1000)
                if best is None or fit.aicc < best.aicc:
                    best = fit
    return best


def ets_forecast(y, h):
    fit = best_ets(y)
    return fit.forecast(h), fit


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("--holdout", type=int, default=28)
    parser.add_argument("--origins", type=int, default=3)
    args = parser.parse_args()
    start = time.perf_counter()
    y = daily_revenue(args.input)
    read = time.perf_counter() - start
    h = args.holdout
    fit_n = len(y) - h
    origins = [fit_n - k * h for k in range(args.origins, 0, -1) if fit_n - k * h >= 6]
    scores = {"seasonal_naive": [], "ets": []}
    for origin in origins:
        train, test = y[:origin], y[origin:origin + h]
        scale = np.mean(np.abs(train[7:] - train[:-7]))
        scores["seasonal_naive"].append(np.mean(np.abs(test - snaive(train, h))) / scale)
        scores["ets"].append(np.mean(np.abs(test - ets_forecast(train, h)[0])) / scale)
    chosen = min(scores, key=lambda k: (np.mean(scores[k]), k != "seasonal_naive"))
    train, test = y[:fit_n], y[fit_n:]
    holdout = {"seasonal_naive": snaive(train, h), "ets": ets_forecast(train, h)[0]}
    final, fit = ets_forecast(y, h)
    print(json.dumps({
        "model": chosen,
        "mae": float(np.mean(np.abs(test - holdout[chosen]))),
        "backtest_mase": {k: float(np.mean(v)) for k, v in scores.items()},
        "ets_on_all_days": fit.model.__class__.__name__ + f"({fit.model.error},{fit.model.trend},"
                            f"{fit.model.damped_trend},{fit.model.seasonal})",
        "seconds": {"read": read, "total": time.perf_counter() - start},
    }))


if __name__ == "__main__":
    main()
