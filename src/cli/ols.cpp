// `custlens ols`: linear regression with the statsmodels summary, diagnostics and a reading.
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/model_common.h"
#include "custlens/regression.h"

namespace custlens::cli {
namespace {

struct OlsCommandOptions {
  ModelCommandOptions model;
  std::string robust;
  bool standardize = false;
};

void run_ols(const OlsCommandOptions& options) {
  OlsOptions ols;
  ols.design = to_design_options(options.model);
  ols.design.standardize = options.standardize;
  if (!options.robust.empty()) ols.covariance = parse_covariance_type(options.robust);
  ModelInput input = load_model_input(options.model);
  const OlsResult result = fit_ols(input.table, ols);
  print_warnings(result.warnings, options.model.input.quiet);

  const auto [date, time] = summary_date_time();
  const std::string text = input_text(input) +
                           models::design_text(result.design, result.dependent, false, input.lang) +
                           '\n' + models::ols_summary_text(result, date, time) + '\n' +
                           models::ols_reading(result, input.lang);
  finish_model_command(options.model, input, models::ols_to_json(result), text);
}

void setup(CLI::App& app) {
  auto options = std::make_shared<OlsCommandOptions>();
  add_model_options(app, options->model);
  app.add_option("--robust", options->robust,
                 "Heteroscedasticity-robust standard errors: HC1 or HC3");
  app.add_flag("--standardize", options->standardize,
               "z-score the target and the numeric regressors first (sample sd)");
  app.callback([options] { run_ols(*options); });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(ols, "Linear regression (OLS) with a statsmodels-style summary", setup);

}  // namespace custlens::cli
