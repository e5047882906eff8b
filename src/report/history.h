// `custlens history`: the stored runs in time order with their KPIs and the change from the
// previous comparable run, and the campaigns read out (docs/store.md).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "custlens/lang.h"
#include "io/store.h"

namespace custlens::report {

struct HistoryRun {
  io::StoredRun run;
  /// Index (in History::runs) of the latest earlier run of the same command, source name and
  /// scheme; none for the first of its kind.
  std::optional<std::size_t> previous;
};

struct History {
  std::string store;                             ///< the store's name, as opened
  std::vector<HistoryRun> runs;                  ///< oldest first
  std::vector<io::StoredCampaignRow> campaigns;  ///< breakdown "all" rows, oldest first
};

/// Links each run to its previous comparable run; keeps the whole-campaign rows of `campaigns`.
History build_history(std::string store, std::vector<io::StoredRun> runs,
                      const std::vector<io::StoredCampaignRow>& campaigns);

/// The value of KPI `name` in `run`, if recorded.
std::optional<double> kpi_value(const io::StoredRun& run, std::string_view name);

/// True for a KPI that is a share (0..1): its change is in percentage points.
bool is_share_kpi(std::string_view name);

/// `history --json`: {store, runs: [{run_id, started_at, finished_at, command, source_name,
/// scheme, as_of, custlens_version, hashed_ids, parameters, inputs, kpis {name: value}, segments
/// [{segment, segment_zh, customers, customer_share, revenue, revenue_share}], previous_run_id,
/// changes {name: {previous, change, relative_change}}}], campaigns: [...]}.
nlohmann::json history_to_json(const History& history);

/// The text: one line per run with its main KPIs, then the change of each KPI of the newest run of
/// each command and source from its previous comparable run, then the campaigns.
std::string history_text(const History& history, Lang lang);

}  // namespace custlens::report
