// Lifecycle stages per period and first-to-last transitions (docs/events.md "Lifecycle").
// State: per period the users entering each stage (as range starts and ends), and per
// (first period, last active period, active the period before) a count; nothing per event.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "analysis/events/event.h"
#include "analysis/events/period.h"

namespace custlens::analysis::events {

struct LifecycleOptions {
  Period period = Period::kDay;
  int churn_periods = 3;  ///< N: churned after N periods without an event
};

struct LifecyclePeriod {
  std::int64_t period = 0;  ///< day number of the period's first day
  std::int64_t new_ = 0, active = 0, returning = 0, at_risk = 0, churned = 0;
};

struct LifecycleTransition {
  std::string from;  ///< a stage in the first period, or "unseen"
  std::string to;    ///< the stage in the last period
  std::int64_t users = 0;
};

struct LifecycleResult {
  std::vector<LifecyclePeriod> periods;          ///< every period of the log, in time order
  std::vector<LifecycleTransition> transitions;  ///< non-empty cells, by stage order
};

class LifecycleAccumulator {
 public:
  /// Throws custlens::Error naming --churn-periods when it is below 1.
  LifecycleAccumulator(const LifecycleOptions& options, const EventNames& names,
                       const LocalClock& clock);
  /// One user's kept events, sorted by (ts, row order).
  void add_user(std::uint32_t user, std::span<const Event> events);
  void merge(const LifecycleAccumulator& other);
  /// first_day, last_day: the local days of the log's earliest and latest kept events.
  LifecycleResult finish(std::int64_t first_day, std::int64_t last_day) const;

 private:
  // Per period: users in a stage there, and +1/-1 where a run of at_risk or churned periods
  // starts or ends.
  struct Marks {
    std::int64_t new_ = 0, active = 0, returning = 0;
    std::int64_t at_risk_delta = 0, churned_delta = 0;
  };
  LifecycleOptions options_;
  const LocalClock* clock_;
  std::map<std::int64_t, Marks> marks_;  // by period index
  // (first period, last active period, active in the period before the last active one)
  std::map<std::tuple<std::int64_t, std::int64_t, bool>, std::int64_t> ends_;
  std::vector<std::int64_t> periods_;  // scratch: one user's active periods
};

}  // namespace custlens::analysis::events
