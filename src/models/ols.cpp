// fit_ols: least squares by QR, the statistics of statsmodels' OLS summary, robust covariances
// and variance inflation factors.
#include <fmt/format.h>

#include <Eigen/Cholesky>
#include <Eigen/SVD>
#include <cmath>
#include <limits>
#include <numbers>

#include "common/distributions.h"
#include "custlens/error.h"
#include "custlens/regression.h"
#include "models/design.h"
#include "models/least_squares.h"
#include "models/residual_tests.h"

namespace custlens {
namespace {

// (X'X)⁻¹ scaled by s², or statsmodels' HC1 / HC3 sandwich (X'X)⁻¹ X' diag(w) X (X'X)⁻¹.
Eigen::MatrixXd coefficient_covariance(CovarianceType type, const Eigen::MatrixXd& x,
                                       const Eigen::VectorXd& residuals,
                                       const Eigen::MatrixXd& r_inverse, double df_resid,
                                       double scale) {
  const Eigen::MatrixXd xtx_inverse = r_inverse * r_inverse.transpose();
  if (type == CovarianceType::kNonRobust) return scale * xtx_inverse;
  Eigen::VectorXd weights;
  if (type == CovarianceType::kHC1) {
    weights = static_cast<double>(x.rows()) / df_resid * residuals.array().square();
  } else {
    const Eigen::VectorXd h = models::leverages(x, r_inverse);
    weights = (residuals.array() / (1 - h.array())).square();
  }
  return xtx_inverse * models::weighted_gram(x, weights) * xtx_inverse;
}

// statsmodels' F under a robust covariance: the Wald test that every slope (every coefficient
// without an intercept) is 0, divided by their number.
double wald_f_of_slopes(const Eigen::VectorXd& beta, const Eigen::MatrixXd& covariance,
                        bool intercept) {
  const Eigen::Index slopes = beta.size() - (intercept ? 1 : 0);  // the intercept is never dropped
  const Eigen::VectorXd b = beta.tail(slopes);
  const Eigen::MatrixXd v = covariance.bottomRightCorner(slopes, slopes);
  return b.dot(v.ldlt().solve(b)) / static_cast<double>(slopes);
}

// Koenker's Breusch-Pagan: the squared residuals regressed on the design (one more QR pass);
// LM = n · R², χ²(rank − 1), and the auxiliary regression's F. Needs an intercept (R² centred).
void breusch_pagan(const Eigen::MatrixXd& x, const Eigen::VectorXd& residuals, bool intercept,
                   ResidualDiagnostics& out) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  out.breusch_pagan = out.breusch_pagan_p_value = nan;
  out.breusch_pagan_f = out.breusch_pagan_f_p_value = nan;
  const Eigen::Index k = x.cols();
  const auto n = static_cast<double>(x.rows());
  if (!intercept || k < 2) return;
  const Eigen::VectorXd squared = residuals.array().square().matrix();
  const Eigen::MatrixXd r = models::r_factor(x, &squared);
  const double ssr = r(k, k) * r(k, k);
  const double tss = (squared.array() - squared.mean()).square().sum();
  if (!(tss > 0)) return;
  const double r_squared = 1 - ssr / tss;
  const double df_model = static_cast<double>(k - 1);
  const double df_resid = n - static_cast<double>(k);
  out.breusch_pagan = n * r_squared;
  out.breusch_pagan_p_value = common::chi_squared_upper_p(out.breusch_pagan, df_model);
  out.breusch_pagan_f = ((tss - ssr) / df_model) / (ssr / df_resid);
  out.breusch_pagan_f_p_value = common::f_upper_p(out.breusch_pagan_f, df_model, df_resid);
}

}  // namespace

std::string_view to_string(CovarianceType type) {
  switch (type) {
    case CovarianceType::kHC1:
      return "HC1";
    case CovarianceType::kHC3:
      return "HC3";
    case CovarianceType::kNonRobust:
      break;
  }
  return "nonrobust";
}

CovarianceType parse_covariance_type(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper == "HC1") return CovarianceType::kHC1;
  if (upper == "HC3") return CovarianceType::kHC3;
  if (upper == "NONROBUST") return CovarianceType::kNonRobust;
  throw Error(fmt::format("--robust '{}' is not HC1 or HC3", text));
}

