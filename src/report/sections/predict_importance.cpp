// Section `predict_importance`: which features drive the scores: the model's own importance
// (XGBoost's total gain) as shares, and the mean |SHAP| contribution on the test part.
#include <fmt/format.h>

#include "report/sections/section.h"

namespace custlens::report {
namespace {

constexpr std::size_t kShown = 15;

std::optional<Section> build_predict_importance(const SectionContext& context) {
  const nlohmann::json* importance = context.find("/predict/importance");
  if (importance == nullptr || !importance->is_array() || importance->empty()) return std::nullopt;
  Section section;
  section.title = std::string(context.text("What drives the scores (feature importance, SHAP)",
                                           "驱动评分的因素（特征重要性、SHAP）"));
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Feature", "特征")),
                   std::string(context.text("Share of gain", "增益占比")),
                   std::string(context.text("Mean |SHAP| (log-odds)", "平均 |SHAP|（对数几率）"))};
  table.formats = {CellFormat::kText, CellFormat::kPercent, CellFormat::kStatistic};
  nlohmann::json names = nlohmann::json::array();
  nlohmann::json shares = nlohmann::json::array();
  nlohmann::json shap = nlohmann::json::array();
  for (std::size_t i = 0; i < importance->size(); ++i) {
    const nlohmann::json& f = (*importance)[i];
    table.rows.push_back({f.at("feature"), f.value("share", 0.0), f.value("mean_abs_shap", 0.0)});
    if (i < kShown) {
      names.push_back(f.at("feature"));
      shares.push_back(chart_percent(f.value("share", 0.0)));
      shap.push_back(chart_money(f.value("mean_abs_shap", 0.0)));
    }
  }
  // Largest at the top of a horizontal bar chart.
  std::reverse(names.begin(), names.end());
  std::reverse(shares.begin(), shares.end());
  std::reverse(shap.begin(), shap.end());
  section.chart_height = static_cast<int>(60 + 26 * names.size());
  section.chart = {
      {"tooltip", {{"trigger", "axis"}, {"axisPointer", {{"type", "shadow"}}}}},
      {"legend", {{"top", 0}}},
      {"grid", {{"left", 8}, {"right", 24}, {"top", 36}, {"bottom", 8}, {"containLabel", true}}},
      {"xAxis", nlohmann::json::array(
                    {{{"type", "value"}, {"name", std::string(context.text("gain %", "增益 %"))}},
                     {{"type", "value"}, {"name", "|SHAP|"}, {"position", "top"}}})},
      {"yAxis", {{"type", "category"}, {"data", names}}},
      {"series", nlohmann::json::array(
                     {{{"name", std::string(context.text("Share of gain (%)", "增益占比（%）"))},
                       {"type", "bar"},
                       {"xAxisIndex", 0},
                       {"data", shares}},
                      {{"name", std::string(context.text("Mean |SHAP|", "平均 |SHAP|"))},
                       {"type", "bar"},
                       {"xAxisIndex", 1},
                       {"data", shap}}})}};
  const nlohmann::json& top = importance->at(0);
  section.findings.push_back(
      fmt::format(fmt::runtime(context.text(
                      "{} carries {} of the model's gain; the top three features carry {}.",
                      "{} 占模型增益的 {}；前三个特征合计占 {}。")),
                  top.at("feature").get<std::string>(), format_share(top.value("share", 0.0)),
                  format_share([&] {
                    double sum = 0;
                    for (std::size_t i = 0; i < std::min<std::size_t>(3, importance->size()); ++i) {
                      sum += (*importance)[i].value("share", 0.0);
                    }
                    return sum;
                  }())));
  section.findings.push_back(std::string(context.text(
      "A SHAP value is a feature's push on one customer's log-odds of buying; targets.csv lists "
      "each customer's three largest.",
      "SHAP 值是某个特征对单个客户购买对数几率的推动；targets.csv 列出每位客户最大的三个。")));
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(predict_importance, 430, build_predict_importance);

}  // namespace custlens::report
