// Sections `regression`, `regression_residuals` and `regression_qq`: the coefficient plot with
// 95 % intervals, the summary table and the written reading of `custlens ols` / `custlens logit`;
// for OLS also residuals against fitted values and the normal Q-Q plot of the residuals.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "report/sections/section.h"

namespace custlens::report {
namespace {

using nlohmann::json;

constexpr double kAlpha = 0.05;

bool is_logit(const json& regression) { return regression.value("model", "") == "logit"; }

// A number or null from the JSON, as a double (null: NaN).
double number(const json& value) { return value.is_number() ? value.get<double>() : std::nan(""); }

json axis_name(std::string name, std::string_view location = "middle", int gap = 28) {
  return {{"name", std::move(name)}, {"nameLocation", location}, {"nameGap", gap}};
}

json value_axis(std::string name, int gap = 28) {
  json axis = axis_name(std::move(name), "middle", gap);
  axis["type"] = "value";
  axis["scale"] = true;
  return axis;
}

// The coefficient plot: each regressor's effect with its 95 % interval, as thin horizontal boxes
// (a boxplot whose quartiles are the bounds) and points coloured by significance. OLS draws a
// number's effect per standard deviation and a flag's or level's per 0 → 1, so that every row is in
// the target's units; logit draws odds ratios on a log axis the same way.
json coefficient_chart(const SectionContext& context, const json& regression) {
  const bool logit = is_logit(regression);
  std::vector<std::string> names;
  json segments = json::array();
  json significant = json::array();
  json insignificant = json::array();
  for (const json& c : regression.at("coefficients")) {
    if (c.at("term") == "intercept" || c.at("dropped").get<bool>()) continue;
    const double estimate = number(c.at("estimate"));
    const double lower = number(c.at("ci_lower"));
    const double upper = number(c.at("ci_upper"));
    if (!std::isfinite(estimate) || !std::isfinite(lower) || !std::isfinite(upper)) continue;
    const double sd = number(c.at("sd"));
    const bool per_sd = c.at("term") == "numeric" && std::isfinite(sd) && sd > 0;
    const double scale = per_sd ? sd : 1.0;
    auto shown = [&](double value) { return logit ? std::exp(value * scale) : value * scale; };
    const auto row = static_cast<int>(names.size());
    names.push_back(per_sd ? fmt::format("{} (+1 sd)", c.at("name").get<std::string>())
                           : c.at("name").get<std::string>());
    // A box from the lower to the upper bound, its middle line at the estimate.
    segments.push_back({shown(lower), shown(lower), shown(estimate), shown(upper), shown(upper)});
    const bool is_significant = number(c.at("p_value")) < kAlpha;
    (is_significant ? significant : insignificant)
        .push_back({{"name", names.back()}, {"value", {shown(estimate), row}}});
  }
  if (names.empty()) return nullptr;

  const std::string dependent = regression.at("dependent").get<std::string>();
  const std::string x_name =
      logit ? std::string(context.text("Odds ratio (95% interval, log scale)",
                                       "几率比(95% 置信区间,对数刻度)"))
            : fmt::format(fmt::runtime(context.text("Effect on {} (95% interval)",
                                                    "对 {} 的影响(95% 置信区间)")),
                          dependent);
  json x_axis = value_axis(x_name);
  if (logit) {
    x_axis["type"] = "log";
    x_axis.erase("scale");
  }
  const json reference_line = {{"symbol", "none"},
                               {"silent", true},
                               {"lineStyle", {{"type", "dashed"}, {"color", "#888"}}},
                               {"label", {{"show", false}}},
                               {"data", json::array({{{"xAxis", logit ? 1 : 0}}})}};
  const std::string significant_name(context.text("Significant at 5%", "5% 水平显著"));
  const std::string insignificant_name(context.text("Not significant", "不显著"));
  return {
      {"tooltip", {{"trigger", "item"}}},
      {"legend", {{"top", 0}, {"data", json::array({significant_name, insignificant_name})}}},
      {"grid", {{"left", 8}, {"right", 24}, {"top", 36}, {"bottom", 40}, {"containLabel", true}}},
      {"xAxis", std::move(x_axis)},
      {"yAxis",
       {{"type", "category"},
        {"data", names},
        {"inverse", true},
        {"axisLabel", {{"width", 220}, {"overflow", "truncate"}, {"interval", 0}}}}},
      {"series", json::array({{{"name", std::string(context.text("95% interval", "95% 置信区间"))},
                               {"type", "boxplot"},
                               {"silent", true},
                               {"boxWidth", json::array({4, 6})},
                               {"itemStyle", {{"color", "#7f8c9a"}, {"borderColor", "#7f8c9a"}}},
                               {"data", std::move(segments)},
                               {"markLine", reference_line}},
                              {{"name", significant_name},
                               {"type", "scatter"},
                               {"symbolSize", 9},
                               {"itemStyle", {{"color", "#d9534f"}}},
                               {"data", std::move(significant)}},
                              {{"name", insignificant_name},
                               {"type", "scatter"},
                               {"symbolSize", 9},
                               {"itemStyle", {{"color", "#3b6ea5"}}},
                               {"data", std::move(insignificant)}}})}};
}

std::optional<Section> build_regression(const SectionContext& context) {
  const json* regression = context.find("/regression");
  if (regression == nullptr || !regression->contains("coefficients")) return std::nullopt;
  const bool logit = is_logit(*regression);
  const std::string dependent = regression->at("dependent").get<std::string>();

  Section section;
  if (logit) {
    const std::string outcome =
        fmt::format("{} = {}", dependent, regression->value("positive_level", std::string()));
    section.title = fmt::format(
        fmt::runtime(context.text("Logistic regression: what drives {}", "逻辑回归:{} 的影响因素")),
        outcome);
  } else {
    section.title = fmt::format(
        fmt::runtime(context.text("Regression: what drives {}", "回归分析:{} 的驱动因素")),
        dependent);
  }
  section.chart = coefficient_chart(context, *regression);
  if (section.chart.is_object()) {
    // Every regressor gets a labelled row of 26 px.
    const std::size_t rows = section.chart.at("yAxis").at("data").size();
    section.chart_height = std::max(380, static_cast<int>(rows) * 26 + 90);
  }

  SectionTable& table = section.table;
  const bool use_t = regression->value("distribution", "normal") == "t";
  table.columns = {std::string(context.text("Term", "变量")),
                   std::string(context.text("Estimate", "系数")),
                   std::string(context.text("Std. error", "标准误")),
                   use_t ? "t" : "z",
                   "p",
                   std::string(context.text("95% low", "95% 下限")),
                   std::string(context.text("95% high", "95% 上限")),
                   logit ? std::string(context.text("Odds ratio", "几率比")) : "VIF"};
  table.formats = {CellFormat::kText,      CellFormat::kStatistic, CellFormat::kStatistic,
                   CellFormat::kStatistic, CellFormat::kStatistic, CellFormat::kStatistic,
                   CellFormat::kStatistic, CellFormat::kStatistic};
  for (const json& c : regression->at("coefficients")) {
    table.rows.push_back({c.at("name"), c.at("estimate"), c.at("std_error"), c.at("statistic"),
                          c.at("p_value"), c.at("ci_lower"), c.at("ci_upper"),
                          logit ? c.at("odds_ratio") : c.at("vif")});
  }

  // The findings are the command's own reading, in the report's language.
  const json* reading = context.find("/regression/reading");
  const char* lang = context.lang == Lang::kZh ? "zh" : "en";
  if (reading != nullptr && reading->contains(lang)) {
    for (const json& line : reading->at(lang)) section.findings.push_back(line.get<std::string>());
  }
  return section;
}

std::optional<Section> build_residuals(const SectionContext& context) {
  const json* regression = context.find("/regression");
  const json* plot = context.find("/regression/plots/residuals_vs_fitted");
  if (regression == nullptr || plot == nullptr || is_logit(*regression)) return std::nullopt;
  const json& d = regression->at("diagnostics");
  const std::string dependent = regression->at("dependent").get<std::string>();

  Section section;
  section.title = std::string(context.text("Residuals against fitted values", "残差与拟合值"));
  const std::string fitted_name =
      fmt::format(fmt::runtime(context.text("Fitted {}", "{} 拟合值")), dependent);
  section.chart = {
      {"tooltip", {{"trigger", "item"}}},
      {"grid", {{"left", 8}, {"right", 24}, {"top", 24}, {"bottom", 40}, {"containLabel", true}}},
      {"xAxis", value_axis(fitted_name)},
      {"yAxis", value_axis(std::string(context.text("Residual", "残差")), 44)},
      {"series", json::array({{{"name", std::string(context.text("Rows", "样本"))},
                               {"type", "scatter"},
                               {"symbolSize", 4},
                               {"itemStyle", {{"opacity", 0.55}}},
                               {"data", plot->at("points")},
                               {"markLine",
                                {{"symbol", "none"},
                                 {"silent", true},
                                 {"lineStyle", {{"type", "dashed"}, {"color", "#888"}}},
                                 {"label", {{"show", false}}},
                                 {"data", json::array({{{"yAxis", 0}}})}}}}})}};

  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Measure", "指标")),
                   std::string(context.text("Value", "数值"))};
  table.formats = {CellFormat::kText, CellFormat::kStatistic};
  auto row = [&](std::string_view en, std::string_view zh, const json& value) {
    table.rows.push_back({std::string(context.text(en, zh)), value});
  };
  row("Rows used", "使用行数", regression->at("n"));
  row("R²", "R²", regression->at("r_squared"));
  row("Adjusted R²", "调整后 R²", regression->at("adj_r_squared"));
  row("F statistic", "F 统计量", regression->at("f_statistic"));
  row("p (F)", "p(F)", regression->at("f_p_value"));
  row("Log-likelihood", "对数似然", regression->at("log_likelihood"));
  row("AIC", "AIC", regression->at("aic"));
  row("BIC", "BIC", regression->at("bic"));
  row("Durbin-Watson", "Durbin-Watson", d.at("durbin_watson"));
  row("Breusch-Pagan LM", "Breusch-Pagan LM", d.at("breusch_pagan"));
  row("p (Breusch-Pagan)", "p(Breusch-Pagan)", d.at("breusch_pagan_p_value"));
  row("Condition number", "条件数", d.at("condition_number"));

