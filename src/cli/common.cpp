// Shared CLI plumbing: reading options and the read → roles → clean pipeline.
#include "cli/common.h"

#include <absl/container/flat_hash_map.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <tbb/global_control.h>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>

#include "analysis/pattern_accumulator.h"
#include "analysis/rfm_accumulator.h"
#include "common/progress.h"
#include "custlens/error.h"
#include "io/csv_dialect.h"
#include "io/dates.h"
#include "io/output_files.h"
#include "io/source_registry.h"
#include "pipeline/order_lines_builder.h"
#include "report/sinks/sink.h"
#include "report/summary.h"

namespace custlens::cli {

void add_input_options(CLI::App& app, InputOptions& options) {
  app.add_option("inputs", options.inputs,
                 "Input files (CSV, TSV, XLSX) or glob patterns, or a database: "
                 "postgresql://user@host:port/db or sqlite:PATH with --table or --query")
      ->required();
  app.add_option("--encoding", options.encoding,
                 "Input encoding (utf-8, latin-1, gbk, gb18030, ...); detected by default");
  app.add_option("--delimiter", options.delimiter,
                 "CSV delimiter (',' ';' 'tab' '|', or 'space'/'whitespace': runs of spaces and "
                 "tabs separate aligned columns); sniffed by default");
  app.add_option("--sheet", options.sheet, "XLSX sheet name (default: the first sheet)");
  app.add_option("--format", options.format,
                 fmt::format("Input format, one of {} (default: from the content and the file "
                             "name; e.g. --format csv for a CSV file named .xlsx)",
                             fmt::join(io::source_names(), ", ")));
  app.add_option("--table", options.table,
                 "A database input's table (TABLE or SCHEMA.TABLE; docs/databases.md)");
  app.add_option("--query", options.query,
                 "A database input's own SELECT, e.g. --query 'SELECT * FROM orders WHERE ...'");
  app.add_option("--date-format", options.date_format,
                 "strptime-style date format, e.g. '%m/%d/%y %H:%M'; sniffed by default");
  app.add_option("--map", options.maps,
                 "Column role override role=column (customer, invoice, date, quantity, price, "
                 "amount, country, sku, description, category)");
  app.add_option("--threads", options.threads, "Worker threads (default: every core)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--quiet,-q", options.quiet, "No progress bar or informational output on stderr");
}

std::string database_relation(const InputOptions& options) {
  if (!options.table.empty()) return options.table;
  return options.query.empty() ? std::string() : std::string("query");
}

ReadOptions to_read_options(const InputOptions& options) {
  ReadOptions read;
  read.encoding = options.encoding;
  if (!options.delimiter.empty()) {
    if (options.delimiter == "tab" || options.delimiter == "\\t") {
      read.delimiter = '\t';
    } else if (options.delimiter == "space" || options.delimiter == "whitespace") {
      read.delimiter = io::kWhitespaceDelimiter;
    } else if (options.delimiter.size() == 1) {
      read.delimiter = options.delimiter[0];
    } else {
      throw Error(fmt::format("--delimiter must be one character, 'tab' or 'space', not '{}'",
                              options.delimiter));
    }
  }
  read.sheet = options.sheet;
  if (!options.format.empty()) read.format = io::find_source(options.format).name;
  read.table = options.table;
  read.query = options.query;
  read.date_format = options.date_format;
  read.threads = options.threads;
  return read;
}

std::vector<std::pair<std::string, std::string>> parse_maps(const std::vector<std::string>& maps) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const std::string& map : maps) {
    auto eq = map.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == map.size()) {
      throw Error(
          fmt::format("--map '{}' must look like role=column, e.g. --map customer=user_id", map));
    }
    pairs.emplace_back(map.substr(0, eq), map.substr(eq + 1));
  }
  return pairs;
}

