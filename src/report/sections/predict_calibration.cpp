// Section `predict_calibration`: the reliability diagram (observed rate against mean score per
// bin, beside the diagonal), the 10-bin table and the Brier score against a no-skill forecast.
#include <fmt/format.h>

#include <cmath>

#include "report/sections/predict_common.h"

namespace custlens::report {
namespace {

std::optional<Section> build_predict_calibration(const SectionContext& context) {
  const nlohmann::json* bins = context.find("/predict/calibration");
  if (bins == nullptr || !bins->is_array() || bins->empty()) return std::nullopt;
  const nlohmann::json* test = context.find("/predict/test");

  Section section;
  section.title =
      context.text("Calibration: predicted against observed", "校准：预测概率与实际购买率");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Score bin", "得分区间")),
                   std::string(context.text("Customers", "客户数")),
                   std::string(context.text("Mean score", "平均得分")),
                   std::string(context.text("Observed rate", "实际购买率")),
                   std::string(context.text("Observed − predicted", "实际 − 预测"))};
  table.formats = {CellFormat::kText, CellFormat::kInteger, CellFormat::kPercent,
                   CellFormat::kPercent, CellFormat::kPercent};
  nlohmann::json points = nlohmann::json::array();
  const nlohmann::json* widest = nullptr;  // the bin of most customers' largest gap
  double widest_gap = -1;
  std::int64_t total = 0;
  for (const nlohmann::json& bin : *bins) {
    const std::int64_t customers = bin.at("customers").get<std::int64_t>();
    total += customers;
  }
  for (const nlohmann::json& bin : *bins) {
    const std::int64_t customers = bin.at("customers").get<std::int64_t>();
    const std::string label =
        fmt::format("{:.1f}–{:.1f}", bin.at("lower").get<double>(), bin.at("upper").get<double>());
    if (customers == 0) {
      table.rows.push_back({label, 0, nullptr, nullptr, nullptr});
      continue;
    }
    const double mean = bin.at("mean_score").get<double>();
    const double observed = bin.at("observed_rate").get<double>();
    table.rows.push_back({label, customers, mean, observed, observed - mean});
    points.push_back({chart_percent(mean), chart_percent(observed)});
    // Gaps in bins of at least 2 % of customers: a bin of three says little.
    if (50 * customers >= total && std::abs(observed - mean) > widest_gap) {
      widest_gap = std::abs(observed - mean);
      widest = &bin;
    }
  }
  section.chart = {
      {"tooltip", {{"trigger", "item"}}},
      {"legend", {{"top", 0}}},
      {"grid", predict_grid()},
      {"xAxis",
       predict_x_axis(context.text("Mean predicted score (%)", "平均预测得分（%）"), 0, 100)},
      {"yAxis",
       predict_value_axis(context.text("Observed buyers (%)", "实际购买比例（%）"), 0, 100)},
      {"series",
       nlohmann::json::array({{{"name", std::string(context.text("Model", "模型"))},
                               {"type", "line"},
                               {"symbolSize", 8},
                               {"data", std::move(points)}},
                              predict_diagonal(context.text("Perfect calibration", "完全校准"))})}};

  if (test != nullptr) {
    const std::optional<double> brier = predict_number(*test, "brier");
    const std::optional<double> customers = predict_number(*test, "customers");
    const std::optional<double> positives = predict_number(*test, "positives");
    if (brier && customers && positives && *customers > 0) {
      const double rate = *positives / *customers;
      section.findings.push_back(fmt::format(
          fmt::runtime(context.text(
              "Brier score {} (lower is better); predicting the base rate {} for everyone "
              "would score {}.",
              "Brier 分数 {}（越低越好）；对所有人都预测基础购买率 {} 的得分为 {}。")),
          format_stat(*brier), format_share(rate), format_stat(rate * (1 - rate))));
    }
  }
  if (widest != nullptr) {
    const double mean = widest->at("mean_score").get<double>();
    const double observed = widest->at("observed_rate").get<double>();
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "Largest gap in a bin of at least 2% of customers: scores {:.1f}–{:.1f} "
            "({} customers) predict {} and buy at {}.",
            "在至少含 2% 客户的区间中差距最大的是 {:.1f}–{:.1f}（{} 名客户）：预测 {}，实际 {}。")),
        widest->at("lower").get<double>(), widest->at("upper").get<double>(),
        format_count(widest->at("customers").get<std::int64_t>()), format_share(mean),
        format_share(observed)));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(predict_calibration, 420, build_predict_calibration);

}  // namespace custlens::report
