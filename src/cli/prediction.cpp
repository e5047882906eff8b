// The prediction options and PredictionFeed (cli/prediction.h).
#include "cli/prediction.h"


#include "common/calendar.h"
#include "common/progress.h"

namespace custlens::cli {

void add_prediction_options(CLI::App& app, PredictionCliOptions& options) {
  app.add_option("--horizon", options.horizon, "Days ahead to predict a purchase in (default 90)")
      ->check(CLI::PositiveNumber);
  app.add_option("--model", options.model,
                 "The model that scores: xgboost or logistic (both are fitted and compared)");
  app.add_option("--test-share", options.test_share,
                 "Share of the population held out to judge the models (default 0.3)");
  app.add_option("--seed", options.seed, "Seed of the split and the models (default 42)");
  app.add_option("--contact-cost", options.contact_cost,
                 "Cost of contacting one customer (default 10)");
  app.add_option("--margin", options.margin, "Profit of one converted customer");
  app.add_option("--margin-rate", options.margin_rate,
                 "Without --margin: profit of a conversion as this share of the customer's "
                 "average order value (default 0.25)");
  app.add_option("--budget", options.budget, "Contacts the campaign can afford");
}

models::PredictOptions to_predict_options(const PredictionCliOptions& options,
                                          const RfmOptions& rfm, int threads) {
  models::PredictOptions predict;
  predict.horizon_days = options.horizon;
  if (rfm.as_of) predict.as_of_day = common::floor_div(*rfm.as_of, common::kSecondsPerDay);
  predict.model = options.model;
  predict.test_share = options.test_share;
  predict.seed = options.seed;
  predict.threads = threads;
  predict.contact_cost = options.contact_cost;
  predict.margin = options.margin;
  predict.margin_rate = options.margin_rate;
  predict.budget = options.budget;
  models::check_predict_options(predict);  // bad options fail before the input is read
  return predict;
}

PredictionFeed::PredictionFeed(models::PredictOptions options, bool quiet)
    : options_(std::move(options)), quiet_(quiet) {
  extra_.make = [this](const pipeline::LineNames& columns) {
    features_ = std::make_unique<analysis::CustomerFeatureAccumulator>(!columns.has_invoice);
    return std::vector<pipeline::LineConsumer*>{features_.get()};
  };
  extra_.finish = [this](const pipeline::OrderScanResult& scan) {
    common::ProgressBar stage("fitting models", common::ProgressBar::terminal_wanted(quiet_));
    stage.update(0, 1);
    run_ = models::run_prediction(*features_, scan.names, options_);
    stage.finish();
    customer_ids_ = scan.names.customer_ids;
    features_.reset();
  };
}

void PredictionFeed::attach_tiers(const RfmResult& rfm, Lang lang, report::IdHasher* hasher) {
  tiers_ = tier_names(customer_ids_, rfm, lang);
  if (hasher) {
    for (std::string& id : customer_ids_) id = hasher->hash(id);
  }
}

report::PredictionReport PredictionFeed::take_report(std::string scheme) {
  return report::PredictionReport{std::move(*run_), std::move(customer_ids_), std::move(tiers_),
                                  std::move(scheme)};
}

}  // namespace custlens::cli
