#include "analysis/events/kpi_accumulator.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "analysis/events/event_builder.h"

namespace custlens::analysis::events {
namespace {

using namespace testing;  // NOLINT: the builders of event_builder.h

std::vector<std::vector<Event>> kpi_hand_users() {
  return {
      // two buys on one day: not a repurchase
      {on_day(2017, 11, 25, 10, kPv, 0, 0, 0), on_day(2017, 11, 25, 11, kBuy, 0, 0, 0),
       on_day(2017, 11, 25, 12, kBuy, 0, 0, 1)},
      // buys on two UTC days (one day in Shanghai)
      {on_day(2017, 11, 25, 10, kPv, 1, 1, 1), on_day(2017, 11, 25, 20, kBuy, 1, 1, 1),
       on_day(2017, 11, 26, 9, kBuy, 1, 1, 1)},
      {on_day(2017, 11, 26, 10, kPv, 2, 0, 2)},  // a bounce
      {on_day(2017, 11, 26, 23, kFav, 3, 2)},    // one event, not a pv: no bounce
      {on_day(2017, 11, 25, 3, kPv, 4, 0), on_day(2017, 11, 25, 4, kPv, 4, 0)},
  };
}

BehaviorKpis kpi_run(const std::string& zone, bool split = false) {
  const EventNames n = names();
  const LocalClock clock(zone);
  KpiAccumulator a(n, clock), b(n, clock);
  const auto users = kpi_hand_users();
  for (std::size_t u = 0; u < users.size(); ++u) (split && u % 2 ? b : a).add_user(u, users[u]);
  b.merge(a);
  return b.finish();
}

TEST(KpiAccumulator, TotalsBounceAndRepurchaseOnDistinctLocalDays) {
  const BehaviorKpis k = kpi_run("UTC");
  EXPECT_EQ(k.pv, 5);
  EXPECT_EQ(k.uv, 5);
  EXPECT_EQ(k.buys, 4);
  EXPECT_EQ(k.buy_users, 2);
  EXPECT_DOUBLE_EQ(*k.pv_per_uv, 1.0);
  EXPECT_DOUBLE_EQ(*k.conversion_rate, 0.4);
  EXPECT_DOUBLE_EQ(*k.repurchase_rate, 0.5);  // user 1 only
  EXPECT_DOUBLE_EQ(*k.bounce_rate, 0.2);      // user 2 only
  // In Shanghai user 1's buys (04:00 and 17:00 on 11-26) fall on one local day.
  EXPECT_DOUBLE_EQ(*kpi_run("Asia/Shanghai").repurchase_rate, 0.0);
}

TEST(KpiAccumulator, DaysAndHours) {
  const BehaviorKpis k = kpi_run("UTC");
  ASSERT_EQ(k.days.size(), 2u);
  EXPECT_EQ(k.days[0].day, common::days_from_civil(2017, 11, 25));
  EXPECT_EQ(k.days[0].pv, 4);
  EXPECT_EQ(k.days[0].uv, 3);
  EXPECT_EQ(k.days[0].buys, 3);
  EXPECT_EQ(k.days[0].buy_users, 2);
  EXPECT_EQ(k.days[1].pv, 1);
  EXPECT_EQ(k.days[1].uv, 3);
  EXPECT_EQ(k.days[1].buys, 1);
  EXPECT_EQ(k.days[1].buy_users, 1);
  ASSERT_EQ(k.hours.size(), 24u);
  EXPECT_EQ(k.hours[10].pv, 3);
  EXPECT_EQ(k.hours[10].uv, 3);
  EXPECT_EQ(k.hours[11].buys, 1);
  EXPECT_EQ(k.hours[23].uv, 1);
  EXPECT_EQ(k.hours[0].uv, 0);
  EXPECT_EQ(k.hours[7].hour, 7);
}

TEST(KpiAccumulator, TopCategoriesAndItems) {
  const BehaviorKpis k = kpi_run("UTC");
  ASSERT_EQ(k.categories.size(), 3u);
  EXPECT_EQ(k.categories[0].key, "c0");
  EXPECT_EQ(k.categories[0].pv, 4);
  EXPECT_EQ(k.categories[0].users, 3);
  EXPECT_EQ(k.categories[0].buys, 2);
  EXPECT_EQ(k.categories[0].buy_users, 1);
  EXPECT_DOUBLE_EQ(*k.categories[0].conversion, 0.5);
  EXPECT_EQ(k.categories[1].key, "c1");
  EXPECT_DOUBLE_EQ(*k.categories[1].conversion, 2.0);
  EXPECT_EQ(k.categories[2].key, "c2");
  EXPECT_FALSE(k.categories[2].conversion);  // no pv
  // Items tie at one pv each: by key. Events without an item are not counted.
  ASSERT_EQ(k.items.size(), 3u);
  EXPECT_EQ(k.items[0].key, "i0");
  EXPECT_EQ(k.items[1].key, "i1");
  EXPECT_EQ(k.items[1].users, 2);
  EXPECT_EQ(k.items[1].buys, 3);
  EXPECT_EQ(k.items[1].buy_users, 2);
  EXPECT_EQ(k.items[2].key, "i2");
}

TEST(KpiAccumulator, MergingSplitUsersEqualsOneAccumulator) {
  const BehaviorKpis one = kpi_run("Asia/Shanghai"), two = kpi_run("Asia/Shanghai", true);
  EXPECT_EQ(one.pv, two.pv);
  EXPECT_EQ(one.repurchase_rate, two.repurchase_rate);
  EXPECT_EQ(one.bounce_rate, two.bounce_rate);
  ASSERT_EQ(one.days.size(), two.days.size());
  for (std::size_t d = 0; d < one.days.size(); ++d) {
    EXPECT_EQ(one.days[d].uv, two.days[d].uv);
    EXPECT_EQ(one.days[d].buy_users, two.days[d].buy_users);
  }
  for (int h = 0; h < 24; ++h) EXPECT_EQ(one.hours[h].uv, two.hours[h].uv);
  for (std::size_t c = 0; c < one.categories.size(); ++c) {
    EXPECT_EQ(one.categories[c].key, two.categories[c].key);
    EXPECT_EQ(one.categories[c].users, two.categories[c].users);
  }
}

TEST(KpiAccumulator, TopTwentyByPvThenKey) {
  EventNames n = names();
  n.categories.clear();
  for (int c = 0; c < 25; ++c) n.categories.push_back(fmt::format("k{:02}", c));
  const LocalClock clock("UTC");
  KpiAccumulator acc(n, clock);
  for (std::uint32_t c = 0; c < 25; ++c) {
    std::vector<Event> events;
    for (std::uint32_t i = 0; i <= c / 2; ++i) events.push_back(at_hour(i, kPv, c, c));
    acc.add_user(c, events);
  }
  const BehaviorKpis k = acc.finish();
  ASSERT_EQ(k.categories.size(), 20u);
  EXPECT_EQ(k.categories[0].key, "k24");  // 13 pv
  EXPECT_EQ(k.categories[1].key, "k22");  // 12 pv, tied with k23: by key
  EXPECT_EQ(k.categories[2].key, "k23");
  EXPECT_EQ(k.categories[19].key, "k04");
}

TEST(KpiAccumulator, EmptyLogAndNoBuyGiveNulls) {
  const EventNames n = names();
  const LocalClock clock("UTC");
  const BehaviorKpis empty = KpiAccumulator(n, clock).finish();
  EXPECT_FALSE(empty.pv_per_uv);
  EXPECT_FALSE(empty.repurchase_rate);
  EXPECT_EQ(empty.hours.size(), 24u);
  EventNames no_buy;
  no_buy.behaviors = {"view"};
  KpiAccumulator acc(no_buy, clock);
  acc.add_user(0, std::vector<Event>{at_hour(0, 0)});
  const BehaviorKpis k = acc.finish();
  EXPECT_EQ(k.pv, 0);  // no behaviour is named pv
  EXPECT_FALSE(k.repurchase_rate);
  EXPECT_DOUBLE_EQ(*k.conversion_rate, 0.0);
}

}  // namespace
}  // namespace custlens::analysis::events
