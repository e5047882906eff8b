// The events of a behaviour log as the analyses see them (dense ids, Unix seconds), the names
// behind the ids, and local civil time in one IANA zone (docs/events.md "Time").
#pragma once

#include <absl/time/time.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace custlens::analysis::events {

inline constexpr std::uint32_t kNoKey = 0xFFFFFFFF;  ///< item/category absent

struct Event {
  std::int64_t ts = 0;          ///< Unix seconds (UTC)
  std::uint32_t user = 0;       ///< dense id into EventNames::users
  std::uint32_t item = kNoKey;  ///< dense id into EventNames::items
  std::uint32_t category = kNoKey;
  std::uint16_t behavior = 0;  ///< dense id into EventNames::behaviors (after --steps-map)
};

/// Names of the dense ids (the scan interns them in first-seen order).
struct EventNames {
  std::vector<std::string> users, items, categories, behaviors;
  /// The id of a behaviour name, if the log has it.
  std::optional<std::uint16_t> find_behavior(std::string_view name) const;
};

/// Local civil time of Unix seconds in one IANA zone, by abseil's zoneinfo (DST included).
/// Safe to share between threads: the cache of the current span between offset changes is per
/// thread.
class LocalClock {
 public:
  /// Throws custlens::Error naming --tz when `zone` is not a time zone.
  explicit LocalClock(const std::string& zone);
  /// Unix seconds of a naive local date-time given as seconds since 1970-01-01 00:00 (local);
  /// a time repeated or skipped by a clock change takes the offset before the change.
  std::int64_t from_local(std::int64_t local_seconds) const;
  /// Days since 1970-01-01 of the local date.
  std::int64_t day(std::int64_t ts) const;
  /// Local hour, 0..23.
  int hour(std::int64_t ts) const;
  /// Local seconds since 1970-01-01 00:00 (local) of Unix seconds.
  std::int64_t local_seconds(std::int64_t ts) const { return ts + offset(ts); }
  const std::string& zone() const { return zone_; }

 private:
  /// Seconds to add to `ts` to get local seconds since 1970-01-01 00:00 (local).
  std::int64_t offset(std::int64_t ts) const;

  std::string zone_;
  absl::TimeZone tz_;
  std::uint64_t id_;  // tells this clock's cache entries from another's on the same thread
};

}  // namespace custlens::analysis::events
