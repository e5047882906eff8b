// models::Booster and the classifiers of `predict`: equal to python3-xgboost on the same table
// and parameters (tests/reference/xgboost_reference.py), the same model for any thread count,
// SHAP contributions that add up to the margin, and the logistic baseline's contracts.
#include "models/xgboost_booster.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "custlens/error.h"
#include "models/classifier.h"

namespace custlens::models {
namespace {

struct LabelledTable {
  FeatureMatrix x;
  std::vector<float> y;
  std::vector<std::string> split;
};

// The `predict --features` layout: customer_id, split, label, then the features ("" = missing).
LabelledTable read_features(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  LabelledTable t;
  std::stringstream header(line);
  std::string cell;
  for (int k = 0; std::getline(header, cell, ','); ++k) {
    if (k >= 3) t.x.names.push_back(cell);
  }
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = line.find(',', start);
      cells.push_back(line.substr(start, comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    t.split.push_back(cells[1]);
    t.y.push_back(std::stof(cells[2]));
    for (std::size_t j = 3; j < cells.size(); ++j) {
      t.x.values.push_back(cells[j].empty() ? NAN : std::stof(cells[j]));
    }
    ++t.x.rows;
  }
  return t;
}

LabelledTable rows_where(const LabelledTable& t, const std::string& split) {
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < t.split.size(); ++i) {
    if (t.split[i] == split) rows.push_back(i);
  }
  LabelledTable out{t.x.select(rows), {}, {}};
  for (std::size_t r : rows) out.y.push_back(t.y[r]);
  return out;
}

BoosterParams predict_params(int threads) {
  BoosterParams params;
  params.eval_metric = "logloss";
  params.threads = threads;
  return params;
}

TEST(XGBoostGoldenTest, EqualToPythonXGBoostOnTheSameTableAndParameters) {
  const std::string dir = CUSTLENS_REFERENCE_DIR;
  const LabelledTable all =
      read_features(std::string(CUSTLENS_TEST_DATA) + "/predict_features_uci.csv");
  std::ifstream golden_file(dir + "/golden/xgboost/uci_invoices.json");
  const nlohmann::json golden = nlohmann::json::parse(golden_file);
  ASSERT_EQ(golden.at("features").get<std::vector<std::string>>(), all.x.names);
  // The reference's parameters are the Booster's defaults.
  const BoosterParams params = predict_params(2);
  for (const auto& [name, value] : booster_parameter_list(params)) {
    const nlohmann::json& expected = golden.at("params").at(name);
    EXPECT_EQ(expected.is_string() ? expected.get<std::string>() : expected.dump(), value) << name;
  }
  EXPECT_EQ(golden.at("num_boost_round").get<int>(), params.rounds);
  EXPECT_EQ(golden.at("early_stopping_rounds").get<int>(), params.early_stopping_rounds);

  const LabelledTable train = rows_where(all, "train");
  const LabelledTable valid = rows_where(all, "valid");
  const Booster booster = Booster::train(train.x, train.y, params, Validation{&valid.x, valid.y});
  EXPECT_EQ(booster.rounds(), golden.at("rounds").get<int>());
  const std::vector<float> p = booster.predict(all.x);
  const auto& expected = golden.at("predictions");
  ASSERT_EQ(p.size(), expected.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    ASSERT_NEAR(p[i], expected[i].get<double>(), 1e-6) << "row " << i;
  }
  const auto& contributions = golden.at("contributions");
  std::vector<std::size_t> first(contributions.size());
  for (std::size_t i = 0; i < first.size(); ++i) first[i] = i;
  const std::vector<float> c = booster.contributions(all.x.select(first));
  const std::size_t width = all.x.cols() + 1;
  for (std::size_t i = 0; i < first.size(); ++i) {
    for (std::size_t j = 0; j < width; ++j) {
      ASSERT_NEAR(c[i * width + j], contributions[i][j].get<double>(), 1e-6) << i << "," << j;
    }
  }
}

// A synthetic problem with missing values, big enough for several threads to share the work.
LabelledTable synthetic(std::size_t rows, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<float> normal;
  LabelledTable t;
  t.x.names = {"a", "b", "c", "d", "e"};
  for (std::size_t i = 0; i < rows; ++i) {
    float sum = 0;
    for (std::size_t j = 0; j < 5; ++j) {
      const float v = normal(random);
      t.x.values.push_back(j == 3 && i % 11 == 0 ? NAN : v);
      sum += v * static_cast<float>(static_cast<int>(j) - 2);
    }
    t.y.push_back(sum + normal(random) > 0 ? 1.0f : 0.0f);
    ++t.x.rows;
  }
  return t;
}

TEST(BoosterTest, TheSameModelForAnyThreadCount) {
  const LabelledTable t = synthetic(20000, 7);
  const LabelledTable v = synthetic(3000, 8);
  BoosterParams one = predict_params(1);
  BoosterParams four = predict_params(4);
  one.rounds = four.rounds = 60;
  const Booster a = Booster::train(t.x, t.y, one, Validation{&v.x, v.y});
  const Booster b = Booster::train(t.x, t.y, four, Validation{&v.x, v.y});
  EXPECT_EQ(a.rounds(), b.rounds());
  EXPECT_EQ(a.predict(v.x), b.predict(v.x));
  EXPECT_EQ(a.to_json(), b.to_json());
}

TEST(BoosterTest, ContributionsAddUpToTheMarginAndGainNamesUsedColumns) {
  const LabelledTable t = synthetic(4000, 3);
  BoosterParams params = predict_params(2);
  params.rounds = 40;
  const Booster booster = Booster::train(t.x, t.y, params);
  EXPECT_EQ(booster.rounds(), 40);  // no validation part: every round
  const std::vector<float> p = booster.predict(t.x);
  const std::vector<float> c = booster.contributions(t.x);
  for (std::size_t i = 0; i < 50; ++i) {
    double margin = 0;
    for (std::size_t j = 0; j <= t.x.cols(); ++j) margin += c[i * (t.x.cols() + 1) + j];
    EXPECT_NEAR(1 / (1 + std::exp(-margin)), p[i], 1e-5);
  }
  const std::vector<Booster::Gain> gain = booster.gain_importance();
  ASSERT_EQ(gain.size(), 5u);
  // Column c (weight 0) matters least; a and e (weights ±2) most.
  EXPECT_GT(gain[0].total, gain[2].total);
  EXPECT_GT(gain[4].total, gain[2].total);
  for (const auto& g : gain) EXPECT_GE(g.total, g.average);
}

TEST(BoosterTest, EarlyStoppingKeepsTheBestRound) {
  const LabelledTable t = synthetic(3000, 11);
  const LabelledTable v = synthetic(1000, 12);
  BoosterParams params = predict_params(2);
  params.eta = 0.5;  // overfits fast
  params.max_depth = 8;
  params.rounds = 300;
  params.early_stopping_rounds = 10;
  const Booster booster = Booster::train(t.x, t.y, params, Validation{&v.x, v.y});
  const std::vector<double>& curve = booster.validation_curve();
  ASSERT_LT(curve.size(), 300u);
  const auto best = std::min_element(curve.begin(), curve.end()) - curve.begin();
  EXPECT_EQ(booster.rounds(), best + 1);
  EXPECT_EQ(static_cast<long>(curve.size()), best + 1 + 10);
}

TEST(BoosterTest, MismatchedInputsAreErrors) {
  const LabelledTable t = synthetic(100, 1);
  std::vector<float> short_labels(t.y.begin(), t.y.end() - 1);
  EXPECT_THROW(Booster::train(t.x, short_labels, predict_params(1)), Error);
  BoosterParams params = predict_params(1);
  params.rounds = 5;
  const Booster booster = Booster::train(t.x, t.y, params);
  FeatureMatrix narrow{{"a"}, 1, {0.5f}};
  EXPECT_THROW((void)booster.predict(narrow), Error);
  EXPECT_THROW(make_classifier("forest", {}), Error);
}

TEST(ClassifierTest, BothRegisteredModelsFitPredictAndExplain) {
  const LabelledTable t = synthetic(3000, 5);
  const LabelledTable v = synthetic(800, 6);
  EXPECT_EQ(classifier_names(), (std::vector<std::string>{"logistic", "xgboost"}));
  for (const std::string& name : classifier_names()) {
    std::unique_ptr<Classifier> model = make_classifier(name, {42, 2, 0});
    model->fit(t.x, t.y, Validation{&v.x, v.y});
    const std::vector<double> p = model->predict(v.x);
    const std::vector<double> c = model->contributions(v.x);
    ASSERT_EQ(p.size(), v.x.rows);
    ASSERT_EQ(c.size(), v.x.rows * (v.x.cols() + 1));
    double correct = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      double margin = 0;
      for (std::size_t j = 0; j <= v.x.cols(); ++j) margin += c[i * (v.x.cols() + 1) + j];
      EXPECT_NEAR(1 / (1 + std::exp(-margin)), p[i], 1e-5) << name;
      correct += (p[i] > 0.5) == (v.y[i] > 0.5);
    }
    EXPECT_GT(correct / static_cast<double>(p.size()), 0.8) << name;
    const ModelDescription d = model->describe();
    EXPECT_EQ(d.name, name);
    ASSERT_EQ(d.importance.size(), 5u);
    EXPECT_NE(d.importance.back().feature, "a") << name;  // weight -2: never the least
    EXPECT_GT(d.iterations, 0);
  }
}

TEST(ClassifierTest, LogisticBaselineDropsConstantAndCollinearColumns) {
  LabelledTable t = synthetic(2000, 9);
  // A constant column and a copy of column a: predictions as without them.
  FeatureMatrix wide{{"a", "b", "c", "d", "e", "constant", "a_again"}, t.x.rows, {}};
  for (std::size_t r = 0; r < t.x.rows; ++r) {
    for (std::size_t j = 0; j < 5; ++j) wide.values.push_back(t.x.at(r, j));
    wide.values.push_back(3.0f);
    wide.values.push_back(t.x.at(r, 0));
  }
  std::unique_ptr<Classifier> narrow_model = make_classifier("logistic", {});
  std::unique_ptr<Classifier> wide_model = make_classifier("logistic", {});
  narrow_model->fit(t.x, t.y, {});
  wide_model->fit(wide, t.y, {});
  const std::vector<double> a = narrow_model->predict(t.x);
  const std::vector<double> b = wide_model->predict(wide);
  for (std::size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], 1e-9);
}

}  // namespace
}  // namespace custlens::models
