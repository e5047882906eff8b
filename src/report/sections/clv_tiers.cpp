// Section `clv_tiers`: where future value sits — each RFM tier's share of customers, of the
// calibration revenue and of the lifetime value over the horizon, its mean CLV and P(alive).
#include <fmt/format.h>

#include <algorithm>

#include "report/sections/clv_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

std::optional<Section> build_clv_tiers(const SectionContext& context) {
  const json* tiers = context.find("/clv/tiers");
  if (tiers == nullptr || !tiers->is_array() || tiers->empty()) return std::nullopt;
  const json& clv = *context.find("/clv");
  std::int64_t customers = 0;
  double revenue = 0;
  for (const json& tier : *tiers) {
    customers += tier.value("customers", std::int64_t{0});
    revenue += tier.value("calibration_revenue", 0.0);
  }
  if (customers == 0) return std::nullopt;
  const std::string horizon = clv_units(context, clv, clv.value("horizon", 0.0));
  auto customer_share = [&](const json& tier) {
    return static_cast<double>(tier.value("customers", std::int64_t{0})) /
           static_cast<double>(customers);
  };
  auto revenue_share = [&](const json& tier) {
    return revenue > 0 ? tier.value("calibration_revenue", 0.0) / revenue : 0.0;
  };

  Section section;
  section.title =
      context.text("Where future value sits: CLV by tier", "未来价值在哪里：各层级 CLV");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Tier", "层级")),
                   std::string(context.text("Customers", "客户数")),
                   std::string(context.text("Customer share", "客户占比")),
                   std::string(context.text("CLV", "CLV")),
                   std::string(context.text("CLV share", "CLV 占比")),
                   std::string(context.text("Mean CLV", "平均 CLV")),
                   std::string(context.text("Mean P(alive)", "平均存活概率")),
                   std::string(context.text("Calibration revenue", "校准期收入"))};
  table.formats = {CellFormat::kText,   CellFormat::kInteger, CellFormat::kPercent,
                   CellFormat::kMoney,  CellFormat::kPercent, CellFormat::kMoney,
                   CellFormat::kNumber, CellFormat::kMoney};
  json names = json::array();
  json customer_bars = json::array();
  json revenue_bars = json::array();
  json clv_bars = json::array();
  for (const json& tier : *tiers) {
    const std::string name = tier.value("tier", std::string("-"));
    table.rows.push_back({name, tier.value("customers", std::int64_t{0}), customer_share(tier),
                          tier.value("clv_total", 0.0), tier.value("clv_share", 0.0),
                          tier.value("clv_mean", 0.0), tier.value("p_alive_mean", 0.0),
                          tier.value("calibration_revenue", 0.0)});
    names.push_back(name);
    customer_bars.push_back(chart_percent(customer_share(tier)));
    revenue_bars.push_back(chart_percent(revenue_share(tier)));
    clv_bars.push_back(chart_percent(tier.value("clv_share", 0.0)));
  }
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"legend", {{"top", 0}}},
      {"grid", clv_grid_box()},
      {"xAxis", {{"type", "category"}, {"data", std::move(names)}}},
      {"yAxis",
       {{"type", "value"},
        {"name", std::string(context.text("Share (%)", "占比（%）"))},
        {"axisLabel", {{"formatter", "{value}%"}}}}},
      {"series", json::array({{{"name", std::string(context.text("Customers", "客户"))},
                               {"type", "bar"},
                               {"itemStyle", {{"color", "#b8b8b8"}}},
                               {"data", std::move(customer_bars)}},
                              {{"name", std::string(context.text("Past revenue", "过往收入"))},
                               {"type", "bar"},
                               {"itemStyle", {{"color", "#7fa7cf"}}},
                               {"data", std::move(revenue_bars)}},
                              {{"name", std::string(context.text("Future CLV", "未来 CLV"))},
                               {"type", "bar"},
                               {"itemStyle", {{"color", "#3b6ea5"}}},
                               {"data", std::move(clv_bars)}}})}};

  // The tiers come by total CLV, highest first.
  const json& first = tiers->front();
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text(
          "{} hold {} of the CLV over the next {} with {} of customers (mean CLV {}, mean P(alive) "
          "{}).",
          "{0}以 {3} 的客户占未来 {2} CLV 的 {1}（平均 CLV {4}，平均存活概率 {5}）。")),
      first.value("tier", std::string("-")), format_share(first.value("clv_share", 0.0)), horizon,
      format_share(customer_share(first)), format_money(first.value("clv_mean", 0.0)),
      clv_fixed(first.value("p_alive_mean", 0.0), 2)));
  if (tiers->size() >= 3) {
    const json& second = (*tiers)[1];
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("With {}, the two tiers hold {} of CLV and {} of customers.",
                                  "加上{}，这两个层级占 CLV 的 {}、客户的 {}。")),
        second.value("tier", std::string("-")),
        format_share(first.value("clv_share", 0.0) + second.value("clv_share", 0.0)),
        format_share(customer_share(first) + customer_share(second))));
  }
  if (revenue > 0 && tiers->size() >= 2) {
    const json* gains = nullptr;
    const json* loses = nullptr;
    auto change = [&](const json& tier) {
      return tier.value("clv_share", 0.0) - revenue_share(tier);
    };
    for (const json& tier : *tiers) {
      if (gains == nullptr || change(tier) > change(*gains)) gains = &tier;
      if (loses == nullptr || change(tier) < change(*loses)) loses = &tier;
    }
    if (change(*gains) > 0 && change(*loses) < 0) {
      section.findings.push_back(fmt::format(
          fmt::runtime(context.text(
              "Against the calibration revenue, {} gain most: from {} of revenue to {} of CLV; "
              "{} lose most: from {} to {}.",
              "与校准期收入相比，{}的份额上升最多：从收入的 {} 到 CLV 的 {}；{}下降最多：从 "
              "{} 到 {}。")),
          gains->value("tier", std::string("-")), format_share(revenue_share(*gains)),
          format_share(gains->value("clv_share", 0.0)), loses->value("tier", std::string("-")),
          format_share(revenue_share(*loses)), format_share(loses->value("clv_share", 0.0))));
    }
  }
  const json* lowest = nullptr;
  for (const json& tier : *tiers) {
    if (lowest == nullptr || tier.value("p_alive_mean", 0.0) < lowest->value("p_alive_mean", 0.0)) {
      lowest = &tier;
    }
  }
  const std::optional<double> active = clv_number(clv, "active_customers");
  if (lowest != nullptr && active) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("{} have the lowest mean P(alive): {}, against {} over all "
                                  "customers.",
                                  "{}的平均存活概率最低：{}，全部客户为 {}。")),
        lowest->value("tier", std::string("-")), clv_fixed(lowest->value("p_alive_mean", 0.0), 2),
        clv_fixed(*active / static_cast<double>(customers), 2)));
  }
  const std::string scheme = clv.value("scheme", std::string());
  if (!scheme.empty()) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("Tiers are those of the RFM scheme '{}' as of the calibration "
                                  "end ({}).",
                                  "层级为 RFM 方案“{}”在校准期结束日（{}）的分层。")),
        scheme, clv.value("calibration_end", std::string())));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(clv_tiers, 645, build_clv_tiers);

}  // namespace custlens::report
