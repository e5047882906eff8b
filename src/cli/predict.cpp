// `custlens predict`: who buys in the next horizon (docs/predict.md). One scan feeds the RFM
// totals (tiers for the target list) and the customer features; models::run_prediction runs the
// protocol; the outputs are written from its typed result.
#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <optional>

#include "analysis/customer_features.h"
#include "cli/command.h"
#include "cli/common.h"
#include "common/calendar.h"
#include "common/progress.h"
#include "custlens/error.h"
#include "custlens/rfm.h"
#include "io/output_files.h"
#include "models/purchase_prediction.h"
#include "report/hashed_ids.h"
#include "report/json_output.h"
#include "report/predict_summary.h"
#include "report/sinks/sink.h"
#include "report/summary.h"

namespace custlens::cli {
namespace {

struct PredictCommandOptions {
  InputOptions input;
  TierOptions tiers;
  IdHashOptions ids;
  OutlierCliOptions outliers;
  int horizon = 90;
  std::string model = "xgboost";
  double test_share = 0.3;
  std::uint64_t seed = 42;
  double contact_cost = 10;
  std::optional<double> margin;
  double margin_rate = 0.25;
  std::optional<std::int64_t> budget;
  std::string scores;
  std::string features;
  std::string out;
  std::string lang;  // "" = zh for Chinese headers, else en
  bool dedup = false;
  bool json = false;
};

void write_file(io::OutputFiles& outputs, const std::filesystem::path& path,
                const std::string& text) {
  io::OutputFile& file = outputs.open(path);
  file.write(text);
  file.close();
}

void run_predict(const PredictCommandOptions& options) {
  std::optional<report::IdHasher> hasher = make_id_hasher(options.ids);
  CleanOptions clean_options;
  clean_options.dedup = options.dedup;
  clean_options.outliers = to_outlier_options(options.outliers);
  if (!can_stream(clean_options, options.input)) {
    throw Error(
        "predict reads its input once as a stream: --outlier-action drop or cap needs files, "
        "not a pipe or standard input");
  }
  if (options.margin && !(*options.margin >= 0)) throw Error("--margin must be 0 or more");
  if (!(options.margin_rate >= 0)) throw Error("--margin-rate must be 0 or more");
  if (!(options.contact_cost >= 0)) throw Error("--contact-cost must be 0 or more");
  if (options.budget && *options.budget < 0) throw Error("--budget must be 0 or more");
  RfmOptions rfm_options = to_rfm_options(options.tiers);
  models::PredictOptions predict;
  predict.horizon_days = options.horizon;
  if (rfm_options.as_of) predict.as_of_day = common::floor_div(*rfm_options.as_of, 86400);
  predict.model = options.model;
  predict.test_share = options.test_share;
  predict.seed = options.seed;
  predict.threads = options.input.threads;
  predict.contact_cost = options.contact_cost;
  predict.margin = options.margin;
  predict.margin_rate = options.margin_rate;
  predict.budget = options.budget;
  // Unknown model names fail before the input is read.
  models::make_classifier(options.model, {});

  const std::vector<std::string> files = expand_inputs(options.input.inputs);
  std::unique_ptr<io::RowSource> first =
      io::open_input(files.front(), to_read_options(options.input));
  const Lang lang = parse_lang(
      !options.lang.empty() ? options.lang : (has_chinese_header(first->header()) ? "zh" : "en"));
  std::optional<std::filesystem::path> out_dir;
  if (!options.out.empty()) out_dir = make_out_dir(options.out);
  io::OutputFiles outputs;
  const report::SinkContext sinks{outputs, lang, options.input.quiet ? nullptr : &std::cerr};
  std::unique_ptr<report::RejectWriter> rejects;
  if (out_dir) rejects = report::open_reject_sink("rejects.csv", sinks, *out_dir / "rejects.csv");

  std::unique_ptr<analysis::CustomerFeatureAccumulator> features;
  std::optional<models::PredictionRun> run;
  std::vector<std::string> customer_ids;
  ExtraConsumers extra;
  extra.make = [&](const pipeline::LineNames& columns) {
    features = std::make_unique<analysis::CustomerFeatureAccumulator>(!columns.has_invoice);
    return std::vector<pipeline::LineConsumer*>{features.get()};
  };
  extra.finish = [&](const pipeline::OrderScanResult& scan) {
    common::ProgressBar stage("fitting", common::ProgressBar::terminal_wanted(options.input.quiet));
    stage.update(0, 1);
    run = models::run_prediction(*features, scan.names, predict);
    stage.finish();
    customer_ids = scan.names.customer_ids;
  };
  StreamedOrders streamed =
      stream_orders(options.input, clean_options, rejects.get(), hasher ? &*hasher : nullptr,
                    nullptr, std::move(first), &extra);
  if (streamed.scan.audit.rows_kept == 0) outputs.commit();  // the error below points at them
  require_kept_lines(streamed.scan.audit);
  features.reset();

  // Tiers as of the prediction's as-of day, by the scan's customer id.
  rfm_options.as_of = run->as_of_day * 86400;
  const RfmResult rfm = rfm_from_totals(std::move(streamed.totals), rfm_options);
  absl::flat_hash_map<std::string_view, std::size_t> index;
  index.reserve(customer_ids.size());
  for (std::size_t i = 0; i < customer_ids.size(); ++i) index.emplace(customer_ids[i], i);
  std::vector<std::string> tiers(customer_ids.size());
  for (const CustomerRfm& c : rfm.customers) {
    const auto found = index.find(c.customer_id);
    if (found != index.end()) {
      const SegmentSummary& segment = rfm.segments[static_cast<std::size_t>(c.segment)];
      tiers[found->second] = lang == Lang::kZh ? segment.name_zh : segment.name;
    }
  }
  index.clear();
  if (hasher) {
    for (std::string& id : customer_ids) id = hasher->hash(id);
  }
  const report::PredictionReport view{*run, customer_ids, tiers, rfm.scheme};
  const nlohmann::json predict_json = report::prediction_to_json(view);
  report::require_finite_numbers(predict_json, "the prediction");

  if (!options.scores.empty()) write_file(outputs, options.scores, report::scores_csv(view));
  if (!options.features.empty()) write_file(outputs, options.features, report::features_csv(view));
  if (out_dir) {
    write_file(outputs, *out_dir / "targets.csv", report::targets_csv(view));
    nlohmann::json summary = {{"input", report::input_to_json(input_info(streamed.scan))},
                              {"audit", report::audit_to_json(streamed.scan.audit)},
                              {"predict", predict_json}};
    const report::SinkResults results(std::move(summary));
    report::write_sink("summary.json", results, sinks, *out_dir / "summary.json");
    report::write_sink("report.html", results, sinks, *out_dir / "report.html");
  }
  outputs.commit();
  if (options.json) {
    std::cout << predict_json.dump(2) << '\n';
    return;
  }
  std::cout << report::prediction_text(view, lang);
  if (out_dir) {
    std::cout << fmt::format("{}: {}\n", lang == Lang::kZh ? "结果目录" : "results in",
                             out_dir->string());
  }
}

void setup(CLI::App& app) {
  auto options = std::make_shared<PredictCommandOptions>();
  add_input_options(app, options->input);
  add_tier_options(app, options->tiers);
  app.add_option("--horizon", options->horizon, "Days ahead to predict a purchase in (default 90)")
      ->check(CLI::PositiveNumber);
  app.add_option("--model", options->model,
                 "The model that scores: xgboost or logistic (both are fitted and compared)");
  app.add_option("--test-share", options->test_share,
                 "Share of the population held out to judge the models (default 0.3)");
  app.add_option("--seed", options->seed, "Seed of the split and the models (default 42)");
  app.add_option("--contact-cost", options->contact_cost,
                 "Cost of contacting one customer (default 10)");
  app.add_option("--margin", options->margin, "Profit of one converted customer");
  app.add_option("--margin-rate", options->margin_rate,
                 "Without --margin: profit of a conversion as this share of the customer's "
                 "average order value (default 0.25)");
  app.add_option("--budget", options->budget, "Contacts the campaign can afford");
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
  app.callback([options] { run_predict(*options); });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(
    predict,
    "Who buys in the next --horizon days: XGBoost and a logistic baseline, evaluated on held-out "
    "customers, a profit curve and the target list",
    setup);

}  // namespace custlens::cli