void add_tier_options(CLI::App& app, TierOptions& options) {
  app.add_option("--scheme", options.scheme,
                 "Tier scheme: five (default), cn8, rfm11, or a rules file (.toml)");
  app.add_option("--scoring", options.scoring,
                 "Fixed-bin scoring file (.toml); default: quintile ranks");
  app.add_option("--as-of", options.as_of,
                 "As-of date YYYY-MM-DD (default: the day after the last order)");
}

std::optional<std::int64_t> parse_date_option(const std::string& text, std::string_view option) {
  if (text.empty()) return std::nullopt;
  const std::optional<std::int64_t> seconds = io::parse_timestamp(text, "%Y-%m-%d");
  if (!seconds) throw Error(fmt::format("{} '{}' is not a date like 2011-12-10", option, text));
  return seconds;
}

std::vector<std::string> tier_names(std::span<const std::string> customer_ids,
                                    const RfmResult& rfm, Lang lang) {
  absl::flat_hash_map<std::string_view, std::size_t> index;
  index.reserve(customer_ids.size());
  for (std::size_t i = 0; i < customer_ids.size(); ++i) index.emplace(customer_ids[i], i);
  std::vector<std::string> tiers(customer_ids.size());
  for (const CustomerRfm& c : rfm.customers) {
    const auto found = index.find(c.customer_id);
    if (found == index.end()) continue;
    const SegmentSummary& segment = rfm.segments[static_cast<std::size_t>(c.segment)];
    tiers[found->second] = lang == Lang::kZh ? segment.name_zh : segment.name;
  }
  return tiers;
}

RfmOptions to_rfm_options(const TierOptions& options) {
  RfmOptions rfm;
  rfm.scheme = options.scheme;
  rfm.scoring_file = options.scoring;
  if (const auto seconds = parse_date_option(options.as_of, "--as-of")) rfm.as_of = *seconds;
  return rfm;
}

void add_outlier_options(CLI::App& app, OutlierCliOptions& options) {
  app.add_option("--outliers", options.method,
                 "Outlier rule of the cleaning audit: iqr (default: outside Q1 - k*IQR .. "
                 "Q3 + k*IQR), z (|z| > k) or off");
  app.add_option("--outlier-k", options.k,
                 "The rule's multiplier k (default: 1.5 for iqr, 3 for z)");
  app.add_option("--outlier-action", options.action,
                 "What to do with outliers: flag (default: count and list, keep), drop (reject "
                 "the row as outlier:<field>) or cap (winsorise to the bounds)");
}

OutlierOptions to_outlier_options(const OutlierCliOptions& options) {
  OutlierOptions out;
  out.method = parse_outlier_method(options.method);
  if (!options.k.empty()) {
    char* end = nullptr;
    const double k = std::strtod(options.k.c_str(), &end);
    if (end == options.k.c_str() || *end != '\0' || !std::isfinite(k) || k <= 0) {
      throw Error(fmt::format("--outlier-k must be a number above 0, not '{}'", options.k));
    }
    out.k = k;
  }
  out.action = parse_outlier_action(options.action);
  out.multiplier();  // validates --outlier-k now, before any file is read
  return out;
}

void add_id_hash_options(CLI::App& app, IdHashOptions& options) {
  app.add_flag("--hash-ids", options.hash_ids,
               "Write every customer id as a keyed hash (HMAC-SHA256 with --salt or "
               "$CUSTLENS_SALT, 20 hex digits)");
  app.add_option("--salt", options.salt,
                 "Key of --hash-ids (default: $CUSTLENS_SALT); the same salt gives the same "
                 "hashes in every run");
}

std::optional<report::IdHasher> make_id_hasher(const IdHashOptions& options) {
  if (!options.hash_ids) {
    if (!options.salt.empty()) {
      throw Error(
          "--salt is given without --hash-ids, so the ids would be written in clear; add "
          "--hash-ids");
    }
    return std::nullopt;
  }
  std::string salt = options.salt;
  if (salt.empty()) {
    const char* from_env = std::getenv("CUSTLENS_SALT");
    if (from_env != nullptr) salt = from_env;
  }
  if (salt.empty()) {
    throw Error(
        "--hash-ids needs a salt: give --salt S or set the environment variable "
        "CUSTLENS_SALT");
  }
  return report::IdHasher(salt);
}

