// The forecast intervals and holdout metrics.
#include "models/forecast_types.h"

#include <cmath>
#include <stdexcept>

namespace custlens::models {

Forecast normal_intervals(std::vector<double> mean, std::span<const double> sd) {
  Forecast out;
  const std::size_t n = mean.size();
  out.lo80.resize(n);
  out.hi80.resize(n);
  out.lo95.resize(n);
  out.hi95.resize(n);
  for (std::size_t h = 0; h < n; ++h) {
    out.lo80[h] = mean[h] - kZ80 * sd[h];
    out.hi80[h] = mean[h] + kZ80 * sd[h];
    out.lo95[h] = mean[h] - kZ95 * sd[h];
    out.hi95[h] = mean[h] + kZ95 * sd[h];
  }
  out.mean = std::move(mean);
  return out;
}

double mase_scale(std::span<const double> train, int season) {
  const std::size_t n = train.size();
  std::size_t m = season > 0 ? static_cast<std::size_t>(season) : 1;
  if (n <= m) m = 1;
  if (n < 2) return 0;
  double sum = 0;
  for (std::size_t t = m; t < n; ++t) sum += std::abs(train[t] - train[t - m]);
  return sum / static_cast<double>(n - m);
}

ForecastMetrics score_forecast(std::span<const double> actual, const Forecast& forecast,
                               double scale) {
  const std::size_t n = actual.size();
  if (n == 0 || forecast.size() != n) {
    throw std::invalid_argument("score_forecast: actuals and forecast differ in size");
  }
  ForecastMetrics metrics;
  double abs_sum = 0;
  double sq_sum = 0;
  double ape_sum = 0;
  std::size_t ape_count = 0;
  double mean_actual = 0;
  std::size_t in80 = 0;
  std::size_t in95 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double error = actual[i] - forecast.mean[i];
    abs_sum += std::abs(error);
    sq_sum += error * error;
    mean_actual += actual[i];
    if (actual[i] != 0) {
      ape_sum += std::abs(error) / std::abs(actual[i]);
      ++ape_count;
    }
    if (actual[i] >= forecast.lo80[i] && actual[i] <= forecast.hi80[i]) ++in80;
    if (actual[i] >= forecast.lo95[i] && actual[i] <= forecast.hi95[i]) ++in95;
  }
  const double count = static_cast<double>(n);
  mean_actual /= count;
  metrics.mae = abs_sum / count;
  metrics.rmse = std::sqrt(sq_sum / count);
  metrics.mape_skipped = n - ape_count;
  if (ape_count > 0) metrics.mape = ape_sum / static_cast<double>(ape_count);
  if (scale > 0) metrics.mase = metrics.mae / scale;
  double total = 0;
  for (double value : actual) total += (value - mean_actual) * (value - mean_actual);
  if (total > 0) metrics.r2 = 1 - sq_sum / total;
  metrics.coverage_80 = static_cast<double>(in80) / count;
  metrics.coverage_95 = static_cast<double>(in95) / count;
  return metrics;
}

double quantile_sorted(std::span<const double> values, double p) {
  if (values.empty()) return 0;
  const double position = p * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  const double weight = position - static_cast<double>(below);
  return values[below] + weight * (values[above] - values[below]);
}

}  // namespace custlens::models
