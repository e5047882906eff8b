// Distinct counts per group: a (group, entity) bitmap for small products, a hash set otherwise.
#include "common/distinct.h"

#include <absl/container/flat_hash_set.h>

#include <cassert>

namespace custlens::common {

std::vector<std::int64_t> count_distinct_per_group(std::span<const std::uint32_t> group,
                                                   std::size_t num_groups,
                                                   std::span<const std::uint32_t> entity,
                                                   std::size_t num_entities,
                                                   std::uint64_t max_bitmap_bits) {
  assert(group.size() == entity.size());
  std::vector<std::int64_t> counts(num_groups, 0);
  const std::uint64_t bits = static_cast<std::uint64_t>(num_groups) * num_entities;
  if (bits <= max_bitmap_bits) {
    std::vector<std::uint64_t> seen((bits + 63) / 64, 0);
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (group[i] == kNoGroup) continue;
      const std::uint64_t bit = static_cast<std::uint64_t>(group[i]) * num_entities + entity[i];
      const std::uint64_t mask = 1ull << (bit & 63);
      std::uint64_t& word = seen[bit >> 6];
      if ((word & mask) == 0) {
        word |= mask;
        ++counts[group[i]];
      }
    }
    return counts;
  }
  absl::flat_hash_set<std::uint64_t> seen;
  seen.reserve(group.size() / 4);
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (group[i] == kNoGroup) continue;
    const std::uint64_t key = (static_cast<std::uint64_t>(group[i]) << 32) | entity[i];
    if (seen.insert(key).second) ++counts[group[i]];
  }
  return counts;
}

}  // namespace custlens::common
