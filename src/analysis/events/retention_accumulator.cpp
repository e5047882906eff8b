// RetentionAccumulator: a user adds one to its cohort's size and to each distinct active period.
#include "analysis/events/retention_accumulator.h"

#include <algorithm>

namespace custlens::analysis::events {

RetentionAccumulator::RetentionAccumulator(const RetentionOptions& options, const EventNames& names,
                                           const LocalClock& clock)
    : options_(options), clock_(&clock) {
  if (const auto buy = names.find_behavior("buy")) buy_code_ = *buy;
}

void RetentionAccumulator::add_user(std::uint32_t /*user*/, std::span<const Event> events) {
  if (events.empty()) return;
  const std::int64_t cohort = period_index(options_.period, clock_->day(events.front().ts));
  periods_.clear();
  for (const Event& e : events) {
    if (options_.buy_only && e.behavior != buy_code_) continue;
    periods_.push_back(period_index(options_.period, clock_->day(e.ts)));
  }
  std::sort(periods_.begin(), periods_.end());
  periods_.erase(std::unique(periods_.begin(), periods_.end()), periods_.end());
  Cohort& c = cohorts_[cohort];
  ++c.users;
  for (std::int64_t p : periods_) {
    if (p < cohort) continue;  // only where a zone's clock steps back across midnight
    const auto k = static_cast<std::size_t>(p - cohort);
    if (k >= c.active.size()) c.active.resize(k + 1, 0);
    ++c.active[k];
  }
}

void RetentionAccumulator::merge(const RetentionAccumulator& other) {
  for (const auto& [index, from] : other.cohorts_) {
    Cohort& into = cohorts_[index];
    into.users += from.users;
    if (into.active.size() < from.active.size()) into.active.resize(from.active.size(), 0);
    for (std::size_t k = 0; k < from.active.size(); ++k) into.active[k] += from.active[k];
  }
}

RetentionResult RetentionAccumulator::finish(std::int64_t last_day) const {
  RetentionResult result;
  result.period = options_.period;
  result.event = options_.buy_only ? "buy" : "any";
  const std::int64_t last = period_index(options_.period, last_day);
  for (const auto& [index, c] : cohorts_) {
    RetentionCohort out;
    out.cohort = period_start_day(options_.period, index);
    out.users = c.users;
    const std::int64_t length = std::max<std::int64_t>(last - index + 1, 1);
    out.active.assign(static_cast<std::size_t>(length), 0);
    for (std::size_t k = 0; k < out.active.size() && k < c.active.size(); ++k) {
      out.active[k] = c.active[k];
    }
    for (std::int64_t a : out.active) {
      out.share.push_back(static_cast<double>(a) / static_cast<double>(c.users));
    }
    result.cohorts.push_back(std::move(out));
  }
  return result;
}

}  // namespace custlens::analysis::events
