// `custlens ols` end to end: the printed design, reading and warnings, and one-line errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/cli_runner.h"
#include "support/report_model.h"

namespace custlens {
namespace {

class OlsCommandTest : public testing::CliTest {
 protected:
  static std::string data(const std::string& name) {
    return "'" + std::string(CUSTLENS_TEST_DATA) + "/" + name + "'";
  }
};

TEST_F(OlsCommandTest, PrintsDesignSummaryAndReading) {
  ASSERT_EQ(run("ols " + data("user_personalized_features.csv") + " --y Total_Spending --quiet"), 0)
      << err();
  const std::string text = out();
  for (const char* needle :
       {"Input: ", "(1,000 rows)", "Left out of --x all: column_1 (identifier",
        "User_ID (identifier", "Gender: Female | Male", "OLS Regression Results",
        "Variance Inflation Factors", "Reading (5 % significance level)",
        "Significant positive drivers of Total_Spending: Average_Order_Value",
        "Significant negative drivers of Total_Spending: Income",
        "Warning: the residuals are not normal"}) {
    EXPECT_NE(text.find(needle), std::string::npos) << needle << "\n" << text;
  }
}

TEST_F(OlsCommandTest, ChineseReadingAndDroppedRows) {
  ASSERT_EQ(run("ols " + data("profiles_missing.csv") +
                " --y Total_Spending --x Age,Income,Location --lang zh --quiet"),
            0)
      << err();
  const std::string text = out();
  EXPECT_NE(text.find("解读（5% 显著性水平）"), std::string::npos) << text;
  EXPECT_NE(text.find("因缺失值被剔除（Total_Spending 9，Age 13，Income 10，Location 10）"),
            std::string::npos)
      << text;
}

TEST_F(OlsCommandTest, CollinearColumnIsAWarningOnStderr) {
  write("dup.csv", "a,b,a2,y\n1,3,2,1\n2,1,4,3\n3,4,6,2\n4,2,8,5\n5,6,10,4\n6,5,12,7\n");
  ASSERT_EQ(run("ols '" + path("dup.csv") + "' --y y --x a,b,a2 --json"), 0) << err();
  EXPECT_NE(err().find("custlens: warning: 'a2' is a linear combination of a"), std::string::npos)
      << err();
  const auto result = nlohmann::json::parse(out());
  EXPECT_EQ(result["collinear"], nlohmann::json::array({"a2"}));
  EXPECT_TRUE(result["coefficients"][3]["estimate"].is_null());
  EXPECT_EQ(result["df_model"], 2);
}

TEST_F(OlsCommandTest, BadInputsGiveOneLineErrors) {
  const std::string file = data("user_personalized_features.csv");
  expect_one_line_error(run("ols " + file + " --y Gender"), "holds text (e.g. 'Male')");
  expect_one_line_error(run("ols " + file + " --y Nope"), "--y column 'Nope' not found");
  expect_one_line_error(run("ols " + file + " --y Age --x Income,Nope"),
                        "--x column 'Nope' not found");
  expect_one_line_error(run("ols " + file + " --y Age --robust HC9"), "--robust 'HC9'");
  expect_one_line_error(run("ols " + file + " --y Age --lang fr"), "fr");
  write("constant.csv", "x,y\n1,5\n2,5\n3,5\n");
  expect_one_line_error(run("ols '" + path("constant.csv") + "' --y y --x x"), "is constant");
  write("short.csv", "a,b,c,y\n1,2,3,4\n2,1,5,3\n3,3,1,1\n");
  expect_one_line_error(run("ols '" + path("short.csv") + "' --y y --x a,b,c"),
                        "3 rows used but the model has 4 parameters");
  write("header.csv", "x,y\n");
  expect_one_line_error(run("ols '" + path("header.csv") + "' --y y"), "no data rows");
}

TEST_F(OlsCommandTest, OutWritesSummaryTextAndReport) {
  const std::string file = data("user_personalized_features.csv");
  ASSERT_EQ(run("ols " + file + " --y Total_Spending --x all --out '" + path("fit") + "' --quiet"),
            0)
      << err();
  const std::string printed = out();
  EXPECT_NE(printed.find("results in: " + path("fit")), std::string::npos) << printed;
  // summary.txt is what was printed, up to the closing "results in" line.
  const std::string text = slurp(std::filesystem::path(path("fit")) / "summary.txt");
  EXPECT_EQ(printed.rfind(text, 0), 0u);
  EXPECT_NE(text.find("OLS Regression Results"), std::string::npos);

  const nlohmann::json summary =
      nlohmann::json::parse(slurp(std::filesystem::path(path("fit")) / "summary.json"));
  ASSERT_EQ(run("ols " + file + " --y Total_Spending --x all --json --quiet"), 0) << err();
  nlohmann::json printed_json = nlohmann::json::parse(out());
  EXPECT_EQ(summary.at("input"), printed_json.at("input"));
  printed_json.erase("input");
  EXPECT_EQ(summary.at("regression"), printed_json);

  const nlohmann::json model =
      testing::embedded_model(slurp(std::filesystem::path(path("fit")) / "report.html"));
  ASSERT_FALSE(model.is_discarded());
  EXPECT_EQ(testing::section_ids(model),
            (std::vector<std::string>{"regression", "regression_residuals", "regression_qq"}));
  EXPECT_EQ(model.at("lang"), "en");
}

TEST_F(OlsCommandTest, OutReportFollowsLang) {
  ASSERT_EQ(
      run("ols " + data("user_personalized_features.csv") +
          " --y Total_Spending --x Age,Income --lang zh --json --out '" + path("zh") + "' --quiet"),
      0)
      << err();
  // --json stays pure JSON: no "results in" line.
  EXPECT_FALSE(nlohmann::json::parse(out(), nullptr, false).is_discarded()) << out();
  const nlohmann::json model =
      testing::embedded_model(slurp(std::filesystem::path(path("zh")) / "report.html"));
  EXPECT_EQ(model.at("lang"), "zh");
  EXPECT_EQ(model.at("title"), "回归分析报告");
}

TEST_F(OlsCommandTest, OutFolderThatCannotBeMadeIsAnError) {
  write("file", "x");
  expect_one_line_error(run("ols " + data("user_personalized_features.csv") +
                            " --y Total_Spending --x Age --out '" + path("file") + "/sub'"),
                        "cannot create output folder");
}

}  // namespace
}  // namespace custlens
