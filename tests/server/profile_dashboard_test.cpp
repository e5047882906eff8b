// The profile dashboard: every filtered view equals `custlens profile` run on a file holding only
// the filtered rows (the CLI is the independent side); query validation; the tier filter by the
// full analysis's tiers; views too small to analyse; the cache; the routes over HTTP.
#include "server/profile_dashboard.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "custlens/ingest.h"
#include "support/dashboard_fixture.h"
#include "support/json_compare.h"
#include "support/order_csv.h"
#include "support/query_text.h"

namespace custlens {
namespace {

namespace fs = std::filesystem;
using testing::csv_field;
using testing::url_encode;
using Rows = std::vector<std::vector<std::string>>;

// Analysis options small enough for a sanitizer build, given to the dashboard and the CLI alike.
constexpr const char* kProfileCliOptions = "--k-range 2..4 --restarts 4 --lang en";

server::ProfileDashboardData load_profile_data(const std::string& path) {
  const ReadOptions base;
  server::ProfileDashboardData data;
  data.files = expand_inputs(std::vector<std::string>{path});
  const std::vector<std::string> header = read_header(data.files.front(), base);
  const ProfileRoleMap roles = detect_profile_roles(header);
  Dataset dataset = read_dataset(data.files, profile_read_options(header, roles, base));
  data.encoding = dataset.encoding;
  data.clean = clean_profiles(std::move(dataset), header, roles);
  data.options.k_min = 2;
  data.options.k_max = 4;
  data.options.restarts = 4;
  data.playbook = report::ProfilePlaybook::load(report::default_profile_playbook_path());
  return data;
}

std::size_t column(const Rows& records, const std::string& name) {
  const auto& header = records.front();
  const auto found = std::find(header.begin(), header.end(), name);
  EXPECT_NE(found, header.end()) << name;
  return static_cast<std::size_t>(found - header.begin());
}

nlohmann::json profile_body(const server::Reply& reply) {
  return nlohmann::json::parse(reply.body, nullptr, false);
}

// Everything but `input` (the file read: the CLI reads another one) agrees to 1e-9 relative: the
// same sums in the same order should agree exactly; the tolerance keeps the test about the
// analysis, not the last bit.
void expect_same_profile(const nlohmann::json& view, const nlohmann::json& expected) {
  ASSERT_TRUE(view.is_object());
  ASSERT_TRUE(expected.is_object()) << "the independent run failed";
  nlohmann::json actual = view, wanted = expected;
  actual.erase("input");
  wanted.erase("input");
  std::vector<std::string> actual_keys, wanted_keys;
  for (const auto& [key, value] : actual.items()) actual_keys.push_back(key);
  for (const auto& [key, value] : wanted.items()) wanted_keys.push_back(key);
  EXPECT_EQ(actual_keys, wanted_keys);
  testing::JsonComparer comparer(1e-9);
  comparer.compare(wanted, actual, "profile");
  EXPECT_TRUE(comparer.differences.empty())
      << fmt::format("{}", fmt::join(comparer.differences, "\n"));
}

class ProfileDashboardTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / fmt::format("custlens_profile_dashboard_{}", ::getpid());
    fs::create_directories(dir_);
    file_ = std::string(CUSTLENS_TEST_DATA) + "/user_personalized_features.csv";
    records_ = testing::parse_csv(testing::read_file(file_));
    dashboard_ = new server::ProfileDashboard(load_profile_data(file_), Lang::kEn);
    // The full analysis's tier of each customer, as `custlens profile --out` writes it.
    const std::string command =
        fmt::format("'{}' profile '{}' {} --out '{}' >/dev/null 2>&1", CUSTLENS_BIN, file_,
                    kProfileCliOptions, (dir_ / "full").string());
    ASSERT_EQ(std::system(command.c_str()), 0);
    const Rows customers =
        testing::parse_csv(testing::read_file((dir_ / "full" / "customers.csv").string()));
    const std::size_t tier = column(customers, "profile_tier");
    for (std::size_t r = 1; r < customers.size(); ++r)
      tier_of_[customers[r][0]] = customers[r][tier];
  }
  static void TearDownTestSuite() {
    delete dashboard_;
    dashboard_ = nullptr;
    fs::remove_all(dir_);
  }
  void SetUp() override { ASSERT_NE(dashboard_, nullptr) << "the suite's set-up failed"; }

  // `custlens profile --json` of the input rows that `keep` accepts (header kept).
  template <typename Keep>
  static nlohmann::json profile_of_rows(const std::string& name, Keep keep) {
    std::string text;
    for (std::size_t r = 0; r < records_.size(); ++r) {
      if (r > 0 && !keep(records_[r])) continue;
      for (std::size_t f = 0; f < records_[r].size(); ++f) {
        text += (f ? "," : "") + csv_field(records_[r][f]);
      }
      text += '\n';
    }
    const fs::path file = dir_ / (name + ".csv");
    std::ofstream(file, std::ios::binary) << text;
    const fs::path json = dir_ / (name + ".json");
    const std::string command =
        fmt::format("'{}' profile '{}' {} --json >'{}' 2>/dev/null", CUSTLENS_BIN, file.string(),
                    kProfileCliOptions, json.string());
    if (std::system(command.c_str()) != 0) return nullptr;
    return nlohmann::json::parse(testing::read_file(json.string()), nullptr, false);
  }

