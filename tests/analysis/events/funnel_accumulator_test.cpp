#include "analysis/events/funnel_accumulator.h"

#include <gtest/gtest.h>

#include <map>

#include "analysis/events/event_builder.h"
#include "custlens/error.h"

namespace custlens::analysis::events {
namespace {

using namespace testing;  // NOLINT: the builders of event_builder.h

const std::vector<std::uint16_t> kPvCartBuy = {kPv, kCart, kBuy};
constexpr std::int64_t kFunnelDay = 86400;

int level(const std::vector<Event>& events, FunnelMode mode,
          const std::vector<std::uint16_t>& steps = kPvCartBuy, std::int64_t window = kFunnelDay) {
  return funnel_level(events, steps, window, mode, nullptr);
}

struct ExampleRow {
  const char* name;
  std::vector<Event> events;
  int ordered, strict, strict_once;
};

// Every row of the examples table of docs/events.md "Funnel".
TEST(FunnelLevel, ExamplesTableOfTheContract) {
  const std::vector<ExampleRow> rows = {
      {"pv 0, cart 1, buy 2", {at_hour(0, kPv), at_hour(1, kCart), at_hour(2, kBuy)}, 3, 3, 3},
      {"pv 0, fav 1, cart 2, buy 3",
       {at_hour(0, kPv), at_hour(1, kFav), at_hour(2, kCart), at_hour(3, kBuy)},
       3,
       3,
       3},
      {"pv 0, pv 1, cart 2", {at_hour(0, kPv), at_hour(1, kPv), at_hour(2, kCart)}, 2, 2, 2},
      {"pv 0, cart 1, cart 2, buy 3",
       {at_hour(0, kPv), at_hour(1, kCart), at_hour(2, kCart), at_hour(3, kBuy)},
       3,
       2,
       3},
      {"pv 0, cart 30, buy 31", {at_hour(0, kPv), at_hour(30, kCart), at_hour(31, kBuy)}, 1, 1, 1},
      {"pv 0, pv 20, cart 30, buy 31",
       {at_hour(0, kPv), at_hour(20, kPv), at_hour(30, kCart), at_hour(31, kBuy)},
       3,
       3,
       3},
      {"cart 0, pv 1, buy 2", {at_hour(0, kCart), at_hour(1, kPv), at_hour(2, kBuy)}, 1, 1, 1},
      {"pv 5, cart 5", {at_hour(5, kPv), at_hour(5, kCart)}, 2, 2, 2},
  };
  for (const ExampleRow& row : rows) {
    EXPECT_EQ(level(row.events, FunnelMode::kOrdered), row.ordered) << row.name;
    EXPECT_EQ(level(row.events, FunnelMode::kStrict), row.strict) << row.name;
    EXPECT_EQ(level(row.events, FunnelMode::kStrictOnce), row.strict_once) << row.name;
  }
}

TEST(FunnelLevel, TiesAtOneSecondChainEarlierStepsFirstWhateverTheRowOrder) {
  // cart's row comes before pv's at the same second: pv is still processed first.
  const std::vector<Event> events = {at_hour(5, kCart), at_hour(5, kPv), at_hour(5, kBuy)};
  for (FunnelMode mode : {FunnelMode::kOrdered, FunnelMode::kStrict, FunnelMode::kStrictOnce}) {
    EXPECT_EQ(level(events, mode), 3) << funnel_mode_name(mode);
  }
}

TEST(FunnelLevel, WindowEdgeIsInclusive) {
  std::vector<Event> events = {at_hour(0, kPv), at_hour(1, kCart), at_hour(24, kBuy)};
  for (FunnelMode mode : {FunnelMode::kOrdered, FunnelMode::kStrict, FunnelMode::kStrictOnce}) {
    EXPECT_EQ(level(events, mode), 3) << funnel_mode_name(mode);
  }
  events[2].ts += 1;  // one second past start + window
  for (FunnelMode mode : {FunnelMode::kOrdered, FunnelMode::kStrict, FunnelMode::kStrictOnce}) {
    EXPECT_EQ(level(events, mode), 2) << funnel_mode_name(mode);
  }
  // A window of 0 seconds: only steps at the same second chain.
  EXPECT_EQ(level({at_hour(0, kPv), at_hour(0, kCart), at_hour(1, kBuy)}, FunnelMode::kOrdered,
                  kPvCartBuy, 0),
            2);
}

TEST(FunnelLevel, ReEntryStartsALaterChain) {
  // The first chain's window ends before buy; the pv at 30 starts one that reaches it.
  const std::vector<Event> events = {at_hour(0, kPv), at_hour(1, kCart), at_hour(30, kPv),
                                     at_hour(40, kCart), at_hour(41, kBuy)};
  std::vector<std::int64_t> gaps;
  EXPECT_EQ(funnel_level(events, kPvCartBuy, kFunnelDay, FunnelMode::kOrdered, &gaps), 3);
  // cart was first reached by the first chain (1 h after its pv); buy by the second (1 h).
  EXPECT_EQ(gaps, (std::vector<std::int64_t>{0, 3600, 3600}));
  EXPECT_EQ(level(events, FunnelMode::kStrict), 3);
  EXPECT_EQ(level(events, FunnelMode::kStrictOnce), 3);
  // Without the second cart, the old chain's cart cannot be used by the new start.
  EXPECT_EQ(level({at_hour(0, kPv), at_hour(1, kCart), at_hour(30, kPv), at_hour(31, kBuy)},
                  FunnelMode::kOrdered),
            2);
}

TEST(FunnelLevel, StrictEndsTheLiveChainOnASkip) {
  // buy before cart ends the live chain; the later cart does not revive it.
  const std::vector<Event> events = {at_hour(0, kPv), at_hour(1, kBuy), at_hour(2, kCart),
                                     at_hour(3, kBuy)};
  EXPECT_EQ(level(events, FunnelMode::kStrict), 1);
  EXPECT_EQ(level(events, FunnelMode::kOrdered), 3);
  // A new pv restarts it.
  EXPECT_EQ(level({at_hour(0, kPv), at_hour(1, kBuy), at_hour(2, kPv), at_hour(3, kCart),
                   at_hour(4, kBuy)},
                  FunnelMode::kStrict),
            3);
}

TEST(FunnelLevel, RepeatedStepNames) {
  const std::vector<std::uint16_t> pv_pv_buy = {kPv, kPv, kBuy};
  const std::vector<Event> one_pv = {at_hour(0, kPv), at_hour(1, kBuy)};
  EXPECT_EQ(level(one_pv, FunnelMode::kOrdered, pv_pv_buy), 3);
  EXPECT_EQ(level(one_pv, FunnelMode::kStrictOnce, pv_pv_buy), 1);
  EXPECT_EQ(level(one_pv, FunnelMode::kStrict, pv_pv_buy), 3);
  const std::vector<Event> two_pv = {at_hour(0, kPv), at_hour(2, kPv), at_hour(3, kBuy)};
  std::vector<std::int64_t> gaps;
  EXPECT_EQ(funnel_level(two_pv, pv_pv_buy, kFunnelDay, FunnelMode::kStrictOnce, &gaps), 3);
  EXPECT_EQ(gaps, (std::vector<std::int64_t>{0, 2 * 3600, 3600}));
  EXPECT_EQ(funnel_level(two_pv, pv_pv_buy, kFunnelDay, FunnelMode::kOrdered, &gaps), 3);
  EXPECT_EQ(gaps, (std::vector<std::int64_t>{0, 0, 3600}));  // one pv was both steps
  // Two pv at the same second are two rows: strict_once chains them.
  EXPECT_EQ(level({at_hour(0, kPv), at_hour(0, kPv)}, FunnelMode::kStrictOnce, pv_pv_buy), 2);
  // pv,cart,pv: under strict the pv that starts a chain does not end it as step 3.
  const std::vector<std::uint16_t> pv_cart_pv = {kPv, kCart, kPv};
  const std::vector<Event> loop = {at_hour(0, kPv), at_hour(1, kCart), at_hour(2, kPv)};
  EXPECT_EQ(level(loop, FunnelMode::kOrdered, pv_cart_pv), 3);
  EXPECT_EQ(level(loop, FunnelMode::kStrictOnce, pv_cart_pv), 3);
  EXPECT_EQ(level({at_hour(0, kPv), at_hour(1, kCart)}, FunnelMode::kStrict, pv_cart_pv), 2);
}

TEST(FunnelLevel, AbsentStepAndNoEvents) {
  EXPECT_EQ(level({}, FunnelMode::kOrdered), 0);
  EXPECT_EQ(level({at_hour(0, kFav)}, FunnelMode::kStrict), 0);
  const std::vector<std::uint16_t> missing = {kPv, kNoBehavior, kBuy};
  EXPECT_EQ(level({at_hour(0, kPv), at_hour(1, kBuy)}, FunnelMode::kOrdered, missing), 1);
}

// Users of a small hand case, each a list of events.
std::vector<std::vector<Event>> funnel_hand_users() {
  return {
      {at_hour(0, kPv, 0, 0), at_hour(1, kCart, 0, 0), at_hour(3, kBuy, 0, 0)},   // gaps 1h, 2h
      {at_hour(0, kPv, 1, 1), at_hour(2, kCart, 1, 1), at_hour(3, kBuy, 1, 1)},   // 2h, 1h
      {at_hour(0, kPv, 2, 0), at_hour(4, kCart, 2, 1)},                           // 4h
      {at_hour(0, kPv, 3, 1), at_hour(10, kCart, 3, 1), at_hour(30, kPv, 3, 0)},  // 10h
      {at_hour(0, kPv, 4, 0)},
      {at_hour(1, kFav, 5, 2)},
  };
}

FunnelOptions options(FunnelBy by = FunnelBy::kNone) {
  FunnelOptions o;
  o.steps = {"pv", "cart", "buy"};
  o.by = by;
  return o;
}

TEST(FunnelAccumulator, StepsWithConversionsAndPandasQuantiles) {
  const EventNames n = names();
  const LocalClock clock("UTC");
  FunnelAccumulator acc(options(), n, clock);
  for (std::size_t u = 0; u < funnel_hand_users().size(); ++u) acc.add_user(u, funnel_hand_users()[u]);
  const FunnelResult r = acc.finish();
  ASSERT_EQ(r.steps.size(), 3u);
  EXPECT_EQ(r.steps[0].users, 5);
  EXPECT_EQ(r.steps[1].users, 4);
  EXPECT_EQ(r.steps[2].users, 2);
  EXPECT_DOUBLE_EQ(*r.steps[0].conversion_from_previous, 1.0);
  EXPECT_DOUBLE_EQ(*r.steps[1].conversion_from_previous, 0.8);
  EXPECT_DOUBLE_EQ(*r.steps[2].conversion_from_previous, 0.5);
  EXPECT_DOUBLE_EQ(*r.steps[2].conversion_from_first, 0.4);
  EXPECT_FALSE(r.steps[0].median_seconds_from_previous);
  // cart gaps 1h, 2h, 4h, 10h: median 3h; p90 at 0.9 * 3 = 2.7 -> 4 + 0.7 * 6 = 8.2h.
  EXPECT_DOUBLE_EQ(*r.steps[1].median_seconds_from_previous, 3 * 3600.0);
  EXPECT_DOUBLE_EQ(*r.steps[1].p90_seconds_from_previous, 8.2 * 3600);
  // buy gaps 2h, 1h: median 1.5h; p90 1 + 0.9 * 1 = 1.9h.
  EXPECT_DOUBLE_EQ(*r.steps[2].median_seconds_from_previous, 1.5 * 3600);
  EXPECT_DOUBLE_EQ(*r.steps[2].p90_seconds_from_previous, 1.9 * 3600);
  EXPECT_TRUE(r.breakdown.empty());
}

TEST(FunnelAccumulator, MergingSplitUsersEqualsOneAccumulator) {
  const EventNames n = names();
  const LocalClock clock("Asia/Shanghai");
  for (FunnelBy by :
       {FunnelBy::kNone, FunnelBy::kCategory, FunnelBy::kDay, FunnelBy::kNewReturning}) {
    FunnelAccumulator one(options(by), n, clock), left(options(by), n, clock),
        right(options(by), n, clock);
    const auto users = funnel_hand_users();
    for (std::size_t u = 0; u < users.size(); ++u) {
      one.add_user(u, users[u]);
      (u % 2 == 0 ? right : left).add_user(u, users[u]);
    }
    right.merge(left);
    const FunnelResult a = one.finish(), b = right.finish();
    ASSERT_EQ(a.breakdown.size(), b.breakdown.size());
    for (std::size_t k = 0; k < a.breakdown.size(); ++k) {
      EXPECT_EQ(a.breakdown[k].key, b.breakdown[k].key);
      for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(a.breakdown[k].steps[i].users, b.breakdown[k].steps[i].users);
        EXPECT_EQ(a.breakdown[k].steps[i].median_seconds_from_previous,
                  b.breakdown[k].steps[i].median_seconds_from_previous);
      }
    }
    for (std::size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(a.steps[i].users, b.steps[i].users);
      EXPECT_EQ(a.steps[i].median_seconds_from_previous, b.steps[i].median_seconds_from_previous);
      EXPECT_EQ(a.steps[i].p90_seconds_from_previous, b.steps[i].p90_seconds_from_previous);
    }
  }
}

std::map<std::string, std::vector<std::int64_t>> breakdown_users(const FunnelResult& r) {
  std::map<std::string, std::vector<std::int64_t>> out;
  for (const FunnelBreakdown& b : r.breakdown) {
    for (const FunnelStep& s : b.steps) out[b.key].push_back(s.users);
  }
  return out;
}

TEST(FunnelAccumulator, BreakdownByCategoryUsesEachCategorysEventsAlone) {
  const EventNames n = names();
  const LocalClock clock("UTC");
  FunnelAccumulator acc(options(FunnelBy::kCategory), n, clock);
  for (std::size_t u = 0; u < funnel_hand_users().size(); ++u) acc.add_user(u, funnel_hand_users()[u]);
  const FunnelResult r = acc.finish();
  ASSERT_EQ(r.breakdown.size(), 2u);  // c2 has no step-1 user
  // c0: users 0 (3 steps), 2 (pv only there), 3 (pv at 30), 4 (pv): 4 step-1 users, first.
  EXPECT_EQ(r.breakdown[0].key, "c0");
  EXPECT_EQ(breakdown_users(r)["c0"], (std::vector<std::int64_t>{4, 1, 1}));
  // c1: users 1 (3 steps), 3 (pv, cart); user 2's cart alone does not start it.
  EXPECT_EQ(breakdown_users(r)["c1"], (std::vector<std::int64_t>{2, 2, 1}));
}

TEST(FunnelAccumulator, BreakdownByDayAndNewReturning) {
  const EventNames n = names();
  const LocalClock clock("UTC");
  FunnelAccumulator by_day(options(FunnelBy::kDay), n, clock);
  FunnelAccumulator by_group(options(FunnelBy::kNewReturning), n, clock);
  for (std::size_t u = 0; u < funnel_hand_users().size(); ++u) {
    by_day.add_user(u, funnel_hand_users()[u]);
    by_group.add_user(u, funnel_hand_users()[u]);
  }
  const FunnelResult days = by_day.finish();
  ASSERT_EQ(days.breakdown.size(), 2u);
  EXPECT_EQ(days.breakdown[0].key, "2017-11-25");
  EXPECT_EQ(days.breakdown[1].key, "2017-11-26");
  EXPECT_EQ(breakdown_users(days)["2017-11-25"], (std::vector<std::int64_t>{5, 4, 2}));
  EXPECT_EQ(breakdown_users(days)["2017-11-26"], (std::vector<std::int64_t>{1, 0, 0}));
  const FunnelResult groups = by_group.finish();
  ASSERT_EQ(groups.breakdown.size(), 2u);
  EXPECT_EQ(groups.breakdown[0].key, "new");
  EXPECT_EQ(breakdown_users(groups)["new"], (std::vector<std::int64_t>{4, 3, 2}));
  EXPECT_EQ(breakdown_users(groups)["returning"], (std::vector<std::int64_t>{1, 1, 0}));
}

TEST(FunnelAccumulator, BreakdownKeysWithoutStepOneUsers) {
  const EventNames n = names();
  const LocalClock clock("UTC");
  const std::vector<Event> cart_only = {at_hour(0, kCart, 0, 2), at_hour(30, kPv, 0, 0)};
  // Days: every day with a kept event, reached or not.
  FunnelAccumulator by_day(options(FunnelBy::kDay), n, clock);
  by_day.add_user(0, cart_only);
  EXPECT_EQ(breakdown_users(by_day.finish()),
            (std::map<std::string, std::vector<std::int64_t>>{{"2017-11-25", {0, 0, 0}},
                                                              {"2017-11-26", {1, 0, 0}}}));
  // Categories: only those reached (c2 has a cart alone).
  FunnelAccumulator by_category(options(FunnelBy::kCategory), n, clock);
  by_category.add_user(0, cart_only);
  EXPECT_EQ(by_category.finish().breakdown.size(), 1u);
  // new and returning: both, always.
  FunnelAccumulator by_group(options(FunnelBy::kNewReturning), n, clock);
  by_group.add_user(0, std::vector<Event>{at_hour(0, kPv)});
  const FunnelResult groups = by_group.finish();
  ASSERT_EQ(groups.breakdown.size(), 2u);
  EXPECT_EQ(groups.breakdown[1].key, "returning");
  EXPECT_EQ(groups.breakdown[1].steps[0].users, 0);
  EXPECT_FALSE(groups.breakdown[1].steps[0].conversion_from_first);
}

TEST(FunnelLevel, StrictPassesOverAnyRowOfTheLiveChain) {
  // Funnel pv,cart,buy,pv at one second: pv's second entry (step 4) comes after cart's and
  // is passed over, so buy still extends the chain.
  const std::vector<std::uint16_t> steps = {kPv, kCart, kBuy, kPv};
  const std::vector<Event> events = {at_hour(0, kPv), at_hour(0, kCart), at_hour(1, kBuy)};
  EXPECT_EQ(funnel_level(events, steps, kFunnelDay, FunnelMode::kStrict, nullptr), 3);
}

TEST(FunnelLevel, StrictOnceChainsEachRowOnceWithARepeatedStep) {
  // Funnel pv,pv,cart: each pv's own step-2 entry extends the previous pv's chain, so the chain
  // that reaches cart at 33 h starts at 10 h (a start of 0 would miss the window).
  const std::vector<std::uint16_t> steps = {kPv, kPv, kCart};
  const std::vector<Event> events = {at_hour(0, kPv), at_hour(10, kPv), at_hour(20, kPv),
                                     at_hour(33, kCart)};
  std::vector<std::int64_t> gaps;
  EXPECT_EQ(funnel_level(events, steps, kFunnelDay, FunnelMode::kStrictOnce, &gaps), 3);
  EXPECT_EQ(gaps[2], 13 * 3600);
}

TEST(FunnelAccumulator, NoUsersGiveNulls) {
  const EventNames n = names();
  const LocalClock clock("UTC");
  const FunnelResult r = FunnelAccumulator(options(), n, clock).finish();
  ASSERT_EQ(r.steps.size(), 3u);
  EXPECT_EQ(r.steps[0].users, 0);
  EXPECT_FALSE(r.steps[0].conversion_from_first);
  EXPECT_FALSE(r.steps[1].conversion_from_previous);
  EXPECT_FALSE(r.steps[1].median_seconds_from_previous);
}

TEST(FunnelAccumulator, OptionErrors) {
  const EventNames n = names();
  const LocalClock clock("UTC");
  FunnelOptions empty;
  EXPECT_THROW(FunnelAccumulator(empty, n, clock), Error);
  EXPECT_THROW(parse_funnel_mode("loose"), Error);
  EXPECT_EQ(parse_funnel_mode("strict_once"), FunnelMode::kStrictOnce);
  EXPECT_EQ(parse_funnel_by("new_returning"), FunnelBy::kNewReturning);
  EXPECT_EQ(parse_funnel_by("tier"), FunnelBy::kTier);
  EXPECT_THROW(parse_funnel_by("country"), Error);
  // A group breakdown needs the joined view's groups.
  FunnelOptions tiers;
  tiers.steps = {"pv"};
  tiers.by = FunnelBy::kTier;
  EXPECT_THROW(FunnelAccumulator(tiers, n, clock), Error);
}

}  // namespace
}  // namespace custlens::analysis::events
