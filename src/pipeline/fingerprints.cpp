// FingerprintCounter: sharded vectors, sorted and de-duplicated when their unsorted tail has
// grown as large as their sorted part (8 bytes per distinct row; a hash set takes 10-20).
#include "pipeline/fingerprints.h"

#include <algorithm>

namespace custlens::pipeline {

void FingerprintCounter::Shard::compact() {
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(sorted);
  std::sort(middle, values.end());
  std::inplace_merge(values.begin(), middle, values.end());
  const auto end = std::unique(values.begin(), values.end());
  duplicates += values.end() - end;
  values.erase(end, values.end());
  sorted = values.size();
}

void FingerprintCounter::add(std::span<const std::uint64_t> fingerprints) {
  constexpr std::size_t kShards = std::size_t{1} << kShardBits;
  // The batch grouped by shard first, so each shard is locked once per batch.
  std::vector<std::uint64_t> grouped(fingerprints.begin(), fingerprints.end());
  std::sort(grouped.begin(), grouped.end());
  std::size_t begin = 0;
  while (begin < grouped.size()) {
    const std::size_t shard = grouped[begin] >> (64 - kShardBits);
    std::size_t end = begin;
    while (end < grouped.size() && (grouped[end] >> (64 - kShardBits)) == shard) ++end;
    Shard& s = shards_[shard % kShards];
    const std::lock_guard lock(s.mutex);
    s.values.insert(s.values.end(), grouped.begin() + static_cast<std::ptrdiff_t>(begin),
                    grouped.begin() + static_cast<std::ptrdiff_t>(end));
    if (s.values.size() - s.sorted >= std::max<std::size_t>(s.sorted, 4096)) s.compact();
    begin = end;
  }
}

std::int64_t FingerprintCounter::duplicates() {
  std::int64_t total = 0;
  for (Shard& s : shards_) {
    const std::lock_guard lock(s.mutex);
    s.compact();
    total += s.duplicates;
  }
  return total;
}

std::size_t FingerprintCounter::held() const {
  std::size_t total = 0;
  for (const Shard& s : shards_) total += s.values.size();
  return total;
}

}  // namespace custlens::pipeline
