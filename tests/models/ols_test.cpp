// fit_ols against closed forms, rank deficiency (collinear columns left out) and bad inputs.
// Tolerances: 1e-10 relative for closed forms and reduced-model equality (both sides are QR on
// the same numbers).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "custlens/error.h"
#include "custlens/regression.h"
#include "support/csv_table.h"

namespace custlens {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::table_from_csv;

constexpr double kTolerance = 1e-10;

OlsOptions ols(std::string y, std::vector<std::string> x = {}) {
  OlsOptions o;
  o.design.target = std::move(y);
  o.design.regressors = std::move(x);
  return o;
}

std::string error_of(const Table& table, const OlsOptions& o) {
  try {
    fit_ols(table, o);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

void expect_close(double expected, double actual) {
  EXPECT_NEAR(actual, expected, kTolerance * std::max(1.0, std::fabs(expected)));
}

TEST(OlsTest, SimpleRegressionMatchesTheClosedForm) {
  const std::vector<double> xs = {1, 2, 3, 4, 5, 6}, ys = {2.1, 3.9, 6.2, 7.8, 10.1, 12.2};
  std::string csv = "x,y\n";
  for (std::size_t i = 0; i < xs.size(); ++i) csv += fmt::format("{},{}\n", xs[i], ys[i]);
  const OlsResult result = fit_ols(table_from_csv(csv), ols("y", {"x"}));
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) mx += xs[i] / 6, my += ys[i] / 6;
  double sxx = 0, sxy = 0, syy = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    sxx += (xs[i] - mx) * (xs[i] - mx);
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) * (ys[i] - my);
  }
  const double slope = sxy / sxx, intercept = my - slope * mx;
  const double ssr = syy - slope * sxy, scale = ssr / 4;
  ASSERT_EQ(result.coefficients.size(), 2u);
  expect_close(intercept, result.coefficients[0].estimate);
  expect_close(slope, result.coefficients[1].estimate);
  expect_close(std::sqrt(scale / sxx), result.coefficients[1].std_error);
  expect_close(std::sqrt(scale * (1.0 / 6 + mx * mx / sxx)), result.coefficients[0].std_error);
  expect_close(1 - ssr / syy, result.r_squared);
  expect_close(ssr, result.ssr);
  EXPECT_EQ(result.df_model, 1);
  EXPECT_EQ(result.df_resid, 4);
  // With one regressor F = t².
  expect_close(result.coefficients[1].statistic * result.coefficients[1].statistic,
               result.f_statistic);
  EXPECT_TRUE(std::isnan(result.coefficients[0].vif));
  expect_close(1.0, result.coefficients[1].vif);
}

TEST(OlsTest, DuplicateColumnIsLeftOutWithAWarningAndTheRestIsTheReducedModel) {
  const std::string with_copy =
      "x1,x2,x1_copy,y\n1,2,1,5.5\n2,1,2,6.1\n3,5,3,11.9\n4,3,4,11.2\n5,8,5,17.8\n6,5,6,16.1\n"
      "7,7,7,20.3\n8,6,8,20.9\n";
  const std::string reduced =
      "x1,x2,y\n1,2,5.5\n2,1,6.1\n3,5,11.9\n4,3,11.2\n5,8,17.8\n6,5,16.1\n7,7,20.3\n8,6,20.9\n";
  const OlsResult full = fit_ols(table_from_csv(with_copy), ols("y", {"x1", "x2", "x1_copy"}));
  const OlsResult small = fit_ols(table_from_csv(reduced), ols("y", {"x1", "x2"}));
  EXPECT_THAT(full.collinear, ElementsAre("x1_copy"));
  ASSERT_EQ(full.warnings.size(), 1u);
  EXPECT_THAT(full.warnings[0], HasSubstr("'x1_copy' is a linear combination of x1"));
  ASSERT_EQ(full.coefficients.size(), 4u);
  EXPECT_TRUE(full.coefficients[3].dropped);
  EXPECT_TRUE(std::isnan(full.coefficients[3].estimate));
  for (std::size_t i = 0; i < 3; ++i) {
    expect_close(small.coefficients[i].estimate, full.coefficients[i].estimate);
    expect_close(small.coefficients[i].std_error, full.coefficients[i].std_error);
    expect_close(small.coefficients[i].p_value, full.coefficients[i].p_value);
  }
  EXPECT_EQ(full.df_model, small.df_model);
  EXPECT_EQ(full.df_resid, small.df_resid);
  expect_close(small.r_squared, full.r_squared);
  expect_close(small.f_statistic, full.f_statistic);
  expect_close(small.log_likelihood, full.log_likelihood);
  // The design as given is singular: statsmodels' "smallest eigenvalue" note applies.
  EXPECT_LT(full.diagnostics.smallest_eigenvalue, 1e-10);
}

