// predict's evaluation and targeting against the goldens of tests/reference/predict_reference.py
// (scikit-learn, and DeLong by the slow pairwise form), and against brute force on small cases.
#include "models/evaluation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "custlens/error.h"

namespace custlens::models {
namespace {

using nlohmann::json;

struct TestPart {
  std::vector<float> labels;
  std::vector<double> scores;
};

// The rows of split "test" of a `predict --scores` file, in file order.
TestPart read_test_part(const std::string& name) {
  std::ifstream in(std::string(CUSTLENS_TEST_DATA) + "/" + name);
  EXPECT_TRUE(in) << name;
  TestPart part;
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "customer_id,split,label,score");
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string id, split, label, score;
    std::getline(fields, id, ',');
    std::getline(fields, split, ',');
    std::getline(fields, label, ',');
    std::getline(fields, score, ',');
    if (split != "test") continue;
    part.labels.push_back(std::stof(label));
    part.scores.push_back(std::strtod(score.c_str(), nullptr));
  }
  return part;
}

json read_golden(const std::string& name) {
  std::ifstream in(std::string(CUSTLENS_REFERENCE_DIR) + "/golden/predict/" + name);
  EXPECT_TRUE(in) << name;
  return json::parse(in);
}

// A golden threshold: null for +infinity.
double threshold_of(const json& value) {
  return value.is_null() ? std::numeric_limits<double>::infinity() : value.get<double>();
}

void expect_point(const TargetingPoint& p, const json& g, const std::string& where) {
  SCOPED_TRACE(where);
  EXPECT_EQ(p.threshold, threshold_of(g.at("threshold")));
  EXPECT_EQ(p.contacted, g.at("contacted").get<std::int64_t>());
  EXPECT_EQ(p.converters, g.at("converters").get<std::int64_t>());
  EXPECT_NEAR(p.expected_converters, g.at("expected_converters").get<double>(), 1e-9);
  EXPECT_NEAR(p.hit_rate, g.at("hit_rate").get<double>(), 1e-12);
  EXPECT_NEAR(p.revenue, g.at("revenue").get<double>(), 1e-9);
  EXPECT_NEAR(p.profit, g.at("profit").get<double>(), 1e-9);
  EXPECT_NEAR(p.expected_profit, g.at("expected_profit").get<double>(), 1e-9);
  ASSERT_EQ(p.roi.has_value(), !g.at("roi").is_null());
  if (p.roi) EXPECT_NEAR(*p.roi, g.at("roi").get<double>(), 1e-12);
}

