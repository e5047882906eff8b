// Section `clv_tracking`: repeat purchases week by week, actual against every model's
// expectation, cumulative (upper panel, the calibration end marked) and per week (lower panel).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

#include "report/sections/clv_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

// Chart geometry in px: the legend, the cumulative panel, the weekly panel.
constexpr int kCumulativeTop = 64;
constexpr int kCumulativeHeight = 230;
constexpr int kWeeklyTop = kCumulativeTop + kCumulativeHeight + 48;
constexpr int kWeeklyHeight = 230;
constexpr int kHeight = kWeeklyTop + kWeeklyHeight + 8;
// The page's series colours, so that a model has one colour in both panels.
constexpr std::array<std::string_view, 5> kColours = {"#3b6ea5", "#e07b39", "#5aa469", "#9467bd",
                                                      "#d9534f"};
constexpr std::string_view kActualColour = "#333";

double expected_of(const json& week, const char* map, const std::string& key) {
  const json& values = week.value(map, json::object());
  return values.contains(key) && values.at(key).is_number() ? values.at(key).get<double>() : 0.0;
}

json axis_pair(int index, json labels, bool show_labels) {
  return {{"type", "category"},
          {"gridIndex", index},
          {"data", std::move(labels)},
          {"boundaryGap", index == 1},
          {"axisLabel", {{"show", show_labels}}}};
}

json named_value_axis(int index, std::string name) {
  // The name above the axis, running inwards, as the page places one-grid names.
  return {{"type", "value"},
          {"gridIndex", index},
          {"name", std::move(name)},
          {"nameLocation", "end"},
          {"nameGap", 8},
          {"nameTextStyle", {{"align", "left"}, {"verticalAlign", "bottom"}}}};
}

