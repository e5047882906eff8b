// The seasonal naive forecast and its intervals.
#include "models/seasonal_naive.h"

#include <cmath>
#include <stdexcept>
#include <vector>

namespace custlens::models {

int seasonal_naive_period(std::size_t n, int season) {
  return season > 1 && n > static_cast<std::size_t>(season) ? season : 1;
}

Forecast seasonal_naive_forecast(std::span<const double> history, int season, int horizon) {
  const std::size_t n = history.size();
  if (n == 0) throw std::invalid_argument("seasonal naive: no history");
  const int m = seasonal_naive_period(n, season);
  const auto um = static_cast<std::size_t>(m);
  double sq = 0;
  for (std::size_t t = um; t < n; ++t) sq += std::pow(history[t] - history[t - um], 2);
  const double sigma = n > um ? std::sqrt(sq / static_cast<double>(n - um)) : 0;
  std::vector<double> mean(static_cast<std::size_t>(horizon));
  std::vector<double> sd(mean.size());
  for (std::size_t h = 0; h < mean.size(); ++h) {
    mean[h] = history[n - um + h % um];
    sd[h] = sigma * std::sqrt(static_cast<double>(h / um + 1));
  }
  return normal_intervals(std::move(mean), sd);
}

}  // namespace custlens::models
