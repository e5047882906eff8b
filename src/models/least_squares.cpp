// QR by row blocks (TSQR), collinearity detection on R, weighted Gram matrices and leverages.
#include "models/least_squares.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <limits>

#include "common/distributions.h"

namespace custlens::models {
namespace {

// Rows per block: a block of ~20 columns stays within a few MB of cache while it is factored.
constexpr Eigen::Index kBlockRows = 8192;

Eigen::Index num_blocks(Eigen::Index rows) { return (rows + kBlockRows - 1) / kBlockRows; }

}  // namespace

Eigen::MatrixXd r_factor(const Eigen::MatrixXd& x, const Eigen::VectorXd* y) {
  const Eigen::Index rows = x.rows();
  const Eigen::Index cols = x.cols() + (y != nullptr ? 1 : 0);
  const Eigen::Index blocks = num_blocks(rows);
  // Each block's R has min(block rows, cols) rows; blocks start at multiples of `cols` rows.
  Eigen::MatrixXd stacked = Eigen::MatrixXd::Zero(std::max<Eigen::Index>(blocks, 1) * cols, cols);
  tbb::parallel_for(Eigen::Index{0}, blocks, [&](Eigen::Index b) {
    const Eigen::Index begin = b * kBlockRows;
    const Eigen::Index count = std::min(kBlockRows, rows - begin);
    Eigen::MatrixXd block(count, cols);
    block.leftCols(x.cols()) = x.middleRows(begin, count);
    if (y != nullptr) block.col(cols - 1) = y->segment(begin, count);
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(std::move(block));
    const Eigen::Index r_rows = std::min(count, cols);
    stacked.middleRows(b * cols, r_rows) =
        qr.matrixQR().topRows(r_rows).triangularView<Eigen::Upper>();
  });
  if (blocks == 1) return stacked;
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(std::move(stacked));
  return qr.matrixQR().topRows(cols).triangularView<Eigen::Upper>();
}

Collinearity find_collinear_columns(const Eigen::MatrixXd& r, double tolerance) {
  Collinearity out;
  const Eigen::Index k = r.cols();
  Eigen::MatrixXd basis(r.rows(), 0);
  for (Eigen::Index j = 0; j < k; ++j) {
    const Eigen::VectorXd column = r.col(j);
    const double length = column.norm();
    Eigen::VectorXd rest = column;
    // Gram-Schmidt twice: one pass loses orthogonality when the column is nearly dependent.
    for (int pass = 0; pass < 2 && basis.cols() > 0; ++pass) {
      rest -= basis * (basis.transpose() * rest);
    }
    const double rest_length = rest.norm();
    if (length > 0 && rest_length > tolerance * length) {
      basis.conservativeResize(Eigen::NoChange, basis.cols() + 1);
      basis.col(basis.cols() - 1) = rest / rest_length;
      out.kept.push_back(j);
      continue;
    }
    out.dropped.push_back(j);
    std::vector<Eigen::Index> parts;
    if (length > 0 && !out.kept.empty()) {
      const Eigen::MatrixXd kept = select_columns(r, out.kept);
      const Eigen::VectorXd weights = kept.householderQr().solve(column);
      for (std::size_t i = 0; i < out.kept.size(); ++i) {
        const auto ii = static_cast<Eigen::Index>(i);
        if (std::fabs(weights[ii]) * kept.col(ii).norm() > 1e-6 * length) {
          parts.push_back(out.kept[i]);
        }
      }
    }
    out.combination.push_back(std::move(parts));
  }
  return out;
}

std::vector<Eigen::Index> keep_independent_columns(const Eigen::MatrixXd& r,
                                                   const std::vector<Coefficient>& columns,
                                                   std::vector<std::string>& collinear,
                                                   std::vector<std::string>& warnings) {
  const Collinearity found = find_collinear_columns(r);
  for (std::size_t i = 0; i < found.dropped.size(); ++i) {
    const std::string& name = columns[static_cast<std::size_t>(found.dropped[i])].name;
    collinear.push_back(name);
    if (found.combination[i].empty()) {
      warnings.push_back(
          fmt::format("'{}' is zero in every row used; left out of the model", name));
      continue;
    }
    std::vector<std::string> parts;
    for (Eigen::Index j : found.combination[i])
      parts.push_back(columns[static_cast<std::size_t>(j)].name);
    warnings.push_back(
        fmt::format("'{}' is a linear combination of {} (collinear); left out of the model", name,
                    fmt::join(parts, ", ")));
  }
  return found.kept;
}

std::vector<Coefficient> coefficient_table(const std::vector<Coefficient>& columns,
                                           const std::vector<Eigen::Index>& kept,
                                           const Eigen::VectorXd& beta,
                                           const Eigen::MatrixXd& covariance, bool use_t,
                                           double df_resid) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::vector<Coefficient> table = columns;
  for (auto& c : table) {
    c.dropped = true;
    c.estimate = c.std_error = c.statistic = c.p_value = c.ci_lower = c.ci_upper = c.vif = kNaN;
    c.odds_ratio = c.odds_ratio_lower = c.odds_ratio_upper = kNaN;
  }
  const double critical =
      use_t ? common::t_quantile(0.975, df_resid) : common::normal_quantile(0.975);
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    Coefficient& c = table[static_cast<std::size_t>(kept[i])];
    c.dropped = false;
    c.estimate = beta[ii];
    c.std_error = std::sqrt(covariance(ii, ii));
    c.statistic = c.estimate / c.std_error;
    c.p_value = use_t ? common::t_two_sided_p(c.statistic, df_resid)
                      : common::normal_two_sided_p(c.statistic);
    c.ci_lower = c.estimate - critical * c.std_error;
    c.ci_upper = c.estimate + critical * c.std_error;
  }
  return table;
}

