// UserActivity per user, and GroupedBehavior: the funnel by group, one retention accumulator and
// one tally per group.
#include "analysis/events/joined_view.h"

#include <algorithm>

namespace custlens::analysis::events {
namespace {

int code_of(const EventNames& names, std::string_view behavior) {
  const std::optional<std::uint16_t> code = names.find_behavior(behavior);
  return code ? static_cast<int>(*code) : -1;
}

std::optional<double> ratio(std::int64_t a, std::int64_t b) {
  if (b == 0) return std::nullopt;
  return static_cast<double>(a) / static_cast<double>(b);
}

}  // namespace

ActivityCodes::ActivityCodes(const EventNames& names)
    : pv(code_of(names, "pv")),
      fav(code_of(names, "fav")),
      cart(code_of(names, "cart")),
      buy(code_of(names, "buy")) {}

UserActivity user_activity(std::span<const Event> events, const ActivityCodes& codes,
                           const LocalClock& clock) {
  UserActivity a;
  a.events = static_cast<std::int64_t>(events.size());
  a.first_ts = events.front().ts;
  a.last_ts = events.back().ts;
  std::int64_t last_day = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const int b = events[i].behavior;
    a.pv += b == codes.pv;
    a.favs += b == codes.fav;
    a.carts += b == codes.cart;
    a.buys += b == codes.buy;
    // Sorted by time, so local days only grow (a clock stepping back across midnight aside).
    const std::int64_t day = clock.day(events[i].ts);
    if (i == 0 || day > last_day) {
      ++a.active_days;
      last_day = day;
    }
  }
  return a;
}

GroupedBehavior::GroupedBehavior(const BehaviorOptions& options, FunnelBy by,
                                 const UserGroups& groups, const EventNames& names,
                                 const LocalClock& clock)
    : groups_(&groups), tallies_(groups.keys.size()) {
  if (!options.funnel.steps.empty()) {
    FunnelOptions funnel = options.funnel;
    funnel.by = by;
    funnel.user_group = groups.of_user;
    funnel.group_keys = groups.keys;
    funnel_.emplace(funnel, names, clock);
  }
  retention_.reserve(groups.keys.size());
  for (std::size_t g = 0; g < groups.keys.size(); ++g) {
    retention_.emplace_back(options.retention, names, clock);
  }
}

void GroupedBehavior::add_user(std::uint32_t user, std::span<const Event> events,
                               const UserActivity& activity) {
  if (events.empty()) return;
  const std::size_t g = groups_->of_user[user];
  if (funnel_) funnel_->add_user(user, events);
  retention_[g].add_user(user, events);
  Tally& t = tallies_[g];
  ++t.users;
  t.events += activity.events;
  t.pv += activity.pv;
  t.cart_users += activity.carts > 0;
  t.buy_users += activity.buys > 0;
  t.buys += activity.buys;
  t.active_days += activity.active_days;
}

void GroupedBehavior::merge(const GroupedBehavior& other) {
  if (funnel_ && other.funnel_) funnel_->merge(*other.funnel_);
  for (std::size_t g = 0; g < tallies_.size(); ++g) {
    retention_[g].merge(other.retention_[g]);
    Tally& t = tallies_[g];
    const Tally& o = other.tallies_[g];
    t.users += o.users;
    t.events += o.events;
    t.pv += o.pv;
    t.cart_users += o.cart_users;
    t.buy_users += o.buy_users;
    t.buys += o.buys;
    t.active_days += o.active_days;
  }
}

std::vector<GroupBehavior> GroupedBehavior::finish(std::int64_t last_day) const {
  std::vector<FunnelBreakdown> funnels;
  if (funnel_) funnels = funnel_->finish().breakdown;
  std::vector<GroupBehavior> out;
  for (std::size_t g = 0; g < tallies_.size(); ++g) {
    const Tally& t = tallies_[g];
    if (t.users == 0) continue;
    GroupBehavior group;
    group.key = groups_->keys[g];
    group.users = t.users;
    group.events = t.events;
    group.pv = t.pv;
    group.cart_users = t.cart_users;
    group.buy_users = t.buy_users;
    group.buys = t.buys;
    group.pv_per_user = ratio(t.pv, t.users);
    group.cart_rate = ratio(t.cart_users, t.users);
    group.conversion_rate = ratio(t.buy_users, t.users);
    group.mean_active_days = ratio(t.active_days, t.users);
    for (FunnelBreakdown& f : funnels) {
      if (f.key == group.key) group.funnel = std::move(f.steps);
    }
    const RetentionResult retention = retention_[g].finish(last_day);
    for (const RetentionCohort& cohort : retention.cohorts) {
      for (std::size_t k = 0; k < cohort.active.size(); ++k) {
        if (k >= group.retention.size()) {
          group.retention.push_back({static_cast<std::int64_t>(k), 0, 0, 0});
        }
        group.retention[k].users += cohort.users;
        group.retention[k].active += cohort.active[k];
      }
    }
    for (RetentionPoint& point : group.retention) {
      point.share = static_cast<double>(point.active) / static_cast<double>(point.users);
    }
    out.push_back(std::move(group));
  }
  return out;
}

}  // namespace custlens::analysis::events
