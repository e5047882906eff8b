// Exact duplicate counting over row fingerprints (64-bit hashes of every field), in bounded
// memory per distinct row: 8 bytes each, kept in sorted, de-duplicated shards.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <span>
#include <vector>

namespace custlens::pipeline {

/// Counts fingerprints seen before, from several threads at once, in any order: the count is
/// the number of rows minus the number of distinct fingerprints, so order does not matter.
class FingerprintCounter {
 public:
  /// Adds one batch's fingerprints. Thread-safe.
  void add(std::span<const std::uint64_t> fingerprints);
  /// Repeated fingerprints among everything added. Call after the last add().
  std::int64_t duplicates();
  /// Fingerprints held (distinct ones, plus those added since a shard was last compacted).
  std::size_t held() const;

 private:
  static constexpr int kShardBits = 8;
  struct Shard {
    std::mutex mutex;
    std::vector<std::uint64_t> values;  ///< [0, sorted) sorted and distinct, then new ones
    std::size_t sorted = 0;
    std::int64_t duplicates = 0;
    void compact();
  };
  std::array<Shard, std::size_t{1} << kShardBits> shards_;
};

}  // namespace custlens::pipeline
