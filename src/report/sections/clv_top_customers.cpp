// Section `clv_top_customers`: the customers of highest lifetime value, their summary (repeat
// purchases, recency, age), P(alive), expected purchases and value, and their share of all CLV.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "report/sections/clv_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

std::optional<Section> build_clv_top_customers(const SectionContext& context) {
  const json* top = context.find("/clv/top_customers");
  if (top == nullptr || !top->is_array() || top->empty()) return std::nullopt;
  const json& clv = *context.find("/clv");
  const std::string horizon = clv_units(context, clv, clv.value("horizon", 0.0));
  const std::string unit = clv_unit_word(context, clv, true);

  Section section;
  section.title = context.text("Customers of highest lifetime value", "终身价值最高的客户");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Customer", "客户")),
                   std::string(context.text("Tier", "层级")),
                   std::string(context.text("Repeat purchases", "重复购买次数")),
                   fmt::format(fmt::runtime(context.text("Last repeat ({} after first)",
                                                         "最后重复购买（距首次，{}）")),
                               unit),
                   fmt::format(fmt::runtime(context.text("Observed ({})", "观察期（{}）")), unit),
                   std::string(context.text("P(alive)", "存活概率")),
                   std::string(context.text("Expected purchases", "预期购买次数")),
                   std::string(context.text("Value per purchase", "单次预期消费额")),
                   std::string(context.text("CLV", "CLV"))};
  table.formats = {CellFormat::kText,   CellFormat::kText,   CellFormat::kInteger,
                   CellFormat::kNumber, CellFormat::kNumber, CellFormat::kNumber,
                   CellFormat::kNumber, CellFormat::kMoney,  CellFormat::kMoney};
  json names = json::array();
  json values = json::array();
  double top_total = 0;
  std::map<std::string, int> by_tier;
  for (const json& c : *top) {
    const std::string id = c.value("customer_id", std::string());
    const std::string tier = c.value("tier", std::string());
    auto get = [&](const char* key) {
      return c.contains(key) && c.at(key).is_number() ? c.at(key) : json();
    };
    table.rows.push_back({id, tier, get("x"), get("t_x"), get("T"), get("p_alive"),
                          get("expected_purchases"), get("expected_value"), get("clv")});
    names.push_back(id);
    // The bar's label is its own text (no formatter code): the CLV as the table prints it.
    values.push_back({{"value", chart_money(c.value("clv", 0.0))},
                      {"label", {{"formatter", format_money(c.value("clv", 0.0))}}}});
    top_total += c.value("clv", 0.0);
    if (!tier.empty()) ++by_tier[tier];
  }
  section.chart = {
      {"tooltip", {{"trigger", "axis"}, {"axisPointer", {{"type", "shadow"}}}}},
      {"grid", {{"left", 8}, {"right", 8}, {"top", 8}, {"bottom", 8}, {"containLabel", true}}},
      {"xAxis", {{"type", "value"}}},
      {"yAxis", {{"type", "category"}, {"inverse", true}, {"data", std::move(names)}}},
      {"series",
       json::array({{{"name", fmt::format(fmt::runtime(context.text("CLV, next {}", "未来 {} CLV")),
                                          horizon)},
                     {"type", "bar"},
                     {"data", std::move(values)},
                     {"label", {{"show", true}, {"position", "right"}}}}})}};
  section.chart_height = std::max(380, 22 * static_cast<int>(top->size()) + 40);

  const std::optional<double> total =
      clv_number(clv.value("distribution", json::object()), "total");
  if (total && *total > 0) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "The {} customers of highest CLV are worth {} over the next {}: {} of all CLV.",
            "CLV 最高的 {0} 个客户在未来 {2} 内价值 {1}，占全部 CLV 的 {3}。")),
        top->size(), format_money(top_total), horizon, format_share(top_total / *total)));
  }
  const json& first = top->front();
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text(
          "The first, {} ({}), is worth {}: {} purchases expected at {} each, P(alive) {}, after "
          "{} repeat purchases.",
          "排名第一的客户 {}（{}）价值 {}：预计购买 {} 次，每次 {}，存活概率 {}，此前重复购买 {} "
          "次。")),
      first.value("customer_id", std::string()),
      first.value("tier", std::string()).empty() ? std::string("-")
                                                 : first.value("tier", std::string()),
      format_money(first.value("clv", 0.0)), clv_fixed(first.value("expected_purchases", 0.0), 1),
      format_money(first.value("expected_value", 0.0)), clv_fixed(first.value("p_alive", 0.0), 2),
      clv_fixed(first.value("x", 0.0), 0)));
  if (!by_tier.empty()) {
    const auto most =
        std::max_element(by_tier.begin(), by_tier.end(),
                         [](const auto& a, const auto& b) { return a.second < b.second; });
    if (static_cast<std::size_t>(most->second) == top->size()) {
      section.findings.push_back(
          fmt::format(fmt::runtime(context.text("All {} are {}.", "这 {} 个客户全部属于{}。")),
                      top->size(), most->first));
    } else {
      section.findings.push_back(fmt::format(
          fmt::runtime(context.text("{} of the {} are {}.", "其中 {0} 个属于{2}（共 {1} 个）。")),
          most->second, top->size(), most->first));
    }
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(clv_top_customers, 650, build_clv_top_customers);

}  // namespace custlens::report
