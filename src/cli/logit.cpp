// `custlens logit`: logistic regression with the statsmodels summary, odds ratios and a reading.
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/model_common.h"
#include "custlens/regression.h"

namespace custlens::cli {
namespace {

void run_logit(const ModelCommandOptions& options) {
  LogitOptions logit;
  logit.design = to_design_options(options);
  ModelInput input = load_model_input(options);
  const LogitResult result = fit_logit(input.table, logit);
  print_warnings(result.warnings, options.input.quiet);

  const auto [date, time] = summary_date_time();
  const std::string text = input_text(input) +
                           models::design_text(result.design, result.dependent, true, input.lang) +
                           '\n' + models::logit_summary_text(result, date, time) + '\n' +
                           models::logit_reading(result, input.lang);
  finish_model_command(options, input, models::logit_to_json(result), text);
}

void setup(CLI::App& app) {
  auto options = std::make_shared<ModelCommandOptions>();
  add_model_options(app, *options);
  app.callback([options] { run_logit(*options); });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(logit, "Logistic regression of a two-class target, with odds ratios",
                          setup);

}  // namespace custlens::cli
