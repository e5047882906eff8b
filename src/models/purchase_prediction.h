// The run of `custlens predict` (docs/predict.md): the protocol (cutoff = as_of − horizon, the
// population, labels, a seeded stratified split with a validation part), both classifiers fitted
// and evaluated on the test part, targeting, and the refit that scores every current customer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/customer_features.h"
#include "models/classifier.h"
#include "models/evaluation.h"

namespace custlens::models {

struct PredictOptions {
  int horizon_days = 90;
  std::optional<std::int64_t> as_of_day;  ///< days since 1970-01-01; default: after the last buy
  std::string model = "xgboost";          ///< the primary model; every other one is a baseline
  double test_share = 0.3;
  double validation_share = 0.2;  ///< of the training part, for early stopping
  std::uint64_t seed = 42;
  int threads = 0;
  double contact_cost = 10;
  std::optional<double> margin;  ///< per converted customer
  double margin_rate = 0.25;     ///< × the customer's average order value, without --margin
  std::optional<std::int64_t> budget;
};

/// Where a customer of the population went.
enum class Split : std::uint8_t { kTrain, kValidation, kTest };
const char* split_name(Split split);

/// One feature's push on a customer's score: its contribution to the log-odds.
struct Reason {
  std::string feature;
  float value = 0;  ///< the customer's feature value (NaN: missing)
  double contribution = 0;
};

/// One model's fit on the training part, judged on the test part.
struct ModelRun {
  ModelDescription description;
  BinaryEvaluation test;
  std::vector<double> scores;  ///< every customer of the population, in population order
  /// Mean |contribution| of each feature on the test part, in column order.
  std::vector<double> mean_abs_contribution;
};

/// One row of targets.csv: a current customer scored for the next horizon.
struct Target {
  std::uint32_t customer = 0;  ///< id into the scan's customer list
  double score = 0;
  int decile = 0;  ///< 1 = the tenth with the highest scores
  double value_per_conversion = 0;
  double expected_value = 0;    ///< score × value_per_conversion
  std::vector<Reason> reasons;  ///< the three largest |contribution|, largest first
};

struct PredictionRun {
  std::int64_t as_of_day = 0;
  std::int64_t cutoff_day = 0;
  int horizon_days = 0;
  double test_share = 0;
  double validation_share = 0;
  std::uint64_t seed = 0;
  std::vector<std::string> feature_names;
  analysis::CustomerFeatureSet population;  ///< features as of the cutoff
  std::vector<float> labels;
  std::vector<Split> split;
  std::size_t train = 0, validation = 0, test = 0;
  std::int64_t positives = 0;
  ModelRun model;                              ///< the primary (--model)
  std::vector<ModelRun> baselines;             ///< every other registered model
  std::vector<std::string> baseline_failures;  ///< "logistic: why" for a baseline that failed
  /// On the test part: contacting by the primary model's scores.
  Targeting targeting;
  double contact_cost = 0;
  std::optional<double> margin;
  double margin_rate = 0;
  /// The refit on the whole population, applied to every current customer.
  int refit_iterations = 0;
  std::vector<Target> targets;        ///< by score, highest first
  ListProjection targets_projection;  ///< the best cut of the test part applied to the targets
};

/// Throws custlens::Error naming the option for a horizon below one day, a test share outside
/// (0, 1), a negative margin, margin rate, contact cost or budget, or an unknown model.
void check_predict_options(const PredictOptions& options);

/// Runs the protocol on the features of a finished scan. Throws custlens::Error for options that
/// check_predict_options refuses, and when the data cannot support the protocol: no customer
/// before the cutoff, or a population with no buyer or only buyers in the horizon.
PredictionRun run_prediction(const analysis::CustomerFeatureAccumulator& features,
                             const pipeline::LineNames& names, const PredictOptions& options);

}  // namespace custlens::models
