// The Newton iteration of the logit (statsmodels' Logit.fit(method='newton')), on a ready design
// matrix: used by fit_logit and by the logistic classifier of `predict`.
#pragma once

#include <Eigen/Core>
#include <functional>

namespace custlens::models {

struct NewtonFit {
  Eigen::VectorXd beta;
  Eigen::VectorXd eta;  ///< x · beta
  double llf = 0;
  int iterations = 0;
};

/// Maximises the logit log-likelihood of y (0/1) on x from β = 0: Newton steps with step halving,
/// until no parameter moves more than `tolerance` or after `max_iterations` steps. Calls
/// `on_perfect_fit` (which must throw) when every row is predicted exactly, as statsmodels'
/// PerfectSeparationError.
NewtonFit logit_newton(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, int max_iterations,
                       double tolerance,
                       const std::function<void(const Eigen::VectorXd&)>& on_perfect_fit);

}  // namespace custlens::models
