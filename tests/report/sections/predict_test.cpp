// The prediction sections (predict_roc, predict_gains, predict_calibration, predict_profit)
// against a summary built by the evaluation's own serialisers from seeded synthetic scores.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "models/evaluation.h"
#include "report/html_report.h"
#include "report/sections/section.h"
#include "support/report_model.h"

namespace custlens::report {
namespace {

using nlohmann::json;
using testing::any_finding_contains;
using testing::section_by_id;
using testing::section_ids;

const std::vector<std::string> kPredictSections{"predict_roc", "predict_gains",
                                                "predict_calibration", "predict_profit"};

struct Scored {
  std::vector<float> labels;
  std::vector<double> scores;
};

Scored synthetic(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> unit(0, 1);
  Scored out;
  for (std::size_t i = 0; i < n; ++i) {
    const double latent = normal(rng);
    const double score = 1 / (1 + std::exp(-(1.2 * latent - 0.5)));
    out.scores.push_back(std::round(score * 100) / 100);  // ties, as real models make
    out.labels.push_back(unit(rng) < 1 / (1 + std::exp(-(latent + normal(rng) - 0.4))) ? 1.0f
                                                                                       : 0.0f);
  }
  return out;
}

json predict_summary(const Scored& data, double cost, std::optional<std::int64_t> budget) {
  const models::BinaryEvaluation e = models::evaluate_scores(data.labels, data.scores);
  const std::vector<double> values(data.scores.size(), 40.0);
  const models::Targeting t = models::evaluate_targeting(data.labels, data.scores, values,
                                                         {.contact_cost = cost, .budget = budget});
  const json projection =
      models::projection_to_json(models::project_list(data.scores, values, t.best.threshold, cost));
  json test = models::evaluation_to_json(e);
  return {{"predict",
           {{"test", test},
            {"baseline", {{"model", "logistic"}, {"auc", e.auc - 0.02}}},
            {"roc", models::roc_to_json(e)},
            {"gains", models::gains_to_json(e)},
            {"calibration", models::calibration_to_json(e)},
            {"targeting", models::targeting_to_json(t)},
            {"apply", {{"projection", projection}}}}}};
}

std::vector<std::string> predict_ids(const json& model) {
  std::vector<std::string> ids;
  for (const std::string& id : section_ids(model)) {
    if (id.starts_with("predict_")) ids.push_back(id);
  }
  return ids;
}

TEST(PredictSectionsTest, AllFourInOrderWithTablesChartsAndFindings) {
  const json summary = predict_summary(synthetic(2000, 1), 6, 300);
  for (Lang lang : {Lang::kEn, Lang::kZh}) {
    const json model = build_report_model(summary, lang);
    EXPECT_EQ(predict_ids(model), kPredictSections);
    for (const std::string& id : kPredictSections) {
      const json& section = section_by_id(model, id);
      EXPECT_FALSE(section.at("title").get<std::string>().empty()) << id;
      EXPECT_TRUE(section.at("chart").is_object()) << id;
      const json& table = section.at("table");
      EXPECT_EQ(table.at("columns").size(), table.at("formats").size()) << id;
      for (const json& row : table.at("rows")) {
        EXPECT_EQ(row.size(), table.at("columns").size()) << id;
      }
      EXPECT_GE(section.at("findings").size(), 2u) << id;
    }
  }
  const json en = build_report_model(summary, Lang::kEn);
  const json zh = build_report_model(summary, Lang::kZh);
  EXPECT_NE(section_by_id(en, "predict_roc").at("title"),
            section_by_id(zh, "predict_roc").at("title"));
  EXPECT_NE(section_by_id(en, "predict_profit").at("findings"),
            section_by_id(zh, "predict_profit").at("findings"));
}

TEST(PredictSectionsTest, RocShowsTheAucAndItsIntervalInTheTitle) {
  const json summary = predict_summary(synthetic(1500, 2), 5, std::nullopt);
  const json& test = summary.at("/predict/test"_json_pointer);
  const json section = section_by_id(build_report_model(summary, Lang::kEn), "predict_roc");
  const std::string title = section.at("title");
  EXPECT_NE(title.find(format_stat(test.at("auc").get<double>())), std::string::npos) << title;
  EXPECT_NE(title.find(format_stat(test.at("auc_ci_lower").get<double>())), std::string::npos);
  EXPECT_NE(title.find(format_stat(test.at("auc_ci_upper").get<double>())), std::string::npos);
  EXPECT_EQ(section.at("table").at("rows")[0][2], test.at("auc"));
  EXPECT_EQ(section.at("table").at("rows")[0][5], "delong-logit");
  // The model's curve and the chance diagonal.
  const json& series = section.at("chart").at("series");
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0].at("data").size(), summary.at("/predict/roc"_json_pointer).size());
  EXPECT_EQ(series[1].at("data"), json::parse("[[0,0],[100,100]]"));
  EXPECT_TRUE(any_finding_contains(section, "baseline reaches AUC"));
  EXPECT_TRUE(any_finding_contains(
      section, format_count(test.at("customers").get<std::int64_t>()) + " held-out"));
}

