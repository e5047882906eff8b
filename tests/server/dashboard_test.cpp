// Dashboard without HTTP: filter choices, query validation and normalisation, the as-of rule,
// and a summary without its lines (filters answer 409).
#include "server/dashboard.h"

#include <gtest/gtest.h>

#include "analysis/order_lines_builder.h"

namespace custlens::server {
namespace {

// Two customers in France, one in Spain, over January 2011.
DashboardData sample_data() {
  testing::LinesBuilder builder;
  builder.add("a", "1", "2011-01-03 10:00:00", 100)
      .add("b", "2", "2011-01-10 11:00:00", 20)
      .add("a", "3", "2011-01-20 12:00:00", 50)
      .add("c", "4", "2011-01-25 09:00:00", 5)
      .add("b", "5", "2011-01-28 15:00:00", 10);
  OrderLines lines = builder.lines();
  lines.country_names = {"France", "Spain"};
  lines.country = {0, 0, 0, 1, 0};
  CleaningAudit audit;
  audit.rows_read = audit.rows_kept = 5;
  audit.customers_kept = 3;
  FullData full;
  full.input.files = {"orders.csv"};
  full.audit = audit;
  report::Summary summary =
      report::build_summary(lines, audit, full.input, full.rfm_options, full.pattern_options);
  DashboardData data;
  data.summary = report::summary_to_json(summary);
  full.audit = summary.audit;
  full.lines = std::move(lines);
  full.rfm = std::move(summary.rfm);
  data.full = std::move(full);
  return data;
}

nlohmann::json body(const Reply& reply) { return nlohmann::json::parse(reply.body); }

TEST(DashboardTest, FilterChoicesComeFromTheFullData) {
  const Dashboard dashboard(sample_data(), Lang::kEn);
  const nlohmann::json& choices = dashboard.filter_choices();
  EXPECT_EQ(choices["countries"], (nlohmann::json{"France", "Spain"}));
  EXPECT_EQ(choices["from"], "2011-01-03");
  EXPECT_EQ(choices["to"], "2011-01-28");
  EXPECT_EQ(choices["filters"], true);
  EXPECT_FALSE(choices["tiers"].empty());
  for (const auto& tier : choices["tiers"]) EXPECT_TRUE(tier.is_string());
  const Dashboard chinese(sample_data(), Lang::kZh);
  EXPECT_NE(chinese.filter_choices()["tiers"], choices["tiers"]);
}

TEST(DashboardTest, EmptyParametersMeanNoFilter) {
  const DashboardData data = sample_data();
  const Dashboard dashboard(data, Lang::kEn);
  const Reply reply = dashboard.summary({{"from", ""}, {"country", ""}, {"tier", ""}});
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(body(reply), data.summary);
}

TEST(DashboardTest, AsOfStaysUnlessTheViewEndsEarlier) {
  const Dashboard dashboard(sample_data(), Lang::kEn);
  EXPECT_EQ(body(dashboard.summary({{"country", "Spain"}}))["rfm"]["as_of"], "2011-01-29");
  EXPECT_EQ(body(dashboard.summary({{"from", "2011-01-15"}}))["rfm"]["as_of"], "2011-01-29");
  const nlohmann::json early = body(dashboard.summary({{"to", "2011-01-12"}}));
  EXPECT_EQ(early["rfm"]["as_of"], "2011-01-13");
  EXPECT_EQ(early["rfm"]["customers"], 2);
  EXPECT_EQ(early["filter"], (nlohmann::json{{"to", "2011-01-12"}}));
}

TEST(DashboardTest, TiersAreNamedInEitherLanguageAndShareTheCache) {
  const DashboardData data = sample_data();
  const Dashboard dashboard(data, Lang::kEn);
  std::string english, chinese;
  for (const auto& segment : data.summary["rfm"]["segments"]) {
    if (segment["customers"].get<int>() > 0) {
      english = segment["name"];
      chinese = segment["name_zh"];
      break;
    }
  }
  const Reply by_english = dashboard.summary({{"tier", english}});
  const Reply by_chinese = dashboard.summary({{"tier", chinese}});
  EXPECT_EQ(by_english.status, 200);
  EXPECT_EQ(by_english.body, by_chinese.body);
  EXPECT_EQ(body(by_chinese)["filter"]["tier"], english);
  const nlohmann::json health = body(dashboard.health());
  EXPECT_EQ(health["cache"]["misses"], 1);
  EXPECT_EQ(health["cache"]["hits"], 1);
}

TEST(DashboardTest, WithoutLinesFiltersAre409AndTheStoredSummaryIsServed) {
  DashboardData data = sample_data();
  data.full.reset();
  data.why_no_filters = "the input files are gone";
  const Dashboard dashboard(data, Lang::kEn);
  EXPECT_EQ(body(dashboard.summary({})), data.summary);
  const Reply filtered = dashboard.summary({{"country", "Spain"}});
  EXPECT_EQ(filtered.status, 409);
  EXPECT_EQ(body(filtered)["error"], "the input files are gone");
  EXPECT_EQ(dashboard.report({{"country", "Spain"}}).status, 409);
  // Validation still comes first.
  EXPECT_EQ(dashboard.summary({{"country", "Atlantis"}}).status, 400);
  const nlohmann::json& choices = dashboard.filter_choices();
  EXPECT_EQ(choices["filters"], false);
  EXPECT_EQ(choices["why_no_filters"], "the input files are gone");
  EXPECT_EQ(choices["from"], "2011-01-01");
  EXPECT_EQ(choices["to"], "2011-01-28");
  EXPECT_EQ(body(dashboard.health())["filters"], false);
}

TEST(DashboardTest, PageIsBuiltOnce) {
  const Dashboard dashboard(sample_data(), Lang::kEn);
  const Reply page = dashboard.page();
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(page.body, dashboard.page().body);
}

}  // namespace
}  // namespace custlens::server
