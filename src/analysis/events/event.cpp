// EventNames lookups and LocalClock: abseil's zone lookup, skipped while within one local hour.
#include "analysis/events/event.h"

#include <atomic>

#include "common/calendar.h"
#include "custlens/error.h"

namespace custlens::analysis::events {
namespace {

std::atomic<std::uint64_t> next_clock_id{1};

// One local hour of one clock: [begin, end) in Unix seconds, all at the same UTC offset.
struct HourCache {
  std::uint64_t clock_id = 0;
  std::int64_t begin = 0;
  std::int64_t end = 0;
  std::int64_t offset = 0;
};
thread_local HourCache hour_cache;

constexpr std::int64_t kSecondsPerHour = 3600;

}  // namespace

std::optional<std::uint16_t> EventNames::find_behavior(std::string_view name) const {
  for (std::size_t i = 0; i < behaviors.size(); ++i) {
    if (behaviors[i] == name) return static_cast<std::uint16_t>(i);
  }
  return std::nullopt;
}

LocalClock::LocalClock(const std::string& zone) : zone_(zone), id_(next_clock_id++) {
  if (!absl::LoadTimeZone(zone, &tz_)) {
    throw Error("--tz '" + zone +
                "' is not a time zone: give an IANA name such as UTC, Asia/Shanghai or "
                "America/New_York");
  }
}

std::int64_t LocalClock::offset(std::int64_t ts) const {
  HourCache& cache = hour_cache;
  if (cache.clock_id == id_ && ts >= cache.begin && ts < cache.end) return cache.offset;
  const auto offset_at = [&](std::int64_t t) -> std::int64_t {
    return tz_.At(absl::FromUnixSeconds(t)).offset;
  };
  const std::int64_t off = offset_at(ts);
  const std::int64_t local = ts + off;
  const std::int64_t begin =
      ts - (local - common::floor_div(local, kSecondsPerHour) * kSecondsPerHour);
  const std::int64_t end = begin + kSecondsPerHour;
  // An hour with an offset change inside it (zones that change at :30) is not cached.
  if (offset_at(begin) == off && offset_at(end - 1) == off) cache = {id_, begin, end, off};
  return off;
}

std::int64_t LocalClock::from_local(std::int64_t local_seconds) const {
  const absl::CivilSecond civil = absl::CivilSecond(1970, 1, 1, 0, 0, 0) + local_seconds;
  return absl::ToUnixSeconds(absl::FromCivil(civil, tz_));
}

std::int64_t LocalClock::day(std::int64_t ts) const {
  return common::floor_div(ts + offset(ts), common::kSecondsPerDay);
}

int LocalClock::hour(std::int64_t ts) const {
  const std::int64_t local = ts + offset(ts);
  return static_cast<int>(common::floor_div(local, kSecondsPerHour) -
                          common::floor_div(local, common::kSecondsPerDay) * 24);
}

}  // namespace custlens::analysis::events
