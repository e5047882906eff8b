// Options and steps shared by the subcommands: input reading, role mapping, order loading.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/run_store.h"
#include "custlens/clean.h"
#include "custlens/ingest.h"
#include "custlens/lang.h"
#include "custlens/outliers.h"
#include "custlens/patterns.h"
#include "custlens/profile.h"
#include "custlens/rfm.h"
#include "custlens/roles.h"
#include "io/output_files.h"
#include "pipeline/order_scan.h"
#include "report/hashed_ids.h"
#include "report/sinks/sink.h"

namespace custlens::cli {

struct InputOptions {
  std::vector<std::string> inputs;
  std::string encoding;
  std::string delimiter;
  std::string sheet;
  std::string format;  ///< --format: a registered source's name; "" = by content and name
  std::string table;   ///< --table: a database input's table
  std::string query;   ///< --query: a database input's SELECT
  std::string date_format;
  std::vector<std::string> maps;  ///< role=column
  int threads = 0;
  bool quiet = false;
};

/// INPUT... plus --encoding, --delimiter, --sheet, --format, --table, --query, --date-format,
/// --map, --threads, --quiet.
void add_input_options(CLI::App& app, InputOptions& options);
/// What a database input reads, as the run store names it: the --table, "query" for --query,
/// "" for files.
std::string database_relation(const InputOptions& options);
/// Throws custlens::Error for a bad --delimiter or a --format that names no registered source.
ReadOptions to_read_options(const InputOptions& options);
/// "role=column" strings as pairs; throws custlens::Error for a malformed one.
std::vector<std::pair<std::string, std::string>> parse_maps(const std::vector<std::string>& maps);

/// --scheme, --scoring, --as-of.
struct TierOptions {
  std::string scheme = "five";
  std::string scoring;
  std::string as_of;
};
void add_tier_options(CLI::App& app, TierOptions& options);
/// Throws custlens::Error for an --as-of that is not YYYY-MM-DD.
/// A YYYY-MM-DD option as Unix seconds at midnight; none when empty; custlens::Error naming
/// `option` otherwise.
std::optional<std::int64_t> parse_date_option(const std::string& text, std::string_view option);
RfmOptions to_rfm_options(const TierOptions& options);
/// Each id's tier name under `rfm` in `lang` ("" for an id `rfm` does not have), in id order.
std::vector<std::string> tier_names(std::span<const std::string> customer_ids,
                                    const RfmResult& rfm, Lang lang);

/// --outliers, --outlier-k, --outlier-action (docs/outliers.md).
struct OutlierCliOptions {
  std::string method = "iqr";
  std::string k;  ///< "" = the method's default; parsed here for a one-line error
  std::string action = "flag";
};
void add_outlier_options(CLI::App& app, OutlierCliOptions& options);
/// Throws custlens::Error for an unknown rule or action, or a k that is not above 0.
OutlierOptions to_outlier_options(const OutlierCliOptions& options);

/// --hash-ids and --salt.
struct IdHashOptions {
  bool hash_ids = false;
  std::string salt;
};
void add_id_hash_options(CLI::App& app, IdHashOptions& options);
/// The hasher of --hash-ids, keyed with --salt or else $CUSTLENS_SALT; nullopt without
/// --hash-ids. Throws custlens::Error when there is no salt, or for --salt without --hash-ids.
std::optional<report::IdHasher> make_id_hasher(const IdHashOptions& options);

struct LoadedOrders {
  std::vector<std::string> files;
  std::vector<std::string> header;
  RoleMap roles;
  std::vector<ColumnInfo> columns;
  std::string encoding;
  CleanResult clean;
};

/// The --threads limit, in force while the returned object lives; null without --threads.
std::shared_ptr<void> thread_limit(const InputOptions& input);
/// read_dataset with a progress bar on stderr when it is a terminal (not with --quiet); throws
/// custlens::Error naming the first file when the files hold no data row.
Dataset read_with_progress(const std::vector<std::string>& files, ReadOptions read, bool quiet,
                           std::unique_ptr<io::RowSource> first = nullptr);

/// Reads the inputs as order lines (roles detected or mapped) and applies the cleaning rules,
/// with a progress bar on a terminal.
/// `first`: the first input, when the caller opened it already.
LoadedOrders load_orders(const InputOptions& input, const CleanOptions& clean_options,
                         std::unique_ptr<io::RowSource> first = nullptr);
/// What summary.json says about the loaded files.
report::InputInfo input_info(const LoadedOrders& loaded);

/// Order lines read once and summed as they stream (docs/pipeline.md): nothing per line is kept.
struct StreamedOrders {
  pipeline::OrderScanResult scan;
  CustomerTotals totals;                  ///< for rfm_from_totals
  std::optional<SalesPatterns> patterns;  ///< when asked for
};

/// More analyses fed by the same scan as RFM: `make` is called once the scan knows its columns
/// and returns the consumers; `finish` after the scan, while the names still hold the customer
/// ids (before the RFM totals take them).
struct ExtraConsumers {
  std::function<std::vector<pipeline::LineConsumer*>(const pipeline::LineNames& columns)> make;
  std::function<void(const pipeline::OrderScanResult& scan)> finish;
};
/// True when the streaming scan can do the job: always, except --outlier-action drop or cap on a
/// pipe or stdin (they read the input twice), which take load_orders.
bool can_stream(const CleanOptions& clean_options, const InputOptions& input);
/// Streams the inputs through the cleaning rules into the RFM totals, with a progress bar on a
/// terminal. `rejects` (null = none; a streaming sink, report/sinks/) gets the rejected rows as
/// the scan goes, their customer ids hashed when `hasher` is given, and is closed at the end.
/// `patterns` (null = none) adds the sales patterns; `first` is the first input if the caller
/// opened it already (to look at its header), else it is opened here.
StreamedOrders stream_orders(const InputOptions& input, const CleanOptions& clean_options,
                             report::RejectWriter* rejects, report::IdHasher* hasher,
                             const PatternOptions* patterns = nullptr,
                             std::unique_ptr<io::RowSource> first = nullptr,
                             const ExtraConsumers* extra = nullptr);
/// The cleaned lines in memory, as load_orders gives them, but read through the streaming scan
/// (pipeline::OrderLinesBuilder): no typed table, the first input opened once (`first`, if the
/// caller opened it already) and read once (twice with outliers dropped or capped). Where the
/// scan cannot do the job (!can_stream: drop or cap on a pipe) it is load_orders. Rejects are
/// collected when clean_options.collect_rejects. The name vectors hold the names of kept lines
/// only (OrderLinesBuilder); every analysis and view of them is the same.
LoadedOrders load_order_lines(const InputOptions& input, const CleanOptions& clean_options,
                              std::unique_ptr<io::RowSource> first = nullptr);
/// What summary.json says about the files a scan read.
report::InputInfo input_info(const pipeline::OrderScanResult& scan);
/// Throws custlens::Error (with the audit counts) when cleaning kept no line.
void require_kept_lines(const CleaningAudit& audit);
/// Throws custlens::Error (with the audit counts) when cleaning kept no line.
void require_kept_lines(const LoadedOrders& loaded);
/// The frame of a command that streams order lines once into its own analysis and writes a
/// summary-only result (clv, predict): the language (--lang, else zh for Chinese headers), the
/// output folder with its rejects.csv, the staged outputs, the scan. Construction streams the
/// inputs; throws custlens::Error when the job cannot stream or cleaning kept no line.
class SummaryCommand {
 public:
  SummaryCommand(std::string_view command, const InputOptions& input, const CleanOptions& clean,
                 const std::string& lang, const std::string& out, report::IdHasher* hasher,
                 const ExtraConsumers* extra);
  Lang lang() const { return lang_; }
  const std::optional<std::filesystem::path>& out_dir() const { return out_dir_; }
  io::OutputFiles& outputs() { return outputs_; }
  StreamedOrders& streamed() { return streamed_; }
  /// summary.json ({input, audit, `key`: result}) and report.html into the folder if there is
  /// one, the run recorded by `recorder` (null: not recorded), every staged output committed,
  /// then `result` (print_json) or `text` on stdout.
  void finish(const std::string& key, const nlohmann::json& result, bool print_json,
              const std::string& text, RunRecorder* recorder = nullptr);

