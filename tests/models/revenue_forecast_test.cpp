// The forecast protocol: origins before the holdout, choice by backtest MASE, refit on all; and
// XGBoost's period features use only earlier periods.
#include "models/revenue_forecast.h"

#include <gtest/gtest.h>

#include <cmath>

#include "models/xgboost_forecast.h"

namespace custlens::models {
namespace {

// A model forecasting a constant, and one repeating the last week: the test series is weekly.
std::optional<ModelForecast> constant_model(const ForecastInput& input) {
  ModelForecast out;
  out.forecast = normal_intervals(std::vector<double>(input.horizon, 10.0),
                                  std::vector<double>(input.horizon, 1.0));
  out.detail = "constant";
  return out;
}

std::optional<ModelForecast> last_week_model(const ForecastInput& input) {
  ModelForecast out;
  std::vector<double> mean;
  for (int h = 0; h < input.horizon; ++h) {
    mean.push_back(input.history[input.history.size() - 7 + static_cast<std::size_t>(h % 7)]);
  }
  out.forecast = normal_intervals(std::move(mean), std::vector<double>(input.horizon, 1.0));
  return out;
}

std::vector<double> weekly_series(std::size_t n) {
  std::vector<double> y;
  for (std::size_t t = 0; t < n; ++t) y.push_back(t % 7 == 5 ? 0 : 10 + static_cast<double>(t % 7));
  return y;
}

std::vector<std::int64_t> days(std::size_t n) {
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(19723 + static_cast<std::int64_t>(i));
  return out;
}

TEST(RunForecast, OriginsComeBeforeTheHoldoutAndTheBestBacktestWins) {
  const std::vector<double> y = weekly_series(56);
  const std::vector<std::int64_t> d = days(70);
  ForecastOptions options;
  options.horizon = 14;
  options.holdout = 7;
  options.origins = 3;
  const std::vector<ForecastModel> models = {{"constant", &constant_model},
                                             {"last_week", &last_week_model}};
  const ForecastResult result = run_forecast(y, d, analysis::Frequency::kDay, models, options);
  EXPECT_EQ(result.fit_periods, 49u);
  EXPECT_EQ(result.origins, (std::vector<std::size_t>{28, 35, 42}));
  EXPECT_EQ(result.chosen, 1u);
  ASSERT_TRUE(result.models[1].backtest_mase.has_value());
  EXPECT_DOUBLE_EQ(*result.models[1].backtest_mase, 0);
  EXPECT_GT(*result.models[0].backtest_mase, 0);
  ASSERT_TRUE(result.models[1].metrics.has_value());
  EXPECT_DOUBLE_EQ(result.models[1].metrics->mae, 0);
  EXPECT_EQ(result.future.forecast.size(), 14u);
  EXPECT_DOUBLE_EQ(result.future.forecast.mean[5], 0);  // the Saturday of the last week

  options.holdout = 28;
  EXPECT_THROW(run_forecast(y, days(90), analysis::Frequency::kDay, models, options),
               std::invalid_argument);
}

TEST(RunForecast, StandardModelsOnAShortWeeklyPattern) {
  const std::vector<double> y = weekly_series(49);
  ForecastOptions options;
  options.horizon = 7;
  options.holdout = 7;
  options.origins = 2;
  const ForecastResult result =
      run_forecast(y, days(56), analysis::Frequency::kDay, standard_forecast_models(), options);
  ASSERT_EQ(result.models.size(), 3u);
  for (const ModelEvaluation& model : result.models) {
    ASSERT_TRUE(model.metrics.has_value()) << model.name;
    EXPECT_TRUE(std::isfinite(model.metrics->mae));
  }
  EXPECT_EQ(result.models[result.chosen].name, "seasonal_naive");  // exact on a pure pattern
  EXPECT_EQ(result.future.forecast.size(), 7u);
}

TEST(RunForecast, WeekdaysWithoutAnySaleAreForecastAtZero) {
  // The constant model forecasts 10 every day; the series never sells on its sixth weekday.
  const std::vector<double> y = weekly_series(56);
  const std::vector<std::int64_t> d = days(70);
  ForecastOptions options;
  options.horizon = 14;
  options.holdout = 7;
  options.origins = 1;
  const ForecastResult result =
      run_forecast(y, d, analysis::Frequency::kDay, {{"constant", &constant_model}}, options);
  for (std::size_t h = 0; h < 14; ++h) {
    const bool closed = (56 + h) % 7 == 5;
    EXPECT_EQ(result.future.forecast.mean[h], closed ? 0 : 10) << h;
    EXPECT_EQ(result.future.forecast.hi95[h] == 0, closed) << h;
  }
  // Weekly periods have no weekdays: nothing is zeroed.
  const ForecastResult weekly =
      run_forecast(y, d, analysis::Frequency::kWeek, {{"constant", &constant_model}}, options);
  for (double value : weekly.future.forecast.mean) EXPECT_EQ(value, 10);
}

TEST(XgboostForecast, FeaturesOfAPeriodIgnoreItAndLaterPeriods) {
  std::vector<double> y = weekly_series(40);
  const std::vector<std::int64_t> d = days(40);
  const FeatureMatrix before = period_features(y, d, analysis::Frequency::kDay, 30, 1);
  for (std::size_t t = 30; t < 40; ++t) y[t] = 1e6;
  const FeatureMatrix after = period_features(y, d, analysis::Frequency::kDay, 30, 1);
  ASSERT_EQ(before.cols(), after.cols());
  for (std::size_t c = 0; c < before.cols(); ++c) {
    EXPECT_EQ(before.at(0, c), after.at(0, c)) << before.names[c];
  }
  EXPECT_EQ(before.names.front(), "weekday");
  EXPECT_TRUE(std::isnan(period_features(y, d, analysis::Frequency::kDay, 3, 1).at(0, 10)));
}

}  // namespace
}  // namespace custlens::models
