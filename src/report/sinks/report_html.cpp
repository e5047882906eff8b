// The report.html sink: the self-contained page of the report model built from the results'
// summary.json (report/html_report.cpp), in the run's language.
#include "io/output_files.h"
#include "report/html_report.h"
#include "report/sinks/sink.h"

namespace custlens::report {
namespace {

bool write_report(const SinkResults& results, const SinkContext& context,
                  const std::filesystem::path& path, bool /*required*/) {
  ReportOptions options;
  options.lang = context.lang;
  const std::string page =
      render_report_html(build_report_model(results.summary_json(), context.lang), options);
  io::OutputFile& file = context.outputs.open(path);
  file.write(page);
  file.close();
  return true;
}

}  // namespace

CUSTLENS_REGISTER_SINK(report_html, "report.html", 40, write_report);

}  // namespace custlens::report
