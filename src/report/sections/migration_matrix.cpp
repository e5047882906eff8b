// Section `migration_matrix`: customers by tier in one run (rows) and in a later one (columns),
// the revenue of each move, who is new and who is gone.
#include <fmt/format.h>

#include <algorithm>

#include "report/sections/section.h"

namespace custlens::report {
namespace {

using nlohmann::json;

std::optional<Section> build_migration_matrix(const SectionContext& context) {
  const json* m = context.find("/migration");
  if (m == nullptr || !m->contains("cells") || !m->contains("from_tiers")) return std::nullopt;
  const bool zh = context.lang == Lang::kZh;
  const json& from_tiers =
      zh && m->contains("from_tiers_zh") ? m->at("from_tiers_zh") : m->at("from_tiers");
  const json& to_tiers =
      zh && m->contains("to_tiers_zh") ? m->at("to_tiers_zh") : m->at("to_tiers");
  // The cells name tiers in English: shown through the report's names, by position.
  const json& from_en = m->at("from_tiers");
  const json& to_en = m->at("to_tiers");
  const auto shown = [&](const json& en_names, const json& names, const json& tier) {
    for (std::size_t i = 0; i < en_names.size() && i < names.size(); ++i) {
      if (en_names[i] == tier) return names[i].get<std::string>();
    }
    return tier.get<std::string>();
  };
  Section section;
  section.title =
      fmt::format(fmt::runtime(context.text("Tier migration: {} → {}", "层级迁移：{} → {}")),
                  m->at("from_run").value("as_of", ""), m->at("to_run").value("as_of", ""));
  // The matrix as a table: a row per tier then, a column per tier now, gone and the row total;
  // a last row of the customers new in the later run.
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Then \\ now", "之前 \\ 现在"))};
  table.formats = {CellFormat::kText};
  for (const json& tier : to_tiers) {
    table.columns.push_back(tier.get<std::string>());
    table.formats.push_back(CellFormat::kInteger);
  }
  table.columns.push_back(std::string(context.text("Gone", "流失")));
  table.columns.push_back(std::string(context.text("Total then", "之前合计")));
  table.formats.push_back(CellFormat::kInteger);
  table.formats.push_back(CellFormat::kInteger);
  const json& cells = m->at("cells");
  const std::size_t width = to_tiers.size();
  json data = json::array();
  std::int64_t largest = 0;
  const json* biggest_move = nullptr;
  for (std::size_t f = 0; f < from_tiers.size(); ++f) {
    json row = json::array({from_tiers[f]});
    std::int64_t total = 0;
    for (std::size_t t = 0; t < width && f * width + t < cells.size(); ++t) {
      const json& cell = cells[f * width + t];
      const std::int64_t customers = cell.at("customers").get<std::int64_t>();
      row.push_back(customers);
      total += customers;
      if (customers > 0) data.push_back(json::array({t, f, customers}));
      largest = std::max(largest, customers);
      if (customers > 0 && cell.at("from") != cell.at("to") &&
          (biggest_move == nullptr ||
           customers > biggest_move->at("customers").get<std::int64_t>())) {
        biggest_move = &cell;
      }
    }
    const std::int64_t gone =
        f < m->at("gone").size() ? m->at("gone")[f].at("customers").get<std::int64_t>() : 0;
    row.push_back(gone);
    row.push_back(total + gone);
    table.rows.push_back(std::move(row));
  }
  json fresh_row = json::array({std::string(context.text("New", "新客户"))});
  for (std::size_t t = 0; t < width; ++t) {
    fresh_row.push_back(t < m->at("new").size() ? m->at("new")[t].at("customers") : json(0));
  }
  fresh_row.push_back(nullptr);
  fresh_row.push_back(nullptr);
  table.rows.push_back(std::move(fresh_row));
  section.chart = {
      {"tooltip", {{"position", "top"}}},
      {"grid", {{"left", 8}, {"right", 8}, {"top", 8}, {"bottom", 56}, {"containLabel", true}}},
      {"xAxis", {{"type", "category"}, {"data", to_tiers}, {"axisLabel", {{"interval", 0}}}}},
      {"yAxis", {{"type", "category"}, {"data", from_tiers}, {"inverse", true}}},
      {"visualMap",
       {{"min", 0},
        {"max", std::max<std::int64_t>(largest, 1)},
        {"calculable", true},
        {"orient", "horizontal"},
        {"left", "center"},
        {"bottom", 0}}},
      {"series", json::array({{{"name", std::string(context.text("Customers", "客户数"))},
                               {"type", "heatmap"},
                               {"data", std::move(data)},
                               {"label", {{"show", true}}}}})}};
  section.chart_height = std::max(380, 60 + 40 * static_cast<int>(from_tiers.size()));
  const std::int64_t both = m->value("both", std::int64_t{0});
  const std::int64_t moved = m->value("moved", std::int64_t{0});
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("{} customers are in both runs; {} of them ({}) changed tier.",
                                "两次运行都有的客户 {} 位，其中 {} 位（{}）层级发生变化。")),
      format_count(both), format_count(moved),
      format_share(both > 0 ? static_cast<double>(moved) / static_cast<double>(both) : 0.0)));
  if (from_tiers == to_tiers) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("{} moved to a better tier, {} to a worse one.",
                                              "{} 位升入更高层级，{} 位降到更低层级。")),
                    format_count(m->value("moved_up", std::int64_t{0})),
                    format_count(m->value("moved_down", std::int64_t{0}))));
  }
  section.findings.push_back(std::string(
      context.text("Rows are the tiers of the earlier run, columns those of the later run.",
                   "行是前一次运行的层级，列是后一次运行的层级。")));
  if (biggest_move != nullptr) {
    const double then = biggest_move->at("revenue_from").get<double>();
    const double now = biggest_move->at("revenue_to").get<double>();
    // Equal totals: none of them bought between the two runs' data.
    section.findings.push_back(
        then == now
            ? fmt::format(fmt::runtime(context.text(
                              "The largest move is {} → {}: {} customers, none of whom bought "
                              "since (monetary {}).",
                              "最大的迁移是 {} → {}：{} 位客户，此后都没有再购买（消费额 {}）。")),
                          shown(from_en, from_tiers, biggest_move->at("from")),
                          shown(to_en, to_tiers, biggest_move->at("to")),
                          format_count(biggest_move->at("customers").get<std::int64_t>()),
                          format_money(then))
            : fmt::format(fmt::runtime(context.text(
                              "The largest move is {} → {}: {} customers whose monetary went "
                              "from {} to {}.",
                              "最大的迁移是 {} → {}：{} 位客户，消费额从 {} 变为 {}。")),
                          shown(from_en, from_tiers, biggest_move->at("from")),
                          shown(to_en, to_tiers, biggest_move->at("to")),
                          format_count(biggest_move->at("customers").get<std::int64_t>()),
                          format_money(then), format_money(now)));
  }
  std::int64_t fresh = 0, gone = 0;
  for (const json& n : m->at("new")) fresh += n.at("customers").get<std::int64_t>();
  for (const json& g : m->at("gone")) gone += g.at("customers").get<std::int64_t>();
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("{} customers are new in the later run; {} customers of the "
                                "earlier run are missing from it.",
                                "后一次运行新增客户 {} 位；前一次运行中有 {} 位客户不在其中。")),
      format_count(fresh), format_count(gone)));
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(migration_matrix, 930, build_migration_matrix);

}  // namespace custlens::report
