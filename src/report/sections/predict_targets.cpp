// Section `predict_targets`: the head of the current target list (targets.csv): score, decile,
// tier, expected value and the three SHAP reasons of each customer.
#include <fmt/format.h>

#include "report/sections/section.h"

namespace custlens::report {
namespace {

std::optional<Section> build_predict_targets(const SectionContext& context) {
  const nlohmann::json* apply = context.find("/predict/apply");
  if (apply == nullptr || !apply->contains("top") || !(*apply)["top"].is_array() ||
      (*apply)["top"].empty()) {
    return std::nullopt;
  }
  Section section;
  section.title = std::string(context.text("Whom to contact next: the top of the target list",
                                           "下一步联系谁：目标名单前列"));
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Customer", "客户")),
                   std::string(context.text("Score", "评分")),
                   std::string(context.text("Decile", "十分位")),
                   std::string(context.text("Tier", "层级")),
                   std::string(context.text("Expected value", "预期价值")),
                   std::string(context.text("Reasons (SHAP, log-odds)", "原因（SHAP，对数几率）"))};
  table.formats = {CellFormat::kText, CellFormat::kStatistic, CellFormat::kInteger,
                   CellFormat::kText, CellFormat::kMoney,     CellFormat::kList};
  for (const nlohmann::json& t : (*apply)["top"]) {
    nlohmann::json reasons = nlohmann::json::array();
    for (const nlohmann::json& r : t.value("reasons", nlohmann::json::array())) {
      const nlohmann::json& value = r.at("value");
      reasons.push_back(fmt::format("{} = {} ({:+.3f})", r.at("feature").get<std::string>(),
                                    value.is_number()
                                        ? format_stat(value.get<double>())
                                        : std::string(context.text("missing", "缺失")),
                                    r.value("contribution", 0.0)));
    }
    table.rows.push_back({t.at("customer_id"), t.value("score", 0.0), t.value("decile", 0),
                          t.value("tier", std::string()), t.value("expected_value", 0.0),
                          std::move(reasons)});
  }
  const std::int64_t customers = apply->value("customers", std::int64_t{0});
  const std::int64_t population =
      context.summary.at("predict").value("population", std::int64_t{0});
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text(
          "The {} model, refitted on all {} customers of the population, scores every one of the "
          "{} current customers on data up to the as-of day; it expects {} of them to buy in the "
          "next horizon.",
          "{} 模型在全部 {} 位样本客户上重新拟合后，用截至日前的数据为全部 {} "
          "位当前客户评分；预计其中 {} 位会在下一观察期购买。")),
      apply->value("model", std::string()), format_count(population), format_count(customers),
      format_count(static_cast<std::int64_t>(std::llround(apply->value("expected_buyers", 0.0))))));
  if (const nlohmann::json* projection = context.find("/predict/apply/projection")) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "Contacting at the test part's best cut (score ≥ {}) means {} contacts, about {} "
            "buyers and an expected profit of {}.",
            "按测试集上的最优阈值（评分 ≥ {}）联系 {} 位，预计 {} 位购买，预期利润 {}。")),
        projection->at("threshold").is_number()
            ? format_stat(projection->at("threshold").get<double>())
            : std::string("∞"),
        format_count(projection->value("contacted", std::int64_t{0})),
        format_count(
            static_cast<std::int64_t>(std::llround(projection->value("expected_converters", 0.0)))),
        format_money(projection->value("expected_profit", 0.0))));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(predict_targets, 450, build_predict_targets);

}  // namespace custlens::report
