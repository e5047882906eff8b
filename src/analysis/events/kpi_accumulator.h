// The behaviour KPIs of docs/events.md "KPIs": totals, per local day, per local hour, top
// categories and items. State: counts per day, hour and key; nothing per event or per user.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/events/event.h"

namespace custlens::analysis::events {

struct DayKpis {
  std::int64_t day = 0;  ///< days since 1970-01-01 (local)
  std::int64_t pv = 0, uv = 0, buys = 0, buy_users = 0;
};

struct HourKpis {
  int hour = 0;
  std::int64_t pv = 0, uv = 0, buys = 0;
};

struct KeyKpis {
  std::string key;  ///< category or item name
  std::int64_t pv = 0, users = 0, buys = 0, buy_users = 0;
  std::optional<double> conversion;  ///< buys / pv; null when pv = 0
};

struct BehaviorKpis {
  std::int64_t pv = 0, uv = 0, buy_users = 0, buys = 0;
  std::optional<double> pv_per_uv, conversion_rate, bounce_rate;  ///< null when uv = 0
  std::optional<double> repurchase_rate;                          ///< null when no buyer
  std::vector<DayKpis> days;                                      ///< in time order
  std::vector<HourKpis> hours;                                    ///< all 24
  std::vector<KeyKpis> categories, items;  ///< the top kTopKeys by pv, ties by key text
};

class KpiAccumulator {
 public:
  /// `names` and `clock` must outlive the accumulator. pv and buy are the behaviours named
  /// "pv" and "buy" (absent: their counts are 0).
  KpiAccumulator(const EventNames& names, const LocalClock& clock);
  /// One user's kept events, sorted by (ts, row order).
  void add_user(std::uint32_t user, std::span<const Event> events);
  void merge(const KpiAccumulator& other);
  BehaviorKpis finish() const;

  static constexpr std::size_t kTopKeys = 20;

 private:
  struct Counts {
    std::int64_t pv = 0, users = 0, buys = 0, buy_users = 0;
    void merge(const Counts& o);
  };
  /// Adds the user's events on each distinct key (category or item) to `per_key`.
  void add_keys(std::span<const Event> events, std::uint32_t Event::*key,
                std::vector<Counts>& per_key);
  /// Sorts marks_ by key and adds each key's group once for the user to counts_of(key);
  /// returns the groups with a buy.
  template <class CountsOf>
  std::int64_t tally_marks(CountsOf counts_of);
  std::vector<KeyKpis> top(const std::vector<Counts>& per_key,
                           const std::vector<std::string>& key_names) const;

  const EventNames* names_;
  const LocalClock* clock_;
  int pv_code_ = -1, buy_code_ = -1;
  std::int64_t pv_ = 0, uv_ = 0, buys_ = 0, buy_users_ = 0, repurchasers_ = 0, bouncers_ = 0;
  std::map<std::int64_t, Counts> days_;  // users: uv of the day
  std::array<Counts, 24> hours_{};
  std::vector<Counts> categories_, items_;  // by dense id
  // Scratch reused across users: (key, pv, buy) per event.
  struct Mark {
    std::int64_t key;
    bool pv, buy;
    bool operator<(const Mark& o) const { return key < o.key; }
  };
  std::vector<Mark> marks_;
};

}  // namespace custlens::analysis::events
