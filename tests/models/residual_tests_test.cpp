// Residual diagnostics against scipy 1.10 / statsmodels 0.13 values for a fixed sample
// (printed by python3 -c "scipy.stats.skewtest(x) ..."), to 1e-12 relative.
#include "models/residual_tests.h"

#include <gtest/gtest.h>

#include <cmath>

namespace custlens::models {
namespace {

void residual_expect_relative(double expected, double actual) {
  EXPECT_NEAR(actual, expected, 1e-12 * std::fabs(expected));
}

Eigen::VectorXd sample() {
  Eigen::VectorXd x(12);
  x << 1, 2, 3, 4, 5, 6, 7, 8, 9, 20, -3, 0.5;
  return x;
}

TEST(ResidualTestsTest, MomentsAndNormalityTestsMatchScipy) {
  const Eigen::VectorXd x = sample();
  const Moments m = moments(x);
  residual_expect_relative(1.243332142546882, m.skew);
  residual_expect_relative(4.732990737460868, m.kurtosis);
  residual_expect_relative(2.1843428746644213, skew_test_z(m.skew, 12));
  residual_expect_relative(2.120590783034885, kurtosis_test_z(m.kurtosis, 12));
  const ResidualDiagnostics d = residual_diagnostics(x);
  residual_expect_relative(9.268259063189735, d.omnibus);
  residual_expect_relative(0.009714559576163151, d.omnibus_p_value);
  residual_expect_relative(4.5933780814430225, d.jarque_bera);
  residual_expect_relative(0.10059134682003171, d.jarque_bera_p_value);
  residual_expect_relative(0.9654303204897371, d.durbin_watson);
}

TEST(ResidualTestsTest, TooFewRowsOrConstantGiveNaN) {
  Eigen::VectorXd few(5);
  few << 1, 2, 3, 4, 6;
  EXPECT_TRUE(std::isnan(residual_diagnostics(few).omnibus));
  EXPECT_FALSE(std::isnan(residual_diagnostics(few).jarque_bera));
  EXPECT_TRUE(std::isnan(moments(Eigen::VectorXd::Constant(9, 2.5)).skew));
}

}  // namespace
}  // namespace custlens::models
