// ETS against statsmodels' ETSModel (tests/reference/forecast_reference.py, golden/forecast/):
// the same log-likelihood at the same parameters (1e-6), a fitted log-likelihood not worse by
// more than 1e-4; and the model set, AICc choice and intervals on small series.
#include "models/ets.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

namespace custlens::models {
namespace {

nlohmann::json load_golden() {
  std::ifstream in(std::string(CUSTLENS_REFERENCE_DIR) + "/golden/forecast/ets.json");
  return nlohmann::json::parse(in);
}

EtsSpec spec_of(const nlohmann::json& c) {
  EtsSpec spec;
  spec.error = c["error"] == "mul" ? EtsError::kMultiplicative : EtsError::kAdditive;
  spec.trend = c["trend"] == "none"      ? EtsTrend::kNone
               : c["damped"].get<bool>() ? EtsTrend::kDamped
                                         : EtsTrend::kAdditive;
  spec.season = c["seasonal"] == "none"  ? EtsSeason::kNone
                : c["seasonal"] == "mul" ? EtsSeason::kMultiplicative
                                         : EtsSeason::kAdditive;
  spec.period = c["period"].get<int>();
  return spec;
}

// statsmodels' names; initial_seasonal.i is s_{-1-i}, our seasonal[m-1-i].
EtsParams params_of(const nlohmann::json& p, const EtsSpec& spec) {
  EtsParams params;
  params.alpha = p.at("smoothing_level");
  params.beta = p.value("smoothing_trend", 0.0);
  params.gamma = p.value("smoothing_seasonal", 0.0);
  params.phi = p.value("damping_trend", 1.0);
  params.level = p.at("initial_level");
  params.trend = p.value("initial_trend", 0.0);
  if (spec.season != EtsSeason::kNone) {
    params.seasonal.resize(static_cast<std::size_t>(spec.period));
    for (int i = 0; i < spec.period; ++i) {
      params.seasonal[static_cast<std::size_t>(spec.period - 1 - i)] =
          p.at(fmt::format("initial_seasonal.{}", i));
    }
  }
  return params;
}

std::vector<double> series_of(const nlohmann::json& golden, const nlohmann::json& c) {
  return golden["series"][c["series"].get<std::string>()].get<std::vector<double>>();
}

TEST(EtsReference, LikelihoodEqualsStatsmodelsAtTheSameParameters) {
  const nlohmann::json golden = load_golden();
  ASSERT_GE(golden["cases"].size(), 10u);
  for (const nlohmann::json& c : golden["cases"]) {
    const EtsSpec spec = spec_of(c);
    const std::vector<double> y = series_of(golden, c);
    SCOPED_TRACE(c["series"].get<std::string>() + " " + spec.name());
    EXPECT_NEAR(ets_filter(y, spec, params_of(c["params"], spec)).loglik, c["llf"].get<double>(),
                1e-6);
    EXPECT_NEAR(ets_filter(y, spec, params_of(c["perturbed_params"], spec)).loglik,
                c["perturbed_llf"].get<double>(), 1e-6);
  }
}

TEST(EtsReference, FittedLikelihoodNotWorseThanStatsmodels) {
  const nlohmann::json golden = load_golden();
  for (const nlohmann::json& c : golden["cases"]) {
    const EtsSpec spec = spec_of(c);
    const std::vector<double> y = series_of(golden, c);
    SCOPED_TRACE(c["series"].get<std::string>() + " " + spec.name());
    const std::optional<EtsFit> fit = fit_ets(y, spec);
    ASSERT_TRUE(fit.has_value());
    EXPECT_GE(fit->filtered.loglik, c["fitted_llf"].get<double>() - 1e-4);
    // The usual bounds hold.
    EXPECT_GE(fit->params.alpha, 1e-4);
    EXPECT_LE(fit->params.alpha, 1 - 1e-4);
    if (spec.trend != EtsTrend::kNone) EXPECT_LE(fit->params.beta, fit->params.alpha);
    if (spec.season != EtsSeason::kNone) EXPECT_LE(fit->params.gamma, 1 - fit->params.alpha);
    if (spec.trend == EtsTrend::kDamped) {
      EXPECT_GE(fit->params.phi, 0.8);
      EXPECT_LE(fit->params.phi, 0.98);
    }
  }
}

std::vector<double> weekly_pattern(std::size_t n, bool zeros) {
  std::vector<double> y;
  const double pattern[] = {10, 12, 14, 13, 15, 4, 8};
  for (std::size_t t = 0; t < n; ++t) {
    const double value = pattern[t % 7] + 0.05 * static_cast<double>(t) + std::sin(t * 1.3);
    y.push_back(zeros && t % 7 == 5 ? 0 : value);
  }
  return y;
}

TEST(EtsSelect, ZerosRuleOutMultiplicativeModelsAndSayWhy) {
  const EtsSelection selection = select_ets(weekly_pattern(42, true), 7);
  ASSERT_TRUE(selection.best.has_value());
  EXPECT_EQ(selection.best->spec.error, EtsError::kAdditive);
  std::size_t fitted = 0;
  for (const EtsCandidate& c : selection.candidates) {
    if (c.spec.error == EtsError::kMultiplicative || c.spec.season == EtsSeason::kMultiplicative) {
      EXPECT_FALSE(c.skipped.empty()) << c.spec.name();
    }
    if (c.aicc) ++fitted;
  }
  EXPECT_EQ(fitted, 6u);  // A x {N, A, Ad} x {N, A}
  EXPECT_EQ(selection.candidates.size(), 18u);
}

TEST(EtsSelect, PositiveSeriesFitsFifteenModelsAndPicksTheLowestAicc) {
  const EtsSelection selection = select_ets(weekly_pattern(56, false), 7);
  ASSERT_TRUE(selection.best.has_value());
  std::size_t fitted = 0;
  for (const EtsCandidate& c : selection.candidates) {
    if (!c.aicc) continue;
    ++fitted;
    EXPECT_GE(*c.aicc, selection.best->aicc);
  }
  EXPECT_EQ(fitted, 15u);
  EXPECT_NE(selection.best->spec.season, EtsSeason::kNone);  // the weekly pattern is found
}

TEST(EtsSelect, LongSeasonsAndShortSeriesAreSkipped) {
  const EtsSelection weekly = select_ets(weekly_pattern(60, false), 52);
  for (const EtsCandidate& c : weekly.candidates) {
    if (c.spec.season != EtsSeason::kNone) EXPECT_FALSE(c.skipped.empty());
  }
  const EtsSelection tiny = select_ets(std::vector<double>{1, 2, 3, 4, 5}, 1);
  EXPECT_FALSE(tiny.best.has_value());
}

TEST(EtsForecast, AnalyticIntervalsOfSimpleSmoothingGrowAsTheoryFor) {
  EtsFit fit;
  fit.spec = EtsSpec{};
  fit.params.alpha = 0.5;
  fit.filtered.level = 100;
  fit.sigma2 = 4;
  const Forecast f = ets_forecast(fit, 3);
  for (std::size_t h = 0; h < 3; ++h) EXPECT_DOUBLE_EQ(f.mean[h], 100);
  // Var_h = sigma2 (1 + (h - 1) alpha^2): 4, 5, 6.
  EXPECT_NEAR(f.hi95[0] - 100, kZ95 * 2, 1e-12);
  EXPECT_NEAR(f.hi95[1] - 100, kZ95 * std::sqrt(5.0), 1e-12);
  EXPECT_NEAR(f.hi80[2] - 100, kZ80 * std::sqrt(6.0), 1e-12);
}

TEST(EtsForecast, SimulatedIntervalsAreSeededAndOrdered) {
  const std::vector<double> y = weekly_pattern(56, false);
  const std::optional<EtsFit> fit = fit_ets(
      y, EtsSpec{EtsError::kMultiplicative, EtsTrend::kNone, EtsSeason::kMultiplicative, 7});
  ASSERT_TRUE(fit.has_value());
  const Forecast a = ets_forecast(*fit, 10, 7);
  const Forecast b = ets_forecast(*fit, 10, 7);
  EXPECT_EQ(a.lo95, b.lo95);
  for (std::size_t h = 0; h < 10; ++h) {
    EXPECT_LT(a.lo95[h], a.lo80[h]);
    EXPECT_LT(a.lo80[h], a.mean[h]);
    EXPECT_LT(a.mean[h], a.hi80[h]);
    EXPECT_LT(a.hi80[h], a.hi95[h]);
  }
}

TEST(EtsFilter, RejectsMismatchedSeasonalStates) {
  EtsSpec spec{EtsError::kAdditive, EtsTrend::kNone, EtsSeason::kAdditive, 4};
  EXPECT_THROW(ets_filter(std::vector<double>{1, 2, 3}, spec, EtsParams{}), std::invalid_argument);
  EXPECT_EQ(spec.name(), "ETS(A,N,A)");
  EXPECT_EQ(spec.free_parameters(), 2 + 1 + 3);
}

}  // namespace
}  // namespace custlens::models
