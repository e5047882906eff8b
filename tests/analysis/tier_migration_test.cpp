#include "analysis/tier_migration.h"

#include <gtest/gtest.h>

namespace custlens::analysis {
namespace {

io::StoredCustomer migration_customer(const std::string& id, const std::string& tier,
                                      double monetary) {
  io::StoredCustomer c;
  c.customer_id = id;
  c.segment = tier;
  c.monetary = monetary;
  return c;
}

TEST(TierMigrationTest, CountsCellsNewGoneAndDirection) {
  const std::vector<std::string> tiers = {"Champions", "Loyal", "Lost"};
  const TierMigration m = compute_migration(
      tiers, tiers,
      {migration_customer("b", "Loyal", 10), migration_customer("a", "Champions", 50),
       migration_customer("c", "Lost", 1), migration_customer("d", "Loyal", 7)},
      {migration_customer("a", "Lost", 55), migration_customer("c", "Loyal", 4),
       migration_customer("e", "Champions", 90), migration_customer("d", "Loyal", 9)});
  ASSERT_EQ(m.cells.size(), 9u);
  EXPECT_EQ(m.cells[0 * 3 + 2].customers, 1);  // Champions -> Lost: a
  EXPECT_EQ(m.cells[0 * 3 + 2].revenue_from, 50);
  EXPECT_EQ(m.cells[0 * 3 + 2].revenue_to, 55);
  EXPECT_EQ(m.cells[2 * 3 + 1].customers, 1);  // Lost -> Loyal: c
  EXPECT_EQ(m.cells[1 * 3 + 1].customers, 1);  // Loyal stays: d
  EXPECT_EQ(m.both, 3);
  EXPECT_EQ(m.stayed, 1);
  EXPECT_EQ(m.moved_up, 1);
  EXPECT_EQ(m.moved_down, 1);
  EXPECT_EQ(m.new_customers[0].customers, 1);  // e, Champions
  EXPECT_EQ(m.new_customers[0].revenue, 90);
  EXPECT_EQ(m.gone_customers[1].customers, 1);  // b, Loyal
  ASSERT_EQ(m.movers.size(), 2u);
  EXPECT_EQ(m.movers[0].from.customer_id, "a");  // by from tier: Champions first
  EXPECT_EQ(m.movers[1].from.customer_id, "c");
}

TEST(TierMigrationTest, DifferentSchemesAndUnknownTiersGetTheirOwnRows) {
  const TierMigration m = compute_migration(
      {"A", "B"}, {"X"}, {migration_customer("1", "A", 1), migration_customer("2", "Z", 1)},
      {migration_customer("1", "X", 2), migration_customer("2", "X", 2)});
  EXPECT_EQ(m.from_tiers, (std::vector<std::string>{"A", "B", "Z"}));
  EXPECT_EQ(m.cells.size(), 3u);
  EXPECT_EQ(m.cells[2].customers, 1);
  EXPECT_EQ(m.moved_up + m.moved_down, 0);  // no order between different schemes
  EXPECT_EQ(m.movers.size(), 2u);
}

}  // namespace
}  // namespace custlens::analysis
