// Section `clv_holdout` (with a holdout only): actual against expected repeat purchases in the
// holdout per customer, binned by calibration frequency (0 … 7+), every model side by side as
// grouped bars; where each model over- or under-predicts.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/sections/clv_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

// A bin's share of all customers below which its gap is not reported: a bin of three says little.
constexpr double kSmallBin = 0.02;

std::optional<Section> build_clv_holdout(const SectionContext& context) {
  const json* models = context.find("/clv/holdout/models");
  if (models == nullptr || !models->is_object() || models->empty()) return std::nullopt;
  const json& clv = *context.find("/clv");
  std::vector<std::string> keys;
  for (const std::string& key : clv_model_keys(clv)) {
    if (models->contains(key) && models->at(key).contains("bins")) keys.push_back(key);
  }
  for (const auto& [key, score] : models->items()) {  // scored but not listed: after the rest
    if (std::find(keys.begin(), keys.end(), key) == keys.end() && score.contains("bins")) {
      keys.push_back(key);
    }
  }
  if (keys.empty()) return std::nullopt;
  const json& reference = models->at(keys.front()).at("bins");
  if (!reference.is_array() || reference.empty()) return std::nullopt;
  const std::optional<double> length = clv_number(clv, "holdout_length");
  const std::string length_text = length ? clv_units(context, clv, *length) : std::string("-");

  Section section;
  section.title = context.text("Holdout: actual against expected by calibration frequency",
                               "留出期：按校准期频次比较实际与预期购买");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Calibration repeat purchases", "校准期重复购买次数")),
                   std::string(context.text("Customers", "客户数")),
                   std::string(context.text("Actual mean", "实际均值"))};
  table.formats = {CellFormat::kText, CellFormat::kInteger, CellFormat::kNumber};
  for (const std::string& key : keys) {
    table.columns.push_back(fmt::format(fmt::runtime(context.text("{} expected", "{} 预期")),
                                        clv_model_title(clv, key)));
    table.formats.push_back(CellFormat::kNumber);
  }

  json labels = json::array();
  json actual = json::array();
  std::vector<json> expected(keys.size(), json::array());
  std::int64_t customers_total = 0;
  for (const json& bin : reference) customers_total += bin.value("customers", std::int64_t{0});
  for (std::size_t b = 0; b < reference.size(); ++b) {
    const json& bin = reference[b];
    const std::string label = bin.value("frequency", std::string());
    json row = {label, bin.value("customers", std::int64_t{0}), bin.value("actual_mean", 0.0)};
    labels.push_back(label);
    actual.push_back(chart_money(bin.value("actual_mean", 0.0)));
    for (std::size_t m = 0; m < keys.size(); ++m) {
      const json& bins = models->at(keys[m]).at("bins");
      const double mean = b < bins.size() ? bins[b].value("expected_mean", 0.0) : 0.0;
      row.push_back(mean);
      expected[m].push_back(chart_money(mean));
    }
    table.rows.push_back(std::move(row));
  }
  // All customers: the holdout totals per customer.
  if (customers_total > 0) {
    const double n = static_cast<double>(customers_total);
    json row = {std::string(context.text("All", "全部")), customers_total,
                models->at(keys.front()).value("actual_purchases", 0.0) / n};
    for (const std::string& key : keys) {
      row.push_back(models->at(key).value("expected_purchases", 0.0) / n);
    }
    table.rows.push_back(std::move(row));
  }

  json series = json::array({{{"name", std::string(context.text("Actual", "实际"))},
                              {"type", "bar"},
                              {"itemStyle", {{"color", "#444"}}},
                              {"data", std::move(actual)}}});
  for (std::size_t m = 0; m < keys.size(); ++m) {
    series.push_back({{"name", fmt::format(fmt::runtime(context.text("{} expected", "{} 预期")),
                                           clv_model_title(clv, keys[m]))},
                      {"type", "bar"},
                      {"data", std::move(expected[m])}});
  }
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"legend", {{"top", 0}}},
      {"grid", clv_grid_box()},
      {"xAxis",
       {{"type", "category"},
        {"data", std::move(labels)},
        {"name", std::string(context.text("Repeat purchases in the calibration period",
                                          "校准期重复购买次数"))}}},
      {"yAxis", clv_value_axis(fmt::format(
                    fmt::runtime(context.text("Mean repeat purchases over the {} of the holdout",
                                              "留出期 {} 内平均重复购买次数")),
                    length_text))},
      {"series", std::move(series)}};

  // The closest model over the bins, then each model's total and its largest gap.
  std::string closest;
  for (const std::string& key : keys) {
    const std::optional<double> v = clv_number(models->at(key), "mape_by_frequency");
    if (v && (closest.empty() || *v < *clv_number(models->at(closest), "mape_by_frequency"))) {
      closest = key;
    }
  }
  if (!closest.empty()) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "Over the frequency bins, {} is closest: the bin totals are off by {} on average.",
            "按频次分组，{} 最接近：各组合计的平均绝对百分比误差为 {}。")),
        clv_model_title(clv, closest),
        format_share(*clv_number(models->at(closest), "mape_by_frequency"))));
  }
  for (const std::string& key : keys) {
    const json& score = models->at(key);
    const json& bins = score.at("bins");
    const json* widest = nullptr;
    double widest_gap = -1;
    for (const json& bin : bins) {
      const auto n = bin.value("customers", std::int64_t{0});
      const double a = bin.value("actual_sum", 0.0);
      if (n == 0 || a <= 0 ||
          static_cast<double>(n) < kSmallBin * static_cast<double>(customers_total)) {
        continue;
      }
      const double gap = std::abs(bin.value("expected_sum", 0.0) - a) / a;
      if (gap > widest_gap) {
        widest_gap = gap;
        widest = &bin;
      }
    }
    const std::optional<double> bias = clv_number(score, "bias");
    std::string sentence = fmt::format(
        fmt::runtime(context.text(
            "{0} expects {1} repeat purchases over the {2} of the holdout against {3} actual ({4})",
            "{0} 预计留出期 {2} 内重复购买 {1} 次，实际 {3} 次（{4}）")),
        clv_model_title(clv, key), format_money(score.value("expected_purchases", 0.0)),
        length_text, format_count(std::llround(score.value("actual_purchases", 0.0))),
        bias ? clv_signed_share(*bias) : std::string("-"));
    if (widest != nullptr) {
      const double a = widest->value("actual_sum", 0.0);
      const double e = widest->value("expected_sum", 0.0);
      sentence += fmt::format(
          fmt::runtime(context.text(
              "; it {} most at {} calibration repeat purchases ({} customers): {} per customer "
              "against {} actual ({}).",
              "；偏差最大的是校准期重复购买 {1} 次的客户（{2} 个，{0}）：人均预期 {3}，实际 "
              "{4}（{5}）。")),
          e < a ? context.text("under-predicts", "低估") : context.text("over-predicts", "高估"),
          widest->value("frequency", std::string()),
          format_count(widest->value("customers", std::int64_t{0})),
          clv_fixed(widest->value("expected_mean", 0.0), 2),
          clv_fixed(widest->value("actual_mean", 0.0), 2), clv_signed_share((e - a) / a));
    } else {
      sentence += context.text(".", "。");
    }
    section.findings.push_back(std::move(sentence));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(clv_holdout, 620, build_clv_holdout);

}  // namespace custlens::report
