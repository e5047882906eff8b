// The run store from the command line (docs/store.md): --store, --no-store, --to and
// --source-name, where the store lives by default, and the recording of a finished run.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "io/store.h"

namespace custlens::cli {

struct StoreOptions {
  std::string store;            ///< --store PATH|URL
  bool no_store = false;        ///< --no-store
  std::vector<std::string> to;  ///< --to sqlite:PATH|postgresql://... (repeatable)
  std::string source_name;      ///< --source-name; "" = the first input's file name
};

/// --store, --no-store, --to, --source-name: for the commands that record their runs.
void add_store_options(CLI::App& app, StoreOptions& options);

/// The store a command records into: --store, else $CUSTLENS_STORE, else custlens.db beside the
/// output folder (`out_dir`), else custlens.db in the working directory; none with --no-store or
/// $CUSTLENS_NO_STORE=1.
std::optional<std::string> recording_store(const StoreOptions& options,
                                           const std::optional<std::filesystem::path>& out_dir);

/// recording_store when it already exists (a SQLite file that is there, or a PostgreSQL URL):
/// where a command looks up earlier runs (the playbook's last measured uplift).
std::optional<std::string> readable_store(const StoreOptions& options,
                                          const std::optional<std::filesystem::path>& out_dir);

/// The store history, migrate and campaign read: `store` (--store), else $CUSTLENS_STORE, else
/// custlens.db in the working directory. Throws custlens::Error when a SQLite file is missing.
std::string reading_store(const std::string& store);

/// One run on its way into the store: started when constructed, written by write() once the
/// results exist and before the command commits its outputs (an error then leaves neither).
class RunRecorder {
 public:
  /// `relation`: what a database input reads ("orders" for --table orders, "query" for
  /// --query), "" for files.
  RunRecorder(std::string command, StoreOptions options, std::vector<std::string> inputs,
              std::string relation = {});
  /// The record to fill: id, start, command, source name and version are set.
  io::RunRecord& record() { return record_; }
  /// Where the outputs go (for the default store location).
  void set_out_dir(std::filesystem::path out_dir) { out_dir_ = std::move(out_dir); }
  /// Hashes the input files, then writes the record to each --to target and to the store, one
  /// transaction each; says where on stderr unless `quiet`. Nothing to do with --no-store and no
  /// --to.
  void write(bool quiet);

 private:
  StoreOptions options_;
  std::vector<std::string> inputs_;
  std::string relation_;
  std::optional<std::filesystem::path> out_dir_;
  io::RunRecord record_;
};

}  // namespace custlens::cli
