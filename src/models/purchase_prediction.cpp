// run_prediction: the protocol of docs/predict.md, step by step.
#include "models/purchase_prediction.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "custlens/error.h"

namespace custlens::models {
namespace {

// splitmix64: a fixed, portable stream (std::shuffle and the std distributions are not the same
// on every standard library, and the split must be).
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, bound) (Lemire's multiply-shift; the bias is below 2^-40 for our sizes).
  std::size_t below(std::size_t bound) {
    return static_cast<std::size_t>((static_cast<unsigned __int128>(next()) * bound) >> 64);
  }

 private:
  std::uint64_t state_;
};

void shuffle(std::vector<std::size_t>& items, Random& random) {
  for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[random.below(i)]);
}

std::size_t rounded_share(std::size_t n, double share) {
  return std::min(n, static_cast<std::size_t>(std::floor(static_cast<double>(n) * share + 0.5)));
}

// Stratified by label: each class shuffled on its own, the first test_share of it to test, then
// validation_share of the rest to validation.
std::vector<Split> split_population(std::span<const float> labels, double test_share,
                                    double validation_share, std::uint64_t seed) {
  std::vector<Split> split(labels.size(), Split::kTrain);
  Random random(seed);
  for (const float label : {0.0f, 1.0f}) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (labels[i] == label) rows.push_back(i);
    }
    shuffle(rows, random);
    const std::size_t test = rounded_share(rows.size(), test_share);
    const std::size_t validation = rounded_share(rows.size() - test, validation_share);
    for (std::size_t k = 0; k < test; ++k) split[rows[k]] = Split::kTest;
    for (std::size_t k = test; k < test + validation; ++k) split[rows[k]] = Split::kValidation;
  }
  return split;
}

std::vector<std::size_t> rows_of(const std::vector<Split>& split, Split which) {
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < split.size(); ++i) {
    if (split[i] == which) rows.push_back(i);
  }
  return rows;
}

template <typename T>
std::vector<T> pick(std::span<const T> values, const std::vector<std::size_t>& rows) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (std::size_t r : rows) out.push_back(values[r]);
  return out;
}

std::vector<Reason> top_reasons(const FeatureMatrix& x, std::size_t row,
                                std::span<const double> contributions, std::size_t count) {
  const std::size_t cols = x.cols();
  const double* c = contributions.data() + row * (cols + 1);
  std::vector<std::size_t> order(cols);
  std::iota(order.begin(), order.end(), 0);
  count = std::min(count, cols);
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count), order.end(),
                    [&](std::size_t a, std::size_t b) {
                      const double ma = std::fabs(c[a]), mb = std::fabs(c[b]);
                      return ma != mb ? ma > mb : a < b;
                    });
  std::vector<Reason> reasons;
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t j = order[k];
    if (c[j] == 0) break;  // a feature the model never used explains nothing
    reasons.push_back({x.names[j], x.at(row, j), c[j]});
  }
  return reasons;
}

std::vector<double> values_per_conversion(const analysis::CustomerFeatureAccumulator& features,
                                          const analysis::CustomerFeatureSet& set,
                                          const PredictOptions& options) {
  if (options.margin) return std::vector<double>(set.customers.size(), *options.margin);
  std::vector<double> values = features.average_order_values(set);
  for (double& v : values) v *= options.margin_rate;
  return values;
}

// The population cut by the split: each part's rows, features and labels, made once for every
// model.
struct SplitParts {
  std::vector<std::size_t> train_rows, valid_rows, test_rows;
  FeatureMatrix train, valid, test;
  std::vector<float> train_y, valid_y, test_y;
};

SplitParts split_parts(const FeatureMatrix& x, std::span<const float> labels,
                       const std::vector<Split>& split) {
  SplitParts p;
  p.train_rows = rows_of(split, Split::kTrain);
  p.valid_rows = rows_of(split, Split::kValidation);
  p.test_rows = rows_of(split, Split::kTest);
  p.train = x.select(p.train_rows);
  p.valid = x.select(p.valid_rows);
  p.test = x.select(p.test_rows);
  p.train_y = pick(labels, p.train_rows);
  p.valid_y = pick(labels, p.valid_rows);
  p.test_y = pick(labels, p.test_rows);
  return p;
}

ModelRun fit_and_judge(const std::string& name, const FeatureMatrix& x, const SplitParts& parts,
                       const PredictOptions& options) {
  ClassifierOptions classifier_options{options.seed, options.threads, 0};
  std::unique_ptr<Classifier> classifier = make_classifier(name, classifier_options);
  classifier->fit(parts.train, parts.train_y, Validation{&parts.valid, parts.valid_y});
  ModelRun run;
  run.scores = classifier->predict(x);
  run.description = classifier->describe();
  run.test =
      evaluate_scores(parts.test_y, pick(std::span<const double>(run.scores), parts.test_rows));
  const std::vector<double> contributions = classifier->contributions(parts.test);
  run.mean_abs_contribution.assign(x.cols(), 0.0);
  for (std::size_t r = 0; r < parts.test.rows; ++r) {
    for (std::size_t j = 0; j < x.cols(); ++j) {
      run.mean_abs_contribution[j] += std::fabs(contributions[r * (x.cols() + 1) + j]);
    }
  }
  for (double& v : run.mean_abs_contribution)
    v /= static_cast<double>(std::max<std::size_t>(1, parts.test.rows));
  return run;
}

}  // namespace

