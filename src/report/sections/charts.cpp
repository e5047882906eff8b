// Shared chart options: every chart is plain data (no functions), drawn by web/report.js.
#include "report/sections/charts.h"

#include <algorithm>

namespace custlens::report {
namespace {

nlohmann::json base_option() {
  return {
      {"tooltip", {{"trigger", "axis"}}},
      {"legend", {{"top", 0}}},
      {"grid", {{"left", 8}, {"right", 8}, {"top", 36}, {"bottom", 8}, {"containLabel", true}}}};
}

}  // namespace

nlohmann::json revenue_orders_chart(const SectionContext& context,
                                    const std::vector<std::string>& labels,
                                    const std::vector<double>& revenue,
                                    const std::vector<std::int64_t>& orders) {
  nlohmann::json option = base_option();
  nlohmann::json revenue_data = nlohmann::json::array();
  for (double value : revenue) revenue_data.push_back(chart_money(value));
  const std::string revenue_name(context.text("Revenue", "收入"));
  const std::string orders_name(context.text("Orders", "订单数"));
  option["xAxis"] = {{"type", "category"}, {"data", labels}};
  option["yAxis"] = nlohmann::json::array(
      {{{"type", "value"}, {"name", revenue_name}},
       {{"type", "value"}, {"name", orders_name}, {"splitLine", {{"show", false}}}}});
  option["series"] = nlohmann::json::array(
      {{{"name", revenue_name}, {"type", "bar"}, {"data", std::move(revenue_data)}},
       {{"name", orders_name},
        {"type", "line"},
        {"yAxisIndex", 1},
        {"smooth", false},
        {"data", orders}}});
  return option;
}

nlohmann::json ranked_share_chart(std::string_view series_name,
                                  const std::vector<std::string>& labels,
                                  const std::vector<double>& percent) {
  nlohmann::json option = base_option();
  option.erase("legend");
  option["grid"]["top"] = 8;
  option["xAxis"] = {{"type", "value"}, {"axisLabel", {{"formatter", "{value}%"}}}};
  option["yAxis"] = {{"type", "category"}, {"inverse", true}, {"data", labels}};
  option["series"] = nlohmann::json::array(
      {{{"name", std::string(series_name)},
        {"type", "bar"},
        {"data", percent},
        {"label", {{"show", true}, {"position", "right"}, {"formatter", "{c}%"}}}}});
  return option;
}

SectionTable sales_bucket_table(const SectionContext& context, std::string_view key_column,
                                const std::vector<BucketRow>& rows) {
  SectionTable table;
  table.columns = {std::string(key_column), std::string(context.text("Revenue", "收入")),
                   std::string(context.text("Orders", "订单数")),
                   std::string(context.text("Customers", "客户数")),
                   std::string(context.text("Revenue share", "收入占比"))};
  table.formats = {CellFormat::kText, CellFormat::kMoney, CellFormat::kInteger,
                   CellFormat::kInteger, CellFormat::kPercent};
  for (const BucketRow& row : rows) {
    const nlohmann::json& b = *row.bucket;
    table.rows.push_back(
        {row.label, b.at("revenue"), b.at("orders"), b.at("customers"), b.at("revenue_share")});
  }
  return table;
}

}  // namespace custlens::report
