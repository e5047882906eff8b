// Number formats and layout helpers of the statsmodels-style summary (the whole layout is
// compared with statsmodels' own text in tests/cli/models_golden_test.cpp).
#include <gtest/gtest.h>

#include <cmath>

#include "models/regression_output.h"

namespace custlens::models {
namespace {

TEST(RegressionSummaryTest, NumberFormatsAreThoseOfPython) {
  // Python: '%#8.4g' % 17360.0 == '   1.736e+04'[...]; '%#8.5g' % -8659.6 == ' -8659.6'.
  EXPECT_EQ(printf_double("%#8.4g", 17360.0), "1.736e+04");
  EXPECT_EQ(printf_double("%#8.4g", 4538.0), "   4538.");
  EXPECT_EQ(printf_double("%#6.3g", 0.0125), "0.0125");
  EXPECT_EQ(printf_double("%#8.5g", -8659.6), " -8659.6");
  EXPECT_EQ(forg(2481.63034, 4), " 2481.6303");
  EXPECT_EQ(forg(-1.378e-07, 4), "-1.378e-07");
  EXPECT_EQ(forg(0.0, 3), "        0");
  EXPECT_EQ(forg(12345.0, 3), " 1.23e+04");
  EXPECT_EQ(forg(NAN, 3), "      nan");
}

TEST(RegressionSummaryTest, OlsSummaryHasStatsmodelsSectionsAndVifs) {
  OlsResult result;
  result.dependent = "y";
  result.nobs = 10;
  result.df_model = 1;
  result.df_resid = 8;
  Coefficient c;
  c.name = "const";
  c.term = "intercept";
  result.coefficients.push_back(c);
  c.name = "x";
  c.term = "numeric";
  c.vif = 1.0;
  result.coefficients.push_back(c);
  c.name = "x_copy";
  c.dropped = true;
  result.coefficients.push_back(c);
  result.diagnostics.smallest_eigenvalue = 1e-20;
  const std::string text = ols_summary_text(result, "Thu, 01 Jan 1970", "00:00:00");
  EXPECT_NE(text.find("                            OLS Regression Results"), std::string::npos);
  EXPECT_NE(text.find("Date:                Thu, 01 Jan 1970"), std::string::npos);
  EXPECT_NE(text.find("x_copy      collinear"), std::string::npos) << text;
  EXPECT_NE(text.find("The smallest eigenvalue is  1e-20."), std::string::npos) << text;
  EXPECT_NE(text.find("Variance Inflation Factors"), std::string::npos);
}

}  // namespace
}  // namespace custlens::models
