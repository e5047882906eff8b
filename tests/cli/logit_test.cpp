// `custlens logit` end to end: target coding, odds ratios, the reading, separation errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/cli_runner.h"
#include "support/report_model.h"

namespace custlens {
namespace {

class LogitCommandTest : public testing::CliTest {};

TEST_F(LogitCommandTest, SaysWhichLevelIsOneAndPrintsOddsRatios) {
  ASSERT_EQ(run("logit '" + std::string(CUSTLENS_TEST_DATA) +
                "/user_personalized_features.csv' --y Gender --x Age,Income,Interests --quiet"),
            0)
      << err();
  const std::string text = out();
  for (const char* needle :
       {"Target: Gender = Male is 1, Female is 0", "Logit Regression Results", "Odds Ratios",
        "Reading (5 % significance level; 1 means Gender = Male)",
        "Newton's method converged in"}) {
    EXPECT_NE(text.find(needle), std::string::npos) << needle << "\n" << text;
  }
}

TEST_F(LogitCommandTest, SeparationIsAOneLineErrorNamingTheColumn) {
  write("separated.csv", "score,other,bought\n1,3,0\n2,1,0\n3,2,0\n4,5,1\n5,1,1\n6,4,1\n");
  EXPECT_EQ(run("logit '" + path("separated.csv") + "' --y bought --x other,score"), 1);
  const std::string text = err();
  EXPECT_EQ(text.rfind("custlens: error: complete separation: 'score'", 0), 0u) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
}

TEST_F(LogitCommandTest, ChineseBooleanTarget) {
  write("zh.csv", "订阅,年龄\n是,30\n否,25\n是,41\n否,38\n是,22\n否,35\n是,29\n否,44\n");
  ASSERT_EQ(run("logit '" + path("zh.csv") + "' --y 订阅 --x 年龄 --quiet"), 0) << err();
  EXPECT_NE(out().find("因变量：订阅 = true 记为 1"), std::string::npos) << out();
  EXPECT_NE(out().find("解读"), std::string::npos) << out();
}

TEST_F(LogitCommandTest, OutWritesTheOddsRatioReport) {
  ASSERT_EQ(run("logit '" + std::string(CUSTLENS_TEST_DATA) +
                "/user_personalized_features.csv' --y Gender --x Age,Income --out '" + path("fit") +
                "' --quiet"),
            0)
      << err();
  const nlohmann::json summary =
      nlohmann::json::parse(slurp(std::filesystem::path(path("fit")) / "summary.json"));
  EXPECT_EQ(summary.at("regression").at("model"), "logit");
  const nlohmann::json model =
      testing::embedded_model(slurp(std::filesystem::path(path("fit")) / "report.html"));
  ASSERT_FALSE(model.is_discarded());
  EXPECT_EQ(testing::section_ids(model), std::vector<std::string>{"regression"});
  EXPECT_EQ(model.at("title"), "Logistic regression report");
}

}  // namespace
}  // namespace custlens
