// Linear (OLS) and logistic regression on a table: design matrix rules, fits and their summaries.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "custlens/table.h"

namespace custlens {

/// Which columns go into a model and how. See README "Models" for the encoding rules.
struct DesignOptions {
  std::string target;                   ///< --y
  std::vector<std::string> regressors;  ///< --x; empty or {"all"} = every usable column
  bool intercept = true;                ///< false: --no-intercept
  bool standardize = false;             ///< z-score y and the numeric regressors (OLS only)
};

/// A column left out of `--x all`, and why.
struct ExcludedColumn {
  std::string column;
  std::string reason;  ///< "identifier", "date", "too_many_levels", "empty"
  std::string detail;  ///< in English, e.g. "first column, unnamed, every value distinct"
};

/// A categorical column as encoded: one 0/1 column per level but the first.
struct CategoricalEncoding {
  std::string column;
  std::vector<std::string> levels;  ///< sorted; levels.front() is the base level (no column)
};

/// How the table became the model's rows and columns.
struct DesignReport {
  std::size_t rows_in_table = 0;
  std::size_t rows_dropped = 0;  ///< rows with a missing value in the target or a regressor
  std::size_t rows_used = 0;
  /// Per used column with missing values: (column, rows missing there), in column order.
  std::vector<std::pair<std::string, std::size_t>> missing_by_column;
  bool all_columns = false;  ///< --x all (or no --x)
  std::vector<ExcludedColumn> excluded;
  std::vector<CategoricalEncoding> categorical;
  std::vector<std::string> standardized;  ///< columns z-scored (--standardize), target first
  /// Logistic regression: the target value read as 1 and as 0 (e.g. "TRUE"/"FALSE", "Male").
  std::string positive_level;
  std::string negative_level;
};

/// One estimated parameter.
struct Coefficient {
  std::string name;      ///< const, the column, or Column_Level for a dummy
  std::string term;      ///< "intercept", "numeric", "bool" or "dummy"
  std::string column;    ///< the table column it comes from ("" for the intercept)
  std::string level;     ///< dummies: the level coded 1
  bool dropped = false;  ///< collinear with earlier columns: left out, every number below NaN
  double estimate = 0;
  double std_error = 0;
  double statistic = 0;  ///< t (OLS, non-robust) or z (robust OLS, logit)
  double p_value = 0;
  double ci_lower = 0;  ///< 95 % interval
  double ci_upper = 0;
  double vif = 0;         ///< OLS regressors: variance inflation factor; NaN for the intercept
  double odds_ratio = 0;  ///< logit: exp(estimate)
  double odds_ratio_lower = 0;  ///< logit: exp(ci_lower)
  double odds_ratio_upper = 0;  ///< logit: exp(ci_upper)
  /// The regressor's sample sd (ddof 1) over the rows used, after --standardize; NaN for the
  /// intercept. The report draws a number's effect per sd, a flag's or level's per 0 → 1.
  double sd = 0;
};

/// Tests on the OLS residuals, as the bottom table of statsmodels' summary.
struct ResidualDiagnostics {
  double omnibus = 0;  ///< D'Agostino-Pearson K² (NaN below 8 rows)
  double omnibus_p_value = 0;
  double skew = 0;      ///< biased sample skewness
  double kurtosis = 0;  ///< biased sample kurtosis (3 for the normal)
  double jarque_bera = 0;
  double jarque_bera_p_value = 0;
  double durbin_watson = 0;
  double condition_number = 0;     ///< largest / smallest singular value of the design matrix
  double smallest_eigenvalue = 0;  ///< of X'X: the smallest singular value squared
  /// Breusch-Pagan (Koenker's studentised form, statsmodels' het_breuschpagan default): n · R²
  /// of the squared residuals on the design, χ² with df_model degrees of freedom, and the F form
  /// of the same auxiliary regression. NaN without an intercept.
  double breusch_pagan = 0;
  double breusch_pagan_p_value = 0;
  double breusch_pagan_f = 0;
  double breusch_pagan_f_p_value = 0;
};

enum class CovarianceType { kNonRobust, kHC1, kHC3 };
/// "nonrobust", "HC1", "HC3".
std::string_view to_string(CovarianceType type);
/// "HC1" or "HC3" (case-insensitive), "nonrobust"; throws custlens::Error otherwise.
CovarianceType parse_covariance_type(std::string_view text);

struct OlsOptions {
  DesignOptions design;
  CovarianceType covariance = CovarianceType::kNonRobust;
};

struct OlsResult {
  std::string dependent;
  DesignReport design;
  CovarianceType covariance = CovarianceType::kNonRobust;
  bool use_t = true;  ///< t distribution (non-robust) or normal (robust), as statsmodels
  bool intercept = true;
  std::size_t nobs = 0;
  double df_model = 0;   ///< rank − 1 with an intercept, rank without
  double df_resid = 0;   ///< nobs − rank
  double r_squared = 0;  ///< uncentered without an intercept, as statsmodels
  double adj_r_squared = 0;
  double f_statistic = 0;  ///< robust: Wald F of every slope (every coefficient without intercept)
  double f_p_value = 0;
  double log_likelihood = 0;
  double aic = 0;
  double bic = 0;
  double ssr = 0;                         ///< sum of squared residuals
  double scale = 0;                       ///< ssr / df_resid
  std::vector<Coefficient> coefficients;  ///< intercept first, then the design's column order
  ResidualDiagnostics diagnostics;
  std::vector<std::string> collinear;  ///< dropped columns, in design order
  std::vector<std::string> warnings;   ///< one line each, English
  /// Per used row, in table order: the fitted value and the residual (y − fitted), in the
  /// model's units (standardised with --standardize). For the plots of the report.
  std::vector<double> fitted;
  std::vector<double> residuals;
};

struct LogitOptions {
  DesignOptions design;
  int max_iterations = 35;  ///< statsmodels' default for method='newton'
  double tolerance = 1e-8;  ///< stop when no parameter moves more than this
};

struct LogitResult {
  std::string dependent;
  DesignReport design;
  bool intercept = true;
  std::size_t nobs = 0;
  double df_model = 0;
  double df_resid = 0;
  double pseudo_r_squared = 0;  ///< McFadden: 1 − llf / llnull
  double log_likelihood = 0;
  double ll_null = 0;  ///< constant-only model
  double llr = 0;      ///< 2 (llf − llnull)
  double llr_p_value = 0;
  double aic = 0;
  double bic = 0;
  bool converged = false;
  int iterations = 0;
  std::size_t positives = 0;  ///< rows with target 1
  std::vector<Coefficient> coefficients;
  std::vector<std::string> collinear;
  /// Quasi-separation: the column that (nearly) predicts the target, "" if none.
  std::string separation_column;
  std::vector<std::string> warnings;
};

/// Ordinary least squares by Householder QR. Throws custlens::Error for unusable input (unknown
/// or non-numeric target, constant target, no more rows than parameters).
OlsResult fit_ols(const Table& table, const OlsOptions& options);

/// Logistic regression by Newton's method. Throws custlens::Error for unusable input and for
/// complete separation (names the column).
LogitResult fit_logit(const Table& table, const LogitOptions& options);

}  // namespace custlens