TEST(OlsTest, ACombinationOfDummiesIsNamedWithItsParts) {
  // other = colour_green + colour_red exactly (not blue).
  const OlsResult result =
      fit_ols(table_from_csv("colour,other,y\nred,1,3\nblue,0,1\ngreen,1,4\n"
                             "red,1,3.5\nblue,0,1.2\ngreen,1,4.4\nred,1,2.9\n"),
              ols("y", {"other", "colour"}));
  EXPECT_THAT(result.collinear, ElementsAre("colour_red"));
  EXPECT_THAT(result.warnings[0], HasSubstr("of other, colour_green"));
}

TEST(OlsTest, WithoutInterceptRSquaredIsUncentered) {
  const Table table = table_from_csv("x,y\n1,2.2\n2,3.9\n3,6.1\n4,8.2\n5,9.8\n");
  OlsOptions o = ols("y", {"x"});
  o.design.intercept = false;
  const OlsResult result = fit_ols(table, o);
  ASSERT_EQ(result.coefficients.size(), 1u);
  const double sxy = 2.2 + 2 * 3.9 + 3 * 6.1 + 4 * 8.2 + 5 * 9.8, sxx = 55;
  const double yy = 2.2 * 2.2 + 3.9 * 3.9 + 6.1 * 6.1 + 8.2 * 8.2 + 9.8 * 9.8;
  expect_close(sxy / sxx, result.coefficients[0].estimate);
  expect_close(1 - (yy - sxy * sxy / sxx) / yy, result.r_squared);
  EXPECT_EQ(result.df_model, 1);
  EXPECT_EQ(result.df_resid, 4);
}

TEST(OlsTest, RobustStandardErrorsUseTheNormalDistribution) {
  const Table table =
      table_from_csv("x,y\n1,1.1\n2,2.3\n3,2.8\n4,4.9\n5,4.7\n6,6.8\n7,6.1\n8,8.9\n");
  OlsOptions o = ols("y", {"x"});
  o.covariance = CovarianceType::kHC3;
  const OlsResult robust = fit_ols(table, o);
  EXPECT_FALSE(robust.use_t);
  const Coefficient& slope = robust.coefficients[1];
  expect_close(std::erfc(std::fabs(slope.statistic) / std::sqrt(2.0)), slope.p_value);
  expect_close(slope.estimate + 1.959963984540054 * slope.std_error, slope.ci_upper);
  // With one slope the Wald F is z².
  expect_close(slope.statistic * slope.statistic, robust.f_statistic);
}

TEST(OlsTest, BadInputsAreOneLineErrors) {
  const Table table = table_from_csv("a,b,c,k,y\n1,2,3,5,1\n2,3,1,5,2\n3,1,2,5,4\n");
  EXPECT_THAT(error_of(table, ols("k", {"a"})), HasSubstr("is constant"));
  EXPECT_THAT(error_of(table, ols("y", {"a", "b", "c"})),
              HasSubstr("3 rows used but the model has 4 parameters"));
  EXPECT_THAT(error_of(table, ols("y", {"k"})), HasSubstr("no regressors left"));
  EXPECT_THAT(error_of(table, ols("y", {"z"})), HasSubstr("--x column 'z' not found"));
}

TEST(OlsTest, CovarianceTypeNames) {
  EXPECT_EQ(parse_covariance_type("hc1"), CovarianceType::kHC1);
  EXPECT_EQ(parse_covariance_type("HC3"), CovarianceType::kHC3);
  EXPECT_EQ(to_string(CovarianceType::kNonRobust), "nonrobust");
  EXPECT_THROW(parse_covariance_type("HC2"), Error);
}

}  // namespace
}  // namespace custlens
