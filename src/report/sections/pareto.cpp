// Section `pareto`: revenue concentration, the concentration curve and the 80 % point.
#include <fmt/format.h>

#include "report/sections/section.h"

namespace custlens::report {
namespace {

std::optional<Section> build_pareto(const SectionContext& context) {
  const nlohmann::json* pareto = context.find("/rfm/pareto");
  if (pareto == nullptr || !pareto->contains("customer_share_for_80pct_revenue") ||
      !pareto->contains("top20pct_revenue_share")) {
    return std::nullopt;
  }
  const double share80 = pareto->at("customer_share_for_80pct_revenue").get<double>();
  const double top20 = pareto->at("top20pct_revenue_share").get<double>();

  Section section;
  section.title = context.text("Revenue concentration (Pareto)", "收入集中度(帕累托)");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Measure", "指标")),
                   std::string(context.text("Value", "数值"))};
  table.formats = {CellFormat::kText, CellFormat::kPercent};
  table.rows.push_back({std::string(context.text("Customer share that makes 80% of revenue",
                                                 "贡献 80% 收入的客户占比")),
                        share80});
  table.rows.push_back({std::string(context.text("Revenue share of the top 20% of customers",
                                                 "前 20% 客户的收入占比")),
                        top20});
  if (pareto->contains("top_two_tiers_revenue_share")) {
    table.rows.push_back(
        {std::string(context.text("Revenue share of the top two tiers", "前两个层级的收入占比")),
         pareto->at("top_two_tiers_revenue_share")});
  }

  // The exact-count curve when the summary has it; the evenly spaced one otherwise.
  const char* curve_key = pareto->contains("concentration") ? "concentration" : "curve";
  if (pareto->contains(curve_key) && (*pareto)[curve_key].is_array()) {
    nlohmann::json points = nlohmann::json::array();
    if (std::string_view(curve_key) == "curve") points.push_back({0.0, 0.0});
    for (const nlohmann::json& point : (*pareto)[curve_key]) {
      points.push_back(
          {chart_percent(point.at(0).get<double>()), chart_percent(point.at(1).get<double>())});
    }
    const std::string customers_axis(
        context.text("Customers, ranked by revenue (%)", "客户(按收入排序,%)"));
    const std::string revenue_axis(context.text("Cumulative revenue (%)", "累计收入(%)"));
    section.chart = {
        {"tooltip", {{"trigger", "axis"}}},
        {"legend", {{"top", 0}}},
        {"grid", {{"left", 8}, {"right", 24}, {"top", 36}, {"bottom", 28}, {"containLabel", true}}},
        {"xAxis",
         {{"type", "value"},
          {"min", 0},
          {"max", 100},
          {"name", customers_axis},
          {"nameLocation", "middle"},
          {"nameGap", 24}}},
        {"yAxis", {{"type", "value"}, {"min", 0}, {"max", 100}, {"name", revenue_axis}}},
        {"series", nlohmann::json::array(
                       {{{"name", std::string(context.text("Revenue share", "收入占比"))},
                         {"type", "line"},
                         {"showSymbol", false},
                         {"areaStyle", {{"opacity", 0.15}}},
                         {"data", std::move(points)},
                         {"markLine",
                          {{"symbol", "none"},
                           {"lineStyle", {{"type", "dashed"}}},
                           {"label", {{"formatter", "{c}%"}}},
                           {"data", nlohmann::json::array(
                                        {{{"yAxis", 80}}, {{"xAxis", chart_percent(share80)}}})}}}},
                        {{"name", std::string(context.text("Equal shares", "均匀分布"))},
                         {"type", "line"},
                         {"showSymbol", false},
                         {"lineStyle", {{"type", "dotted"}}},
                         {"data", nlohmann::json::array({{0, 0}, {100, 100}})}}})}};
  }

  section.findings.push_back(
      fmt::format(fmt::runtime(context.text("The top {} of customers make 80% of revenue.",
                                            "前 {} 的客户贡献了 80% 的收入。")),
                  format_share(share80)));
  section.findings.push_back(
      fmt::format(fmt::runtime(context.text("The top 20% of customers make {} of revenue.",
                                            "前 20% 的客户贡献了 {} 的收入。")),
                  format_share(top20)));
  if (pareto->contains("top_two_tiers_revenue_share")) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("The top two tiers make {} of revenue.",
                                              "前两个层级贡献了 {} 的收入。")),
                    format_share(pareto->at("top_two_tiers_revenue_share").get<double>())));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(pareto, 30, build_pareto);

}  // namespace custlens::report
