// Tier migration between two stored runs (`custlens migrate`, docs/store.md): who was in which
// tier then and now, the revenue of each cell, who is new and who is gone, and the list of
// customers who moved.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/store.h"

namespace custlens::analysis {

/// One cell of the matrix: customers in tier `from` in the first run and `to` in the second.
struct MigrationCell {
  std::string from;
  std::string to;
  std::int64_t customers = 0;
  double revenue_from = 0;  ///< their monetary total in the first run
  double revenue_to = 0;    ///< in the second
};

/// Customers of one tier present in only one of the runs.
struct MigrationMargin {
  std::string tier;
  std::int64_t customers = 0;
  double revenue = 0;
};

/// A customer present in both runs.
struct MigrationCustomer {
  io::StoredCustomer from;
  io::StoredCustomer to;
};

struct TierMigration {
  std::vector<std::string> from_tiers;  ///< the first run's tiers, best first
  std::vector<std::string> to_tiers;    ///< the second run's
  /// from_tiers x to_tiers, row-major: every pair, empty ones included.
  std::vector<MigrationCell> cells;
  std::vector<MigrationMargin> new_customers;   ///< per tier of the second run
  std::vector<MigrationMargin> gone_customers;  ///< per tier of the first run
  std::int64_t both = 0;                        ///< customers in both runs
  std::int64_t stayed = 0;                      ///< in the same tier
  std::int64_t moved_up = 0;  ///< to a tier earlier in the scheme's order (same scheme only)
  std::int64_t moved_down = 0;
  /// Customers whose tier changed, by from tier, to tier (scheme order), then id.
  std::vector<MigrationCustomer> movers;
};

/// The migration from `first` to `second` (customers of two runs, any order; ids unique within
/// each), with the tiers of each run in their scheme's order. A customer whose tier is not in its
/// run's list gets a tier row of its own at the end.
TierMigration compute_migration(std::vector<std::string> from_tiers,
                                std::vector<std::string> to_tiers,
                                std::vector<io::StoredCustomer> first,
                                std::vector<io::StoredCustomer> second);

}  // namespace custlens::analysis