std::optional<Section> build_clv_tracking(const SectionContext& context) {
  const json* tracking = context.find("/clv/tracking");
  if (tracking == nullptr || !tracking->is_array() || tracking->empty()) return std::nullopt;
  const json& clv = *context.find("/clv");
  const std::vector<std::string> keys = clv_model_keys(clv);
  if (keys.empty()) return std::nullopt;

  Section section;
  section.title = context.text("Weekly tracking: repeat purchases, actual against expected",
                               "每周跟踪：重复购买的实际与预期");
  json labels = json::array();
  json actual_cumulative = json::array();
  json actual_weekly = json::array();
  std::vector<json> cumulative(keys.size(), json::array());
  std::vector<json> weekly(keys.size(), json::array());
  const json* last_calibration = nullptr;
  bool any_holdout = false;
  for (const json& week : *tracking) {
    labels.push_back(week.value("first_day", std::string()));
    actual_cumulative.push_back(chart_money(week.value("actual_cumulative", 0.0)));
    actual_weekly.push_back(chart_money(week.value("actual", 0.0)));
    for (std::size_t m = 0; m < keys.size(); ++m) {
      cumulative[m].push_back(chart_money(expected_of(week, "expected_cumulative", keys[m])));
      weekly[m].push_back(chart_money(expected_of(week, "expected", keys[m])));
    }
    if (week.value("holdout", false)) {
      any_holdout = true;
    } else {
      last_calibration = &week;
    }
  }

  const std::string actual_name(context.text("Actual", "实际"));
  json series = json::array();
  json cumulative_actual = {{"name", actual_name},
                            {"type", "line"},
                            {"showSymbol", false},
                            {"xAxisIndex", 0},
                            {"yAxisIndex", 0},
                            {"color", kActualColour},
                            {"lineStyle", {{"width", 2}}},
                            {"data", std::move(actual_cumulative)}};
  if (any_holdout && last_calibration != nullptr) {
    // The calibration end: a vertical line, its label inside the plot at the top.
    cumulative_actual["markLine"] = {
        {"symbol", "none"},
        {"silent", true},
        {"lineStyle", {{"type", "dashed"}, {"color", "#888"}}},
        {"label",
         {{"formatter", std::string(context.text("Calibration end", "校准期结束"))},
          {"position", "insideEndTop"}}},
        {"data", json::array({{{"xAxis", last_calibration->value("first_day", std::string())}}})}};
  }
  json weekly_actual = {{"name", actual_name}, {"type", "bar"},
                        {"xAxisIndex", 1},     {"yAxisIndex", 1},
                        {"color", "#b8b8b8"},  {"data", std::move(actual_weekly)}};
  if (cumulative_actual.contains("markLine")) {
    weekly_actual["markLine"] = cumulative_actual["markLine"];  // the same line, unlabelled
    weekly_actual["markLine"]["label"] = {{"show", false}};
  }
  series.push_back(std::move(cumulative_actual));
  series.push_back(std::move(weekly_actual));
  json legend = json::array({actual_name});
  for (std::size_t m = 0; m < keys.size(); ++m) {
    const std::string name = clv_model_title(clv, keys[m]);
    const std::string colour(kColours[m % kColours.size()]);
    legend.push_back(name);
    series.push_back({{"name", name},
                      {"type", "line"},
                      {"showSymbol", false},
                      {"xAxisIndex", 0},
                      {"yAxisIndex", 0},
                      {"color", colour},
                      {"lineStyle", {{"type", "dashed"}}},
                      {"data", std::move(cumulative[m])}});
    series.push_back({{"name", name},
                      {"type", "line"},
                      {"showSymbol", false},
                      {"xAxisIndex", 1},
                      {"yAxisIndex", 1},
                      {"color", colour},
                      {"data", std::move(weekly[m])}});
  }
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"axisPointer", {{"link", json::array({{{"xAxisIndex", "all"}}})}}},
      {"legend",
       {{"type", "scroll"},
        {"top", 0},
        {"left", "center"},
        {"itemWidth", 16},
        {"itemGap", 8},
        {"data", std::move(legend)}}},
      {"grid", json::array({{{"left", 8},
                             {"right", 24},
                             {"top", kCumulativeTop},
                             {"height", kCumulativeHeight},
                             {"containLabel", true}},
                            {{"left", 8},
                             {"right", 24},
                             {"top", kWeeklyTop},
                             {"height", kWeeklyHeight},
                             {"containLabel", true}}})},
      {"xAxis", json::array({axis_pair(0, labels, false), axis_pair(1, labels, true)})},
      {"yAxis",
       json::array({named_value_axis(0, std::string(context.text("Cumulative repeat purchases",
                                                                 "累计重复购买次数"))),
                    named_value_axis(1, std::string(context.text("Repeat purchases per week",
                                                                 "每周重复购买次数")))})},
      {"series", std::move(series)}};
  section.chart_height = kHeight;

  // The table: the holdout weeks, else every week.
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Week starting", "周起始日")),
                   std::string(context.text("Actual", "实际")),
                   std::string(context.text("Actual, cumulative", "实际累计"))};
  table.formats = {CellFormat::kText, CellFormat::kInteger, CellFormat::kInteger};
  for (const std::string& key : keys) {
    table.columns.push_back(fmt::format(fmt::runtime(context.text("{}, cumulative", "{} 累计")),
                                        clv_model_title(clv, key)));
    table.formats.push_back(CellFormat::kNumber);
  }
  for (const json& week : *tracking) {
    if (any_holdout && !week.value("holdout", false)) continue;
    json row = {week.value("first_day", std::string()), week.value("actual", 0.0),
                week.value("actual_cumulative", 0.0)};
    for (const std::string& key : keys)
      row.push_back(expected_of(week, "expected_cumulative", key));
    table.rows.push_back(std::move(row));
  }

  // Actual against each model at a week's end: "BG/NBD 2,598.5 (+1.4%)".
  auto against = [&](const json& week) {
    const double actual = week.value("actual_cumulative", 0.0);
    std::vector<std::string> parts;
    for (const std::string& key : keys) {
      const double expected = expected_of(week, "expected_cumulative", key);
      parts.push_back(
          actual > 0
              ? fmt::format("{} {} ({})", clv_model_title(clv, key), clv_grouped(expected, 1),
                            clv_signed_share((expected - actual) / actual))
              : fmt::format("{} {}", clv_model_title(clv, key), clv_grouped(expected, 1)));
    }
    return fmt::format("{}", fmt::join(parts, context.text(", ", "，")));
  };
  if (last_calibration != nullptr) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "By the week of the calibration end ({}), customers made {} repeat purchases; the "
            "models fitted {}.",
            "截至校准期结束所在周（{}），客户共重复购买 {} 次；各模型拟合值：{}。")),
        last_calibration->value("last_day", std::string()),
        format_count(std::llround(last_calibration->value("actual_cumulative", 0.0))),
        against(*last_calibration)));
  }
  if (any_holdout) {
    const json& end = tracking->back();
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("By the end of the holdout ({}), they reach {}; expected: {}.",
                                  "截至留出期结束（{}），累计达到 {} 次；预期：{}。")),
        end.value("last_day", std::string()),
        format_count(std::llround(end.value("actual_cumulative", 0.0))), against(end)));
    // The weekly figures of the holdout, against the chosen model's.
    const std::string chosen = clv.value("model", keys.front());
    double low = 0, high = 0, sum = 0, expected_low = 0, expected_high = 0;
    int weeks = 0;
    for (const json& week : *tracking) {
      if (!week.value("holdout", false)) continue;
      const double a = week.value("actual", 0.0);
      const double e = expected_of(week, "expected", chosen);
      low = weeks == 0 ? a : std::min(low, a);
      high = weeks == 0 ? a : std::max(high, a);
      expected_low = weeks == 0 ? e : std::min(expected_low, e);
      expected_high = weeks == 0 ? e : std::max(expected_high, e);
      sum += a;
      ++weeks;
    }
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "Over the {} holdout weeks, actual repeat purchases run from {} to {} a week (mean "
            "{}); {} expects {} to {} a week.",
            "留出期 {} 周内，每周实际重复购买 {} 至 {} 次（平均 {}）；{} 预计每周 {} 至 {} 次。")),
        weeks, clv_fixed(low, 0), clv_fixed(high, 0), clv_fixed(sum / weeks, 1),
        clv_model_title(clv, chosen), clv_fixed(expected_low, 1), clv_fixed(expected_high, 1)));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(clv_tracking, 630, build_clv_tracking);

}  // namespace custlens::report
