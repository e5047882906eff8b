// The statsmodels summary layout (statsmodels/iolib/summary.py and table.py, 0.13): column
// widths, alignment, rules and number formats, so that the two print the same tables.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "models/regression_output.h"

namespace custlens::models {
namespace {

using Rows = std::vector<std::pair<std::string, std::string>>;
using Lines = std::vector<std::string>;

// Python pads by code points, not bytes.
std::size_t text_width(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string ljust(std::string_view text, std::size_t width) {
  std::string out(text);
  const std::size_t w = text_width(text);
  if (w < width) out.append(width - w, ' ');
  return out;
}

std::string rjust(std::string_view text, std::size_t width) {
  const std::size_t w = text_width(text);
  return w < width ? std::string(width - w, ' ') + std::string(text) : std::string(text);
}

// str.center: the odd space goes left when both the margin and the width are odd.
std::string center(std::string_view text, std::size_t width) {
  const std::size_t w = text_width(text);
  if (w >= width) return std::string(text);
  const std::size_t margin = width - w;
  const std::size_t left = margin / 2 + (margin & width & 1);
  return std::string(left, ' ') + std::string(text) + std::string(margin - left, ' ');
}

std::string rtrim(std::string text) {
  text.erase(text.find_last_not_of(' ') + 1);
  return text;
}

// statsmodels' d_or_f: whole numbers as %#6d, others as %#8.2f, NaN as "NaN" in 6.
std::string d_or_f(double value) {
  if (std::isnan(value)) return "   NaN";
  if (std::floor(value) == value) return fmt::format("{:6d}", static_cast<long long>(value));
  return printf_double("%#8.2f", value);
}

// The two side-by-side label/value tables of the summary's top (and the OLS diagnostics):
// minimum width 18 per column, right labels padded to 21 after two spaces, values right-aligned.
Lines two_column_table(std::string_view title, Rows left, Rows right) {
  while (left.size() < right.size()) left.emplace_back(" ", " ");
  while (right.size() < left.size()) right.emplace_back(" ", " ");
  for (auto& row : right) row.first = ljust("  " + row.first, 21);
  std::size_t widths[4] = {18, 18, 18, 18};
  for (std::size_t i = 0; i < left.size(); ++i) {
    widths[0] = std::max(widths[0], text_width(left[i].first));
    widths[1] = std::max(widths[1], text_width(left[i].second));
    widths[2] = std::max(widths[2], text_width(right[i].first));
    widths[3] = std::max(widths[3], text_width(right[i].second));
  }
  Lines rows;
  for (std::size_t i = 0; i < left.size(); ++i) {
    rows.push_back(ljust(left[i].first, widths[0]) + " " + rjust(left[i].second, widths[1]) + " " +
                   ljust(right[i].first, widths[2]) + " " + rjust(right[i].second, widths[3]));
  }
  const std::size_t width = text_width(rows.back());
  Lines lines;
  if (!title.empty()) lines.push_back(center(title, width));
  lines.push_back(std::string(width, '='));
  lines.insert(lines.end(), rows.begin(), rows.end());
  lines.push_back(std::string(width, '='));
  return lines;
}

// A table with a stub column and right-aligned columns of at least 10 characters, a '-' rule
// under the header: statsmodels' coefficient table.
Lines stub_table(const std::vector<std::string>& header, const std::vector<Lines>& rows) {
  std::vector<std::size_t> widths(header.size(), 10);
  for (std::size_t c = 0; c < header.size(); ++c)
    widths[c] = std::max(widths[c], text_width(header[c]));
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c)
      widths[c] = std::max(widths[c], text_width(row[c]));
  }
  auto format_row = [&](const Lines& row) {
    std::string line = ljust(row[0], widths[0]);
    for (std::size_t c = 1; c < row.size(); ++c) line += " " + rjust(row[c], widths[c]);
    return line;
  };
  Lines body;
  for (const auto& row : rows) body.push_back(format_row(row));
  const std::size_t width = text_width(body.empty() ? format_row(header) : body.back());
  Lines lines{std::string(width, '='), format_row(header), std::string(width, '-')};
  lines.insert(lines.end(), body.begin(), body.end());
  lines.push_back(std::string(width, '='));
  return lines;
}

// summary_return(): every table but the last loses its bottom rule (the next one's top rule
// takes its place).
std::string join_tables(const std::vector<Lines>& tables) {
  std::string out;
  for (std::size_t t = 0; t < tables.size(); ++t) {
    const std::size_t count = tables[t].size() - (t + 1 < tables.size() ? 1 : 0);
    for (std::size_t i = 0; i < count; ++i) {
      if (!out.empty()) out += '\n';
      out += tables[t][i];
    }
  }
  return out;
}

Lines coefficient_table(const std::vector<Coefficient>& coefficients, bool use_t) {
  const std::vector<std::string> header = {
      "", "coef", "std err", use_t ? "t" : "z", use_t ? "P>|t|" : "P>|z|", "[0.025", "0.975]"};
  std::vector<Lines> rows;
  for (const auto& c : coefficients) {
    if (c.dropped) {
      rows.push_back({c.name, "collinear", "", "", "", "", ""});
      continue;
    }
    rows.push_back({c.name, forg(c.estimate, 4), forg(c.std_error, 3),
                    fmt::format("{:>8}", forg(c.statistic, 3)), printf_double("%#6.3f", c.p_value),
                    fmt::format("{:>11}", forg(c.ci_lower, 3)),
                    fmt::format("{:>11}", forg(c.ci_upper, 3))});
  }
  return stub_table(header, rows);
}

std::string numbered_notes(const std::vector<std::string>& notes) {
  std::string out = "Notes:";
  for (std::size_t i = 0; i < notes.size(); ++i) out += fmt::format("\n[{}] {}", i + 1, notes[i]);
  return out;
}

}  // namespace

