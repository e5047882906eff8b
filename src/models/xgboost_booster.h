// Gradient-boosted trees through XGBoost's C API (Debian libxgboost-dev): training with early
// stopping on a validation part, predictions, SHAP contributions and gain importance. The
// `hist` tree method gives the same model bit for bit whatever the thread count (tested).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "models/classifier.h"
#include "models/feature_matrix.h"

namespace custlens::models {

struct BoosterParams {
  std::string objective = "binary:logistic";  ///< or "reg:squarederror", ...
  int max_depth = 4;
  double eta = 0.05;
  double subsample = 0.8;
  double colsample_bytree = 0.8;
  double min_child_weight = 1;
  double lambda = 1;
  int max_bin = 256;
  int rounds = 400;                ///< the most boosting rounds
  int early_stopping_rounds = 30;  ///< with a validation part: stop after this many without gain
  std::uint64_t seed = 42;
  int threads = 0;          ///< 0: every core
  std::string eval_metric;  ///< "" : XGBoost's default for the objective
};

/// The parameters as XGBoost names them, in the order they are set (for the report and for
/// reproducing a fit with another XGBoost binding).
std::vector<std::pair<std::string, std::string>> booster_parameter_list(const BoosterParams& p);

class Booster {
 public:
  /// Trains on `x` with targets `y`. With a validation part, the model keeps the rounds up to the
  /// best validation score and stops `early_stopping_rounds` after it. Throws custlens::Error
  /// (XGBoost's message) when XGBoost fails.
  static Booster train(const FeatureMatrix& x, std::span<const float> y,
                       const BoosterParams& params, const Validation& validation = {});
  Booster(Booster&&) noexcept;
  Booster& operator=(Booster&&) noexcept;
  ~Booster();

  /// The objective's prediction (a probability for binary:logistic) of every row.
  std::vector<float> predict(const FeatureMatrix& x) const;
  /// SHAP contributions to the margin: rows × (cols + 1), the bias last.
  std::vector<float> contributions(const FeatureMatrix& x) const;
  /// Gain of every feature over the kept trees, in column order (0 for unused ones): `total`
  /// sums it over the feature's splits, `average` divides by their number (XGBoost's "gain").
  struct Gain {
    double total = 0;
    double average = 0;
  };
  std::vector<Gain> gain_importance() const;
  /// Boosting rounds kept (the best iteration + 1 after early stopping).
  int rounds() const { return rounds_; }
  /// The validation metric per round (empty without a validation part).
  const std::vector<double>& validation_curve() const { return curve_; }
  /// The model in XGBoost's JSON format.
  std::string to_json() const;

 private:
  Booster() = default;
  void* handle_ = nullptr;  // BoosterHandle
  std::size_t cols_ = 0;
  int rounds_ = 0;
  int threads_ = 0;
  std::vector<double> curve_;
};

}  // namespace custlens::models