  const std::size_t rows = plot->at("rows").get<std::size_t>();
  const std::size_t shown = plot->at("points").size();
  if (shown < rows) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("The plot shows {} of {} rows (one in every {}).",
                                              "图中显示 {} / {} 行(每 {} 行取 1 行)。")),
                    format_count(static_cast<std::int64_t>(shown)),
                    format_count(static_cast<std::int64_t>(rows)), plot->at("every").get<int>()));
  }
  const double bp = number(d.at("breusch_pagan"));
  const double bp_p = number(d.at("breusch_pagan_p_value"));
  if (std::isfinite(bp_p)) {
    section.findings.push_back(
        bp_p < kAlpha
            ? fmt::format(fmt::runtime(context.text(
                              "The residuals spread differently across the fitted values "
                              "(Breusch-Pagan LM = {}, {}): prefer robust standard errors "
                              "(--robust HC3).",
                              "残差的离散程度随拟合值变化(Breusch-Pagan LM = {},{}):"
                              "宜使用稳健标准误(--robust HC3)。")),
                          format_stat(bp), format_p(bp_p))
            : fmt::format(fmt::runtime(context.text(
                              "The residuals spread evenly across the fitted values "
                              "(Breusch-Pagan LM = {}, {}): no sign of heteroscedasticity.",
                              "残差在各拟合值上离散程度相近(Breusch-Pagan LM = {},{}):"
                              "没有异方差迹象。")),
                          format_stat(bp), format_p(bp_p)));
  }
  const double dw = number(d.at("durbin_watson"));
  if (std::isfinite(dw)) {
    const bool near_two = dw >= 1.5 && dw <= 2.5;
    section.findings.push_back(fmt::format(
        fmt::runtime(near_two
                         ? context.text("Durbin-Watson is {}, near 2: neighbouring rows' "
                                        "residuals are not correlated.",
                                        "Durbin-Watson 为 {},接近 2:相邻行的残差不相关。")
                         : context.text("Durbin-Watson is {}, far from 2: neighbouring rows' "
                                        "residuals are correlated (is the file in time order?).",
                                        "Durbin-Watson 为 {},远离 2:相邻行的残差相关"
                                        "(数据是否按时间排序?)。")),
        format_stat(dw)));
  }
  return section;
}

