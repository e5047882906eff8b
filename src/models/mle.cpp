// Maximum likelihood for the lifetime-value models (see mle.h).
#include "models/mle.h"

#include <nlopt.h>

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "custlens/error.h"

namespace custlens::models {
namespace {

struct Objective {
  const LogLikelihood* function = nullptr;
  int evaluations = 0;
  double best = -std::numeric_limits<double>::infinity();
  std::vector<double> best_at;
};

// nlopt minimises: −log L. A non-finite likelihood (parameters where a series does not converge)
// is a wall; the best finite point seen is kept whatever nlopt does next.
double negative_log_likelihood(unsigned n, const double* x, double* gradient, void* data) {
  auto& objective = *static_cast<Objective*>(data);
  std::vector<double> g(n);
  const double ll = (*objective.function)(std::span<const double>(x, n), g);
  ++objective.evaluations;
  const bool finite = std::isfinite(ll) &&
                      std::all_of(g.begin(), g.end(), [](double v) { return std::isfinite(v); });
  if (finite && ll > objective.best) {
    objective.best = ll;
    objective.best_at.assign(x, x + n);
  }
  if (gradient != nullptr) {
    for (unsigned k = 0; k < n; ++k) gradient[k] = finite ? -g[k] : 0;
  }
  return finite ? -ll : std::numeric_limits<double>::max();
}

using NloptHandle = std::unique_ptr<nlopt_opt_s, decltype(&nlopt_destroy)>;

// One L-BFGS run from `start`; the best point seen and its log-likelihood.
std::pair<std::vector<double>, double> lbfgs(const LogLikelihood& function,
                                             std::vector<double> start, double bound,
                                             int& evaluations) {
  const auto n = static_cast<unsigned>(start.size());
  NloptHandle opt(nlopt_create(NLOPT_LD_LBFGS, n), &nlopt_destroy);
  const std::vector<double> low(n, -bound), high(n, bound);
  nlopt_set_lower_bounds(opt.get(), low.data());
  nlopt_set_upper_bounds(opt.get(), high.data());
  Objective objective{&function, 0, -std::numeric_limits<double>::infinity(), {}};
  nlopt_set_min_objective(opt.get(), &negative_log_likelihood, &objective);
  nlopt_set_ftol_rel(opt.get(), 1e-13);
  nlopt_set_xtol_rel(opt.get(), 1e-10);
  nlopt_set_maxeval(opt.get(), 3000);
  for (double& v : start) v = std::clamp(v, -bound, bound);
  double value = 0;
  nlopt_optimize(opt.get(), start.data(), &value);  // any stop: the best point seen is used
  evaluations += objective.evaluations;
  return {objective.best_at, objective.best};
}

Eigen::VectorXd gradient_at(const LogLikelihood& function, const Eigen::VectorXd& x, double& ll) {
  Eigen::VectorXd g(x.size());
  ll = function(std::span<const double>(x.data(), x.size()), std::span<double>(g.data(), g.size()));
  return g;
}

// Central differences of the exact gradient, symmetrised.
Eigen::MatrixXd hessian_at(const LogLikelihood& function, const Eigen::VectorXd& x,
                           int& evaluations) {
  const Eigen::Index n = x.size();
  Eigen::MatrixXd h(n, n);
  constexpr double kStep = 1e-5;
  for (Eigen::Index k = 0; k < n; ++k) {
    Eigen::VectorXd up = x, down = x;
    up[k] += kStep;
    down[k] -= kStep;
    double ll = 0;
    h.col(k) = (gradient_at(function, up, ll) - gradient_at(function, down, ll)) / (2 * kStep);
    evaluations += 2;
  }
  return (h + h.transpose()) / 2;
}

}  // namespace

MleResult maximise_log_likelihood(const LogLikelihood& search, const LogLikelihood* full,
                                  const std::vector<std::vector<double>>& starts,
                                  const MleOptions& options) {
  MleResult result;
  std::vector<double> best;
  double best_ll = -std::numeric_limits<double>::infinity();
  for (const std::vector<double>& start : starts) {
    auto [at, ll] = lbfgs(search, start, options.bound, result.evaluations);
    ++result.starts;
    if (!at.empty() && ll > best_ll) {
      best_ll = ll;
      best = std::move(at);
    }
  }
  if (best.empty()) {
    throw Error(
        "the likelihood is not finite at any starting point: the data cannot support "
        "this model");
  }
  const LogLikelihood& function = full != nullptr ? *full : search;
  if (full != nullptr) {
    auto [at, ll] = lbfgs(function, best, options.bound, result.evaluations);
    if (!at.empty()) best = std::move(at);
  }

  // Newton steps with step halving: L-BFGS stops on a relative change of log L; this drives the
  // gradient itself below the tolerance.
  Eigen::VectorXd x =
      Eigen::Map<Eigen::VectorXd>(best.data(), static_cast<Eigen::Index>(best.size()));
  double ll = 0;
  Eigen::VectorXd g = gradient_at(function, x, ll);
  ++result.evaluations;
  for (int step = 0; step < 50 && g.cwiseAbs().maxCoeff() >= options.gradient_tolerance; ++step) {
    const Eigen::MatrixXd h = hessian_at(function, x, result.evaluations);
    Eigen::LDLT<Eigen::MatrixXd> negative(-h);
    Eigen::VectorXd direction;
    if (negative.info() == Eigen::Success && negative.isPositive()) {
      direction = negative.solve(g);
    } else {
      direction = g / std::max(1.0, g.norm());  // not concave here: a short ascent step
    }
    bool moved = false;
    for (double t = 1; t > 1e-10; t /= 2) {
      Eigen::VectorXd next = (x + t * direction).cwiseMax(-options.bound).cwiseMin(options.bound);
      double next_ll = 0;
      Eigen::VectorXd next_g = gradient_at(function, next, next_ll);
      ++result.evaluations;
      if (std::isfinite(next_ll) && next_ll >= ll - 1e-12 * std::abs(ll) && next_g.allFinite()) {
        x = next;
        ll = next_ll;
        g = next_g;
        moved = true;
        break;
      }
    }
    if (!moved) break;
  }
  result.log_params.assign(x.data(), x.data() + x.size());
  result.log_likelihood = ll;
  result.max_abs_gradient = g.cwiseAbs().maxCoeff();
  const bool inside = (x.cwiseAbs().array() < options.bound - 1e-6).all();
  result.hessian = hessian_at(function, x, result.evaluations);
  // A maximum also needs a negative definite Hessian: on a flat ridge the gradient vanishes
  // without one, and nothing there is an estimate.
  const Eigen::LDLT<Eigen::MatrixXd> curvature(-result.hessian);
  const bool strict = curvature.info() == Eigen::Success && curvature.isPositive() &&
                      (curvature.vectorD().array() > 0).all();
  result.converged = inside && strict && result.max_abs_gradient < options.gradient_tolerance;
  return result;
}

std::vector<ParameterEstimate> parameter_estimates(const MleResult& result,
                                                   std::span<const std::string_view> names) {
  const auto n = static_cast<Eigen::Index>(result.log_params.size());
  Eigen::VectorXd se_log = Eigen::VectorXd::Constant(n, std::nan(""));
  Eigen::LDLT<Eigen::MatrixXd> negative(-result.hessian);
  if (negative.info() == Eigen::Success && negative.isPositive()) {
    const Eigen::MatrixXd covariance = negative.solve(Eigen::MatrixXd::Identity(n, n));
    for (Eigen::Index k = 0; k < n; ++k) {
      if (covariance(k, k) > 0) se_log[k] = std::sqrt(covariance(k, k));
    }
  }
  std::vector<ParameterEstimate> out;
  for (Eigen::Index k = 0; k < n; ++k) {
    const double log_value = result.log_params[static_cast<std::size_t>(k)];
    ParameterEstimate e;
    e.name = std::string(names[static_cast<std::size_t>(k)]);
    e.value = std::exp(log_value);
    e.se = e.value * se_log[k];
    e.ci_lower = std::exp(log_value - 1.959963984540054 * se_log[k]);
    e.ci_upper = std::exp(log_value + 1.959963984540054 * se_log[k]);
    out.push_back(std::move(e));
  }
  return out;
}

MleSummary summarise_mle(const MleResult& result, std::span<const std::string_view> names) {
  MleSummary out;
  out.parameters = parameter_estimates(result, names);
  out.log_likelihood = result.log_likelihood;
  out.max_abs_gradient = result.max_abs_gradient;
  out.converged = result.converged;
  out.starts = result.starts;
  out.evaluations = result.evaluations;
  return out;
}

}  // namespace custlens::models
