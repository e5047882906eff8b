// Section `months`: revenue and orders by calendar month, the peak and the quietest month.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/sections/charts.h"

namespace custlens::report {
namespace {

std::optional<Section> build_months(const SectionContext& context) {
  const nlohmann::json* months = context.find("/patterns/months");
  if (months == nullptr || !months->is_array() || months->empty()) return std::nullopt;

  std::vector<std::string> labels;
  std::vector<double> revenue;
  std::vector<std::int64_t> orders;
  std::vector<BucketRow> rows;
  const nlohmann::json* peak = &months->front();
  // A partial first or last month is low because the data stop, not because sales did: the
  // quietest month is looked for among whole months only.
  const nlohmann::json* quietest = nullptr;
  std::vector<std::string> partial;
  std::size_t whole_months = 0;
  const std::string peak_key = context.summary.at("patterns").value("peak_month", std::string());
  for (const nlohmann::json& month : *months) {
    const std::string& key = month.at("key").get_ref<const std::string&>();
    labels.push_back(key);
    revenue.push_back(month.at("revenue").get<double>());
    orders.push_back(month.at("orders").get<std::int64_t>());
    rows.push_back({key, &month});
    if (key == peak_key) peak = &month;
    if (month.value("partial", false)) {
      partial.push_back(fmt::format(fmt::runtime(context.text("{} ({} days)", "{}({} 天)")), key,
                                    month.value("days", std::int64_t{0})));
      continue;
    }
    ++whole_months;
    if (quietest == nullptr ||
        month.at("revenue").get<double>() < quietest->at("revenue").get<double>()) {
      quietest = &month;
    }
  }

  Section section;
  section.title = context.text("Sales by month", "月度销售");
  section.table = sales_bucket_table(context, context.text("Month", "月份"), rows);
  section.chart = revenue_orders_chart(context, labels, revenue, orders);
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("The peak month is {}{}: revenue {} ({} of the total).",
                                "销售高峰在 {}{}:收入 {},占总收入的 {}。")),
      peak->at("key").get<std::string>(),
      peak->value("partial", false) ? context.text(" (a partial month)", "(不完整月份)") : "",
      format_money(peak->at("revenue").get<double>()),
      format_share(peak->at("revenue_share").get<double>())));
  if (!partial.empty()) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("The data cover only part of {}: not compared with whole months.",
                                  "数据只覆盖了 {} 的一部分:不与完整月份比较。")),
        fmt::join(partial, context.text(", ", "、"))));
  }
  if (whole_months > 1 && quietest != nullptr && quietest != peak) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "{} months from {} to {}; the quietest whole month is {} with {} of revenue.",
            "共 {} 个月({} 至 {});最淡的完整月份是 {},收入占比 {}。")),
        months->size(), labels.front(), labels.back(), quietest->at("key").get<std::string>(),
        format_share(quietest->at("revenue_share").get<double>())));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(months, 50, build_months);

}  // namespace custlens::report
