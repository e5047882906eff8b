#include "analysis/events/lifecycle_accumulator.h"

#include <gtest/gtest.h>

#include "analysis/events/event_builder.h"
#include "custlens/error.h"

namespace custlens::analysis::events {
namespace {

using namespace testing;  // NOLINT: the builders of event_builder.h

// Users active on these days of November 2017.
std::vector<std::vector<Event>> lifecycle_hand_users() {
  const std::vector<std::vector<int>> days = {{1, 2, 3, 4, 5, 6}, {1, 5}, {3}, {2, 3}};
  std::vector<std::vector<Event>> users;
  for (std::size_t u = 0; u < days.size(); ++u) {
    users.emplace_back();
    for (int d : days[u]) users.back().push_back(on_day(2017, 11, d, 12, kPv, u));
  }
  return users;
}

LifecycleResult lifecycle_run(LifecycleOptions options, bool split = false) {
  const EventNames n = names();
  const LocalClock clock("UTC");
  LifecycleAccumulator a(options, n, clock), b(options, n, clock);
  const auto users = lifecycle_hand_users();
  for (std::size_t u = 0; u < users.size(); ++u) (split && u % 2 ? b : a).add_user(u, users[u]);
  b.merge(a);
  return b.finish(common::days_from_civil(2017, 11, 1), common::days_from_civil(2017, 11, 6));
}

// new, active, returning, at_risk, churned of one period.
std::vector<std::int64_t> stages(const LifecyclePeriod& p) {
  return {p.new_, p.active, p.returning, p.at_risk, p.churned};
}

using Stages = std::vector<std::int64_t>;

TEST(LifecycleAccumulator, StagesPerDayWithChurn) {
  for (bool split : {false, true}) {
    const LifecycleResult r = lifecycle_run({}, split);
    ASSERT_EQ(r.periods.size(), 6u);
    EXPECT_EQ(r.periods[0].period, common::days_from_civil(2017, 11, 1));
    EXPECT_EQ(stages(r.periods[0]), (Stages{2, 0, 0, 0, 0}));
    EXPECT_EQ(stages(r.periods[1]), (Stages{1, 1, 0, 1, 0}));
    EXPECT_EQ(stages(r.periods[2]), (Stages{1, 2, 0, 1, 0}));
    EXPECT_EQ(stages(r.periods[3]), (Stages{0, 1, 0, 2, 1}));  // user 1: 3 days without
    EXPECT_EQ(stages(r.periods[4]), (Stages{0, 1, 1, 2, 0}));  // user 1 returns
    EXPECT_EQ(stages(r.periods[5]), (Stages{0, 1, 0, 1, 2}));
    ASSERT_EQ(r.transitions.size(), 3u);
    EXPECT_EQ(r.transitions[0].from, "new");
    EXPECT_EQ(r.transitions[0].to, "active");
    EXPECT_EQ(r.transitions[0].users, 1);
    EXPECT_EQ(r.transitions[1].to, "at_risk");
    EXPECT_EQ(r.transitions[2].from, "unseen");
    EXPECT_EQ(r.transitions[2].to, "churned");
    EXPECT_EQ(r.transitions[2].users, 2);
  }
}

TEST(LifecycleAccumulator, OneChurnPeriodHasNoAtRisk) {
  LifecycleOptions options;
  options.churn_periods = 1;
  const LifecycleResult r = lifecycle_run(options);
  EXPECT_EQ(stages(r.periods[1]), (Stages{1, 1, 0, 0, 1}));
  EXPECT_EQ(stages(r.periods[5]), (Stages{0, 1, 0, 0, 3}));
  options.churn_periods = 0;
  const EventNames n = names();
  const LocalClock clock("UTC");
  EXPECT_THROW(LifecycleAccumulator(options, n, clock), Error);
}

TEST(LifecycleAccumulator, IsoWeeks) {
  LifecycleOptions options;
  options.period = Period::kWeek;
  const LifecycleResult r = lifecycle_run(options);
  // 11-01 .. 11-05 are the week of 10-30; 11-06 the next.
  ASSERT_EQ(r.periods.size(), 2u);
  EXPECT_EQ(r.periods[0].period, common::days_from_civil(2017, 10, 30));
  EXPECT_EQ(stages(r.periods[0]), (Stages{4, 0, 0, 0, 0}));
  EXPECT_EQ(stages(r.periods[1]), (Stages{0, 1, 0, 3, 0}));
  ASSERT_EQ(r.transitions.size(), 2u);
  EXPECT_EQ(r.transitions[1].from, "new");
  EXPECT_EQ(r.transitions[1].to, "at_risk");
  EXPECT_EQ(r.transitions[1].users, 3);
}

}  // namespace
}  // namespace custlens::analysis::events
