// Maximum likelihood on log-parameters for the lifetime-value models: nlopt's L-BFGS from
// several starts with exact (forward-mode) gradients, then Newton steps on a Hessian from central
// differences of the gradient until the gradient is below a tolerance; standard errors and 95 %
// intervals from that Hessian.
#pragma once

#include <Eigen/Core>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace custlens::models {

/// The log-likelihood at the log-parameters, with its gradient written to the second argument.
using LogLikelihood = std::function<double(std::span<const double>, std::span<double>)>;

struct MleOptions {
  double gradient_tolerance = 1e-6;  ///< on max |∂ log L / ∂ log θ|
  double bound = 12;                 ///< log-parameters kept within ±bound (e^12 ≈ 1.6e5)
};

struct MleResult {
  std::vector<double> log_params;
  double log_likelihood = 0;
  double max_abs_gradient = 0;
  bool converged = false;  ///< the gradient reached the tolerance inside the bounds, at a point
                           ///< where the Hessian is negative definite
  int evaluations = 0;     ///< likelihood and gradient evaluations, all starts
  int starts = 0;
  Eigen::MatrixXd hessian;  ///< of log L in the log-parameters, at the optimum
};

/// L-BFGS from each start on `search` (a sample of the data, or the data), the best of them
/// continued on `full` (when it is another function) and polished by Newton steps on `full`.
/// Deterministic. Throws custlens::Error when no start gives a finite likelihood.
MleResult maximise_log_likelihood(const LogLikelihood& search, const LogLikelihood* full,
                                  const std::vector<std::vector<double>>& starts,
                                  const MleOptions& options = {});

/// A parameter with its standard error and 95 % interval, from the log-parameter's estimate and
/// the inverse Hessian: se = θ·se(log θ) (delta method), interval exp(log θ ± 1.96·se(log θ)),
/// so it stays positive. NaN se and interval when the Hessian is not negative definite.
struct ParameterEstimate {
  std::string name;
  double value = 0;
  double se = 0;
  double ci_lower = 0;
  double ci_upper = 0;
};
std::vector<ParameterEstimate> parameter_estimates(const MleResult& result,
                                                   std::span<const std::string_view> names);

/// What a fitted model reports of its maximum-likelihood search (BtydFit, GammaGammaFit).
struct MleSummary {
  std::vector<ParameterEstimate> parameters;
  double log_likelihood = 0;
  double max_abs_gradient = 0;
  bool converged = false;
  int starts = 0;
  int evaluations = 0;
};
MleSummary summarise_mle(const MleResult& result, std::span<const std::string_view> names);

}  // namespace custlens::models
