// The XGBoost revenue forecast: calendar and lag features of each period (no holidays),
// regression on the history, forecasts made one period at a time from earlier forecasts.
#pragma once

#include <cstdint>

#include "models/feature_matrix.h"
#include "models/revenue_forecast.h"

namespace custlens::models {

/// Feature row of period `t` from `values[0..t)` (later values unused): calendar of
/// period_days[t], lags and rolling means; NaN where the history is too short.
/// The columns are the same for every t of one frequency.
FeatureMatrix period_features(std::span<const double> values,
                              std::span<const std::int64_t> period_days, analysis::Frequency freq,
                              std::size_t first_row, std::size_t rows);

/// Trains on every period with at least one lag, forecasts `input.horizon` periods
/// recursively; intervals: the point forecast plus the 2.5/10/90/97.5 % quantiles of the errors
/// of the same model fitted without its last min(horizon, n/4) periods and forecasting them.
/// nullopt for fewer than 8 periods.
std::optional<ModelForecast> xgboost_forecast(const ForecastInput& input, std::uint64_t seed);

}  // namespace custlens::models
