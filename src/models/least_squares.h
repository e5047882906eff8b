// Numerical kernels of the regressions: a parallel, order-fixed QR R factor; detection of columns
// that are linear combinations of earlier ones; weighted Gram matrices and leverages by row blocks.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "custlens/regression.h"

namespace custlens::models {

/// The upper triangular R (cols × cols) of a Householder QR of [x | y] (of x alone when y is
/// null). Blocks of rows are factored in parallel and their R factors stacked and factored again
/// in block order, so the result does not depend on the number of threads.
Eigen::MatrixXd r_factor(const Eigen::MatrixXd& x, const Eigen::VectorXd* y);

/// Columns that are linear combinations of earlier columns, found from R (the part of each
/// column not explained by the kept earlier ones is below `tolerance` of its length).
struct Collinearity {
  std::vector<Eigen::Index> kept;
  std::vector<Eigen::Index> dropped;
  /// For each dropped column: the kept columns it is a combination of.
  std::vector<std::vector<Eigen::Index>> combination;
};
inline constexpr double kCollinearTolerance = 1e-9;
Collinearity find_collinear_columns(const Eigen::MatrixXd& r,
                                    double tolerance = kCollinearTolerance);

/// The columns to keep: drops each column that is a combination of earlier ones, adding its name
/// to `collinear` and a one-line warning that names the columns it combines.
std::vector<Eigen::Index> keep_independent_columns(const Eigen::MatrixXd& r,
                                                   const std::vector<Coefficient>& columns,
                                                   std::vector<std::string>& collinear,
                                                   std::vector<std::string>& warnings);

/// The coefficient table: `columns` with, for the kept ones (in `kept` order, matching `beta`
/// and `covariance`), estimate, standard error, t or z, p-value and 95 % interval from the t
/// (use_t, df_resid degrees of freedom) or normal distribution; dropped columns NaN throughout.
std::vector<Coefficient> coefficient_table(const std::vector<Coefficient>& columns,
                                           const std::vector<Eigen::Index>& kept,
                                           const Eigen::VectorXd& beta,
                                           const Eigen::MatrixXd& covariance, bool use_t,
                                           double df_resid);

/// X' diag(w) X, summed over row blocks in a fixed order.
Eigen::MatrixXd weighted_gram(const Eigen::MatrixXd& x, const Eigen::VectorXd& w);

/// Per row, x_i' (R'R)⁻¹ x_i = ‖x_i' R⁻¹‖², given R⁻¹ (the hat matrix diagonal).
Eigen::VectorXd leverages(const Eigen::MatrixXd& x, const Eigen::MatrixXd& r_inverse);

/// The columns `columns` of x, in that order.
Eigen::MatrixXd select_columns(const Eigen::MatrixXd& x, const std::vector<Eigen::Index>& columns);

}  // namespace custlens::models
