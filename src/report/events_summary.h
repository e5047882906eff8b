// What `custlens events` writes: the JSON of docs/events.md "JSON" and the text in English and
// Chinese, from the typed results of the behaviour-log analyses.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/events/behavior_analysis.h"
#include "analysis/events/funnel_accumulator.h"
#include "analysis/events/kpi_accumulator.h"
#include "analysis/events/lifecycle_accumulator.h"
#include "analysis/events/retention_accumulator.h"
#include "custlens/lang.h"
#include "pipeline/event_scan.h"
#include "report/events_joined.h"
#include "report/summary.h"

namespace custlens::report {

struct EventsReport {
  // The cleaning audit (docs/events.md "Cleaning audit").
  std::int64_t rows_read = 0;
  std::int64_t malformed = 0;
  std::int64_t missing_customer = 0;
  std::int64_t duplicates = 0;
  std::int64_t rows_kept = 0;
  std::string tz;
  analysis::events::BehaviorKpis kpis;
  /// Absent without --funnel when the log has no kept pv or no kept buy: `funnel` is null.
  std::optional<analysis::events::FunnelResult> funnel;
  analysis::events::RetentionResult retention;
  analysis::events::LifecycleResult lifecycle;
  /// With --orders or --profiles: the joined view (JSON key `joined`, absent otherwise).
  std::optional<JoinedView> joined;
};

/// The report of an analysis: `audit` the whole log's (also in a dashboard view), the results
/// of the users and events analysed.
EventsReport make_events_report(const pipeline::EventAudit& audit, std::string tz,
                                analysis::events::BehaviorResult result);

/// summary.json's `filter` for a view of the behaviour-log dashboard; each part written when set.
struct EventsSummaryFilter {
  std::optional<std::string> from;      ///< YYYY-MM-DD, a local day
  std::optional<std::string> to;        ///< YYYY-MM-DD, inclusive
  std::optional<std::string> category;  ///< a category name of the log
};

/// What summary.json of a behaviour log is written from (`events --out`, `analyze LOG`, the
/// dashboard's views).
struct EventsSummary {
  InputInfo input;
  std::string layout;  ///< "taobao_user_behavior" for the headerless Taobao layout, else ""
  /// The options as given (no funnel steps: the log's default), recorded so that `serve DIR`
  /// runs its views with them.
  analysis::events::BehaviorOptions options;
  std::vector<std::pair<std::string, std::string>> steps_map;
  bool dedup = false;
  EventsReport report;
  std::optional<EventsSummaryFilter> filter;  ///< set for a filtered view of the dashboard
};

/// {"input" (kind "behavior_log", layout), "options" {tz, funnel (null: the default),
/// window_seconds, mode, by (null: none), period, retention_event, churn_periods, steps_map [{from,
/// to}], dedup}, "events" (events_to_json), "filter" (when set)}.
nlohmann::json events_summary_to_json(const EventsSummary& summary);

/// The whole --json object: audit, kpis, funnel, retention, hours, days, lifecycle,
/// categories, items, tz, and `joined` with the joined view. Undefined ratios are null; days are
/// YYYY-MM-DD.
nlohmann::json events_to_json(const EventsReport& report);
/// The text output: audit, KPIs, the funnel with conversion and drop-off, the retention
/// triangle's shares, top categories, the lifecycle's last period.
std::string events_text(const EventsReport& report, Lang lang);

}  // namespace custlens::report
