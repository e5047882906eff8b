// Section `history_runs`: every stored run with its main KPIs, revenue and customers over the
// runs of the newest source, and the change from the previous comparable run in words.
#include <fmt/format.h>

#include "report/sections/history_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

json optional_kpi(const json& run, const std::string& name) {
  const std::optional<double> value = history_kpi(run, name);
  return value ? json(*value) : json();
}

std::optional<Section> build_history_runs(const SectionContext& context) {
  const json* runs = history_runs(context);
  if (runs == nullptr) return std::nullopt;
  Section section;
  section.title = context.text("Runs and KPIs", "运行记录与关键指标");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Run", "运行")),
                   std::string(context.text("Started (UTC)", "开始时间 (UTC)")),
                   std::string(context.text("Command", "命令")),
                   std::string(context.text("Source", "数据源")),
                   std::string(context.text("Scheme", "方案")),
                   std::string(context.text("Customers", "客户数")),
                   std::string(context.text("Revenue", "收入")),
                   std::string(context.text("AOV", "客单价")),
                   std::string(context.text("Repurchase rate", "复购率")),
                   std::string(context.text("Churn share", "流失占比")),
                   "AUC"};
  table.formats = {CellFormat::kText,    CellFormat::kText,     CellFormat::kText,
                   CellFormat::kText,    CellFormat::kText,     CellFormat::kInteger,
                   CellFormat::kMoney,   CellFormat::kMoney,    CellFormat::kPercent,
                   CellFormat::kPercent, CellFormat::kStatistic};
  for (const json& run : *runs) {
    table.rows.push_back({run.value("run_id", ""), history_label(run), run.value("command", ""),
                          run.value("source_name", ""), run.value("scheme", ""),
                          optional_kpi(run, "customers"), optional_kpi(run, "revenue"),
                          optional_kpi(run, "aov"), optional_kpi(run, "repurchase_rate"),
                          optional_kpi(run, "churn_share"), optional_kpi(run, "auc")});
  }
  const std::vector<const json*> trend = history_trend(*runs, "revenue");
  if (!trend.empty()) {
    json labels = history_axis(trend), revenue = json::array(), customers = json::array();
    for (const json* run : trend) {
      revenue.push_back(chart_money(*history_kpi(*run, "revenue")));
      customers.push_back(history_kpi(*run, "customers").value_or(0));
    }
    const std::string revenue_name(context.text("Revenue", "收入"));
    const std::string customers_name(context.text("Customers", "客户数"));
    section.chart = {
        {"tooltip", {{"trigger", "axis"}}},
        {"legend", {{"top", 0}}},
        {"grid", {{"left", 8}, {"right", 8}, {"top", 36}, {"bottom", 8}, {"containLabel", true}}},
        {"xAxis", {{"type", "category"}, {"data", std::move(labels)}}},
        {"yAxis",
         json::array(
             {{{"type", "value"}, {"name", revenue_name}},
              {{"type", "value"}, {"name", customers_name}, {"splitLine", {{"show", false}}}}})},
        {"series", json::array({{{"name", revenue_name}, {"type", "bar"}, {"data", revenue}},
                                {{"name", customers_name},
                                 {"type", "line"},
                                 {"yAxisIndex", 1},
                                 {"data", customers}}})}};
    const json& last = *trend.back();
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("The chart follows {} runs of {} on {} (scheme {}).",
                                              "图表展示 {} 次 {} 运行，数据源 {}（方案 {}）。")),
                    trend.size(), last.value("command", ""), last.value("source_name", ""),
                    last.value("scheme", "")));
    if (trend.size() >= 2) {
      const json& before = *trend[trend.size() - 2];
      const double r0 = *history_kpi(before, "revenue");
      const double r1 = *history_kpi(last, "revenue");
      std::string line = fmt::format(
          fmt::runtime(context.text("From the previous comparable run to the latest, revenue went "
                                    "from {} to {}",
                                    "与上一次可比运行相比，收入从 {} 变为 {}")),
          format_money(r0), format_money(r1));
      if (r0 != 0) line += fmt::format(" ({:+.1f}%)", (r1 - r0) / std::fabs(r0) * 100);
      for (const auto& [kpi, en, zh] : {std::tuple{"repurchase_rate", "repurchase rate", "复购率"},
                                        std::tuple{"churn_share", "churn share", "流失占比"}}) {
        const std::optional<double> a = history_kpi(before, kpi);
        const std::optional<double> b = history_kpi(last, kpi);
        if (a && b) {
          line += fmt::format(fmt::runtime(context.text("; {} from {} to {} ({:+.1f} pp)",
                                                        "；{}从 {} 变为 {}（{:+.1f} 个百分点）")),
                              context.text(en, zh), format_share(*a), format_share(*b),
                              (*b - *a) * 100);
        }
      }
      section.findings.push_back(line + std::string(context.text(".", "。")));
    }
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(history_runs, 900, build_history_runs);

}  // namespace custlens::report
