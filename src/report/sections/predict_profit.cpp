// Section `predict_profit`: profit by number contacted (highest scores first) with the chosen cut
// and the budget marked, and the contact table: the model's cut against contacting everyone.
#include <fmt/format.h>

#include "report/sections/predict_common.h"

namespace custlens::report {
namespace {

nlohmann::json plan_row(std::string name, const nlohmann::json& point) {
  return {std::move(name),        point.at("threshold"),       point.at("contacted"),
          point.at("converters"), point.at("hit_rate"),        point.at("revenue"),
          point.at("profit"),     point.at("expected_profit"), point.at("roi")};
}

nlohmann::json marker(std::string name, const nlohmann::json& point) {
  return {
      {"name", std::move(name)},
      {"coord",
       {point.at("contacted").get<std::int64_t>(), chart_money(point.at("profit").get<double>())}}};
}

std::optional<Section> build_predict_profit(const SectionContext& context) {
  const nlohmann::json* targeting = context.find("/predict/targeting");
  if (targeting == nullptr || !targeting->is_object() || !targeting->contains("best") ||
      !targeting->contains("all") || !targeting->contains("curve")) {
    return std::nullopt;
  }
  const nlohmann::json& best = targeting->at("best");
  const nlohmann::json& all = targeting->at("all");
  const nlohmann::json budget = targeting->value("budget", nlohmann::json());
  const std::string model_name(context.text("Model: best cut", "模型：最优阈值"));
  const std::string all_name(context.text("Contact all", "全部联系"));
  const std::string budget_name(context.text("Budget", "预算"));

  Section section;
  section.title = context.text("Profit curve and whom to contact", "利润曲线与联系名单");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Plan", "方案")),
                   std::string(context.text("Score ≥", "得分 ≥")),
                   std::string(context.text("Contacted", "联系人数")),
                   std::string(context.text("Buyers", "购买客户")),
                   std::string(context.text("Hit rate", "命中率")),
                   std::string(context.text("Revenue", "收益")),
                   std::string(context.text("Profit", "利润")),
                   std::string(context.text("Expected profit", "预期利润")),
                   "ROI"};
  table.formats = {CellFormat::kText,    CellFormat::kStatistic, CellFormat::kInteger,
                   CellFormat::kInteger, CellFormat::kPercent,   CellFormat::kMoney,
                   CellFormat::kMoney,   CellFormat::kMoney,     CellFormat::kPercent};
  table.rows.push_back(plan_row(all_name, all));
  table.rows.push_back(plan_row(model_name, best));
  if (budget.is_object()) table.rows.push_back(plan_row(budget_name, budget));

  nlohmann::json profit = nlohmann::json::array();
  nlohmann::json expected = nlohmann::json::array();
  for (const nlohmann::json& p : targeting->at("curve")) {
    const std::int64_t contacted = p.at("contacted").get<std::int64_t>();
    profit.push_back({contacted, chart_money(p.at("profit").get<double>())});
    expected.push_back({contacted, chart_money(p.at("expected_profit").get<double>())});
  }
  nlohmann::json marks = nlohmann::json::array({marker(model_name, best)});
  if (budget.is_object()) marks.push_back(marker(budget_name, budget));
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"legend", {{"top", 0}}},
      {"grid", predict_grid()},
      {"xAxis", predict_x_axis(context.text("Customers contacted, highest scores first",
                                            "联系人数（按得分从高到低）"),
                               0, all.at("contacted"))},
      {"yAxis", predict_value_axis(context.text("Profit", "利润"), nullptr, nullptr)},
      {"series",
       nlohmann::json::array(
           {{{"name", std::string(context.text("Profit", "利润"))},
             {"type", "line"},
             {"showSymbol", false},
             {"data", std::move(profit)},
             // Small unlabelled dots: the dashed line's label already gives the count, and a pin
             // at the curve's top would reach into the legend.
             {"markPoint",
              {{"symbol", "circle"},
               {"symbolSize", 10},
               {"label", {{"show", false}}},
               {"data", std::move(marks)}}},
             {"markLine",
              {{"symbol", "none"},
               {"lineStyle", {{"type", "dashed"}}},
               {"label", {{"formatter", "{c}"}}},
               {"data",
                nlohmann::json::array({{{"xAxis", best.at("contacted").get<std::int64_t>()}}})}}}},
            {{"name", std::string(context.text("Expected profit (Σ score)", "预期利润（按得分）"))},
             {"type", "line"},
             {"showSymbol", false},
             {"lineStyle", {{"type", "dotted"}}},
             {"data", std::move(expected)}}})}};

  const std::int64_t best_contacted = best.at("contacted").get<std::int64_t>();
  section.findings.push_back(
      fmt::format(fmt::runtime(context.text(
                      "Contacting all {} customers reaches {} buyers ({}) for a profit of {}.",
                      "联系全部 {} 名客户可触达 {} 名购买客户（{}），利润 {}。")),
                  format_count(all.at("contacted").get<std::int64_t>()),
                  format_count(all.at("converters").get<std::int64_t>()),
                  format_share(all.at("hit_rate").get<double>()),
                  format_money(all.at("profit").get<double>())));
  if (best_contacted == 0) {
    section.findings.push_back(std::string(context.text(
        "Every cut loses money at this contact cost: the best plan is to contact nobody.",
        "在此联系成本下每个阈值都亏损：最优方案是不联系任何人。")));
  } else {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "The model's best cut contacts the top {} (score ≥ {}): {} buyers ({}), profit {}, "
            "{} more than contacting all.",
            "模型最优阈值联系前 {} 名（得分 ≥ {}）：{} 名购买客户（{}），利润 {}，比全部联系多 "
            "{}。")),
        format_count(best_contacted), format_stat(best.at("threshold").get<double>()),
        format_count(best.at("converters").get<std::int64_t>()),
        format_share(best.at("hit_rate").get<double>()),
        format_money(best.at("profit").get<double>()),
        format_money(targeting->value("profit_vs_all", 0.0))));
  }
  if (budget.is_object()) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("A budget of {} contacts reaches {} buyers ({}), profit {}.",
                                  "预算 {} 人次可触达 {} 名购买客户（{}），利润 {}。")),
        format_count(budget.at("contacted").get<std::int64_t>()),
        format_count(budget.at("converters").get<std::int64_t>()),
        format_share(budget.at("hit_rate").get<double>()),
        format_money(budget.at("profit").get<double>())));
  }
  if (const nlohmann::json* targets = context.find("/predict/apply/projection")) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "Applied to the current list, the same cut contacts {} of {} customers: expected "
            "{} buyers and a profit of {}.",
            "将同一阈值用于当前名单：联系 {} 名（共 {} 名），预期 {} 名购买，预期利润 {}。")),
        format_count(targets->at("contacted").get<std::int64_t>()),
        format_count(targets->at("listed").get<std::int64_t>()),
        fmt::format("{:.1f}", targets->at("expected_converters").get<double>()),
        format_money(targets->at("expected_profit").get<double>())));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(predict_profit, 440, build_predict_profit);

}  // namespace custlens::report
