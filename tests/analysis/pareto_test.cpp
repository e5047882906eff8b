#include "analysis/pareto.h"

#include <gtest/gtest.h>

#include <vector>

namespace custlens::analysis {
namespace {

std::vector<SegmentSummary> segments_with_revenue(std::vector<double> revenue) {
  std::vector<SegmentSummary> segments(revenue.size());
  for (std::size_t s = 0; s < revenue.size(); ++s) segments[s].revenue = revenue[s];
  return segments;
}

TEST(ParetoTest, HandCheckedShares) {
  // Ranked 50, 20, 10, 10, 10: cumulative 50, 70, 80 reaches 0.8 * 100 at k = 3 of 5.
  std::vector<double> monetary = {10, 50, 10, 20, 10};
  ParetoSummary pareto = compute_pareto(monetary, segments_with_revenue({60, 30, 10}), 100);
  EXPECT_DOUBLE_EQ(pareto.customer_share_for_80pct_revenue, 3.0 / 5);
  EXPECT_DOUBLE_EQ(pareto.top20pct_revenue_share, 0.5);  // ceil(0.2 * 5) = 1 customer
  EXPECT_DOUBLE_EQ(pareto.top_two_tiers_revenue_share, 0.9);
}

TEST(ParetoTest, ReachingExactlyEightyPercentCounts) {
  // 40 + 40 = 80 = 0.8 * 100: k = 2 of 3; ceil(0.2 * 3) = 1 customer holds 40 %.
  std::vector<double> monetary = {20, 40, 40};
  ParetoSummary pareto = compute_pareto(monetary, segments_with_revenue({100}), 100);
  EXPECT_DOUBLE_EQ(pareto.customer_share_for_80pct_revenue, 2.0 / 3);
  EXPECT_DOUBLE_EQ(pareto.top20pct_revenue_share, 0.4);
  EXPECT_DOUBLE_EQ(pareto.top_two_tiers_revenue_share, 1.0);  // one segment: just it
}

TEST(ParetoTest, OneCustomer) {
  std::vector<double> monetary = {12.5};
  ParetoSummary pareto = compute_pareto(monetary, segments_with_revenue({0, 12.5}), 12.5);
  EXPECT_DOUBLE_EQ(pareto.customer_share_for_80pct_revenue, 1.0);
  EXPECT_DOUBLE_EQ(pareto.top20pct_revenue_share, 1.0);
  EXPECT_DOUBLE_EQ(pareto.top_two_tiers_revenue_share, 1.0);
  ASSERT_EQ(pareto.curve.size(), 100u);
  EXPECT_DOUBLE_EQ(pareto.curve.front().first, 0.01);
  EXPECT_DOUBLE_EQ(pareto.curve.front().second, 1.0);  // ceil(0.01 * 1) = the one customer
}

TEST(ParetoTest, AllEqualNeedsEveryoneForEightyPercent) {
  // 25 each: 25, 50, 75 < 80, 100 >= 80 -> k = 4 of 4; top ceil(0.8) = 1 customer: 25 %.
  std::vector<double> monetary = {25, 25, 25, 25};
  ParetoSummary pareto = compute_pareto(monetary, segments_with_revenue({25, 25, 50}), 100);
  EXPECT_DOUBLE_EQ(pareto.customer_share_for_80pct_revenue, 1.0);
  EXPECT_DOUBLE_EQ(pareto.top20pct_revenue_share, 0.25);
  EXPECT_DOUBLE_EQ(pareto.top_two_tiers_revenue_share, 0.5);
}

TEST(ParetoTest, TopTwentyPercentRoundsUp) {
  // n = 6: ceil(1.2) = 2 customers: 60 + 20 of 100.
  std::vector<double> monetary = {5, 20, 5, 60, 5, 5};
  ParetoSummary pareto = compute_pareto(monetary, segments_with_revenue({}), 100);
  EXPECT_DOUBLE_EQ(pareto.top20pct_revenue_share, 0.8);
  EXPECT_DOUBLE_EQ(pareto.customer_share_for_80pct_revenue, 2.0 / 6);
  EXPECT_DOUBLE_EQ(pareto.top_two_tiers_revenue_share, 0.0);
}

TEST(ParetoTest, CurveRisesToOne) {
  std::vector<double> monetary = {10, 50, 10, 20, 10};
  ParetoSummary pareto = compute_pareto(monetary, segments_with_revenue({}), 100);
  ASSERT_EQ(pareto.curve.size(), 100u);
  // At 20 % of customers: the top 1 (50); at 21 %: ceil(1.05) = 2 (70); at 100 %: all.
  EXPECT_DOUBLE_EQ(pareto.curve[19].first, 0.2);
  EXPECT_DOUBLE_EQ(pareto.curve[19].second, 0.5);
  EXPECT_DOUBLE_EQ(pareto.curve[20].second, 0.7);
  EXPECT_DOUBLE_EQ(pareto.curve.back().first, 1.0);
  EXPECT_DOUBLE_EQ(pareto.curve.back().second, 1.0);
  for (std::size_t i = 1; i < pareto.curve.size(); ++i) {
    EXPECT_GE(pareto.curve[i].second, pareto.curve[i - 1].second);
  }
}

TEST(ParetoTest, ConcentrationUsesExactCustomerCounts) {
  // n = 5 < 100: one point per customer count, x = k / 5, from (0, 0) to (1, 1).
  std::vector<double> monetary = {10, 50, 10, 20, 10};
  ParetoSummary pareto = compute_pareto(monetary, segments_with_revenue({}), 100);
  const std::vector<std::pair<double, double>> expected = {{0.0, 0.0}, {0.2, 0.5}, {0.4, 0.7},
                                                           {0.6, 0.8}, {0.8, 0.9}, {1.0, 1.0}};
  ASSERT_EQ(pareto.concentration.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_DOUBLE_EQ(pareto.concentration[i].first, expected[i].first) << i;
    EXPECT_DOUBLE_EQ(pareto.concentration[i].second, expected[i].second) << i;
  }
}

TEST(ParetoTest, ConcentrationHasAHundredAndOnePointsForManyCustomers) {
  // n = 250: k = ceil(2.5 i); the first point after (0, 0) is the top 3 customers (250, 249, 248).
  const std::size_t n = 250;
  std::vector<double> monetary(n);
  for (std::size_t i = 0; i < n; ++i) monetary[i] = static_cast<double>(i + 1);
  const double total = static_cast<double>(n) * (n + 1) / 2;
  ParetoSummary pareto = compute_pareto(monetary, segments_with_revenue({}), total);
  ASSERT_EQ(pareto.concentration.size(), 101u);
  EXPECT_DOUBLE_EQ(pareto.concentration[1].first, 3.0 / n);
  EXPECT_DOUBLE_EQ(pareto.concentration[1].second, (250 + 249 + 248) / total);
  EXPECT_DOUBLE_EQ(pareto.concentration.back().first, 1.0);
  EXPECT_DOUBLE_EQ(pareto.concentration.back().second, 1.0);
}

TEST(ParetoTest, NoRevenueGivesZeros) {
  std::vector<double> monetary = {0, 0};
  ParetoSummary pareto = compute_pareto(monetary, segments_with_revenue({0, 0}), 0);
  EXPECT_EQ(pareto.customer_share_for_80pct_revenue, 0.0);
  EXPECT_EQ(pareto.top20pct_revenue_share, 0.0);
  EXPECT_EQ(pareto.top_two_tiers_revenue_share, 0.0);
  EXPECT_TRUE(pareto.curve.empty());
  EXPECT_TRUE(pareto.concentration.empty());
  EXPECT_EQ(compute_pareto({}, {}, 0).customer_share_for_80pct_revenue, 0.0);
}

TEST(ParetoTest, LargeInputMatchesACountedThreshold) {
  // 40,000 customers (parallel sort): customer i spends i + 1. Top k sum to k (2n - k + 1) / 2.
  const std::size_t n = 40000;
  std::vector<double> monetary(n);
  for (std::size_t i = 0; i < n; ++i) monetary[i] = static_cast<double>(i + 1);
  const double total = static_cast<double>(n) * (n + 1) / 2;
  std::size_t k = 1;
  while (static_cast<double>(k) * (2 * n - k + 1) / 2 < 0.8 * total) ++k;
  ParetoSummary pareto = compute_pareto(monetary, segments_with_revenue({}), total);
  EXPECT_DOUBLE_EQ(pareto.customer_share_for_80pct_revenue, static_cast<double>(k) / n);
  const double top = n / 5.0;
  EXPECT_DOUBLE_EQ(pareto.top20pct_revenue_share, top * (2 * n - top + 1) / 2 / total);
}

}  // namespace
}  // namespace custlens::analysis
