// `custlens serve`: the local dashboard. Reads the data once through the streaming scan and
// analyses it (or reads an analyze folder), then serves the page and the filter API until SIGINT
// or SIGTERM.
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "cli/command.h"
#include "cli/common.h"
#include "cli/events.h"
#include "cli/profile.h"
#include "common/progress.h"
#include "custlens/error.h"
#include "custlens/ingest.h"
#include "io/row_source.h"
#include "report/playbook.h"
#include "report/summary.h"
#include "server/dashboard.h"
#include "server/events_dashboard.h"
#include "server/http_server.h"
#include "server/profile_dashboard.h"

namespace custlens::cli {
namespace {

struct ServeOptions {
  InputOptions input;
  TierOptions tiers;
  EventsCommandOptions events;  // a behaviour log's analysis options (add_behavior_options)
  bool events_options_given = false;
  std::string categories;
  std::string lang;
  std::string host = "127.0.0.1";
  int port = 8080;
  bool dedup = false;
};

// A file descriptor closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

bool is_behavior_summary(const nlohmann::json& summary) {
  return summary.is_object() && summary.contains("events") &&
         summary.value(nlohmann::json::json_pointer("/input/kind"), "") == "behavior_log";
}

nlohmann::json read_summary(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(fmt::format(
        "{}: not found; run `custlens analyze INPUT --out DIR` first, or serve the input files",
        path.string()));
  }
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json summary = nlohmann::json::parse(text.str(), nullptr, false);
  if (is_behavior_summary(summary)) return summary;
  if (summary.is_object() && summary.contains("profile") && !summary.contains("rfm")) {
    const std::string table =
        summary.value(nlohmann::json::json_pointer("/profile/input/files/0"), "TABLE");
    throw Error(fmt::format(
        "{}: a profile analysis; the dashboard serves the table itself: custlens serve {}",
        path.string(), table));
  }
  if (!summary.is_object() || !summary.contains("rfm") || !summary.contains("audit")) {
    throw Error(fmt::format("{}: not a summary.json written by custlens analyze", path.string()));
  }
  return summary;
}

// The options an analysis of `summary` ran with, as far as summary.json records them; options
// given to serve win.
server::FullData reload_inputs(const nlohmann::json& summary, const ServeOptions& options) {
  const nlohmann::json& input = summary["input"];
  InputOptions read = options.input;
  read.inputs = input["files"].get<std::vector<std::string>>();
  read.maps.clear();
  for (const auto& [role, column] : input["roles"].items()) {
    read.maps.push_back(fmt::format("{}={}", role, column.get<std::string>()));
    if (role != "date" || !read.date_format.empty()) continue;
    for (const auto& described : input["columns"]) {
      if (described.value("name", "") == column && described.contains("date_format")) {
        read.date_format = described["date_format"];
      }
    }
  }
  CleanOptions clean_options;
  clean_options.dedup = summary["audit"].value("duplicates_dropped", false);
  clean_options.collect_rejects = false;
  LoadedOrders loaded = load_order_lines(read, clean_options);
  require_kept_lines(loaded);

  TierOptions tiers = options.tiers;
  if (tiers.scheme == "five") tiers.scheme = summary["rfm"].value("scheme", "five");
  if (tiers.as_of.empty()) tiers.as_of = summary["rfm"].value("as_of", "");
  PatternOptions pattern_options;
  pattern_options.category_map = options.categories;
  const std::string source =
      summary.value(nlohmann::json::json_pointer("/patterns/category_source"), "");
  if (pattern_options.category_map.empty() && source != "column") {
    pattern_options.category_map = source;
  }
  server::FullData full;
  full.rfm_options = to_rfm_options(tiers);
  full.pattern_options = pattern_options;
  full.input = input_info(loaded);
  report::Summary again = report::build_summary(loaded.clean.lines, loaded.clean.audit, full.input,
                                                full.rfm_options, pattern_options);
  const nlohmann::json again_json = report::summary_to_json(again);
  // Outlier examples name customers, hashed when analyze had --hash-ids: not compared.
  auto without_examples = [](nlohmann::json audit) {
    if (audit.contains("outliers") && audit["outliers"].contains("fields")) {
      for (nlohmann::json& field : audit["outliers"]["fields"]) field.erase("examples");
    }
    return audit;
  };
  // The input too: the filtered views report the input as read now.
  for (const char* part : {"input", "audit", "rfm", "patterns"}) {
    const bool same = std::string_view(part) == "audit"
                          ? without_examples(again_json[part]) == without_examples(summary[part])
                          : again_json[part] == summary[part];
    if (!same) {
      throw Error(fmt::format(
          "the input files no longer give the {} of summary.json (changed since, or analysed "
          "with other options such as --scoring); serve the input files with their options",
          part));
    }
  }
  full.lines = std::move(loaded.clean.lines);
  full.audit = again.audit;
  full.rfm = std::move(again.rfm);
  full.playbook = report::playbook_from_json(summary.value("playbook", nlohmann::json::array()));
  return full;
}

server::DashboardData load_folder(const std::filesystem::path& folder,
                                  const ServeOptions& options) {
  server::DashboardData data;
  data.summary = read_summary(folder / "summary.json");
  std::vector<std::string> missing;
  const nlohmann::json files =
      data.summary.value(nlohmann::json::json_pointer("/input/files"), nlohmann::json());
  if (!files.is_array() || files.empty()) {
    data.why_no_filters = "summary.json names no input files; filters need them";
    return data;
  }
  for (const auto& file : files) {
    if (!file.is_string() || !std::filesystem::is_regular_file(file.get<std::string>())) {
      missing.push_back(file.is_string() ? file.get<std::string>() : file.dump());
    }
  }
  if (!missing.empty()) {
    data.why_no_filters = fmt::format(
        "filters need the input files named in summary.json, and {} is not there; serve the "
        "input files instead",
        missing.front());
    return data;
  }
  try {
    data.full = reload_inputs(data.summary, options);
  } catch (const Error& e) {
    data.why_no_filters = e.what();
  }
  return data;
}

server::DashboardData load_inputs(const ServeOptions& options,
                                  std::unique_ptr<io::RowSource> first) {
  CleanOptions clean_options;
  clean_options.dedup = options.dedup;
  clean_options.collect_rejects = false;
  LoadedOrders loaded = load_order_lines(options.input, clean_options, std::move(first));
  require_kept_lines(loaded);
  server::FullData full;
  full.rfm_options = to_rfm_options(options.tiers);
  full.pattern_options.category_map = options.categories;
  full.input = input_info(loaded);
  report::Summary summary = report::build_summary(
      loaded.clean.lines, loaded.clean.audit, full.input, full.rfm_options, full.pattern_options);
  // The shipped playbook, as analyze writes it, so that the tiers section shows it here too.
  const report::Playbook playbook = report::Playbook::load(report::default_playbook_path());
  summary.playbook = playbook.for_result(summary.rfm, false);
  full.playbook = summary.playbook;
  server::DashboardData data;
  data.summary = report::summary_to_json(summary);
  full.lines = std::move(loaded.clean.lines);
  full.audit = summary.audit;  // with the per-customer outlier fields of the full analysis
  full.rfm = std::move(summary.rfm);
  data.full = std::move(full);
  return data;
}

bool chinese_roles(const nlohmann::json& summary) {
  std::vector<std::string> names;
  const nlohmann::json roles =
      summary.value(nlohmann::json::json_pointer("/input/roles"), nlohmann::json());
  if (roles.is_object()) {
    for (const auto& [role, column] : roles.items()) {
      if (column.is_string()) names.push_back(column);
    }
  }
  return has_chinese_header(names);
}

// Waits on a signalfd for SIGINT/SIGTERM (blocked in every thread) and on an eventfd that says
// the server ended by itself; stops the server on a signal.
void wait_for_stop(int signals, int done, server::HttpServer& http) {
  pollfd fds[2] = {{signals, POLLIN, 0}, {done, POLLIN, 0}};
  while (::poll(fds, 2, -1) < 0) {
    if (errno != EINTR) break;
  }
  if (fds[0].revents & POLLIN) {
    signalfd_siginfo info;
    if (::read(signals, &info, sizeof(info)) == sizeof(info)) {
      fmt::print(stderr, "custlens: {}: stopping the dashboard\n",
                 info.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
    }
  }
  http.stop();
}

// The first input, opened once: its header tells a profile table from order lines, and the load
// that follows reads it from there (a pipe can be read only once).
std::unique_ptr<io::RowSource> open_first_input(const ServeOptions& options) {
  const std::vector<std::string> files = expand_inputs(options.input.inputs);
  return io::open_input(files.front(), to_read_options(options.input));
}

// A table with one row per customer (a monetary total, no order date) is served as `analyze`
// treats it: the profile analysis, with `custlens profile`'s defaults and --scheme/--scoring.
std::unique_ptr<server::DashboardRoutes> profile_dashboard(const ServeOptions& options,
                                                           std::shared_ptr<void>& threads,
                                                           std::unique_ptr<io::RowSource> first) {
  ProfileCommandOptions command;
  command.scheme = options.tiers.scheme;
  command.scoring = options.tiers.scoring;
  server::ProfileDashboardData data;
  data.options = to_profile_options(command);
  data.playbook = report::ProfilePlaybook::load(report::default_profile_playbook_path());
  LoadedProfiles loaded = load_profiles(options.input, {}, {}, std::move(first));
  threads = loaded.threads;  // --threads holds while the dashboard analyses views
  if (loaded.clean.table.size() == 0) {
    throw Error(
        fmt::format("no customer row survived the checks ({} read); `custlens profile` "
                    "lists the rejects",
                    loaded.clean.audit.rows_read));
  }
  const Lang lang = parse_lang(
      !options.lang.empty() ? options.lang : (has_chinese_header(loaded.header) ? "zh" : "en"));
  data.files = std::move(loaded.files);
  data.encoding = std::move(loaded.encoding);
  data.clean = std::move(loaded.clean);
  return std::make_unique<server::ProfileDashboard>(std::move(data), lang);
}

std::unique_ptr<server::DashboardRoutes> order_dashboard(const ServeOptions& options, bool folder,
                                                         std::unique_ptr<io::RowSource> first) {
  server::DashboardData data = folder ? load_folder(options.input.inputs[0], options)
                                      : load_inputs(options, std::move(first));
  if (!data.full) fmt::print(stderr, "custlens: filters are off: {}\n", data.why_no_filters);
  const Lang lang = parse_lang(!options.lang.empty() ? options.lang
                                                     : (chinese_roles(data.summary) ? "zh" : "en"));
  return std::make_unique<server::Dashboard>(std::move(data), lang);
}

// The missing input file named in a summary's input.files, or a reason it names none; "" when
// every file is there.
std::string missing_input(const nlohmann::json& summary) {
  const nlohmann::json files =
      summary.value(nlohmann::json::json_pointer("/input/files"), nlohmann::json());
  if (!files.is_array() || files.empty())
    return "summary.json names no input files; filters need them";
  for (const auto& file : files) {
    if (!file.is_string() || !std::filesystem::is_regular_file(file.get<std::string>())) {
      return fmt::format(
          "filters need the input files named in summary.json, and {} is not there; serve the "
          "input files instead",
          file.is_string() ? file.get<std::string>() : file.dump());
    }
  }
  return "";
}

// The analysis options of a behaviour log's summary.json: its `options` object, or, for a
// summary without one, what its `events` object shows (churn periods and steps map then take
// their defaults).
EventsCommandOptions recorded_events_options(const nlohmann::json& summary) {
  using nlohmann::json;
  EventsCommandOptions command;
  const json events = summary.value("events", json::object());
  const json recorded = summary.value("options", json());
  const auto text = [](const json& value, const std::string& fallback) {
    return value.is_string() ? value.get<std::string>() : fallback;
  };
  const auto join = [](const json& list, const char* separator, auto item) {
    std::string out;
    if (!list.is_array()) return out;
    for (const json& entry : list) {
      if (!out.empty()) out += separator;
      out += item(entry);
    }
    return out;
  };
  if (recorded.is_object()) {
    command.tz = text(recorded.value("tz", json()), command.tz);
    command.funnel = join(recorded.value("funnel", json()), ",",
                          [](const json& step) { return step.get<std::string>(); });
    command.window = std::to_string(recorded.value("window_seconds", 86400));
    command.mode = text(recorded.value("mode", json()), command.mode);
    command.by = text(recorded.value("by", json()), "");
    command.period = text(recorded.value("period", json()), command.period);
    command.retention_event = text(recorded.value("retention_event", json()), "any");
    command.churn_periods = recorded.value("churn_periods", command.churn_periods);
    command.steps_map = join(recorded.value("steps_map", json()), ",", [](const json& pair) {
      return fmt::format("{}={}", pair.value("from", ""), pair.value("to", ""));
    });
    command.dedup = recorded.value("dedup", false);
    return command;
  }
  command.tz = text(events.value("tz", json()), command.tz);
  const json funnel = events.value("funnel", json());
  if (funnel.is_object()) {
    command.funnel = join(funnel.value("steps", json()), ",",
                          [](const json& step) { return step.value("step", ""); });
    command.window = std::to_string(funnel.value("window_seconds", 86400));
    command.mode = text(funnel.value("mode", json()), command.mode);
    const json breakdown = funnel.value("breakdown", json());
    if (funnel.value("by", json()).is_string()) {
      command.by = funnel["by"].get<std::string>();
    } else if (breakdown.is_array()) {
      // Both keys always, `new` first, for new_returning; every kept day for day.
      const std::string keys =
          join(breakdown, ",", [](const json& b) { return b.value("key", ""); });
      const std::string days =
          join(events.value("days", json()), ",", [](const json& d) { return d.value("day", ""); });
      command.by = keys == "new,returning" ? "new_returning" : keys == days ? "day" : "category";
    }
  }
  const json retention = events.value("retention", json());
  if (retention.is_object()) {
    command.period = text(retention.value("period", json()), command.period);
    command.retention_event = text(retention.value("event", json()), "any");
  }
  const json audit = events.value("audit", json::object());
  const std::int64_t duplicates = audit.value("duplicates", std::int64_t{0});
  command.dedup = duplicates > 0 && audit.value("rows_kept", std::int64_t{0}) ==
                                        audit.value("rows_read", std::int64_t{0}) -
                                            audit.value("malformed", std::int64_t{0}) -
                                            audit.value("missing_customer", std::int64_t{0}) -
                                            duplicates;
  return command;
}

// A behaviour log read once and held in memory for the dashboard: `events`' scan, its audit,
// each user's kept events. `command.input` names the files.
server::EventsFullData load_behavior_log(const EventsCommandOptions& command,
                                         std::shared_ptr<void>& threads,
                                         std::unique_ptr<io::RowSource> first) {
  const analysis::events::LocalClock clock(command.tz);  // checked before reading
  server::EventsFullData full;
  full.options = to_behavior_options(command);
  if (full.options.funnel.by == analysis::events::FunnelBy::kTier ||
      full.options.funnel.by == analysis::events::FunnelBy::kProfileTier) {
    throw Error(fmt::format(
        "--by {}: the tiers come from the joined view of `custlens events --orders/--profiles`; "
        "the dashboard serves the log alone (--by category, day or new_returning)",
        command.by));
  }
  pipeline::EventScanOptions scan = to_event_scan_options(command, clock);
  threads = thread_limit(command.input);  // --threads holds while the dashboard analyses views
  const std::vector<std::string> files = expand_inputs(command.input.inputs);
  common::ProgressBar bar("reading", common::ProgressBar::terminal_wanted(command.input.quiet));
  scan.read.progress = bar.callback();
  pipeline::EventLog log = pipeline::scan_events(files, scan, {}, std::move(first));
  bar.finish();
  if (log.events == 0) {
    throw Error(fmt::format(
        "no event kept: {} rows read, {} malformed, {} without a user; `custlens events --out "
        "DIR` lists the rejects",
        log.audit.rows_read, log.audit.malformed, log.audit.missing_customer));
  }
  full.events = pipeline::collect_user_events(log, command.dedup);
  full.input = report::InputInfo{log.files, log.header, log.roles, {}, log.encoding};
  full.layout = log.layout;
  full.audit = log.audit;
  full.names = std::move(log.names);
  full.tz = clock.zone();
  full.steps_map = scan.steps_map;
  full.dedup = command.dedup;
  return full;
}

// A behaviour log, served as `analyze` treats it: the events analysis, with --tz, --funnel, ...
std::unique_ptr<server::DashboardRoutes> events_dashboard(const ServeOptions& options,
                                                          std::shared_ptr<void>& threads,
                                                          std::unique_ptr<io::RowSource> first) {
  EventsCommandOptions command = options.events;
  command.input = options.input;
  command.dedup = options.dedup;
  const Lang lang = parse_lang(
      !options.lang.empty() ? options.lang : (has_chinese_header(first->header()) ? "zh" : "en"));
  server::EventsDashboardData data;
  data.full = load_behavior_log(command, threads, std::move(first));
  return std::make_unique<server::EventsDashboard>(std::move(data), lang);
}

// The folder of `analyze LOG --out DIR` (or `events --out`): its input files read again with the
// options summary.json records; views need the recomputed analysis to equal the stored one.
std::unique_ptr<server::DashboardRoutes> events_folder_dashboard(const ServeOptions& options,
                                                                 std::shared_ptr<void>& threads,
                                                                 const nlohmann::json& summary) {
  if (options.events_options_given) {
    throw Error(
        "serving an analysis folder takes --tz, --funnel, --window, --mode, --by, --period, "
        "--retention-event, --churn-periods and --steps-map from its summary.json; serve the log "
        "itself to change them");
  }
  const Lang lang =
      parse_lang(!options.lang.empty() ? options.lang : (chinese_roles(summary) ? "zh" : "en"));
  server::EventsDashboardData stored;
  stored.summary = summary;
  stored.why_no_filters = missing_input(summary);
  if (stored.why_no_filters.empty() && summary["events"].contains("joined")) {
    stored.why_no_filters =
        "summary.json holds a joined view (--orders/--profiles), which the dashboard does not "
        "filter; serve the log itself for filters on its own events";
  }
  if (stored.why_no_filters.empty()) {
    try {
      EventsCommandOptions command = recorded_events_options(summary);
      command.input = options.input;
      command.input.inputs = summary["input"]["files"].get<std::vector<std::string>>();
      command.input.maps.clear();
      const nlohmann::json roles = summary["input"].value("roles", nlohmann::json::object());
      for (const auto& [role, column] : roles.items()) {
        if (column.is_string()) {
          command.input.maps.push_back(fmt::format("{}={}", role, column.get<std::string>()));
        }
      }
      server::EventsDashboardData data;
      data.full = load_behavior_log(command, threads, nullptr);
      auto dashboard = std::make_unique<server::EventsDashboard>(std::move(data), lang);
      for (const char* part : {"input", "events"}) {
        if (dashboard->full_summary()[part] != summary[part]) {
          throw Error(fmt::format(
              "the input files no longer give the {} of summary.json (changed since, or analysed "
              "with options it does not record); serve the log with its options",
              part));
        }
      }
      return dashboard;
    } catch (const Error& e) {
      stored.why_no_filters = e.what();
    }
  }
  fmt::print(stderr, "custlens: filters are off: {}\n", stored.why_no_filters);
  return std::make_unique<server::EventsDashboard>(std::move(stored), lang);
}

void run_serve(const ServeOptions& options) {
  // Before any thread exists, so that every thread inherits the mask and only the signalfd
  // sees SIGINT and SIGTERM.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  Fd signals(::signalfd(-1, &stop_signals, SFD_CLOEXEC));
  Fd done(::eventfd(0, EFD_CLOEXEC));
  if (signals.get() < 0 || done.get() < 0) throw Error("cannot set up signal handling");

  const bool folder =
      options.input.inputs.size() == 1 && std::filesystem::is_directory(options.input.inputs[0]);
  if (!options.lang.empty()) parse_lang(options.lang);  // checked before the input
  std::shared_ptr<void> threads;
  std::unique_ptr<io::RowSource> first = folder ? nullptr : open_first_input(options);
  std::unique_ptr<const server::DashboardRoutes> dashboard;
  if (folder) {
    // A behaviour log's folder; order lines' folders are read by order_dashboard.
    const nlohmann::json summary =
        read_summary(std::filesystem::path(options.input.inputs[0]) / "summary.json");
    if (is_behavior_summary(summary))
      dashboard = events_folder_dashboard(options, threads, summary);
  } else if (is_profile_header(first->header())) {
    dashboard = profile_dashboard(options, threads, std::move(first));
  } else if (is_behavior_log_header(first->header(), options.input.maps)) {
    dashboard = events_dashboard(options, threads, std::move(first));
  }
  if (!dashboard) dashboard = order_dashboard(options, folder, std::move(first));

  server::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  server::HttpServer http(*dashboard, server_options);
  const int port = http.bind();
  const std::string host =
      options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  fmt::print(stderr, "custlens: dashboard at http://{}:{}/ (Ctrl-C stops it)\n", host, port);
  if (!server::is_loopback_host(options.host)) {
    fmt::print(stderr,
               "custlens: warning: --host {} makes the dashboard and its data reachable from "
               "other machines, without authentication\n",
               options.host);
  }
  std::fflush(stderr);

  std::thread stopper([&] { wait_for_stop(signals.get(), done.get(), http); });
  try {
    http.run();
  } catch (...) {
    const std::uint64_t one = 1;
    (void)!::write(done.get(), &one, sizeof(one));
    stopper.join();
    throw;
  }
  const std::uint64_t one = 1;
  (void)!::write(done.get(), &one, sizeof(one));
  stopper.join();
}

void setup(CLI::App& app) {
  auto options = std::make_shared<ServeOptions>();
  add_input_options(app, options->input);
  add_tier_options(app, options->tiers);
  app.add_option("--port", options->port, "TCP port (default 8080; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--host", options->host,
                 "Address to listen on (default 127.0.0.1: this machine only)");
  app.add_option("--lang", options->lang, "en or zh (default: zh for Chinese headers, else en)");
  app.add_option("--categories", options->categories,
                 "Keyword -> category map (.toml) for descriptions; default: the shipped one");
  add_behavior_options(app, options->events);
  app.add_flag("--dedup", options->dedup, "Drop exact duplicate lines (rows of a behaviour log)");
  app.callback([options, &app] {
    for (const char* name : {"--tz", "--funnel", "--window", "--mode", "--by", "--period",
                             "--retention-event", "--churn-periods", "--steps-map"}) {
      options->events_options_given = options->events_options_given || app.count(name) > 0;
    }
    run_serve(*options);
  });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(
    serve,
    "Local web dashboard of an analyze folder (DIR) or of input files, with date, country and "
    "tier filters (region, category and tier for a profile table; day range and category for a "
    "behaviour log)",
    setup);

}  // namespace custlens::cli
