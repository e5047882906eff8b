// The interface every binary classifier of `custlens predict` implements (fit, predict,
// describe), and their registry by name: XGBoost (xgboost.cpp) and the logistic baseline
// (logistic.cpp) each register themselves with CUSTLENS_REGISTER_CLASSIFIER.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/feature_matrix.h"

namespace custlens::models {

struct ClassifierOptions {
  std::uint64_t seed = 42;
  int threads = 0;  ///< 0: all cores; results do not depend on it
  /// Boosting rounds when fitting without a validation part (a refit takes the rounds that
  /// early stopping kept); 0: the model's own default. Ignored by models without rounds.
  int rounds = 0;
};

/// A labelled part of the data held out of the fit, for early stopping.
struct Validation {
  const FeatureMatrix* x = nullptr;
  std::span<const float> y;
};

struct FeatureImportance {
  std::string feature;
  double value = 0;  ///< XGBoost: total gain; logistic: |β| · sd of the standardised column
};

/// What a fitted model says about itself.
struct ModelDescription {
  std::string name;                                             ///< "xgboost", "logistic"
  std::vector<std::pair<std::string, std::string>> parameters;  ///< as set, for the report
  std::string importance_kind;                                  ///< "gain", "|coef|·sd"
  std::vector<FeatureImportance> importance;                    ///< descending by value
  int iterations = 0;  ///< boosting rounds kept (early stopping) or Newton steps
};

class Classifier {
 public:
  virtual ~Classifier() = default;
  /// Fits on `x` with labels `y` (0/1). Throws custlens::Error when the fit is impossible.
  virtual void fit(const FeatureMatrix& x, std::span<const float> y,
                   const Validation& validation) = 0;
  /// P(y = 1) for every row.
  virtual std::vector<double> predict(const FeatureMatrix& x) const = 0;
  /// Additive contributions to the log-odds (SHAP values for trees): rows × (cols + 1), the
  /// last column of each row the bias; each row sums to the logit of predict().
  virtual std::vector<double> contributions(const FeatureMatrix& x) const = 0;
  virtual ModelDescription describe() const = 0;
};

using ClassifierFactory = std::unique_ptr<Classifier> (*)(const ClassifierOptions& options);

/// The classifier registered as `name`; throws custlens::Error naming the choices otherwise.
std::unique_ptr<Classifier> make_classifier(std::string_view name,
                                            const ClassifierOptions& options);
/// The registered names, sorted.
std::vector<std::string> classifier_names();

struct ClassifierRegistrar {
  ClassifierRegistrar(std::string name, ClassifierFactory factory);
};

}  // namespace custlens::models

/// Registers a classifier from its own file: CUSTLENS_REGISTER_CLASSIFIER(xgboost, make_fn).
#define CUSTLENS_REGISTER_CLASSIFIER(ident, factory)                                  \
  static const ::custlens::models::ClassifierRegistrar ident##_classifier_registrar { \
#ident, factory                                                                   \
  }
