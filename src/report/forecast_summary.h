// The revenue forecast's results (`custlens forecast`): the `forecast` object of --json and
// summary.json, written once here, and the text in English or Chinese (docs/forecast.md).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/revenue_series.h"
#include "custlens/lang.h"
#include "models/revenue_forecast.h"

namespace custlens::report {

struct ForecastRun {
  analysis::DailyRevenue daily;
  analysis::PeriodSeries series;
  analysis::SalesGaps gaps;
  models::ForecastOptions options;
  /// First day of each complete period, then of the periods to come.
  std::vector<std::int64_t> period_days;
  models::ForecastResult result;
};

/// The complete periods' revenue, in order.
std::vector<double> period_values(const analysis::PeriodSeries& series);

/// The `forecast` object: holdout, model, metrics, models, forecast (the keys) and freq,
/// series, gaps, backtest, notes. Dates YYYY-MM-DD; metrics that have no value are null.
nlohmann::json forecast_to_json(const ForecastRun& run);

/// The findings in numbers, as text.
std::string forecast_text(const ForecastRun& run, Lang lang);

}  // namespace custlens::report
