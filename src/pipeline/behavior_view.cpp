// analyze_view: the users' passing events copied into a per-thread buffer and handed to that
// thread's analysis.
#include "pipeline/behavior_view.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <limits>
#include <vector>

namespace custlens::pipeline {
namespace {

namespace ev = analysis::events;

// One thread's share of a view: its analysis, a buffer for one user's passing events, and the
// span of their timestamps.
struct ViewPart {
  ViewPart(const ev::BehaviorOptions& options, const ev::EventNames& names,
           const ev::LocalClock& clock)
      : analysis(options, names, clock) {}
  ev::BehaviorAnalysis analysis;
  std::vector<ev::Event> kept;
  std::int64_t events = 0;
  std::int64_t min_ts = std::numeric_limits<std::int64_t>::max();
  std::int64_t max_ts = std::numeric_limits<std::int64_t>::min();
};

}  // namespace

std::optional<BehaviorView> analyze_view(const UserEvents& store, const ev::EventNames& names,
                                         const ev::LocalClock& clock,
                                         const ev::BehaviorOptions& options,
                                         const EventFilter& filter) {
  const bool by_day = filter.from_day || filter.to_day;
  const std::int64_t from = filter.from_day.value_or(std::numeric_limits<std::int64_t>::min());
  const std::int64_t to = filter.to_day.value_or(std::numeric_limits<std::int64_t>::max());
  const auto passes = [&](const ev::Event& e) {
    if (filter.category && e.category != *filter.category) return false;
    if (!by_day) return true;
    const std::int64_t day = clock.day(e.ts);
    return from <= day && day <= to;
  };
  // Constructed on a thread's first user: a view touches only the threads it runs on.
  tbb::enumerable_thread_specific<std::optional<ViewPart>> parts;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, store.users(), 256),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      std::optional<ViewPart>& local = parts.local();
                      if (!local) local.emplace(options, names, clock);
                      ViewPart& part = *local;
                      for (std::size_t u = range.begin(); u < range.end(); ++u) {
                        part.kept.clear();
                        for (const ev::Event& e : store.of(u)) {
                          if (passes(e)) part.kept.push_back(e);
                        }
                        if (part.kept.empty()) continue;
                        // Sorted by (timestamp, file order): so is every subset.
                        part.min_ts = std::min(part.min_ts, part.kept.front().ts);
                        part.max_ts = std::max(part.max_ts, part.kept.back().ts);
                        part.events += static_cast<std::int64_t>(part.kept.size());
                        part.analysis.add_user(static_cast<std::uint32_t>(u), part.kept);
                      }
                    });
  ViewPart* total = nullptr;
  for (std::optional<ViewPart>& local : parts) {
    if (!local || local->events == 0) continue;
    if (total == nullptr) {
      total = &*local;
      continue;
    }
    total->analysis.merge(local->analysis);
    total->events += local->events;
    total->min_ts = std::min(total->min_ts, local->min_ts);
    total->max_ts = std::max(total->max_ts, local->max_ts);
  }
  if (total == nullptr) return std::nullopt;
  return BehaviorView{total->analysis.finish(clock.day(total->min_ts), clock.day(total->max_ts)),
                      total->events};
}

}  // namespace custlens::pipeline