void expect_matches_golden(const std::string& scores_file, const std::string& golden_file) {
  const TestPart part = read_test_part(scores_file);
  const json golden = read_golden(golden_file);
  const BinaryEvaluation e = evaluate_scores(part.labels, part.scores);

  EXPECT_EQ(e.customers, golden.at("customers").get<std::int64_t>());
  EXPECT_EQ(e.positives, golden.at("positives").get<std::int64_t>());
  EXPECT_NEAR(e.auc, golden.at("auc").get<double>(), 1e-9);
  EXPECT_NEAR(e.auc_se, golden.at("auc_se").get<double>(), 1e-9);
  EXPECT_NEAR(e.auc_ci_lower, golden.at("auc_ci_lower").get<double>(), 1e-9);
  EXPECT_NEAR(e.auc_ci_upper, golden.at("auc_ci_upper").get<double>(), 1e-9);
  EXPECT_NEAR(e.brier, golden.at("brier").get<double>(), 1e-12);

  const json& roc = golden.at("roc");
  ASSERT_EQ(e.roc.size(), roc.at("fpr").size());
  for (std::size_t i = 0; i < e.roc.size(); ++i) {
    EXPECT_NEAR(e.roc[i].fpr, roc.at("fpr")[i].get<double>(), 1e-12) << i;
    EXPECT_NEAR(e.roc[i].tpr, roc.at("tpr")[i].get<double>(), 1e-12) << i;
    EXPECT_EQ(e.roc[i].threshold, threshold_of(roc.at("threshold")[i])) << i;
  }

  const json& bins = golden.at("calibration");
  ASSERT_EQ(e.calibration.size(), bins.size());
  for (std::size_t b = 0; b < bins.size(); ++b) {
    EXPECT_EQ(e.calibration[b].lower, bins[b].at("lower").get<double>());
    EXPECT_EQ(e.calibration[b].upper, bins[b].at("upper").get<double>());
    EXPECT_EQ(e.calibration[b].customers, bins[b].at("customers").get<std::int64_t>()) << b;
    EXPECT_NEAR(e.calibration[b].mean_score, bins[b].at("mean_score").get<double>(), 1e-12);
    EXPECT_NEAR(e.calibration[b].observed_rate, bins[b].at("observed_rate").get<double>(), 1e-12);
  }

  const json& gains = golden.at("gains");
  ASSERT_EQ(e.gains.size(), gains.size());
  for (std::size_t d = 0; d < gains.size(); ++d) {
    const GainsDecile& g = e.gains[d];
    const json& r = gains[d];
    EXPECT_EQ(g.decile, r.at("decile").get<int>());
    EXPECT_EQ(g.customers, r.at("customers").get<std::int64_t>()) << d;
    EXPECT_EQ(g.positives, r.at("positives").get<std::int64_t>()) << d;
    EXPECT_EQ(g.min_score, r.at("min_score").get<double>()) << d;
    EXPECT_EQ(g.max_score, r.at("max_score").get<double>()) << d;
    EXPECT_NEAR(g.response_rate, r.at("response_rate").get<double>(), 1e-12) << d;
    EXPECT_NEAR(g.gain, r.at("gain").get<double>(), 1e-12) << d;
    EXPECT_NEAR(g.lift, r.at("lift").get<double>(), 1e-12) << d;
    EXPECT_NEAR(g.cumulative_lift, r.at("cumulative_lift").get<double>(), 1e-12) << d;
  }

  for (const json& spec : golden.at("targeting")) {
    TargetingOptions options;
    options.contact_cost = spec.at("contact_cost").get<double>();
    if (!spec.at("budget_requested").is_null()) {
      options.budget = spec.at("budget_requested").get<std::int64_t>();
    }
    const std::vector<double> values(part.scores.size(), spec.at("margin").get<double>());
    const Targeting t = evaluate_targeting(part.labels, part.scores, values, options);
    const std::string where = "cost " + spec.at("contact_cost").dump();
    ASSERT_EQ(t.curve.size(), spec.at("curve").size()) << where;
    for (std::size_t i = 0; i < t.curve.size(); ++i) {
      expect_point(t.curve[i], spec.at("curve")[i], where + " point " + std::to_string(i));
    }
    EXPECT_EQ(t.best_index, spec.at("best_index").get<std::size_t>()) << where;
    expect_point(t.best, spec.at("best"), where + " best");
    expect_point(t.all, spec.at("all"), where + " all");
    ASSERT_EQ(t.budget.has_value(), !spec.at("budget").is_null()) << where;
    if (t.budget) expect_point(*t.budget, spec.at("budget"), where + " budget");
  }
}

TEST(EvaluationGoldenTest, SampleWithTiesMatchesScikitLearn) {
  expect_matches_golden("predict_scores_sample.csv", "scores_sample.json");
}

TEST(EvaluationGoldenTest, TinyTestPartMatchesScikitLearn) {
  expect_matches_golden("predict_scores_tiny.csv", "scores_tiny.json");
}

TEST(EvaluationTest, AllScoresTiedGiveHalfAndADegenerateInterval) {
  const std::vector<float> y{1, 0, 1, 0, 0};
  const std::vector<double> s(5, 0.4);
  const BinaryEvaluation e = evaluate_scores(y, s);
  EXPECT_DOUBLE_EQ(e.auc, 0.5);
  EXPECT_EQ(e.auc_se, 0);
  EXPECT_EQ(e.auc_ci_lower, 0.5);
  EXPECT_EQ(e.auc_ci_upper, 0.5);
  ASSERT_EQ(e.roc.size(), 2u);  // (0, 0) and (1, 1)
  EXPECT_EQ(e.roc[1].fpr, 1);
  EXPECT_EQ(e.roc[1].tpr, 1);
  EXPECT_EQ(e.roc[1].threshold, 0.4);
}

