// Funnels over behaviour logs with ClickHouse windowFunnel semantics made exact (docs/events.md
// "Funnel"): the level one user reaches, and the per-step counts and gap times over all users,
// broken down by category, local day or new/returning users. State: per step and per breakdown
// key a user count and one gap time per user reaching the step; nothing per event.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/events/event.h"

namespace custlens::analysis::events {

enum class FunnelMode { kOrdered, kStrict, kStrictOnce };
/// kTier, kProfileTier: by a group per user (the joined view's RFM or profile tier),
/// FunnelOptions::user_group.
enum class FunnelBy { kNone, kCategory, kDay, kNewReturning, kTier, kProfileTier };

/// "ordered", "strict", "strict_once".
std::string_view funnel_mode_name(FunnelMode mode);
/// The inverse of funnel_mode_name; throws custlens::Error naming --mode otherwise.
FunnelMode parse_funnel_mode(std::string_view text);
/// "", "category", "day", "new_returning", "tier", "profile_tier".
std::string_view funnel_by_name(FunnelBy by);
/// The inverse of funnel_by_name (without ""); throws custlens::Error naming --by otherwise.
FunnelBy parse_funnel_by(std::string_view text);

/// A behaviour code no event has: a funnel step absent from the log.
inline constexpr std::uint16_t kNoBehavior = 0xFFFF;

/// The funnel level (0..steps.size()) of one user's events, sorted by (ts, row order); the
/// index in `events` is the row-order tiebreak. steps: behaviour codes, a step may repeat.
/// gaps (optional): resized to steps.size(); gaps[i] for 0 < i < level is at[i] - at[i-1] of
/// the chain that first reached level i + 1; the other entries are 0.
int funnel_level(std::span<const Event> events, std::span<const std::uint16_t> steps,
                 std::int64_t window_seconds, FunnelMode mode, std::vector<std::int64_t>* gaps);

struct FunnelOptions {
  std::vector<std::string> steps;
  std::int64_t window_seconds = 86400;
  FunnelMode mode = FunnelMode::kOrdered;
  FunnelBy by = FunnelBy::kNone;
  /// kTier, kProfileTier: per dense user id its group, an index into group_keys; the breakdown
  /// lists the groups with a user, in group_keys order. Must outlive the accumulator.
  std::span<const std::uint16_t> user_group;
  std::vector<std::string> group_keys;
};

struct FunnelStep {
  std::string step;
  std::int64_t users = 0;                              ///< users whose level >= this step
  std::optional<double> conversion_from_previous;      ///< 1 for the first; null after 0 users
  std::optional<double> conversion_from_first;         ///< null when the first step has 0 users
  std::optional<double> median_seconds_from_previous;  ///< null for the first step / 0 users
  std::optional<double> p90_seconds_from_previous;
};

struct FunnelBreakdown {
  std::string key;  ///< category name, YYYY-MM-DD, "new", "returning" or a group key
  std::vector<FunnelStep> steps;
};

struct FunnelResult {
  FunnelMode mode = FunnelMode::kOrdered;
  std::int64_t window_seconds = 0;
  FunnelBy by = FunnelBy::kNone;
  std::vector<FunnelStep> steps;
  std::vector<FunnelBreakdown> breakdown;  ///< empty without --by
};

/// Users at each level and their gap times, for the whole log or one breakdown key.
struct FunnelTally {
  std::vector<std::int64_t> users;              ///< per step
  std::vector<std::vector<std::int64_t>> gaps;  ///< per step, one per user reaching it
  void add(int level, const std::vector<std::int64_t>& user_gaps);
  void merge(const FunnelTally& other);
};

class FunnelAccumulator {
 public:
  /// Throws custlens::Error for an empty funnel, a negative window or a group breakdown without
  /// groups. `names` and `clock`
  /// must outlive the accumulator.
  FunnelAccumulator(const FunnelOptions& options, const EventNames& names, const LocalClock& clock);
  /// One user's kept events, sorted by (ts, row order).
  void add_user(std::uint32_t user, std::span<const Event> events);
  /// Adds another accumulator's users (of the same options); order does not matter.
  void merge(const FunnelAccumulator& other);
  FunnelResult finish() const;

  /// Breakdowns by category name keep at most this many keys, most step-1 users first.
  static constexpr std::size_t kTopCategories = 20;

 private:
  void tally(std::span<const Event> events, FunnelTally& into);
  /// Runs the funnel on each group of events sharing a key (category or day).
  template <typename KeyOf>
  void add_groups(std::span<const Event> events, KeyOf key_of);
  std::vector<FunnelStep> steps_of(const FunnelTally& tally) const;
  std::string key_name(std::int64_t key) const;

  FunnelOptions options_;
  const EventNames* names_;
  const LocalClock* clock_;
  std::vector<std::uint16_t> codes_;
  FunnelTally total_;
  std::map<std::int64_t, FunnelTally> by_key_;
  // Scratch reused across users, so that a user costs no allocation once warm.
  std::vector<std::int64_t> user_gaps_;
  std::vector<std::pair<std::int64_t, std::uint32_t>> keyed_;
  std::vector<Event> group_;
};

}  // namespace custlens::analysis::events