  static inline fs::path dir_;
  static inline std::string file_;
  static inline Rows records_;
  static inline std::map<std::string, std::string> tier_of_;  // customer id -> tier id
  static inline server::ProfileDashboard* dashboard_ = nullptr;
};

TEST_F(ProfileDashboardTest, UnfilteredIsTheProfileOfTheFile) {
  const nlohmann::json view = profile_body(dashboard_->summary({}));
  const nlohmann::json expected = profile_of_rows("all", [](const auto&) { return true; });
  expect_same_profile(view["profile"], expected);
  EXPECT_EQ(view["profile"]["input"]["rows_kept"], 1000);
  EXPECT_FALSE(view.contains("filter"));
  EXPECT_EQ(view, dashboard_->full_summary());
}

TEST_F(ProfileDashboardTest, FilterChoicesComeFromTheTableAndTheFullAnalysis) {
  const nlohmann::json& choices = dashboard_->filter_choices();
  EXPECT_EQ(choices["kind"], "profiles");
  EXPECT_EQ(choices["regions"], (nlohmann::json{"Rural", "Suburban", "Urban"}));
  EXPECT_EQ(choices["categories"].size(), 5u);
  ASSERT_FALSE(choices["tiers"].empty());
  std::set<std::string> tiers_with_customers;
  for (const auto& [id, tier] : tier_of_) tiers_with_customers.insert(tier);
  for (const auto& tier : choices["tiers"]) {
    EXPECT_TRUE(tiers_with_customers.contains(tier["value"].get<std::string>())) << tier;
    EXPECT_TRUE(tier["label"].is_string());
  }
  EXPECT_EQ(choices["tiers"].size(), tiers_with_customers.size());
}