TEST(EvaluationTest, PerfectSeparationHasAucOneAndAPointInterval) {
  const std::vector<float> y{1, 1, 0, 0, 0};
  const std::vector<double> s{0.9, 0.8, 0.3, 0.2, 0.1};
  const BinaryEvaluation e = evaluate_scores(y, s);
  EXPECT_EQ(e.auc, 1);
  EXPECT_EQ(e.auc_ci_lower, 1);
  EXPECT_EQ(e.auc_ci_upper, 1);
  EXPECT_NEAR(e.brier, (0.01 + 0.04 + 0.09 + 0.04 + 0.01) / 5, 1e-15);
}

TEST(EvaluationTest, AClassOfOneGivesTheWholeRangeAsInterval) {
  const std::vector<float> y{1, 0, 0, 0};
  const std::vector<double> s{0.7, 0.8, 0.2, 0.1};
  const BinaryEvaluation e = evaluate_scores(y, s);
  EXPECT_DOUBLE_EQ(e.auc, 2.0 / 3.0);
  EXPECT_EQ(e.auc_ci_lower, 0);
  EXPECT_EQ(e.auc_ci_upper, 1);
}

TEST(EvaluationTest, OneClassAbsentIsAClearError) {
  const std::vector<double> s{0.2, 0.5, 0.9};
  const std::vector<float> zeros(3, 0.0f), ones(3, 1.0f);
  try {
    evaluate_scores(zeros, s);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("non-buyers"), std::string::npos) << error.what();
  }
  EXPECT_THROW(evaluate_scores(ones, s), Error);
}

TEST(EvaluationTest, BadInputsAreErrors) {
  const std::vector<float> y{0, 1};
  EXPECT_THROW(evaluate_scores(y, std::vector<double>{0.5}), Error);
  EXPECT_THROW(evaluate_scores({}, {}), Error);
  EXPECT_THROW(evaluate_scores(std::vector<float>{0, 2}, std::vector<double>{0.1, 0.2}), Error);
  EXPECT_THROW(evaluate_scores(y, std::vector<double>{0.1, 1.5}), Error);
  EXPECT_THROW(evaluate_scores(y, std::vector<double>{0.1, std::nan("")}), Error);
  EXPECT_THROW(evaluate_scores(y, std::vector<double>{-0.1, 0.2}), Error);
  const std::vector<double> s{0.1, 0.9};
  EXPECT_THROW(evaluate_targeting(y, s, std::vector<double>{1}, {}), Error);
  EXPECT_THROW(evaluate_targeting(y, s, std::vector<double>{1, -1}, {}), Error);
  EXPECT_THROW(evaluate_targeting(y, s, std::vector<double>{1, 1}, {.contact_cost = -1}), Error);
  EXPECT_THROW(evaluate_targeting(y, s, std::vector<double>{1, 1}, {.budget = -3}), Error);
  EXPECT_THROW(project_list(s, std::vector<double>{1}, 0.5, 1), Error);
}

TEST(EvaluationTest, FewerThanTenCustomersLeaveDecilesEmpty) {
  const std::vector<float> y{1, 0, 1};
  const std::vector<double> s{0.9, 0.5, 0.5};
  const BinaryEvaluation e = evaluate_scores(y, s);
  std::int64_t total = 0;
  for (const GainsDecile& g : e.gains) total += g.customers;
  EXPECT_EQ(total, 3);
  EXPECT_EQ(e.gains[0].customers, 0);  // floor(3/10) = 0
  EXPECT_EQ(e.gains[3].customers, 1);  // position 0: score 0.9
  EXPECT_EQ(e.gains[3].positives, 1);
  EXPECT_EQ(e.gains[9].gain, 1);
  // Ties go by input position: the tied 0.5s are rows 1 then 2.
  EXPECT_EQ(e.gains[6].positives, 0);
  EXPECT_EQ(e.gains[9].positives, 1);
  EXPECT_DOUBLE_EQ(e.gains[3].lift, 1.0 / (2.0 / 3.0));
}

