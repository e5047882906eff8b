// Hand-made behaviour logs for the tests of src/analysis/events: names, clocks and events.
#pragma once

#include <cstdint>
#include <vector>

#include "analysis/events/event.h"
#include "common/calendar.h"

namespace custlens::analysis::events::testing {

/// Behaviour codes of names() below.
enum : std::uint16_t { kPv = 0, kFav = 1, kCart = 2, kBuy = 3 };

inline EventNames names() {
  EventNames n;
  n.behaviors = {"pv", "fav", "cart", "buy"};
  n.categories = {"c0", "c1", "c2"};
  n.items = {"i0", "i1", "i2"};
  n.users = {"u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7"};
  return n;
}

/// Unix seconds of a UTC civil time.
inline std::int64_t utc(int year, int month, int day, int hour = 0, int minute = 0,
                        int second = 0) {
  return common::days_from_civil(year, month, day) * common::kSecondsPerDay + hour * 3600 +
         minute * 60 + second;
}

/// An event `hours` after the start of 2017-11-25 UTC.
inline Event at_hour(double hours, std::uint16_t behavior, std::uint32_t user = 0,
                     std::uint32_t category = kNoKey, std::uint32_t item = kNoKey) {
  Event e;
  e.ts = utc(2017, 11, 25) + static_cast<std::int64_t>(hours * 3600);
  e.user = user;
  e.behavior = behavior;
  e.category = category;
  e.item = item;
  return e;
}

/// An event at a UTC civil day and hour.
inline Event on_day(int year, int month, int day, int hour, std::uint16_t behavior,
                    std::uint32_t user = 0, std::uint32_t category = kNoKey,
                    std::uint32_t item = kNoKey) {
  Event e;
  e.ts = utc(year, month, day, hour);
  e.user = user;
  e.behavior = behavior;
  e.category = category;
  e.item = item;
  return e;
}

}  // namespace custlens::analysis::events::testing