TEST_F(ProfileDashboardTest, RegionFilterEqualsTheProfileOfThatRegionsRows) {
  const std::size_t location = column(records_, "Location");
  const server::Reply reply = dashboard_->summary({{"region", "Urban"}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  const nlohmann::json view = profile_body(reply);
  const nlohmann::json expected =
      profile_of_rows("urban", [&](const auto& row) { return row[location] == "Urban"; });
  expect_same_profile(view["profile"], expected);
  EXPECT_EQ(view["filter"], (nlohmann::json{{"region", "Urban"}}));
  // The input is still the whole file's: the view is a part of it.
  EXPECT_EQ(view["profile"]["input"], dashboard_->full_summary()["profile"]["input"]);
  EXPECT_LT(view["profile"]["rfm"]["customers"].get<int>(), 1000);
}

TEST_F(ProfileDashboardTest, RegionAndCategoryFiltersEqualTheProfileOfTheirIntersection) {
  const std::size_t location = column(records_, "Location");
  const std::size_t category = column(records_, "Product_Category_Preference");
  const std::string wanted = dashboard_->filter_choices()["categories"][0];
  const server::Reply reply =
      dashboard_->summary({{"region", "Rural"}, {"category", wanted}, {"tier", ""}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  const nlohmann::json expected = profile_of_rows("rural_category", [&](const auto& row) {
    return row[location] == "Rural" && row[category] == wanted;
  });
  expect_same_profile(profile_body(reply)["profile"], expected);
}

TEST_F(ProfileDashboardTest, TierFilterPicksTheFullAnalysisTiersThenFitsThemAgain) {
  std::map<std::string, int> sizes;
  for (const auto& [id, tier] : tier_of_) ++sizes[tier];
  std::string tier;
  for (const auto& [name, size] : sizes) {
    if (size >= 30 && (tier.empty() || size > sizes[tier])) tier = name;
  }
  ASSERT_FALSE(tier.empty());
  const std::size_t id = column(records_, "User_ID");
  const server::Reply reply = dashboard_->summary({{"tier", tier}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  const nlohmann::json view = profile_body(reply);
  const nlohmann::json expected = profile_of_rows("tier", [&](const auto& row) {
    const auto found = tier_of_.find(row[id]);
    return found != tier_of_.end() && found->second == tier;
  });
  expect_same_profile(view["profile"], expected);
  EXPECT_EQ(view["profile"]["rfm"]["customers"], sizes[tier]);
  EXPECT_EQ(view["filter"], (nlohmann::json{{"tier", tier}}));
  // The English and Chinese names name the same tier, and share the cached view.
  const auto parsed = parse_profile_tier(tier);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(
      dashboard_->summary({{"tier", std::string(profile_tier_name(*parsed, Lang::kEn))}}).body,
      reply.body);
  EXPECT_EQ(
      dashboard_->summary({{"tier", std::string(profile_tier_name(*parsed, Lang::kZh))}}).body,
      reply.body);
  EXPECT_GE(profile_body(dashboard_->health())["cache"]["hits"].get<int>(), 2);
}

TEST_F(ProfileDashboardTest, BadParametersAre400WithTheChoices) {
  for (const server::QueryParams& params :
       std::vector<server::QueryParams>{{{"country", "France"}},
                                        {{"from", "2011-01-01"}},
                                        {{"region", "Atlantis"}},
                                        {{"category", "Weapons"}},
                                        {{"tier", "Champions"}},
                                        {{"tier", "gold"}},
                                        {{"region", "Urban"}, {"region", "Rural"}},
                                        {{"lang", "zh"}},
                                        {{"region", "\xFF\xFE"}}}) {
    const server::Reply reply = dashboard_->summary(params);
    EXPECT_EQ(reply.status, 400) << params.begin()->first;
    EXPECT_TRUE(profile_body(reply)["error"].is_string()) << reply.body;
  }
  const std::string error = profile_body(dashboard_->summary({{"region", "Atlantis"}}))["error"];
  EXPECT_NE(error.find("Rural, Suburban, Urban"), std::string::npos) << error;
  EXPECT_EQ(dashboard_->report({{"lang", "fr"}}).status, 400);
  EXPECT_EQ(dashboard_->report({{"lang", "zh"}, {"region", "Urban"}}).status, 200);
}

TEST_F(ProfileDashboardTest, ReportIsTheModelOfTheViewInEitherLanguage) {
  const nlohmann::json model = profile_body(dashboard_->report({{"region", "Suburban"}}));
  EXPECT_EQ(model["lang"], "en");
  EXPECT_TRUE(model["sections"].is_array());
  EXPECT_FALSE(model["sections"].empty());
  const nlohmann::json full = profile_body(dashboard_->report({}));
  EXPECT_NE(model["subtitle"], full["subtitle"]);  // the view's customer count
  EXPECT_EQ(profile_body(dashboard_->report({{"lang", "zh"}}))["lang"], "zh");
  const server::Reply page = dashboard_->page();
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("\"kind\":\"profiles\""), std::string::npos);
}

TEST_F(ProfileDashboardTest, ServedOverHttpWithTheSameLimits) {
  const testing::ServedDashboard served(
      std::make_unique<server::ProfileDashboard>(load_profile_data(file_), Lang::kEn));
  httplib::Client client("127.0.0.1", served.port());
  auto view = client.Get("/api/summary?region=Urban");
  ASSERT_TRUE(view);
  EXPECT_EQ(view->status, 200);
  EXPECT_EQ(view->body, dashboard_->summary({{"region", "Urban"}}).body);
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(nlohmann::json::parse(health->body)["kind"], "profiles");
  EXPECT_EQ(nlohmann::json::parse(health->body)["customers"], 1000);
  auto bad = client.Get("/api/summary?region=" + url_encode("Atlantis"));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(testing::status_of(testing::raw_request(
                served.port(), "GET /api/summary HTTP/1.1\r\nHost: evil.example\r\n\r\n")),
            403);
  EXPECT_EQ(testing::status_of(testing::raw_request(
                served.port(), "GET /api/summary?region=" + std::string(3000, 'x') +
                                   " HTTP/1.1\r\nHost: "
                                   "127.0.0.1\r\n\r\n")),
            414);
}

// A dozen customers: region B has two (too few to cluster), neither of whom prefers Toys.
TEST(ProfileDashboardSmallTest, ViewsTooSmallToAnalyseAre422) {
  const fs::path file =
      fs::temp_directory_path() / fmt::format("custlens_profile_small_{}.csv", ::getpid());
  std::string text =
      "User_ID,Location,Product_Category_Preference,Last_Login_Days_Ago,Purchase_Frequency,"
      "Total_Spending\n";
  for (int i = 0; i < 12; ++i) {
    text += fmt::format("u{},{},{},{},{},{}\n", i, i < 10 ? "A" : "B",
                        i >= 10 || i % 2 ? "Books" : "Toys", 3 + (i * 7) % 29, 1 + (i * 5) % 11,
                        100 + (i * 37) % 400);
  }
  std::ofstream(file, std::ios::binary) << text;
  const server::ProfileDashboard dashboard(load_profile_data(file.string()), Lang::kEn);
  fs::remove(file);
  EXPECT_EQ(dashboard.summary({{"region", "A"}}).status, 200);
  const server::Reply none = dashboard.summary({{"region", "B"}, {"category", "Toys"}});
  EXPECT_EQ(none.status, 422) << none.body;
  EXPECT_EQ(profile_body(none)["error"], "no customers match the filter");
  const server::Reply two = dashboard.summary({{"region", "B"}});
  EXPECT_EQ(two.status, 422) << two.body;
  EXPECT_FALSE(profile_body(two)["error"].get<std::string>().empty());
  EXPECT_EQ(dashboard.report({{"region", "B"}}).status, 422);
}

}  // namespace
}  // namespace custlens
