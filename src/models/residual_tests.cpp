// Residual diagnostics of the OLS summary's bottom table.
#include "models/residual_tests.h"

#include <cmath>
#include <limits>

#include "common/distributions.h"

namespace custlens::models {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

Moments moments(const Eigen::VectorXd& values) {
  const double n = static_cast<double>(values.size());
  const double mean = values.mean();
  const Eigen::ArrayXd centered = values.array() - mean;
  const Eigen::ArrayXd squared = centered.square();
  const double m2 = squared.sum() / n;
  const double m3 = (squared * centered).sum() / n;
  const double m4 = squared.square().sum() / n;
  // scipy's test for "constant": m2 within the resolution of the mean.
  const double resolution = 1e-15 * std::fabs(mean);
  if (m2 <= resolution * resolution) return {kNaN, kNaN};
  return {m3 / std::pow(m2, 1.5), m4 / (m2 * m2)};
}

double skew_test_z(double skew, double n) {
  if (n < 8 || std::isnan(skew)) return kNaN;
  double y = skew * std::sqrt(((n + 1) * (n + 3)) / (6.0 * (n - 2)));
  const double beta2 =
      (3.0 * (n * n + 27 * n - 70) * (n + 1) * (n + 3)) / ((n - 2.0) * (n + 5) * (n + 7) * (n + 9));
  const double w2 = -1 + std::sqrt(2 * (beta2 - 1));
  const double delta = 1 / std::sqrt(0.5 * std::log(w2));
  const double alpha = std::sqrt(2.0 / (w2 - 1));
  if (y == 0) y = 1;  // as scipy: a zero skew maps to z = delta * asinh(1 / alpha)
  return delta * std::log(y / alpha + std::sqrt((y / alpha) * (y / alpha) + 1));
}

double kurtosis_test_z(double kurtosis, double n) {
  if (n < 5 || std::isnan(kurtosis)) return kNaN;
  const double expected = 3.0 * (n - 1) / (n + 1);
  const double variance = 24.0 * n * (n - 2) * (n - 3) / ((n + 1) * (n + 1) * (n + 3) * (n + 5));
  const double x = (kurtosis - expected) / std::sqrt(variance);
  const double sqrt_beta1 = 6.0 * (n * n - 5 * n + 2) / ((n + 7) * (n + 9)) *
                            std::sqrt((6.0 * (n + 3) * (n + 5)) / (n * (n - 2) * (n - 3)));
  const double a =
      6.0 + 8.0 / sqrt_beta1 * (2.0 / sqrt_beta1 + std::sqrt(1 + 4.0 / (sqrt_beta1 * sqrt_beta1)));
  const double term1 = 1 - 2 / (9.0 * a);
  const double denom = 1 + x * std::sqrt(2 / (a - 4.0));
  if (denom == 0) return kNaN;
  const double term2 = std::copysign(std::cbrt((1 - 2.0 / a) / std::fabs(denom)), denom);
  return (term1 - term2) / std::sqrt(2 / (9.0 * a));
}

ResidualDiagnostics residual_diagnostics(const Eigen::VectorXd& residuals) {
  ResidualDiagnostics out;
  const double n = static_cast<double>(residuals.size());
  const Moments m = moments(residuals);
  out.skew = m.skew;
  out.kurtosis = m.kurtosis;
  out.jarque_bera = n / 6.0 * (m.skew * m.skew + 0.25 * (m.kurtosis - 3) * (m.kurtosis - 3));
  out.jarque_bera_p_value = common::chi_squared_upper_p(out.jarque_bera, 2);
  if (n >= 8) {
    const double zs = skew_test_z(m.skew, n);
    const double zk = kurtosis_test_z(m.kurtosis, n);
    out.omnibus = zs * zs + zk * zk;
    out.omnibus_p_value = common::chi_squared_upper_p(out.omnibus, 2);
  } else {
    out.omnibus = kNaN;
    out.omnibus_p_value = kNaN;
  }
  double diff_squares = 0;
  for (Eigen::Index i = 1; i < residuals.size(); ++i) {
    const double d = residuals[i] - residuals[i - 1];
    diff_squares += d * d;
  }
  out.durbin_watson = diff_squares / residuals.squaredNorm();
  return out;
}

}  // namespace custlens::models
