// `custlens events` (docs/events.md), also run by `analyze` on a behaviour log.
#pragma once

#include <memory>
#include <string>

#include "analysis/events/behavior_analysis.h"
#include "analysis/events/event.h"
#include "cli/common.h"
#include "cli/events_join.h"
#include "cli/run_store.h"
#include "io/row_source.h"
#include "pipeline/event_scan.h"

namespace custlens::cli {

struct EventsCommandOptions {
  InputOptions input;
  IdHashOptions ids;
  EventsJoinOptions join;  ///< --orders, --profiles and what goes with them
  std::string tz = "UTC";
  std::string funnel;
  std::string window = "1d";
  std::string mode = "ordered";
  std::string by;
  std::string period = "day";
  std::string retention_event = "any";
  int churn_periods = 3;
  std::string steps_map;
  std::string memory_limit = "768M";
  std::string tmp_dir;
  std::string out;
  std::string lang;  // "" = zh for Chinese headers, else en
  bool dedup = false;
  bool json = false;
  StoreOptions store;
};

/// Runs the command; `first` is the first input if the caller opened it already.
void run_events(const EventsCommandOptions& options,
                std::unique_ptr<io::RowSource> first = nullptr);

/// The analysis options checked (--funnel, --window, --mode, --by, --period, --retention-event,
/// --churn-periods); throws custlens::Error naming the option. No --funnel: no steps (the
/// caller takes the log's default_funnel_steps).
analysis::events::BehaviorOptions to_behavior_options(const EventsCommandOptions& options);

/// The scan's options (--map, --steps-map, --dedup, the reading options); text timestamps are
/// read in `clock`'s zone, which must outlive the result.
pipeline::EventScanOptions to_event_scan_options(const EventsCommandOptions& options,
                                                 const analysis::events::LocalClock& clock);

/// Registers --tz, --funnel, --window, --mode, --by, --period, --retention-event,
/// --churn-periods and --steps-map: the options that change the analysis, shared by `events`
/// and `serve` (one name and help text each).
void add_behavior_options(CLI::App& app, EventsCommandOptions& options);

/// True when a header reads as a behaviour log: a behaviour column (pv/fav/cart/buy, 行为类型).
bool is_behavior_log_header(const std::vector<std::string>& header,
                            const std::vector<std::string>& maps);

}  // namespace custlens::cli
