// BehaviorAnalysis: the four accumulators of a behaviour log side by side.
#include "analysis/events/behavior_analysis.h"

namespace custlens::analysis::events {

std::vector<std::string> default_funnel_steps(const EventNames& names) {
  if (!names.find_behavior("pv") || !names.find_behavior("buy")) return {};
  if (names.find_behavior("cart")) return {"pv", "cart", "buy"};
  return {"pv", "buy"};
}

BehaviorAnalysis::BehaviorAnalysis(const BehaviorOptions& options, const EventNames& names,
                                   const LocalClock& clock)
    : kpis_(names, clock),
      retention_(options.retention, names, clock),
      lifecycle_(LifecycleOptions{options.retention.period, options.churn_periods}, names, clock) {
  if (!options.funnel.steps.empty()) funnel_.emplace(options.funnel, names, clock);
}

void BehaviorAnalysis::add_user(std::uint32_t user, std::span<const Event> events) {
  kpis_.add_user(user, events);
  if (funnel_) funnel_->add_user(user, events);
  retention_.add_user(user, events);
  lifecycle_.add_user(user, events);
}

void BehaviorAnalysis::merge(const BehaviorAnalysis& other) {
  kpis_.merge(other.kpis_);
  if (funnel_ && other.funnel_) funnel_->merge(*other.funnel_);
  retention_.merge(other.retention_);
  lifecycle_.merge(other.lifecycle_);
}

BehaviorResult BehaviorAnalysis::finish(std::int64_t first_day, std::int64_t last_day) const {
  BehaviorResult result;
  result.kpis = kpis_.finish();
  if (funnel_) result.funnel = funnel_->finish();
  result.retention = retention_.finish(last_day);
  result.lifecycle = lifecycle_.finish(first_day, last_day);
  return result;
}

}  // namespace custlens::analysis::events
