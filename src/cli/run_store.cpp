#include "cli/run_store.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "common/calendar.h"
#include "custlens/error.h"
#include "custlens/version.h"
#include "io/database.h"
#include "io/file_digest.h"

namespace custlens::cli {
namespace {

constexpr const char* kDefaultStore = "custlens.db";

std::int64_t now_milliseconds() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "2026-12-04T15:27:02.123Z": to the millisecond, so that runs started in one second keep their
// order in history.
std::string utc_text(std::int64_t milliseconds) {
  std::string text = common::format_timestamp(common::floor_div(milliseconds, 1000));
  text[10] = 'T';  // "2026-12-04 15:27:02"
  return fmt::format("{}.{:03}Z", text, milliseconds % 1000);
}

bool env_set(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' && std::string_view(value) != "0";
}

// The first input's file name; for a database input, its table (or "query").
std::string default_source_name(const std::vector<std::string>& inputs,
                                const std::string& relation) {
  if (inputs.empty()) return {};
  const std::string& first = inputs.front();
  if (io::is_database_url(first)) return relation.empty() ? io::redacted_target(first) : relation;
  if (first == "-") return "stdin";
  return std::filesystem::path(first).filename().string();
}

}  // namespace

void add_store_options(CLI::App& app, StoreOptions& options) {
  app.add_option("--store", options.store,
                 "Run store to record this run in (SQLite file, sqlite:PATH or postgresql://...; "
                 "default: $CUSTLENS_STORE, else custlens.db beside the output folder; "
                 "docs/store.md)");
  app.add_flag("--no-store", options.no_store, "Do not record this run in the run store");
  app.add_option("--to", options.to,
                 "Also write this run to a database: sqlite:PATH or postgresql://user@host/db "
                 "(repeatable; same schema as the store)");
  app.add_option("--source-name", options.source_name,
                 "Name of the data source, for comparing runs (default: the first input's file "
                 "name)");
}

std::optional<std::string> recording_store(const StoreOptions& options,
                                           const std::optional<std::filesystem::path>& out_dir) {
  if (options.no_store) {
    if (!options.store.empty()) throw Error("--store and --no-store cannot be given together");
    return std::nullopt;
  }
  if (!options.store.empty()) return options.store;
  if (env_set("CUSTLENS_NO_STORE")) return std::nullopt;
  if (const char* env = std::getenv("CUSTLENS_STORE"); env != nullptr && *env != '\0') {
    return std::string(env);
  }
  if (out_dir) {
    const std::filesystem::path parent = std::filesystem::absolute(*out_dir).parent_path();
    return (parent / kDefaultStore).string();
  }
  return std::string(kDefaultStore);
}

std::optional<std::string> readable_store(const StoreOptions& options,
                                          const std::optional<std::filesystem::path>& out_dir) {
  std::optional<std::string> store = recording_store(options, out_dir);
  if (!store) return store;
  const std::optional<std::string> file = io::sqlite_file(*store);
  if (file && !std::filesystem::exists(*file)) return std::nullopt;
  return store;
}

std::string reading_store(const std::string& store) {
  std::string target = store;
  if (target.empty()) {
    const char* env = std::getenv("CUSTLENS_STORE");
    target = env != nullptr && *env != '\0' ? env : kDefaultStore;
  }
  const std::optional<std::string> file = io::sqlite_file(target);
  if (file && !std::filesystem::exists(*file)) {
    throw Error(
        fmt::format("{}: no run store there (runs are recorded by analyze, predict, clv, "
                    "events and campaign; --store names another)",
                    *file));
  }
  return target;
}

RunRecorder::RunRecorder(std::string command, StoreOptions options, std::vector<std::string> inputs,
                         std::string relation)
    : options_(std::move(options)), inputs_(std::move(inputs)), relation_(std::move(relation)) {
  const std::int64_t started = now_milliseconds();
  record_.run_id = io::new_run_id(started / 1000);
  record_.started_at = utc_text(started);
  record_.command = std::move(command);
  record_.source_name =
      options_.source_name.empty() ? default_source_name(inputs_, relation_) : options_.source_name;
  record_.custlens_version = std::string(version());
  record_.parameters = "{}";
}

void RunRecorder::write(bool quiet) {
  const std::optional<std::string> store = recording_store(options_, out_dir_);
  if (!store && options_.to.empty()) return;
  record_.inputs.clear();
  for (const std::string& input : inputs_) {
    io::StoredInput stored;
    stored.path = io::is_database_url(input)
                      ? fmt::format("{} ({})", io::redacted_target(input),
                                    relation_.empty() ? "database" : relation_)
                      : input;
    std::error_code error;
    if (!io::is_database_url(input) && std::filesystem::is_regular_file(input, error)) {
      stored.bytes = static_cast<std::int64_t>(std::filesystem::file_size(input));
      stored.sha256 = io::sha256_file(input);
    }
    record_.inputs.push_back(std::move(stored));
  }
  record_.finished_at = utc_text(now_milliseconds());
  std::vector<std::string> targets = options_.to;
  if (store) targets.push_back(*store);
  for (const std::string& target : targets) {
    const auto start = std::chrono::steady_clock::now();
    const std::unique_ptr<io::Database> db = io::open_database(target);
    io::write_run(*db, record_);
    if (!quiet) {
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const std::string customers =
          record_.customer_count > 0 ? fmt::format("{} customers, ", record_.customer_count) : "";
      std::cerr << fmt::format("custlens: recorded run {} in {} ({}{:.2f} s)\n", record_.run_id,
                               db->name(), customers, seconds);
    }
  }
}

}  // namespace custlens::cli
