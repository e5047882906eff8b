// `custlens forecast`: revenue per day, week or month from the kept order lines, seasonal naive,
// ETS and XGBoost compared by a rolling-origin backtest, the chosen model's forecast with 80/95 %
// intervals (docs/forecast.md).
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "analysis/revenue_series.h"
#include "cli/command.h"
#include "cli/common.h"
#include "custlens/error.h"
#include "io/output_files.h"
#include "report/forecast_summary.h"
#include "report/json_output.h"
#include "report/sinks/sink.h"

namespace custlens::cli {
namespace {

struct ForecastCommandOptions {
  InputOptions input;
  std::string freq = "day";
  int horizon = 0;  ///< 0: the frequency's default
  int holdout = 0;  ///< 0: the frequency's default
  int origins = 3;
  std::vector<std::string> models = {"seasonal_naive", "ets", "xgboost"};
  std::string lang;  ///< "" = zh for Chinese headers, else en
  std::string out;
  bool dedup = false;
  bool json = false;
};

// Defaults per frequency: four weeks of days, eight weeks, a quarter of months.
int default_periods(analysis::Frequency freq) {
  switch (freq) {
    case analysis::Frequency::kDay:
      return 28;
    case analysis::Frequency::kWeek:
      return 8;
    case analysis::Frequency::kMonth:
      return 3;
  }
  return 1;
}

void run_forecast_command(const ForecastCommandOptions& options) {
  const analysis::Frequency freq = analysis::parse_frequency(options.freq);
  models::ForecastOptions forecast;
  forecast.horizon = options.horizon > 0 ? options.horizon : default_periods(freq);
  forecast.holdout = options.holdout > 0 ? options.holdout : default_periods(freq);
  forecast.origins = options.origins;
  if (options.horizon < 0 || options.holdout < 0 || options.origins < 1) {
    throw Error("--horizon and --holdout must be positive (0 = default), --origins at least 1");
  }
  std::vector<models::ForecastModel> candidates;
  for (const models::ForecastModel& model : models::standard_forecast_models()) {
    if (std::find(options.models.begin(), options.models.end(), model.name) !=
        options.models.end()) {
      candidates.push_back(model);
    }
  }
  if (candidates.size() != options.models.size()) {
    throw Error("--models: name one or more of seasonal_naive, ets, xgboost, each once");
  }
  std::optional<std::filesystem::path> out_dir;
  if (!options.out.empty()) out_dir = make_out_dir(options.out);

  CleanOptions clean_options;
  clean_options.dedup = options.dedup;
  // The revenue per day rides on the scan that RFM uses (its per-customer sums are small).
  analysis::RevenueSeriesAccumulator revenue;
  ExtraConsumers extra;
  extra.make = [&](const pipeline::LineNames&) {
    return std::vector<pipeline::LineConsumer*>{&revenue};
  };
  StreamedOrders streamed =
      stream_orders(options.input, clean_options, nullptr, nullptr, nullptr, nullptr, &extra);
  const pipeline::OrderScanResult& scanned = streamed.scan;
  require_kept_lines(scanned.audit);
  const Lang lang = parse_lang(!options.lang.empty()                ? options.lang
                               : has_chinese_header(scanned.header) ? "zh"
                                                                    : "en");

  report::ForecastRun run;
  run.daily = revenue.finish();
  run.series = analysis::to_periods(run.daily, freq);
  run.gaps = analysis::find_gaps(run.daily);
  run.options = forecast;
  const std::size_t n = run.series.periods.size();
  if (n < models::min_periods(forecast)) {
    throw Error(fmt::format(
        "{} complete {}s of revenue; --holdout {} needs at least {} (the holdout, one backtest "
        "origin of as many periods and {} to fit on): use a finer --freq or a smaller --holdout",
        n, options.freq, forecast.holdout, models::min_periods(forecast), forecast.min_train));
  }
  const std::int64_t first = run.series.periods.front().start_day;
  const int ahead = std::max(forecast.horizon, forecast.holdout);
  for (int i = 0; i < static_cast<int>(n) + ahead; ++i) {
    run.period_days.push_back(analysis::advance_period(first, freq, i));
  }
  const std::vector<double> values = report::period_values(run.series);
  run.result = models::run_forecast(values, run.period_days, freq, candidates, forecast);

  nlohmann::json json = report::forecast_to_json(run);
  if (out_dir) {
    nlohmann::json summary = {{"input", report::input_to_json(input_info(scanned))},
                              {"audit", report::audit_to_json(scanned.audit)},
                              {"forecast", json}};
    io::OutputFiles outputs;
    const report::SinkContext sinks{outputs, lang, nullptr};
    const report::SinkResults results(std::move(summary));
    report::write_sink("summary.json", results, sinks, *out_dir / "summary.json");
    report::write_sink("report.html", results, sinks, *out_dir / "report.html");
    outputs.commit();
  }
  if (options.json) {
    report::require_finite_numbers(json, "the JSON output");
    std::cout << json.dump(2) << '\n';
    return;
  }
  std::cout << report::forecast_text(run, lang);
  if (out_dir) {
    std::cout << fmt::format("{}: {}\n", lang == Lang::kZh ? "结果目录" : "results in",
                             out_dir->string());
  }
}

void setup(CLI::App& app) {
  auto options = std::make_shared<ForecastCommandOptions>();
  add_input_options(app, options->input);
  app.add_option("--freq", options->freq, "Period: day, week (ISO, Monday first) or month");
  app.add_option("--horizon", options->horizon,
                 "Periods to forecast (default 28 days, 8 weeks, 3 months)");
  app.add_option("--holdout", options->holdout,
                 "Last periods held out to score the models (default as --horizon)");
  app.add_option("--origins", options->origins, "Backtest origins before the holdout (default 3)");
  app.add_option("--models", options->models,
                 "Candidate models, comma-separated (default seasonal_naive,ets,xgboost)")
      ->delimiter(',');
  app.add_option("--lang", options->lang, "Language of the text and report: en or zh");
  app.add_option("--out,-o", options->out, "Also write summary.json and report.html here");
  app.add_flag("--dedup", options->dedup,
               "Drop exact duplicate lines (they are counted either way)");
  app.add_flag("--json", options->json, "Print one JSON object on stdout");
  app.callback([options] { run_forecast_command(*options); });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(forecast, "Revenue forecast: seasonal naive, ETS and XGBoost, backtested",
                          setup);

}  // namespace custlens::cli
