// Tests on regression residuals, defined as statsmodels 0.13 / scipy 1.10 define them: skewness,
// kurtosis, Jarque-Bera, D'Agostino-Pearson omnibus, Durbin-Watson.
#pragma once

#include <Eigen/Core>

#include "custlens/regression.h"

namespace custlens::models {

/// Biased (moment) skewness m3 / m2^1.5 and kurtosis m4 / m2², about the sample mean; NaN when
/// the values are constant.
struct Moments {
  double skew = 0;
  double kurtosis = 0;
};
Moments moments(const Eigen::VectorXd& values);

/// scipy.stats.skewtest's z (needs 8 values) and kurtosistest's z (needs 5); NaN below.
double skew_test_z(double skew, double n);
double kurtosis_test_z(double kurtosis, double n);

/// Omnibus (NaN below 8 rows), skew, kurtosis, Jarque-Bera and Durbin-Watson of `residuals`;
/// condition_number and smallest_eigenvalue are left to the caller.
ResidualDiagnostics residual_diagnostics(const Eigen::VectorXd& residuals);

}  // namespace custlens::models
