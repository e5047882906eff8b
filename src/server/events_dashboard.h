// The dashboard of a behaviour log (docs/events.md "Dashboard"): the page, and the summary and
// report model of a view filtered by local day range and category. A view is the events analysis
// run again on the kept events that pass the filter (pipeline::analyze_view), so that it equals
// `custlens events` on a file holding only those rows, with the whole log's funnel steps; the
// cleaning audit stays the whole file's. Read-only after construction, so safe from many threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analysis/events/behavior_analysis.h"
#include "analysis/events/event.h"
#include "pipeline/behavior_view.h"
#include "pipeline/event_scan.h"
#include "report/events_summary.h"
#include "report/summary.h"
#include "server/dashboard.h"
#include "server/lru_cache.h"

namespace custlens::server {

/// A behaviour log's kept events in memory and what `custlens events` analysed it with.
struct EventsFullData {
  report::InputInfo input;
  std::string layout;
  pipeline::EventAudit audit;  ///< final (after collect_user_events)
  analysis::events::EventNames names;
  pipeline::UserEvents events;
  std::string tz = "UTC";
  /// As given: no funnel steps means the log's default (default_funnel_steps of `names`).
  analysis::events::BehaviorOptions options;
  std::vector<std::pair<std::string, std::string>> steps_map;
  bool dedup = false;
};

struct EventsDashboardData {
  /// Without it, the dashboard serves `summary` and filtered views answer 409 with
  /// `why_no_filters`.
  std::optional<EventsFullData> full;
  nlohmann::json summary;  ///< summary.json as stored (used only without `full`)
  std::string why_no_filters;
};

class EventsDashboard : public DashboardRoutes {
 public:
  /// Runs the whole log's analysis once (throws custlens::Error as `custlens events` would) and
  /// builds the page; `cache_entries` bounds the cached views.
  EventsDashboard(EventsDashboardData data, Lang lang, std::size_t cache_entries = 64);

  /// GET /: the behaviour report page in dashboard mode.
  Reply page() const override;
  /// GET /api/summary?from=&to=&category=: summary.json of the view.
  Reply summary(const QueryParams& params) const override;
  /// GET /api/report?from=&to=&category=&lang=: the report model of the view.
  Reply report(const QueryParams& params) const override;
  /// GET /healthz: status, kind "behavior_log", whether filters work, events, users, cache.
  Reply health() const override;
  /// {"kind": "behavior_log", "from": first local day, "to": last local day, "categories": the
  /// kListedCategories with the most pv (ties by name), "categories_total": all of them,
  /// "filters": bool, "why_no_filters": "..." (only when filters are off)}.
  const nlohmann::json& filter_choices() const { return choices_; }
  /// summary.json of the whole log (unfiltered).
  const nlohmann::json& full_summary() const { return full_->summary; }

  /// The category filter offers this many categories, the most viewed first; any other category
  /// of the log is still accepted in a query.
  static constexpr std::size_t kListedCategories = 200;

 private:
  struct View {
    pipeline::EventFilter filter;
    std::string key;  // "" = unfiltered
    report::EventsSummaryFilter description;
  };
  struct Computed {
    Reply reply;
    nlohmann::json summary;
  };

  View parse_view(const QueryParams& params, bool allow_lang, Lang& lang) const;
  std::shared_ptr<const Computed> compute(const View& view) const;
  Computed compute_uncached(const View& view) const;
  nlohmann::json make_choices() const;

  EventsDashboardData data_;
  Lang lang_;
  std::optional<analysis::events::LocalClock> clock_;
  analysis::events::BehaviorOptions behavior_;  // the funnel steps fixed: the whole log's
  std::shared_ptr<const Computed> full_;
  std::unordered_map<std::string, std::uint32_t> category_ids_;
  std::vector<std::string> listed_categories_;  // the most viewed first
  nlohmann::json choices_;
  std::string page_;
  mutable LruCache<Computed> views_;
  mutable LruCache<std::string> reports_;
};

}  // namespace custlens::server
