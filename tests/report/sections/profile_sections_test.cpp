// The profile sections against a summary they did not compute: the pandas/scikit-learn golden of
// the 1,000-user sample (tests/reference/golden/profile/), its clusters given the shape
// `custlens profile` writes (scikit-learn's k = 4 clusters, the first PCA points).
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "report/html_report.h"
#include "report/sections/section.h"
#include "support/report_model.h"

namespace custlens::report {
namespace {

using nlohmann::json;
using testing::any_finding_contains;
using testing::section_by_id;
using testing::section_ids;

const std::vector<std::string> kProfileSections = {"outliers",
                                                   "profile_tiers",
                                                   "profile_clusters",
                                                   "profile_cluster_map",
                                                   "profile_tier_category",
                                                   "profile_quadrant",
                                                   "profile_cross",
                                                   "profile_regions",
                                                   "profile_tier_region",
                                                   "profile_chi_square"};

json golden_summary() {
  std::ifstream in(std::string(CUSTLENS_REFERENCE_DIR) +
                   "/golden/profile/user_personalized_features.json");
  json expected = json::parse(in).at("expected");
  json& clusters = expected.at("clusters");
  const json& fixed = clusters.at("fixed_labels");
  clusters["k"] = fixed.at("k");
  clusters["clusters"] = fixed.at("clusters");
  json& pca = clusters.at("pca");
  pca["points"] = pca.at("points_head");
  json owners = json::array();
  for (std::size_t i = 0; i < pca.at("points").size(); ++i) owners.push_back(fixed.at("labels")[i]);
  pca["point_clusters"] = owners;
  expected["input"]["files"] = json::array({"data/user_personalized_features.csv"});
  return {{"profile", expected}};
}

TEST(ProfileSectionsTest, EveryProfileSectionFromAFullSummary) {
  const json model = build_report_model(golden_summary(), Lang::kEn);
  EXPECT_EQ(section_ids(model), kProfileSections);
  EXPECT_EQ(model.at("title"), "Customer profile report");
  EXPECT_EQ(model.at("subtitle"),
            "user_personalized_features.csv · 1,000 customers · rule-based tiers");
  for (const json& section : model.at("sections")) {
    EXPECT_TRUE(section.at("chart").is_object()) << section.at("id");
    const json& table = section.at("table");
    EXPECT_EQ(table.at("columns").size(), table.at("formats").size()) << section.at("id");
    for (const json& row : table.at("rows")) {
      EXPECT_EQ(row.size(), table.at("columns").size()) << section.at("id");
    }
    EXPECT_GE(section.at("findings").size(), 2u) << section.at("id");
  }
}

TEST(ProfileSectionsTest, TablesCarryTheSummaryNumbers) {
  const json summary = golden_summary();
  const json& profile = summary.at("profile");
  const json model = build_report_model(summary, Lang::kEn);

  const json& tiers = section_by_id(model, "profile_tiers").at("table").at("rows");
  ASSERT_EQ(tiers.size(), profile.at("tiers").at("counts").size());
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    const json& tier = profile.at("tiers").at("counts")[i];
    EXPECT_EQ(tiers[i][0], tier.at("name"));
    EXPECT_EQ(tiers[i][1], tier.at("customers"));
    EXPECT_EQ(tiers[i][3], tier.at("revenue_share"));
    EXPECT_EQ(tiers[i][5], tier.at("mean_aov"));
  }

  const json& regions = section_by_id(model, "profile_regions").at("table").at("rows");
  ASSERT_EQ(regions.size(), 3u);
  EXPECT_EQ(regions[0][0], "Suburban");
  EXPECT_EQ(regions[0][1], 349);
  EXPECT_EQ(regions[0][3], profile.at("regions").at("regions")[0].at("per_capita_spend"));

  const json& tests = section_by_id(model, "profile_chi_square").at("table").at("rows");
  ASSERT_EQ(tests.size(), 4u);
  EXPECT_EQ(tests[0][0], "tier × region");
  EXPECT_EQ(tests[0][1], profile.at("chi_square")[0].at("statistic"));
  EXPECT_EQ(tests[0][3], profile.at("chi_square")[0].at("p_value"));
  EXPECT_EQ(tests[0][6], "no");

  // The quadrant scatter has one series per quadrant with the golden's cells.
  const json& series = section_by_id(model, "profile_quadrant").at("chart").at("series");
  ASSERT_EQ(series.size(), 4u);
  std::vector<std::size_t> sizes;
  for (const json& one : series) sizes.push_back(one.at("data").size());
  std::vector<std::size_t> expected(4, 0);
  const std::vector<std::string> order = {"star", "question", "cash_cow", "dog"};
  for (const json& cell : profile.at("tier_category").at("cells")) {
    for (std::size_t q = 0; q < order.size(); ++q) expected[q] += cell.at("quadrant") == order[q];
  }
  EXPECT_EQ(sizes, expected);

