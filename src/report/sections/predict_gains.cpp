// Section `predict_gains`: lift per decile of score (bars) and the cumulative gain (line).
#include <fmt/format.h>

#include "report/sections/predict_common.h"

namespace custlens::report {
namespace {

std::optional<Section> build_predict_gains(const SectionContext& context) {
  const nlohmann::json* gains = context.find("/predict/gains");
  if (gains == nullptr || !gains->is_array() || gains->empty()) return std::nullopt;

  Section section;
  section.title = context.text("Gains and lift by decile", "分十等份的累计增益与提升度");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Decile", "十分位")),
                   std::string(context.text("Customers", "客户数")),
                   std::string(context.text("Buyers", "购买客户")),
                   std::string(context.text("Lowest score", "最低得分")),
                   std::string(context.text("Response rate", "购买率")),
                   std::string(context.text("Cumulative gain", "累计增益")),
                   std::string(context.text("Lift", "提升度")),
                   std::string(context.text("Cumulative lift", "累计提升度"))};
  table.formats = {CellFormat::kText,      CellFormat::kInteger, CellFormat::kInteger,
                   CellFormat::kStatistic, CellFormat::kPercent, CellFormat::kPercent,
                   CellFormat::kNumber,    CellFormat::kNumber};
  nlohmann::json labels = nlohmann::json::array();
  nlohmann::json lift = nlohmann::json::array();
  nlohmann::json gain = nlohmann::json::array();
  for (const nlohmann::json& d : *gains) {
    const int decile = d.at("decile").get<int>();
    const std::string label = fmt::format("{}", decile);
    table.rows.push_back({label, d.at("customers"), d.at("positives"), d.at("min_score"),
                          d.at("response_rate"), d.at("gain"), d.at("lift"),
                          d.at("cumulative_lift")});
    labels.push_back(label);
    lift.push_back(chart_money(d.at("lift").get<double>()));
    gain.push_back(chart_percent(d.at("gain").get<double>()));
  }
  const std::string lift_name(context.text("Lift", "提升度"));
  const std::string gain_name(context.text("Cumulative gain (%)", "累计增益（%）"));
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"legend", {{"top", 0}}},
      {"grid", predict_grid()},
      {"xAxis",
       {{"type", "category"},
        {"data", std::move(labels)},
        {"name",
         std::string(context.text("Decile (1 = highest scores)", "十分位（1 = 得分最高）"))},
        {"nameLocation", "middle"},
        {"nameGap", 24}}},
      {"yAxis", nlohmann::json::array({predict_value_axis(lift_name, 0, nullptr),
                                       predict_value_axis(gain_name, 0, 100)})},
      {"series", nlohmann::json::array({{{"name", lift_name},
                                         {"type", "bar"},
                                         {"data", std::move(lift)},
                                         {"markLine",
                                          {{"symbol", "none"},
                                           {"lineStyle", {{"type", "dashed"}}},
                                           {"label", {{"formatter", "{c}"}}},
                                           {"data", nlohmann::json::array({{{"yAxis", 1}}})}}}},
                                        {{"name", gain_name},
                                         {"type", "line"},
                                         {"yAxisIndex", 1},
                                         {"data", std::move(gain)}}})}};

  const nlohmann::json& top = gains->front();
  if (top.at("customers").get<std::int64_t>() > 0) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "The top decile ({} customers, scores ≥ {}) buys at {}: lift {}, {} of all buyers.",
            "得分最高的十分之一（{} 名客户，得分 ≥ {}）购买率 {}：提升度 {}，占全部购买客户的 "
            "{}。")),
        format_count(top.at("customers").get<std::int64_t>()),
        format_stat(top.at("min_score").get<double>()),
        format_share(top.at("response_rate").get<double>()),
        fmt::format("{:.2f}", top.at("lift").get<double>()),
        format_share(top.at("gain").get<double>())));
  }
  if (gains->size() >= 3) {
    const nlohmann::json& third = (*gains)[2];
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("The top 30% of customers by score hold {} of buyers (lift {}).",
                                  "得分前 30% 的客户包含 {} 的购买客户（累计提升度 {}）。")),
        format_share(third.at("gain").get<double>()),
        fmt::format("{:.2f}", third.at("cumulative_lift").get<double>())));
  }
  const nlohmann::json& bottom = gains->back();
  if (bottom.at("customers").get<std::int64_t>() > 0) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("The bottom decile buys at {} (lift {}).",
                                              "得分最低的十分之一购买率 {}（提升度 {}）。")),
                    format_share(bottom.at("response_rate").get<double>()),
                    fmt::format("{:.2f}", bottom.at("lift").get<double>())));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(predict_gains, 410, build_predict_gains);

}  // namespace custlens::report
