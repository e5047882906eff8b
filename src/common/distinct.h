// Distinct counts per group (customers per country, invoices per hour, ...) without per-row maps.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace custlens::common {

/// Group id of a row that belongs to no group.
inline constexpr std::uint32_t kNoGroup = std::numeric_limits<std::uint32_t>::max();

/// For each group g < num_groups, the number of distinct entity ids among the rows with
/// group[i] == g. Rows with group kNoGroup are skipped; entity ids must be < num_entities.
/// Uses a bitmap of num_groups * num_entities bits when that fits max_bitmap_bits, else a hash set.
std::vector<std::int64_t> count_distinct_per_group(std::span<const std::uint32_t> group,
                                                   std::size_t num_groups,
                                                   std::span<const std::uint32_t> entity,
                                                   std::size_t num_entities,
                                                   std::uint64_t max_bitmap_bits = 1ull << 28);

}  // namespace custlens::common
