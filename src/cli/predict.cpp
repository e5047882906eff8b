// `custlens predict`: who buys in the next horizon (docs/predict.md). One scan feeds the RFM
// totals (tiers for the target list) and the customer features; models::run_prediction runs the
// protocol; the outputs are written from its typed result.
#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "cli/command.h"
#include "cli/common.h"
#include "cli/prediction.h"
#include "common/calendar.h"
#include "custlens/error.h"
#include "custlens/rfm.h"
#include "io/output_files.h"
#include "models/purchase_prediction.h"
#include "report/hashed_ids.h"
#include "report/json_output.h"
#include "report/predict_summary.h"
#include "report/run_record.h"
#include "report/sinks/sink.h"
#include "report/summary.h"

namespace custlens::cli {
namespace {

struct PredictCommandOptions {
  InputOptions input;
  TierOptions tiers;
  IdHashOptions ids;
  OutlierCliOptions outliers;
  PredictionCliOptions predict;
  std::string scores;
  std::string features;
  std::string out;
  std::string lang;  // "" = zh for Chinese headers, else en
  bool dedup = false;
  bool json = false;
  StoreOptions store;
};

void run_predict(const PredictCommandOptions& options) {
  std::optional<report::IdHasher> hasher = make_id_hasher(options.ids);
  RunRecorder recorder("predict", options.store, expand_inputs(options.input.inputs),
                       database_relation(options.input));
  CleanOptions clean_options;
  clean_options.dedup = options.dedup;
  clean_options.outliers = to_outlier_options(options.outliers);
  RfmOptions rfm_options = to_rfm_options(options.tiers);
  PredictionFeed feed(to_predict_options(options.predict, rfm_options, options.input.threads),
                      options.input.quiet);
  SummaryCommand command("predict", options.input, clean_options, options.lang, options.out,
                         hasher ? &*hasher : nullptr, &feed.extra());

  // Tiers as of the prediction's as-of day.
  rfm_options.as_of = feed.run().as_of_day * common::kSecondsPerDay;
  const RfmResult rfm = rfm_from_totals(std::move(command.streamed().totals), rfm_options);
  feed.attach_tiers(rfm, command.lang(), hasher ? &*hasher : nullptr);
  const report::PredictionReport view = feed.take_report(rfm.scheme);
  const nlohmann::json predict_json = report::prediction_to_json(view);
  report::require_finite_numbers(predict_json, "the prediction");

  io::OutputFiles& outputs = command.outputs();
  if (!options.scores.empty()) write_text(outputs.stage(options.scores), report::scores_csv(view));
  if (!options.features.empty())
    write_text(outputs.stage(options.features), report::features_csv(view));
  if (command.out_dir()) {
    write_text(outputs.stage(*command.out_dir() / "targets.csv"), report::targets_csv(view));
  }
  io::RunRecord& record = recorder.record();
  record.scheme = rfm.scheme;
  record.as_of = predict_json.value("as_of", "");
  record.hashed_ids = hasher.has_value();
  record.parameters = nlohmann::json{{"scheme", options.tiers.scheme},
                                     {"horizon_days", predict_json.value("horizon_days", 0)},
                                     {"model", predict_json.value("model", "")},
                                     {"dedup", options.dedup},
                                     {"outliers", options.outliers.method},
                                     {"outlier_action", options.outliers.action}}
                          .dump();
  report::add_json_kpis(record, predict_json, report::predict_kpis());
  command.finish("predict", predict_json, options.json,
                 options.json ? std::string() : report::prediction_text(view, command.lang()),
                 &recorder);
}

void setup(CLI::App& app) {
  auto options = std::make_shared<PredictCommandOptions>();
  add_input_options(app, options->input);
  add_tier_options(app, options->tiers);
  add_prediction_options(app, options->predict);
  app.add_option("--scores", options->scores,
                 "Write customer_id, split, label, score of the population (the evaluation fit)");
  app.add_option("--features", options->features,
                 "Write the population's feature table (customer_id, split, label, features)");
  app.add_option("--out,-o", options->out,
                 "Output folder: targets.csv, summary.json, report.html, rejects.csv");
  app.add_option("--lang", options->lang, "en or zh (default: zh for Chinese headers, else en)");
  add_id_hash_options(app, options->ids);
  add_outlier_options(app, options->outliers);
  app.add_flag("--dedup", options->dedup, "Drop exact duplicate lines");
  app.add_flag("--json", options->json, "Print one JSON object on stdout");
  add_store_options(app, options->store);
  app.callback([options] { run_predict(*options); });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(
    predict,
    "Who buys in the next --horizon days: XGBoost and a logistic baseline, evaluated on held-out "
    "customers, a profit curve and the target list",
    setup);

}  // namespace custlens::cli
