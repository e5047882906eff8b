#include "analysis/tier_migration.h"

#include <algorithm>

namespace custlens::analysis {
namespace {

std::size_t tier_index(std::vector<std::string>& tiers, const std::string& tier) {
  const auto found = std::find(tiers.begin(), tiers.end(), tier);
  if (found != tiers.end()) return static_cast<std::size_t>(found - tiers.begin());
  tiers.push_back(tier);
  return tiers.size() - 1;
}

void by_id(std::vector<io::StoredCustomer>& customers) {
  std::sort(customers.begin(), customers.end(),
            [](const io::StoredCustomer& a, const io::StoredCustomer& b) {
              return a.customer_id < b.customer_id;
            });
}

}  // namespace

TierMigration compute_migration(std::vector<std::string> from_tiers,
                                std::vector<std::string> to_tiers,
                                std::vector<io::StoredCustomer> first,
                                std::vector<io::StoredCustomer> second) {
  by_id(first);
  by_id(second);
  // Tiers a customer names that the list lacks are added before the matrix is sized.
  for (const io::StoredCustomer& c : first) tier_index(from_tiers, c.segment);
  for (const io::StoredCustomer& c : second) tier_index(to_tiers, c.segment);
  TierMigration m;
  m.from_tiers = from_tiers;
  m.to_tiers = to_tiers;
  for (const std::string& from : from_tiers) {
    for (const std::string& to : to_tiers) m.cells.push_back({from, to, 0, 0, 0});
  }
  for (const std::string& tier : to_tiers) m.new_customers.push_back({tier, 0, 0});
  for (const std::string& tier : from_tiers) m.gone_customers.push_back({tier, 0, 0});
  const bool same_scheme = from_tiers == to_tiers;
  std::size_t i = 0, j = 0;
  while (i < first.size() || j < second.size()) {
    if (j == second.size() || (i < first.size() && first[i].customer_id < second[j].customer_id)) {
      MigrationMargin& gone = m.gone_customers[tier_index(from_tiers, first[i].segment)];
      ++gone.customers;
      gone.revenue += first[i].monetary;
      ++i;
      continue;
    }
    if (i == first.size() || second[j].customer_id < first[i].customer_id) {
      MigrationMargin& fresh = m.new_customers[tier_index(to_tiers, second[j].segment)];
      ++fresh.customers;
      fresh.revenue += second[j].monetary;
      ++j;
      continue;
    }
    const std::size_t from = tier_index(from_tiers, first[i].segment);
    const std::size_t to = tier_index(to_tiers, second[j].segment);
    MigrationCell& cell = m.cells[from * to_tiers.size() + to];
    ++cell.customers;
    cell.revenue_from += first[i].monetary;
    cell.revenue_to += second[j].monetary;
    ++m.both;
    if (first[i].segment == second[j].segment) {
      ++m.stayed;
    } else {
      if (same_scheme) ++(to < from ? m.moved_up : m.moved_down);
      m.movers.push_back({std::move(first[i]), std::move(second[j])});
    }
    ++i;
    ++j;
  }
  std::stable_sort(m.movers.begin(), m.movers.end(),
                   [&](const MigrationCustomer& a, const MigrationCustomer& b) {
                     const std::size_t af = tier_index(from_tiers, a.from.segment);
                     const std::size_t bf = tier_index(from_tiers, b.from.segment);
                     if (af != bf) return af < bf;
                     return tier_index(to_tiers, a.to.segment) < tier_index(to_tiers, b.to.segment);
                   });
  return m;
}

}  // namespace custlens::analysis