TEST(PredictSectionsTest, GainsAndCalibrationTablesAreTheSummarysNumbers) {
  const json summary = predict_summary(synthetic(1234, 3), 5, std::nullopt);
  const json model = build_report_model(summary, Lang::kEn);
  const json& gains = summary.at("/predict/gains"_json_pointer);
  const json& rows = section_by_id(model, "predict_gains").at("table").at("rows");
  ASSERT_EQ(rows.size(), 10u);
  for (std::size_t d = 0; d < 10; ++d) {
    EXPECT_EQ(rows[d][1], gains[d].at("customers"));
    EXPECT_EQ(rows[d][2], gains[d].at("positives"));
    EXPECT_EQ(rows[d][5], gains[d].at("gain"));
    EXPECT_EQ(rows[d][6], gains[d].at("lift"));
  }
  EXPECT_TRUE(any_finding_contains(section_by_id(model, "predict_gains"),
                                   fmt::format("lift {:.2f}", gains[0].at("lift").get<double>())));

  const json& bins = summary.at("/predict/calibration"_json_pointer);
  const json& calibration = section_by_id(model, "predict_calibration");
  const json& cal_rows = calibration.at("table").at("rows");
  ASSERT_EQ(cal_rows.size(), 10u);
  std::size_t plotted = 0;
  for (std::size_t b = 0; b < 10; ++b) {
    EXPECT_EQ(cal_rows[b][1], bins[b].at("customers"));
    if (bins[b].at("customers") == 0) {
      EXPECT_TRUE(cal_rows[b][2].is_null());
    } else {
      ++plotted;
      EXPECT_EQ(cal_rows[b][3], bins[b].at("observed_rate"));
    }
  }
  EXPECT_EQ(calibration.at("chart").at("series")[0].at("data").size(), plotted);
  EXPECT_TRUE(any_finding_contains(
      calibration,
      "Brier score " + format_stat(summary.at("/predict/test/brier"_json_pointer).get<double>())));
}

TEST(PredictSectionsTest, ProfitMarksTheBestCutAndListsThePlans) {
  const json summary = predict_summary(synthetic(3000, 4), 12, 250);
  const json& targeting = summary.at("/predict/targeting"_json_pointer);
  const json section = section_by_id(build_report_model(summary, Lang::kEn), "predict_profit");
  const json& rows = section.at("table").at("rows");
  ASSERT_EQ(rows.size(), 3u);  // all, model, budget
  EXPECT_EQ(rows[0][2], targeting.at("/all/contacted"_json_pointer));
  EXPECT_EQ(rows[1][2], targeting.at("/best/contacted"_json_pointer));
  EXPECT_EQ(rows[1][6], targeting.at("/best/profit"_json_pointer));
  EXPECT_EQ(rows[2][2], 250);
  const json& line = section.at("chart").at("series")[0];
  EXPECT_EQ(line.at("markLine").at("data")[0].at("xAxis"),
            targeting.at("/best/contacted"_json_pointer));
  EXPECT_EQ(line.at("data").size(), targeting.at("curve").size());
  EXPECT_TRUE(any_finding_contains(
      section,
      "top " + format_count(targeting.at("/best/contacted"_json_pointer).get<std::int64_t>())));
  EXPECT_TRUE(any_finding_contains(section, "A budget of 250 contacts"));
  EXPECT_TRUE(any_finding_contains(section, "Applied to the current list"));
}

TEST(PredictSectionsTest, ACostTooHighToProfitSaysContactNobody) {
  const json summary = predict_summary(synthetic(500, 5), 1000, std::nullopt);
  const json section = section_by_id(build_report_model(summary, Lang::kEn), "predict_profit");
  EXPECT_EQ(section.at("table").at("rows").size(), 2u);
  EXPECT_TRUE(section.at("table").at("rows")[1][1].is_null());  // threshold +inf
  EXPECT_TRUE(any_finding_contains(section, "contact nobody"));
}

TEST(PredictSectionsTest, MissingInputsLeaveTheSectionsOut) {
  EXPECT_TRUE(predict_ids(build_report_model(json::object(), Lang::kEn)).empty());
  json summary = predict_summary(synthetic(400, 6), 5, std::nullopt);
  summary["predict"].erase("roc");
  summary["predict"].erase("targeting");
  EXPECT_EQ(predict_ids(build_report_model(summary, Lang::kEn)),
            (std::vector<std::string>{"predict_gains", "predict_calibration"}));
}

}  // namespace
}  // namespace custlens::report
