// The joined view of docs/events.md "Joined view": the log's users grouped by a tier they have in
// another table (their RFM tier from order lines, their profile tier from a profile table), and
// per group behaviour figures, the funnel and a pooled retention curve; plus each user's
// behaviour summary for the per-customer rows. State: per group the accumulators' state, per user
// one UserActivity; nothing per event.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/events/behavior_analysis.h"
#include "analysis/events/event.h"

namespace custlens::analysis::events {

/// One user's behaviour in the log (kept events).
struct UserActivity {
  std::int64_t events = 0, pv = 0, favs = 0, carts = 0, buys = 0;
  std::int64_t active_days = 0;  ///< distinct local days with an event
  std::int64_t first_ts = 0, last_ts = 0;
};

/// The step codes UserActivity counts: the behaviours named pv, fav, cart and buy.
struct ActivityCodes {
  int pv = -1, fav = -1, cart = -1, buy = -1;
  explicit ActivityCodes(const EventNames& names);
};

/// Summarises one user's kept events, sorted by (ts, row order); `events` must not be empty.
UserActivity user_activity(std::span<const Event> events, const ActivityCodes& codes,
                           const LocalClock& clock);

/// A grouping of the log's users: per dense user id an index into `keys`; the last key is the
/// users the other table does not have.
struct UserGroups {
  std::vector<std::string> keys;
  std::vector<std::uint16_t> of_user;
};

/// Retention of a group pooled over its cohorts: for each offset k, the users of the cohorts
/// the log covers k periods after, and how many of them were active then.
struct RetentionPoint {
  std::int64_t k = 0;
  std::int64_t users = 0;
  std::int64_t active = 0;
  double share = 0;
};

struct GroupBehavior {
  std::string key;
  std::int64_t users = 0;  ///< log users in the group
  std::int64_t events = 0, pv = 0;
  std::int64_t cart_users = 0, buy_users = 0, buys = 0;
  std::optional<double> pv_per_user, cart_rate, conversion_rate;  ///< null for 0 users
  std::optional<double> mean_active_days;
  std::vector<FunnelStep> funnel;  ///< empty without a funnel
  std::vector<RetentionPoint> retention;
};

class GroupedBehavior {
 public:
  /// `options` gives the funnel (its steps, window, mode) and the retention period and event;
  /// `by` is kTier or kProfileTier. `groups`, `names` and `clock` must outlive it.
  GroupedBehavior(const BehaviorOptions& options, FunnelBy by, const UserGroups& groups,
                  const EventNames& names, const LocalClock& clock);
  /// One user's kept events, sorted by (ts, row order), and its summary.
  void add_user(std::uint32_t user, std::span<const Event> events, const UserActivity& activity);
  /// Adds another instance's users (same options and groups); order does not matter.
  void merge(const GroupedBehavior& other);
  /// Every group with a log user, in key order. last_day: the log's last local day.
  std::vector<GroupBehavior> finish(std::int64_t last_day) const;

 private:
  struct Tally {
    std::int64_t users = 0, events = 0, pv = 0, cart_users = 0, buy_users = 0, buys = 0;
    std::int64_t active_days = 0;
  };
  const UserGroups* groups_;
  std::optional<FunnelAccumulator> funnel_;
  std::vector<RetentionAccumulator> retention_;  // per group
  std::vector<Tally> tallies_;                   // per group
};

}  // namespace custlens::analysis::events
