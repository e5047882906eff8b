// The profile analysis on small hand-made tables (roles, rejects, RFM rule tiers, regions, tier ×
// category) and on the 1,000-user sample (cluster naming rule, determinism).
#include "custlens/profile.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <oneapi/tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "analysis/profile_groups.h"
#include "custlens/error.h"

namespace custlens {
namespace {

using Overrides = std::vector<std::pair<std::string, std::string>>;

class ProfileTest : public ::testing::Test {
 protected:
  std::string write(const std::string& text) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const auto path = std::filesystem::temp_directory_path() /
                      fmt::format("custlens_profile_{}_{}_{}.csv", info->name(), files_.size(),
                                  static_cast<unsigned>(::getpid()));
    std::ofstream(path, std::ios::binary) << text;
    files_.push_back(path);
    return path.string();
  }
  void TearDown() override {
    for (const auto& file : files_) std::filesystem::remove(file);
  }
  static ProfileClean load(const std::string& path, const Overrides& overrides = {}) {
    ReadOptions base;
    base.threads = 1;
    const std::vector<std::string> header = read_header(path, base);
    const ProfileRoleMap roles = detect_profile_roles(header, overrides);
    const std::vector<std::string> inputs{path};
    Dataset data = read_dataset(inputs, profile_read_options(header, roles, base));
    return clean_profiles(std::move(data), header, roles);
  }
  static std::string sample() {
    return std::string(CUSTLENS_TEST_DATA) + "/user_personalized_features.csv";
  }
  std::vector<std::filesystem::path> files_;
};

// Five customers whose R, F, M scores (quintiles of 5 distinct values) land one in each rule tier:
// a R4 F5 M5 important; b R3 F4 M4 core; c R5 F1 M1 potential; d R2 F2 M2 general; e R1 F3 M3 lost.
constexpr const char* kFive =
    "User_ID,Last_Login_Days_Ago,Purchase_Frequency,Total_Spending,Location,Gender,"
    "Product_Category_Preference\n"
    "a,2,5,50,North,F,Books\n"
    "b,3,4,40,North,M,Toys\n"
    "c,1,1,10,South,F,Books\n"
    "d,4,2,20,South,F,Toys\n"
    "e,5,3,30,South,M,Toys\n";

TEST_F(ProfileTest, DetectsEnglishAndChineseRolesAndMapOverrides) {
  const std::vector<std::string> english = {"",
                                            "User_ID",
                                            "Age",
                                            "Gender",
                                            "Location",
                                            "Income",
                                            "Interests",
                                            "Last_Login_Days_Ago",
                                            "Purchase_Frequency",
                                            "Average_Order_Value",
                                            "Total_Spending",
                                            "Product_Category_Preference",
                                            "Time_Spent_on_Site_Minutes",
                                            "Pages_Viewed"};
  const ProfileRoleMap roles = detect_profile_roles(english);
  for (std::size_t r = 0; r < kProfileRoleCount; ++r) {
    EXPECT_TRUE(roles.has(static_cast<ProfileRole>(r)))
        << profile_role_name(static_cast<ProfileRole>(r));
  }
  EXPECT_EQ(roles.column(ProfileRole::kCustomer), 1);
  EXPECT_EQ(roles.column(ProfileRole::kPages), 13);

  const std::vector<std::string> chinese = {"用户ID",   "最近登录天数", "购买频率", "总消费金额",
                                            "所在地区", "偏好产品类别", "性别",     "客单价"};
  const ProfileRoleMap zh = detect_profile_roles(chinese);
  EXPECT_EQ(zh.column(ProfileRole::kCustomer), 0);
  EXPECT_EQ(zh.column(ProfileRole::kRecency), 1);
  EXPECT_EQ(zh.column(ProfileRole::kMonetary), 3);
  EXPECT_EQ(zh.column(ProfileRole::kRegion), 4);
  EXPECT_EQ(zh.column(ProfileRole::kAov), 7);
  EXPECT_FALSE(zh.has(ProfileRole::kInterest));

  const std::vector<std::string> odd = {"id", "days", "n", "spend"};
  const Overrides maps = {
      {"customer", "id"}, {"recency", "days"}, {"frequency", "n"}, {"monetary", "spend"}};
  const ProfileRoleMap mapped = detect_profile_roles(odd, maps);
  EXPECT_EQ(mapped.column(ProfileRole::kMonetary), 3);
  EXPECT_THROW(detect_profile_roles(odd, Overrides{{"wealth", "spend"}}), Error);
  EXPECT_THROW(detect_profile_roles(odd, Overrides{{"monetary", "nope"}}), Error);
  EXPECT_THROW(profile_read_options(odd, detect_profile_roles(odd), ReadOptions{}), Error);

  EXPECT_TRUE(is_profile_header(english));
  EXPECT_FALSE(
      is_profile_header(std::vector<std::string>{"CustomerID", "InvoiceDate", "Total_Spending"}));
}

TEST_F(ProfileTest, RejectsBadRowsWithFileLineAndReason) {
  const std::string path = write(
      "User_ID,Last_Login_Days_Ago,Purchase_Frequency,Total_Spending,Age\n"  // line 1
      "u1,1,5,50,30\n"                                                       // 2 kept
      ",2,4,40,31\n"                                                         // 3 missing_customer
      "u3,3,x,30,32\n"    // 4 bad_number:frequency (the reader's bad number)
      "u4,4,,20,33\n"     // 5 bad_number:frequency (empty)
      "u1,5,1,10,34\n"    // 6 kept: ids are not merged
      "u6,6,2,15,35,9\n"  // 7 malformed: field count
      "u7,7,3,25,abc\n"   // 8 kept; Age unreadable
      " u8 ,8,1,35,NA\n"  // 9 kept; id trimmed, Age missing
      ",9,y,1,1\n");      // 10 missing_customer before the bad number
  const ProfileClean clean = load(path);
  EXPECT_EQ(clean.audit.rows_read, 9);
  EXPECT_EQ(clean.audit.malformed, 1);
  EXPECT_EQ(clean.audit.missing_customer, 2);
  EXPECT_EQ(clean.audit.bad_number, 2);
  EXPECT_EQ(clean.audit.rows_kept, 4);
  ASSERT_EQ(clean.rejects.size(), 5u);
  const std::vector<std::pair<std::int64_t, std::string>> expected = {{3, "missing_customer"},
                                                                      {4, "bad_number:frequency"},
                                                                      {5, "bad_number:frequency"},
                                                                      {7, "malformed"},
                                                                      {10, "missing_customer"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(clean.rejects[i].file, path);
    EXPECT_EQ(clean.rejects[i].line, expected[i].first);
    EXPECT_EQ(clean.rejects[i].rule, expected[i].second);
  }
  EXPECT_NE(clean.rejects[1].detail.find("Purchase_Frequency"), std::string::npos);
  EXPECT_NE(clean.rejects[2].detail.find("empty frequency"), std::string::npos);
  EXPECT_EQ(clean.table.customer_id, (std::vector<std::string>{"u1", "u1", "u7", "u8"}));
  ASSERT_EQ(clean.table.age.size(), 4u);
  EXPECT_EQ(clean.table.age[0], 30);
  EXPECT_EQ(clean.table.age[1], 34);
  EXPECT_TRUE(std::isnan(clean.table.age[2]));
  EXPECT_TRUE(std::isnan(clean.table.age[3]));
  ASSERT_EQ(clean.audit.unreadable_numbers.size(), 1u);
  EXPECT_EQ(clean.audit.unreadable_numbers[0], (std::pair<std::string, std::int64_t>{"Age", 1}));
}

TEST_F(ProfileTest, AFeatureThatIsNotANumberRejectsTheRow) {
  const std::string path = write(
      "User_ID,Last_Login_Days_Ago,Purchase_Frequency,Total_Spending,Pages_Viewed\n"
      "u1,1,5,50,3\n"
      "u2,2,4,40,lots\n"  // 3 bad_number:pages (a default feature)
      "u3,3,3,30,\n");    // 4 bad_number:pages
  const ProfileClean clean = load(path);
  ASSERT_EQ(clean.rejects.size(), 2u);
  EXPECT_EQ(clean.rejects[0].rule, "bad_number:pages");
  EXPECT_EQ(clean.rejects[1].rule, "bad_number:pages");
  EXPECT_EQ(clean.audit.rows_kept, 1);
}

TEST_F(ProfileTest, RuleTiersRegionsAndTierByRegion) {
  const ProfileClean clean = load(write(kFive));
  ProfileOptions options;
  options.tiers = TierSource::kRules;
  const ProfileResult result = analyze_profiles(clean.table, options);
  const ProfileCustomerScores& s = result.scores;
  EXPECT_EQ(s.r, (std::vector<int>{4, 3, 5, 2, 1}));
  EXPECT_EQ(s.f, (std::vector<int>{5, 4, 1, 2, 3}));
  EXPECT_EQ(s.m, (std::vector<int>{5, 4, 1, 2, 3}));
  EXPECT_EQ(s.tier, (std::vector<ProfileTier>{ProfileTier::kImportant, ProfileTier::kCore,
                                              ProfileTier::kPotential, ProfileTier::kGeneral,
                                              ProfileTier::kLost}));
  EXPECT_EQ(result.tiers[0].customers, 1);
  EXPECT_DOUBLE_EQ(result.tiers[0].revenue_share, 50.0 / 150.0);

  ASSERT_TRUE(result.regions);
  const ProfileRegions& regions = *result.regions;
  ASSERT_EQ(regions.regions.size(), 2u);
  const RegionSummary& south = regions.regions[0];  // 3 users before 2
  const RegionSummary& north = regions.regions[1];
  EXPECT_EQ(south.region, "South");
  EXPECT_EQ(south.users, 3);
  EXPECT_DOUBLE_EQ(south.share, 0.6);
  EXPECT_DOUBLE_EQ(south.spend_per_capita, 20.0);
  EXPECT_DOUBLE_EQ(north.spend_per_capita, 45.0);
  EXPECT_DOUBLE_EQ(south.spend_ratio_to_best, 20.0 / 45.0);
  EXPECT_DOUBLE_EQ(north.spend_ratio_to_best, 1.0);
  EXPECT_DOUBLE_EQ(north.mean_frequency, 4.5);
  EXPECT_TRUE(std::isnan(north.mean_age));  // no Age column
  EXPECT_EQ(south.top_category, "Toys");
  EXPECT_DOUBLE_EQ(south.top_category_share, 2.0 / 3.0);
  EXPECT_EQ(north.top_category, "Books");  // Books 1, Toys 1: name ascending
  ASSERT_EQ(south.gender.size(), 2u);
  EXPECT_EQ(south.gender[0].level, "F");
  EXPECT_DOUBLE_EQ(south.gender[0].share, 2.0 / 3.0);
  ASSERT_GE(regions.rankings.size(), 2u);
  EXPECT_EQ(regions.rankings[0].measure, "spend_per_capita");
  EXPECT_EQ(regions.rankings[0].regions, (std::vector<std::string>{"North", "South"}));

  const TierRegionShares& south_mix = regions.by_region[0];
  EXPECT_DOUBLE_EQ(south_mix.high_value_share, 0.0);
  EXPECT_DOUBLE_EQ(south_mix.churn_share, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(south_mix.potential_share, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(regions.by_region[1].high_value_share, 1.0);
  EXPECT_EQ(regions.by_tier[0].tier, ProfileTier::kImportant);
  EXPECT_EQ(regions.by_tier[0].region_share, (std::vector<double>{0.0, 1.0}));

  // tier × region, gender × region, category × region (no interest column).
  ASSERT_EQ(result.chi_square.size(), 3u);
  EXPECT_EQ(result.chi_square[0].rows, "tier");
  EXPECT_EQ(result.chi_square[0].dof, 4);  // 5 non-empty tiers × 2 regions
  EXPECT_EQ(result.chi_square[1].rows, "gender");
  EXPECT_EQ(result.chi_square[1].n, 5);
}

TEST_F(ProfileTest, TierByCategoryPenetrationQuadrantsAndTop) {
  ProfileTable table;
  // important: Books 100, Books 120, Toys 50, Games 200; general: Toys 10/20/30, Books 60/80,
  // Games 300.
  const std::vector<std::string> categories = {"Books", "Books", "Toys",  "Games", "Toys",
                                               "Toys",  "Toys",  "Books", "Books", "Games"};
  table.aov = {100, 120, 50, 200, 10, 20, 30, 60, 80, 300};
  table.monetary = table.aov;
  table.category.levels = {"Books", "Toys", "Games"};
  for (const std::string& c : categories) {
    table.category.code.push_back(c == "Books" ? 0u : c == "Toys" ? 1u : 2u);
  }
  table.customer_id.resize(10);
  std::vector<ProfileTier> tier(10, ProfileTier::kGeneral);
  std::fill(tier.begin(), tier.begin() + 4, ProfileTier::kImportant);
  const ProfileTierCategory tc = analysis::tier_by_category(table, tier);
  ASSERT_EQ(tc.cells.size(), 6u);
  EXPECT_EQ(tc.top[0], (std::vector<std::string>{"Books", "Games", "Toys"}));
  EXPECT_EQ(tc.top[4], (std::vector<std::string>{"Toys", "Books", "Games"}));
  // Medians over the 6 cells: penetration (0.25 + 1/3) / 2, order value (70 + 110) / 2.
  EXPECT_DOUBLE_EQ(tc.median_penetration, (0.25 + 1.0 / 3.0) / 2);
  EXPECT_DOUBLE_EQ(tc.median_aov, 90.0);
  const std::vector<std::string> quadrants = {"star",     "question", "dog",
                                              "cash_cow", "question", "cash_cow"};
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(tc.cells[i].quadrant, quadrants[i]) << tc.cells[i].category;
  }
  EXPECT_EQ(tc.cells[0].category, "Books");
  EXPECT_DOUBLE_EQ(tc.cells[0].penetration, 0.5);
  EXPECT_DOUBLE_EQ(tc.cells[0].mean_aov, 110.0);
  EXPECT_FALSE(tc.cross_available);
}

TEST_F(ProfileTest, CrossPairsLiftWithinATier) {
  // One tier of 20: category A with interest X ×8 and Y ×2; B with X ×2 and Y ×8.
  ProfileTable table;
  table.category.levels = {"A", "B"};
  table.interest.levels = {"X", "Y"};
  for (int i = 0; i < 20; ++i) {
    const bool a = i < 10;
    const bool x = a ? i < 8 : i < 12;
    table.category.code.push_back(a ? 0u : 1u);
    table.interest.code.push_back(x ? 0u : 1u);
    table.monetary.push_back(1);
  }
  table.customer_id.resize(20);
  const std::vector<ProfileTier> tier(20, ProfileTier::kCore);
  const ProfileTierCategory tc = analysis::tier_by_category(table, tier);
  ASSERT_EQ(tc.cross.size(), 2u);  // A×Y and B×X have lift 0.4 and 2 users
  // support 8/20, p(A) = p(X) = 1/2: lift 1.6; equal lift and users: category ascending.
  EXPECT_EQ(tc.cross[0].category, "A");
  EXPECT_EQ(tc.cross[0].interest, "X");
  EXPECT_DOUBLE_EQ(tc.cross[0].support, 0.4);
  EXPECT_DOUBLE_EQ(tc.cross[0].lift, 1.6);
  EXPECT_EQ(tc.cross[1].category, "B");
  EXPECT_EQ(tc.cross[1].users, 8);
  EXPECT_FALSE(tc.quadrants);
}

TEST_F(ProfileTest, MissingOptionalRolesSwitchSectionsOffWithANote) {
  const ProfileClean clean = load(
      write("user_id,recency,frequency,monetary\n1,5,2,100\n2,3,4,300\n3,9,1,50\n4,1,6,700\n"));
  const ProfileResult result = analyze_profiles(clean.table, ProfileOptions{});
  EXPECT_FALSE(result.regions);
  EXPECT_TRUE(result.chi_square.empty());
  EXPECT_FALSE(result.tier_category);
  auto noted = [&](std::string_view word) {
    return std::any_of(result.notes.begin(), result.notes.end(), [&](const std::string& note) {
      return note.find(word) != std::string::npos;
    });
  };
  EXPECT_TRUE(noted("no region column"));
  EXPECT_TRUE(noted("no category column"));
  EXPECT_EQ(result.clusters.features,
            (std::vector<std::string>{"recency", "frequency", "monetary"}));
  EXPECT_EQ(result.clusters.elbow.back().k, 3);  // capped at n − 1
}

TEST_F(ProfileTest, ConstantOrUnknownFeatureIsAClearError) {
  const ProfileClean clean =
      load(write("User_ID,Last_Login_Days_Ago,Purchase_Frequency,Total_Spending,Pages_Viewed\n"
                 "a,1,2,10,7\nb,2,3,20,7\nc,3,1,30,7\nd,4,5,40,7\n"));
  try {
    analyze_profiles(clean.table, ProfileOptions{});
    FAIL() << "a constant feature must be an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("pages (column 'Pages_Viewed') is constant"),
              std::string::npos)
        << error.what();
  }
  ProfileOptions options;
  options.features = {"recency", "monetary"};
  EXPECT_NO_THROW(analyze_profiles(clean.table, options));
  options.features = {"aov"};
  EXPECT_THROW(analyze_profiles(clean.table, options), Error);
  options.features = {"recency"};
  options.k = 9;
  EXPECT_THROW(analyze_profiles(clean.table, options), Error);
}

TEST_F(ProfileTest, ChineseHeaders) {
  const ProfileClean clean =
      load(write("用户ID,最近登录天数,购买频率,总消费金额,所在地区,偏好产品类别\n"
                 "u1,3,5,500,华东,图书\nu2,10,1,80,华北,玩具\nu3,1,7,900,华东,图书\n"
                 "u4,25,2,60,华北,图书\nu5,7,3,300,华东,玩具\n"));
  ASSERT_EQ(clean.table.size(), 5u);
  const ProfileResult result = analyze_profiles(clean.table, ProfileOptions{});
  ASSERT_TRUE(result.regions);
  EXPECT_EQ(result.regions->regions[0].region, "华东");
  EXPECT_EQ(result.regions->regions[0].users, 3);
  EXPECT_EQ(result.regions->regions[0].top_category, "图书");
}

TEST_F(ProfileTest, ClusterNamesFollowTheRuleOnTheSample) {
  const ProfileClean clean = load(sample());
  ASSERT_EQ(clean.table.size(), 1000u);
  ProfileOptions options;
  options.k = 5;
  const ProfileResult result = analyze_profiles(clean.table, options);
  const auto& clusters = result.clusters.clusters;
  ASSERT_EQ(clusters.size(), 5u);
  auto count = [&](ProfileTier tier) {
    return std::count_if(clusters.begin(), clusters.end(),
                         [&](const ClusterSummary& c) { return c.tier == tier; });
  };
  EXPECT_EQ(count(ProfileTier::kImportant), 1);
  EXPECT_EQ(count(ProfileTier::kLost), 1);
  EXPECT_EQ(count(ProfileTier::kCore), 1);
  // Clusters are numbered by mean monetary, so cluster 0 is the important one.
  EXPECT_EQ(clusters[0].tier, ProfileTier::kImportant);
  for (std::size_t c = 1; c < clusters.size(); ++c) {
    EXPECT_GE(clusters[0].mean_monetary, clusters[c].mean_monetary);
  }
  const auto lost = std::find_if(clusters.begin(), clusters.end(), [](const ClusterSummary& c) {
    return c.tier == ProfileTier::kLost;
  });
  for (const ClusterSummary& c : clusters) {
    if (c.tier != ProfileTier::kImportant) {
      EXPECT_GE(lost->mean_recency, c.mean_recency);
    }
  }
  std::int64_t sizes = 0;
  for (const ClusterSummary& c : clusters) sizes += c.size;
  EXPECT_EQ(sizes, 1000);
  // Every customer's tier is its cluster's.
  for (std::size_t i = 0; i < 1000; ++i) {
    ASSERT_EQ(result.scores.tier[i],
              clusters[static_cast<std::size_t>(result.scores.cluster[i])].tier);
  }
  // Location counts from tests/data/SOURCES.md.
  ASSERT_TRUE(result.regions);
  EXPECT_EQ(result.regions->regions[0].region, "Suburban");
  EXPECT_EQ(result.regions->regions[0].users, 349);
  EXPECT_EQ(result.regions->regions[1].users, 344);
  EXPECT_EQ(result.regions->regions[2].users, 307);
  EXPECT_EQ(result.chi_square.size(), 4u);
}

TEST_F(ProfileTest, SameResultWhateverTheThreadCount) {
  const ProfileClean clean = load(sample());
  ProfileOptions options;
  options.k_max = 6;
  ProfileResult one, many;
  tbb::task_arena(1).execute([&] { one = analyze_profiles(clean.table, options); });
  tbb::task_arena(4).execute([&] { many = analyze_profiles(clean.table, options); });
  ASSERT_EQ(one.clusters.elbow.size(), many.clusters.elbow.size());
  for (std::size_t i = 0; i < one.clusters.elbow.size(); ++i) {
    EXPECT_EQ(one.clusters.elbow[i].inertia, many.clusters.elbow[i].inertia);
    EXPECT_EQ(one.clusters.elbow[i].silhouette, many.clusters.elbow[i].silhouette);
  }
  EXPECT_EQ(one.scores.cluster, many.scores.cluster);
  EXPECT_EQ(one.scores.tier, many.scores.tier);
  EXPECT_EQ(one.scores.pc1, many.scores.pc1);
}

}  // namespace
}  // namespace custlens