// targets.csv ranks its list with decile_of_position: the same deciles as the gains table.
TEST(EvaluationTest, DecileOfPositionIsTheGainsTablesRule) {
  for (const std::size_t n : {2u, 3u, 9u, 10u, 15u, 101u, 1011u}) {
    std::vector<float> y(n, 0.0f);
    y[0] = 1;
    std::vector<double> s(n);
    for (std::size_t i = 0; i < n; ++i)
      s[i] = 1.0 - static_cast<double>(i) / static_cast<double>(n);
    const BinaryEvaluation e = evaluate_scores(y, s);
    std::vector<std::int64_t> counted(10, 0);
    for (std::size_t p = 0; p < n; ++p) {
      const int d = decile_of_position(p, n);
      ASSERT_GE(d, 1);
      ASSERT_LE(d, 10);
      ++counted[static_cast<std::size_t>(d - 1)];
    }
    for (int d = 0; d < 10; ++d) EXPECT_EQ(counted[d], e.gains[d].customers) << n << " " << d;
  }
  EXPECT_EQ(decile_of_position(1, 15), 2);  // positions 0 | 1-2 | 3 | ... of 15
}

TEST(EvaluationTest, CalibrationBinsFollowTheEdgesAndKeepEmptyOnes) {
  const std::vector<float> y{0, 1, 0, 1, 1, 0};
  const std::vector<double> s{0.0, 0.1, 0.3, 0.29999999999999999, 0.9, 1.0};
  const BinaryEvaluation e = evaluate_scores(y, s);
  ASSERT_EQ(e.calibration.size(), 10u);
  EXPECT_EQ(e.calibration[0].customers, 1);
  EXPECT_EQ(e.calibration[1].customers, 1);  // 0.1 starts bin 1
  EXPECT_EQ(e.calibration[2].customers, 0);
  EXPECT_EQ(e.calibration[3].customers, 2);  // 0.3 (and the same double written longer)
  EXPECT_EQ(e.calibration[9].customers, 2);  // 0.9 and 1.0
  EXPECT_DOUBLE_EQ(e.calibration[9].mean_score, 0.95);
  EXPECT_DOUBLE_EQ(e.calibration[9].observed_rate, 0.5);
  EXPECT_EQ(e.calibration[5].mean_score, 0);
}

// Every cut recomputed from scratch: contact all with score >= t.
TEST(TargetingTest, CurveEqualsBruteForceWithPerCustomerValues) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> level(0, 20);
  std::uniform_real_distribution<double> unit(0, 1);
  const std::size_t n = 300;
  std::vector<float> y(n);
  std::vector<double> s(n), v(n);
  for (std::size_t i = 0; i < n; ++i) {
    s[i] = level(rng) / 20.0;  // many ties
    y[i] = unit(rng) < s[i] ? 1.0f : 0.0f;
    v[i] = 5 + 50 * unit(rng);
  }
  const double cost = 4;
  const Targeting t = evaluate_targeting(y, s, v, {.contact_cost = cost, .budget = 40});
  std::vector<double> thresholds(s);
  std::sort(thresholds.rbegin(), thresholds.rend());
  thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
  ASSERT_EQ(t.curve.size(), thresholds.size() + 1);
  EXPECT_EQ(t.curve[0].contacted, 0);
  EXPECT_EQ(t.curve[0].profit, 0);
  double best_profit = 0;
  for (std::size_t k = 0; k < thresholds.size(); ++k) {
    std::int64_t contacted = 0, converters = 0;
    double revenue = 0, expected = 0, score_sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (s[i] < thresholds[k]) continue;
      ++contacted;
      score_sum += s[i];
      expected += s[i] * v[i];
      if (y[i] == 1.0f) {
        ++converters;
        revenue += v[i];
      }
    }
    const TargetingPoint& p = t.curve[k + 1];
    EXPECT_EQ(p.threshold, thresholds[k]);
    EXPECT_EQ(p.contacted, contacted);
    EXPECT_EQ(p.converters, converters);
    EXPECT_NEAR(p.expected_converters, score_sum, 1e-9);
    EXPECT_NEAR(p.profit, revenue - cost * static_cast<double>(contacted), 1e-9);
    EXPECT_NEAR(p.expected_profit, expected - cost * static_cast<double>(contacted), 1e-9);
    ASSERT_TRUE(p.roi.has_value());
    EXPECT_NEAR(*p.roi, (revenue - cost * contacted) / (cost * contacted), 1e-12);
    best_profit = std::max(best_profit, revenue - cost * static_cast<double>(contacted));
  }
  EXPECT_NEAR(t.best.profit, best_profit, 1e-9);
  EXPECT_EQ(t.all.contacted, static_cast<std::int64_t>(n));
  EXPECT_NEAR(t.profit_vs_all, t.best.profit - t.all.profit, 1e-12);
  ASSERT_TRUE(t.budget.has_value());
  EXPECT_EQ(t.budget->contacted, 40);  // exactly the budget, ties at the edge cut by position
}

