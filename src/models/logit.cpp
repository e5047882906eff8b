// fit_logit: logistic regression by Newton's method as statsmodels' Logit.fit(method='newton'),
// with step halving, separation checks and the statistics of its summary.
#include <fmt/format.h>

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <cmath>

#include "common/distributions.h"
#include "custlens/error.h"
#include "custlens/regression.h"
#include "models/design.h"
#include "models/least_squares.h"
#include "models/logit_newton.h"

namespace custlens {
namespace {

// statsmodels adds this to the diagonal of the (per-row) Hessian before each Newton solve.
constexpr double kRidge = 1e-10;
// A row is "perfectly predicted" when |y − p| is below this (statsmodels' summary note).
constexpr double kPredictedExactly = 1e-4;
// statsmodels stops with PerfectSeparationError when every |y − p| is below this.
constexpr double kPerfectFit = 1e-8;
constexpr int kMaxHalvings = 30;

// log σ(t) without overflow: log(1 / (1 + e^−t)).
double log_sigmoid(double t) {
  return t >= 0 ? -std::log1p(std::exp(-t)) : t - std::log1p(std::exp(t));
}

Eigen::VectorXd probabilities(const Eigen::VectorXd& eta) {
  return (1.0 / (1.0 + (-eta.array()).exp())).matrix();
}

double log_likelihood(const Eigen::VectorXd& eta, const Eigen::VectorXd& y) {
  double sum = 0;
  for (Eigen::Index i = 0; i < eta.size(); ++i) sum += log_sigmoid(y[i] > 0.5 ? eta[i] : -eta[i]);
  return sum;
}

// A single column whose values for y = 1 and y = 0 do not overlap (complete) or touch at one value
// (quasi). Returns the column index or -1; `complete` says which.
Eigen::Index separating_column(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, bool& complete) {
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const auto column = x.col(j);
    if (column.minCoeff() == column.maxCoeff()) continue;  // the intercept, or constant
    double min1 = INFINITY, max1 = -INFINITY, min0 = INFINITY, max0 = -INFINITY;
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      if (y[i] > 0.5) {
        min1 = std::min(min1, column[i]);
        max1 = std::max(max1, column[i]);
      } else {
        min0 = std::min(min0, column[i]);
        max0 = std::max(max0, column[i]);
      }
    }
    if (max0 < min1 || max1 < min0) {
      complete = true;
      return j;
    }
    if (max0 <= min1 || max1 <= min0) {
      complete = false;
      return j;
    }
  }
  return -1;
}

// The column whose coefficient runs away the most: largest |β_j| · sd(x_j).
Eigen::Index runaway_column(const Eigen::MatrixXd& x, const Eigen::VectorXd& beta) {
  Eigen::Index best = -1;
  double largest = -1;
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const auto column = x.col(j);
    const double sd = std::sqrt((column.array() - column.mean()).square().mean());
    if (sd == 0) continue;
    const double size = std::fabs(beta[j]) * sd;
    if (size > largest) {
      largest = size;
      best = j;
    }
  }
  return best;
}

}  // namespace

namespace models {

// Newton's method as statsmodels: start at 0, stop when no parameter moves more than the
// tolerance, at most max_iterations steps; plus step halving.
NewtonFit logit_newton(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, int max_iterations,
                       double tolerance,
                       const std::function<void(const Eigen::VectorXd&)>& on_perfect_fit) {
  const double nobs = static_cast<double>(x.rows());
  NewtonFit fit;
  fit.beta = Eigen::VectorXd::Zero(x.cols());
  fit.eta = Eigen::VectorXd::Zero(x.rows());
  fit.llf = log_likelihood(fit.eta, y);
  Eigen::VectorXd previous = Eigen::VectorXd::Constant(x.cols(), INFINITY);
  while (fit.iterations < max_iterations &&
         ((fit.beta - previous).array().abs() > tolerance).any()) {
    const Eigen::VectorXd p = probabilities(fit.eta);
    const Eigen::VectorXd score = x.transpose() * (y - p) / nobs;
    Eigen::MatrixXd information =
        models::weighted_gram(x, (p.array() * (1 - p.array())).matrix()) / nobs;
    information.diagonal().array() -= kRidge;  // statsmodels adds the ridge to the Hessian
    const Eigen::VectorXd step = information.ldlt().solve(score);
    previous = fit.beta;
    Eigen::VectorXd candidate = fit.beta + step;
    Eigen::VectorXd candidate_eta = x * candidate;
    double candidate_llf = log_likelihood(candidate_eta, y);
    // Step halving: a full step that lowers the likelihood is cut back until it does not.
    for (int halving = 0;
         halving < kMaxHalvings && candidate_llf < fit.llf - 1e-12 * std::fabs(fit.llf);
         ++halving) {
      candidate = fit.beta + std::ldexp(1.0, -(halving + 1)) * step;
      candidate_eta = x * candidate;
      candidate_llf = log_likelihood(candidate_eta, y);
    }
    fit.beta = std::move(candidate);
    fit.eta = std::move(candidate_eta);
    fit.llf = candidate_llf;
    ++fit.iterations;
    if (((y - probabilities(fit.eta)).array().abs() <= kPerfectFit).all()) on_perfect_fit(fit.beta);
  }
  return fit;
}

}  // namespace models

