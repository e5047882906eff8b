// `custlens forecast`: the JSON keys the issue lists, the series and gaps against pandas
// (golden/forecast/series.json), text in en/zh, --out files, one-line errors.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/calendar.h"
#include "support/cli_runner.h"

namespace custlens {
namespace {

class ForecastCommandTest : public testing::CliTest {
 protected:
  static std::string invoices() {
    return std::string(CUSTLENS_TEST_DATA) + "/online_retail_invoices.csv";
  }
  static nlohmann::json golden_series() {
    std::ifstream in(std::string(CUSTLENS_REFERENCE_DIR) + "/golden/forecast/series.json");
    return nlohmann::json::parse(in);
  }
  // Nine weeks of orders from Wednesday 2024-01-03, none on Saturdays, two lines a day.
  void write_orders(const std::string& name) const {
    std::string text = "Invoice,Date,Customer,Amount\n";
    const std::int64_t first = common::days_from_civil(2024, 1, 3);
    for (int d = 0; d < 63; ++d) {
      if (common::weekday_from_days(first + d) == 5) continue;
      const std::string date = common::format_date((first + d) * common::kSecondsPerDay);
      const double base = 100 + 10 * common::weekday_from_days(first + d) + (d % 3);
      text += fmt::format("{},{} 10:00,c{},{}\n", 2 * d, date, d % 5, base);
      text += fmt::format("{},{} 15:30,c{},{}\n", 2 * d + 1, date, d % 7, base / 2);
    }
    write(name, text);
  }
};

TEST_F(ForecastCommandTest, JsonHasTheIssuesKeysAndNoNan) {
  write_orders("orders.csv");
  ASSERT_EQ(run("forecast '" + path("orders.csv") +
                "' --horizon 10 --holdout 7 --origins 2 --json --quiet"),
            0)
      << err();
  const nlohmann::json json = nlohmann::json::parse(out());
  ASSERT_EQ(json["holdout"].size(), 7u);
  for (const auto& point : json["holdout"]) {
    EXPECT_TRUE(point.contains("date") && point.contains("actual") && point.contains("predicted"));
    EXPECT_EQ(point["date"].get<std::string>().size(), 10u);
  }
  EXPECT_TRUE(json["model"].is_string());
  for (const char* key : {"mae", "rmse", "mape", "mase", "r2", "coverage_80", "coverage_95"}) {
    EXPECT_TRUE(json["metrics"].contains(key)) << key;
  }
  ASSERT_EQ(json["models"].size(), 3u);
  EXPECT_EQ(json["models"][0]["name"], "seasonal_naive");
  EXPECT_EQ(json["models"][1]["name"], "ets");
  EXPECT_EQ(json["models"][2]["name"], "xgboost");
  ASSERT_EQ(json["forecast"].size(), 10u);
  // The data end on Tuesday 2024-03-05: the forecast starts the day after.
  EXPECT_EQ(json["forecast"][0]["date"], "2024-03-06");
  for (const auto& point : json["forecast"]) {
    EXPECT_LE(point["lo95"].get<double>(), point["lo80"].get<double>());
    EXPECT_LE(point["lo80"].get<double>(), point["value"].get<double>());
    EXPECT_LE(point["value"].get<double>(), point["hi80"].get<double>());
    EXPECT_LE(point["hi80"].get<double>(), point["hi95"].get<double>());
  }
  EXPECT_EQ(json["gaps"]["weekdays"][5]["sales_days"], 0);
  EXPECT_EQ(json["gaps"]["weekdays"][5]["days"], 9);
  EXPECT_EQ(json["backtest"]["origins"].size(), 2u);
  // Saturdays have no sales: multiplicative models are skipped, and said why.
  EXPECT_NE(json["notes"].dump().find("needs values above 0"), std::string::npos);
}

TEST_F(ForecastCommandTest, MonthlySeriesAndGapsEqualPandas) {
  ASSERT_EQ(
      run("forecast '" + invoices() + "' --freq month --holdout 2 --horizon 2 --json --quiet"), 0)
      << err();
  const nlohmann::json json = nlohmann::json::parse(out());
  const nlohmann::json golden = golden_series();
  const nlohmann::json& values = json["series"]["values"];
  ASSERT_EQ(values.size(), golden["month"]["values"].size());
  EXPECT_EQ(values[0]["date"], golden["month"]["first"]);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double want = golden["month"]["values"][i].get<double>();
    EXPECT_NEAR(values[i]["revenue"].get<double>(), want, 1e-9 * want);
  }
  // The last month (December 2011) ends on the 9th: partial, left out of the fit.
  EXPECT_EQ(json["series"]["partial_last"]["date"], "2011-12-01");
  EXPECT_EQ(json["series"]["partial_first"], nullptr);
  const nlohmann::json& gaps = json["gaps"];
  EXPECT_EQ(gaps["days"].get<std::size_t>(), golden["daily"].size());
  EXPECT_EQ(gaps["zero_days"], golden["zero_days"]);
  EXPECT_EQ(gaps["zero_runs"], golden["zero_runs"]);
  EXPECT_EQ(gaps["longest_gap_days"], golden["longest_gap_days"]);
  for (std::size_t d = 0; d < 7; ++d) {
    EXPECT_EQ(gaps["weekdays"][d]["days"], golden["weekday_days"][d]);
    EXPECT_EQ(gaps["weekdays"][d]["sales_days"], golden["weekday_sales_days"][d]);
  }
  EXPECT_EQ(json["holdout"].size(), 2u);
}

TEST_F(ForecastCommandTest, TextSaysTheGapsInBothLanguagesAndOutWritesTheFiles) {
  write_orders("orders.csv");
  const std::string args = "forecast '" + path("orders.csv") +
                           "' --horizon 7 --holdout 7 --origins 1 --quiet --out '" + path("out") +
                           "'";
  ASSERT_EQ(run(args), 0) << err();
  const std::string en = out();
  EXPECT_NE(en.find("no sales on any Saturday: 0 of 9 Saturdays"), std::string::npos) << en;
  EXPECT_NE(en.find("Chosen model"), std::string::npos);
  std::ifstream summary_file(path("out") + "/summary.json");
  const nlohmann::json summary = nlohmann::json::parse(summary_file);
  EXPECT_TRUE(summary.contains("input") && summary.contains("audit"));
  EXPECT_EQ(summary["forecast"]["forecast"].size(), 7u);
  const std::string page = slurp(path("out") + "/report.html");
  EXPECT_NE(page.find("forecast_chart"), std::string::npos);
  ASSERT_EQ(run(args + " --lang zh"), 0) << err();
  EXPECT_NE(out().find("所有星期六都无销售"), std::string::npos);
  EXPECT_NE(slurp(path("out") + "/report.html").find("收入预测"), std::string::npos);
}

TEST_F(ForecastCommandTest, BadOptionsGiveOneLineErrors) {
  write_orders("orders.csv");
  expect_one_line_error(run("forecast '" + path("orders.csv") + "' --freq year"), "--freq");
  expect_one_line_error(run("forecast '" + path("orders.csv") + "' --freq month"),
                        "complete months");
  expect_one_line_error(run("forecast '" + path("orders.csv") + "' --holdout 40"), "--holdout");
  expect_one_line_error(run("forecast '" + path("missing.csv") + "'"), "cannot open");
}

}  // namespace
}  // namespace custlens
