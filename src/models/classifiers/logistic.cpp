// The logistic baseline of `predict`: the Newton logit of `custlens logit` on standardised
// features. A missing value takes the training median and sets a `<feature>_missing` column;
// constant and collinear columns are left out. Contributions are β·z per feature (exact for a
// linear model), so they add up to the logit as XGBoost's SHAP values do.
#include <fmt/format.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "custlens/error.h"
#include "models/classifier.h"
#include "models/least_squares.h"
#include "models/logit_newton.h"

namespace custlens::models {
namespace {

struct Column {
  std::size_t feature = 0;  // the input column it comes from
  bool missing_flag = false;
  double fill = 0;  // the value that stands for NaN (the training median)
  double mean = 0;
  double sd = 1;
};

class LogisticClassifier final : public Classifier {
 public:
  explicit LogisticClassifier(const ClassifierOptions&) {}

  void fit(const FeatureMatrix& x, std::span<const float> y, const Validation&) override {
    if (y.size() != x.rows) throw Error("logistic baseline: one label per row is needed");
    names_ = x.names;
    columns_.clear();
    for (std::size_t j = 0; j < x.cols(); ++j) {
      std::vector<double> present;
      present.reserve(x.rows);
      for (std::size_t r = 0; r < x.rows; ++r) {
        if (!std::isnan(x.at(r, j))) present.push_back(x.at(r, j));
      }
      if (present.empty()) continue;
      Column c{j, false, median(present), 0, 1};
      const bool has_missing = present.size() < x.rows;
      columns_.push_back(c);
      if (has_missing) columns_.push_back(Column{j, true, 0, 0, 1});
    }
    Eigen::MatrixXd design = raw_design(x);
    // Standardise; drop constant columns.
    std::vector<Column> varying;
    std::vector<Eigen::Index> keep = {0};
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      const auto col = design.col(static_cast<Eigen::Index>(c) + 1);
      const double mean = col.mean();
      const double sd = std::sqrt((col.array() - mean).square().mean());
      if (!(sd > 0)) continue;
      columns_[c].mean = mean;
      columns_[c].sd = sd;
      varying.push_back(columns_[c]);
      keep.push_back(static_cast<Eigen::Index>(c) + 1);
    }
    columns_ = std::move(varying);
    design = standardise(select_columns(design, keep));
    // Columns that are combinations of earlier ones (one-hot levels that add up to the
    // intercept, sums of other features) would leave β unidentified.
    const Collinearity collinear = find_collinear_columns(r_factor(design, nullptr));
    std::vector<Column> independent;
    for (Eigen::Index k : collinear.kept) {
      if (k > 0) independent.push_back(columns_[static_cast<std::size_t>(k) - 1]);
    }
    columns_ = std::move(independent);
    design = select_columns(design, collinear.kept);
    Eigen::VectorXd target(static_cast<Eigen::Index>(y.size()));
    for (std::size_t i = 0; i < y.size(); ++i) target[static_cast<Eigen::Index>(i)] = y[i];
    const NewtonFit fit =
        logit_newton(design, target, kMaxIterations, kTolerance, [](const Eigen::VectorXd&) {
          throw Error(
              "logistic baseline: the features separate buyers from non-buyers exactly; the "
              "logit estimates do not exist");
        });
    beta_ = fit.beta;
    iterations_ = fit.iterations;
    fitted_ = true;
  }

  std::vector<double> predict(const FeatureMatrix& x) const override {
    const Eigen::VectorXd eta = design_of(x) * beta_;
    std::vector<double> p(static_cast<std::size_t>(eta.size()));
    for (Eigen::Index i = 0; i < eta.size(); ++i) {
      p[static_cast<std::size_t>(i)] = 1 / (1 + std::exp(-eta[i]));
    }
    return p;
  }

  std::vector<double> contributions(const FeatureMatrix& x) const override {
    const Eigen::MatrixXd design = design_of(x);
    const std::size_t width = names_.size() + 1;
    std::vector<double> out(x.rows * width, 0.0);
    for (std::size_t r = 0; r < x.rows; ++r) {
      double* row = out.data() + r * width;
      row[names_.size()] = beta_[0];
      for (std::size_t c = 0; c < columns_.size(); ++c) {
        const auto k = static_cast<Eigen::Index>(c) + 1;
        row[columns_[c].feature] += beta_[k] * design(static_cast<Eigen::Index>(r), k);
      }
    }
    return out;
  }

  ModelDescription describe() const override {
    ModelDescription d;
    d.name = "logistic";
    d.parameters = {{"method", "newton"},
                    {"max_iterations", std::to_string(kMaxIterations)},
                    {"tolerance", fmt::format("{}", kTolerance)},
                    {"missing", "training median + indicator"},
                    {"scaling", "standardised (training mean and sd)"}};
    d.importance_kind = "abs_coefficient_standardised";
    d.iterations = iterations_;
    std::vector<double> total(names_.size(), 0.0);
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      total[columns_[c].feature] += std::fabs(beta_[static_cast<Eigen::Index>(c) + 1]);
    }
    for (std::size_t j = 0; j < names_.size(); ++j) d.importance.push_back({names_[j], total[j]});
    std::stable_sort(d.importance.begin(), d.importance.end(),
                     [](const auto& a, const auto& b) { return a.value > b.value; });
    return d;
  }

 private:
  static constexpr int kMaxIterations = 35;  // statsmodels' default for method='newton'
  static constexpr double kTolerance = 1e-8;

  static double median(std::vector<double>& values) {
    const std::size_t mid = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid),
                     values.end());
    double upper = values[mid];
    if (values.size() % 2 == 1) return upper;
    const double lower =
        *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
    return (lower + upper) / 2;
  }

  // Intercept, then each column of columns_ before standardising.
  Eigen::MatrixXd raw_design(const FeatureMatrix& x) const {
    Eigen::MatrixXd d(static_cast<Eigen::Index>(x.rows),
                      static_cast<Eigen::Index>(columns_.size()) + 1);
    for (std::size_t r = 0; r < x.rows; ++r) {
      const auto i = static_cast<Eigen::Index>(r);
      d(i, 0) = 1;
      for (std::size_t c = 0; c < columns_.size(); ++c) {
        const float v = x.at(r, columns_[c].feature);
        const double value = columns_[c].missing_flag ? (std::isnan(v) ? 1.0 : 0.0)
                             : std::isnan(v)          ? columns_[c].fill
                                                      : static_cast<double>(v);
        d(i, static_cast<Eigen::Index>(c) + 1) = value;
      }
    }
    return d;
  }

  Eigen::MatrixXd standardise(Eigen::MatrixXd d) const {
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      auto col = d.col(static_cast<Eigen::Index>(c) + 1);
      col = ((col.array() - columns_[c].mean) / columns_[c].sd).matrix();
    }
    return d;
  }

  Eigen::MatrixXd design_of(const FeatureMatrix& x) const {
    if (!fitted_) throw Error("the logistic baseline is used before it was fitted");
    if (x.names != names_) throw Error("logistic baseline: feature columns differ from the fit's");
    return standardise(raw_design(x));
  }

  std::vector<std::string> names_;
  std::vector<Column> columns_;
  Eigen::VectorXd beta_;
  int iterations_ = 0;
  bool fitted_ = false;
};

std::unique_ptr<Classifier> make(const ClassifierOptions& options) {
  return std::make_unique<LogisticClassifier>(options);
}

}  // namespace
}  // namespace custlens::models

CUSTLENS_REGISTER_CLASSIFIER(logistic, custlens::models::make);
