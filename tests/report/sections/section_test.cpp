#include "report/sections/section.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace custlens::report {
namespace {

TEST(ReportSectionTest, RegistryListsEverySectionInReportOrder) {
  std::vector<std::string> ids;
  for (const SectionSpec& spec : registered_sections()) {
    ids.push_back(spec.id);
    EXPECT_NE(spec.build, nullptr) << spec.id;
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"audit",
                                           "outliers",
                                           "tiers",
                                           "pareto",
                                           "rf_grid",
                                           "months",
                                           "weekdays",
                                           "hours",
                                           "countries",
                                           "categories",
                                           "regression",
                                           "regression_residuals",
                                           "regression_qq",
                                           "profile_tiers",
                                           "profile_clusters",
                                           "profile_cluster_map",
                                           "profile_tier_category",
                                           "profile_quadrant",
                                           "profile_cross",
                                           "profile_regions",
                                           "profile_tier_region",
                                           "profile_chi_square",
                                           "predict_overview",
                                           "predict_roc",
                                           "predict_gains",
                                           "predict_calibration",
                                           "predict_importance",
                                           "predict_profit",
                                           "predict_targets",
                                           "forecast_chart",
                                           "forecast_models",
                                           "forecast_gaps",
                                           "clv_models",
                                           "clv_grid",
                                           "clv_holdout",
                                           "clv_tracking",
                                           "clv_value",
                                           "clv_tiers",
                                           "clv_top_customers",
                                           "events_kpis",
                                           "events_funnel",
                                           "events_funnel_breakdown",
                                           "events_daily",
                                           "events_hours",
                                           "events_retention",
                                           "events_categories",
                                           "events_items",
                                           "events_lifecycle",
                                           "events_joined_rfm",
                                           "events_joined_profile",
                                           "campaign_readout",
                                           "campaign_breakdown",
                                           "history_runs",
                                           "history_tiers",
                                           "history_campaigns",
                                           "migration_matrix"}));
}

TEST(ReportSectionTest, RegisteringAnIdTwiceThrows) {
  EXPECT_THROW(SectionRegistrar({"audit", 1, nullptr}), std::logic_error);
}

TEST(ReportSectionTest, NumberFormats) {
  EXPECT_EQ(format_count(0), "0");
  EXPECT_EQ(format_count(999), "999");
  EXPECT_EQ(format_count(1000), "1,000");
  EXPECT_EQ(format_count(541909), "541,909");
  EXPECT_EQ(format_count(-1234567), "-1,234,567");
  EXPECT_EQ(format_money(1161817.376), "1,161,817.38");
  EXPECT_EQ(format_money(0.004), "0.00");
  EXPECT_EQ(format_money(-0.001), "0.00");
  EXPECT_EQ(format_money(-11062.06), "-11,062.06");
  EXPECT_EQ(format_money(123.5), "123.50");
  EXPECT_EQ(format_share(0.2974), "29.7%");
  EXPECT_EQ(format_share(1.0), "100.0%");
  EXPECT_EQ(format_share(0.0), "0.0%");
  EXPECT_DOUBLE_EQ(chart_percent(0.297412), 29.74);
  EXPECT_DOUBLE_EQ(chart_money(12.345678), 12.35);
}

TEST(ReportSectionTest, FindReturnsNullForMissingParts) {
  const nlohmann::json summary = {{"rfm", {{"pareto", {{"top20pct_revenue_share", 0.5}}}}}};
  const SectionContext context{summary, Lang::kEn};
  ASSERT_NE(context.find("/rfm/pareto"), nullptr);
  EXPECT_EQ(*context.find("/rfm/pareto/top20pct_revenue_share"), 0.5);
  EXPECT_EQ(context.find("/rfm/segments"), nullptr);
  EXPECT_EQ(context.find("/patterns/months"), nullptr);
  EXPECT_EQ(context.text("en", "zh"), "en");
  EXPECT_EQ((SectionContext{summary, Lang::kZh}.text("en", "zh")), "zh");
}

TEST(ReportSectionTest, FormatsAsModelStrings) {
  EXPECT_EQ(formats_to_json({CellFormat::kText, CellFormat::kInteger, CellFormat::kMoney,
                             CellFormat::kNumber, CellFormat::kPercent, CellFormat::kList}),
            nlohmann::json({"text", "integer", "money", "number", "percent", "list"}));
}

}  // namespace
}  // namespace custlens::report
