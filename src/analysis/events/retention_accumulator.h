// Cohort retention (docs/events.md "Retention"): cohorts by the period of a user's first kept
// event, active users per later period. State: per (cohort, offset) a count; nothing per event.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "analysis/events/event.h"
#include "analysis/events/period.h"

namespace custlens::analysis::events {

struct RetentionOptions {
  Period period = Period::kDay;
  bool buy_only = false;  ///< --retention-event buy: active means a buy in the period
};

struct RetentionCohort {
  std::int64_t cohort = 0;  ///< day number of the cohort period's first day
  std::int64_t users = 0;
  std::vector<std::int64_t> active;  ///< for k = 0 .. the log's last period
  std::vector<double> share;         ///< active / users
};

struct RetentionResult {
  Period period = Period::kDay;
  std::string event;                     ///< "any" or "buy"
  std::vector<RetentionCohort> cohorts;  ///< in time order
};

class RetentionAccumulator {
 public:
  /// `names` and `clock` must outlive the accumulator.
  RetentionAccumulator(const RetentionOptions& options, const EventNames& names,
                       const LocalClock& clock);
  /// One user's kept events, sorted by (ts, row order).
  void add_user(std::uint32_t user, std::span<const Event> events);
  void merge(const RetentionAccumulator& other);
  /// last_day: the local day of the log's latest kept event.
  RetentionResult finish(std::int64_t last_day) const;

 private:
  struct Cohort {
    std::int64_t users = 0;
    std::vector<std::int64_t> active;  // by period offset k
  };
  RetentionOptions options_;
  const LocalClock* clock_;
  int buy_code_ = -1;
  std::map<std::int64_t, Cohort> cohorts_;  // by period index
  std::vector<std::int64_t> periods_;       // scratch: one user's active periods
};

}  // namespace custlens::analysis::events
