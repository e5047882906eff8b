// `custlens events` end to end beyond the goldens: --out files and the rejects' file:line:reason,
// the headerless layout with malformed rows, Chinese headers, text output in both languages,
// one-line errors for every bad option.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "support/cli_runner.h"

namespace custlens {
namespace {

class EventsCommandTest : public testing::CliTest {
 protected:
  static std::string data(const std::string& name) {
    return std::string(CUSTLENS_TEST_DATA) + "/" + name;
  }
};

TEST_F(EventsCommandTest, OutWritesTheSummaryAndEveryRejectWithItsLineAndReason) {
  ASSERT_EQ(run("events '" + data("events_audit_headerless.csv") + "' --quiet --out '" +
                path("out") + "'"),
            0)
      << err();
  std::ifstream in(path("out/summary.json"));
  const nlohmann::json summary = nlohmann::json::parse(in);
  const nlohmann::json& audit = summary["events"]["audit"];
  EXPECT_EQ(summary["input"]["layout"], "taobao_user_behavior");
  const std::string rejects = slurp(path("out/rejects.csv"));
  // One line per malformed or user-less row, after the header.
  const auto lines = std::count(rejects.begin(), rejects.end(), '\n');
  EXPECT_EQ(lines, 1 + audit["malformed"].get<int>() + audit["missing_customer"].get<int>())
      << rejects;
  EXPECT_GT(audit["malformed"].get<int>(), 0);
  EXPECT_NE(rejects.find("events_audit_headerless.csv"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("is not pv, fav, cart or buy"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("missing_customer"), std::string::npos) << rejects;
  EXPECT_EQ(audit["rows_kept"].get<int>() + audit["malformed"].get<int>() +
                audit["missing_customer"].get<int>(),
            audit["rows_read"].get<int>());
}

TEST_F(EventsCommandTest, TextInEnglishAndChinese) {
  ASSERT_EQ(run("events '" + data("taobao_user_behavior_sample.csv") + "' --quiet"), 0) << err();
  const std::string en = out();
  EXPECT_NE(en.find("pv"), std::string::npos) << en;
  ASSERT_EQ(run("events '" + data("tianchi_behavior_zh.csv") + "' --quiet"), 0) << err();
  const std::string zh = out();
  EXPECT_NE(zh.find("转化"), std::string::npos) << zh;  // Chinese headers: Chinese text
}

TEST_F(EventsCommandTest, BadOptionsAreOneLineErrors) {
  const std::string input = "events '" + data("taobao_user_behavior_sample.csv") + "' --quiet ";
  expect_one_line_error(run(input + "--tz Mars/Olympus"), "--tz");
  expect_one_line_error(run(input + "--window 0"), "--window");
  expect_one_line_error(run(input + "--window 3x"), "--window");
  expect_one_line_error(run(input + "--mode loose"), "--mode");
  expect_one_line_error(run(input + "--by country"), "--by");
  expect_one_line_error(run(input + "--period year"), "--period");
  expect_one_line_error(run(input + "--retention-event cart"), "--retention-event");
  expect_one_line_error(run(input + "--churn-periods 0"), "--churn-periods");
  expect_one_line_error(run(input + "--steps-map view"), "--steps-map");
  expect_one_line_error(run(input + "--funnel pv,,buy"), "--funnel");
  expect_one_line_error(run("events '" + path("missing.csv") + "'"), "cannot open");
}

TEST_F(EventsCommandTest, MissingRolesAndEmptyLogsAreOneLineErrors) {
  write("no_behaviour.csv", "user_id,item_id,timestamp\n1,2,1511544070\n");
  expect_one_line_error(run("events '" + path("no_behaviour.csv") + "' --quiet"), "--map");
  write("all_bad.csv", "user_id,behavior_type,timestamp\n1,pv,soon\n,pv,1511544070\n");
  expect_one_line_error(run("events '" + path("all_bad.csv") + "' --quiet"), "no event kept");
}

TEST_F(EventsCommandTest, AnotherVocabularyMapsOntoTheSteps) {
  write("clicks.csv",
        "uid,action,ts\n"
        "a,view,1511544070\na,addcart,1511544080\na,order,1511544090\n"
        "b,view,1511544070\n");
  ASSERT_EQ(run("events '" + path("clicks.csv") +
                "' --map customer=uid --map behavior=action --map date=ts "
                "--steps-map view=pv,addcart=cart,order=buy --json --quiet"),
            0)
      << err();
  const nlohmann::json json = nlohmann::json::parse(out());
  EXPECT_EQ(json["kpis"]["uv"], 2);
  EXPECT_EQ(json["kpis"]["buy_users"], 1);
  ASSERT_EQ(json["funnel"]["steps"].size(), 3u);
  EXPECT_EQ(json["funnel"]["steps"][2]["users"], 1);
}

// Past --memory-limit the events go to spill files, user by user partitions: the answers stay
// the same to the last digit, and the spill files are gone afterwards.
TEST_F(EventsCommandTest, SpilledPartitionsGiveTheSameAnswers) {
  const std::string input =
      "events '" + data("taobao_user_behavior_sample.csv") + "' --by category --json --quiet";
  ASSERT_EQ(run(input), 0) << err();
  const std::string in_memory = out();
  std::filesystem::create_directories(path("spill"));
  ASSERT_EQ(run(input + " --memory-limit 8K --tmp-dir '" + path("spill") + "'"), 0) << err();
  EXPECT_EQ(out(), in_memory);
  EXPECT_TRUE(std::filesystem::is_empty(path("spill")));
  expect_one_line_error(run(input + " --memory-limit lots"), "--memory-limit");
}

// analyze recognises a behaviour log by its behaviour column and writes the events report.
TEST_F(EventsCommandTest, AnalyzeOnABehaviourLogWritesTheEventsReport) {
  ASSERT_EQ(run("analyze '" + data("taobao_user_behavior_sample.csv") + "' --quiet --out '" +
                path("out") + "'"),
            0)
      << err();
  std::ifstream in(path("out/summary.json"));
  const nlohmann::json summary = nlohmann::json::parse(in);
  EXPECT_EQ(summary["input"]["kind"], "behavior_log");
  EXPECT_EQ(summary["events"]["kpis"]["uv"], 43);
  EXPECT_FALSE(summary.contains("rfm"));
  EXPECT_TRUE(std::filesystem::exists(path("out/report.html")));
  expect_one_line_error(run("analyze '" + data("taobao_user_behavior_sample.csv") +
                            "' --quiet --clv --out '" + path("out2") + "'"),
                        "behaviour log");
}

// A page-type log has no pv or buy: no default funnel, so none is made up; --funnel names one.
TEST_F(EventsCommandTest, APageLogHasNoDefaultFunnel) {
  ASSERT_EQ(run("events '" + data("events_pages.csv") + "' --json --quiet"), 0) << err();
  const nlohmann::json json = nlohmann::json::parse(out());
  EXPECT_TRUE(json["funnel"].is_null());
  EXPECT_EQ(json["kpis"]["pv"], 0);
  ASSERT_EQ(run("events '" + data("events_pages.csv") + "' --funnel home,detail --json --quiet"), 0)
      << err();
  EXPECT_EQ(nlohmann::json::parse(out())["funnel"]["steps"].size(), 2u);
}

// The joined view's options: one-line errors before the log is read, customers.csv in --out with
// hashed ids, the text block in Chinese, profile tiers by clusters.
TEST_F(EventsCommandTest, JoinedViewOptionsOutputsAndErrors) {
  const std::string input = "events '" + data("taobao_user_behavior_sample.csv") + "' --quiet ";
  const std::string orders = " --orders '" + data("events_join_orders.csv") + "'";
  const std::string profiles = " --profiles '" + data("events_join_profiles.csv") + "'";
  expect_one_line_error(run(input + "--by tier"), "--orders");
  expect_one_line_error(run(input + orders + " --by profile_tier"), "--profiles");
  expect_one_line_error(run(input + "--customers '" + path("c.csv") + "'"), "--customers");
  expect_one_line_error(run(input + profiles + " --profile-tiers kmeans"), "--profile-tiers");
  expect_one_line_error(run(input + orders + " --as-of 2017-13-01"), "--as-of");
  expect_one_line_error(run(input + "--orders '" + path("none.csv") + "'"), "--orders");
  // A log given as the orders has no order roles: the error names --orders, nothing is written.
  expect_one_line_error(run(input + "--orders '" + data("taobao_user_behavior_sample.csv") +
                            "' --out '" + path("failed") + "'"),
                        "--orders");
  EXPECT_FALSE(std::filesystem::exists(path("failed/summary.json")));
  expect_one_line_error(run(input + "--profiles '" + data("events_join_orders.csv") + "'"),
                        "--profiles");

  ASSERT_EQ(run(input + orders + profiles + " --hash-ids --salt s3cret --lang zh --out '" +
                path("out") + "'"),
            0)
      << err();
  EXPECT_NE(out().find("按 RFM 分层"), std::string::npos) << out();
  EXPECT_NE(out().find("按画像分层"), std::string::npos) << out();
  std::ifstream in(path("out/summary.json"));
  const nlohmann::json summary = nlohmann::json::parse(in);
  const nlohmann::json& joined = summary["events"]["joined"];
  const std::string table = slurp(path("out/customers.csv"));
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 1 + joined["customer_rows"].get<int>());
  EXPECT_EQ(table.find("\n1000001,"), std::string::npos) << "ids are hashed";
  EXPECT_NE(table.find("冠军客户"), std::string::npos) << "tiers in the report language";
  EXPECT_EQ(joined["rfm_tier"]["matched_users"], 30);
  EXPECT_EQ(joined["profile_tier"]["matched_users"], 34);

  ASSERT_EQ(run(input + profiles + " --profile-tiers clusters --json"), 0) << err();
  const nlohmann::json clusters = nlohmann::json::parse(out())["joined"]["profile_tier"];
  EXPECT_EQ(clusters["scheme"], "clusters");
  std::int64_t users = 0;
  for (const auto& group : clusters["groups"]) users += group["users"].get<std::int64_t>();
  EXPECT_EQ(users, 43);
}

}  // namespace
}  // namespace custlens
