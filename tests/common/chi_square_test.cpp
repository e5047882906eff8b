// Chi-square test of independence: a 2×2 table checked by its closed form, a 3×3 table by hand
// and against scipy (tests/reference/chi_square_reference.py), empty margins and small counts.
#include "common/chi_square.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace custlens::common {
namespace {

void chi_square_expect_relative(double expected, double actual, double tolerance = 1e-12) {
  EXPECT_NEAR(actual, expected, tolerance * std::fabs(expected)) << "expected " << expected;
}

TEST(ChiSquareTest, TwoByTwoMatchesTheClosedForm) {
  // a b / c d = 12 5 / 7 16: χ² = n (ad − bc)² / (r1 r2 c1 c2) = 40 · 157² / (17·23·19·21).
  const std::vector<std::int64_t> counts = {12, 5, 7, 16};
  const ChiSquareTest test = chi_square_independence(counts, 2, 2);
  const double statistic = 985960.0 / 156009.0;
  chi_square_expect_relative(statistic, test.statistic);
  EXPECT_EQ(test.dof, 1);
  // χ²(1) upper tail = erfc(√(x / 2)).
  chi_square_expect_relative(std::erfc(std::sqrt(statistic / 2)), test.p_value, 1e-10);
  chi_square_expect_relative(std::sqrt(statistic / 40), test.cramers_v);
  chi_square_expect_relative(17.0 * 19.0 / 40.0, test.min_expected);  // 8.075
  EXPECT_EQ(test.cells_below_5, 0);
  EXPECT_EQ(test.total, 40);
  // scipy.stats.chi2_contingency(correction=False), chi_square_reference.py.
  chi_square_expect_relative(6.319891801114041, test.statistic);
  chi_square_expect_relative(0.011939091377912247, test.p_value, 1e-9);
}

TEST(ChiSquareTest, ThreeByThreeMatchesScipy) {
  // Row totals 60, 35, 22; column totals 33, 37, 47; n = 117; smallest E = 22 · 33 / 117.
  const std::vector<std::int64_t> counts = {10, 20, 30, 15, 15, 5, 8, 2, 12};
  const ChiSquareTest test = chi_square_independence(counts, 3, 3);
  chi_square_expect_relative(19.41209817418715, test.statistic);
  EXPECT_EQ(test.dof, 4);
  chi_square_expect_relative(0.000652147255121355, test.p_value, 1e-9);
  chi_square_expect_relative(0.28802375684146836, test.cramers_v);
  chi_square_expect_relative(22.0 * 33.0 / 117.0, test.min_expected);
  EXPECT_EQ(test.cells_below_5, 0);
  EXPECT_EQ(test.rows, 3);
  EXPECT_EQ(test.columns, 3);
}

TEST(ChiSquareTest, EmptyRowsAndColumnsAreDropped) {
  // The 2×2 table with an empty middle row and an empty last column around it.
  const std::vector<std::int64_t> counts = {12, 5, 0, 0, 0, 0, 7, 16, 0};
  const ChiSquareTest test = chi_square_independence(counts, 3, 3);
  chi_square_expect_relative(985960.0 / 156009.0, test.statistic);
  EXPECT_EQ(test.dof, 1);
  EXPECT_EQ(test.rows, 2);
  EXPECT_EQ(test.columns, 2);
  EXPECT_EQ(test.cells, 4);
}

TEST(ChiSquareTest, CountsCellsWithSmallExpectedCounts) {
  // E = 1.2, 1.8, 2.8, 4.2: every cell below 5.
  const std::vector<std::int64_t> counts = {1, 2, 3, 4};
  const ChiSquareTest test = chi_square_independence(counts, 2, 2);
  EXPECT_EQ(test.cells_below_5, 4);
  chi_square_expect_relative(1.2, test.min_expected);
  chi_square_expect_relative(0.07936507936507939, test.statistic);
  chi_square_expect_relative(0.7781596861761658, test.p_value, 1e-9);
}

TEST(ChiSquareTest, OneLevelHasNoDegreesOfFreedom) {
  const std::vector<std::int64_t> counts = {4, 6};
  const ChiSquareTest test = chi_square_independence(counts, 1, 2);
  EXPECT_EQ(test.dof, 0);
  EXPECT_EQ(test.p_value, 1.0);
  EXPECT_EQ(test.cramers_v, 0.0);
  EXPECT_THROW(chi_square_independence(counts, 2, 2), std::invalid_argument);
}

}  // namespace
}  // namespace custlens::common
