// RfmAccumulator: compute_rfm's per-customer aggregation, one line at a time.
#include "analysis/rfm_accumulator.h"

#include <limits>

#include "common/calendar.h"

namespace custlens::analysis {
namespace {

constexpr std::uint32_t kNoOwner = pipeline::kNoId;
constexpr std::uint32_t kShared = pipeline::kNoId - 1;

std::uint64_t pair_key(std::uint32_t high, std::uint32_t low) {
  return (static_cast<std::uint64_t>(high) << 32) | low;
}

}  // namespace

void RfmAccumulator::add(std::span<const pipeline::KeptLine> lines) {
  for (const pipeline::KeptLine& line : lines) {
    const std::uint32_t c = line.customer;
    if (c >= state_.size()) {
      state_.resize(c + 1, State{std::numeric_limits<std::int64_t>::max(),
                                 std::numeric_limits<std::int64_t>::min(), KahanSum{}});
      if (by_day_) last_day_.resize(c + 1, std::numeric_limits<std::int64_t>::min());
    }
    State& s = state_[c];
    s.first_ts = std::min(s.first_ts, line.timestamp);
    s.last_ts = std::max(s.last_ts, line.timestamp);
    s.monetary.add(line.amount);
    if (by_day_) {
      // Lines of one customer and day usually follow each other: one set insert per new day.
      const std::int64_t day = common::floor_div(line.timestamp, common::kSecondsPerDay);
      if (day == last_day_[c]) continue;
      last_day_[c] = day;
      customer_days_.insert(pair_key(c, static_cast<std::uint32_t>(day)));
      continue;
    }
    const std::uint32_t inv = line.invoice;
    if (inv >= owner_.size()) owner_.resize(inv + 1, kNoOwner);
    std::uint32_t& owner = owner_[inv];
    if (owner == c) continue;
    if (owner == kNoOwner) {
      owner = c;
      continue;
    }
    if (owner != kShared) {
      shared_pairs_.insert(pair_key(inv, owner));
      owner = kShared;
    }
    shared_pairs_.insert(pair_key(inv, c));
  }
}

CustomerTotals RfmAccumulator::finish(pipeline::LineNames& names) {
  CustomerTotals totals;
  const std::size_t n = state_.size();
  totals.ids = std::move(names.customer_ids);
  names.customer_ids.clear();
  totals.ids.resize(n);
  totals.first_ts.resize(n);
  totals.last_ts.resize(n);
  totals.monetary.resize(n);
  totals.frequency.assign(n, 0);
  for (std::size_t c = 0; c < n; ++c) {
    totals.first_ts[c] = state_[c].first_ts;
    totals.last_ts[c] = state_[c].last_ts;
    totals.monetary[c] = state_[c].monetary.sum;
  }
  state_ = {};
  if (by_day_) {
    for (std::uint64_t key : customer_days_) ++totals.frequency[key >> 32];
  } else {
    for (std::uint32_t owner : owner_) {
      if (owner < n) ++totals.frequency[owner];
    }
    for (std::uint64_t key : shared_pairs_) ++totals.frequency[key & 0xffffffffu];
  }
  return totals;
}

}  // namespace custlens::analysis
