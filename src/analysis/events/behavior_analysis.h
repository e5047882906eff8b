// The whole behaviour analysis of docs/events.md over users handed one at a time: KPIs, the
// funnel, retention and lifecycle, as one set of accumulators that `events`, `analyze` and the
// dashboard's filtered views share. One instance per thread, merged at the end.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/events/event.h"
#include "analysis/events/funnel_accumulator.h"
#include "analysis/events/kpi_accumulator.h"
#include "analysis/events/lifecycle_accumulator.h"
#include "analysis/events/retention_accumulator.h"

namespace custlens::analysis::events {

struct BehaviorOptions {
  FunnelOptions funnel;  ///< no steps: no funnel
  RetentionOptions retention;
  int churn_periods = 3;  ///< lifecycle: churned after this many periods without an event
};

struct BehaviorResult {
  BehaviorKpis kpis;
  std::optional<FunnelResult> funnel;  ///< absent when the options name no step
  RetentionResult retention;
  LifecycleResult lifecycle;
};

/// The funnel a log gets without --funnel: pv,cart,buy (pv,buy when it has no cart); empty
/// when it has no pv or no buy.
std::vector<std::string> default_funnel_steps(const EventNames& names);

class BehaviorAnalysis {
 public:
  /// Throws custlens::Error as the accumulators do. `names` and `clock` must outlive it.
  BehaviorAnalysis(const BehaviorOptions& options, const EventNames& names,
                   const LocalClock& clock);
  /// One user's kept events, sorted by (ts, row order).
  void add_user(std::uint32_t user, std::span<const Event> events);
  /// Adds another analysis's users (same options); order does not matter.
  void merge(const BehaviorAnalysis& other);
  /// first_day, last_day: local days of the earliest and latest kept event of all users.
  BehaviorResult finish(std::int64_t first_day, std::int64_t last_day) const;

 private:
  KpiAccumulator kpis_;
  std::optional<FunnelAccumulator> funnel_;
  RetentionAccumulator retention_;
  LifecycleAccumulator lifecycle_;
};

}  // namespace custlens::analysis::events
