// The regression sections against the summary they are built from: an OLS and a logit fit of the
// profile sample, through `ols_to_json` / `logit_to_json` as `custlens ols --out` writes them.
#include "custlens/regression.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "custlens/ingest.h"
#include "models/regression_output.h"
#include "report/html_report.h"
#include "report/sections/section.h"
#include "support/report_model.h"

namespace custlens::report {
namespace {

using nlohmann::json;
using testing::any_finding_contains;
using testing::section_by_id;
using testing::section_ids;

Table profile_table() {
  std::vector<std::string> inputs{std::string(CUSTLENS_TEST_DATA) +
                                  "/user_personalized_features.csv"};
  ReadOptions options;
  options.threads = 1;
  return std::move(read_dataset(inputs, options).table);
}

json ols_summary(std::vector<std::string> x = {"all"}) {
  OlsOptions options;
  options.design.target = "Total_Spending";
  options.design.regressors = std::move(x);
  return {{"regression", models::ols_to_json(fit_ols(profile_table(), options))}};
}

json logit_summary() {
  LogitOptions options;
  options.design.target = "Newsletter_Subscription";
  options.design.regressors = {"Age", "Income", "Total_Spending", "Gender"};
  return {{"regression", models::logit_to_json(fit_logit(profile_table(), options))}};
}

TEST(RegressionSectionTest, OlsHasCoefficientsResidualsAndQq) {
  const json summary = ols_summary();
  const json model = build_report_model(summary, Lang::kEn);
  EXPECT_EQ(section_ids(model),
            (std::vector<std::string>{"regression", "regression_residuals", "regression_qq"}));
  EXPECT_EQ(model.at("title"), "Regression report");
  EXPECT_NE(model.at("subtitle").get<std::string>().find("y = Total_Spending"), std::string::npos);
}

TEST(RegressionSectionTest, CoefficientTableAndPlotAreTheSummarysNumbers) {
  const json summary = ols_summary();
  const json& regression = summary.at("regression");
  const json section = section_by_id(build_report_model(summary, Lang::kEn), "regression");
  const json& rows = section.at("table").at("rows");
  const json& coefficients = regression.at("coefficients");
  ASSERT_EQ(rows.size(), coefficients.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const json& c = coefficients[i];
    EXPECT_EQ(rows[i], (json{c.at("name"), c.at("estimate"), c.at("std_error"), c.at("statistic"),
                             c.at("p_value"), c.at("ci_lower"), c.at("ci_upper"), c.at("vif")}))
        << i;
  }
  EXPECT_EQ(section.at("table").at("formats")[1], "stat");

  // One segment and one point per regressor (not the intercept), in the target's units: a
  // number per sd, a dummy per 0 -> 1; red when p < 0.05.
  const json& series = section.at("chart").at("series");
  ASSERT_EQ(series.size(), 3u);
  const json& labels = section.at("chart").at("yAxis").at("data");
  ASSERT_EQ(labels.size(), coefficients.size() - 1);
  ASSERT_EQ(series[0].at("data").size(), labels.size());
  std::size_t significant = 0;
  for (std::size_t i = 1; i < coefficients.size(); ++i) {
    const json& c = coefficients[i];
    const double scale = c.at("term") == "numeric" ? c.at("sd").get<double>() : 1.0;
    const json& box = series[0].at("data")[i - 1];  // [low, low, estimate, high, high]
    EXPECT_DOUBLE_EQ(box[0].get<double>(), c.at("ci_lower").get<double>() * scale);
    EXPECT_DOUBLE_EQ(box[2].get<double>(), c.at("estimate").get<double>() * scale);
    EXPECT_DOUBLE_EQ(box[4].get<double>(), c.at("ci_upper").get<double>() * scale);
    if (c.at("p_value").get<double>() < 0.05) ++significant;
  }
  EXPECT_EQ(series[1].at("data").size(), significant);
  EXPECT_EQ(series[1].at("data").size() + series[2].at("data").size(), labels.size());
  EXPECT_EQ(significant, 2u);  // Average_Order_Value and Income (statsmodels golden ols_all)
  EXPECT_EQ(labels[1], "Income (+1 sd)");
  EXPECT_EQ(section.at("chart_height"), 19 * 26 + 90);  // a labelled row per regressor

  // The findings are the reading.
  EXPECT_EQ(section.at("findings"), regression.at("reading").at("en"));
  EXPECT_TRUE(any_finding_contains(section, "Average_Order_Value"));
}

TEST(RegressionSectionTest, ResidualAndQqPlotsCarryTheSummaryPoints) {
  const json summary = ols_summary();
  const json& regression = summary.at("regression");
  const json model = build_report_model(summary, Lang::kEn);
  const json residuals = section_by_id(model, "regression_residuals");
  EXPECT_EQ(residuals.at("chart").at("series")[0].at("data"),
            regression.at("plots").at("residuals_vs_fitted").at("points"));
  EXPECT_EQ(residuals.at("chart").at("series")[0].at("data").size(), 1000u);
  const double bp = regression.at("diagnostics").at("breusch_pagan").get<double>();
  EXPECT_TRUE(any_finding_contains(residuals, fmt::format("LM = {:.4g}", bp))) << residuals.dump();
  EXPECT_TRUE(any_finding_contains(residuals, "no sign of heteroscedasticity"));

  const json qq = section_by_id(model, "regression_qq");
  const json& points = regression.at("plots").at("qq").at("points");
  EXPECT_EQ(qq.at("chart").at("series")[0].at("data"), points);
  // The reference line spans the theoretical quantiles, y = x.
  const json& line = qq.at("chart").at("series")[1].at("data");
  EXPECT_EQ(line[0][0], points.front()[0]);
  EXPECT_EQ(line[1][1], points.back()[0]);
  EXPECT_TRUE(any_finding_contains(qq, "not normal"));
  EXPECT_TRUE(any_finding_contains(qq, "lighter tails"));  // kurtosis 1.84
  EXPECT_EQ(qq.at("table").at("rows")[1][1], regression.at("diagnostics").at("jarque_bera"));
}

TEST(RegressionSectionTest, ChineseReportUsesTheChineseReading) {
  const json summary = ols_summary({"Age", "Income", "Average_Order_Value"});
  const json en = build_report_model(summary, Lang::kEn);
  const json zh = build_report_model(summary, Lang::kZh);
  EXPECT_EQ(zh.at("title"), "回归分析报告");
  ASSERT_EQ(section_ids(en), section_ids(zh));
  for (std::size_t s = 0; s < en.at("sections").size(); ++s) {
    EXPECT_NE(en.at("sections")[s].at("title"), zh.at("sections")[s].at("title"));
    EXPECT_NE(en.at("sections")[s].at("findings"), zh.at("sections")[s].at("findings"));
  }
  EXPECT_EQ(section_by_id(zh, "regression").at("findings"),
            summary.at("regression").at("reading").at("zh"));
}

TEST(RegressionSectionTest, LogitDrawsOddsRatiosOnALogAxisAndNoResidualPlots) {
  const json summary = logit_summary();
  const json model = build_report_model(summary, Lang::kEn);
  EXPECT_EQ(section_ids(model), (std::vector<std::string>{"regression"}));
  EXPECT_EQ(model.at("title"), "Logistic regression report");
  const json section = section_by_id(model, "regression");
  EXPECT_EQ(section.at("chart").at("xAxis").at("type"), "log");
  const json& coefficients = summary.at("regression").at("coefficients");
  const json& rows = section.at("table").at("rows");
  ASSERT_EQ(rows.size(), coefficients.size());
  EXPECT_EQ(rows[1][7], coefficients[1].at("odds_ratio"));
  // Age is a number: its interval is exp(ci · sd).
  const json& age = coefficients[1];
  ASSERT_EQ(age.at("name"), "Age");
  const json& box = section.at("chart").at("series")[0].at("data")[0];
  EXPECT_NEAR(box[0].get<double>(),
              std::exp(age.at("ci_lower").get<double>() * age.at("sd").get<double>()), 1e-12);
  EXPECT_EQ(section.at("findings"), summary.at("regression").at("reading").at("en"));
}

TEST(RegressionSectionTest, AnalyzeSummariesHaveNoRegressionSections) {
  const json summary = {{"rfm", {{"customers", 3}}}};
  for (const std::string& id : section_ids(build_report_model(summary, Lang::kEn))) {
    EXPECT_EQ(id.rfind("regression", 0), std::string::npos) << id;
  }
}

TEST(RegressionSectionTest, ThinsLargeFitsToAtMostTwoThousandPoints) {
  // 5,000 rows: every 3rd row for residuals; 2,000 Q-Q ranks from the smallest to the largest.
  std::string csv = "x,y\n";
  for (int i = 0; i < 5000; ++i) {
    csv += fmt::format("{},{}\n", i % 97, 0.5 * (i % 97) + std::sin(i * 0.37) * 3);
  }
  const std::string path =
      (std::filesystem::temp_directory_path() / fmt::format("custlens_thin_{}.csv", ::getpid()))
          .string();
  std::ofstream(path) << csv;
  std::vector<std::string> inputs{path};
  ReadOptions read;
  read.threads = 1;
  const Table table = std::move(read_dataset(inputs, read).table);
  std::filesystem::remove(path);
  OlsOptions options;
  options.design.target = "y";
  options.design.regressors = {"x"};
  const OlsResult result = fit_ols(table, options);
  const json regression = models::ols_to_json(result);
  const json& residuals = regression.at("plots").at("residuals_vs_fitted");
  EXPECT_EQ(residuals.at("rows"), 5000);
  EXPECT_EQ(residuals.at("every"), 3);
  ASSERT_EQ(residuals.at("points").size(), 1667u);
  EXPECT_DOUBLE_EQ(residuals.at("points")[1][1].get<double>(), result.residuals[3]);
  const json& qq = regression.at("plots").at("qq").at("points");
  ASSERT_EQ(qq.size(), models::kMaxPlotPoints);
  const double sigma = std::sqrt(result.scale);
  const auto [low, high] = std::minmax_element(result.residuals.begin(), result.residuals.end());
  EXPECT_DOUBLE_EQ(qq.front()[1].get<double>(), *low / sigma);
  EXPECT_DOUBLE_EQ(qq.back()[1].get<double>(), *high / sigma);
  EXPECT_NEAR(qq.front()[0].get<double>(), -3.5401365750084204, 1e-9);  // Φ⁻¹(1 / 5001), scipy
  for (std::size_t i = 1; i < qq.size(); ++i) {
    EXPECT_LE(qq[i - 1][0].get<double>(), qq[i][0].get<double>());
    EXPECT_LE(qq[i - 1][1].get<double>(), qq[i][1].get<double>());
  }
  const json model = build_report_model({{"regression", regression}}, Lang::kEn);
  EXPECT_TRUE(any_finding_contains(section_by_id(model, "regression_residuals"),
                                   "The plot shows 1,667 of 5,000 rows (one in every 3)."));
}

}  // namespace
}  // namespace custlens::report
