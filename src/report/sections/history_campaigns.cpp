// Section `history_campaigns`: every campaign read out, its conversion uplift with the 95 %
// interval, and whether it is distinguishable from chance.
#include <fmt/format.h>

#include "report/sections/history_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

json number_or_null(const json& row, const char* key) {
  const auto found = row.find(key);
  return found != row.end() && found->is_number() ? *found : json();
}

std::optional<Section> build_history_campaigns(const SectionContext& context) {
  const json* campaigns = context.find("/history/campaigns");
  if (campaigns == nullptr || !campaigns->is_array() || campaigns->empty()) return std::nullopt;
  Section section;
  section.title = context.text("Campaign readouts", "活动效果评估");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Read out (UTC)", "评估时间 (UTC)")),
                   std::string(context.text("Campaign", "活动")),
                   std::string(context.text("Sent", "发送日期")),
                   std::string(context.text("Treatment", "实验组")),
                   std::string(context.text("Control", "对照组")),
                   std::string(context.text("Treatment conversion", "实验组转化率")),
                   std::string(context.text("Control conversion", "对照组转化率")),
                   std::string(context.text("Uplift", "提升")),
                   std::string(context.text("95% CI low", "95% 区间下限")),
                   std::string(context.text("95% CI high", "95% 区间上限")),
                   std::string(context.text("p-value", "p 值"))};
  table.formats = {CellFormat::kText,    CellFormat::kText,     CellFormat::kText,
                   CellFormat::kInteger, CellFormat::kInteger,  CellFormat::kPercent,
                   CellFormat::kPercent, CellFormat::kPercent,  CellFormat::kPercent,
                   CellFormat::kPercent, CellFormat::kStatistic};
  json labels = json::array(), uplift = json::array();
  for (const json& row : *campaigns) {
    const std::string sent = row.value("first_sent", "") == row.value("last_sent", "")
                                 ? row.value("first_sent", "")
                                 : row.value("first_sent", "") + " – " + row.value("last_sent", "");
    table.rows.push_back(
        {history_label(row), row.value("campaign", ""), sent,
         number_or_null(row, "treatment_customers"), number_or_null(row, "control_customers"),
         number_or_null(row, "treatment_rate"), number_or_null(row, "control_rate"),
         number_or_null(row, "uplift"), number_or_null(row, "ci_lower"),
         number_or_null(row, "ci_upper"), number_or_null(row, "p_value")});
    labels.push_back(row.value("campaign", "") + " " + row.value("first_sent", ""));
    const json value = number_or_null(row, "uplift");
    uplift.push_back(value.is_null() ? json() : json(chart_percent(value.get<double>())));
    if (value.is_null() || !row["ci_lower"].is_number() || !row["ci_upper"].is_number() ||
        !row["p_value"].is_number()) {
      continue;
    }
    const double p = row["p_value"].get<double>();
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("{}: {:+.1f} pp, 95% CI {:.1f} to {:.1f}, {}: {}.",
                                  "{}：{:+.1f} 个百分点，95% 区间 {:.1f} 至 {:.1f}，{}：{}。")),
        row.value("campaign", ""), value.get<double>() * 100, row["ci_lower"].get<double>() * 100,
        row["ci_upper"].get<double>() * 100, format_p(p),
        p < 0.05 ? context.text("distinguishable from chance at the 5% level",
                                "在 5% 水平上可与随机波动区分")
                 : context.text("not distinguishable from chance", "无法与随机波动区分")));
  }
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"grid", {{"left", 8}, {"right", 8}, {"top", 24}, {"bottom", 8}, {"containLabel", true}}},
      {"xAxis", {{"type", "category"}, {"data", std::move(labels)}}},
      {"yAxis", {{"type", "value"}, {"name", "pp"}}},
      {"series",
       json::array(
           {{{"name", std::string(context.text("Conversion uplift (pp)", "转化率提升（百分点）"))},
             {"type", "bar"},
             {"data", std::move(uplift)}}})}};
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(history_campaigns, 903, build_history_campaigns);

}  // namespace custlens::report
