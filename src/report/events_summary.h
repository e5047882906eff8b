// What `custlens events` writes: the JSON of docs/events.md "JSON" and the text in English and
// Chinese, from the typed results of the behaviour-log analyses.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "analysis/events/funnel_accumulator.h"
#include "analysis/events/kpi_accumulator.h"
#include "analysis/events/lifecycle_accumulator.h"
#include "analysis/events/retention_accumulator.h"
#include "custlens/lang.h"
#include "report/events_joined.h"

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

/// The whole --json object: audit, kpis, funnel, retention, hours, days, lifecycle,
/// categories, items, tz, and `joined` with the joined view. Undefined ratios are null; days are
/// YYYY-MM-DD.
nlohmann::json events_to_json(const EventsReport& report);
/// The text output: audit, KPIs, the funnel with conversion and drop-off, the retention
/// triangle's shares, top categories, the lifecycle's last period.
std::string events_text(const EventsReport& report, Lang lang);

}  // namespace custlens::report