TEST(TargetingTest, WhenEveryCutLosesTheBestIsContactNobody) {
  const std::vector<float> y{1, 0, 0};
  const std::vector<double> s{0.6, 0.5, 0.4};
  const std::vector<double> v{1, 1, 1};
  const Targeting t = evaluate_targeting(y, s, v, {.contact_cost = 5, .budget = 0});
  EXPECT_EQ(t.best_index, 0u);
  EXPECT_EQ(t.best.contacted, 0);
  EXPECT_TRUE(std::isinf(t.best.threshold));
  EXPECT_FALSE(t.best.roi.has_value());
  EXPECT_EQ(t.hit_rate_ratio, 0);
  ASSERT_TRUE(t.budget.has_value());
  EXPECT_EQ(t.budget->contacted, 0);
  const json out = targeting_to_json(t);
  EXPECT_TRUE(out.at("best").at("threshold").is_null());
  EXPECT_TRUE(out.at("budget").at("roi").is_null());
  EXPECT_NE(contact_table_text(t, Lang::kEn).find("contact nobody"), std::string::npos);
}

TEST(TargetingTest, ZeroCostHasNoRoiAndABudgetBeyondTheListContactsAll) {
  const std::vector<float> y{1, 0};
  const std::vector<double> s{0.6, 0.5};
  const Targeting t =
      evaluate_targeting(y, s, std::vector<double>{10, 10}, {.contact_cost = 0, .budget = 9});
  EXPECT_FALSE(t.all.roi.has_value());
  EXPECT_EQ(t.budget->contacted, 2);
  EXPECT_EQ(t.best.contacted, 1);  // ties in profit go to the fewest contacts
}

TEST(TargetingTest, ProjectionOnAListCountsScoresAtOrAboveTheThreshold) {
  const std::vector<double> s{0.9, 0.5, 0.5, 0.1};
  const std::vector<double> v{100, 10, 20, 1000};
  const ListProjection p = project_list(s, v, 0.5, 2);
  EXPECT_EQ(p.listed, 4);
  EXPECT_EQ(p.contacted, 3);
  EXPECT_DOUBLE_EQ(p.expected_converters, 1.9);
  EXPECT_DOUBLE_EQ(p.expected_revenue, 90 + 5 + 10);
  EXPECT_DOUBLE_EQ(p.cost, 6);
  EXPECT_DOUBLE_EQ(p.expected_profit, 99);
  const ListProjection none = project_list(s, v, std::numeric_limits<double>::infinity(), 2);
  EXPECT_EQ(none.contacted, 0);
  EXPECT_TRUE(projection_to_json(none).at("threshold").is_null());
}

