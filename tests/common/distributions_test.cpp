// Boost.Math wrappers against scipy 1.10 (st.t.sf(2.0, 10) * 2 ...), to 1e-12 relative.
#include "common/distributions.h"

#include <gtest/gtest.h>

#include <cmath>

namespace custlens::common {
namespace {

void distributions_expect_relative(double expected, double actual) {
  EXPECT_NEAR(actual, expected, 1e-12 * std::fabs(expected));
}

TEST(DistributionsTest, MatchScipy) {
  distributions_expect_relative(0.07338803477074039, t_two_sided_p(2.0, 10));
  distributions_expect_relative(0.07338803477074039, t_two_sided_p(-2.0, 10));
  distributions_expect_relative(1.962387611064391, t_quantile(0.975, 980));
  distributions_expect_relative(0.13361440253771614, normal_two_sided_p(1.5));
  distributions_expect_relative(1.959963984540054, normal_quantile(0.975));
  distributions_expect_relative(0.012539484641155145, f_upper_p(1.88, 19, 980));
  distributions_expect_relative(7.330958042469533e-13, chi_squared_upper_p(55.883, 2));
  distributions_expect_relative(0.9999892094656574, chi_squared_upper_p(3.0, 19));
}

TEST(DistributionsTest, EdgesGiveNaNOrLimitsInsteadOfThrowing) {
  EXPECT_TRUE(std::isnan(t_two_sided_p(NAN, 5)));
  EXPECT_TRUE(std::isnan(t_two_sided_p(1.0, 0)));
  EXPECT_EQ(t_two_sided_p(INFINITY, 5), 0.0);
  EXPECT_EQ(f_upper_p(0.0, 3, 10), 1.0);
  EXPECT_TRUE(std::isnan(normal_quantile(1.0)));
  EXPECT_EQ(chi_squared_upper_p(INFINITY, 2), 0.0);
}

}  // namespace
}  // namespace custlens::common