OlsResult fit_ols(const Table& table, const OlsOptions& options) {
  models::Design design = models::build_design(table, options.design, models::TargetKind::kNumeric);
  const Eigen::Index n = design.x.rows();
  const Eigen::Index k = design.x.cols();
  if (n <= k) {
    throw Error(
        fmt::format("{} rows used but the model has {} parameters; OLS needs more rows "
                    "than parameters",
                    n, k));
  }

  OlsResult result;
  result.dependent = design.target;
  result.design = design.report;
  result.covariance = options.covariance;
  result.use_t = options.covariance == CovarianceType::kNonRobust;
  result.intercept = design.intercept;
  result.nobs = static_cast<std::size_t>(n);
  const double k_constant = design.intercept ? 1.0 : 0.0;

  // R of [X | y]: R of X, Q'y and the residual norm in one pass over the rows.
  Eigen::MatrixXd r = models::r_factor(design.x, &design.y);
  const Eigen::MatrixXd r_design = r.topLeftCorner(k, k);
  // The condition number is that of the design as given, collinear columns included.
  const Eigen::VectorXd singular = Eigen::JacobiSVD<Eigen::MatrixXd>(r_design).singularValues();
  result.diagnostics.condition_number = singular[0] / singular[k - 1];
  result.diagnostics.smallest_eigenvalue = singular[k - 1] * singular[k - 1];

  const std::vector<Eigen::Index> kept =
      models::keep_independent_columns(r_design, design.columns, result.collinear, result.warnings);
  const auto rank = static_cast<Eigen::Index>(kept.size());
  Eigen::MatrixXd reduced;
  if (rank < k) {
    reduced = models::select_columns(design.x, kept);
    r = models::r_factor(reduced, &design.y);
  }
  const Eigen::MatrixXd& x = rank < k ? reduced : design.x;
  const Eigen::MatrixXd rr = r.topLeftCorner(rank, rank);
  const Eigen::VectorXd qty = r.col(rank).head(rank);
  if (rank - static_cast<Eigen::Index>(k_constant) < 1) {
    throw Error("no regressors left once the collinear columns are left out");
  }

  const auto upper = rr.triangularView<Eigen::Upper>();
  const Eigen::VectorXd beta = upper.solve(qty);
  const Eigen::VectorXd residuals = design.y - x * beta;
  const Eigen::MatrixXd r_inverse = upper.solve(Eigen::MatrixXd::Identity(rank, rank));

  const double nobs = static_cast<double>(n);
  result.df_model = static_cast<double>(rank) - k_constant;
  result.df_resid = nobs - static_cast<double>(rank);
  result.ssr = residuals.squaredNorm();
  result.scale = result.ssr / result.df_resid;
  const double y_mean = design.y.mean();
  const double centered_tss = (design.y.array() - y_mean).square().sum();
  const double tss = design.intercept ? centered_tss : design.y.squaredNorm();
  result.r_squared = 1 - result.ssr / tss;
  result.adj_r_squared = 1 - (nobs - k_constant) / result.df_resid * (1 - result.r_squared);
  result.log_likelihood = -nobs / 2 * std::log(2 * std::numbers::pi) -
                          nobs / 2 * std::log(result.ssr / nobs) - nobs / 2;
  const double k_params = result.df_model + k_constant;
  result.aic = -2 * result.log_likelihood + 2 * k_params;
  result.bic = -2 * result.log_likelihood + std::log(nobs) * k_params;

  const Eigen::MatrixXd covariance = coefficient_covariance(
      options.covariance, x, residuals, r_inverse, result.df_resid, result.scale);
  if (options.covariance == CovarianceType::kNonRobust) {
    result.f_statistic = ((tss - result.ssr) / result.df_model) / result.scale;
  } else {
    result.f_statistic = wald_f_of_slopes(beta, covariance, design.intercept);
  }
  result.f_p_value = common::f_upper_p(result.f_statistic, result.df_model, result.df_resid);

  result.coefficients = models::coefficient_table(design.columns, kept, beta, covariance,
                                                  result.use_t, result.df_resid);
  for (Eigen::Index i = 0; i < rank; ++i) {
    Coefficient& c =
        result.coefficients[static_cast<std::size_t>(kept[static_cast<std::size_t>(i)])];
    if (c.term == "intercept") continue;
    // VIF_j = 1 / (1 − R²_j) = TSS_j · [(X'X)⁻¹]_jj, R²_j centered when there is an intercept.
    const auto column = x.col(i);
    const double column_tss =
        design.intercept ? (column.array() - column.mean()).square().sum() : column.squaredNorm();
    c.vif = column_tss * r_inverse.row(i).squaredNorm();
  }

  const double condition = result.diagnostics.condition_number;
  const double smallest = result.diagnostics.smallest_eigenvalue;
  result.diagnostics = models::residual_diagnostics(residuals);
  result.diagnostics.condition_number = condition;
  result.diagnostics.smallest_eigenvalue = smallest;
  breusch_pagan(x, residuals, design.intercept, result.diagnostics);

  result.residuals.assign(residuals.data(), residuals.data() + residuals.size());
  result.fitted.resize(result.residuals.size());
  for (Eigen::Index i = 0; i < residuals.size(); ++i) {
    result.fitted[static_cast<std::size_t>(i)] = design.y[i] - residuals[i];
  }
  return result;
}

}  // namespace custlens
