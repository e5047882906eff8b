#include "common/distinct.h"

#include <gtest/gtest.h>

#include <vector>

namespace custlens::common {
namespace {

TEST(DistinctTest, CountsDistinctEntitiesPerGroupAndSkipsNoGroup) {
  const std::vector<std::uint32_t> group = {0, 0, 1, 1, 1, kNoGroup, 2, 0};
  const std::vector<std::uint32_t> entity = {5, 5, 5, 6, 7, 8, 0, 1};
  const std::vector<std::int64_t> expected = {2, 3, 1, 0};
  EXPECT_EQ(count_distinct_per_group(group, 4, entity, 9), expected);
  // The hash-set path (bitmap budget of 0 bits) gives the same counts.
  EXPECT_EQ(count_distinct_per_group(group, 4, entity, 9, 0), expected);
}

TEST(DistinctTest, BitmapAndHashPathsAgreeOnLargerInput) {
  std::vector<std::uint32_t> group, entity;
  std::uint64_t state = 12345;
  for (int i = 0; i < 50000; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    group.push_back(static_cast<std::uint32_t>((state >> 33) % 24));
    entity.push_back(static_cast<std::uint32_t>((state >> 13) % 3000));
  }
  const auto bitmap = count_distinct_per_group(group, 24, entity, 3000);
  const auto hashed = count_distinct_per_group(group, 24, entity, 3000, 0);
  EXPECT_EQ(bitmap, hashed);
  std::int64_t total = 0;
  for (auto count : bitmap) total += count;
  EXPECT_GT(total, 24 * 1000);
  EXPECT_LE(total, 24 * 3000);
}

TEST(DistinctTest, EmptyInput) {
  EXPECT_EQ(count_distinct_per_group({}, 3, {}, 0), (std::vector<std::int64_t>{0, 0, 0}));
}

}  // namespace
}  // namespace custlens::common