TEST(ThinIndicesTest, KeepsEndsAndRequestedPointsWithinTheLimit) {
  EXPECT_EQ(thin_indices(0, 200), std::vector<std::size_t>{});
  EXPECT_EQ(thin_indices(3, 200), (std::vector<std::size_t>{0, 1, 2}));
  const std::vector<std::size_t> keep{501};
  const std::vector<std::size_t> picked = thin_indices(10000, 199, keep);
  EXPECT_EQ(picked.size(), 200u);
  EXPECT_EQ(picked.front(), 0u);
  EXPECT_EQ(picked.back(), 9999u);
  EXPECT_TRUE(std::is_sorted(picked.begin(), picked.end()));
  EXPECT_NE(std::find(picked.begin(), picked.end(), 501u), picked.end());
}

TEST(EvaluationJsonTest, CurvesAreThinnedAndHoldNoInfinity) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> unit(0, 1);
  const std::size_t n = 5000;
  std::vector<float> y(n);
  std::vector<double> s(n);
  for (std::size_t i = 0; i < n; ++i) {
    s[i] = unit(rng);
    y[i] = unit(rng) < s[i] ? 1.0f : 0.0f;
  }
  const BinaryEvaluation e = evaluate_scores(y, s);
  EXPECT_GT(e.roc.size(), kMaxCurvePoints);
  const json roc = roc_to_json(e);
  EXPECT_LE(roc.size(), kMaxCurvePoints);
  EXPECT_TRUE(roc.front().at("threshold").is_null());
  EXPECT_EQ(roc.back().at("fpr"), 1.0);
  const Targeting t = evaluate_targeting(y, s, std::vector<double>(n, 20), {.contact_cost = 3});
  const json tj = targeting_to_json(t);
  EXPECT_LE(tj.at("curve").size(), kMaxCurvePoints);
  bool has_best = false;
  for (const json& p : tj.at("curve")) has_best |= p == tj.at("best");
  EXPECT_TRUE(has_best);
  EXPECT_TRUE(tj.at("budget").is_null());
  const json ej = evaluation_to_json(e);
  EXPECT_EQ(ej.at("auc_ci_method"), "delong-logit");
  EXPECT_EQ(ej.at("customers"), 5000);
  for (const json* part : {&roc, &tj, &ej}) {
    const std::string text = part->dump();
    EXPECT_EQ(text.find("inf"), std::string::npos);
    EXPECT_EQ(text.find("nan"), std::string::npos);
  }
  EXPECT_EQ(gains_to_json(e).size(), 10u);
  EXPECT_EQ(calibration_to_json(e).size(), 10u);
}

TEST(EvaluationTextTest, ContactTableInTheReferenceForm) {
  std::vector<float> y;
  std::vector<double> s;
  for (int i = 0; i < 4070; ++i) {
    s.push_back(i < 1517 ? 0.8 : 0.2);
    y.push_back(i < 893 || (i >= 1517 && i < 1517 + 487) ? 1.0f : 0.0f);
  }
  const Targeting t = evaluate_targeting(y, s, std::vector<double>(s.size(), 100),
                                         {.contact_cost = 50, .budget = 1000});
  const std::string en = contact_table_text(t, Lang::kEn);
  EXPECT_NE(en.find("contact all: 4,070 → 1,380 buyers, 33.9 %"), std::string::npos) << en;
  EXPECT_NE(en.find("model (top 1,517, score ≥ 0.8000): → 893 buyers, 58.9 %"), std::string::npos)
      << en;
  EXPECT_NE(en.find("budget (top 1,000)"), std::string::npos) << en;
  const std::string zh = contact_table_text(t, Lang::kZh);
  EXPECT_NE(zh.find("全部联系：4,070 人 → 1,380 人购买"), std::string::npos) << zh;
  const BinaryEvaluation e = evaluate_scores(y, s);
  EXPECT_NE(evaluation_text(e, Lang::kEn).find("AUC 0."), std::string::npos);
  EXPECT_NE(evaluation_text(e, Lang::kZh).find("置信区间"), std::string::npos);
}

}  // namespace
}  // namespace custlens::models
