// Calendar and lag features of periods, and the recursive XGBoost forecast.
#include "models/xgboost_forecast.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/calendar.h"
#include "models/xgboost_booster.h"

namespace custlens::models {
namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

struct FeatureLayout {
  bool weekday = false;
  bool day_of_month = false;
  bool week_of_year = false;
  std::vector<int> lags;
  std::vector<int> windows;  // rolling means over the last w periods
};

FeatureLayout layout_of(analysis::Frequency freq) {
  switch (freq) {
    case analysis::Frequency::kDay:
      return {true, true, false, {1, 2, 3, 4, 5, 6, 7, 14, 28}, {7, 28}};
    case analysis::Frequency::kWeek:
      return {false, false, true, {1, 2, 3, 4, 8, 13, 52}, {4, 13}};
    case analysis::Frequency::kMonth:
      return {false, false, false, {1, 2, 3, 6, 12}, {3, 6}};
  }
  return {};
}

std::vector<std::string> feature_names(const FeatureLayout& layout) {
  std::vector<std::string> names;
  if (layout.weekday) names.emplace_back("weekday");
  if (layout.day_of_month) names.emplace_back("day_of_month");
  if (layout.week_of_year) names.emplace_back("week_of_year");
  names.emplace_back("month");
  for (int lag : layout.lags) names.push_back(fmt::format("lag_{}", lag));
  for (int w : layout.windows) names.push_back(fmt::format("mean_{}", w));
  return names;
}

void fill_row(const FeatureLayout& layout, std::span<const double> values, std::int64_t day,
              std::size_t t, float* row) {
  std::size_t c = 0;
  const common::CivilDate date = common::civil_from_days(day);
  if (layout.weekday) row[c++] = static_cast<float>(common::weekday_from_days(day));
  if (layout.day_of_month) row[c++] = static_cast<float>(date.day);
  if (layout.week_of_year) {
    // The ISO week's number: its Thursday's day of the year / 7.
    const std::int64_t thursday = day - common::weekday_from_days(day) + 3;
    const int year = common::civil_from_days(thursday).year;
    row[c++] = static_cast<float>((thursday - common::days_from_civil(year, 1, 1)) / 7 + 1);
  }
  row[c++] = static_cast<float>(date.month);
  for (int lag : layout.lags) {
    const auto l = static_cast<std::size_t>(lag);
    row[c++] = t >= l ? static_cast<float>(values[t - l]) : kMissing;
  }
  for (int w : layout.windows) {
    const auto width = static_cast<std::size_t>(w);
    if (t < width) {
      row[c++] = kMissing;
      continue;
    }
    double sum = 0;
    for (std::size_t i = t - width; i < t; ++i) sum += values[i];
    row[c++] = static_cast<float>(sum / static_cast<double>(width));
  }
}

BoosterParams regression_params(std::uint64_t seed) {
  BoosterParams params;
  params.objective = "reg:squarederror";
  params.max_depth = 3;
  params.eta = 0.05;
  params.rounds = 300;
  params.early_stopping_rounds = 0;
  params.seed = seed;
  params.threads = 1;  // a few hundred rows: threads cost more than they give (and stay seeded)
  return params;
}

// Trains on periods 1..n-1 of `values` and forecasts `steps` periods, each from the ones before.
std::vector<double> recursive_forecast(std::span<const double> history,
                                       std::span<const std::int64_t> period_days,
                                       analysis::Frequency freq, std::size_t steps,
                                       std::uint64_t seed) {
  const std::size_t n = history.size();
  const FeatureMatrix x = period_features(history, period_days, freq, 1, n - 1);
  std::vector<float> y;
  for (std::size_t t = 1; t < n; ++t) y.push_back(static_cast<float>(history[t]));
  const Booster booster = Booster::train(x, y, regression_params(seed));
  std::vector<double> extended(history.begin(), history.end());
  std::vector<double> out;
  for (std::size_t h = 0; h < steps; ++h) {
    const FeatureMatrix row = period_features(extended, period_days, freq, n + h, 1);
    const double value = booster.predict(row).front();
    out.push_back(value);
    extended.push_back(value);
  }
  return out;
}

}  // namespace

FeatureMatrix period_features(std::span<const double> values,
                              std::span<const std::int64_t> period_days, analysis::Frequency freq,
                              std::size_t first_row, std::size_t rows) {
  const FeatureLayout layout = layout_of(freq);
  FeatureMatrix x;
  x.names = feature_names(layout);
  x.rows = rows;
  x.values.assign(rows * x.cols(), kMissing);
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t t = first_row + r;
    fill_row(layout, values.first(std::min(t, values.size())), period_days[t], t,
             &x.values[r * x.cols()]);
  }
  return x;
}

std::optional<ModelForecast> xgboost_forecast(const ForecastInput& input, std::uint64_t seed) {
  const std::size_t n = input.history.size();
  if (n < 8) return std::nullopt;
  const auto horizon = static_cast<std::size_t>(input.horizon);
  // The model's own backtest: the last `inner` periods forecast from the ones before.
  const std::size_t inner = std::max<std::size_t>(1, std::min(horizon, n / 4));
  const std::vector<double> inner_forecast = recursive_forecast(
      input.history.first(n - inner), input.period_days, input.freq, inner, seed);
  std::vector<double> errors;
  for (std::size_t i = 0; i < inner; ++i) {
    errors.push_back(input.history[n - inner + i] - inner_forecast[i]);
  }
  std::sort(errors.begin(), errors.end());
  ModelForecast out;
  out.forecast.mean =
      recursive_forecast(input.history, input.period_days, input.freq, horizon, seed);
  for (double mean : out.forecast.mean) {
    out.forecast.lo95.push_back(mean + quantile_sorted(errors, 0.025));
    out.forecast.lo80.push_back(mean + quantile_sorted(errors, 0.1));
    out.forecast.hi80.push_back(mean + quantile_sorted(errors, 0.9));
    out.forecast.hi95.push_back(mean + quantile_sorted(errors, 0.975));
  }
  out.detail = fmt::format("300 rounds, depth 3, intervals from {} backtest errors", inner);
  return out;
}

}  // namespace custlens::models
