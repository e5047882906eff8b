// Holdout metrics and the seasonal naive forecast against numpy / scikit-learn
// (tests/reference/forecast_reference.py, golden/forecast/metrics.json and naive.json).
#include "models/forecast_types.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "models/seasonal_naive.h"

namespace custlens::models {
namespace {

nlohmann::json golden(const std::string& name) {
  std::ifstream in(std::string(CUSTLENS_REFERENCE_DIR) + "/golden/forecast/" + name);
  return nlohmann::json::parse(in);
}

void expect_metrics(const ForecastMetrics& got, const nlohmann::json& want) {
  constexpr double kTol = 1e-9;  // relative: the golden holds 12 significant digits
  auto near = [&](double a, const nlohmann::json& b, const char* what) {
    ASSERT_FALSE(b.is_null()) << what;
    EXPECT_NEAR(a, b.get<double>(), kTol * std::max(1.0, std::abs(a))) << what;
  };
  near(got.mae, want["mae"], "mae");
  near(got.rmse, want["rmse"], "rmse");
  ASSERT_TRUE(got.mape.has_value());
  near(*got.mape, want["mape"], "mape");
  EXPECT_EQ(got.mape_skipped, want["mape_zero_actuals_skipped"].get<std::size_t>());
  ASSERT_TRUE(got.mase.has_value());
  near(*got.mase, want["mase"], "mase");
  ASSERT_TRUE(got.r2.has_value());
  near(*got.r2, want["r2"], "r2");
  near(got.coverage_80, want["coverage_80"], "coverage_80");
  near(got.coverage_95, want["coverage_95"], "coverage_95");
}

TEST(ForecastMetrics, EqualScikitLearnAndNumpy) {
  for (const nlohmann::json& c : golden("metrics.json")) {
    const auto actual = c["actual"].get<std::vector<double>>();
    const auto mean = c["mean"].get<std::vector<double>>();
    const auto width = c["width80"].get<std::vector<double>>();
    Forecast f;
    f.mean = mean;
    for (std::size_t i = 0; i < mean.size(); ++i) {
      f.lo80.push_back(mean[i] - width[i]);
      f.hi80.push_back(mean[i] + width[i]);
      f.lo95.push_back(mean[i] - 2 * width[i]);
      f.hi95.push_back(mean[i] + 2 * width[i]);
    }
    const double scale = mase_scale(c["train"].get<std::vector<double>>(), c["season"].get<int>());
    expect_metrics(score_forecast(actual, f, scale), c["metrics"]);
  }
}

TEST(ForecastMetrics, UndefinedOnesHaveNoValue) {
  const std::vector<double> actual = {0, 0, 0};
  const Forecast f = normal_intervals({1, 1, 1}, std::vector<double>{1, 1, 1});
  const ForecastMetrics m = score_forecast(actual, f, 0);
  EXPECT_FALSE(m.mape.has_value());
  EXPECT_EQ(m.mape_skipped, 3u);
  EXPECT_FALSE(m.mase.has_value());
  EXPECT_FALSE(m.r2.has_value());
  EXPECT_DOUBLE_EQ(m.coverage_80, 1);
  EXPECT_THROW(score_forecast(std::vector<double>{1}, f, 1), std::invalid_argument);
}

TEST(SeasonalNaive, EqualsTheReferenceOnTheDailyHoldout) {
  const nlohmann::json naive = golden("naive.json");
  const nlohmann::json series = golden("series.json");
  const auto daily = series["daily"].get<std::vector<double>>();
  const auto holdout = naive["holdout"].get<std::size_t>();
  const std::span<const double> train(daily.data(), daily.size() - holdout);
  const Forecast f =
      seasonal_naive_forecast(train, naive["season"].get<int>(), static_cast<int>(holdout));
  const auto predicted = naive["predicted"].get<std::vector<double>>();
  const auto sd = naive["sd"].get<std::vector<double>>();
  for (std::size_t h = 0; h < holdout; ++h) {
    EXPECT_NEAR(f.mean[h], predicted[h], 1e-6);
    EXPECT_NEAR(f.hi80[h] - f.mean[h], kZ80 * sd[h], 1e-6 * sd[h]);
  }
  const std::span<const double> actual(daily.data() + train.size(), holdout);
  expect_metrics(score_forecast(actual, f, mase_scale(train, naive["season"].get<int>())),
                 naive["metrics"]);
}

TEST(SeasonalNaive, FallsBackToNaiveWithoutAFullSeason) {
  const std::vector<double> y = {3, 5, 4};
  EXPECT_EQ(seasonal_naive_period(y.size(), 7), 1);
  const Forecast f = seasonal_naive_forecast(y, 7, 2);
  EXPECT_EQ(f.mean, (std::vector<double>{4, 4}));
  EXPECT_GT(f.hi95[1] - f.mean[1], f.hi95[0] - f.mean[0]);  // the naive sd grows with h
}

}  // namespace
}  // namespace custlens::models