const char* split_name(Split split) {
  switch (split) {
    case Split::kTrain:
      return "train";
    case Split::kValidation:
      return "valid";
    case Split::kTest:
      return "test";
  }
  return "?";
}

void check_predict_options(const PredictOptions& options) {
  if (options.horizon_days < 1) throw Error("--horizon must be at least 1 day");
  if (options.margin && !(*options.margin >= 0)) throw Error("--margin must be 0 or more");
  if (!(options.margin_rate >= 0)) throw Error("--margin-rate must be 0 or more");
  if (!(options.contact_cost >= 0)) throw Error("--contact-cost must be 0 or more");
  if (options.budget && *options.budget < 0) throw Error("--budget must be 0 or more");
  if (!(options.test_share > 0 && options.test_share < 1)) {
    throw Error("--test-share must lie strictly between 0 and 1");
  }
  make_classifier(options.model, {});  // throws for an unknown name
}

PredictionRun run_prediction(const analysis::CustomerFeatureAccumulator& features,
                             const pipeline::LineNames& names, const PredictOptions& options) {
  check_predict_options(options);
  PredictionRun run;
  run.horizon_days = options.horizon_days;
  run.as_of_day = options.as_of_day.value_or(features.day_after_last_purchase());
  run.cutoff_day = run.as_of_day - options.horizon_days;
  run.test_share = options.test_share;
  run.validation_share = options.validation_share;
  run.seed = options.seed;
  run.contact_cost = options.contact_cost;
  run.margin = options.margin;
  run.margin_rate = options.margin_rate;

  run.population = features.features_at(run.cutoff_day, names);
  const FeatureMatrix& x = run.population.features;
  run.feature_names = x.names;
  if (x.rows == 0) {
    throw Error(fmt::format(
        "no customer bought before the cutoff ({} days before the as-of day): the data must "
        "cover more than the --horizon",
        options.horizon_days));
  }
  run.labels = features.labels(run.population, run.as_of_day);
  run.positives = static_cast<std::int64_t>(std::count(run.labels.begin(), run.labels.end(), 1.0f));
  if (run.positives == 0 || run.positives == static_cast<std::int64_t>(x.rows)) {
    throw Error(fmt::format(
        "of the {} customers who bought before the cutoff, {} bought again in the {} days after "
        "it: a model needs both buyers and non-buyers",
        x.rows, run.positives, options.horizon_days));
  }
  run.split =
      split_population(run.labels, options.test_share, options.validation_share, options.seed);
  const SplitParts parts = split_parts(x, run.labels, run.split);
  run.train = parts.train_rows.size();
  run.validation = parts.valid_rows.size();
  run.test = parts.test_rows.size();

  run.model = fit_and_judge(options.model, x, parts, options);
  for (const std::string& name : classifier_names()) {
    if (name == options.model) continue;
    try {
      run.baselines.push_back(fit_and_judge(name, x, parts, options));
    } catch (const Error& e) {
      run.baseline_failures.push_back(fmt::format("{}: {}", name, e.what()));
    }
  }

  // Targeting on the test part, by the primary model's scores.
  const std::vector<double> values = values_per_conversion(features, run.population, options);
  TargetingOptions targeting_options{options.contact_cost, options.budget};
  run.targeting = evaluate_targeting(
      parts.test_y, pick(std::span<const double>(run.model.scores), parts.test_rows),
      pick(std::span<const double>(values), parts.test_rows), targeting_options);

  // Apply: the primary model refitted on the whole population with the rounds early stopping
  // kept, scoring every customer as of the as-of day.
  ClassifierOptions refit_options{options.seed, options.threads,
                                  std::max(1, run.model.description.iterations)};
  std::unique_ptr<Classifier> refit = make_classifier(options.model, refit_options);
  refit->fit(x, run.labels, Validation{});
  run.refit_iterations = refit->describe().iterations;
  const analysis::CustomerFeatureSet current = features.features_at(run.as_of_day, names, &x);
  const std::vector<double> scores = refit->predict(current.features);
  const std::vector<double> contributions = refit->contributions(current.features);
  const std::vector<double> current_values = values_per_conversion(features, current, options);
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  run.targets.reserve(order.size());
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    const std::size_t i = order[rank];
    Target t;
    t.customer = current.customers[i];
    t.score = scores[i];
    t.decile = decile_of_position(rank, order.size());
    t.value_per_conversion = current_values[i];
    t.expected_value = t.score * t.value_per_conversion;
    t.reasons = top_reasons(current.features, i, contributions, 3);
    run.targets.push_back(std::move(t));
  }
  run.targets_projection =
      project_list(scores, current_values, run.targeting.best.threshold, options.contact_cost);
  return run;
}

}  // namespace custlens::models
