// `ols --json` and `logit --json`: every statistic of the summaries, NaN written as null, and
// the points of the report's residual plots.
#include <algorithm>
#include <cmath>

#include "common/distributions.h"
#include "models/regression_output.h"

namespace custlens::models {
namespace {

using nlohmann::json;

// nlohmann writes NaN as null already; infinities would become null too, which is what we want.
json number_or_null(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

json design_to_json(const DesignReport& design) {
  json out;
  out["rows_in_table"] = design.rows_in_table;
  out["rows_dropped_missing"] = design.rows_dropped;
  out["rows_used"] = design.rows_used;
  json missing = json::object();
  for (const auto& [column, count] : design.missing_by_column) missing[column] = count;
  out["missing_by_column"] = missing;
  out["all_columns"] = design.all_columns;
  json excluded = json::array();
  for (const auto& e : design.excluded) {
    excluded.push_back({{"column", e.column}, {"reason", e.reason}, {"detail", e.detail}});
  }
  out["excluded"] = excluded;
  json categorical = json::array();
  for (const auto& c : design.categorical) {
    categorical.push_back({{"column", c.column}, {"base", c.levels.front()}, {"levels", c.levels}});
  }
  out["categorical"] = categorical;
  out["standardized"] = design.standardized;
  return out;
}

json coefficient_to_json(const Coefficient& c, bool with_vif, bool with_odds) {
  json out = {{"name", c.name},
              {"term", c.term},
              {"column", c.column},
              {"level", c.level},
              {"dropped", c.dropped},
              {"estimate", number_or_null(c.estimate)},
              {"std_error", number_or_null(c.std_error)},
              {"statistic", number_or_null(c.statistic)},
              {"p_value", number_or_null(c.p_value)},
              {"ci_lower", number_or_null(c.ci_lower)},
              {"ci_upper", number_or_null(c.ci_upper)},
              {"sd", number_or_null(c.sd)}};
  if (with_vif) out["vif"] = number_or_null(c.vif);
  if (with_odds) {
    out["odds_ratio"] = number_or_null(c.odds_ratio);
    out["odds_ratio_lower"] = number_or_null(c.odds_ratio_lower);
    out["odds_ratio_upper"] = number_or_null(c.odds_ratio_upper);
  }
  return out;
}

// Residuals against fitted values: every row up to kMaxPlotPoints, else every ⌈n / max⌉-th row
// from the first (table order, so no region of the data is favoured).
json residuals_vs_fitted(const OlsResult& result) {
  const std::size_t n = result.residuals.size();
  const std::size_t step = std::max<std::size_t>(1, (n + kMaxPlotPoints - 1) / kMaxPlotPoints);
  json points = json::array();
  for (std::size_t i = 0; i < n; i += step) {
    points.push_back({number_or_null(result.fitted[i]), number_or_null(result.residuals[i])});
  }
  return {{"rows", n}, {"every", step}, {"points", std::move(points)}};
}

// Normal Q-Q of the standardised residuals e / √scale, sorted, against Φ⁻¹(i / (n + 1)) (the
// plotting positions of statsmodels' ProbPlot, a = 0); above kMaxPlotPoints, the ranks
// 1 + round(j (n − 1) / (max − 1)), so both extremes stay.
json normal_qq(const OlsResult& result) {
  const std::size_t n = result.residuals.size();
  std::vector<double> sorted(result.residuals);
  std::sort(sorted.begin(), sorted.end());
  const double sigma = std::sqrt(result.scale);
  json points = json::array();
  auto add = [&](std::size_t rank) {  // 1-based
    const double theoretical =
        common::normal_quantile(static_cast<double>(rank) / static_cast<double>(n + 1));
    points.push_back({number_or_null(theoretical), number_or_null(sorted[rank - 1] / sigma)});
  };
  if (n <= kMaxPlotPoints) {
    for (std::size_t rank = 1; rank <= n; ++rank) add(rank);
  } else {
    for (std::size_t j = 0; j < kMaxPlotPoints; ++j) {
      add(1 + static_cast<std::size_t>(
                  std::llround(static_cast<double>(j) * static_cast<double>(n - 1) /
                               static_cast<double>(kMaxPlotPoints - 1))));
    }
  }
  return {{"rows", n}, {"points", std::move(points)}};
}

json reading_to_json(const std::vector<std::string>& en, const std::vector<std::string>& zh) {
  return {{"en", en}, {"zh", zh}};
}

}  // namespace

json ols_to_json(const OlsResult& result) {
  json out;
  out["model"] = "ols";
  out["dependent"] = result.dependent;
  out["covariance_type"] = std::string(to_string(result.covariance));
  out["distribution"] = result.use_t ? "t" : "normal";
  out["intercept"] = result.intercept;
  out["n"] = result.nobs;
  out["df_model"] = result.df_model;
  out["df_resid"] = result.df_resid;
  out["r_squared"] = number_or_null(result.r_squared);
  out["adj_r_squared"] = number_or_null(result.adj_r_squared);
  out["r_squared_centered"] = result.intercept;
  out["f_statistic"] = number_or_null(result.f_statistic);
  out["f_p_value"] = number_or_null(result.f_p_value);
  out["log_likelihood"] = number_or_null(result.log_likelihood);
  out["aic"] = number_or_null(result.aic);
  out["bic"] = number_or_null(result.bic);
  out["ssr"] = number_or_null(result.ssr);
  out["scale"] = number_or_null(result.scale);
  json coefficients = json::array();
  for (const auto& c : result.coefficients)
    coefficients.push_back(coefficient_to_json(c, true, false));
  out["coefficients"] = coefficients;
  const ResidualDiagnostics& d = result.diagnostics;
  out["diagnostics"] = {{"omnibus", number_or_null(d.omnibus)},
                        {"omnibus_p_value", number_or_null(d.omnibus_p_value)},
                        {"skew", number_or_null(d.skew)},
                        {"kurtosis", number_or_null(d.kurtosis)},
                        {"jarque_bera", number_or_null(d.jarque_bera)},
                        {"jarque_bera_p_value", number_or_null(d.jarque_bera_p_value)},
                        {"durbin_watson", number_or_null(d.durbin_watson)},
                        {"condition_number", number_or_null(d.condition_number)},
                        {"smallest_eigenvalue", number_or_null(d.smallest_eigenvalue)},
                        {"breusch_pagan", number_or_null(d.breusch_pagan)},
                        {"breusch_pagan_p_value", number_or_null(d.breusch_pagan_p_value)},
                        {"breusch_pagan_f", number_or_null(d.breusch_pagan_f)},
                        {"breusch_pagan_f_p_value", number_or_null(d.breusch_pagan_f_p_value)}};
  out["collinear"] = result.collinear;
  out["warnings"] = result.warnings;
  out["design"] = design_to_json(result.design);
  out["plots"] = {{"residuals_vs_fitted", residuals_vs_fitted(result)}, {"qq", normal_qq(result)}};
  out["reading"] =
      reading_to_json(ols_reading_lines(result, Lang::kEn), ols_reading_lines(result, Lang::kZh));
  return out;
}

json logit_to_json(const LogitResult& result) {
  json out;
  out["model"] = "logit";
  out["dependent"] = result.dependent;
  out["positive_level"] = result.design.positive_level;
  out["negative_level"] = result.design.negative_level;
  out["intercept"] = result.intercept;
  out["n"] = result.nobs;
  out["positives"] = result.positives;
  out["df_model"] = result.df_model;
  out["df_resid"] = result.df_resid;
  out["pseudo_r_squared"] = number_or_null(result.pseudo_r_squared);
  out["log_likelihood"] = number_or_null(result.log_likelihood);
  out["ll_null"] = number_or_null(result.ll_null);
  out["llr"] = number_or_null(result.llr);
  out["llr_p_value"] = number_or_null(result.llr_p_value);
  out["aic"] = number_or_null(result.aic);
  out["bic"] = number_or_null(result.bic);
  out["converged"] = result.converged;
  out["iterations"] = result.iterations;
  json coefficients = json::array();
  for (const auto& c : result.coefficients)
    coefficients.push_back(coefficient_to_json(c, false, true));
  out["coefficients"] = coefficients;
  out["separation_column"] = result.separation_column;
  out["collinear"] = result.collinear;
  out["warnings"] = result.warnings;
  out["design"] = design_to_json(result.design);
  out["reading"] = reading_to_json(logit_reading_lines(result, Lang::kEn),
                                   logit_reading_lines(result, Lang::kZh));
  return out;
}

}  // namespace custlens::models
