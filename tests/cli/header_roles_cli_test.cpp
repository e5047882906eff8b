// Headers as people write them, end to end: a profile table with renamed columns through
// `profile`, `analyze` and `schema`; an order file with 会员编号/商品编码/商品描述 through `rfm`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/cli_runner.h"

namespace custlens {
namespace {

class HeaderRolesCliTest : public testing::CliTest {
 protected:
  // 40 customers whose numbers differ enough for tiers and clusters.
  static std::string profile_rows() {
    std::string rows;
    const char* regions[] = {"North", "South", "East", "West"};
    for (int i = 0; i < 40; ++i) {
      rows +=
          fmt::format("c{},{},{},{}.5,{},{},{}\n", i, (i * 7) % 60 + 1, i % 9 + 1,
                      100 + (i * 37) % 900, regions[i % 4], i % 2 ? "F" : "M", 10 + (i * 13) % 50);
    }
    return rows;
  }
};

TEST_F(HeaderRolesCliTest, ProfileWithRenamedHeadersRunsThroughProfileAndAnalyze) {
  write("profiles.csv",
        "Customer ID,Last Login (days ago),Purchase Count,totalSpend,Region,Gender,"
        "Time on Site (min)\n" +
            profile_rows());
  ASSERT_EQ(run("profile '" + path("profiles.csv") + "' --json --quiet --k-range 2..4"), 0)
      << err();
  const auto json = nlohmann::json::parse(out());
  const auto& roles = json["input"]["roles"];
  EXPECT_EQ(roles["customer"], "Customer ID");
  EXPECT_EQ(roles["recency"], "Last Login (days ago)");
  EXPECT_EQ(roles["frequency"], "Purchase Count");
  EXPECT_EQ(roles["monetary"], "totalSpend");
  EXPECT_EQ(roles["region"], "Region");
  EXPECT_EQ(roles["time_on_site"], "Time on Site (min)");
  EXPECT_EQ(json["input"]["rows_read"], 40);
  EXPECT_EQ(json["input"]["rows_rejected"], 0);

  // analyze takes it for a profile table too.
  ASSERT_EQ(run("analyze '" + path("profiles.csv") + "' --out '" + path("out") + "' --quiet"), 0)
      << err();
  const auto summary = nlohmann::json::parse(slurp(dir_ / "out" / "summary.json"));
  ASSERT_TRUE(summary.contains("profile")) << summary.dump().substr(0, 300);
  EXPECT_EQ(summary["profile"]["input"]["roles"]["recency"], "Last Login (days ago)");
}

TEST_F(HeaderRolesCliTest, ChineseProfileHeadersFromTheIssue) {
  std::string text =
      "会员编号,上次登录天数,购买次数,消费总额,兴趣偏好,网站停留时间_分钟,收入水平\n";
  for (int i = 0; i < 30; ++i) {
    text +=
        fmt::format("m{},{},{},{},{},{},{}\n", i, (i * 11) % 90 + 1, i % 7 + 1, 50 + (i * 53) % 700,
                    i % 3 ? "运动" : "美妆", 5 + i % 40, 3000 + (i * 97) % 9000);
  }
  write("zh.csv", text);
  ASSERT_EQ(run("profile '" + path("zh.csv") + "' --json --quiet --tiers rules"), 0) << err();
  const auto roles = nlohmann::json::parse(out())["input"]["roles"];
  EXPECT_EQ(roles["customer"], "会员编号");
  EXPECT_EQ(roles["recency"], "上次登录天数");
  EXPECT_EQ(roles["frequency"], "购买次数");
  EXPECT_EQ(roles["monetary"], "消费总额");
  EXPECT_EQ(roles["interest"], "兴趣偏好");
  EXPECT_EQ(roles["time_on_site"], "网站停留时间_分钟");
  EXPECT_EQ(roles["income"], "收入水平");
}

TEST_F(HeaderRolesCliTest, OrderFileWithMemberAndProductCodesRunsThroughRfm) {
  write("orders.csv",
        "会员编号,订单号,下单时间,商品编码,商品描述,数量,单价（元）\n"
        "M001,A1,2024-01-05 10:00:00,P-1,保温杯,2,35.5\n"
        "M001,A2,2024-02-10 11:30:00,P-2,帆布包,1,59\n"
        "M002,A3,2024-02-11 09:15:00,P-1,保温杯,1,35.5\n"
        "M003,A4,2024-03-01 20:45:00,P-3,雨伞,3,25\n"
        "M002,A5,2024-03-02 08:00:00,P-2,帆布包,2,59\n");
  ASSERT_EQ(run("rfm '" + path("orders.csv") + "' --json --quiet"), 0) << err();
  const auto json = nlohmann::json::parse(out());
  EXPECT_EQ(json["audit"]["rows_kept"], 5);
  EXPECT_EQ(json["customers"], 3);

  ASSERT_EQ(run("schema '" + path("orders.csv") + "'"), 0) << err();
  const std::string schema = out();
  EXPECT_NE(schema.find("table: order lines"), std::string::npos) << schema;
  EXPECT_NE(schema.find("words: 会员, 编号 (score 60)"), std::string::npos) << schema;
  EXPECT_NE(schema.find("words: 商品, 编码 (score 62)"), std::string::npos) << schema;
  EXPECT_NE(schema.find("words: 商品, 描述 (score 58)"), std::string::npos) << schema;
}

TEST_F(HeaderRolesCliTest, SchemaShowsProfileRolesAndWhy) {
  write("profiles.csv",
        "Customer ID,Last Login (days ago),Purchase Count,totalSpend,Region,Gender,"
        "Time on Site (min)\n" +
            profile_rows());
  ASSERT_EQ(run("schema '" + path("profiles.csv") + "'"), 0) << err();
  const std::string schema = out();
  EXPECT_NE(schema.find("table: customer profiles"), std::string::npos) << schema;
  EXPECT_NE(schema.find("recency"), std::string::npos) << schema;
  EXPECT_NE(schema.find("words: last, login, days, ago (score 61)"), std::string::npos) << schema;
  EXPECT_NE(schema.find("time_on_site"), std::string::npos) << schema;
  EXPECT_EQ(schema.find("invoice"), std::string::npos) << schema;  // not read as order lines
}

TEST_F(HeaderRolesCliTest, TiesAndWeakColumnsAreOneLineErrorsNamingMap) {
  std::string tie = "Customer No,Member No,Days Since Last Login,Orders,Total Spend\n";
  for (int i = 0; i < 20; ++i) {
    tie += fmt::format("c{},m{},{},{},{}\n", i, i, i % 13 + 1, i % 5 + 1, 10 + i * 7);
  }
  write("tie.csv", tie);
  expect_one_line_error(run("profile '" + path("tie.csv") + "' --quiet"),
                        "--map customer=<column>");
  expect_one_line_error(run("schema '" + path("tie.csv") + "'"), "'Member No'");
  EXPECT_NE(out().find("Customer No"), std::string::npos);  // the table is shown first
  ASSERT_EQ(run("profile '" + path("tie.csv") +
                "' --quiet --tiers rules --json --map "
                "'customer=Member No'"),
            0)
      << err();
  EXPECT_EQ(nlohmann::json::parse(out())["input"]["roles"]["customer"], "Member No");

  write("weak.csv", "ID,Days,Orders,Total Spend\na,1,2,3\n");
  expect_one_line_error(run("profile '" + path("weak.csv") + "' --quiet"),
                        "too weak to take as recency: 'Days'");
}

}  // namespace
}  // namespace custlens