std::shared_ptr<void> thread_limit(const InputOptions& input) {
  if (input.threads <= 0) return nullptr;
  return std::make_shared<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                               static_cast<std::size_t>(input.threads));
}

Dataset read_with_progress(const std::vector<std::string>& files, ReadOptions read, bool quiet,
                           std::unique_ptr<io::RowSource> first) {
  common::ProgressBar bar("reading", common::ProgressBar::terminal_wanted(quiet));
  read.progress = bar.callback();
  Dataset data = io::read_dataset(files, std::move(first), read);
  bar.finish();
  if (data.rows_read == 0) {
    throw Error(fmt::format("{}: no data rows (only a header?)", files.front()));
  }
  return data;
}

LoadedOrders load_orders(const InputOptions& input, const CleanOptions& clean_options,
                         std::unique_ptr<io::RowSource> first) {
  const std::shared_ptr<void> threads = thread_limit(input);
  LoadedOrders loaded;
  ReadOptions base = to_read_options(input);
  loaded.files = expand_inputs(input.inputs);
  if (!first) first = io::open_input(loaded.files.front(), base);
  loaded.header = first->header();
  auto overrides = parse_maps(input.maps);
  loaded.roles = detect_roles(loaded.header, overrides);
  Dataset data =
      read_with_progress(loaded.files, order_read_options(loaded.header, loaded.roles, base),
                         input.quiet, std::move(first));
  loaded.columns = data.columns;
  loaded.encoding = data.encoding;
  loaded.clean = clean_orders(std::move(data), loaded.roles, clean_options);
  return loaded;
}

LoadedProfiles load_profiles(const InputOptions& input, const std::vector<std::string>& features,
                             const OutlierOptions& outliers, std::unique_ptr<io::RowSource> first) {
  LoadedProfiles loaded;
  loaded.threads = thread_limit(input);
  ReadOptions base = to_read_options(input);
  loaded.files = expand_inputs(input.inputs);
  if (!first) first = io::open_input(loaded.files.front(), base);
  loaded.header = first->header();
  const ProfileRoleMap roles = detect_profile_roles(loaded.header, parse_maps(input.maps));
  Dataset data =
      read_with_progress(loaded.files, profile_read_options(loaded.header, roles, base, features),
                         input.quiet, std::move(first));
  loaded.encoding = data.encoding;
  loaded.clean = clean_profiles(std::move(data), loaded.header, roles, features, outliers);
  return loaded;
}

report::InputInfo input_info(const LoadedOrders& loaded) {
  return {loaded.files, loaded.header, loaded.roles, loaded.columns, loaded.encoding};
}

bool can_stream(const CleanOptions& clean_options, const InputOptions& input) {
  pipeline::OrderScanOptions options;
  options.outliers = clean_options.outliers;
  return pipeline::OrderScan::supports(expand_inputs(input.inputs), options);
}

namespace {

// The sales patterns as a consumer of the scan.
class PatternFeed final : public pipeline::LineConsumer {
 public:
  PatternFeed(const PatternOptions& options, const pipeline::LineNames& names)
      : patterns(options, names) {}
  void add(std::span<const pipeline::KeptLine> lines) override { patterns.add(lines); }
  PatternAccumulator patterns;
};

// The scan's options from the command's (the progress callback is the caller's bar).
pipeline::OrderScanOptions scan_options(const InputOptions& input,
                                        const CleanOptions& clean_options) {
  pipeline::OrderScanOptions options;
  options.read = to_read_options(input);
  options.maps = parse_maps(input.maps);
  options.dedup = clean_options.dedup;
  options.keep_zero_value = clean_options.keep_zero_value;
  options.outliers = clean_options.outliers;
  return options;
}

}  // namespace

