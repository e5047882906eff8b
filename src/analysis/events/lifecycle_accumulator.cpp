// LifecycleAccumulator: a user's distinct active periods mark its stage in each of them and
// the runs of at_risk and churned periods between them; finish() sums the marks per period.
#include "analysis/events/lifecycle_accumulator.h"

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>

#include "custlens/error.h"

namespace custlens::analysis::events {
namespace {

enum Stage { kNew, kActive, kReturning, kAtRisk, kChurned, kUnseen };
constexpr std::array<std::string_view, 6> kStageNames = {"new",     "active",  "returning",
                                                         "at_risk", "churned", "unseen"};

}  // namespace

LifecycleAccumulator::LifecycleAccumulator(const LifecycleOptions& options,
                                           const EventNames& /*names*/, const LocalClock& clock)
    : options_(options), clock_(&clock) {
  if (options_.churn_periods < 1) throw Error("--churn-periods must be at least 1");
}

void LifecycleAccumulator::add_user(std::uint32_t /*user*/, std::span<const Event> events) {
  if (events.empty()) return;
  periods_.clear();
  for (const Event& e : events)
    periods_.push_back(period_index(options_.period, clock_->day(e.ts)));
  std::sort(periods_.begin(), periods_.end());
  periods_.erase(std::unique(periods_.begin(), periods_.end()), periods_.end());
  const std::int64_t n = options_.churn_periods;
  for (std::size_t j = 0; j < periods_.size(); ++j) {
    const std::int64_t p = periods_[j];
    Marks& here = marks_[p];
    if (j == 0) {
      ++here.new_;
    } else if (periods_[j - 1] == p - 1) {
      ++here.active;
    } else {
      ++here.returning;
    }
    // Without an event: at_risk for p + 1 .. p + N - 1, churned from p + N, until the next one.
    const std::int64_t next =
        j + 1 < periods_.size() ? periods_[j + 1] : std::numeric_limits<std::int64_t>::max();
    const std::int64_t risk_end = std::min(p + n, next);
    if (p + 1 < risk_end) {
      ++marks_[p + 1].at_risk_delta;
      if (risk_end != std::numeric_limits<std::int64_t>::max()) --marks_[risk_end].at_risk_delta;
    }
    if (p + n < next) {
      ++marks_[p + n].churned_delta;
      if (next != std::numeric_limits<std::int64_t>::max()) --marks_[next].churned_delta;
    }
  }
  const std::size_t count = periods_.size();
  const bool adjacent = count >= 2 && periods_[count - 2] == periods_[count - 1] - 1;
  ++ends_[{periods_.front(), periods_.back(), adjacent}];
}

void LifecycleAccumulator::merge(const LifecycleAccumulator& other) {
  for (const auto& [p, m] : other.marks_) {
    Marks& into = marks_[p];
    into.new_ += m.new_;
    into.active += m.active;
    into.returning += m.returning;
    into.at_risk_delta += m.at_risk_delta;
    into.churned_delta += m.churned_delta;
  }
  for (const auto& [key, users] : other.ends_) ends_[key] += users;
}

LifecycleResult LifecycleAccumulator::finish(std::int64_t first_day, std::int64_t last_day) const {
  LifecycleResult result;
  const std::int64_t first = period_index(options_.period, first_day);
  const std::int64_t last = period_index(options_.period, last_day);
  std::int64_t at_risk = 0, churned = 0;
  auto it = marks_.begin();
  for (; it != marks_.end() && it->first < first; ++it) {
    at_risk += it->second.at_risk_delta;
    churned += it->second.churned_delta;
  }
  for (std::int64_t p = first; p <= last; ++p) {
    LifecyclePeriod out;
    out.period = period_start_day(options_.period, p);
    if (it != marks_.end() && it->first == p) {
      const Marks& m = it->second;
      out.new_ = m.new_;
      out.active = m.active;
      out.returning = m.returning;
      at_risk += m.at_risk_delta;
      churned += m.churned_delta;
      ++it;
    }
    out.at_risk = at_risk;
    out.churned = churned;
    result.periods.push_back(out);
  }
  // Stage in the first period: new when first seen there (nothing is earlier), else unseen.
  std::map<std::pair<int, int>, std::int64_t> cells;
  for (const auto& [key, users] : ends_) {
    const auto& [user_first, user_last, adjacent] = key;
    const int from = user_first > first ? kUnseen : kNew;
    int to = kChurned;
    if (user_last >= last) {
      to = user_first == user_last ? kNew : adjacent ? kActive : kReturning;
    } else if (last - user_last < options_.churn_periods) {
      to = kAtRisk;
    }
    cells[{from, to}] += users;
  }
  for (const auto& [cell, users] : cells) {
    result.transitions.push_back({std::string(kStageNames[static_cast<std::size_t>(cell.first)]),
                                  std::string(kStageNames[static_cast<std::size_t>(cell.second)]),
                                  users});
  }
  return result;
}

}  // namespace custlens::analysis::events
