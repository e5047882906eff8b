// Section `rf_grid`: a heat map of mean monetary over R score x F score, with customers per cell.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/sections/section.h"

namespace custlens::report {
namespace {

constexpr int kScores = 5;

std::optional<Section> build_rf_grid(const SectionContext& context) {
  const nlohmann::json* grid = context.find("/rfm/rf_grid");
  if (grid == nullptr || !grid->is_array() || grid->empty()) return std::nullopt;

  Section section;
  section.title = context.text("Recency × frequency", "最近购买 × 购买频次");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("R score", "R 分")),
                   std::string(context.text("F score", "F 分")),
                   std::string(context.text("Customers", "客户数")),
                   std::string(context.text("Mean monetary", "平均消费额"))};
  table.formats = {CellFormat::kInteger, CellFormat::kInteger, CellFormat::kInteger,
                   CellFormat::kMoney};

  std::int64_t customers_total = 0;
  double highest_mean = 0;
  const nlohmann::json* most_customers = nullptr;
  const nlohmann::json* richest = nullptr;
  nlohmann::json cells = nlohmann::json::array();
  for (const nlohmann::json& cell : *grid) {
    const int r = cell.at("r_score").get<int>();
    const int f = cell.at("f_score").get<int>();
    const auto customers = cell.at("customers").get<std::int64_t>();
    const double mean = cell.at("mean_monetary").get<double>();
    // An empty cell has no mean monetary: blank in the table, "-" in the chart.
    table.rows.push_back({r, f, cell.at("customers"),
                          customers > 0 ? cell.at("mean_monetary") : nlohmann::json(nullptr)});
    customers_total += customers;
    if (customers > 0) {
      highest_mean = std::max(highest_mean, mean);
      if (most_customers == nullptr ||
          customers > most_customers->at("customers").get<std::int64_t>()) {
        most_customers = &cell;
      }
      if (richest == nullptr || mean > richest->at("mean_monetary").get<double>()) richest = &cell;
    }
    // Data only: each cell's label is its own text (mean in whole units, then customers), so
    // no formatter code; the tooltip keeps the cents.
    const nlohmann::json value =
        customers > 0 ? nlohmann::json(chart_money(mean)) : nlohmann::json("-");
    cells.push_back(
        {{"value", {f - 1, r - 1, value}},
         {"label",
          {{"formatter", customers > 0 ? fmt::format("{}\n({})", format_count(std::llround(mean)),
                                                     format_count(customers))
                                       : std::string()}}}});
  }
  if (most_customers == nullptr) return std::nullopt;

  nlohmann::json f_labels = nlohmann::json::array();
  nlohmann::json r_labels = nlohmann::json::array();
  for (int score = 1; score <= kScores; ++score) {
    f_labels.push_back(fmt::format("F{}", score));
    r_labels.push_back(fmt::format("R{}", score));
  }
  section.chart = {
      {"tooltip", {{"trigger", "item"}}},
      {"grid", {{"left", 8}, {"right", 8}, {"top", 8}, {"bottom", 56}, {"containLabel", true}}},
      {"xAxis",
       {{"type", "category"},
        {"data", std::move(f_labels)},
        {"name", std::string(context.text("F score", "F 分"))},
        {"splitArea", {{"show", true}}}}},
      {"yAxis",
       {{"type", "category"},
        {"data", std::move(r_labels)},
        {"name", std::string(context.text("R score", "R 分"))},
        {"splitArea", {{"show", true}}}}},
      {"visualMap",
       {{"min", 0},
        {"max", chart_money(highest_mean)},
        {"calculable", true},
        {"orient", "horizontal"},
        {"left", "center"},
        {"bottom", 0},
        {"inRange", {{"color", nlohmann::json::array({"#f2f6fb", "#3b6ea5"})}}}}},
      {"series",
       nlohmann::json::array({{{"name", std::string(context.text("Mean monetary", "平均消费额"))},
                               {"type", "heatmap"},
                               // Two lines per cell: a line height of its own keeps them apart.
                               {"label", {{"show", true}, {"fontSize", 11}, {"lineHeight", 14}}},
                               {"data", std::move(cells)}}})}};

  // As tall as the 25-row table beside it, so that the cells are large enough for two lines.
  section.chart_height = 520;

  const auto count = most_customers->at("customers").get<std::int64_t>();
  const double count_share =
      customers_total > 0 ? static_cast<double>(count) / static_cast<double>(customers_total) : 0;
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text(
          "The largest cell is R{} × F{}: {} customers ({} of all), spending {} on average.",
          "人数最多的格子是 R{} × F{}:{} 个客户(占全部的 {}),平均消费 {}。")),
      most_customers->at("r_score").get<int>(), most_customers->at("f_score").get<int>(),
      format_count(count), format_share(count_share),
      format_money(most_customers->at("mean_monetary").get<double>())));
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("Customers in R{} × F{} spend the most on average: {} ({} "
                                "customers).",
                                "R{} × F{} 的客户平均消费最高:{}({} 个客户)。")),
      richest->at("r_score").get<int>(), richest->at("f_score").get<int>(),
      format_money(richest->at("mean_monetary").get<double>()),
      format_count(richest->at("customers").get<std::int64_t>())));
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(rf_grid, 40, build_rf_grid);

}  // namespace custlens::report
