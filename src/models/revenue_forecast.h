// The forecast protocol (docs/forecast.md): candidate models behind one signature, a
// rolling-origin backtest before the holdout that picks the model with the lowest mean MASE,
// the holdout scored for every model, and the chosen model refitted on all periods.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/revenue_series.h"
#include "models/forecast_types.h"

namespace custlens::models {

/// What a model sees: the history and the calendar of the periods to come.
struct ForecastInput {
  std::span<const double> history;
  /// First day of every period (days since 1970-01-01): history.size() + horizon entries.
  std::span<const std::int64_t> period_days;
  analysis::Frequency freq = analysis::Frequency::kDay;
  int season = 1;
  int horizon = 1;
};

struct ModelForecast {
  Forecast forecast;
  std::string detail;              ///< the fitted form: "ETS(A,N,A)", "season 7"
  std::vector<std::string> notes;  ///< English remarks: families skipped and why
};

/// A candidate model: nullopt when it cannot fit this history (too short for any ETS).
struct ForecastModel {
  std::string name;
  std::function<std::optional<ModelForecast>(const ForecastInput&)> run;
};

/// Daily data: a day of the week with no sales on any of at least this many occurrences in a
/// model's history is closed, and every model forecasts it at 0, intervals included.
inline constexpr int kClosedWeekdayMinDays = 4;

/// The season of a frequency: 7 days, 52 weeks, 12 months.
int season_of(analysis::Frequency freq);

/// seasonal_naive, ets (lowest AICc of the admissible set), xgboost (calendar and lag
/// features, recursive; intervals from the quantiles of its own backtest residuals).
std::vector<ForecastModel> standard_forecast_models(std::uint64_t seed = 42);

struct ForecastOptions {
  int horizon = 28;
  int holdout = 28;
  int origins = 3;    ///< backtest origins before the holdout, `holdout` periods apart
  int min_train = 6;  ///< the fewest periods an origin fits on
};

struct ModelEvaluation {
  std::string name;
  std::string detail;                      ///< of the holdout fit
  std::optional<Forecast> holdout;         ///< fitted on the periods before the holdout
  std::optional<ForecastMetrics> metrics;  ///< of that forecast on the holdout
  /// Per origin: MASE (MAE where the origin's scale is 0); unset where the model could not fit.
  std::vector<std::optional<double>> backtest_scores;
  std::optional<double> backtest_mase;  ///< their mean; unset if any is unset
};

struct ForecastResult {
  std::size_t fit_periods = 0;          ///< periods before the holdout
  std::vector<std::size_t> origins;     ///< training sizes of the backtest origins, ascending
  std::vector<ModelEvaluation> models;  ///< in the order given
  std::size_t chosen = 0;               ///< index into models
  ModelForecast future;                 ///< the chosen model on every period
};

/// The periods needed for `options`: holdout + min_train + holdout (one origin).
std::size_t min_periods(const ForecastOptions& options);

/// `values` are the complete periods, `period_days` their first days followed by at least
/// max(horizon, holdout) future ones. Throws std::invalid_argument when values.size() <
/// min_periods(options). Ties in the backtest go to the earlier model.
ForecastResult run_forecast(std::span<const double> values,
                            std::span<const std::int64_t> period_days, analysis::Frequency freq,
                            const std::vector<ForecastModel>& models,
                            const ForecastOptions& options);

}  // namespace custlens::models