std::string printf_double(const char* spec, double value) {
  // C printf rather than fmt::sprintf: with '#', Python and C keep a bare trailing point
  // ("17360.") where fmt writes "17360.0".
  char buffer[64];
  const int written = std::snprintf(buffer, sizeof buffer, spec, value);
  return std::string(buffer, static_cast<std::size_t>(std::clamp(written, 0, 63)));
}

std::string forg(double value, int precision) {
  const bool use_g = std::fabs(value) >= 1e4 || std::fabs(value) < 1e-4;
  if (precision == 4) return printf_double(use_g ? "%10.4g" : "%10.4f", value);
  return printf_double(use_g ? "%9.3g" : "%9.3f", value);
}

std::string ols_summary_text(const OlsResult& result, std::string_view date,
                             std::string_view time) {
  const std::string centered = result.intercept ? "" : " (uncentered)";
  const Rows top_left = {{"Dep. Variable:", result.dependent},
                         {"Model:", "OLS"},
                         {"Method:", "Least Squares"},
                         {"Date:", std::string(date)},
                         {"Time:", std::string(time)},
                         {"No. Observations:", d_or_f(static_cast<double>(result.nobs))},
                         {"Df Residuals:", d_or_f(result.df_resid)},
                         {"Df Model:", d_or_f(result.df_model)},
                         {"Covariance Type:", std::string(to_string(result.covariance))}};
  const Rows top_right = {
      {"R-squared" + centered + ":", printf_double("%#8.3f", result.r_squared)},
      {"Adj. R-squared" + centered + ":", printf_double("%#8.3f", result.adj_r_squared)},
      {"F-statistic:", printf_double("%#8.4g", result.f_statistic)},
      {"Prob (F-statistic):", printf_double("%#6.3g", result.f_p_value)},
      {"Log-Likelihood:", printf_double("%#8.5g", result.log_likelihood)},
      {"AIC:", printf_double("%#8.4g", result.aic)},
      {"BIC:", printf_double("%#8.4g", result.bic)}};
  const ResidualDiagnostics& d = result.diagnostics;
  const Rows diagnostics_left = {{"Omnibus:", printf_double("%#6.3f", d.omnibus)},
                                 {"Prob(Omnibus):", printf_double("%#6.3f", d.omnibus_p_value)},
                                 {"Skew:", printf_double("%#6.3f", d.skew)},
                                 {"Kurtosis:", printf_double("%#6.3f", d.kurtosis)}};
  const Rows diagnostics_right = {{"Durbin-Watson:", printf_double("%#8.3f", d.durbin_watson)},
                                  {"Jarque-Bera (JB):", printf_double("%#8.3f", d.jarque_bera)},
                                  {"Prob(JB):", printf_double("%#8.3g", d.jarque_bera_p_value)},
                                  {"Cond. No.", printf_double("%#8.3g", d.condition_number)}};
  std::string text = join_tables({two_column_table("OLS Regression Results", top_left, top_right),
                                  coefficient_table(result.coefficients, result.use_t),
                                  two_column_table("", diagnostics_left, diagnostics_right)});

  std::vector<std::string> notes;
  if (!result.intercept) {
    notes.push_back(
        "R² is computed without centering (uncentered) since the model does not contain a "
        "constant.");
  }
  notes.push_back(result.covariance == CovarianceType::kNonRobust
                      ? "Standard Errors assume that the covariance matrix of the errors is "
                        "correctly specified."
                      : fmt::format("Standard Errors are heteroscedasticity robust ({})",
                                    to_string(result.covariance)));
  if (d.smallest_eigenvalue < 1e-10) {
    notes.push_back(
        fmt::format("The smallest eigenvalue is {}. This might indicate that there are\nstrong "
                    "multicollinearity problems or that the design matrix is singular.",
                    printf_double("%6.3g", d.smallest_eigenvalue)));
  } else if (d.condition_number > 1000) {
    notes.push_back(
        fmt::format("The condition number is large, {}. This might indicate that there are\nstrong "
                    "multicollinearity or other numerical problems.",
                    printf_double("%6.3g", d.condition_number)));
  }
  text += "\n\n" + numbered_notes(notes) + "\n";

  std::vector<Lines> vif_rows;
  for (const auto& c : result.coefficients) {
    if (c.term == "intercept") continue;
    vif_rows.push_back({c.name, c.dropped ? "collinear" : printf_double("%10.3f", c.vif)});
  }
  const Lines vif = stub_table({"", "VIF"}, vif_rows);
  text += "\n" + rtrim(center("Variance Inflation Factors", text_width(vif[0]))) + "\n" +
          join_tables({vif}) + "\n";
  return text;
}

