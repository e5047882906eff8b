#include "report/events_summary.h"

#include <gtest/gtest.h>

#include "analysis/events/event_builder.h"

namespace custlens::report {
namespace {

namespace ev = analysis::events;
using namespace ev::testing;  // NOLINT: the builders of event_builder.h

EventsReport hand_report(ev::FunnelBy by) {
  const ev::EventNames n = names();
  const ev::LocalClock clock("Asia/Shanghai");
  ev::FunnelOptions funnel;
  funnel.steps = {"pv", "cart", "buy"};
  funnel.by = by;
  ev::KpiAccumulator kpis(n, clock);
  ev::FunnelAccumulator funnels(funnel, n, clock);
  ev::RetentionAccumulator retention({}, n, clock);
  ev::LifecycleAccumulator lifecycle({}, n, clock);
  const std::vector<std::vector<ev::Event>> users = {
      {on_day(2017, 11, 25, 1, kPv, 0, 0, 0), on_day(2017, 11, 25, 2, kCart, 0, 0, 0),
       on_day(2017, 11, 26, 3, kBuy, 0, 0, 0)},
      {on_day(2017, 11, 26, 5, kPv, 1, 1, 1)},
  };
  for (std::size_t u = 0; u < users.size(); ++u) {
    kpis.add_user(u, users[u]);
    funnels.add_user(u, users[u]);
    retention.add_user(u, users[u]);
    lifecycle.add_user(u, users[u]);
  }
  const std::int64_t first = clock.day(users[0][0].ts), last = clock.day(users[1][0].ts);
  EventsReport report;
  report.rows_read = 7;
  report.malformed = 1;
  report.missing_customer = 1;
  report.rows_kept = 5;
  report.tz = clock.zone();
  report.kpis = kpis.finish();
  report.funnel = funnels.finish();
  report.retention = retention.finish(last);
  report.lifecycle = lifecycle.finish(first, last);
  return report;
}

TEST(EventsSummary, JsonHasTheKeysOfTheContract) {
  const nlohmann::json j = events_to_json(hand_report(ev::FunnelBy::kNone));
  for (const char* key : {"audit", "kpis", "funnel", "retention", "hours", "days", "lifecycle",
                          "categories", "items", "tz"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["audit"]["rows_kept"], 5);
  EXPECT_EQ(j["tz"], "Asia/Shanghai");
  EXPECT_EQ(j["kpis"]["uv"], 2);
  EXPECT_DOUBLE_EQ(j["kpis"]["bounce_rate"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(j["kpis"]["repurchase_rate"].get<double>(), 0.0);
  EXPECT_EQ(j["funnel"]["mode"], "ordered");
  EXPECT_EQ(j["funnel"]["window_seconds"], 86400);
  EXPECT_FALSE(j["funnel"].contains("breakdown"));
  const nlohmann::json& cart = j["funnel"]["steps"][1];
  EXPECT_EQ(cart["step"], "cart");
  EXPECT_EQ(cart["users"], 1);
  EXPECT_EQ(cart["median_seconds_from_previous"], 3600.0);
  EXPECT_TRUE(j["funnel"]["steps"][0]["median_seconds_from_previous"].is_null());
  // Local days in Shanghai: 11-25 09:00 .. 11-26 13:00.
  ASSERT_EQ(j["days"].size(), 2u);
  EXPECT_EQ(j["days"][0]["day"], "2017-11-25");
  EXPECT_EQ(j["hours"].size(), 24u);
  EXPECT_EQ(j["hours"][9]["pv"], 1);
  EXPECT_EQ(j["retention"]["period"], "day");
  EXPECT_EQ(j["retention"]["event"], "any");
  EXPECT_EQ(j["retention"]["cohorts"][0]["cohort"], "2017-11-25");
  EXPECT_EQ(j["retention"]["cohorts"][0]["active"], nlohmann::json::array({1, 1}));
  EXPECT_EQ(j["lifecycle"]["periods"][1]["period"], "2017-11-26");
  EXPECT_EQ(j["lifecycle"]["periods"][1]["new"], 1);
  EXPECT_EQ(j["lifecycle"]["periods"][1]["active"], 1);
  EXPECT_EQ(j["lifecycle"]["transitions"][0]["from"], "new");
  EXPECT_EQ(j["categories"][0]["key"], "c0");
  EXPECT_TRUE(j["categories"][0]["conversion"].is_number());
  EXPECT_EQ(j["items"].size(), 2u);
}

TEST(EventsSummary, BreakdownOnlyWithBy) {
  const nlohmann::json j = events_to_json(hand_report(ev::FunnelBy::kDay));
  ASSERT_TRUE(j["funnel"].contains("breakdown"));
  EXPECT_EQ(j["funnel"]["breakdown"][0]["key"], "2017-11-25");
  EXPECT_EQ(j["funnel"]["breakdown"][0]["steps"].size(), 3u);
}

TEST(EventsSummary, NullsForAnEmptyLog) {
  EventsReport empty;
  empty.tz = "UTC";
  const nlohmann::json j = events_to_json(empty);
  EXPECT_TRUE(j["kpis"]["pv_per_uv"].is_null());
  EXPECT_TRUE(j["kpis"]["repurchase_rate"].is_null());
  EXPECT_TRUE(j["funnel"].is_null());
  EXPECT_FALSE(events_text(empty, Lang::kEn).empty());
}

TEST(EventsSummary, TextInEnglishAndChinese) {
  const EventsReport report = hand_report(ev::FunnelBy::kNewReturning);
  const std::string en = events_text(report, Lang::kEn);
  EXPECT_NE(en.find("7 rows read, 5 kept"), std::string::npos) << en;
  EXPECT_NE(en.find("Funnel (ordered"), std::string::npos);
  EXPECT_NE(en.find("bounce rate 50.0%"), std::string::npos);
  EXPECT_NE(en.find("Retention"), std::string::npos);
  EXPECT_NE(en.find("Lifecycle (2017-11-26)"), std::string::npos);
  const std::string zh = events_text(report, Lang::kZh);
  EXPECT_NE(zh.find("跳失率 50.0%"), std::string::npos) << zh;
  EXPECT_NE(zh.find("漏斗"), std::string::npos);
  EXPECT_NE(zh.find("留存"), std::string::npos);
}

}  // namespace
}  // namespace custlens::report
