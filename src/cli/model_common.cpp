// Options, input and messages shared by the model subcommands.
#include "cli/model_common.h"

#include <fmt/format.h>
#include <tbb/global_control.h>

#include <ctime>

#include "common/progress.h"
#include "custlens/error.h"
#include "custlens/ingest.h"
#include "report/summary.h"

namespace custlens::cli {
namespace {

std::string thousands(std::int64_t value) {
  std::string digits = std::to_string(value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<std::size_t>(i), ",");
  }
  return digits;
}

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
  if (options.input.threads > 0) {
    input.threads =
        std::make_shared<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                              static_cast<std::size_t>(options.input.threads));
  }
  ReadOptions read = to_read_options(options.input);
  input.files = expand_inputs(options.input.inputs);
  common::ProgressBar bar("reading", common::ProgressBar::terminal_wanted(options.input.quiet));
  read.progress = bar.callback();
  Dataset data = read_dataset(input.files, read);
  bar.finish();
  if (data.rows_read == 0) {
    throw Error(fmt::format("{}: no data rows (only a header?)", input.files.front()));
  }
  input.rows_read = data.rows_read;
  input.rows_unreadable = data.rejects.size();
  std::vector<std::string> header;
  for (const auto& column : data.columns) header.push_back(column.name);
  if (options.lang.empty()) {
    input.lang = has_chinese_header(header) ? models::Lang::kZh : models::Lang::kEn;
  } else {
    input.lang = report::parse_lang(options.lang) == report::Lang::kZh ? models::Lang::kZh
                                                                       : models::Lang::kEn;
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

}  // namespace custlens::cli
