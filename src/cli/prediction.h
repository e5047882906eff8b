// What `predict` and `analyze --predict` share: the prediction options, and the feed that puts
// the customer features on the scan and runs the protocol at its end.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/customer_features.h"
#include "cli/common.h"
#include "custlens/rfm.h"
#include "models/purchase_prediction.h"
#include "report/hashed_ids.h"
#include "report/predict_summary.h"

namespace custlens::cli {

struct PredictionCliOptions {
  int horizon = 90;
  std::string model = "xgboost";
  double test_share = 0.3;
  std::uint64_t seed = 42;
  double contact_cost = 10;
  std::optional<double> margin;
  double margin_rate = 0.25;
  std::optional<std::int64_t> budget;
};

/// --horizon, --model, --test-share, --seed, --contact-cost, --margin, --margin-rate, --budget.
void add_prediction_options(CLI::App& app, PredictionCliOptions& options);
/// Checks the options (one-line errors) and the model name; the as-of day from --as-of.
models::PredictOptions to_predict_options(const PredictionCliOptions& options,
                                          const RfmOptions& rfm, int threads);

/// The customer features fed by the scan of stream_orders (extra()), the protocol run when the
/// scan ends, and what the outputs need of it.
class PredictionFeed {
 public:
  PredictionFeed(models::PredictOptions options, bool quiet);
  /// For stream_orders; refers to this feed, which must outlive the scan.
  const ExtraConsumers& extra() const { return extra_; }
  /// The run; valid after the scan kept lines.
  const models::PredictionRun& run() const { return *run_; }
  /// The RFM tier of each of the scan's customers (by scan id), from `rfm` (whose ids must not be
  /// hashed yet); then, with `hasher`, hashes the feed's customer ids.
  void attach_tiers(const RfmResult& rfm, Lang lang, report::IdHasher* hasher);
  /// The run with its names, for the writers of report/predict_summary.h (moved out: call once).
  report::PredictionReport take_report(std::string scheme);

 private:
  models::PredictOptions options_;
  bool quiet_;
  ExtraConsumers extra_;
  std::unique_ptr<analysis::CustomerFeatureAccumulator> features_;
  std::optional<models::PredictionRun> run_;
  std::vector<std::string> customer_ids_;
  std::vector<std::string> tiers_;
};

}  // namespace custlens::cli