std::optional<Section> build_qq(const SectionContext& context) {
  const json* regression = context.find("/regression");
  const json* plot = context.find("/regression/plots/qq");
  if (regression == nullptr || plot == nullptr || is_logit(*regression) ||
      plot->at("points").empty()) {
    return std::nullopt;
  }
  const json& d = regression->at("diagnostics");
  const json& points = plot->at("points");
  const double low = number(points.front().at(0));
  const double high = number(points.back().at(0));

  Section section;
  section.title = std::string(context.text("Normal Q-Q plot of the residuals", "残差正态 Q-Q 图"));
  section.chart = {
      {"tooltip", {{"trigger", "item"}}},
      {"legend", {{"top", 0}}},
      {"grid", {{"left", 8}, {"right", 24}, {"top", 36}, {"bottom", 40}, {"containLabel", true}}},
      {"xAxis", value_axis(std::string(context.text("Normal quantile", "正态分位数")))},
      {"yAxis",
       value_axis(std::string(context.text("Standardised residual (e / σ̂)", "标准化残差(e / σ̂)")),
                  40)},
      {"series", json::array({{{"name", std::string(context.text("Residuals", "残差"))},
                               {"type", "scatter"},
                               {"symbolSize", 4},
                               {"data", points}},
                              {{"name", std::string(context.text("Normal (y = x)", "正态(y = x)"))},
                               {"type", "line"},
                               {"showSymbol", false},
                               {"silent", true},
                               {"lineStyle", {{"type", "dashed"}}},
                               {"data", json::array({{low, low}, {high, high}})}}})}};

  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Test", "检验")),
                   std::string(context.text("Statistic", "统计量")), "p"};
  table.formats = {CellFormat::kText, CellFormat::kStatistic, CellFormat::kStatistic};
  table.rows.push_back({"Omnibus (D'Agostino-Pearson)", d.at("omnibus"), d.at("omnibus_p_value")});
  table.rows.push_back({"Jarque-Bera", d.at("jarque_bera"), d.at("jarque_bera_p_value")});
  table.rows.push_back({std::string(context.text("Skew", "偏度")), d.at("skew"), nullptr});
  table.rows.push_back({std::string(context.text("Kurtosis (normal: 3)", "峰度(正态为 3)")),
                        d.at("kurtosis"), nullptr});

  const double jb = number(d.at("jarque_bera"));
  const double jb_p = number(d.at("jarque_bera_p_value"));
  section.findings.push_back(fmt::format(
      fmt::runtime(jb_p < kAlpha
                       ? context.text("The residuals are not normal (Jarque-Bera {}, {}).",
                                      "残差不服从正态分布(Jarque-Bera {},{})。")
                       : context.text("The residuals are consistent with normal (Jarque-Bera "
                                      "{}, {}).",
                                      "残差与正态分布一致(Jarque-Bera {},{})。")),
      format_stat(jb), format_p(jb_p)));
  const double skew = number(d.at("skew"));
  const double kurtosis = number(d.at("kurtosis"));
  std::string shape;
  if (kurtosis > 3.5) {
    shape = context.text("heavier tails than normal (points bend away from the line at both ends)",
                         "尾部比正态更厚(两端的点偏离直线)");
  } else if (kurtosis < 2.5) {
    shape = context.text("lighter tails than normal (an S shape around the line)",
                         "尾部比正态更薄(点围绕直线呈 S 形)");
  } else {
    shape = context.text("tails close to normal", "尾部接近正态");
  }
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("Skew {} and kurtosis {}: {}.", "偏度 {},峰度 {}:{}。")),
      format_stat(skew), format_stat(kurtosis), shape));
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(regression, 200, build_regression);
CUSTLENS_REGISTER_SECTION(regression_residuals, 210, build_residuals);
CUSTLENS_REGISTER_SECTION(regression_qq, 220, build_qq);

}  // namespace custlens::report
