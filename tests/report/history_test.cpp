#include "report/history.h"

#include <gtest/gtest.h>

namespace custlens::report {
namespace {

io::StoredRun history_run(const std::string& id, const std::string& command,
                          const std::string& source, double revenue) {
  io::StoredRun run;
  run.run_id = id;
  run.started_at = "2026-12-0" + id + "T10:00:00Z";
  run.command = command;
  run.source_name = source;
  run.scheme = "five";
  run.parameters = "{}";
  run.kpis = {{"revenue", revenue}, {"repurchase_rate", 0.25 + revenue / 1000}};
  return run;
}

TEST(HistoryTest, ComparesWithThePreviousRunOfTheSameKind) {
  const History h = build_history(
      "s.db",
      {history_run("1", "analyze", "a.csv", 100), history_run("2", "predict", "a.csv", 1),
       history_run("3", "analyze", "b.csv", 200), history_run("4", "analyze", "a.csv", 150)},
      {});
  EXPECT_FALSE(h.runs[0].previous);
  EXPECT_FALSE(h.runs[1].previous);
  EXPECT_FALSE(h.runs[2].previous);
  ASSERT_TRUE(h.runs[3].previous);
  EXPECT_EQ(*h.runs[3].previous, 0u);
  const nlohmann::json json = history_to_json(h);
  EXPECT_EQ(json["runs"][3]["previous_run_id"], "1");
  EXPECT_DOUBLE_EQ(json["runs"][3]["changes"]["revenue"]["change"].get<double>(), 50);
  EXPECT_DOUBLE_EQ(json["runs"][3]["changes"]["revenue"]["relative_change"].get<double>(), 0.5);
  const std::string text = history_text(h, Lang::kEn);
  EXPECT_NE(text.find("4 runs"), std::string::npos) << text;
  // A share changes in percentage points.
  EXPECT_NE(text.find("+5.0 pp"), std::string::npos) << text;
  EXPECT_NE(text.find("+50, +50.0%"), std::string::npos) << text;
}

TEST(HistoryTest, KpiValueAndShares) {
  io::StoredRun run = history_run("1", "analyze", "a", 10);
  std::sort(run.kpis.begin(), run.kpis.end(),
            [](const io::StoredKpi& a, const io::StoredKpi& b) { return a.name < b.name; });
  EXPECT_EQ(kpi_value(run, "revenue"), 10);
  EXPECT_FALSE(kpi_value(run, "auc"));
  EXPECT_TRUE(is_share_kpi("churn_share"));
  EXPECT_TRUE(is_share_kpi("tier.Lost.revenue_share"));
  EXPECT_FALSE(is_share_kpi("aov"));
}

}  // namespace
}  // namespace custlens::report
