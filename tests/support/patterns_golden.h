// Test helper: sales patterns against a golden JSON of the pandas reference
// (tests/reference/patterns_reference.py). Integers and text exactly; sums to 1e-9 relative.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "custlens/patterns.h"

namespace custlens::testing {

inline void expect_buckets_match(const std::vector<PatternBucket>& actual,
                                 const nlohmann::json& expected, const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const nlohmann::json& e = expected[i];
    SCOPED_TRACE(fmt::format("{} #{} {}", what, i, e["key"].get<std::string>()));
    EXPECT_EQ(actual[i].key, e["key"].get<std::string>());
    // Tolerance: sums of the same products in another order differ in the last bits only.
    EXPECT_NEAR(actual[i].revenue, e["revenue"].get<double>(),
                1e-9 * std::max(1.0, std::abs(e["revenue"].get<double>())));
    EXPECT_EQ(actual[i].orders, e["orders"].get<std::int64_t>());
    EXPECT_EQ(actual[i].customers, e["customers"].get<std::int64_t>());
    EXPECT_NEAR(actual[i].revenue_share, e["revenue_share"].get<double>(), 1e-12);
    if (e.contains("days")) {
      EXPECT_EQ(actual[i].days, e["days"].get<std::int64_t>());
    }
    if (e.contains("partial")) {
      EXPECT_EQ(actual[i].partial, e["partial"].get<bool>());
    }
  }
}

/// Compares patterns with a golden of tests/reference/patterns_reference.py (tolerances below).
inline void expect_matches_golden(const SalesPatterns& actual, const std::string& golden_name) {
  std::ifstream in(std::string(CUSTLENS_REFERENCE_DIR) + "/golden/" + golden_name);
  ASSERT_TRUE(in) << golden_name;
  const nlohmann::json expected = nlohmann::json::parse(in);
  EXPECT_NEAR(actual.revenue, expected["revenue"].get<double>(), 1e-9 * actual.revenue);
  EXPECT_EQ(actual.lines, expected["lines"].get<std::int64_t>());
  expect_buckets_match(actual.countries, expected["countries"], "country");
  expect_buckets_match(actual.months, expected["months"], "month");
  expect_buckets_match(actual.weekdays, expected["weekdays"], "weekday");
  expect_buckets_match(actual.hours, expected["hours"], "hour");
  EXPECT_EQ(actual.peak_month, expected["peak_month"].get<std::string>());
  EXPECT_EQ(actual.peak_weekday, expected["peak_weekday"].get<std::string>());
  EXPECT_EQ(actual.has_time_of_day, expected["has_time_of_day"].get<bool>());
  if (expected["peak_hour"].is_null()) {
    EXPECT_FALSE(actual.peak_hour.has_value());
  } else {
    EXPECT_EQ(actual.peak_hour, expected["peak_hour"].get<int>());
  }
  EXPECT_EQ(actual.closed_weekdays, expected["closed_weekdays"].get<std::vector<std::string>>());
  EXPECT_EQ(actual.partial_months, expected["partial_months"].get<std::vector<std::string>>());
  const nlohmann::json& categories = expected["categories"];
  ASSERT_EQ(actual.categories.size(), categories.size());
  for (std::size_t i = 0; i < categories.size(); ++i) {
    SCOPED_TRACE(categories[i]["category"].get<std::string>());
    EXPECT_EQ(actual.categories[i].category, categories[i]["category"].get<std::string>());
    EXPECT_NEAR(actual.categories[i].revenue, categories[i]["revenue"].get<double>(),
                1e-9 * actual.revenue);
    EXPECT_EQ(actual.categories[i].lines, categories[i]["lines"].get<std::int64_t>());
    EXPECT_NEAR(actual.categories[i].revenue_share, categories[i]["revenue_share"].get<double>(),
                1e-12);
  }
}

}  // namespace custlens::testing
