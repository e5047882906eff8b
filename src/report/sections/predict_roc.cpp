// Section `predict_roc`: the ROC curve of the test part against chance, AUC with its interval.
#include <fmt/format.h>

#include "report/sections/predict_common.h"

namespace custlens::report {
namespace {

std::optional<Section> build_predict_roc(const SectionContext& context) {
  const nlohmann::json* test = context.find("/predict/test");
  const nlohmann::json* roc = context.find("/predict/roc");
  if (test == nullptr || roc == nullptr || !roc->is_array() || roc->empty() ||
      !test->contains("auc")) {
    return std::nullopt;
  }
  const double auc = test->at("auc").get<double>();
  const std::optional<double> lower = predict_number(*test, "auc_ci_lower");
  const std::optional<double> upper = predict_number(*test, "auc_ci_upper");
  const std::int64_t customers = test->value("customers", std::int64_t{0});
  const std::int64_t positives = test->value("positives", std::int64_t{0});
  const std::string interval =
      lower && upper
          ? fmt::format(fmt::runtime(context.text(", 95% CI {}–{}", "，95% 置信区间 {}–{}")),
                        format_stat(*lower), format_stat(*upper))
          : std::string();

  Section section;
  section.title =
      fmt::format(fmt::runtime(context.text("ROC curve (AUC {}{})", "ROC 曲线（AUC {}{}）")),
                  format_stat(auc), interval);
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Test customers", "测试集客户")),
                   std::string(context.text("Buyers", "购买客户")),
                   "AUC",
                   std::string(context.text("95% CI lower", "95% 置信下限")),
                   std::string(context.text("95% CI upper", "95% 置信上限")),
                   std::string(context.text("Interval method", "区间方法"))};
  table.formats = {CellFormat::kInteger,   CellFormat::kInteger,   CellFormat::kStatistic,
                   CellFormat::kStatistic, CellFormat::kStatistic, CellFormat::kText};
  table.rows.push_back({customers, positives, auc, lower ? nlohmann::json(*lower) : nullptr,
                        upper ? nlohmann::json(*upper) : nullptr,
                        test->value("auc_ci_method", std::string())});

  nlohmann::json points = nlohmann::json::array();
  for (const nlohmann::json& p : *roc) {
    points.push_back(
        {chart_percent(p.at("fpr").get<double>()), chart_percent(p.at("tpr").get<double>())});
  }
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"legend", {{"top", 0}}},
      {"grid", predict_grid()},
      {"xAxis", predict_x_axis(context.text("False positive rate (%)", "误报率（%）"), 0, 100)},
      {"yAxis", predict_value_axis(context.text("True positive rate (%)", "命中率（%）"), 0, 100)},
      {"series",
       nlohmann::json::array(
           {{{"name", fmt::format("{} (AUC {})", context.text("Model", "模型"), format_stat(auc))},
             {"type", "line"},
             {"showSymbol", false},
             {"areaStyle", {{"opacity", 0.1}}},
             {"data", std::move(points)}},
            predict_diagonal(context.text("Chance (AUC 0.5)", "随机（AUC 0.5）"))})}};

  section.findings.push_back(
      fmt::format(fmt::runtime(context.text(
                      "AUC {}{}: a random buyer outscores a random non-buyer {} of the time.",
                      "AUC {}{}：随机抽取一名购买客户与一名未购买客户，前者得分更高的概率为 {}。")),
                  format_stat(auc), interval, format_share(auc)));
  if (customers > 0) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("Measured on {} held-out test customers, {} of them buyers ({}).",
                                  "基于 {} 名留出的测试集客户，其中 {} 名购买（{}）。")),
        format_count(customers), format_count(positives),
        format_share(static_cast<double>(positives) / static_cast<double>(customers))));
  }
  if (lower && *lower <= 0.5) {
    section.findings.push_back(std::string(
        context.text("The interval reaches 0.5: the scores are not shown to beat chance.",
                     "置信区间包含 0.5：无法证明模型优于随机。")));
  }
  if (const nlohmann::json* baseline = context.find("/predict/baseline")) {
    if (const std::optional<double> base_auc = predict_number(*baseline, "auc")) {
      section.findings.push_back(fmt::format(
          fmt::runtime(context.text("The {} baseline reaches AUC {} on the same customers.",
                                    "{} 基线模型在同一批客户上的 AUC 为 {}。")),
          baseline->value("model", std::string("logistic")), format_stat(*base_auc)));
    }
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(predict_roc, 400, build_predict_roc);

}  // namespace custlens::report
