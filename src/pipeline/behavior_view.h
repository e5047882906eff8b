// A view of a behaviour log held in memory (UserEvents): the events of some local days and one
// category, analysed as `custlens events` would analyse a file holding only those rows. The
// dashboard's filtered views (docs/events.md "Dashboard") are made here.
#pragma once

#include <cstdint>
#include <optional>

#include "analysis/events/behavior_analysis.h"
#include "analysis/events/event.h"
#include "pipeline/event_scan.h"

namespace custlens::pipeline {

/// Which events a view keeps; an absent part keeps every event.
struct EventFilter {
  std::optional<std::int64_t> from_day;   ///< local days since 1970-01-01, inclusive
  std::optional<std::int64_t> to_day;     ///< inclusive
  std::optional<std::uint32_t> category;  ///< a dense category id; events without one fail it
};

struct BehaviorView {
  analysis::events::BehaviorResult result;
  std::int64_t events = 0;  ///< the events that passed the filter
};

/// Runs the analysis on each user's events that pass `filter` (users with none are left out),
/// in parallel over users, one analysis per thread, merged at the end (every tally is a count
/// or a list sorted when read, so the split does not change the result). Retention and
/// lifecycle run from the first to the last local day of the passing events. Returns nothing
/// when no event passes. Throws custlens::Error as BehaviorAnalysis does.
std::optional<BehaviorView> analyze_view(const UserEvents& store,
                                         const analysis::events::EventNames& names,
                                         const analysis::events::LocalClock& clock,
                                         const analysis::events::BehaviorOptions& options,
                                         const EventFilter& filter);

}  // namespace custlens::pipeline