 private:
  std::unique_ptr<io::RowSource> first_;
  Lang lang_;
  std::optional<std::filesystem::path> out_dir_;
  io::OutputFiles outputs_;
  report::SinkContext sinks_;
  std::unique_ptr<report::RejectWriter> rejects_;
  StreamedOrders streamed_;
  bool quiet_ = false;
};

/// `result` as indented JSON (print_json), else `text` and, with an output folder, where it is.
void print_result(const nlohmann::json& result, bool print_json, const std::string& text,
                  Lang lang, const std::optional<std::filesystem::path>& out_dir);

/// A profile table read and checked (roles detected or mapped), with --threads held for the
/// analysis that follows.
struct LoadedProfiles {
  std::vector<std::string> files;
  std::vector<std::string> header;
  std::string encoding;
  ProfileClean clean;
  std::shared_ptr<void> threads;  ///< the --threads limit, while this lives
};

/// Reads the inputs as a profile table and applies the row checks, with a progress bar on a
/// terminal. Throws custlens::Error for missing required roles or no data rows.
/// `first`: the first input, when the caller opened it already.
LoadedProfiles load_profiles(const InputOptions& input,
                             const std::vector<std::string>& features = {},
                             const OutlierOptions& outliers = {},
                             std::unique_ptr<io::RowSource> first = nullptr);

/// True when a header name is not ASCII (Chinese headers make Chinese the default language).
bool has_chinese_header(const std::vector<std::string>& header);

/// Creates `--out DIR` (and its parents) if needed; throws custlens::Error when it cannot.
std::filesystem::path make_out_dir(const std::string& dir);
/// Writes `text` to `path` as is; throws custlens::Error when it cannot.
void write_text(const std::filesystem::path& path, const std::string& text);

}  // namespace custlens::cli
