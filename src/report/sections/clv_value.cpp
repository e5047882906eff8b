// Section `clv_value`: the distribution of customer lifetime value over the horizon (a histogram
// up to the 99th percentile, the rest in the last bar), its quantiles, how concentrated it is,
// and what it is made of (model, value per purchase, margin, discount rate).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/sections/clv_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

std::optional<Section> build_clv_value(const SectionContext& context) {
  const json* distribution = context.find("/clv/distribution");
  if (distribution == nullptr || !distribution->is_object()) return std::nullopt;
  const json& clv = *context.find("/clv");
  const json& d = *distribution;
  const json histogram = d.value("histogram", json::object());
  const std::vector<double> edges = histogram.value("edges", std::vector<double>{});
  const std::vector<std::int64_t> counts = histogram.value("counts", std::vector<std::int64_t>{});
  const auto customers = clv.value("customers", std::int64_t{0});
  const std::string horizon = clv_units(context, clv, clv.value("horizon", 0.0));

  Section section;
  section.title = context.text("Customer lifetime value: distribution", "客户终身价值：分布");
  // Bars: [edge k, edge k+1) for every edge but the last, then "≥ last edge" (beyond the 99th
  // percentile), as the summary bins them.
  if (!edges.empty() && counts.size() == edges.size()) {
    const std::vector<std::string> edge_labels = clv_distinct_labels(edges);
    json labels = json::array();
    for (std::size_t k = 0; k + 1 < edges.size(); ++k) {
      labels.push_back(fmt::format("{}–{}", edge_labels[k], edge_labels[k + 1]));
    }
    labels.push_back(fmt::format("≥ {}", edge_labels.back()));
    section.chart = {
        {"tooltip", {{"trigger", "axis"}}},
        {"grid", clv_grid_box()},
        {"xAxis",
         {{"type", "category"},
          {"data", std::move(labels)},
          {"name", fmt::format(fmt::runtime(context.text("CLV over the next {}", "未来 {} 的 CLV")),
                               horizon)}}},
        {"yAxis", clv_value_axis(context.text("Customers", "客户数"))},
        {"series", json::array({{{"name", std::string(context.text("Customers", "客户数"))},
                                 {"type", "bar"},
                                 {"barCategoryGap", "8%"},
                                 {"data", counts}}})}};
  }

  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Measure", "指标")),
                   std::string(context.text("CLV", "CLV"))};
  table.formats = {CellFormat::kText, CellFormat::kMoney};
  const std::vector<std::pair<const char*, std::pair<std::string_view, std::string_view>>> rows = {
      {"total", {"Total", "合计"}},
      {"mean", {"Mean", "均值"}},
      {"p10", {"10th percentile", "第 10 百分位"}},
      {"p25", {"25th percentile", "第 25 百分位"}},
      {"median", {"Median", "中位数"}},
      {"p75", {"75th percentile", "第 75 百分位"}},
      {"p90", {"90th percentile", "第 90 百分位"}},
      {"p99", {"99th percentile", "第 99 百分位"}}};
  for (const auto& [key, names] : rows) {
    if (!d.contains(key)) continue;
    table.rows.push_back({std::string(context.text(names.first, names.second)),
                          d.at(key).is_number() ? d.at(key) : json()});
  }

  const std::optional<double> total = clv_number(d, "total");
  const std::optional<double> mean = clv_number(d, "mean");
  const std::optional<double> median = clv_number(d, "median");
  if (total && mean && median) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "Over the next {}, the {} customers are worth {} in total: {} on average, {} at the "
            "median.",
            "未来 {} 内，{} 个客户的总价值为 {}：平均 {}，中位数 {}。")),
        horizon, format_count(customers), format_money(*total), format_money(*mean),
        format_money(*median)));
  }
  const std::optional<double> top = clv_number(d, "top_decile_share");
  const std::optional<double> p90 = clv_number(d, "p90");
  if (top && p90) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "The top 10% of customers by CLV hold {} of it; 90% of customers are worth less "
            "than {}.",
            "CLV 最高的 10% 客户占总价值的 {}；90% 的客户价值低于 {}。")),
        format_share(*top), format_money(*p90)));
  }
  if (!counts.empty() && customers > 0 && edges.size() >= 2) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("{} customers ({}) are worth less than {}.",
                                  "{} 个客户（{}）的价值低于 {}。")),
        format_count(counts.front()),
        format_share(static_cast<double>(counts.front()) / static_cast<double>(customers)),
        format_money(edges[1])));
  }

  // What CLV is made of.
  const std::string model = clv_model_title(clv, clv.value("model", std::string()));
  const json gamma = clv.value("gamma_gamma", json::object());
  std::string value_basis;
  if (gamma.contains("se")) {
    std::vector<std::string> parameters;
    for (const char* name : {"p", "q", "v"}) {
      if (const std::optional<double> v = clv_number(gamma, name)) {
        parameters.push_back(fmt::format("{} {}", name, format_stat(*v)));
      }
    }
    value_basis = fmt::format(fmt::runtime(context.text("Gamma-Gamma ({})", "Gamma-Gamma（{}）")),
                              fmt::join(parameters, ", "));
  } else {
    value_basis = std::string(context.text("the observed mean value", "观测平均消费额"));
  }
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text(
          "CLV is each customer's expected purchases under {} times the expected value per "
          "purchase from {}, at a margin of {}, discounted at {} a year.",
          "CLV 为每个客户在 {} 下的预期购买次数乘以 {} 给出的单次预期消费额，利润率 {}，"
          "按每年 {} 折现。")),
      model, value_basis, format_share(clv.value("margin", 1.0)),
      format_share(clv.value("discount_rate", 0.0))));
  const std::optional<double> population = clv_number(gamma, "population_value");
  if (population) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "Customers without a repeat purchase of their own value are valued at {} per purchase "
            "({}).",
            "没有可用重复购买金额的客户按每次 {} 估值（{}）。")),
        format_money(*population),
        gamma.value("population_value_basis", "") == "gamma_gamma"
            ? context.text("Gamma-Gamma's population mean", "Gamma-Gamma 总体均值")
            : context.text("the observed mean of repeat purchases", "重复购买的观测均值")));
  }
  const std::optional<double> purchases = clv_number(clv, "expected_purchases_total");
  const std::optional<double> active = clv_number(clv, "active_customers");
  if (purchases && active && customers > 0) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "In all, {} purchases are expected over the next {}; {} customers ({}) are expected "
            "to be alive at the calibration end.",
            "未来 {1} 内预计共购买 {0} 次；预计校准期结束时仍存活的客户为 {2} 个（{3}）。")),
        clv_grouped(*purchases, 1), horizon, clv_grouped(*active, 0),
        format_share(*active / static_cast<double>(customers))));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(clv_value, 640, build_clv_value);

}  // namespace custlens::report
