// The seasonal naive forecast: each period repeats the same period one season before
// (docs/forecast.md).
#pragma once

#include <span>

#include "models/forecast_types.h"

namespace custlens::models {

/// The season used for `n` training values: `season` when n > season, else 1 (plain naive).
int seasonal_naive_period(std::size_t n, int season);

/// y[n - m + (h mod m)] for h = 0..horizon-1, with intervals from the in-sample seasonal
/// differences: sd_h = sigma * sqrt(floor(h / m) + 1), sigma^2 = mean (y_t - y_{t-m})^2
/// (Hyndman & Athanasopoulos, FPP 5.5). Throws std::invalid_argument for an empty history.
Forecast seasonal_naive_forecast(std::span<const double> history, int season, int horizon);

}  // namespace custlens::models
