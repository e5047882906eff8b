// `custlens analyze`: the main job: cleaning, RFM tiers, Pareto and sales patterns into a folder,
// as summary.json and the self-contained report.html.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/clv_feed.h"
#include "cli/command.h"
#include "cli/common.h"
#include "cli/events.h"
#include "cli/prediction.h"
#include "cli/profile.h"
#include "cli/run_store.h"
#include "custlens/error.h"
#include "custlens/patterns.h"
#include "custlens/profile.h"
#include "custlens/rfm.h"
#include "io/database.h"
#include "io/output_files.h"
#include "report/hashed_ids.h"
#include "report/playbook.h"
#include "report/run_record.h"
#include "report/sinks/sink.h"
#include "report/summary.h"

namespace custlens::cli {
namespace {

struct AnalyzeOptions {
  InputOptions input;
  std::string out;
  std::string lang;  // "" = zh for Chinese headers, else en
  std::string categories;
  std::string playbook;  // "" = the shipped share/playbook.toml
  TierOptions tiers;
  IdHashOptions ids;
  OutlierCliOptions outliers;
  PredictionCliOptions predict;
  bool with_prediction = false;  // --predict
  ClvCliOptions clv;
  bool with_clv = false;  // --clv
  bool dedup = false;
  StoreOptions store;
};

// The options that shape analyze's numbers, as the run store keeps them.
nlohmann::json analyze_parameters(const AnalyzeOptions& options) {
  return {{"scheme", options.tiers.scheme},
          {"scoring", options.tiers.scoring},
          {"as_of", options.tiers.as_of},
          {"dedup", options.dedup},
          {"outliers", options.outliers.method},
          {"outlier_k", options.outliers.k},
          {"outlier_action", options.outliers.action},
          {"predict", options.with_prediction},
          {"clv", options.with_clv},
          {"hash_ids", options.ids.hash_ids}};
}

// A table with one row per customer (a monetary total, no order date) gets the profile
// analysis: the same --out files, the profile sections in report.html. `first` is handed on, so
// the input is opened once either way.
bool run_as_profile(const AnalyzeOptions& options, std::unique_ptr<io::RowSource>& first) {
  if (!is_profile_header(first->header())) return false;
  ProfileCommandOptions profile;
  profile.input = options.input;
  profile.out = options.out;
  profile.lang = options.lang;
  profile.scheme = options.tiers.scheme;
  profile.scoring = options.tiers.scoring;
  profile.playbook = options.playbook;
  profile.ids = options.ids;
  profile.outliers = options.outliers;
  run_profile(profile, std::move(first));
  return true;
}

// A behaviour log (a behaviour column: pv/fav/cart/buy) gets the events analysis with its
// defaults: the same --out files, the behaviour sections in report.html.
bool run_as_events(const AnalyzeOptions& options, std::unique_ptr<io::RowSource>& first) {
  if (!is_behavior_log_header(first->header(), options.input.maps)) return false;
  if (options.with_prediction || options.with_clv) {
    throw Error("--predict and --clv need order lines; this input is a behaviour log");
  }
  EventsCommandOptions events;
  events.input = options.input;
  events.out = options.out;
  events.lang = options.lang;
  events.ids = options.ids;
  events.dedup = options.dedup;
  events.store = options.store;
  run_events(events, std::move(first));
  return true;
}

void run_analyze(const AnalyzeOptions& options) {
  const std::vector<std::string> files = expand_inputs(options.input.inputs);
  RunRecorder recorder("analyze", options.store, files, database_relation(options.input));
  std::unique_ptr<io::RowSource> first =
      io::open_input(files.front(), to_read_options(options.input));
  if (run_as_profile(options, first)) return;
  if (run_as_events(options, first)) return;
  std::optional<report::IdHasher> hasher = make_id_hasher(options.ids);
  const bool own_playbook = !options.playbook.empty();
  const report::Playbook playbook =
      report::Playbook::load(own_playbook ? options.playbook : report::default_playbook_path());
  const std::filesystem::path out_dir = make_out_dir(options.out);
  io::OutputFiles outputs;
  CleanOptions clean_options;
  clean_options.dedup = options.dedup;
  clean_options.outliers = to_outlier_options(options.outliers);
  PatternOptions pattern_options;
  pattern_options.category_map = options.categories;
  Lang lang = parse_lang(
      !options.lang.empty() ? options.lang : (has_chinese_header(first->header()) ? "zh" : "en"));
  const report::SinkContext sinks{outputs, lang, options.input.quiet ? nullptr : &std::cerr};
  const std::unique_ptr<report::RejectWriter> rejects =
      report::open_reject_sink("rejects.csv", sinks, out_dir / "rejects.csv");
  report::Summary summary;
  std::optional<PredictionFeed> prediction;
  if (options.with_prediction) {
    if (!can_stream(clean_options, options.input)) {
      throw Error(
          "--predict reads the input once as a stream: --outlier-action drop or cap needs files, "
          "not a pipe or standard input");
    }
    prediction.emplace(
        to_predict_options(options.predict, to_rfm_options(options.tiers), options.input.threads),
        options.input.quiet);
  }
  std::optional<ClvFeed> clv;
  if (options.with_clv) {
    if (!can_stream(clean_options, options.input)) {
      throw Error(
          "--clv reads the input once as a stream: --outlier-action drop or cap needs files, not "
          "a pipe or standard input");
    }
    clv.emplace(to_clv_settings(options.clv), to_rfm_options(options.tiers), options.input.quiet);
  }
  // The prediction's and the lifetime value's consumers ride on the same scan.
  ExtraConsumers extra;
  extra.make = [&](const pipeline::LineNames& columns) {
    std::vector<pipeline::LineConsumer*> consumers;
    for (const ExtraConsumers* feed :
         {prediction ? &prediction->extra() : nullptr, clv ? &clv->extra() : nullptr}) {
      if (feed == nullptr) continue;
      for (pipeline::LineConsumer* consumer : feed->make(columns)) consumers.push_back(consumer);
    }
    return consumers;
  };
  extra.finish = [&](const pipeline::OrderScanResult& scan) {
    if (prediction) prediction->extra().finish(scan);
    if (clv) clv->extra().finish(scan);
  };
  if (can_stream(clean_options, options.input)) {
    // One pass: the rules, RFM totals and sales patterns (and the prediction's customer
    // features, the lifetime value's calibration summary) as the lines stream.
    StreamedOrders streamed =
        stream_orders(options.input, clean_options, rejects.get(), hasher ? &*hasher : nullptr,
                      &pattern_options, std::move(first), prediction || clv ? &extra : nullptr);
    if (streamed.scan.audit.rows_kept == 0) outputs.commit();  // the error below points at them
    require_kept_lines(streamed.scan.audit);
    summary = report::assemble_summary(
        rfm_from_totals(std::move(streamed.totals), to_rfm_options(options.tiers)),
        std::move(*streamed.patterns), streamed.scan.audit, input_info(streamed.scan));
  } else {
    LoadedOrders loaded = load_orders(options.input, clean_options, std::move(first));
    if (hasher) report::hash_reject_ids(loaded.clean.rejects, *hasher);
    rejects->add(loaded.clean.rejects);
    rejects->close();
    if (loaded.clean.audit.rows_kept == 0) outputs.commit();  // the error below points at them
    require_kept_lines(loaded);
    summary = report::build_summary(loaded.clean.lines, loaded.clean.audit, input_info(loaded),
                                    to_rfm_options(options.tiers), pattern_options);
  }
  summary.playbook = playbook.for_result(summary.rfm, own_playbook);
  // The playbook shows what the store last measured on each tier (docs/store.md).
  if (const std::optional<std::string> store = readable_store(options.store, out_dir)) {
    const std::unique_ptr<io::Database> db = io::open_database(*store);
    report::attach_last_tests(summary.playbook, io::read_campaign_results(*db), summary.rfm.scheme);
  }
  if (prediction) {
    prediction->attach_tiers(summary.rfm, lang, hasher ? &*hasher : nullptr);
    summary.prediction = std::make_shared<const report::PredictionReport>(
        prediction->take_report(summary.rfm.scheme));
  }
  if (clv) {
    summary.clv = std::make_shared<const report::ClvReport>(
        clv->take_report(lang, hasher ? &*hasher : nullptr));
  }
  if (hasher) report::hash_summary_ids(summary, *hasher);
  report::write_sinks(report::SinkResults(summary), sinks, out_dir);
  if (summary.prediction) {
    write_text(outputs.stage(out_dir / "targets.csv"), report::targets_csv(*summary.prediction));
  }
  if (summary.clv) {
    write_text(outputs.stage(out_dir / "clv_customers.csv"),
               report::clv_customers_csv(*summary.clv));
  }
  recorder.set_out_dir(out_dir);
  report::fill_orders_record(recorder.record(), summary);
  recorder.record().parameters = analyze_parameters(options).dump();
  recorder.record().hashed_ids = hasher.has_value();
  recorder.write(options.input.quiet);
  outputs.commit();

  const RfmResult& rfm = summary.rfm;
  const std::vector<report::PlaybookEntry>& plays = summary.playbook;
  std::cout << report::audit_text(summary.audit, lang) << '\n'
            << report::rfm_text(rfm, lang) << '\n';
  if (!plays.empty()) std::cout << report::playbook_text(plays, rfm.segments, lang) << '\n';
  std::cout << report::patterns_text(summary.patterns, lang) << '\n';
  if (summary.prediction) std::cout << report::prediction_text(*summary.prediction, lang) << '\n';
  if (summary.clv) std::cout << report::clv_text(*summary.clv, lang) << '\n';
  std::cout << fmt::format("{}: {}\n", lang == Lang::kZh ? "结果目录" : "results in",
                           out_dir.string());
}

void setup(CLI::App& app) {
  auto options = std::make_shared<AnalyzeOptions>();
  add_input_options(app, options->input);
  app.add_option("--out,-o", options->out,
                 "Output folder (summary.json, report.html, customers.csv, customers.xlsx, "
                 "rejects.csv)")
      ->required();
  app.add_option("--lang", options->lang, "en or zh (default: zh for Chinese headers, else en)");
  add_tier_options(app, options->tiers);
  app.add_option("--categories", options->categories,
                 "Keyword -> category map (.toml) for descriptions; default: the shipped one");
  app.add_option("--playbook", options->playbook,
                 "Strategy playbook (.toml) per tier; default: the shipped share/playbook.toml");
  add_id_hash_options(app, options->ids);
  add_outlier_options(app, options->outliers);
  app.add_flag("--dedup", options->dedup, "Drop exact duplicate lines");
  app.add_flag("--predict", options->with_prediction,
               "Add the purchase prediction (docs/predict.md) and targets.csv; its options as "
               "`custlens predict` has them");
  add_prediction_options(app, options->predict);
  app.add_flag("--clv", options->with_clv,
               "Add customer lifetime value (docs/clv.md) and clv_customers.csv; its options as "
               "`custlens clv` has them, with --clv-model, --clv-horizon and --clv-margin");
  add_clv_options(app, options->clv, "clv-");
  add_store_options(app, options->store);
  app.callback([options] { run_analyze(*options); });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(
    analyze, "The main job: audit, RFM tiers, Pareto and sales patterns into --out DIR", setup);

}  // namespace custlens::cli
