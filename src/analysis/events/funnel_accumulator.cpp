// funnel_level (the three modes of docs/events.md "Funnel") and the accumulator over users.
#include "analysis/events/funnel_accumulator.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/calendar.h"
#include "custlens/error.h"

namespace custlens::analysis::events {
namespace {

// One (event, step) match; processed in (ts, step, row) order.
struct Entry {
  std::int64_t ts;
  std::uint32_t step;
  std::uint32_t row;
  bool operator<(const Entry& o) const {
    if (ts != o.ts) return ts < o.ts;
    if (step != o.step) return step < o.step;
    return row < o.row;
  }
};

std::vector<Entry> entries_of(std::span<const Event> events, std::span<const std::uint16_t> steps) {
  std::vector<Entry> entries;
  for (std::size_t r = 0; r < events.size(); ++r) {
    for (std::size_t i = 0; i < steps.size(); ++i) {
      if (events[r].behavior == steps[i]) {
        entries.push_back(
            {events[r].ts, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(r)});
      }
    }
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

// A chain's start, the time and row of its last step.
struct Chain {
  std::int64_t start = 0;
  std::int64_t at = 0;
  std::uint32_t row = 0;
  bool valid = false;
};

// Per level, the chain that reached it with the latest start (equal starts: the one made last),
// and for strict_once the best of those whose last step is another row than the first's.
struct Level {
  Chain latest, other_row;
  void set(const Chain& chain) {
    if (!latest.valid || chain.start >= latest.start) {
      if (latest.valid && latest.row != chain.row) other_row = latest;
      latest = chain;
    } else if (chain.row != latest.row && (!other_row.valid || chain.start >= other_row.start)) {
      other_row = chain;
    }
  }
};

// ordered and strict_once.
int level_ordered(const std::vector<Entry>& entries, std::size_t k, std::int64_t window, bool once,
                  std::vector<std::int64_t>& gaps) {
  std::vector<Level> levels(k);
  int level = 0;
  for (const Entry& e : entries) {
    const std::uint32_t i = e.step;
    Chain chain{e.ts, e.ts, e.row, true};
    if (i > 0) {
      const Level& below = levels[i - 1];
      const Chain& from = once && below.latest.row == e.row ? below.other_row : below.latest;
      if (!from.valid || e.ts > from.start + window) continue;
      if (static_cast<int>(i) == level) gaps[i] = e.ts - from.at;
      chain.start = from.start;
    }
    levels[i].set(chain);
    level = std::max(level, static_cast<int>(i) + 1);
  }
  return level;
}

// strict: one live chain, ended by any funnel-step entry that does not extend it.
int level_strict(const std::vector<Entry>& entries, std::size_t k, std::int64_t window,
                 std::vector<std::int64_t>& gaps) {
  std::vector<std::int64_t> at(k);
  std::vector<std::uint32_t> rows;  // the live chain's rows
  std::int64_t start = 0;
  int live = 0;  // the live chain's level; 0: none
  int level = 0;
  for (const Entry& e : entries) {
    const int i = static_cast<int>(e.step);
    if (i == 0) {
      live = 1;
      start = at[0] = e.ts;
      rows.clear();
    } else if (live == i && e.ts <= start + window) {
      if (level == i) gaps[e.step] = e.ts - at[e.step - 1];
      at[e.step] = e.ts;
      live = i + 1;
    } else {
      // A row already in the chain (a repeated step name) is not another event intervening.
      if (std::find(rows.begin(), rows.end(), e.row) == rows.end()) live = 0;
      continue;
    }
    rows.push_back(e.row);
    level = std::max(level, live);
  }
  return level;
}

// pandas' default quantile: linear between the order statistics around q * (n - 1).
double quantile(const std::vector<std::int64_t>& sorted, double q) {
  const double at = q * static_cast<double>(sorted.size() - 1);
  const auto low = static_cast<std::size_t>(std::floor(at));
  const std::size_t high = std::min(low + 1, sorted.size() - 1);
  const double lo = static_cast<double>(sorted[low]);
  return lo + (at - static_cast<double>(low)) * (static_cast<double>(sorted[high]) - lo);
}

constexpr std::int64_t kNew = 0;
constexpr std::int64_t kReturning = 1;

}  // namespace

std::string_view funnel_mode_name(FunnelMode mode) {
  switch (mode) {
    case FunnelMode::kStrict:
      return "strict";
    case FunnelMode::kStrictOnce:
      return "strict_once";
    case FunnelMode::kOrdered:
      break;
  }
  return "ordered";
}

FunnelMode parse_funnel_mode(std::string_view text) {
  for (FunnelMode mode : {FunnelMode::kOrdered, FunnelMode::kStrict, FunnelMode::kStrictOnce}) {
    if (text == funnel_mode_name(mode)) return mode;
  }
  throw Error("--mode '" + std::string(text) + "' is not one of ordered, strict, strict_once");
}

std::string_view funnel_by_name(FunnelBy by) {
  switch (by) {
    case FunnelBy::kCategory:
      return "category";
    case FunnelBy::kDay:
      return "day";
    case FunnelBy::kNewReturning:
      return "new_returning";
    case FunnelBy::kTier:
      return "tier";
    case FunnelBy::kProfileTier:
      return "profile_tier";
    case FunnelBy::kNone:
      break;
  }
  return "";
}

FunnelBy parse_funnel_by(std::string_view text) {
  for (FunnelBy by : {FunnelBy::kCategory, FunnelBy::kDay, FunnelBy::kNewReturning,
                      FunnelBy::kTier, FunnelBy::kProfileTier}) {
    if (text == funnel_by_name(by)) return by;
  }
  throw Error("--by '" + std::string(text) +
              "' is not one of category, day, new_returning, tier, profile_tier");
}

int funnel_level(std::span<const Event> events, std::span<const std::uint16_t> steps,
                 std::int64_t window_seconds, FunnelMode mode, std::vector<std::int64_t>* gaps) {
  std::vector<std::int64_t> local;
  std::vector<std::int64_t>& out = gaps ? *gaps : local;
  out.assign(steps.size(), 0);
  if (steps.empty()) return 0;
  const std::vector<Entry> entries = entries_of(events, steps);
  if (mode == FunnelMode::kStrict) return level_strict(entries, steps.size(), window_seconds, out);
  return level_ordered(entries, steps.size(), window_seconds, mode == FunnelMode::kStrictOnce, out);
}

void FunnelTally::add(int level, const std::vector<std::int64_t>& user_gaps) {
  if (users.size() < user_gaps.size()) {
    users.resize(user_gaps.size(), 0);
    gaps.resize(user_gaps.size());
  }
  for (int i = 0; i < level; ++i) {
    ++users[i];
    if (i > 0) gaps[i].push_back(user_gaps[i]);
  }
}

void FunnelTally::merge(const FunnelTally& other) {
  if (users.size() < other.users.size()) {
    users.resize(other.users.size(), 0);
    gaps.resize(other.users.size());
  }
  for (std::size_t i = 0; i < other.users.size(); ++i) {
    users[i] += other.users[i];
    gaps[i].insert(gaps[i].end(), other.gaps[i].begin(), other.gaps[i].end());
  }
}

FunnelAccumulator::FunnelAccumulator(const FunnelOptions& options, const EventNames& names,
                                     const LocalClock& clock)
    : options_(options), names_(&names), clock_(&clock) {
  if (options_.steps.empty()) throw Error("--funnel needs at least one step");
  if (options_.window_seconds < 0) throw Error("--window must not be negative");
  for (const std::string& step : options_.steps) {
    codes_.push_back(names.find_behavior(step).value_or(kNoBehavior));
  }
  total_.users.assign(codes_.size(), 0);
  total_.gaps.resize(codes_.size());
  const bool grouped = options_.by == FunnelBy::kTier || options_.by == FunnelBy::kProfileTier;
  if (grouped && options_.group_keys.empty()) {
    throw Error(fmt::format("--by {} needs the joined view's groups (--orders or --profiles)",
                            funnel_by_name(options_.by)));
  }
}

void FunnelAccumulator::tally(std::span<const Event> events, FunnelTally& into) {
  const int level =
      funnel_level(events, codes_, options_.window_seconds, options_.mode, &user_gaps_);
  if (level > 0) into.add(level, user_gaps_);
}

template <typename KeyOf>
void FunnelAccumulator::add_groups(std::span<const Event> events, KeyOf key_of) {
  keyed_.clear();
  for (std::size_t r = 0; r < events.size(); ++r) {
    const std::optional<std::int64_t> key = key_of(events[r]);
    if (key) keyed_.emplace_back(*key, static_cast<std::uint32_t>(r));
  }
  // (key, row): each group keeps the user's (ts, row) order.
  std::sort(keyed_.begin(), keyed_.end());
  for (std::size_t begin = 0; begin < keyed_.size();) {
    std::size_t end = begin;
    group_.clear();
    while (end < keyed_.size() && keyed_[end].first == keyed_[begin].first) {
      group_.push_back(events[keyed_[end].second]);
      ++end;
    }
    tally(group_, by_key_[keyed_[begin].first]);
    begin = end;
  }
}

void FunnelAccumulator::add_user(std::uint32_t user, std::span<const Event> events) {
  if (events.empty()) return;
  tally(events, total_);
  switch (options_.by) {
    case FunnelBy::kNone:
      break;
    case FunnelBy::kCategory:
      add_groups(events, [](const Event& e) -> std::optional<std::int64_t> {
        if (e.category == kNoKey) return std::nullopt;
        return e.category;
      });
      break;
    case FunnelBy::kDay:
      add_groups(events, [this](const Event& e) -> std::optional<std::int64_t> {
        return clock_->day(e.ts);
      });
      break;
    case FunnelBy::kNewReturning: {
      const std::int64_t first = clock_->day(events.front().ts);
      const bool returning = std::any_of(
          events.begin(), events.end(), [&](const Event& e) { return clock_->day(e.ts) != first; });
      tally(events, by_key_[returning ? kReturning : kNew]);
      break;
    }
    case FunnelBy::kTier:
    case FunnelBy::kProfileTier:
      tally(events, by_key_[options_.user_group[user]]);
      break;
  }
}

void FunnelAccumulator::merge(const FunnelAccumulator& other) {
  total_.merge(other.total_);
  for (const auto& [key, tally] : other.by_key_) by_key_[key].merge(tally);
}

std::vector<FunnelStep> FunnelAccumulator::steps_of(const FunnelTally& tally) const {
  std::vector<FunnelStep> steps;
  const std::size_t k = codes_.size();
  const auto user_count = [&](std::size_t i) {
    return i < tally.users.size() ? tally.users[i] : 0;
  };
  const double first = static_cast<double>(user_count(0));
  for (std::size_t i = 0; i < k; ++i) {
    FunnelStep step;
    step.step = options_.steps[i];
    step.users = user_count(i);
    if (i == 0) {
      step.conversion_from_previous = 1.0;
    } else if (user_count(i - 1) > 0) {
      step.conversion_from_previous =
          static_cast<double>(step.users) / static_cast<double>(user_count(i - 1));
    }
    if (first > 0) step.conversion_from_first = static_cast<double>(step.users) / first;
    if (i > 0 && i < tally.gaps.size() && !tally.gaps[i].empty()) {
      std::vector<std::int64_t> sorted = tally.gaps[i];
      std::sort(sorted.begin(), sorted.end());
      step.median_seconds_from_previous = quantile(sorted, 0.5);
      step.p90_seconds_from_previous = quantile(sorted, 0.9);
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

std::string FunnelAccumulator::key_name(std::int64_t key) const {
  switch (options_.by) {
    case FunnelBy::kCategory:
      return static_cast<std::size_t>(key) < names_->categories.size()
                 ? names_->categories[static_cast<std::size_t>(key)]
                 : std::to_string(key);
    case FunnelBy::kDay:
      return common::format_day(key);
    case FunnelBy::kNewReturning:
      return key == kReturning ? "returning" : "new";
    case FunnelBy::kTier:
    case FunnelBy::kProfileTier:
      return options_.group_keys.at(static_cast<std::size_t>(key));
    case FunnelBy::kNone:
      break;
  }
  return "";
}

FunnelResult FunnelAccumulator::finish() const {
  FunnelResult result;
  result.mode = options_.mode;
  result.window_seconds = options_.window_seconds;
  result.by = options_.by;
  result.steps = steps_of(total_);
  // Days with a kept event in time order; new and returning always; categories reached; groups
  // with a user, in group order.
  std::vector<std::pair<std::string, const FunnelTally*>> keys;
  static const FunnelTally kNone;
  if (options_.by == FunnelBy::kNewReturning) {
    for (std::int64_t key : {kNew, kReturning}) {
      const auto it = by_key_.find(key);
      keys.emplace_back(key_name(key), it == by_key_.end() ? &kNone : &it->second);
    }
  }
  const bool grouped = options_.by == FunnelBy::kTier || options_.by == FunnelBy::kProfileTier;
  for (const auto& [key, tally] : by_key_) {
    if (options_.by == FunnelBy::kDay || grouped) keys.emplace_back(key_name(key), &tally);
    const bool reached = !tally.users.empty() && tally.users[0] > 0;
    if (options_.by == FunnelBy::kCategory && reached) keys.emplace_back(key_name(key), &tally);
  }
  if (options_.by == FunnelBy::kCategory) {
    std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
      if (a.second->users[0] != b.second->users[0]) return a.second->users[0] > b.second->users[0];
      return a.first < b.first;
    });
    if (keys.size() > kTopCategories) keys.resize(kTopCategories);
  }
  for (const auto& [name, tally] : keys) result.breakdown.push_back({name, steps_of(*tally)});
  return result;
}

}  // namespace custlens::analysis::events
