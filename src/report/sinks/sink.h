// The sink registry: each output file of a run (customers.csv, customers.xlsx, summary.json,
// report.html, rejects.csv) is written by one sink, in one file of src/report/sinks/ that
// registers it by name (CUSTLENS_REGISTER_SINK), and every sink writes through io::OutputFiles so
// that the outputs are complete or absent (docs/outputs.md, docs/pipeline.md).
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "custlens/ingest.h"
#include "custlens/lang.h"
#include "io/output_files.h"
#include "report/profile_summary.h"
#include "report/summary.h"

namespace custlens::report {

/// What a run hands its sinks: the typed results of order lines (analyze, rfm) or of a profile
/// table (profile), and summary.json written from them by their one writer (summary_to_json,
/// profile_summary_json) once, when a sink first asks. The results must outlive this object.
class SinkResults {
 public:
  explicit SinkResults(const Summary& orders) : orders_(&orders) {}
  explicit SinkResults(const ProfileRun& profile) : profile_(&profile) {}
  /// Results that are only a summary.json object (predict, forecast): the summary.json and
  /// report.html sinks write them; the customer tables have nothing to write.
  explicit SinkResults(nlohmann::json summary) : json_(std::move(summary)) {}

  /// The order-line results, or nullptr for a profile run.
  const Summary* orders() const { return orders_; }
  /// The profile results, or nullptr for order lines.
  const ProfileRun* profile() const { return profile_; }
  /// summary.json of the results, made on the first call; not checked for NaN here (the
  /// summary.json sink checks it).
  const nlohmann::json& summary_json() const;

 private:
  const Summary* orders_ = nullptr;
  const ProfileRun* profile_ = nullptr;
  mutable std::optional<nlohmann::json> json_;
};

/// What a sink needs besides the results.
struct SinkContext {
  /// Every file is staged here (stage() or open()); the command commits once the run succeeded.
  io::OutputFiles& outputs;
  Lang lang = Lang::kEn;  ///< of report.html
  /// Where a sink says why it wrote nothing (customers.xlsx past one sheet); nullptr: quiet.
  std::ostream* notes = nullptr;
};

/// The streaming form of a sink: rejected rows handed on as the scan finds them (rejects.csv is
/// written while the scan runs, before any result exists).
class RejectWriter {
 public:
  virtual ~RejectWriter() = default;
  /// Appends the rows, in the order given.
  virtual void add(std::span<const Reject> rejects) = 0;
  /// Writes what is buffered and checks every write; throws custlens::Error on a failure. The
  /// file stays staged until the command commits its OutputFiles.
  virtual void close() = 0;
};

/// A results sink: writes its file for `results` at `path` (staged in context.outputs). Returns
/// false, having staged nothing, when these results have no such file (customers.xlsx of a
/// profile table) or, unless `required`, when the file cannot hold them (customers.xlsx past one
/// sheet: it says so in context.notes); with `required`, that is a custlens::Error.
using ResultsSinkFn = bool (*)(const SinkResults& results, const SinkContext& context,
                               const std::filesystem::path& path, bool required);
/// A streaming sink: opens its file at `path` (staged in context.outputs).
using RejectSinkFn = std::unique_ptr<RejectWriter> (*)(const SinkContext& context,
                                                       const std::filesystem::path& path);

struct SinkSpec {
  std::string name;  ///< the file's name in an output folder: "customers.csv"
  int order = 0;     ///< place among a folder's files (staged and renamed in this order)
  ResultsSinkFn write = nullptr;        ///< set for a results sink
  RejectSinkFn open_rejects = nullptr;  ///< set for the streaming sink of rejects
};

/// Every registered sink, sorted by order then name.
std::vector<SinkSpec> registered_sinks();
/// The sink registered as `name`; throws custlens::Error naming the registered ones otherwise.
const SinkSpec& find_sink(std::string_view name);

/// Writes every results sink's file into `folder`, under the sink's name, in registry order
/// (`analyze --out`, `profile --out`): adding a sink adds its file to both. Sinks that have
/// nothing to write for these results are skipped. Returns the names written.
std::vector<std::string> write_sinks(const SinkResults& results, const SinkContext& context,
                                     const std::filesystem::path& folder);
/// Writes the results sink `name` at `path` (`rfm --customers FILE`); throws custlens::Error when
/// it cannot write these results.
void write_sink(std::string_view name, const SinkResults& results, const SinkContext& context,
                const std::filesystem::path& path);
/// Opens the streaming sink `name` at `path`; throws custlens::Error when `name` is not one.
std::unique_ptr<RejectWriter> open_reject_sink(std::string_view name, const SinkContext& context,
                                               const std::filesystem::path& path);

struct SinkRegistrar {
  /// Throws std::logic_error for a name registered twice, or a spec with neither or both forms.
  explicit SinkRegistrar(SinkSpec spec);
};

}  // namespace custlens::report

/// Registers a results sink from its own file:
/// CUSTLENS_REGISTER_SINK(summary_json, "summary.json", 30, write_summary).
#define CUSTLENS_REGISTER_SINK(ident, name, order, write)                 \
  static const ::custlens::report::SinkRegistrar ident##_sink_registrar { \
    ::custlens::report::SinkSpec { name, order, write, nullptr }          \
  }
/// Registers a streaming sink of rejected rows:
/// CUSTLENS_REGISTER_REJECT_SINK(rejects_csv, "rejects.csv", 0, open_rejects).
#define CUSTLENS_REGISTER_REJECT_SINK(ident, name, order, open)           \
  static const ::custlens::report::SinkRegistrar ident##_sink_registrar { \
    ::custlens::report::SinkSpec { name, order, nullptr, open }           \
  }
