// Section `clv_grid`: the chosen model's expected purchases over the horizon and P(alive) on the
// frequency × recency grid of `/clv/grid`, as two heat maps stacked in one chart (x: the time of
// the last repeat purchase, y: the number of repeat purchases), with findings read off the cells.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/sections/clv_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

// Chart geometry in px: two panels, each a title, the heat map and its colour bar below.
constexpr int kPanel = 400;     // height of one panel
constexpr int kPlotTop = 46;    // the title and the y axis's name above the heat map
constexpr int kPlot = 262;      // the heat map with its axis labels
constexpr int kColourBar = 50;  // the colour bar, below the x axis's name
constexpr double kTiny = 0.01;  // probabilities below this print as "< 0.01"
// Light yellow to dark blue through green (ColorBrewer YlGnBu): small values stay distinct.
const std::vector<std::string> kRamp = {"#ffffd9", "#c7e9b4", "#7fcdbb", "#41b6c4",
                                        "#1d91c0", "#225ea8", "#0c2c84"};

std::optional<double> cell(const json& matrix, std::size_t i, std::size_t j) {
  if (!matrix.is_array() || i >= matrix.size() || !matrix[i].is_array() || j >= matrix[i].size() ||
      !matrix[i][j].is_number()) {
    return std::nullopt;
  }
  const double v = matrix[i][j].get<double>();
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

std::string probability(double p) { return p < kTiny ? "< 0.01" : clv_fixed(p, 2); }

// One heat map panel: its grid, axes, series and colour bar, at `top` px.
void add_panel(json& option, int index, int top, const std::string& title,
               const std::string& x_name, const std::string& y_name,
               const std::vector<std::string>& x_labels, const std::vector<std::string>& y_labels,
               const json& matrix, double max, double scale, const std::string& series_name) {
  json data = json::array();
  for (std::size_t i = 0; i < y_labels.size(); ++i) {
    for (std::size_t j = 0; j < x_labels.size(); ++j) {
      const std::optional<double> v = cell(matrix, i, j);
      // A pair that cannot occur (no repeat purchase but a later last one) stays empty.
      data.push_back({j, i, v ? json(std::round(*v * scale) / scale) : json("-")});
    }
  }
  option["title"].push_back({{"text", title},
                             {"top", top},
                             {"left", 8},
                             {"textStyle", {{"fontSize", 13}, {"fontWeight", "normal"}}}});
  option["grid"].push_back({{"left", 8},
                            {"right", 16},
                            {"top", top + kPlotTop},
                            {"height", kPlot},
                            {"containLabel", true}});
  option["xAxis"].push_back({{"type", "category"},
                             {"gridIndex", index},
                             {"data", x_labels},
                             {"name", x_name},
                             {"nameLocation", "middle"},
                             {"nameGap", 26},
                             {"splitLine", {{"show", false}}}});
  // The y axis's name above the axis, running inwards, as the page places one-grid names.
  option["yAxis"].push_back({{"type", "category"},
                             {"gridIndex", index},
                             {"data", y_labels},
                             {"name", y_name},
                             {"nameLocation", "end"},
                             {"nameGap", 8},
                             {"nameTextStyle", {{"align", "left"}, {"verticalAlign", "bottom"}}},
                             {"splitLine", {{"show", false}}}});
  option["series"].push_back({{"name", series_name},
                              {"type", "heatmap"},
                              {"xAxisIndex", index},
                              {"yAxisIndex", index},
                              {"data", std::move(data)}});
  option["visualMap"].push_back({{"seriesIndex", index},
                                 {"min", 0},
                                 {"max", max},
                                 {"precision", scale > 100 ? 3 : 2},
                                 {"calculable", true},
                                 {"orient", "horizontal"},
                                 {"left", "center"},
                                 {"itemHeight", 160},
                                 {"itemWidth", 12},
                                 {"top", top + kPanel - kColourBar},
                                 {"inRange", {{"color", kRamp}}}});
}

std::optional<Section> build_clv_grid(const SectionContext& context) {
  const json* found = context.find("/clv/grid");
  if (found == nullptr || !found->is_object()) return std::nullopt;
  const json& grid = *found;
  const json& clv = *context.find("/clv");
  if (!grid.contains("x") || !grid.contains("t_x") || !grid["x"].is_array() ||
      !grid["t_x"].is_array() || grid["x"].empty() || grid["t_x"].empty()) {
    return std::nullopt;
  }
  const std::vector<double> xs = grid["x"].get<std::vector<double>>();
  const std::vector<double> recencies = grid["t_x"].get<std::vector<double>>();
  const json& expected = grid.value("expected_purchases", json::array());
  const json& alive = grid.value("p_alive", json::array());
  const double horizon = grid.value("horizon", clv.value("horizon", 0.0));
  const double observed = grid.value("T", 0.0);
  const std::string model = clv_model_title(clv, clv.value("model", std::string()));
  const std::string horizon_text = clv_units(context, clv, horizon);

  double max_expected = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    for (std::size_t j = 0; j < recencies.size(); ++j) {
      if (const std::optional<double> v = cell(expected, i, j)) {
        max_expected = std::max(max_expected, *v);
      }
    }
  }

  Section section;
  section.title = context.text("Frequency × recency: expected purchases and P(alive)",
                               "频次 × 最近购买：预期购买次数与存活概率");
  const std::string unit_word =
      fmt::format(fmt::runtime(context.text(" ({})", "（{}）")), clv_unit_word(context, clv, true));
  const std::string x_name = fmt::format(
      "{}{}", context.text("Last repeat purchase after the first", "最后一次重复购买距首次购买"),
      unit_word);
  const std::string y_name(context.text("Repeat purchases", "重复购买次数"));
  const std::vector<std::string> x_labels = clv_distinct_labels(recencies);
  const std::vector<std::string> y_labels = clv_distinct_labels(xs);
  json option = {
      {"tooltip", {{"trigger", "item"}}}, {"title", json::array()}, {"grid", json::array()},
      {"xAxis", json::array()},           {"yAxis", json::array()}, {"series", json::array()},
      {"visualMap", json::array()}};
  const std::string expected_title = fmt::format(
      fmt::runtime(context.text("Expected purchases in the next {}", "未来 {} 的预期购买次数")),
      horizon_text);
  add_panel(option, 0, 0, expected_title, x_name, y_name, x_labels, y_labels, expected,
            std::max(max_expected, 0.01), 100, std::string(context.text("Expected", "预期购买")));
  add_panel(option, 1, kPanel, std::string(context.text("P(alive)", "存活概率")), x_name, y_name,
            x_labels, y_labels, alive, 1, 1000, std::string(context.text("P(alive)", "存活概率")));
  section.chart = std::move(option);
  section.chart_height = 2 * kPanel;

  // The table: every frequency's P(alive) with the last purchase midway, and its expected
  // purchases with the last one midway and at the end; four columns, so that it stays a table
  // beside the chart and on a phone.
  std::vector<std::size_t> positive;
  for (std::size_t j = 0; j < recencies.size(); ++j) {
    if (recencies[j] > 0) positive.push_back(j);
  }
  std::vector<std::pair<const json*, std::size_t>> picks;  // matrix, column
  if (!positive.empty()) {
    const std::size_t midway = positive[positive.size() / 2];
    picks.emplace_back(&alive, midway);
    picks.emplace_back(&expected, midway);
    if (positive.back() != midway) picks.emplace_back(&expected, positive.back());
  }
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Repeat purchases", "重复购买次数"))};
  table.formats = {CellFormat::kText};
  for (const auto& [matrix, j] : picks) {
    const std::string at = clv_at_unit(context, clv, recencies[j]);
    table.columns.push_back(
        matrix == &alive
            ? fmt::format(
                  fmt::runtime(context.text("P(alive), last at {}", "存活概率（最后购买于{}）")),
                  at)
            : fmt::format(
                  fmt::runtime(context.text("Expected, last at {}", "预期购买（最后购买于{}）")),
                  at));
    table.formats.push_back(CellFormat::kNumber);
  }
  for (std::size_t i = 0; i < xs.size(); ++i) {
    json row = json::array({y_labels[i]});
    bool any = false;
    for (const auto& [matrix, j] : picks) {
      const std::optional<double> v = cell(*matrix, i, j);
      any = any || v.has_value();
      row.push_back(v ? json(*v) : json());
    }
    if (any) table.rows.push_back(std::move(row));
  }

  // Findings read off the cells: one frequency at its earliest meaningful and latest recency.
  const std::size_t middle = xs.size() / 2;
  if (!positive.empty() && xs[middle] > 0) {
    const std::size_t last = positive.back();
    std::size_t early = positive.front();
    for (std::size_t j : positive) {
      const std::optional<double> p = cell(alive, middle, j);
      if (p && *p >= 0.05) {
        early = j;
        break;
      }
    }
    const std::optional<double> p_last = cell(alive, middle, last);
    const std::optional<double> e_last = cell(expected, middle, last);
    const std::optional<double> p_early = cell(alive, middle, early);
    const std::optional<double> e_early = cell(expected, middle, early);
    if (p_last && e_last && p_early && e_early && early != last) {
      section.findings.push_back(fmt::format(
          fmt::runtime(context.text(
              "Under {0}, for a customer first seen {1} before the calibration end: with {2}, the "
              "last at {3}, P(alive) is {4} and {5} purchases are expected in the next {6}; with "
              "as many but the last at {7}, P(alive) is {8} and {9} are expected.",
              "在 {0} 下，对于校准期结束前 {1} 首次购买的客户：{2}、最后一次在{3}时，存活概率为 "
              "{4}，未来 {6} 预计购买 {5} 次；购买次数相同但最后一次在{7}时，存活概率为 {8}，"
              "预计购买 {9} 次。")),
          model, clv_units(context, clv, observed), clv_repeat_purchases(context, y_labels[middle]),
          clv_at_unit(context, clv, recencies[last]), probability(*p_last), clv_fixed(*e_last, 2),
          horizon_text, clv_at_unit(context, clv, recencies[early]), probability(*p_early),
          clv_fixed(*e_early, 2)));
    }
  }
  // The same recency, few against many purchases: a long silence after many purchases means gone.
  if (positive.size() >= 2 && xs.size() >= 3) {
    const std::size_t j = positive[positive.size() / 4];
    const std::size_t few = xs[0] > 0 ? 0 : 1;
    const std::size_t many = xs.size() - 1;
    const std::optional<double> p_few = cell(alive, few, j);
    const std::optional<double> p_many = cell(alive, many, j);
    if (p_few && p_many && *p_few > *p_many) {
      section.findings.push_back(fmt::format(
          fmt::runtime(context.text(
              "With the last purchase at {0}, P(alive) is {2} after {1} but {4} after {3}: many "
              "purchases followed by a long silence point to a customer who has left.",
              "最后一次购买在{0}时，{1}的存活概率为 {2}，{3}则为 {4}：频繁购买后长期沉默，说明"
              "客户很可能已经流失。")),
          clv_at_unit(context, clv, recencies[j]), clv_repeat_purchases(context, y_labels[few]),
          probability(*p_few), clv_repeat_purchases(context, y_labels[many]),
          probability(*p_many)));
    }
  }
  if (xs[0] == 0) {
    const std::optional<double> p0 = cell(alive, 0, 0);
    const std::optional<double> e0 = cell(expected, 0, 0);
    if (p0 && e0) {
      section.findings.push_back(fmt::format(
          fmt::runtime(context.text(
              "A customer who has not bought again since the first purchase has P(alive) {0} and "
              "is expected to buy {1} times in the next {2}.",
              "首次购买后再未购买的客户存活概率为 {0}，未来 {2} 预计购买 {1} 次。")),
          probability(*p0), clv_fixed(*e0, 2), horizon_text));
    }
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(clv_grid, 610, build_clv_grid);

}  // namespace custlens::report
