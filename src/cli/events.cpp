// `custlens events`: KPIs, funnels, cohort retention and lifecycle stages of a behaviour log
// (docs/events.md). One scan keeps the events compactly, grouped by user afterwards; each user's
// events go to per-thread analyses, merged at the end (docs/events.md, "Implementation").
#include "cli/events.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/events/behavior_analysis.h"
#include "analysis/events/event.h"
#include "cli/command.h"
#include "cli/common.h"
#include "common/progress.h"
#include "custlens/error.h"
#include "io/csv_writer.h"
#include "io/output_files.h"
#include "pipeline/event_scan.h"
#include "report/events_summary.h"
#include "report/hashed_ids.h"
#include "report/json_output.h"
#include "report/run_record.h"
#include "report/sinks/sink.h"
#include "report/summary.h"

namespace custlens::cli {
namespace {

namespace ev = analysis::events;

// "30m", "2h", "1d", "45s" or plain seconds.
std::int64_t parse_window(const std::string& text) {
  std::size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = text.substr(used);
  std::int64_t scale = 0;
  if (unit.empty() || unit == "s") scale = 1;
  if (unit == "m") scale = 60;
  if (unit == "h") scale = 3600;
  if (unit == "d") scale = 86400;
  if (used == 0 || scale == 0 || value <= 0) {
    throw Error(fmt::format("--window '{}': a positive length like 30m, 2h, 1d or 86400", text));
  }
  return static_cast<std::int64_t>(value) * scale;
}

// "768M", "2G", "64K" or bytes.
std::size_t parse_size(const std::string& text) {
  std::size_t used = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = text.substr(used);
  std::size_t scale = 0;
  if (unit.empty()) scale = 1;
  if (unit == "K" || unit == "k") scale = std::size_t{1} << 10;
  if (unit == "M" || unit == "m") scale = std::size_t{1} << 20;
  if (unit == "G" || unit == "g") scale = std::size_t{1} << 30;
  if (used == 0 || scale == 0 || value == 0) {
    throw Error(fmt::format("--memory-limit '{}': a size like 512M or 2G", text));
  }
  return static_cast<std::size_t>(value) * scale;
}

ev::FunnelMode parse_mode(const std::string& text) {
  if (text == "ordered") return ev::FunnelMode::kOrdered;
  if (text == "strict") return ev::FunnelMode::kStrict;
  if (text == "strict_once") return ev::FunnelMode::kStrictOnce;
  throw Error(fmt::format("--mode '{}': choose ordered, strict or strict_once", text));
}

ev::FunnelBy parse_by(const std::string& text) {
  if (text.empty()) return ev::FunnelBy::kNone;
  if (text == "category") return ev::FunnelBy::kCategory;
  if (text == "day") return ev::FunnelBy::kDay;
  if (text == "new_returning") return ev::FunnelBy::kNewReturning;
  if (text == "tier") return ev::FunnelBy::kTier;
  if (text == "profile_tier") return ev::FunnelBy::kProfileTier;
  throw Error(
      fmt::format("--by '{}': choose category, day, new_returning, tier or profile_tier", text));
}

ev::Period parse_period(const std::string& text) {
  if (text == "day") return ev::Period::kDay;
  if (text == "week") return ev::Period::kWeek;
  if (text == "month") return ev::Period::kMonth;
  throw Error(fmt::format("--period '{}': choose day, week or month", text));
}

std::vector<std::string> split_steps(const std::string& text) {
  std::vector<std::string> steps;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    std::string step =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const std::size_t first = step.find_first_not_of(' ');
    step = first == std::string::npos ? ""
                                      : step.substr(first, step.find_last_not_of(' ') - first + 1);
    if (step.empty()) throw Error(fmt::format("--funnel '{}': an empty step", text));
    steps.push_back(std::move(step));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return steps;
}

}  // namespace

ev::BehaviorOptions to_behavior_options(const EventsCommandOptions& options) {
  ev::BehaviorOptions behavior;
  behavior.funnel.window_seconds = parse_window(options.window);
  behavior.funnel.mode = parse_mode(options.mode);
  behavior.funnel.by = parse_by(options.by);
  if (!options.funnel.empty()) behavior.funnel.steps = split_steps(options.funnel);
  behavior.retention.period = parse_period(options.period);
  if (options.retention_event != "any" && options.retention_event != "buy") {
    throw Error(fmt::format("--retention-event '{}': choose any or buy", options.retention_event));
  }
  behavior.retention.buy_only = options.retention_event == "buy";
  if (options.churn_periods < 1) throw Error("--churn-periods must be at least 1");
  behavior.churn_periods = options.churn_periods;
  return behavior;
}

pipeline::EventScanOptions to_event_scan_options(const EventsCommandOptions& options,
                                                 const ev::LocalClock& clock) {
  pipeline::EventScanOptions scan;
  scan.read = to_read_options(options.input);
  scan.maps = parse_maps(options.input.maps);
  scan.steps_map = pipeline::parse_steps_map(options.steps_map);
  scan.dedup = options.dedup;
  scan.from_local = [&clock](std::int64_t local) { return clock.from_local(local); };
  return scan;
}

void add_behavior_options(CLI::App& app, EventsCommandOptions& options) {
  app.add_option("--tz", options.tz,
                 "IANA time zone of days and hours, e.g. Asia/Shanghai (default UTC)");
  app.add_option("--funnel", options.funnel,
                 "Funnel steps, comma-separated behaviour names (default pv,cart,buy when the log "
                 "has them)");
  app.add_option("--window", options.window,
                 "Longest time from a funnel's first step to its last: 30m, 2h, 1d (default) or "
                 "seconds");
  app.add_option("--mode", options.mode,
                 "Funnel mode: ordered (default), strict or strict_once (docs/events.md)");
  app.add_option("--by", options.by,
                 "Funnel breakdown: category, day, new_returning, tier (RFM tier with --orders, "
                 "else profile tier) or profile_tier");
  app.add_option("--period", options.period,
                 "Retention cohorts and lifecycle periods: day (default), week or month");
  app.add_option("--retention-event", options.retention_event,
                 "What makes a user active in retention: any (default) event or a buy");
  app.add_option("--churn-periods", options.churn_periods,
                 "Periods without an event after which a user is churned (default 3)");
  app.add_option("--steps-map", options.steps_map,
                 "Rename raw behaviours to step names: 'view=pv,addcart=cart'");
}

void run_events(const EventsCommandOptions& options, std::unique_ptr<io::RowSource> first) {
  // Checked before reading: a typo costs no scan.
  const ev::LocalClock clock(options.tz);
  const ev::BehaviorOptions given = to_behavior_options(options);
  const std::size_t memory_limit = parse_size(options.memory_limit);
  std::optional<report::IdHasher> hasher = make_id_hasher(options.ids);
  EventsJoinOptions join_options = options.join;
  join_options.threads = options.input.threads;
  join_options.quiet = options.input.quiet;
  const bool joining = !join_options.orders.empty() || !join_options.profiles.empty();
  if (!joining && !join_options.customers.empty()) {
    throw Error("--customers needs --orders or --profiles: the table joins the log with them");
  }
  if (given.funnel.by == ev::FunnelBy::kTier && !joining) {
    throw Error("--by tier needs --orders (RFM tiers) or --profiles (profile tiers)");
  }
  if (given.funnel.by == ev::FunnelBy::kProfileTier && join_options.profiles.empty()) {
    throw Error("--by profile_tier needs --profiles");
  }

  pipeline::EventScanOptions scan = to_event_scan_options(options, clock);
  const std::shared_ptr<void> threads = thread_limit(options.input);
  const std::vector<std::string> files = expand_inputs(options.input.inputs);
  RunRecorder recorder("events", options.store, files, database_relation(options.input));
  if (!first) first = io::open_input(files.front(), scan.read);
  // The tables beside the log are read first: a bad one costs no scan of the log.
  EventsJoin join(join_options);
  const Lang lang = parse_lang(
      !options.lang.empty() ? options.lang : (has_chinese_header(first->header()) ? "zh" : "en"));
  std::optional<std::filesystem::path> out_dir;
  if (!options.out.empty()) out_dir = make_out_dir(options.out);
  io::OutputFiles outputs;
  const report::SinkContext sinks{outputs, lang, options.input.quiet ? nullptr : &std::cerr};
  std::unique_ptr<report::RejectWriter> rejects;
  if (out_dir) rejects = report::open_reject_sink("rejects.csv", sinks, *out_dir / "rejects.csv");
  pipeline::RejectSink sink;
  if (rejects) {
    sink = [&](std::span<Reject> batch) {
      if (hasher) report::hash_reject_ids(batch, *hasher);
      rejects->add(batch);
    };
  }

  common::ProgressBar bar("reading", common::ProgressBar::terminal_wanted(options.input.quiet));
  scan.read.progress = bar.callback();
  pipeline::EventLog log =
      pipeline::scan_events(files, scan, sink, std::move(first), memory_limit, options.tmp_dir);
  bar.finish();
  if (rejects) rejects->close();
  if (log.events == 0) {
    outputs.commit();  // the rejects say why
    throw Error(fmt::format("no event kept: {} rows read, {} malformed, {} without a user",
                            log.audit.rows_read, log.audit.malformed, log.audit.missing_customer));
  }
  if (join.active()) join.match(log.names.users, lang);
  ev::BehaviorOptions behavior = given;
  const ev::UserGroups* by_groups =
      given.funnel.by == ev::FunnelBy::kTier
          ? (join.has_orders() ? join.rfm_groups() : join.profile_groups())
          : (given.funnel.by == ev::FunnelBy::kProfileTier ? join.profile_groups() : nullptr);
  if (by_groups) {
    behavior.funnel.user_group = by_groups->of_user;
    behavior.funnel.group_keys = by_groups->keys;
  }
  // The default funnel needs the Taobao vocabulary: pv,cart,buy (pv,buy without carts).
  if (behavior.funnel.steps.empty()) behavior.funnel.steps = ev::default_funnel_steps(log.names);

  common::ProgressBar stage("analysing", common::ProgressBar::terminal_wanted(options.input.quiet));
  std::vector<ev::BehaviorAnalysis> analyses;
  // The joined view: per user its activity (written by the one thread that has the user), per
  // thread the groups' accumulators.
  const ev::ActivityCodes codes(log.names);
  std::vector<ev::UserActivity> activity(join.active() ? log.names.users.size() : 0);
  std::vector<ev::GroupedBehavior> by_rfm, by_profile;
  // One analysis per thread, merged at the end: their merges do not depend on which users each
  // one saw.
  pipeline::for_each_user(
      log, options.dedup,
      [&](std::size_t slot, std::uint32_t user, std::span<const ev::Event> events) {
        analyses[slot].add_user(user, events);
        if (!join.active() || events.empty()) return;
        activity[user] = ev::user_activity(events, codes, clock);
        if (join.has_orders()) by_rfm[slot].add_user(user, events, activity[user]);
        if (join.has_profiles()) by_profile[slot].add_user(user, events, activity[user]);
      },
      [&](std::size_t slots) {
        for (std::size_t b = 0; b < slots; ++b) {
          analyses.emplace_back(behavior, log.names, clock);
          if (join.has_orders()) {
            by_rfm.emplace_back(behavior, ev::FunnelBy::kTier, *join.rfm_groups(), log.names,
                                clock);
          }
          if (join.has_profiles()) {
            by_profile.emplace_back(behavior, ev::FunnelBy::kProfileTier, *join.profile_groups(),
                                    log.names, clock);
          }
        }
      });
  for (std::size_t b = 1; b < analyses.size(); ++b) {
    analyses[0].merge(analyses[b]);
    if (join.has_orders()) by_rfm[0].merge(by_rfm[b]);
    if (join.has_profiles()) by_profile[0].merge(by_profile[b]);
  }
  const std::int64_t last_day = clock.day(log.max_ts);
  ev::BehaviorResult result = analyses[0].finish(clock.day(log.min_ts), last_day);
  report::EventsReport view =
      report::make_events_report(log.audit, clock.zone(), std::move(result));
  if (join.active()) {
    view.joined = join.view(
        join.has_orders() ? by_rfm[0].finish(last_day) : std::vector<ev::GroupBehavior>(),
        join.has_profiles() ? by_profile[0].finish(last_day) : std::vector<ev::GroupBehavior>());
  }
  stage.finish();

  const nlohmann::json json = report::events_to_json(view);
  report::require_finite_numbers(json, "the behaviour analysis");
  if (out_dir) {
    const report::EventsSummary summary{
        report::InputInfo{log.files, log.header, log.roles, {}, log.encoding},
        log.layout,
        given,
        scan.steps_map,
        options.dedup,
        view,
        std::nullopt};
    const report::SinkResults results(report::events_summary_to_json(summary));
    report::write_sink("summary.json", results, sinks, *out_dir / "summary.json");
    report::write_sink("report.html", results, sinks, *out_dir / "report.html");
  }
  // The per-customer table of the joined view: --customers, and customers.csv in the folder.
  std::vector<std::filesystem::path> customer_files;
  if (!options.join.customers.empty()) customer_files.emplace_back(options.join.customers);
  if (out_dir && join.active()) customer_files.push_back(*out_dir / "customers.csv");
  for (const std::filesystem::path& path : customer_files) {
    io::CsvWriter writer(outputs.open(path));
    join.write_customers(writer, activity, clock, hasher ? &*hasher : nullptr);
  }
  io::RunRecord& record = recorder.record();
  record.hashed_ids = hasher.has_value();
  record.parameters =
      nlohmann::json{{"tz", options.tz},         {"funnel", options.funnel},
                     {"window", options.window}, {"mode", options.mode},
                     {"period", options.period}, {"retention_event", options.retention_event},
                     {"dedup", options.dedup}}
          .dump();
  report::add_json_kpis(record, json, report::events_kpis());
  if (out_dir) recorder.set_out_dir(*out_dir);
  recorder.write(options.input.quiet);
  outputs.commit();
  print_result(json, options.json, options.json ? std::string() : report::events_text(view, lang),
               lang, out_dir);
}

bool is_behavior_log_header(const std::vector<std::string>& header,
                            const std::vector<std::string>& maps) {
  return detect_roles(header, parse_maps(maps)).has(Role::kBehavior);
}

namespace {

void setup(CLI::App& app) {
  auto options = std::make_shared<EventsCommandOptions>();
  add_input_options(app, options->input);
  add_behavior_options(app, *options);
  app.add_option("--memory-limit", options->memory_limit,
                 "Events held in memory before the rest goes to spill files (default 768M)");
  app.add_option("--tmp-dir", options->tmp_dir,
                 "Folder of the spill files (default: the system's temporary folder)");
  app.add_option("--orders", options->join.orders,
                 "Order lines of the same customers: funnel and retention by RFM tier, and RFM "
                 "in the per-customer table (docs/events.md, joined view)");
  app.add_option("--profiles", options->join.profiles,
                 "A profile table of the same customers: funnel and retention by profile tier");
  app.add_option("--orders-map", options->join.orders_maps,
                 "role=column for the --orders file, as --map is for the log");
  app.add_option("--profiles-map", options->join.profiles_maps,
                 "role=column for the --profiles file, as --map is for the log");
  add_tier_options(app, options->join.tiers);
  app.add_option("--profile-tiers", options->join.profile_tiers,
                 "Profile tiers by rules (default) or clusters, as `custlens profile --tiers`");
  app.add_option("--customers", options->join.customers,
                 "Write the per-customer table (behaviour joined with RFM and profile tiers) here");
  app.add_option("--out,-o", options->out,
                 "Output folder: summary.json, report.html, rejects.csv (customers.csv with "
                 "--orders/--profiles)");
  app.add_option("--lang", options->lang, "en or zh (default: zh for Chinese headers, else en)");
  add_id_hash_options(app, options->ids);
  add_store_options(app, options->store);
  app.add_flag("--dedup", options->dedup, "Drop exact duplicate rows");
  app.add_flag("--json", options->json, "Print one JSON object on stdout");
  app.callback([options] { run_events(*options); });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(
    events,
    "Behaviour logs (pv/fav/cart/buy): KPIs, windowed funnels, cohort retention and lifecycle "
    "stages, in local time",
    setup);

}  // namespace custlens::cli
