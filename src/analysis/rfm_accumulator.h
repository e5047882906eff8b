// The per-customer sums behind RFM, built one kept line at a time as the scan streams: memory
// per customer and per distinct invoice (or customer-day), none per line.
#pragma once

#include <absl/container/flat_hash_set.h>

#include <cstdint>
#include <span>
#include <vector>

#include "analysis/scoring.h"
#include "custlens/rfm.h"
#include "pipeline/kept_line.h"

namespace custlens::analysis {

class RfmAccumulator final : public pipeline::LineConsumer {
 public:
  /// by_day: the input has no invoice column, so frequency counts distinct purchase days.
  explicit RfmAccumulator(bool by_day) : by_day_(by_day) {}

  /// Lines in file order, from one thread; ids dense in order of first appearance.
  void add(std::span<const pipeline::KeptLine> lines) override;
  /// Customer, invoice, time and amount only.
  pipeline::NameFields needs() const override { return {false, false, false}; }
  /// The totals of every customer seen, with its id from `names`; equal to what compute_rfm
  /// sums from the same lines. The ids are moved out of `names` (ten million of them are 320 MB).
  CustomerTotals finish(pipeline::LineNames& names);

  /// Bytes held per customer and per distinct invoice (or customer-day), for docs and tests.
  static constexpr std::size_t kBytesPerCustomer = 40;

 private:
  struct State {
    std::int64_t first_ts;
    std::int64_t last_ts;
    KahanSum monetary;
  };
  bool by_day_;
  std::vector<State> state_;
  // Invoices: the one customer seen with each, or kShared; (invoice, customer) pairs of the
  // shared ones. Days: the last day added per customer, and every distinct (customer, day).
  std::vector<std::uint32_t> owner_;
  absl::flat_hash_set<std::uint64_t> shared_pairs_;
  std::vector<std::int64_t> last_day_;
  absl::flat_hash_set<std::uint64_t> customer_days_;
};

}  // namespace custlens::analysis
