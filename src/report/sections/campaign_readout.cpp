// Section `campaign_readout`: each campaign's groups, the conversion uplift with its interval and
// p-value, revenue and CUPED uplift, incremental profit; a chart of the conversion rates; the
// verdicts in words (docs/campaign.md).
#include <fmt/format.h>

#include "report/sections/section.h"

namespace custlens::report {
namespace {

nlohmann::json campaign_rate(const nlohmann::json& campaign, const char* group) {
  return chart_percent(campaign.at("groups").at(group).at("conversion_rate").get<double>());
}

std::optional<Section> build_campaign_readout(const SectionContext& context) {
  const nlohmann::json* campaigns = context.find("/campaign/campaigns");
  if (campaigns == nullptr || !campaigns->is_array() || campaigns->empty()) return std::nullopt;
  Section section;
  section.title =
      context.text("Campaign readout: treatment against control", "活动效果：实验组对比对照组");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Campaign", "活动")),
                   std::string(context.text("Treated", "实验组人数")),
                   std::string(context.text("Treated conversion", "实验组转化率")),
                   std::string(context.text("Control", "对照组人数")),
                   std::string(context.text("Control conversion", "对照组转化率")),
                   std::string(context.text("Uplift", "提升")),
                   std::string(context.text("95% CI low", "95% 区间下限")),
                   std::string(context.text("95% CI high", "95% 区间上限")),
                   "p",
                   std::string(context.text("Revenue/customer uplift", "人均收入提升")),
                   std::string(context.text("CUPED uplift", "CUPED 提升")),
                   std::string(context.text("Incremental profit", "增量利润"))};
  table.formats = {CellFormat::kText,    CellFormat::kInteger, CellFormat::kPercent,
                   CellFormat::kInteger, CellFormat::kPercent, CellFormat::kPercent,
                   CellFormat::kPercent, CellFormat::kPercent, CellFormat::kStatistic,
                   CellFormat::kMoney,   CellFormat::kMoney,   CellFormat::kMoney};
  nlohmann::json names = nlohmann::json::array();
  nlohmann::json treated = nlohmann::json::array();
  nlohmann::json control = nlohmann::json::array();
  for (const nlohmann::json& c : *campaigns) {
    const nlohmann::json& uplift = c.at("uplift");
    table.rows.push_back({c.at("name"), c.at("groups").at("treatment").at("customers"),
                          c.at("groups").at("treatment").at("conversion_rate"),
                          c.at("groups").at("control").at("customers"),
                          c.at("groups").at("control").at("conversion_rate"), uplift.at("absolute"),
                          uplift.at("ci_lower"), uplift.at("ci_upper"), uplift.at("p_value"),
                          c.at("revenue_uplift").at("absolute"), c.at("cuped").at("absolute"),
                          c.at("profit").at("incremental_profit")});
    names.push_back(c.at("name"));
    treated.push_back(campaign_rate(c, "treatment"));
    control.push_back(campaign_rate(c, "control"));
    section.findings.push_back(
        fmt::format("{}: {}", c.at("name").get<std::string>(), c.at("verdict").get<std::string>()));
    if (!c.at("srm").is_null() && c.at("srm").at("mismatch").get<bool>()) {
      section.findings.push_back(fmt::format(
          fmt::runtime(context.text(
              "{}: the groups' sizes do not match the planned split ({}); the assignment is "
              "suspect and the readout should not be trusted.",
              "{}：两组人数与计划比例不符（{}），分组可能有问题，结果不可信。")),
          c.at("name").get<std::string>(), format_p(c.at("srm").at("p_value").get<double>())));
    }
  }
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"legend", {{"top", 0}}},
      {"grid", {{"left", 8}, {"right", 24}, {"top", 36}, {"bottom", 28}, {"containLabel", true}}},
      {"xAxis", {{"type", "category"}, {"data", std::move(names)}}},
      {"yAxis",
       {{"type", "value"}, {"name", std::string(context.text("Conversion (%)", "转化率（%）"))}}},
      {"series", nlohmann::json::array({{{"name", std::string(context.text("Treatment", "实验组"))},
                                         {"type", "bar"},
                                         {"data", std::move(treated)}},
                                        {{"name", std::string(context.text("Control", "对照组"))},
                                         {"type", "bar"},
                                         {"data", std::move(control)}}})}};
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(campaign_readout, 800, build_campaign_readout);

}  // namespace custlens::report
