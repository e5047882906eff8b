// The XGBoost classifier of `predict`: binary:logistic trees (models::Booster) with early
// stopping on the validation part; SHAP contributions and gain importance from XGBoost itself.
#include <algorithm>

#include "custlens/error.h"
#include "models/classifier.h"
#include "models/xgboost_booster.h"

namespace custlens::models {
namespace {

class XGBoostClassifier final : public Classifier {
 public:
  explicit XGBoostClassifier(const ClassifierOptions& options) {
    params_.objective = "binary:logistic";
    params_.eval_metric = "logloss";
    params_.seed = options.seed;
    params_.threads = options.threads;
    if (options.rounds > 0) params_.rounds = options.rounds;
  }

  void fit(const FeatureMatrix& x, std::span<const float> y,
           const Validation& validation) override {
    names_ = x.names;
    booster_ = std::make_unique<Booster>(Booster::train(x, y, params_, validation));
  }

  std::vector<double> predict(const FeatureMatrix& x) const override {
    const std::vector<float> p = fitted().predict(x);
    return {p.begin(), p.end()};
  }

  std::vector<double> contributions(const FeatureMatrix& x) const override {
    const std::vector<float> c = fitted().contributions(x);
    return {c.begin(), c.end()};
  }

  ModelDescription describe() const override {
    ModelDescription d;
    d.name = "xgboost";
    d.parameters = booster_parameter_list(params_);
    d.parameters.emplace_back("rounds", std::to_string(params_.rounds));
    d.parameters.emplace_back("early_stopping_rounds",
                              std::to_string(params_.early_stopping_rounds));
    d.importance_kind = "total_gain";
    if (booster_) {
      d.iterations = booster_->rounds();
      const std::vector<Booster::Gain> gain = booster_->gain_importance();
      for (std::size_t j = 0; j < gain.size(); ++j) {
        d.importance.push_back({names_[j], gain[j].total});
      }
      std::stable_sort(d.importance.begin(), d.importance.end(),
                       [](const auto& a, const auto& b) { return a.value > b.value; });
    }
    return d;
  }

 private:
  const Booster& fitted() const {
    if (!booster_) throw Error("the XGBoost model is used before it was fitted");
    return *booster_;
  }

  BoosterParams params_;
  std::vector<std::string> names_;
  std::unique_ptr<Booster> booster_;
};

std::unique_ptr<Classifier> make(const ClassifierOptions& options) {
  return std::make_unique<XGBoostClassifier>(options);
}

}  // namespace
}  // namespace custlens::models

CUSTLENS_REGISTER_CLASSIFIER(xgboost, custlens::models::make);
