#include "analysis/rf_grid.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace custlens::analysis {
namespace {

CustomerRfm customer(int r_score, int f_score, double monetary) {
  CustomerRfm row;
  row.r_score = r_score;
  row.f_score = f_score;
  row.monetary = monetary;
  return row;
}

TEST(RfGridTest, CountsAndMeansPerCell) {
  const std::vector<CustomerRfm> customers = {customer(5, 5, 100), customer(1, 1, 10),
                                              customer(5, 5, 50), customer(1, 2, 7)};
  const std::vector<RfCell> grid = compute_rf_grid(customers);
  ASSERT_EQ(grid.size(), 25u);
  // R outer, F inner: index (r - 1) * 5 + (f - 1).
  EXPECT_EQ(grid[0].r_score, 1);
  EXPECT_EQ(grid[0].f_score, 1);
  EXPECT_EQ(grid[0].customers, 1);
  EXPECT_DOUBLE_EQ(grid[0].mean_monetary, 10.0);
  EXPECT_EQ(grid[1].f_score, 2);
  EXPECT_EQ(grid[1].customers, 1);
  EXPECT_EQ(grid[24].r_score, 5);
  EXPECT_EQ(grid[24].f_score, 5);
  EXPECT_EQ(grid[24].customers, 2);
  EXPECT_DOUBLE_EQ(grid[24].mean_monetary, 75.0);
  std::int64_t total = 0;
  for (const RfCell& cell : grid) {
    total += cell.customers;
    if (cell.customers == 0) {
      EXPECT_EQ(cell.mean_monetary, 0.0);
    }
  }
  EXPECT_EQ(total, 4);
}

TEST(RfGridTest, NoCustomersGivesEmptyCells) {
  const std::vector<RfCell> grid = compute_rf_grid({});
  ASSERT_EQ(grid.size(), 25u);
  for (const RfCell& cell : grid) EXPECT_EQ(cell.customers, 0);
}

TEST(RfGridTest, RejectsScoresOutsideOneToFive) {
  const std::vector<CustomerRfm> customers = {customer(0, 3, 1)};
  EXPECT_THROW(compute_rf_grid(customers), std::invalid_argument);
}

}  // namespace
}  // namespace custlens::analysis
