// The forecast protocol: candidates, backtest origins, holdout, choice, final forecast.
#include "models/revenue_forecast.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>

#include "common/calendar.h"
#include "models/ets.h"
#include "models/seasonal_naive.h"
#include "models/xgboost_forecast.h"

namespace custlens::models {
namespace {

std::optional<ModelForecast> run_seasonal_naive(const ForecastInput& input) {
  ModelForecast out;
  out.forecast = seasonal_naive_forecast(input.history, input.season, input.horizon);
  const int m = seasonal_naive_period(input.history.size(), input.season);
  out.detail = m > 1 ? fmt::format("season {}", m) : "naive (no full season before)";
  return out;
}

std::optional<ModelForecast> run_ets(const ForecastInput& input) {
  const EtsSelection selection = select_ets(input.history, input.season);
  if (!selection.best) return std::nullopt;
  ModelForecast out;
  out.forecast = ets_forecast(*selection.best, input.horizon);
  out.detail = selection.best->spec.name();
  for (const EtsCandidate& candidate : selection.candidates) {
    if (!candidate.skipped.empty()) {
      out.notes.push_back(fmt::format("{}: {}", candidate.spec.name(), candidate.skipped));
    }
  }
  return out;
}

void zero_closed_weekdays(const ForecastInput& input, ModelForecast& run) {
  if (input.freq != analysis::Frequency::kDay) return;
  std::array<int, 7> days{};
  std::array<bool, 7> sales{};
  for (std::size_t t = 0; t < input.history.size(); ++t) {
    const auto w = static_cast<std::size_t>(common::weekday_from_days(input.period_days[t]));
    ++days[w];
    if (input.history[t] != 0) sales[w] = true;
  }
  Forecast& f = run.forecast;
  for (std::size_t h = 0; h < f.size(); ++h) {
    const auto w = static_cast<std::size_t>(
        common::weekday_from_days(input.period_days[input.history.size() + h]));
    if (days[w] >= kClosedWeekdayMinDays && !sales[w]) {
      f.mean[h] = f.lo80[h] = f.hi80[h] = f.lo95[h] = f.hi95[h] = 0;
    }
  }
}

// The model's forecast, closed weekdays at 0.
std::optional<ModelForecast> run_model(const ForecastModel& model, const ForecastInput& input) {
  std::optional<ModelForecast> run = model.run(input);
  if (run) zero_closed_weekdays(input, *run);
  return run;
}

ForecastInput input_for(std::span<const double> values, std::span<const std::int64_t> days,
                        std::size_t train, int horizon, analysis::Frequency freq) {
  ForecastInput input;
  input.history = values.first(train);
  input.period_days = days.first(train + static_cast<std::size_t>(horizon));
  input.freq = freq;
  input.season = season_of(freq);
  input.horizon = horizon;
  return input;
}

}  // namespace

int season_of(analysis::Frequency freq) {
  switch (freq) {
    case analysis::Frequency::kDay:
      return 7;
    case analysis::Frequency::kWeek:
      return 52;
    case analysis::Frequency::kMonth:
      return 12;
  }
  return 1;
}

std::vector<ForecastModel> standard_forecast_models(std::uint64_t seed) {
  return {
      {"seasonal_naive", &run_seasonal_naive},
      {"ets", &run_ets},
      {"xgboost", [seed](const ForecastInput& input) { return xgboost_forecast(input, seed); }}};
}

std::size_t min_periods(const ForecastOptions& options) {
  return static_cast<std::size_t>(2 * options.holdout + options.min_train);
}

ForecastResult run_forecast(std::span<const double> values,
                            std::span<const std::int64_t> period_days, analysis::Frequency freq,
                            const std::vector<ForecastModel>& models,
                            const ForecastOptions& options) {
  const std::size_t n = values.size();
  const auto holdout = static_cast<std::size_t>(options.holdout);
  if (options.holdout < 1 || options.horizon < 1 || n < min_periods(options)) {
    throw std::invalid_argument("run_forecast: too few periods for the holdout and one origin");
  }
  if (period_days.size() < n + std::max(holdout, static_cast<std::size_t>(options.horizon))) {
    throw std::invalid_argument("run_forecast: period_days must cover the horizon");
  }
  ForecastResult result;
  result.fit_periods = n - holdout;
  for (int k = options.origins; k >= 1; --k) {
    const std::size_t back = static_cast<std::size_t>(k) * holdout;
    if (result.fit_periods >= back + static_cast<std::size_t>(options.min_train)) {
      result.origins.push_back(result.fit_periods - back);
    }
  }
  const int season = season_of(freq);
  for (const ForecastModel& model : models) {
    ModelEvaluation evaluation;
    evaluation.name = model.name;
    double sum = 0;
    bool complete = true;
    for (std::size_t origin : result.origins) {
      const std::optional<ModelForecast> run =
          run_model(model, input_for(values, period_days, origin, options.holdout, freq));
      if (!run) {
        evaluation.backtest_scores.emplace_back();
        complete = false;
        continue;
      }
      const std::span<const double> actual = values.subspan(origin, holdout);
      const double scale = mase_scale(values.first(origin), season);
      const ForecastMetrics metrics = score_forecast(actual, run->forecast, scale);
      const double score = metrics.mase ? *metrics.mase : metrics.mae;
      evaluation.backtest_scores.emplace_back(score);
      sum += score;
    }
    if (complete && !result.origins.empty()) {
      evaluation.backtest_mase = sum / static_cast<double>(result.origins.size());
    }
    if (const std::optional<ModelForecast> run = run_model(
            model, input_for(values, period_days, result.fit_periods, options.holdout, freq))) {
      evaluation.detail = run->detail;
      evaluation.holdout = run->forecast;
      evaluation.metrics =
          score_forecast(values.subspan(result.fit_periods, holdout), run->forecast,
                         mase_scale(values.first(result.fit_periods), season));
    }
    result.models.push_back(std::move(evaluation));
  }
  // The lowest backtest MASE among models that fitted everywhere; else the first that fitted.
  double best = std::numeric_limits<double>::infinity();
  std::optional<std::size_t> chosen;
  for (std::size_t i = 0; i < result.models.size(); ++i) {
    const ModelEvaluation& model = result.models[i];
    if (model.backtest_mase && model.holdout && *model.backtest_mase < best) {
      best = *model.backtest_mase;
      chosen = i;
    }
  }
  for (std::size_t i = 0; !chosen && i < result.models.size(); ++i) {
    if (result.models[i].holdout) chosen = i;
  }
  if (!chosen) throw std::invalid_argument("run_forecast: no model could fit the series");
  result.chosen = *chosen;
  for (std::size_t i = *chosen; i < models.size(); ++i) {
    // The chosen model on every period; should it fail there, the next that does not.
    if (std::optional<ModelForecast> run =
            run_model(models[i], input_for(values, period_days, n, options.horizon, freq))) {
      result.future = std::move(*run);
      result.chosen = i;
      break;
    }
  }
  return result;
}

}  // namespace custlens::models
