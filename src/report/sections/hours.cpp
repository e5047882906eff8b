// Section `hours`: revenue and orders by hour of the day, the busiest hours and the trading span.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <numeric>

#include "report/sections/charts.h"

namespace custlens::report {
namespace {

std::optional<Section> build_hours(const SectionContext& context) {
  const nlohmann::json* hours = context.find("/patterns/hours");
  if (hours == nullptr || !hours->is_array()) return std::nullopt;
  const nlohmann::json* timed = context.find("/patterns/has_time_of_day");
  if (timed != nullptr && timed->is_boolean() && !timed->get<bool>()) {
    // Date-only data: no chart or table of a pattern that is not there, one line saying why.
    Section note;
    note.title = context.text("Sales by hour of day", "按时段的销售");
    note.findings.push_back(std::string(context.text(
        "The order dates carry no time of day (every one reads as midnight), so there is no "
        "hour-of-day pattern to show.",
        "订单日期不含具体时间(全部为零点),因此没有按时段的销售规律可以展示。")));
    return note;
  }
  if (hours->empty()) return std::nullopt;

  std::vector<std::string> labels;
  std::vector<double> revenue;
  std::vector<std::int64_t> orders;
  std::vector<BucketRow> rows;
  for (const nlohmann::json& hour : *hours) {
    const std::string label = fmt::format("{}:00", hour.at("key").get<std::string>());
    labels.push_back(label);
    revenue.push_back(hour.at("revenue").get<double>());
    orders.push_back(hour.at("orders").get<std::int64_t>());
    rows.push_back({label, &hour});
  }

  Section section;
  section.title = context.text("Sales by hour of day", "按时段的销售");
  section.table = sales_bucket_table(context, context.text("Hour", "时段"), rows);
  section.chart = revenue_orders_chart(context, labels, revenue, orders);

  // Busiest first; ties to the earlier hour, as the summary's peak_hour.
  std::vector<std::size_t> ranked(hours->size());
  std::iota(ranked.begin(), ranked.end(), 0);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&](std::size_t a, std::size_t b) { return revenue[a] > revenue[b]; });
  const nlohmann::json& peak = (*hours)[ranked.front()];
  const std::string peak_hour = peak.at("key").get<std::string>();
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("The busiest hour is {0}:00–{0}:59 with {1} of revenue.",
                                "最繁忙的时段是 {0}:00–{0}:59,占收入的 {1}。")),
      peak_hour, format_share(peak.at("revenue_share").get<double>())));

  const std::size_t top = std::min<std::size_t>(3, ranked.size());
  std::vector<std::size_t> busiest(ranked.begin(), ranked.begin() + static_cast<long>(top));
  std::sort(busiest.begin(), busiest.end());
  std::vector<std::string> busiest_labels;
  double busiest_share = 0;
  for (std::size_t h : busiest) {
    if (revenue[h] <= 0) continue;
    busiest_labels.push_back(labels[h]);
    busiest_share += (*hours)[h].at("revenue_share").get<double>();
  }
  if (busiest_labels.size() == 3) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("The three busiest hours ({}) make {} of revenue.",
                                  "最繁忙的三个时段({})贡献了 {} 的收入。")),
        fmt::join(busiest_labels, context.text(", ", "、")), format_share(busiest_share)));
  }

  auto has_orders = [](std::int64_t count) { return count > 0; };
  const auto first = std::find_if(orders.begin(), orders.end(), has_orders);
  if (first != orders.end()) {
    const auto first_hour = static_cast<std::size_t>(first - orders.begin());
    const auto last_hour =
        orders.size() - 1 -
        static_cast<std::size_t>(std::find_if(orders.rbegin(), orders.rend(), has_orders) -
                                 orders.rbegin());
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("Orders come in between {}:00 and {}:59.",
                                              "订单集中在 {}:00 至 {}:59 之间。")),
                    (*hours)[first_hour].at("key").get<std::string>(),
                    (*hours)[last_hour].at("key").get<std::string>()));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(hours, 70, build_hours);

}  // namespace custlens::report
