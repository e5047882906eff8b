// `custlens campaign` and `custlens contacts` on tiny inputs: the one-line errors, the contact
// rows rejected with file, line and reason, contacts without orders, other column names,
// Chinese headers (the numbers themselves are checked by campaign_golden_test.cpp).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/cli_runner.h"

namespace custlens {
namespace {

class CampaignCliTest : public testing::CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    write("orders.csv",
          "InvoiceNo,InvoiceDate,CustomerID,Amount\n"
          "1,2024-01-05 10:00:00,A,10\n"
          "2,2024-02-03 10:00:00,A,20\n"
          "3,2024-02-10 10:00:00,B,30\n"
          "4,2024-01-20 10:00:00,B,5\n");
  }
  std::string campaign(const std::string& contacts, const std::string& more = "") {
    return "campaign '" + path("orders.csv") + "' --contacts '" + path(contacts) + "' --quiet " +
           more;
  }
};

TEST_F(CampaignCliTest, MissingGroupColumnIsOneLineNamingTheMapOption) {
  write("c.csv", "customer_id,campaign,sent_at\nA,c1,2024-02-01\n");
  expect_one_line_error(run(campaign("c.csv")), "--contacts-map group=");
  write("bad.csv", "customer_id,group,sent_at\nA,maybe,2024-02-01\nB,control,someday\n");
  expect_one_line_error(run(campaign("bad.csv")),
                        "no valid contact row (2 read; rejected: bad_group 1, bad_sent_at 1)");
}

TEST_F(CampaignCliTest, BadRowsAreRejectedWithLineAndReasonAndUnknownCustomersCounted) {
  write("c.csv",
        "customer_id,campaign,group,sent_at,cost\n"
        "A,c1,treatment,2024-02-01,1\n"
        "B,c1,control,2024-02-01,1\n"
        "Z,c1,test,2024-02-01 08:00,1\n"
        "Q,c1,maybe,2024-02-01,1\n"
        "R,c1,control,2024-02-30,1\n"
        "A,c2,treatment,2024-01-01,1\n"
        "A,c2,control,2024-01-01,1\n");
  ASSERT_EQ(run(campaign("c.csv", "--json --out '" + path("out") + "'")), 0) << err();
  const nlohmann::json json = nlohmann::json::parse(out());
  EXPECT_EQ(json["contacts"]["rows_read"], 7);
  EXPECT_EQ(json["contacts"]["rows_kept"], 3);
  EXPECT_EQ(json["contacts"]["rejected"]["bad_group"], 1);
  EXPECT_EQ(json["contacts"]["rejected"]["bad_sent_at"], 1);
  EXPECT_EQ(json["contacts"]["rejected"]["duplicate_contact"], 2);
  ASSERT_EQ(json["campaigns"].size(), 1u);
  const nlohmann::json& c1 = json["campaigns"][0];
  EXPECT_EQ(c1["name"], "c1");
  EXPECT_EQ(c1["contacts_without_orders"], 1);  // Z: zero spend, still a treated customer
  EXPECT_EQ(c1["groups"]["treatment"]["customers"], 2);
  EXPECT_EQ(c1["groups"]["treatment"]["converters"], 1);
  EXPECT_DOUBLE_EQ(c1["groups"]["treatment"]["revenue"].get<double>(), 20.0);
  EXPECT_DOUBLE_EQ(c1["groups"]["control"]["revenue_per_customer"].get<double>(), 30.0);
  EXPECT_TRUE(c1["weak"].get<bool>());
  EXPECT_TRUE(c1["uplift"]["ci_lower"].is_null());
  EXPECT_TRUE(c1["uplift"]["p_value"].is_null());
  EXPECT_NE(c1["verdict"].get<std::string>().find("fewer than 10"), std::string::npos);
  const std::string rejects = slurp(path("out") + "/rejects.csv");
  EXPECT_NE(rejects.find(",5,bad_group,"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find(",6,bad_sent_at,"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find(",8,duplicate_contact,"), std::string::npos) << rejects;
  EXPECT_TRUE(std::filesystem::exists(path("out") + "/report.html"));
  EXPECT_TRUE(std::filesystem::exists(path("out") + "/summary.json"));
}

TEST_F(CampaignCliTest, OtherColumnNamesByMapAndChineseHeaders) {
  write("wave1.csv", "who,arm_x,when\nA,holdout,2024-02-01\nB,test,2024-02-01\n");
  ASSERT_EQ(run(campaign("wave1.csv",
                         "--json --contacts-map customer=who --contacts-map group=arm_x "
                         "--contacts-map sent_at=when")),
            0)
      << err();
  const nlohmann::json json = nlohmann::json::parse(out());
  EXPECT_EQ(json["campaigns"][0]["name"], "wave1");  // no campaign column: the file's stem
  EXPECT_EQ(json["campaigns"][0]["groups"]["control"]["customers"], 1);

  write("zh.csv",
        "客户ID,活动,组别,发送时间,渠道,成本\nA,春季,实验组,2024-02-01,短信,0.5\n"
        "B,春季,对照组,2024-02-01,短信,0.5\n");
  ASSERT_EQ(run(campaign("zh.csv")), 0) << err();
  EXPECT_NE(out().find("实验组"), std::string::npos) << out();
  EXPECT_NE(out().find("春季"), std::string::npos) << out();
}

TEST_F(CampaignCliTest, ContactsAssignsASeededStratifiedSplitKeepingTheTargetColumns) {
  std::string targets = "customer_id,score,decile,tier,expected_value\n";
  for (int i = 0; i < 200; ++i) {
    targets += "C" + std::to_string(i) + "," + std::to_string(1.0 - i / 200.0) + "," +
               std::to_string(i / 20 + 1) + ",Loyal,3.5\n";
  }
  write("targets.csv", targets);
  const std::string args = "contacts '" + path("targets.csv") +
                           "' --campaign spring --control-share 0.2 --sent-at "
                           "2024-03-01 --channel sms --cost 0.1 -o ";
  ASSERT_EQ(run(args + "'" + path("a.csv") + "' --seed 7"), 0) << err();
  ASSERT_EQ(run(args + "'" + path("b.csv") + "' --seed 7"), 0) << err();
  const std::string a = slurp(path("a.csv"));
  EXPECT_EQ(a, slurp(path("b.csv")));  // the same seed, the same assignment
  EXPECT_EQ(a.rfind("customer_id,campaign,group,sent_at,channel,cost,score,decile,tier\n", 0), 0u)
      << a.substr(0, 200);
  // 20 % of each decile of 20: exactly 4 controls in each, 40 in all.
  std::size_t controls = 0;
  for (std::size_t at = a.find(",control,"); at != std::string::npos;
       at = a.find(",control,", at + 1)) {
    ++controls;
  }
  EXPECT_EQ(controls, 40u);
  ASSERT_EQ(run(args + "'" + path("c.csv") + "' --seed 8"), 0) << err();
  EXPECT_NE(a, slurp(path("c.csv")));
  expect_one_line_error(run("contacts '" + path("targets.csv") +
                            "' --campaign x --sent-at 2024-02-30 -o '" + path("d.csv") + "'"),
                        "--sent-at");
}

}  // namespace
}  // namespace custlens
