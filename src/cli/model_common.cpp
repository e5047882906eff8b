// Options, input and messages shared by the model subcommands.
#include "cli/model_common.h"

#include <fmt/format.h>

#include <ctime>
#include <iostream>

#include "common/number_text.h"
#include "custlens/error.h"
#include "custlens/ingest.h"
#include "io/output_files.h"
#include "report/html_report.h"
#include "report/json_output.h"
#include "report/summary.h"

namespace custlens::cli {
namespace {

using common::thousands;

}  // namespace

void add_model_options(CLI::App& app, ModelCommandOptions& options) {
  add_input_options(app, options.input);
  app.add_option("--y", options.y, "The column to explain")->required();
  app.add_option("--x", options.x,
                 "Regressors: COL,COL,... or 'all' (default: every usable column)")
      ->delimiter(',');
  app.add_flag("--no-intercept", options.no_intercept, "Fit without a constant");
  app.add_flag("--json", options.json, "Print one JSON object on stdout");
  app.add_option("--lang", options.lang,
                 "Language of the reading: en or zh (default: zh for Chinese headers)");
  app.add_option("--out", options.out,
                 "Also write summary.json, summary.txt and report.html into this folder");
}

DesignOptions to_design_options(const ModelCommandOptions& options) {
  DesignOptions design;
  design.target = options.y;
  design.regressors = options.x;
  design.intercept = !options.no_intercept;
  return design;
}

ModelInput load_model_input(const ModelCommandOptions& options) {
  ModelInput input;
  input.threads = thread_limit(options.input);
  input.files = expand_inputs(options.input.inputs);
  Dataset data =
      read_with_progress(input.files, to_read_options(options.input), options.input.quiet);
  input.rows_read = data.rows_read;
  input.rows_unreadable = data.rejects.size();
  std::vector<std::string> header;
  for (const auto& column : data.columns) header.push_back(column.name);
  if (options.lang.empty()) {
    input.lang = has_chinese_header(header) ? Lang::kZh : Lang::kEn;
  } else {
    input.lang = parse_lang(options.lang);
  }
  input.table = std::move(data.table);
  return input;
}

std::string input_text(const ModelInput& input) {
  std::string files =
      input.files.size() == 1 ? input.files.front() : fmt::format("{} files", input.files.size());
  std::string unreadable = input.rows_unreadable == 0
                               ? ""
                               : fmt::format("; {} unreadable rows skipped", input.rows_unreadable);
  return fmt::format("Input: {} ({} rows{})\n", files, thousands(input.rows_read), unreadable);
}

nlohmann::json input_to_json(const ModelInput& input) {
  return {{"files", input.files},
          {"rows_read", input.rows_read},
          {"rows_unreadable", input.rows_unreadable}};
}

std::pair<std::string, std::string> summary_date_time() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char date[32];
  char time[16];
  std::strftime(date, sizeof date, "%a, %d %b %Y", &local);
  std::strftime(time, sizeof time, "%H:%M:%S", &local);
  return {date, time};
}

void print_warnings(const std::vector<std::string>& warnings, bool quiet) {
  if (quiet) return;
  for (const auto& warning : warnings) fmt::print(stderr, "custlens: warning: {}\n", warning);
}

std::filesystem::path write_model_outputs(const ModelCommandOptions& options,
                                          const ModelInput& input, nlohmann::json regression,
                                          const std::string& text) {
  const std::filesystem::path out_dir = make_out_dir(options.out);
  const nlohmann::json summary = {{"input", input_to_json(input)},
                                  {"regression", std::move(regression)}};
  report::require_finite_numbers(summary, "summary.json");
  io::OutputFiles outputs;
  write_text(outputs.stage(out_dir / "summary.json"), summary.dump(2) + "\n");
  write_text(outputs.stage(out_dir / "summary.txt"), text);
  report::ReportOptions report_options;
  report_options.lang = input.lang;
  write_text(outputs.stage(out_dir / "report.html"),
             report::render_report_html(report::build_report_model(summary, report_options.lang),
                                        report_options));
  outputs.commit();
  return out_dir;
}

void finish_model_command(const ModelCommandOptions& options, const ModelInput& input,
                          const nlohmann::json& regression, const std::string& text) {
  std::filesystem::path out_dir;
  if (!options.out.empty()) out_dir = write_model_outputs(options, input, regression, text);
  if (options.json) {
    nlohmann::json out = regression;
    out["input"] = input_to_json(input);
    report::require_finite_numbers(out, "the JSON output");
    std::cout << out.dump(2) << '\n';
    return;
  }
  std::cout << text;
  if (!out_dir.empty()) {
    std::cout << fmt::format("\n{}: {}\n", input.lang == Lang::kZh ? "结果目录" : "results in",
                             out_dir.string());
  }
}

}  // namespace custlens::cli
