// Tests of src/report/summary.cpp: segment_to_json, the one serialiser of a tier's summary, and
// summary_to_json, the one writer of summary.json from the typed results.
#include "report/summary.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "analysis/order_lines_builder.h"

namespace custlens::report {
namespace {

std::set<std::string> keys_of(const nlohmann::json& object) {
  std::set<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.insert(key);
  return keys;
}

const SegmentSummary kChampions{.name = "Champions",
                                .name_zh = "冠军客户",
                                .customers = 3,
                                .customer_share = 0.25,
                                .revenue = 1200.5,
                                .revenue_share = 0.6,
                                .mean_recency = 4.5,
                                .mean_frequency = 7,
                                .mean_monetary = 400.25};

TEST(SegmentToJsonTest, EveryFieldUnderItsKey) {
  const nlohmann::json out = segment_to_json(kChampions, kOrderLineShareKey);
  EXPECT_EQ(out, nlohmann::json({{"name", "Champions"},
                                 {"name_zh", "冠军客户"},
                                 {"customers", 3},
                                 {"customer_share", 0.25},
                                 {"revenue", 1200.5},
                                 {"revenue_share", 0.6},
                                 {"mean_recency", 4.5},
                                 {"mean_frequency", 7.0},
                                 {"mean_monetary", 400.25}}));
}

TEST(SegmentToJsonTest, ProfileTablesDifferOnlyInTheShareKey) {
  std::set<std::string> order_lines = keys_of(segment_to_json(kChampions, kOrderLineShareKey));
  std::set<std::string> profiles = keys_of(segment_to_json(kChampions, kProfileShareKey));
  EXPECT_EQ(segment_to_json(kChampions, kProfileShareKey).at("share"), 0.25);
  order_lines.erase("customer_share");
  profiles.erase("share");
  EXPECT_EQ(order_lines, profiles);
  EXPECT_EQ(order_lines.size(), 8u);
}

Summary two_customers() {
  testing::LinesBuilder builder;
  builder.add("a", "1", "2011-01-03 10:00:00", 100).add("b", "2", "2011-01-10 11:00:00", 20);
  CleaningAudit audit;
  audit.rows_read = audit.rows_kept = 2;
  audit.customers_kept = 2;
  InputInfo input;
  input.files = {"orders.csv"};
  return build_summary(builder.lines(), audit, input, {}, {});
}

TEST(SummaryToJsonTest, EveryPartFromItsOneSerialiser) {
  Summary summary = two_customers();
  summary.playbook = {{"Champions", {"Best", "最好"}, {{"Call", "致电"}, {"Thank", "致谢"}}, {}}};
  const nlohmann::json out = summary_to_json(summary);
  EXPECT_EQ(keys_of(out), (std::set<std::string>{"custlens_version", "input", "audit", "rfm",
                                                 "patterns", "playbook"}));
  EXPECT_EQ(out["input"], input_to_json(summary.input));
  EXPECT_EQ(out["audit"], audit_to_json(summary.audit));
  EXPECT_EQ(out["rfm"], rfm_to_json(summary.rfm));
  EXPECT_EQ(out["patterns"], patterns_to_json(summary.patterns));
  EXPECT_EQ(out["playbook"], playbook_to_json(summary.playbook));
  EXPECT_EQ(out["rfm"]["customers"], 2);
}

TEST(SummaryToJsonTest, FilterOnlyForAViewAndOnlyItsParts) {
  Summary summary = two_customers();
  EXPECT_FALSE(summary_to_json(summary).contains("filter"));
  summary.filter = SummaryFilter{};
  summary.filter->to = "2011-01-12";
  summary.filter->tier = "Champions";
  EXPECT_EQ(summary_to_json(summary)["filter"],
            (nlohmann::json{{"to", "2011-01-12"}, {"tier", "Champions"}}));
  summary.filter = SummaryFilter{"2011-01-01", "2011-01-31", "France", "Lost"};
  EXPECT_EQ(
      summary_to_json(summary)["filter"],
      (nlohmann::json{
          {"from", "2011-01-01"}, {"to", "2011-01-31"}, {"country", "France"}, {"tier", "Lost"}}));
}

TEST(SummaryToJsonTest, CommandOutputsAreTheirPiecesAndTheAudit) {
  const Summary summary = two_customers();
  nlohmann::json rfm = rfm_output_to_json(summary.rfm, summary.audit);
  EXPECT_EQ(rfm["audit"], audit_to_json(summary.audit));
  rfm.erase("audit");
  EXPECT_EQ(rfm, rfm_to_json(summary.rfm));
  nlohmann::json patterns = patterns_output_to_json(summary.patterns, summary.audit);
  EXPECT_EQ(patterns["audit"], audit_to_json(summary.audit));
  patterns.erase("audit");
  EXPECT_EQ(patterns, patterns_to_json(summary.patterns));
}

}  // namespace
}  // namespace custlens::report
