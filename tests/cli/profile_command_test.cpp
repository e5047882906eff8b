// `custlens profile` end to end: JSON keys, the files of --out, the text summary, one-line errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/cli_runner.h"
#include "support/report_model.h"

namespace custlens {
namespace {

class ProfileCommandTest : public testing::CliTest {
 protected:
  static std::string sample() {
    return "'" + std::string(CUSTLENS_TEST_DATA) + "/user_personalized_features.csv'";
  }
};

TEST_F(ProfileCommandTest, JsonHasEverySection) {
  ASSERT_EQ(run("profile " + sample() + " --json --quiet --k-range 2..4"), 0) << err();
  const auto json = nlohmann::json::parse(out());
  for (const char* key : {"input", "rfm", "tiers", "clusters", "tier_category", "regions",
                          "tier_region", "chi_square", "notes"}) {
    EXPECT_TRUE(json.contains(key)) << key;
  }
  EXPECT_EQ(json["input"]["rows_read"], 1000);
  EXPECT_EQ(json["input"]["rows_rejected"], 0);
  EXPECT_EQ(json["input"]["roles"]["monetary"], "Total_Spending");
  EXPECT_EQ(json["rfm"]["scheme"], "five");
  EXPECT_EQ(json["tiers"]["source"], "clusters");
  EXPECT_EQ(json["tiers"]["counts"].size(), 5u);
  const auto& clusters = json["clusters"];
  EXPECT_EQ(clusters["elbow"].size(), 3u);
  EXPECT_EQ(clusters["seed"], 42);
  EXPECT_EQ(clusters["restarts"], 20);
  EXPECT_EQ(clusters["features"].size(), 6u);
  EXPECT_EQ(clusters["pca"]["explained_variance_ratio"].size(), 2u);
  EXPECT_EQ(clusters["pca"]["points"].size(), 1000u);
  std::int64_t size = 0;
  for (const auto& cluster : clusters["clusters"]) size += cluster["size"].get<std::int64_t>();
  EXPECT_EQ(size, 1000);
  EXPECT_TRUE(clusters["clusters"][0]["centroid"].contains("monetary"));
  // Location counts from tests/data/SOURCES.md: Suburban 349, Urban 344, Rural 307.
  const auto& regions = json["regions"]["regions"];
  ASSERT_EQ(regions.size(), 3u);
  EXPECT_EQ(regions[0]["region"], "Suburban");
  EXPECT_EQ(regions[0]["users"], 349);
  EXPECT_EQ(regions[2]["region"], "Rural");
  EXPECT_EQ(regions[2]["users"], 307);
  EXPECT_EQ(json["regions"]["rankings"]["frequency"].size(), 3u);
  ASSERT_EQ(json["chi_square"].size(), 4u);
  for (const auto& test : json["chi_square"]) {
    EXPECT_EQ(test["columns"], "region");
    EXPECT_GE(test["p_value"].get<double>(), 0.0);
    EXPECT_LE(test["p_value"].get<double>(), 1.0);
  }
  EXPECT_EQ(json["chi_square"][1]["rows"], "gender");
}

TEST_F(ProfileCommandTest, OutWritesSummaryCustomersAndRejects) {
  write("p.csv",
        "User_ID,Last_Login_Days_Ago,Purchase_Frequency,Total_Spending,Location\n"
        "a,2,5,50,North\nb,3,4,40,North\nc,1,1,10,South\n,9,9,9,South\nd,4,2,20,South\n"
        "e,5,3,30,South\nf,6,3,35,North\n");
  ASSERT_EQ(
      run("profile '" + path("p.csv") + "' --out '" + path("out") + "' --tiers rules --quiet"), 0)
      << err();
  const auto summary = nlohmann::json::parse(slurp(dir_ / "out" / "summary.json"));
  EXPECT_EQ(summary["profile"]["tiers"]["source"], "rules");
  EXPECT_EQ(summary["profile"]["input"]["audit"]["missing_customer"], 1);
  const std::string customers = slurp(dir_ / "out" / "customers.csv");
  EXPECT_EQ(customers.rfind("customer_id,recency,frequency,monetary,r_score,f_score,m_score,"
                            "rfm_code,segment,profile_tier,cluster,pc1,pc2\n",
                            0),
            0u)
      << customers;
  EXPECT_EQ(std::count(customers.begin(), customers.end(), '\n'), 7);
  EXPECT_NE(customers.find("\na,2,5,50,"), std::string::npos) << customers;
  const std::string rejects = slurp(dir_ / "out" / "rejects.csv");
  EXPECT_NE(rejects.find(",5,missing_customer,empty customer id,"), std::string::npos) << rejects;
  // The report: the profile sections, the playbook beside the tiers and the regions.
  const nlohmann::json model = testing::embedded_model(slurp(dir_ / "out" / "report.html"));
  ASSERT_FALSE(model.is_discarded());
  EXPECT_EQ(model.at("title"), "Customer profile report");
  const std::vector<std::string> ids = testing::section_ids(model);
  for (const char* id :
       {"profile_tiers", "profile_regions", "profile_tier_region", "profile_chi_square"}) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
  }
  EXPECT_EQ(summary["profile"]["playbook"]["regions"][0]["from"], "default");
  EXPECT_FALSE(summary["profile"]["playbook"]["tiers"].empty());
  EXPECT_NE(out().find("results in"), std::string::npos);
}

TEST_F(ProfileCommandTest, AnalyzeTakesAProfileTableThroughTheProfileAnalysis) {
  ASSERT_EQ(run("analyze " + sample() + " --out '" + path("a") + "' --quiet"), 0) << err();
  const auto summary = nlohmann::json::parse(slurp(dir_ / "a" / "summary.json"));
  ASSERT_TRUE(summary.contains("profile"));
  EXPECT_FALSE(summary.contains("rfm"));  // no order-line analysis of a profile table
  ASSERT_EQ(run("profile " + sample() + " --json --quiet"), 0) << err();
  const auto direct = nlohmann::json::parse(out());
  EXPECT_EQ(summary["profile"]["tier_category"], direct["tier_category"]);
  EXPECT_EQ(summary["profile"]["clusters"]["elbow"], direct["clusters"]["elbow"]);
  const nlohmann::json model = testing::embedded_model(slurp(dir_ / "a" / "report.html"));
  EXPECT_EQ(testing::section_ids(model).size(), 10u);  // outliers + nine profile sections
  EXPECT_TRUE(std::filesystem::exists(dir_ / "a" / "customers.csv"));
}

TEST_F(ProfileCommandTest, HashIdsHidesTheIdsInTheExports) {
  write("p.csv",
        "User_ID,Last_Login_Days_Ago,Purchase_Frequency,Total_Spending\n"
        "alice@example.com,2,5,50\nbob@example.com,3,4,40\ncarol@example.com,1,1,10\n"
        "dave@example.com,x,9,9\n");
  ASSERT_EQ(run("profile '" + path("p.csv") + "' --tiers rules --out '" + path("h") +
                "' --hash-ids --salt s3cret --quiet"),
            0)
      << err();
  for (const char* file : {"customers.csv", "rejects.csv", "summary.json", "report.html"}) {
    const std::string text = slurp(dir_ / "h" / file);
    EXPECT_EQ(text.find("@example.com"), std::string::npos) << file;
  }
  EXPECT_NE(slurp(dir_ / "h" / "rejects.csv").find("bad_number:recency"), std::string::npos);
}

TEST_F(ProfileCommandTest, TextSummaryInEnglishAndChinese) {
  ASSERT_EQ(run("profile " + sample() + " --quiet --k 4"), 0) << err();
  const std::string text = out();
  for (const char* needle : {"Input: ", "(1,000 rows, 1,000 customers)", "RFM tiers (scheme five)",
                             "Profile tiers (from K-Means clusters, k = 4)", "K-Means clusters",
                             "<- --k", "Top categories per tier", "Regions", "purchase frequency: ",
                             "Chi-square tests of independence", "tier × region: χ² ="}) {
    EXPECT_NE(text.find(needle), std::string::npos) << needle << "\n" << text;
  }
  ASSERT_EQ(run("profile " + sample() + " --quiet --k 4 --lang zh"), 0) << err();
  EXPECT_NE(out().find("卡方独立性检验"), std::string::npos) << out();
  EXPECT_NE(out().find("重要客户"), std::string::npos);
}

TEST_F(ProfileCommandTest, NoRegionColumnLeavesRegionsOut) {
  write("p.csv", "user_id,recency,frequency,monetary\n1,5,2,100\n2,3,4,300\n3,9,1,50\n4,1,6,700\n");
  ASSERT_EQ(run("profile '" + path("p.csv") + "' --json --quiet"), 0) << err();
  const auto json = nlohmann::json::parse(out());
  EXPECT_FALSE(json.contains("regions"));
  EXPECT_FALSE(json.contains("chi_square"));
  EXPECT_NE(json["notes"].dump().find("no region column"), std::string::npos);
}

TEST_F(ProfileCommandTest, BadOptionsAndInputsGiveOneLineErrors) {
  expect_one_line_error(run("profile " + sample() + " --tiers magic"), "--tiers 'magic'");
  expect_one_line_error(run("profile " + sample() + " --k-range 1..5"), "--k-range '1..5'");
  expect_one_line_error(run("profile " + sample() + " --features recency,wealth"),
                        "--features: 'wealth'");
  expect_one_line_error(run("profile " + sample() + " --scheme nope"), "nope");
  write("constant.csv", "user_id,recency,frequency,monetary\n1,5,2,100\n2,5,4,300\n3,5,1,50\n");
  expect_one_line_error(run("profile '" + path("constant.csv") + "'"),
                        "recency (column 'recency') is constant");
  write("orders.csv", "CustomerID,InvoiceDate,Amount\n1,2011-01-01,5\n");
  expect_one_line_error(run("profile '" + path("orders.csv") + "'"), "--map recency=<column>");
}

// The table is opened once, through the registered sources: standard input and --format give
// the file's answer.
TEST_F(ProfileCommandTest, StdinAndFormatReadLikeTheFile) {
  const std::string file = std::string(CUSTLENS_TEST_DATA) + "/user_personalized_features.csv";
  auto result = [this] {
    nlohmann::json json = nlohmann::json::parse(out());
    json["input"].erase("files");
    return json;
  };
  ASSERT_EQ(run("profile '" + file + "' --json --quiet --tiers rules --k 2 --restarts 1"), 0)
      << err();
  const nlohmann::json expected = result();
  ASSERT_TRUE(expected["input"].contains("rows_read")) << expected["input"].dump();
  ASSERT_EQ(
      run_piped("cat '" + file + "'", "profile - --json --quiet --tiers rules --k 2 --restarts 1"),
      0)
      << err();
  EXPECT_EQ(result(), expected);
  write("profiles.xlsx", slurp(file));  // CSV text under a workbook's name
  expect_one_line_error(run("profile '" + path("profiles.xlsx") + "' --json --quiet"),
                        "not an XLSX workbook");
  ASSERT_EQ(run("profile '" + path("profiles.xlsx") +
                "' --format csv --json --quiet --tiers rules --k 2 --restarts 1"),
            0)
      << err();
  EXPECT_EQ(result(), expected);
  expect_one_line_error(run("profile '" + file + "' --format parquet"),
                        "--format 'parquet' is not an input format");
}

}  // namespace
}  // namespace custlens
