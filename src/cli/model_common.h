// What `custlens ols` and `custlens logit` share: their options, reading the table, the language,
// the input line and warnings.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/common.h"
#include "custlens/regression.h"
#include "custlens/table.h"
#include "models/regression_output.h"

namespace custlens::cli {

struct ModelCommandOptions {
  InputOptions input;
  std::string y;
  std::vector<std::string> x;
  bool no_intercept = false;
  bool json = false;
  std::string lang;  ///< "" = Chinese when the header is, else English
  std::string out;   ///< --out DIR: "" writes no files
};

/// INPUT plus the input options, --y, --x, --no-intercept, --json, --lang, --out.
void add_model_options(CLI::App& app, ModelCommandOptions& options);
DesignOptions to_design_options(const ModelCommandOptions& options);

/// The whole input as one table (no roles, no cleaning), and what reading it cost.
struct ModelInput {
  Table table;
  std::vector<std::string> files;
  std::int64_t rows_read = 0;
  std::size_t rows_unreadable = 0;  ///< rows the reader rejected (bad number, wrong field count)
  Lang lang = Lang::kEn;
  std::shared_ptr<void> threads;  ///< the --threads limit, held for the fit too
};
/// Throws custlens::Error for input that cannot be read or has no data rows.
ModelInput load_model_input(const ModelCommandOptions& options);

/// "Input: FILE (N rows; M unreadable rows skipped)".
std::string input_text(const ModelInput& input);
/// {"files", "rows_read", "rows_unreadable"} for the JSON output.
nlohmann::json input_to_json(const ModelInput& input);
/// The run's local date and time as statsmodels prints them: "Mon, 23 Nov 2026", "12:54:03".
std::pair<std::string, std::string> summary_date_time();
/// Each warning as one "custlens: warning: ..." line on stderr, unless --quiet.
void print_warnings(const std::vector<std::string>& warnings, bool quiet);

/// What ols and logit do with a fit: with --out, write_model_outputs; with --json, `regression`
/// plus "input" on stdout; else `text` (and, with --out, where the files are).
void finish_model_command(const ModelCommandOptions& options, const ModelInput& input,
                          const nlohmann::json& regression, const std::string& text);

/// `--out DIR`: DIR/summary.json ({"input": ..., "regression": `regression`}), DIR/summary.txt
/// (`text`, what the command prints) and DIR/report.html (the regression sections) in the
/// input's language. Returns the folder.
std::filesystem::path write_model_outputs(const ModelCommandOptions& options,
                                          const ModelInput& input, nlohmann::json regression,
                                          const std::string& text);

}  // namespace custlens::cli
