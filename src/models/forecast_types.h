// What every revenue forecast model returns, and the holdout metrics that compare them
// (docs/forecast.md, "Metrics").
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace custlens::models {

/// Point forecasts and the 80 % and 95 % prediction intervals, one entry per step ahead.
struct Forecast {
  std::vector<double> mean;
  std::vector<double> lo80, hi80, lo95, hi95;
  std::size_t size() const { return mean.size(); }
};

/// z of the two-sided 80 % and 95 % normal intervals.
inline constexpr double kZ80 = 1.2815515655446004;
inline constexpr double kZ95 = 1.959963984540054;

/// A point forecast with normal intervals of standard deviation `sd[h]` around it.
Forecast normal_intervals(std::vector<double> mean, std::span<const double> sd);

/// Holdout metrics of a forecast against the actual values. Unset optionals have no value:
/// mape when every actual is 0, mase when the scale is 0, r2 when the actuals are all equal.
struct ForecastMetrics {
  double mae = 0;
  double rmse = 0;
  std::optional<double> mape;    ///< mean |e|/|actual| over the nonzero actuals, as a share
  std::size_t mape_skipped = 0;  ///< actuals equal to 0, left out of mape
  std::optional<double> mase;    ///< mae / mase_scale
  std::optional<double> r2;      ///< 1 - SSE / sum (actual - mean actual)^2
  double coverage_80 = 0;        ///< share of actuals inside [lo80, hi80]
  double coverage_95 = 0;
};

/// The MASE scale of a training series: mean |y_t - y_{t-m}| over t = m..n-1 (m = 1 when the
/// series is not longer than m); 0 for fewer than two values.
double mase_scale(std::span<const double> train, int season);

/// Throws std::invalid_argument when the sizes differ or are 0.
ForecastMetrics score_forecast(std::span<const double> actual, const Forecast& forecast,
                               double scale);

/// Sample quantile with linear interpolation (numpy's default, R type 7); `values` is sorted.
double quantile_sorted(std::span<const double> values, double p);

}  // namespace custlens::models
