// The summary.json sink: the results' summary.json from their one writer, checked for NaN and
// infinities, indented by two spaces.
#include "io/output_files.h"
#include "report/json_output.h"
#include "report/sinks/sink.h"

namespace custlens::report {
namespace {

bool write_summary(const SinkResults& results, const SinkContext& context,
                   const std::filesystem::path& path, bool /*required*/) {
  const nlohmann::json& summary = results.summary_json();
  require_finite_numbers(summary, "summary.json");
  io::OutputFile& file = context.outputs.open(path);
  file.write(summary.dump(2) + "\n");
  file.close();
  return true;
}

}  // namespace

CUSTLENS_REGISTER_SINK(summary_json, "summary.json", 30, write_summary);

}  // namespace custlens::report
