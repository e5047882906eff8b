// Section `weekdays`: revenue and orders by day of the week, the best day and days without sales.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "report/sections/charts.h"

namespace custlens::report {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kWeekdaysZh = {{
    {"Monday", "星期一"},
    {"Tuesday", "星期二"},
    {"Wednesday", "星期三"},
    {"Thursday", "星期四"},
    {"Friday", "星期五"},
    {"Saturday", "星期六"},
    {"Sunday", "星期日"},
}};

std::string weekday_label(const SectionContext& context, const std::string& key) {
  if (context.lang != Lang::kZh) return key;
  for (const auto& [en, zh] : kWeekdaysZh) {
    if (key == en) return std::string(zh);
  }
  return key;
}

std::optional<Section> build_weekdays(const SectionContext& context) {
  const nlohmann::json* weekdays = context.find("/patterns/weekdays");
  if (weekdays == nullptr || !weekdays->is_array() || weekdays->empty()) return std::nullopt;

  std::vector<std::string> labels;
  std::vector<double> revenue;
  std::vector<std::int64_t> orders;
  std::vector<BucketRow> rows;
  std::vector<std::string> closed;  // no sale on any of its dates: a closing day, said once
  std::vector<std::string> idle;    // no sale on its few dates in the range: simply quiet
  std::vector<std::string> absent;  // not in the date range at all (data of under a week)
  const nlohmann::json* peak = &weekdays->front();
  const nlohmann::json* quietest = nullptr;
  const nlohmann::json& patterns = context.summary.at("patterns");
  const std::string peak_key = patterns.value("peak_weekday", std::string());
  const nlohmann::json closed_keys = patterns.value("closed_weekdays", nlohmann::json::array());
  for (const nlohmann::json& day : *weekdays) {
    const std::string label = weekday_label(context, day.at("key").get<std::string>());
    labels.push_back(label);
    revenue.push_back(day.at("revenue").get<double>());
    orders.push_back(day.at("orders").get<std::int64_t>());
    rows.push_back({label, &day});
    if (day.at("key") == peak_key) peak = &day;
    const bool has_orders = day.at("orders").get<std::int64_t>() > 0;
    if (!has_orders && day.value("days", std::int64_t{1}) == 0) {
      absent.push_back(label);
      continue;
    }
    if (!has_orders &&
        std::find(closed_keys.begin(), closed_keys.end(), day.at("key")) != closed_keys.end()) {
      closed.push_back(label);
      continue;
    }
    if (!has_orders) idle.push_back(label);
    if (quietest == nullptr ||
        day.at("revenue").get<double>() < quietest->at("revenue").get<double>()) {
      quietest = &day;
    }
  }

  Section section;
  section.title = context.text("Sales by weekday", "按星期的销售");
  section.table = sales_bucket_table(context, context.text("Weekday", "星期"), rows);
  section.chart = revenue_orders_chart(context, labels, revenue, orders);
  section.findings.push_back(
      fmt::format(fmt::runtime(context.text("{} brings the most revenue: {} ({} of the total).",
                                            "{}的收入最高:{},占总收入的 {}。")),
                  weekday_label(context, peak->at("key").get<std::string>()),
                  format_money(peak->at("revenue").get<double>()),
                  format_share(peak->at("revenue_share").get<double>())));
  if (!closed.empty()) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("No sales on {} on any date of the range: closed?",
                                              "{}在整个时间范围内没有任何销售:是否为休息日?")),
                    fmt::join(closed, context.text(", ", "、"))));
  }
  if (!absent.empty()) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("The data cover less than a week: no {} in the date range.",
                                  "数据不足一周:时间范围内没有{}。")),
        fmt::join(absent, context.text(", ", "、"))));
  }
  if (!idle.empty()) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("No sales on {}.", "{}没有销售。")),
                    fmt::join(idle, context.text(", ", "、"))));
  }
  if (quietest != nullptr && quietest != peak) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("The quietest day is {} with {} of revenue.",
                                              "最淡的是{},收入占比 {}。")),
                    weekday_label(context, quietest->at("key").get<std::string>()),
                    format_share(quietest->at("revenue_share").get<double>())));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(weekdays, 60, build_weekdays);

}  // namespace custlens::report
