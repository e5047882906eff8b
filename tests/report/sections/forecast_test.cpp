// The forecast sections from a summary they did not compute: a hand-made `forecast` object of
// three weekly periods, one held out, two forecast.
#include <gtest/gtest.h>

#include <string>

#include "report/html_report.h"
#include "report/sections/section.h"
#include "support/report_model.h"

namespace custlens::report {
namespace {

using nlohmann::json;
using testing::any_finding_contains;
using testing::section_by_id;
using testing::section_ids;

json forecast_summary() {
  json metrics = {{"mae", 50.0},        {"rmse", 50.0},
                  {"mape", 0.25},       {"mase", 0.5},
                  {"r2", nullptr},      {"coverage_80", 1.0},
                  {"coverage_95", 1.0}, {"mape_zero_actuals_skipped", 0}};
  json forecast = {
      {"freq", "week"},
      {"model", "ets"},
      {"model_detail", "ETS(A,N,N)"},
      {"series",
       {{"values", json::array({{{"date", "2024-01-01"}, {"revenue", 100.0}},
                                {{"date", "2024-01-08"}, {"revenue", 150.0}},
                                {{"date", "2024-01-15"}, {"revenue", 200.0}}})},
        {"partial_first", nullptr},
        {"partial_last",
         {{"date", "2024-01-22"}, {"days", 7}, {"covered_days", 3}, {"revenue", 80.0}}}}},
      {"holdout", json::array({{{"date", "2024-01-15"},
                                {"actual", 200.0},
                                {"predicted", 150.0},
                                {"lo80", 120.0},
                                {"hi80", 210.0},
                                {"lo95", 100.0},
                                {"hi95", 230.0}}})},
      {"metrics", metrics},
      {"models", json::array()},
      {"backtest", {{"origins", json::array({{{"train_periods", 1}}})}}},
      {"forecast", json::array({{{"date", "2024-01-22"},
                                 {"value", 190.0},
                                 {"lo80", 150.0},
                                 {"hi80", 230.0},
                                 {"lo95", 130.0},
                                 {"hi95", 250.0}},
                                {{"date", "2024-01-29"},
                                 {"value", 190.0},
                                 {"lo80", 140.0},
                                 {"hi80", 240.0},
                                 {"lo95", 120.0},
                                 {"hi95", 260.0}}})},
      {"notes", json::array({"ETS(M,N,N): multiplicative error or season needs values above 0"})},
      {"gaps",
       {{"days", 21},
        {"zero_days", 3},
        {"zero_runs", 0},
        {"longest_gap_days", 1},
        {"longest_gap_start", "2024-01-06"},
        {"weekdays", json::array()}}}};
  for (const char* name : {"seasonal_naive", "ets"}) {
    json model = metrics;
    model["name"] = name;
    model["detail"] = name == std::string("ets") ? "ETS(A,N,N)" : "naive";
    model["backtest_mase"] = name == std::string("ets") ? 0.4 : 0.9;
    forecast["models"].push_back(model);
  }
  const char* weekdays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                            "Friday", "Saturday", "Sunday"};
  for (int d = 0; d < 7; ++d) {
    forecast["gaps"]["weekdays"].push_back(
        {{"weekday", weekdays[d]}, {"days", 3}, {"sales_days", d == 5 ? 0 : 3}});
  }
  return {{"forecast", forecast}};
}

TEST(ForecastSections, ChartModelsAndGapsFromTheSummary) {
  const json model = build_report_model(forecast_summary(), Lang::kEn);
  const std::vector<std::string> ids = section_ids(model);
  EXPECT_EQ(ids, (std::vector<std::string>{"forecast_chart", "forecast_models", "forecast_gaps"}));
  const json& chart = section_by_id(model, "forecast_chart");
  EXPECT_EQ(chart.at("table").at("rows").size(), 2u);
  EXPECT_EQ(chart.at("chart").at("xAxis").at("data").size(), 5u);  // 3 periods + 2 forecast
  EXPECT_TRUE(any_finding_contains(chart, "The next 2 periods are forecast at 380 in total"));
  EXPECT_TRUE(any_finding_contains(chart, "MAE 50, R² -, MASE 0.500"));
  EXPECT_TRUE(any_finding_contains(chart, "2024-01-22 is partial (3 of 7 days, revenue 80)"));
  const json& models = section_by_id(model, "forecast_models");
  EXPECT_EQ(models.at("table").at("rows").size(), 2u);
  EXPECT_EQ(models.at("table").at("rows")[1][0], "ets ✓");
  EXPECT_TRUE(any_finding_contains(models, "ets has the lowest mean MASE over 1 backtest"));
  const json& gaps = section_by_id(model, "forecast_gaps");
  EXPECT_TRUE(any_finding_contains(gaps, "No sales on any Saturday: 0 of 3 Saturdays."));
  EXPECT_TRUE(any_finding_contains(gaps, "3 of 21 days have no sales"));

  const json zh = build_report_model(forecast_summary(), Lang::kZh);
  EXPECT_TRUE(any_finding_contains(section_by_id(zh, "forecast_gaps"), "所有星期六都无销售"));
  EXPECT_EQ(section_by_id(zh, "forecast_chart").at("title"), "收入预测");
}

TEST(ForecastSections, AbsentWithoutAForecast) {
  const json model = build_report_model(json{{"regression", json::object()}}, Lang::kEn);
  for (const std::string& id : section_ids(model))
    EXPECT_EQ(id.rfind("forecast", 0), std::string::npos);
}

}  // namespace
}  // namespace custlens::report
