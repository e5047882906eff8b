// `custlens migrate`: the tier migration matrix as JSON, text and the movers' CSV.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "analysis/tier_migration.h"
#include "custlens/lang.h"
#include "io/store.h"

namespace custlens::report {

/// The two runs compared, as the outputs name them.
struct MigrationRuns {
  const io::StoredRun* from = nullptr;
  const io::StoredRun* to = nullptr;
};

/// {from_run, to_run, from_tiers, to_tiers, cells: [{from, to, customers, revenue_from,
/// revenue_to}], new: [{tier, customers, revenue}], gone: [...], both, stayed, moved_up,
/// moved_down, moved}.
nlohmann::json migration_to_json(const analysis::TierMigration& migration,
                                 const MigrationRuns& runs);

/// The matrix of customer counts (rows: the first run's tiers), new and gone per tier, and the
/// largest moves in words.
std::string migration_text(const analysis::TierMigration& migration, const MigrationRuns& runs,
                           Lang lang);

/// customer_id, from_tier, to_tier, then recency, frequency and monetary in each run: the
/// customers whose tier changed, optionally only from `from_tier` and/or to `to_tier`.
std::string movers_csv(const analysis::TierMigration& migration, const std::string& from_tier,
                       const std::string& to_tier);

}  // namespace custlens::report
