// Tests of src/report/summary.cpp: segment_to_json, the one serialiser of a tier's summary.
#include "report/summary.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace custlens::report {
namespace {

std::set<std::string> keys_of(const nlohmann::json& object) {
  std::set<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.insert(key);
  return keys;
}

const SegmentSummary kChampions{.name = "Champions",
                                .name_zh = "冠军客户",
                                .customers = 3,
                                .customer_share = 0.25,
                                .revenue = 1200.5,
                                .revenue_share = 0.6,
                                .mean_recency = 4.5,
                                .mean_frequency = 7,
                                .mean_monetary = 400.25};

TEST(SegmentToJsonTest, EveryFieldUnderItsKey) {
  const nlohmann::json out = segment_to_json(kChampions, kOrderLineShareKey);
  EXPECT_EQ(out, nlohmann::json({{"name", "Champions"},
                                 {"name_zh", "冠军客户"},
                                 {"customers", 3},
                                 {"customer_share", 0.25},
                                 {"revenue", 1200.5},
                                 {"revenue_share", 0.6},
                                 {"mean_recency", 4.5},
                                 {"mean_frequency", 7.0},
                                 {"mean_monetary", 400.25}}));
}

TEST(SegmentToJsonTest, ProfileTablesDifferOnlyInTheShareKey) {
  std::set<std::string> order_lines = keys_of(segment_to_json(kChampions, kOrderLineShareKey));
  std::set<std::string> profiles = keys_of(segment_to_json(kChampions, kProfileShareKey));
  EXPECT_EQ(segment_to_json(kChampions, kProfileShareKey).at("share"), 0.25);
  order_lines.erase("customer_share");
  profiles.erase("share");
  EXPECT_EQ(order_lines, profiles);
  EXPECT_EQ(order_lines.size(), 8u);
}

}  // namespace
}  // namespace custlens::report
