// EventNames lookups and LocalClock: abseil's zone lookup, skipped between two offset changes.
#include "analysis/events/event.h"

#include <atomic>
#include <limits>

#include "common/calendar.h"
#include "custlens/error.h"

namespace custlens::analysis::events {
namespace {

std::atomic<std::uint64_t> next_clock_id{1};

// The span [begin, end) of Unix seconds between two offset changes of one clock: within it local
// time is Unix time plus `offset` (UTC: one span for all time).
struct OffsetCache {
  std::uint64_t clock_id = 0;
  std::int64_t begin = 0;
  std::int64_t end = 0;
  std::int64_t offset = 0;
};
thread_local OffsetCache offset_cache;

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
  OffsetCache& cache = offset_cache;
  if (cache.clock_id == id_ && ts >= cache.begin && ts < cache.end) return cache.offset;
  // One zone lookup per span between transitions (months), not per event or hour.
  const absl::Time at = absl::FromUnixSeconds(ts);
  OffsetCache fresh{id_, std::numeric_limits<std::int64_t>::min(),
                    std::numeric_limits<std::int64_t>::max(), tz_.At(at).offset};
  absl::TimeZone::CivilTransition transition;
  if (tz_.NextTransition(at, &transition)) {
    fresh.end = absl::ToUnixSeconds(tz_.At(transition.to).trans);
  }
  if (tz_.PrevTransition(at + absl::Seconds(1), &transition)) {
    fresh.begin = absl::ToUnixSeconds(tz_.At(transition.to).trans);
  }
  if (fresh.begin <= ts && ts < fresh.end) cache = fresh;
  return fresh.offset;
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
