#include "report/migration_summary.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/number_text.h"
#include "io/csv_writer.h"

namespace custlens::report {
namespace {

nlohmann::json run_json(const io::StoredRun& run) {
  return {{"run_id", run.run_id},   {"started_at", run.started_at},
          {"command", run.command}, {"source_name", run.source_name},
          {"scheme", run.scheme},   {"as_of", run.as_of}};
}

nlohmann::json margins_json(const std::vector<analysis::MigrationMargin>& margins) {
  nlohmann::json out = nlohmann::json::array();
  for (const analysis::MigrationMargin& m : margins) {
    out.push_back({{"tier", m.tier}, {"customers", m.customers}, {"revenue", m.revenue}});
  }
  return out;
}

}  // namespace

nlohmann::json migration_to_json(const analysis::TierMigration& migration,
                                 const MigrationRuns& runs) {
  nlohmann::json cells = nlohmann::json::array();
  for (const analysis::MigrationCell& cell : migration.cells) {
    cells.push_back({{"from", cell.from},
                     {"to", cell.to},
                     {"customers", cell.customers},
                     {"revenue_from", cell.revenue_from},
                     {"revenue_to", cell.revenue_to}});
  }
  // The tiers' Chinese names, for the report in Chinese (a tier no run lists keeps its name).
  const auto chinese = [](const std::vector<std::string>& tiers, const io::StoredRun& run) {
    std::vector<std::string> names;
    for (const std::string& tier : tiers) {
      std::string name = tier;
      for (const io::StoredSegment& segment : run.segments) {
        if (segment.segment == tier && !segment.segment_zh.empty()) name = segment.segment_zh;
      }
      names.push_back(std::move(name));
    }
    return names;
  };
  return {{"from_run", run_json(*runs.from)},
          {"from_tiers_zh", chinese(migration.from_tiers, *runs.from)},
          {"to_tiers_zh", chinese(migration.to_tiers, *runs.to)},
          {"to_run", run_json(*runs.to)},
          {"from_tiers", migration.from_tiers},
          {"to_tiers", migration.to_tiers},
          {"cells", std::move(cells)},
          {"new", margins_json(migration.new_customers)},
          {"gone", margins_json(migration.gone_customers)},
          {"both", migration.both},
          {"stayed", migration.stayed},
          {"moved_up", migration.moved_up},
          {"moved_down", migration.moved_down},
          {"moved", static_cast<std::int64_t>(migration.movers.size())}};
}

std::string migration_text(const analysis::TierMigration& migration, const MigrationRuns& runs,
                           Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::string out =
      zh ? fmt::format("层级迁移：{}（{}）→ {}（{}）\n", runs.from->run_id, runs.from->as_of,
                       runs.to->run_id, runs.to->as_of)
         : fmt::format("Tier migration: {} (as of {}) -> {} (as of {})\n", runs.from->run_id,
                       runs.from->as_of, runs.to->run_id, runs.to->as_of);
  out += zh ? fmt::format("两次都在：{} 位客户，{} 位层级不变，{} 位变化",
                          common::thousands(migration.both), common::thousands(migration.stayed),
                          common::thousands(static_cast<std::int64_t>(migration.movers.size())))
            : fmt::format("In both runs: {} customers; {} kept their tier, {} moved",
                          common::thousands(migration.both), common::thousands(migration.stayed),
                          common::thousands(static_cast<std::int64_t>(migration.movers.size())));
  if (migration.from_tiers == migration.to_tiers) {
    out += zh ? fmt::format("（{} 位升级，{} 位降级）", common::thousands(migration.moved_up),
                            common::thousands(migration.moved_down))
              : fmt::format(" ({} up, {} down)", common::thousands(migration.moved_up),
                            common::thousands(migration.moved_down));
  }
  out += "\n\n";
  std::size_t width = 12;
  for (const std::string& tier : migration.from_tiers) width = std::max(width, tier.size() + 2);
  out += fmt::format("{:<{}}", zh ? "原层级 \\ 新层级" : "from \\ to", width);
  for (const std::string& tier : migration.to_tiers) {
    out += fmt::format(" {:>{}}", tier, std::max<std::size_t>(tier.size(), 8));
  }
  out += fmt::format(" {:>8}\n", zh ? "流失" : "gone");
  for (std::size_t f = 0; f < migration.from_tiers.size(); ++f) {
    out += fmt::format("{:<{}}", migration.from_tiers[f], width);
    for (std::size_t t = 0; t < migration.to_tiers.size(); ++t) {
      out += fmt::format(
          " {:>{}}",
          common::thousands(migration.cells[f * migration.to_tiers.size() + t].customers),
          std::max<std::size_t>(migration.to_tiers[t].size(), 8));
    }
    out += fmt::format(" {:>8}\n", common::thousands(migration.gone_customers[f].customers));
  }
  out += fmt::format("{:<{}}", zh ? "新客户" : "new", width);
  for (std::size_t t = 0; t < migration.to_tiers.size(); ++t) {
    out += fmt::format(" {:>{}}", common::thousands(migration.new_customers[t].customers),
                       std::max<std::size_t>(migration.to_tiers[t].size(), 8));
  }
  out += '\n';
  // The largest off-diagonal cells, in words.
  std::vector<const analysis::MigrationCell*> moves;
  for (const analysis::MigrationCell& cell : migration.cells) {
    if (cell.from != cell.to && cell.customers > 0) moves.push_back(&cell);
  }
  std::stable_sort(moves.begin(), moves.end(),
                   [](const auto* a, const auto* b) { return a->customers > b->customers; });
  if (!moves.empty()) out += zh ? "\n最大的迁移：\n" : "\nLargest moves:\n";
  for (std::size_t k = 0; k < std::min<std::size_t>(moves.size(), 5); ++k) {
    const analysis::MigrationCell& cell = *moves[k];
    out += zh ? fmt::format("  {} → {}：{} 位客户，消费额 {} → {}\n", cell.from, cell.to,
                            common::thousands(cell.customers),
                            common::group_thousands(fmt::format("{:.0f}", cell.revenue_from)),
                            common::group_thousands(fmt::format("{:.0f}", cell.revenue_to)))
              : fmt::format("  {} -> {}: {} customers, monetary {} -> {}\n", cell.from, cell.to,
                            common::thousands(cell.customers),
                            common::group_thousands(fmt::format("{:.0f}", cell.revenue_from)),
                            common::group_thousands(fmt::format("{:.0f}", cell.revenue_to)));
  }
  return out;
}

std::string movers_csv(const analysis::TierMigration& migration, const std::string& from_tier,
                       const std::string& to_tier) {
  std::string out =
      "customer_id,from_tier,to_tier,recency_days_from,recency_days_to,frequency_from,"
      "frequency_to,monetary_from,monetary_to\n";
  for (const analysis::MigrationCustomer& c : migration.movers) {
    if (!from_tier.empty() && c.from.segment != from_tier) continue;
    if (!to_tier.empty() && c.to.segment != to_tier) continue;
    out += fmt::format("{},{},{},{},{},{},{},{:.2f},{:.2f}\n", io::csv_escape(c.from.customer_id),
                       io::csv_escape(c.from.segment), io::csv_escape(c.to.segment),
                       c.from.recency_days, c.to.recency_days, c.from.frequency, c.to.frequency,
                       c.from.monetary, c.to.monetary);
  }
  return out;
}

}  // namespace custlens::report
