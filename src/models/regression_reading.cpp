// The written side of the regressions: what the design did to the table, and a plain-language
// reading of the fit (drivers by sign at 5 %, the fit, warnings) in English or Chinese.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "common/number_text.h"
#include "models/regression_output.h"

namespace custlens::models {
namespace {

constexpr double kAlpha = 0.05;
constexpr double kConditionLimit = 30;
constexpr double kVifLimit = 10;

std::string thousands(std::size_t value) {
  return common::thousands(static_cast<std::int64_t>(value));
}

std::string number(double value) { return printf_double("%.4g", value); }

std::string signed_number(double value) { return (value >= 0 ? "+" : "") + number(value); }

std::string p_text(double p) { return p < 0.001 ? "p < 0.001" : "p = " + printf_double("%.3g", p); }

std::string reason_zh(const ExcludedColumn& excluded) {
  if (excluded.reason == "identifier") return "标识列，取值各不相同";
  if (excluded.reason == "date") return "日期列";
  if (excluded.reason == "too_many_levels") return "类别过多，可在 --x 中显式指定";
  if (excluded.reason == "empty") return "全部缺失";
  return excluded.reason;
}

// The base level of the category a dummy belongs to.
std::string base_level(const DesignReport& design, const std::string& column) {
  for (const auto& category : design.categorical) {
    if (category.column == column && !category.levels.empty()) return category.levels.front();
  }
  return "";
}

bool is_standardized(const DesignReport& design, const std::string& name) {
  return std::find(design.standardized.begin(), design.standardized.end(), name) !=
         design.standardized.end();
}

// "+2.587 per unit", "+142.5 vs Rural", "+0.12 sd per sd", "+24.6 when true".
std::string effect_text(const Coefficient& c, const DesignReport& design, Lang lang) {
  const std::string value = signed_number(c.estimate);
  const bool en = lang == Lang::kEn;
  if (c.term == "dummy") {
    return en ? fmt::format("{} vs {}", value, base_level(design, c.column))
              : fmt::format("相对 {} {}", base_level(design, c.column), value);
  }
  if (c.term == "bool")
    return en ? fmt::format("{} when true", value) : fmt::format("为真时 {}", value);
  if (is_standardized(design, c.name)) {
    return en ? fmt::format("{} sd per sd", value)
              : fmt::format("每增加 1 个标准差 {} 个标准差", value);
  }
  return en ? fmt::format("{} per unit", value) : fmt::format("每增加 1 个单位 {}", value);
}

std::string odds_text(const Coefficient& c, const DesignReport& design, Lang lang) {
  // Per-unit odds ratios of large-scale columns sit close to 1: six digits show them.
  const std::string ratio = printf_double("%.6g", c.odds_ratio);
  const bool en = lang == Lang::kEn;
  if (c.term == "dummy") {
    return en ? fmt::format("odds × {} vs {}", ratio, base_level(design, c.column))
              : fmt::format("相对 {} 几率 × {}", base_level(design, c.column), ratio);
  }
  if (c.term == "bool")
    return en ? fmt::format("odds × {} when true", ratio) : fmt::format("为真时几率 × {}", ratio);
  return en ? fmt::format("odds × {} per unit", ratio)
            : fmt::format("每增加 1 个单位几率 × {}", ratio);
}

struct Drivers {
  std::vector<std::string> positive, negative, insignificant;
};

template <typename Describe>
Drivers split_drivers(const std::vector<Coefficient>& coefficients, Describe describe) {
  Drivers drivers;
  std::vector<const Coefficient*> order;
  for (const auto& c : coefficients) {
    if (c.term != "intercept" && !c.dropped) order.push_back(&c);
  }
  for (const Coefficient* c : order) {
    if (c->p_value >= kAlpha) drivers.insignificant.push_back(c->name);
  }
  // Drivers with the strongest evidence first; the others stay in design order.
  std::stable_sort(order.begin(), order.end(), [](const Coefficient* a, const Coefficient* b) {
    return a->p_value < b->p_value;
  });
  for (const Coefficient* c : order) {
    if (c->p_value < kAlpha) {
      (c->estimate > 0 ? drivers.positive : drivers.negative)
          .push_back(fmt::format("{} ({}, {})", c->name, describe(*c), p_text(c->p_value)));
    }
  }
  return drivers;
}

std::string bullet_list(const std::vector<std::string>& items, Lang lang) {
  return fmt::format("{}", fmt::join(items, lang == Lang::kEn ? "; " : "；"));
}

void append_drivers(std::string& out, const Drivers& drivers, const std::string& up,
                    const std::string& down, Lang lang) {
  const bool en = lang == Lang::kEn;
  const std::string none = en ? "none" : "无";
  const char* colon = en ? ": " : "：";
  out += fmt::format("- {}{}{}\n", up, colon,
                     drivers.positive.empty() ? none : bullet_list(drivers.positive, lang));
  out += fmt::format("- {}{}{}\n", down, colon,
                     drivers.negative.empty() ? none : bullet_list(drivers.negative, lang));
  out += fmt::format("- {}{}{}\n", en ? "Not significant at 5 %" : "在 5% 水平不显著", colon,
                     drivers.insignificant.empty()
                         ? none
                         : fmt::format("{}", fmt::join(drivers.insignificant, ", ")));
}

}  // namespace

std::string design_text(const DesignReport& design, std::string_view target, bool binary,
                        Lang lang) {
  const bool en = lang == Lang::kEn;
  std::string out;
  if (design.rows_dropped == 0) {
    out += en ? fmt::format("Rows: {} used, none dropped for missing values\n",
                            thousands(design.rows_used))
              : fmt::format("行数：使用 {} 行，无缺失值剔除\n", thousands(design.rows_used));
  } else {
    std::vector<std::string> parts;
    for (const auto& [column, count] : design.missing_by_column) {
      parts.push_back(fmt::format("{} {}", column, thousands(count)));
    }
    out += en ? fmt::format("Rows: {} used; {} of {} dropped for a missing value ({})\n",
                            thousands(design.rows_used), thousands(design.rows_dropped),
                            thousands(design.rows_in_table), fmt::join(parts, ", "))
              : fmt::format("行数：使用 {} 行；{} 行中有 {} 行因缺失值被剔除（{}）\n",
                            thousands(design.rows_used), thousands(design.rows_in_table),
                            thousands(design.rows_dropped), fmt::join(parts, "，"));
  }
  if (!design.excluded.empty()) {
    std::vector<std::string> parts;
    for (const auto& excluded : design.excluded) {
      parts.push_back(
          en ? fmt::format("{} ({}: {})", excluded.column, excluded.reason, excluded.detail)
             : fmt::format("{}（{}）", excluded.column, reason_zh(excluded)));
    }
    out += en ? fmt::format("Left out of --x all: {}\n", fmt::join(parts, "; "))
              : fmt::format("--x all 未纳入的列：{}\n", fmt::join(parts, "；"));
  }
  if (!design.categorical.empty()) {
    std::vector<std::string> parts;
    for (const auto& category : design.categorical) {
      std::vector<std::string> rest(category.levels.begin() + 1, category.levels.end());
      parts.push_back(fmt::format("{}: {} | {}", category.column, category.levels.front(),
                                  fmt::join(rest, ", ")));
    }
    out +=
        en ? fmt::format("Categories (base level | levels with a 0/1 column): {}\n",
                         fmt::join(parts, "; "))
           : fmt::format("类别变量（基准水平 | 生成 0/1 列的水平）：{}\n", fmt::join(parts, "；"));
  }
  if (!design.standardized.empty()) {
    out += en ? fmt::format("Standardized (minus mean, over sample sd): {}\n",
                            fmt::join(design.standardized, ", "))
              : fmt::format("已标准化（减均值、除以样本标准差）：{}\n",
                            fmt::join(design.standardized, ", "));
  }
  if (binary) {
    out += en ? fmt::format("Target: {} = {} is 1, {} is 0\n", target, design.positive_level,
                            design.negative_level)
              : fmt::format("因变量：{} = {} 记为 1，{} 记为 0\n", target, design.positive_level,
                            design.negative_level);
  }
  return out;
}

std::string ols_reading(const OlsResult& result, Lang lang) {
  const bool en = lang == Lang::kEn;
  const DesignReport& design = result.design;
  std::string out = en ? "Reading (5 % significance level)\n" : "解读（5% 显著性水平）\n";

  const std::string r2 = printf_double("%.3f", result.r_squared);
  const std::string share = printf_double("%.1f", 100 * result.r_squared);
  const std::string f_test = fmt::format("F({}, {}) = {}, {}", result.df_model, result.df_resid,
                                         number(result.f_statistic), p_text(result.f_p_value));
  const bool fit_significant = result.f_p_value < kAlpha;
  if (en) {
    out += fmt::format(
        "- Fit: the regressors explain {} % of the {}variation of {} (R² = {}{}, adjusted {}); "
        "{}: {}.\n",
        share, result.intercept ? "" : "uncentered ", result.dependent, r2,
        result.intercept ? "" : " uncentered", printf_double("%.3f", result.adj_r_squared),
        fit_significant ? "together they are significant" : "together they are not significant",
        f_test);
  } else {
    out += fmt::format(
        "- 拟合：回归变量解释了 {} {}% 的{}变异（R² = {}，调整后 {}）；F 检验 {}，{}。\n",
        result.dependent, share, result.intercept ? "" : "非中心化", r2,
        printf_double("%.3f", result.adj_r_squared), f_test,
        fit_significant ? "整体显著" : "整体不显著");
  }
  const Drivers drivers = split_drivers(
      result.coefficients, [&](const Coefficient& c) { return effect_text(c, design, lang); });
  append_drivers(out, drivers,
                 en ? fmt::format("Significant positive drivers of {}", result.dependent)
                    : fmt::format("{} 的显著正向驱动因素", result.dependent),
                 en ? fmt::format("Significant negative drivers of {}", result.dependent)
                    : fmt::format("{} 的显著负向驱动因素", result.dependent),
                 lang);

  const ResidualDiagnostics& d = result.diagnostics;
  if (d.jarque_bera_p_value < kAlpha) {
    out += en ? fmt::format(
                    "- Warning: the residuals are not normal (Jarque-Bera {}, {}; skew {}, "
                    "kurtosis {}); with {} rows the tests hold only approximately.\n",
                    number(d.jarque_bera), p_text(d.jarque_bera_p_value), number(d.skew),
                    number(d.kurtosis), thousands(result.nobs))
              : fmt::format(
                    "- 警告：残差不服从正态分布（Jarque-Bera {}，{}；偏度 {}，峰度 {}），{} "
                    "行样本下检验结果只是近似成立。\n",
                    number(d.jarque_bera), p_text(d.jarque_bera_p_value), number(d.skew),
                    number(d.kurtosis), thousands(result.nobs));
  } else {
    out += en ? fmt::format("- Residuals: consistent with normal (Jarque-Bera {}).\n",
                            p_text(d.jarque_bera_p_value))
              : fmt::format("- 残差：与正态分布一致（Jarque-Bera {}）。\n",
                            p_text(d.jarque_bera_p_value));
  }

  if (std::isfinite(d.breusch_pagan_p_value)) {
    const std::string bp = fmt::format("Breusch-Pagan LM = {}, {}", number(d.breusch_pagan),
                                       p_text(d.breusch_pagan_p_value));
    const bool robust = result.covariance != CovarianceType::kNonRobust;
    if (d.breusch_pagan_p_value < kAlpha) {
      out +=
          en ? fmt::format(
                   "- Warning: the residuals' spread changes with the regressors ({}); {}.\n", bp,
                   robust ? "the robust standard errors in use allow for it"
                          : "the usual standard errors are unreliable, use --robust HC3")
             : fmt::format("- 警告：残差的离散程度随回归变量变化（{}）；{}。\n", bp,
                           robust ? "当前使用的稳健标准误已考虑这一点"
                                  : "普通标准误不可靠，请使用 --robust HC3");
    } else {
      out += en ? fmt::format(
                      "- Residual spread: no sign that it changes with the regressors "
                      "({}).\n",
                      bp)
                : fmt::format("- 残差离散程度：没有随回归变量变化的迹象（{}）。\n", bp);
    }
  }

  std::vector<std::string> high_vif;
  const Coefficient* largest = nullptr;
  for (const auto& c : result.coefficients) {
    if (c.term == "intercept" || c.dropped) continue;
    if (c.vif > kVifLimit) high_vif.push_back(fmt::format("{} {}", c.name, number(c.vif)));
    if (largest == nullptr || c.vif > largest->vif) largest = &c;
  }
  const std::string condition = printf_double("%.3g", d.condition_number);
  if (!high_vif.empty()) {
    out += en ? fmt::format(
                    "- Warning: multicollinearity: VIF above {} for {}; their separate "
                    "effects are poorly determined (condition number {}).\n",
                    kVifLimit, fmt::join(high_vif, ", "), condition)
              : fmt::format(
                    "- 警告：多重共线性：{} 的 VIF 超过 {}，其各自效应估计不稳定"
                    "（条件数 {}）。\n",
                    fmt::join(high_vif, "，"), kVifLimit, condition);
  } else if (d.condition_number > kConditionLimit) {
    const std::string top =
        largest != nullptr ? fmt::format("{} {}", largest->name, number(largest->vif)) : "-";
    out += en ? fmt::format(
                    "- Warning: the condition number is {} (above {}), but no VIF exceeds "
                    "{} (largest: {}): the regressors' different scales, rather than "
                    "collinearity, make it large (--standardize removes the scale).\n",
                    condition, kConditionLimit, kVifLimit, top)
              : fmt::format(
                    "- 警告：条件数为 {}（超过 {}），但没有 VIF 超过 {}（最大：{}）："
                    "条件数大主要来自变量量纲不同，而非共线性（--standardize 可消除量纲）。\n",
                    condition, kConditionLimit, kVifLimit, top);
  } else {
    out += en ? fmt::format(
                    "- Multicollinearity: none of note (condition number {}, every VIF "
                    "at most {}).\n",
                    condition, kVifLimit)
              : fmt::format("- 多重共线性：不明显（条件数 {}，VIF 均不超过 {}）。\n", condition,
                            kVifLimit);
  }
  if (!result.collinear.empty()) {
    out += en ? fmt::format("- Warning: left out as collinear with earlier columns: {}.\n",
                            fmt::join(result.collinear, ", "))
              : fmt::format("- 警告：与前面的列完全共线而被剔除：{}。\n",
                            fmt::join(result.collinear, ", "));
  }
  if (result.covariance != CovarianceType::kNonRobust) {
    out += en ? fmt::format(
                    "- Standard errors are robust to heteroscedasticity ({}); p-values "
                    "and intervals use the normal distribution.\n",
                    to_string(result.covariance))
              : fmt::format("- 标准误为异方差稳健标准误（{}），p 值和置信区间基于正态分布。\n",
                            to_string(result.covariance));
  }
  return out;
}

std::string logit_reading(const LogitResult& result, Lang lang) {
  const bool en = lang == Lang::kEn;
  const DesignReport& design = result.design;
  const std::string outcome = fmt::format("{} = {}", result.dependent, design.positive_level);
  std::string out = en ? fmt::format("Reading (5 % significance level; 1 means {})\n", outcome)
                       : fmt::format("解读（5% 显著性水平；1 表示 {}）\n", outcome);
  const std::string base_rate = printf_double(
      "%.1f", 100.0 * static_cast<double>(result.positives) / static_cast<double>(result.nobs));
  const bool fit_significant = result.llr_p_value < kAlpha;
  if (en) {
    out += fmt::format(
        "- Fit: McFadden pseudo R² = {}; the likelihood-ratio test against the constant-only "
        "model gives χ²({}) = {}, {}: the regressors {} (base rate: {} % of rows are 1).\n",
        number(result.pseudo_r_squared), result.df_model, number(result.llr),
        p_text(result.llr_p_value),
        fit_significant ? "predict the outcome better than its base rate"
                        : "do not predict the outcome better than its base rate",
        base_rate);
  } else {
    out += fmt::format(
        "- 拟合：McFadden 伪 R² = {}；与仅含常数项模型的似然比检验 χ²({}) = {}，{}：回归变量{}"
        "（基准比例：{}% 的行为 1）。\n",
        number(result.pseudo_r_squared), result.df_model, number(result.llr),
        p_text(result.llr_p_value),
        fit_significant ? "比基准比例预测得更好" : "并不比基准比例预测得更好", base_rate);
  }
  const Drivers drivers = split_drivers(
      result.coefficients, [&](const Coefficient& c) { return odds_text(c, design, lang); });
  append_drivers(out, drivers,
                 en ? fmt::format("Raise the odds of {}", outcome)
                    : fmt::format("显著提高 {} 几率的因素", outcome),
                 en ? fmt::format("Lower the odds of {}", outcome)
                    : fmt::format("显著降低 {} 几率的因素", outcome),
                 lang);
  if (result.converged) {
    out += en ? fmt::format("- Newton's method converged in {} iterations.\n", result.iterations)
              : fmt::format("- 牛顿法 {} 次迭代后收敛。\n", result.iterations);
  }
  if (!result.converged) {
    out +=
        en ? fmt::format(
                 "- Warning: Newton's method did not converge in {} iterations; the "
                 "estimates are not reliable.\n",
                 result.iterations)
           : fmt::format("- 警告：牛顿法 {} 次迭代仍未收敛，估计值不可靠。\n", result.iterations);
  }
  if (!result.separation_column.empty()) {
    out +=
        en ? fmt::format(
                 "- Warning: quasi-separation: '{}' predicts {} exactly on one side; "
                 "its coefficient and standard error are not meaningful.\n",
                 result.separation_column, result.dependent)
           : fmt::format("- 警告：准完全分离：'{}' 在一侧完全预测 {}，其系数与标准误没有意义。\n",
                         result.separation_column, result.dependent);
  }
  if (!result.collinear.empty()) {
    out += en ? fmt::format("- Warning: left out as collinear with earlier columns: {}.\n",
                            fmt::join(result.collinear, ", "))
              : fmt::format("- 警告：与前面的列完全共线而被剔除：{}。\n",
                            fmt::join(result.collinear, ", "));
  }
  return out;
}

namespace {

// The "- " points of a reading, without its heading.
std::vector<std::string> points_of(const std::string& reading) {
  std::vector<std::string> points;
  std::size_t at = reading.find('\n');
  while (at != std::string::npos && at + 1 < reading.size()) {
    const std::size_t end = reading.find('\n', at + 1);
    std::string line = reading.substr(at + 1, end == std::string::npos ? end : end - at - 1);
    if (line.rfind("- ", 0) == 0) line.erase(0, 2);
    if (!line.empty()) points.push_back(std::move(line));
    at = end;
  }
  return points;
}

}  // namespace

std::vector<std::string> ols_reading_lines(const OlsResult& result, Lang lang) {
  return points_of(ols_reading(result, lang));
}

std::vector<std::string> logit_reading_lines(const LogitResult& result, Lang lang) {
  return points_of(logit_reading(result, lang));
}

}  // namespace custlens::models
