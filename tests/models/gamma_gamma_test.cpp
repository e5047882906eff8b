// Gamma-Gamma against the published CDNOW figures (Fader, Hardie & Lee 2005: p, q, v = 6.25,
// 3.74, 15.44 on 946 repeat customers) and the scipy reference (golden/clv/fits.json to 1e-5,
// per_customer.csv's expected value at fixed parameters to 1e-12).
#include "models/gamma_gamma.h"

#include <gtest/gtest.h>

#include <cmath>

#include "custlens/error.h"
#include "support/clv_golden.h"

namespace custlens {
namespace {

using testing::close_relative;

struct Repeaters {
  std::vector<double> x, zbar;
};

Repeaters cdnow_repeaters() {
  const testing::GoldenCsv golden =
      testing::read_golden_csv(testing::clv_golden_path("summary.csv"));
  const auto x = golden.numbers("x"), zbar = golden.numbers("zbar");
  Repeaters out;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] > 0 && zbar[i] > 0) {
      out.x.push_back(x[i]);
      out.zbar.push_back(zbar[i]);
    }
  }
  return out;
}

TEST(GammaGamma, PublishedAndReferenceParameters) {
  const Repeaters r = cdnow_repeaters();
  ASSERT_EQ(r.x.size(), 946U);
  const models::GammaGammaFit fit = models::fit_gamma_gamma(r.x, r.zbar);
  EXPECT_DOUBLE_EQ(std::round(fit.p * 100) / 100, 6.25);
  EXPECT_DOUBLE_EQ(std::round(fit.q * 100) / 100, 3.74);
  EXPECT_DOUBLE_EQ(std::round(fit.v * 100) / 100, 15.44);
  EXPECT_TRUE(fit.converged);
  EXPECT_LT(fit.max_abs_gradient, 1e-6);
  const nlohmann::json want =
      testing::read_golden_json(testing::clv_golden_path("fits.json"))["gamma_gamma"];
  EXPECT_TRUE(close_relative(fit.log_likelihood, want["log_likelihood"].get<double>(), 1e-8));
  for (const models::ParameterEstimate& p : fit.parameters) {
    EXPECT_TRUE(close_relative(p.value, want[p.name].get<double>(), 1e-5)) << p.name;
    EXPECT_TRUE(close_relative(p.se, want["se"][p.name].get<double>(), 1e-3)) << p.name;
  }
}

TEST(GammaGamma, ExpectedValueAtFixedParametersMatchesTheReference) {
  const testing::GoldenCsv summary =
      testing::read_golden_csv(testing::clv_golden_path("summary.csv"));
  const testing::GoldenCsv per =
      testing::read_golden_csv(testing::clv_golden_path("per_customer.csv"));
  models::GammaGammaFit fit;
  fit.p = 6.25;
  fit.q = 3.74;
  fit.v = 15.44;
  const auto x = summary.numbers("x"), zbar = summary.numbers("zbar");
  const auto want = per.numbers("expected_value");
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double got =
        x[i] > 0 && zbar[i] > 0 ? fit.expected_value(x[i], zbar[i]) : fit.population_mean();
    EXPECT_TRUE(close_relative(got, want[i], 1e-12)) << i;
  }
}

TEST(GammaGamma, NoMeanWithoutQAboveOne) {
  models::GammaGammaFit fit;
  fit.p = 2;
  fit.q = 0.8;
  fit.v = 10;
  EXPECT_TRUE(std::isnan(fit.population_mean()));
}

TEST(GammaGamma, TooFewOrConstantValuesAreClearErrors) {
  const std::vector<double> one = {1}, value = {10};
  EXPECT_THROW(models::fit_gamma_gamma(one, value), Error);
  const std::vector<double> x = {1, 2, 3}, same = {5, 5, 5};
  EXPECT_THROW(models::fit_gamma_gamma(x, same), Error);
}

}  // namespace
}  // namespace custlens
