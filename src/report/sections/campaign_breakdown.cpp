// Section `campaign_breakdown`: the uplift of each campaign by RFM tier at sending and by predict
// decile, and the Qini curve of the first campaign that has one (docs/campaign.md).
#include <fmt/format.h>

#include "report/sections/section.h"

namespace custlens::report {
namespace {

std::optional<Section> build_campaign_breakdown(const SectionContext& context) {
  const nlohmann::json* campaigns = context.find("/campaign/campaigns");
  if (campaigns == nullptr || !campaigns->is_array() || campaigns->empty()) return std::nullopt;
  Section section;
  section.title = context.text("Uplift by tier and decile", "按层级与十分位的提升");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Campaign", "活动")),
                   std::string(context.text("Breakdown", "维度")),
                   std::string(context.text("Level", "分组")),
                   std::string(context.text("Treated", "实验组人数")),
                   std::string(context.text("Control", "对照组人数")),
                   std::string(context.text("Treated conversion", "实验组转化率")),
                   std::string(context.text("Control conversion", "对照组转化率")),
                   std::string(context.text("Uplift", "提升")),
                   std::string(context.text("95% CI low", "95% 区间下限")),
                   std::string(context.text("95% CI high", "95% 区间上限")),
                   "p"};
  table.formats = {CellFormat::kText,    CellFormat::kText,     CellFormat::kText,
                   CellFormat::kInteger, CellFormat::kInteger,  CellFormat::kPercent,
                   CellFormat::kPercent, CellFormat::kPercent,  CellFormat::kPercent,
                   CellFormat::kPercent, CellFormat::kStatistic};
  const std::string tier_label(context.text("RFM tier", "RFM 层级"));
  const std::string decile_label(context.text("Decile", "十分位"));
  for (const nlohmann::json& c : *campaigns) {
    for (const auto& [key, label] :
         {std::pair<const char*, const std::string*>{"by_tier", &tier_label},
          {"by_decile", &decile_label}}) {
      for (const nlohmann::json& row : c.at(key)) {
        const nlohmann::json& groups = row.at("groups");
        const nlohmann::json& uplift = row.at("uplift");
        table.rows.push_back(
            {c.at("name"), *label, context.lang == Lang::kZh ? row.at("level_zh") : row.at("level"),
             groups.at("treatment").at("customers"), groups.at("control").at("customers"),
             groups.at("treatment").at("conversion_rate"),
             groups.at("control").at("conversion_rate"), uplift.at("absolute"),
             uplift.at("ci_lower"), uplift.at("ci_upper"), uplift.at("p_value")});
      }
    }
  }
  if (table.rows.empty()) return std::nullopt;
  section.findings.push_back(std::string(context.text(
      "Rows without an interval have fewer than 10 converters or non-converters in a group: too "
      "few for the normal approximation.",
      "没有区间的行中，有一组的转化或未转化人数少于 10，正态近似不可靠。")));
  for (const nlohmann::json& c : *campaigns) {
    if (c.at("qini").is_null()) continue;
    const nlohmann::json& qini = c.at("qini");
    nlohmann::json points = nlohmann::json::array();
    for (const nlohmann::json& p : qini.at("points")) {
      points.push_back({chart_percent(p.at("population_share").get<double>()),
                        chart_money(p.at("incremental_conversions").get<double>())});
    }
    const double last = qini.at("points").back().at("incremental_conversions").get<double>();
    section.chart = {
        {"tooltip", {{"trigger", "axis"}}},
        {"legend", {{"top", 0}}},
        {"grid", {{"left", 8}, {"right", 24}, {"top", 36}, {"bottom", 28}, {"containLabel", true}}},
        {"xAxis",
         {{"type", "value"},
          {"min", 0},
          {"max", 100},
          {"name",
           std::string(context.text("Customers ranked by score (%)", "按得分排序的客户（%）"))},
          {"nameLocation", "middle"},
          {"nameGap", 24}}},
        {"yAxis",
         {{"type", "value"},
          {"name", std::string(context.text("Incremental conversions", "增量转化"))}}},
        {"series", nlohmann::json::array(
                       {{{"name", fmt::format("Qini · {}", c.at("name").get<std::string>())},
                         {"type", "line"},
                         {"showSymbol", false},
                         {"data", std::move(points)}},
                        {{"name", std::string(context.text("Random", "随机"))},
                         {"type", "line"},
                         {"showSymbol", false},
                         {"lineStyle", {{"type", "dotted"}}},
                         {"data", nlohmann::json::array({{0, 0}, {100, chart_money(last)}})}}})}};
    section.findings.push_back(fmt::format(
        fmt::runtime(
            context.text("{}: Qini coefficient {} (area between the curve and random "
                         "targeting; above 0 means the ranking finds the persuadable).",
                         "{}：Qini 系数 {}（曲线与随机排序之间的面积；大于 0 表示排序能找到"
                         "可被说服的客户）。")),
        c.at("name").get<std::string>(), format_stat(qini.at("coefficient").get<double>())));
    break;
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(campaign_breakdown, 810, build_campaign_breakdown);

}  // namespace custlens::report
