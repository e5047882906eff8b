// Section `countries`: revenue by country, the leading country and how concentrated sales are.
#include <fmt/format.h>

#include <algorithm>

#include "report/sections/charts.h"

namespace custlens::report {
namespace {

// More bars than this make the chart unreadable; the table still lists every country.
constexpr std::size_t kChartedCountries = 15;
constexpr std::size_t kTopCountries = 5;

std::optional<Section> build_countries(const SectionContext& context) {
  const nlohmann::json* countries = context.find("/patterns/countries");
  if (countries == nullptr || !countries->is_array() || countries->empty()) return std::nullopt;

  std::vector<BucketRow> rows;
  std::vector<std::string> labels;
  std::vector<double> percent;
  double top_share = 0;
  for (std::size_t i = 0; i < countries->size(); ++i) {
    const nlohmann::json& country = (*countries)[i];
    const std::string& name = country.at("key").get_ref<const std::string&>();
    rows.push_back({name, &country});
    const double share = country.at("revenue_share").get<double>();
    if (i < kChartedCountries) {
      labels.push_back(name);
      percent.push_back(chart_percent(share));
    }
    if (i < kTopCountries) top_share += share;
  }

  Section section;
  section.title = context.text("Sales by country", "按国家/地区的销售");
  section.table = sales_bucket_table(context, context.text("Country", "国家/地区"), rows);
  section.chart = ranked_share_chart(context.text("Revenue share", "收入占比"), labels, percent);

  const nlohmann::json& top = countries->front();
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("{} makes {} of revenue ({} orders, {} customers).",
                                "{}贡献了 {} 的收入({} 个订单,{} 个客户)。")),
      top.at("key").get<std::string>(), format_share(top.at("revenue_share").get<double>()),
      format_count(top.at("orders").get<std::int64_t>()),
      format_count(top.at("customers").get<std::int64_t>())));
  if (countries->size() > kTopCountries) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("{} countries in all; the top {} make {} of revenue.",
                                              "共 {} 个国家/地区;前 {} 个贡献了 {} 的收入。")),
                    countries->size(), kTopCountries, format_share(top_share)));
  } else if (countries->size() > 1) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("{} countries in all.", "共 {} 个国家/地区。")),
                    countries->size()));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(countries, 80, build_countries);

}  // namespace custlens::report