StreamedOrders stream_orders(const InputOptions& input, const CleanOptions& clean_options,
                             report::RejectWriter* rejects, report::IdHasher* hasher,
                             const PatternOptions* patterns, std::unique_ptr<io::RowSource> first,
                             const ExtraConsumers* extra) {
  const std::shared_ptr<void> threads = thread_limit(input);
  pipeline::OrderScanOptions options = scan_options(input, clean_options);
  common::ProgressBar bar("reading", common::ProgressBar::terminal_wanted(input.quiet));
  options.read.progress = bar.callback();
  pipeline::OrderScan scan(expand_inputs(input.inputs), std::move(options), std::move(first));
  analysis::RfmAccumulator rfm(!scan.columns().has_invoice);
  std::optional<PatternFeed> pattern_feed;
  std::vector<pipeline::LineConsumer*> consumers{&rfm};
  if (patterns) consumers.push_back(&pattern_feed.emplace(*patterns, scan.columns()));
  if (extra && extra->make) {
    for (pipeline::LineConsumer* consumer : extra->make(scan.columns())) {
      consumers.push_back(consumer);
    }
  }
  StreamedOrders streamed;
  pipeline::RejectSink sink;
  if (rejects) {
    sink = [&](std::span<Reject> batch) {
      if (hasher) report::hash_reject_ids(batch, *hasher);
      rejects->add(batch);
    };
  }
  streamed.scan = scan.run(consumers, sink);
  bar.finish();
  if (rejects) rejects->close();
  // Patterns first: rfm.finish takes the customer ids out of the names.
  if (pattern_feed && streamed.scan.audit.rows_kept > 0) {
    streamed.patterns = pattern_feed->patterns.finish(streamed.scan.names);
  }
  pattern_feed.reset();
  if (extra && extra->finish && streamed.scan.audit.rows_kept > 0) extra->finish(streamed.scan);
  streamed.totals = rfm.finish(streamed.scan.names);
  return streamed;
}

LoadedOrders load_order_lines(const InputOptions& input, const CleanOptions& clean_options,
                              std::unique_ptr<io::RowSource> first) {
  if (!can_stream(clean_options, input)) return load_orders(input, clean_options, std::move(first));
  const std::shared_ptr<void> threads = thread_limit(input);
  pipeline::OrderScanOptions options = scan_options(input, clean_options);
  options.keep_invoice_ids = true;  // OrderLines name every invoice
  common::ProgressBar bar("reading", common::ProgressBar::terminal_wanted(input.quiet));
  options.read.progress = bar.callback();
  pipeline::OrderScan scan(expand_inputs(input.inputs), std::move(options), std::move(first));
  pipeline::OrderLinesBuilder builder(scan.columns());
  pipeline::LineConsumer* consumers[] = {&builder};
  LoadedOrders loaded;
  pipeline::RejectSink sink;
  if (clean_options.collect_rejects) {
    sink = [&](std::span<Reject> batch) {
      std::move(batch.begin(), batch.end(), std::back_inserter(loaded.clean.rejects));
    };
  }
  pipeline::OrderScanResult result = scan.run(consumers, sink);
  bar.finish();
  loaded.clean.lines = builder.finish(std::move(result.names));
  loaded.clean.audit = std::move(result.audit);
  loaded.files = std::move(result.files);
  loaded.header = std::move(result.header);
  loaded.roles = std::move(result.roles);
  loaded.columns = std::move(result.columns);
  loaded.encoding = std::move(result.encoding);
  return loaded;
}

report::InputInfo input_info(const pipeline::OrderScanResult& scan) {
  return {scan.files, scan.header, scan.roles, scan.columns, scan.encoding};
}

void require_kept_lines(const LoadedOrders& loaded) { require_kept_lines(loaded.clean.audit); }

