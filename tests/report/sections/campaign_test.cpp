// The campaign sections from a summary they did not compute: the reference's golden readout of
// three campaigns (tests/reference/golden/campaign/), and a hand-made mismatch flag.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "report/html_report.h"
#include "report/sections/section.h"
#include "support/report_model.h"

namespace custlens::report {
namespace {

using nlohmann::json;
using testing::section_by_id;
using testing::section_ids;

json campaign_section_summary(const char* name) {
  std::ifstream in(std::filesystem::path(CUSTLENS_REFERENCE_DIR) / "golden" / "campaign" / name);
  json campaign = json::parse(in);
  campaign.erase("case");
  return {{"campaign", campaign}};
}

bool campaign_finding_contains(const json& section, const std::string& text) {
  for (const json& finding : section.at("findings")) {
    if (finding.get<std::string>().find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(CampaignSections, ReadoutAndBreakdownFromTheSummary) {
  json summary = campaign_section_summary("three_campaigns.json");
  summary["campaign"]["campaigns"][0]["srm"] = {{"planned_treatment_share", 0.5},
                                                {"observed_treatment_share", 0.6},
                                                {"chi_square", 20.0},
                                                {"p_value", 1e-5},
                                                {"mismatch", true}};
  const json model = build_report_model(summary, Lang::kEn);
  EXPECT_EQ(section_ids(model),
            (std::vector<std::string>{"campaign_readout", "campaign_breakdown"}));
  const json& readout = section_by_id(model, "campaign_readout");
  EXPECT_EQ(readout.at("table").at("rows").size(), 3u);
  EXPECT_TRUE(campaign_finding_contains(readout, "distinguishable from chance at the 5 % level"));
  EXPECT_TRUE(campaign_finding_contains(readout, "do not match the planned split (p < 0.001)"));
  const json& breakdown = section_by_id(model, "campaign_breakdown");
  EXPECT_GE(breakdown.at("table").at("rows").size(), 6u);
  EXPECT_TRUE(breakdown.at("chart").is_null());  // no score or decile: no Qini curve

  const json zh = build_report_model(campaign_section_summary("deciles_zh.json"), Lang::kZh);
  EXPECT_EQ(section_by_id(zh, "campaign_readout").at("title"), "活动效果：实验组对比对照组");
  const json& qini = section_by_id(zh, "campaign_breakdown");
  EXPECT_FALSE(qini.at("chart").is_null());
  EXPECT_TRUE(campaign_finding_contains(qini, "Qini 系数"));
}

TEST(CampaignSections, AbsentWithoutACampaign) {
  const json model = build_report_model(json{{"regression", json::object()}}, Lang::kEn);
  for (const std::string& id : section_ids(model))
    EXPECT_EQ(id.rfind("campaign", 0), std::string::npos);
}

}  // namespace
}  // namespace custlens::report