  // The heat map has a value per tier × category cell.
  EXPECT_EQ(
      section_by_id(model, "profile_tier_category").at("chart").at("series")[0].at("data").size(),
      profile.at("tier_category").at("cells").size());
}

TEST(ProfileSectionsTest, FindingsStateTheNumbers) {
  const json model = build_report_model(golden_summary(), Lang::kEn);
  EXPECT_TRUE(any_finding_contains(section_by_id(model, "profile_regions"),
                                   "Purchase frequency: Rural > Suburban > Urban"));
  EXPECT_TRUE(any_finding_contains(section_by_id(model, "profile_regions"),
                                   "Spend per customer: Urban > Suburban > Rural"));
  const json chi = section_by_id(model, "profile_chi_square");
  EXPECT_TRUE(any_finding_contains(chi, "Significant at 5%: none."));
  EXPECT_TRUE(any_finding_contains(chi, "tier × region (p = 0.991)"));
  EXPECT_TRUE(any_finding_contains(section_by_id(model, "profile_tier_region"),
                                   "does not differ significantly between regions (χ² = 1.585"));
  EXPECT_TRUE(any_finding_contains(section_by_id(model, "profile_quadrant"),
                                   "8 star cells, 5 question marks, 5 cash cows, 7 dogs"));
  EXPECT_TRUE(any_finding_contains(section_by_id(model, "profile_clusters"), "k = 4 clusters"));
  EXPECT_TRUE(any_finding_contains(section_by_id(model, "profile_cluster_map"),
                                   "explain 36.5% of the variance"));  // 0.18879 + 0.17584
}

TEST(ProfileSectionsTest, ChineseDiffersFromEnglish) {
  const json summary = golden_summary();
  const json en = build_report_model(summary, Lang::kEn);
  const json zh = build_report_model(summary, Lang::kZh);
  EXPECT_EQ(zh.at("title"), "客户画像分析报告");
  ASSERT_EQ(section_ids(en), section_ids(zh));
  for (std::size_t s = 0; s < en.at("sections").size(); ++s) {
    const json& a = en.at("sections")[s];
    const json& b = zh.at("sections")[s];
    EXPECT_NE(a.at("title"), b.at("title")) << a.at("id");
    ASSERT_EQ(a.at("findings").size(), b.at("findings").size()) << a.at("id");
    for (std::size_t f = 0; f < a.at("findings").size(); ++f) {
      EXPECT_NE(a.at("findings")[f], b.at("findings")[f]) << a.at("id");
    }
  }
  EXPECT_EQ(section_by_id(zh, "profile_tiers").at("table").at("rows")[0][0], "重要客户");
}

TEST(ProfileSectionsTest, PlaybookIsOneCardPerTierAndRegion) {
  json summary = golden_summary();
  const json plain = build_report_model(summary, Lang::kEn);
  const std::string tier_id = summary.at("profile").at("tiers").at("counts")[0].at("id");
  const auto play = [](const std::string& text) {
    return json{{"en", text + " en"}, {"zh", text + " 中"}};
  };
  summary["profile"]["playbook"] = {
      {"tiers", json::array({{{"id", tier_id},
                              {"product", play("tier product")},
                              {"channel", play("tier channel")}}})},
      {"regions", json::array({{{"region", "Suburban"},
                                {"from", "default"},
                                {"content", play("region content")},
                                {"promotion", play("region promotion")}}})}};
  for (Lang lang : {Lang::kEn, Lang::kZh}) {
    const bool zh = lang == Lang::kZh;
    const json model = build_report_model(summary, lang);
    const json tiers = section_by_id(model, "profile_tiers");
    // The tables keep their numbers; the prose goes into cards.
    EXPECT_EQ(tiers.at("table").at("columns").size(),
              section_by_id(plain, "profile_tiers").at("table").at("columns").size());
    ASSERT_EQ(tiers.at("cards").size(), 1u);
    EXPECT_EQ(tiers.at("cards")[0].at("title"), tiers.at("table").at("rows")[0][0]);
    EXPECT_EQ(tiers.at("cards")[0].at("fields"),
              json::array({{{"label", zh ? "产品策略" : "Product"},
                            {"items", {zh ? "tier product 中" : "tier product en"}}},
                           {{"label", zh ? "渠道策略" : "Channel"},
                            {"items", {zh ? "tier channel 中" : "tier channel en"}}}}));
    const json regions = section_by_id(model, "profile_regions");
    EXPECT_EQ(regions.at("table").at("columns").size(),
              section_by_id(plain, "profile_regions").at("table").at("columns").size());
    ASSERT_EQ(regions.at("cards").size(), 1u);
    EXPECT_EQ(regions.at("cards")[0].at("title"), "Suburban");
    EXPECT_EQ(regions.at("cards")[0].at("fields").size(), 2u);
    EXPECT_EQ(regions.at("cards")[0].at("fields")[1].at("label"), zh ? "促销策略" : "Promotion");
  }
}

TEST(ProfileSectionsTest, SkipsWhatTheSummaryLacks) {
  json summary = golden_summary();
  summary["profile"].erase("clusters");
  summary["profile"].erase("chi_square");
  summary["profile"]["tier_category"]["cross"] = json::array();
  EXPECT_EQ(
      section_ids(build_report_model(summary, Lang::kEn)),
      (std::vector<std::string>{"outliers", "profile_tiers", "profile_tier_category",
                                "profile_quadrant", "profile_regions", "profile_tier_region"}));
  summary["profile"].erase("regions");
  summary["profile"].erase("tier_region");
  EXPECT_EQ(section_ids(build_report_model(summary, Lang::kEn)),
            (std::vector<std::string>{"outliers", "profile_tiers", "profile_tier_category",
                                      "profile_quadrant"}));
}

}  // namespace
}  // namespace custlens::report