Eigen::MatrixXd weighted_gram(const Eigen::MatrixXd& x, const Eigen::VectorXd& w) {
  const Eigen::Index rows = x.rows();
  const Eigen::Index blocks = num_blocks(rows);
  std::vector<Eigen::MatrixXd> parts(static_cast<std::size_t>(blocks));
  tbb::parallel_for(Eigen::Index{0}, blocks, [&](Eigen::Index b) {
    const Eigen::Index begin = b * kBlockRows;
    const Eigen::Index count = std::min(kBlockRows, rows - begin);
    const auto block = x.middleRows(begin, count);
    const Eigen::MatrixXd weighted = block.array().colwise() * w.segment(begin, count).array();
    parts[static_cast<std::size_t>(b)] = weighted.transpose() * block;
  });
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(x.cols(), x.cols());
  for (const auto& part : parts) gram += part;
  return gram;
}

Eigen::VectorXd leverages(const Eigen::MatrixXd& x, const Eigen::MatrixXd& r_inverse) {
  const Eigen::Index rows = x.rows();
  Eigen::VectorXd h(rows);
  tbb::parallel_for(Eigen::Index{0}, num_blocks(rows), [&](Eigen::Index b) {
    const Eigen::Index begin = b * kBlockRows;
    const Eigen::Index count = std::min(kBlockRows, rows - begin);
    const Eigen::MatrixXd u = x.middleRows(begin, count) * r_inverse;
    h.segment(begin, count) = u.rowwise().squaredNorm();
  });
  return h;
}

Eigen::MatrixXd select_columns(const Eigen::MatrixXd& x, const std::vector<Eigen::Index>& columns) {
  Eigen::MatrixXd out(x.rows(), static_cast<Eigen::Index>(columns.size()));
  for (std::size_t i = 0; i < columns.size(); ++i) {
    out.col(static_cast<Eigen::Index>(i)) = x.col(columns[i]);
  }
  return out;
}

}  // namespace custlens::models