std::string logit_summary_text(const LogitResult& result, std::string_view date,
                               std::string_view time) {
  const Rows top_left = {{"Dep. Variable:", result.dependent},
                         {"Model:", "Logit"},
                         {"Method:", "MLE"},
                         {"Date:", std::string(date)},
                         {"Time:", std::string(time)},
                         {"converged:", result.converged ? "True" : "False"},
                         {"Covariance Type:", "nonrobust"}};
  const Rows top_right = {{"No. Observations:", d_or_f(static_cast<double>(result.nobs))},
                          {"Df Residuals:", d_or_f(result.df_resid)},
                          {"Df Model:", d_or_f(result.df_model)},
                          {"Pseudo R-squ.:", printf_double("%#6.4g", result.pseudo_r_squared)},
                          {"Log-Likelihood:", printf_double("%#8.5g", result.log_likelihood)},
                          {"LL-Null:", printf_double("%#8.5g", result.ll_null)},
                          {"LLR p-value:", printf_double("%#6.4g", result.llr_p_value)}};
  std::string text = join_tables({two_column_table("Logit Regression Results", top_left, top_right),
                                  coefficient_table(result.coefficients, false)});
  if (!result.separation_column.empty()) {
    text += fmt::format(
        "\n\nPossibly complete quasi-separation: '{}' predicts {} on one side.\nIn this case "
        "some parameters will not be identified.",
        result.separation_column, result.dependent);
  }
  text += "\n";

  std::vector<Lines> odds_rows;
  for (const auto& c : result.coefficients) {
    if (c.dropped) {
      odds_rows.push_back({c.name, "collinear", "", ""});
      continue;
    }
    // Seven digits: per-unit odds ratios of large-scale columns differ from 1 far after the
    // fourth (Income: 1.000003).
    odds_rows.push_back({c.name, printf_double("%#.7g", c.odds_ratio),
                         printf_double("%#.7g", c.odds_ratio_lower),
                         printf_double("%#.7g", c.odds_ratio_upper)});
  }
  const Lines odds = stub_table({"", "odds ratio", "[0.025", "0.975]"}, odds_rows);
  text +=
      "\n" + rtrim(center("Odds Ratios", text_width(odds[0]))) + "\n" + join_tables({odds}) + "\n";
  return text;
}

}  // namespace custlens::models
