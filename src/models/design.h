// The design matrix of a regression: column selection, identifier exclusion, encoding of booleans
// and categories, dropping of rows with missing values, standardization.
#pragma once

#include <Eigen/Core>
#include <string>
#include <string_view>
#include <vector>

#include "custlens/regression.h"
#include "custlens/table.h"

namespace custlens::models {

/// What the target must be: any number (OLS) or two classes (logit).
enum class TargetKind { kNumeric, kBinary };

/// The model's rows and columns, ready for fitting.
struct Design {
  std::string target;
  Eigen::MatrixXd x;  ///< rows used × columns, intercept first when there is one
  Eigen::VectorXd y;  ///< the target; 0/1 for kBinary
  /// One per column of x, with name, term, column and level set (numbers left at 0).
  std::vector<Coefficient> columns;
  bool intercept = true;
  DesignReport report;
};

/// Builds the design. Throws custlens::Error for an unknown column, a target that does not fit
/// `kind`, a date column named in --x, a constant column to standardize, or no rows left.
Design build_design(const Table& table, const DesignOptions& options, TargetKind kind);

/// Why a column would be left out of `--x all` as an identifier, or "" when it is not one.
/// The rule (README, "Models"): every value present and distinct, and the column holds text, or
/// its name says id (`id`, `…_id`, `… id`, `…-id`, `…ID`, `…Id`, the customer role), or it is
/// the first column and is unnamed (`column_1`, `Unnamed: 0`), named like an index (`index`,
/// `idx`, `#`, `no`, `row`, `rownumber`, `rowid`), or counts up by one from row to row.
std::string identifier_reason(const Table& table, std::size_t column_index);

}  // namespace custlens::models