void require_kept_lines(const CleaningAudit& audit) {
  if (audit.rows_kept > 0) return;
  throw Error(fmt::format(
      "no order line survived cleaning ({} read, {} malformed, {} without customer id, {} "
      "cancelled); the rejects file says why for each row",
      audit.rows_read, audit.malformed, audit.missing_customer, audit.cancelled));
}

bool has_chinese_header(const std::vector<std::string>& header) {
  for (const auto& name : header) {
    for (unsigned char c : name) {
      if (c >= 0x80) return true;
    }
  }
  return false;
}

std::filesystem::path make_out_dir(const std::string& dir) {
  std::filesystem::path out_dir(dir);
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec || !std::filesystem::is_directory(out_dir)) {
    throw Error(fmt::format("{}: cannot create output folder: {}", dir,
                            ec ? ec.message() : "not a folder"));
  }
  return out_dir;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  io::OutputFile file(path);
  file.write(text);
  file.close();
}

namespace {

std::unique_ptr<io::RowSource> open_streamed_input(std::string_view command,
                                                   const InputOptions& input,
                                                   const CleanOptions& clean) {
  if (!can_stream(clean, input)) {
    throw Error(fmt::format(
        "{} reads its input once as a stream: --outlier-action drop or cap needs files, not a "
        "pipe or standard input",
        command));
  }
  const std::vector<std::string> files = expand_inputs(input.inputs);
  return io::open_input(files.front(), to_read_options(input));
}

}  // namespace

SummaryCommand::SummaryCommand(std::string_view command, const InputOptions& input,
                               const CleanOptions& clean, const std::string& lang,
                               const std::string& out, report::IdHasher* hasher,
                               const ExtraConsumers* extra)
    : first_(open_streamed_input(command, input, clean)),
      lang_(parse_lang(!lang.empty() ? lang : (has_chinese_header(first_->header()) ? "zh" : "en"))),
      out_dir_(out.empty() ? std::nullopt : std::optional(make_out_dir(out))),
      sinks_{outputs_, lang_, input.quiet ? nullptr : &std::cerr},
      quiet_(input.quiet) {
  if (out_dir_) {
    rejects_ = report::open_reject_sink("rejects.csv", sinks_, *out_dir_ / "rejects.csv");
  }
  streamed_ = stream_orders(input, clean, rejects_.get(), hasher, nullptr, std::move(first_), extra);
  if (streamed_.scan.audit.rows_kept == 0) outputs_.commit();  // the error below points at them
  require_kept_lines(streamed_.scan.audit);
}

void SummaryCommand::finish(const std::string& key, const nlohmann::json& result, bool print_json,
                            const std::string& text, RunRecorder* recorder) {
  if (out_dir_) {
    nlohmann::json summary = {{"input", report::input_to_json(input_info(streamed_.scan))},
                              {"audit", report::audit_to_json(streamed_.scan.audit)},
                              {key, result}};
    const report::SinkResults results(std::move(summary));
    report::write_sink("summary.json", results, sinks_, *out_dir_ / "summary.json");
    report::write_sink("report.html", results, sinks_, *out_dir_ / "report.html");
  }
  if (recorder != nullptr) {
    if (out_dir_) recorder->set_out_dir(*out_dir_);
    recorder->record().kpis.push_back(
        {"rows_read", static_cast<double>(streamed_.scan.audit.rows_read)});
    recorder->record().kpis.push_back(
        {"rows_kept", static_cast<double>(streamed_.scan.audit.rows_kept)});
    recorder->write(quiet_);
  }
  outputs_.commit();
  print_result(result, print_json, text, lang_, out_dir_);
}

void print_result(const nlohmann::json& result, bool print_json, const std::string& text,
                  Lang lang, const std::optional<std::filesystem::path>& out_dir) {
  if (print_json) {
    std::cout << result.dump(2) << '\n';
    return;
  }
  std::cout << text;
  if (out_dir) {
    std::cout << fmt::format("{}: {}\n", lang == Lang::kZh ? "结果目录" : "results in",
                             out_dir->string());
  }
}

}  // namespace custlens::cli
