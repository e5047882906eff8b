// The outlier statistics of one line field (quantity, unit price, amount) without keeping the
// lines: the count of every distinct value, the sum in line order, and the few rows that can
// still turn out to be among the first flagged ones.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "custlens/outliers.h"

namespace custlens::pipeline {

class LineValueStats {
 public:
  /// Where a value came from: a file index, its line and the customer's dense id.
  struct Origin {
    std::uint32_t file = 0;
    std::int64_t line = 0;
    std::uint32_t customer = 0;
  };

  /// Values in row order.
  void add(double value, const Origin& origin) {
    ++counts_[value];
    add_ordered(value, origin);
  }
  /// add() in two parts, for a scan that counts values per batch in parallel: add_counts with
  /// the batch's counts (any order), add_ordered for each of its values in row order.
  void add_counts(const absl::flat_hash_map<double, std::int64_t>& counts) {
    for (const auto& [value, count] : counts) counts_[value] += count;
  }
  void add_ordered(double value, const Origin& origin);

  /// describe_counts of the values with the first kOutlierExamples flagged rows as examples,
  /// exactly those describe_field and clean_orders list.
  OutlierField finish(std::string field, const OutlierOptions& options,
                      const std::vector<std::string>& files,
                      const std::vector<std::string>& customer_ids) const;

  std::size_t distinct_values() const { return counts_.size(); }

 private:
  struct Candidate {
    Origin origin;
    double value = 0;
  };
  // The kOutlierExamples largest (or smallest) values so far, unordered.
  struct Extremes {
    std::array<double, kOutlierExamples> values{};
    std::size_t size = 0;
    std::size_t least = 0;  ///< the least extreme one, once there are kOutlierExamples
  };

  absl::flat_hash_map<double, std::int64_t> counts_;
  double sum_ = 0;
  // A row whose value has kOutlierExamples earlier rows at least as extreme can never be among
  // the first flagged rows (those earlier rows would be flagged first), so only the others are
  // kept: a few dozen for data in random order.
  std::vector<Candidate> high_, low_;
  Extremes highest_, lowest_;
};

}  // namespace custlens::pipeline