LogitResult fit_logit(const Table& table, const LogitOptions& options) {
  models::Design design = models::build_design(table, options.design, models::TargetKind::kBinary);
  const Eigen::Index n = design.x.rows();
  const Eigen::Index k = design.x.cols();
  if (n <= k) {
    throw Error(
        fmt::format("{} rows used but the model has {} parameters; logit needs more rows "
                    "than parameters",
                    n, k));
  }
  LogitResult result;
  result.dependent = design.target;
  result.design = design.report;
  result.intercept = design.intercept;
  result.nobs = static_cast<std::size_t>(n);
  result.positives = static_cast<std::size_t>(design.y.sum());
  const double k_constant = design.intercept ? 1.0 : 0.0;
  const double nobs = static_cast<double>(n);

  const std::vector<Eigen::Index> kept = models::keep_independent_columns(
      models::r_factor(design.x, nullptr), design.columns, result.collinear, result.warnings);
  const auto rank = static_cast<Eigen::Index>(kept.size());
  Eigen::MatrixXd reduced;
  if (rank < k) reduced = models::select_columns(design.x, kept);
  const Eigen::MatrixXd& x = rank < k ? reduced : design.x;
  const Eigen::VectorXd& y = design.y;
  auto name_of = [&](Eigen::Index j) {
    return design.columns[static_cast<std::size_t>(kept[static_cast<std::size_t>(j)])].name;
  };

  bool complete = false;
  const Eigen::Index separating = separating_column(x, y, complete);
  if (separating >= 0 && complete) {
    throw Error(fmt::format(
        "complete separation: '{}' alone predicts every value of '{}'; the logit estimates do "
        "not exist (leave '{}' out of --x)",
        name_of(separating), design.target, name_of(separating)));
  }
  if (separating >= 0) {
    result.separation_column = name_of(separating);
    result.warnings.push_back(fmt::format(
        "quasi-separation: '{}' predicts '{}' exactly on one side of a value; its coefficient "
        "runs off and its standard error is not meaningful",
        result.separation_column, design.target));
  }

  const models::NewtonFit fit = models::logit_newton(
      x, y, options.max_iterations, options.tolerance, [&](const Eigen::VectorXd& beta) {
        const Eigen::Index column = runaway_column(x, beta);
        throw Error(fmt::format(
            "complete separation: the regressors predict every value of '{}' exactly (the "
            "largest coefficient is on '{}'); the logit estimates do not exist",
            design.target, column >= 0 ? name_of(column) : std::string("?")));
      });
  const Eigen::VectorXd& beta = fit.beta;
  const Eigen::VectorXd& eta = fit.eta;
  const double llf = fit.llf;
  const int iterations = fit.iterations;
  result.iterations = iterations;
  result.converged = iterations < options.max_iterations;
  if (!result.converged) {
    result.warnings.push_back(fmt::format(
        "Newton's method did not converge in {} iterations; the estimates are not reliable",
        options.max_iterations));
  }

  const Eigen::VectorXd p = probabilities(eta);
  const Eigen::MatrixXd information =
      models::weighted_gram(x, (p.array() * (1 - p.array())).matrix());
  const Eigen::MatrixXd covariance = information.fullPivLu().inverse();
  const Eigen::Index exactly = ((y - p).array().abs() < kPredictedExactly).count();
  if (exactly == n) {
    const Eigen::Index column = runaway_column(x, beta);
    throw Error(
        fmt::format("complete separation: the regressors predict every value of '{}' (the largest "
                    "coefficient is on '{}'); the logit estimates do not exist",
                    design.target, column >= 0 ? name_of(column) : std::string("?")));
  }
  if (static_cast<double>(exactly) / nobs > 0.1 && result.separation_column.empty()) {
    const Eigen::Index column = runaway_column(x, beta);
    result.separation_column = column >= 0 ? name_of(column) : "";
    result.warnings.push_back(
        fmt::format("possible quasi-separation: {:.2f} of the rows are predicted exactly (largest "
                    "coefficient: '{}'); some estimates are not identified",
                    static_cast<double>(exactly) / nobs, result.separation_column));
  }

  result.log_likelihood = llf;
  const double mean = y.mean();
  result.ll_null = nobs * (mean * std::log(mean) + (1 - mean) * std::log(1 - mean));
  result.df_model = static_cast<double>(rank) - k_constant;
  result.df_resid = nobs - static_cast<double>(rank);
  result.pseudo_r_squared = 1 - result.log_likelihood / result.ll_null;
  result.llr = -2 * (result.ll_null - result.log_likelihood);
  result.llr_p_value = common::chi_squared_upper_p(result.llr, result.df_model);
  const double k_params = result.df_model + k_constant;
  result.aic = -2 * (result.log_likelihood - k_params);
  result.bic = -2 * result.log_likelihood + std::log(nobs) * k_params;

  result.coefficients =
      models::coefficient_table(design.columns, kept, beta, covariance, false, result.df_resid);
  for (auto& c : result.coefficients) {
    c.odds_ratio = std::exp(c.estimate);
    c.odds_ratio_lower = std::exp(c.ci_lower);
    c.odds_ratio_upper = std::exp(c.ci_upper);
  }
  return result;
}

}  // namespace custlens
