#include "analysis/events/retention_accumulator.h"

#include <gtest/gtest.h>

#include "analysis/events/event_builder.h"

namespace custlens::analysis::events {
namespace {

using namespace testing;  // NOLINT: the builders of event_builder.h

using Counts = std::vector<std::int64_t>;

std::vector<std::vector<Event>> november_users() {
  return {
      {on_day(2017, 11, 1, 9, kPv, 0), on_day(2017, 11, 2, 9, kPv, 0),
       on_day(2017, 11, 4, 9, kBuy, 0)},
      {on_day(2017, 11, 1, 9, kPv, 1), on_day(2017, 11, 3, 9, kBuy, 1)},
      {on_day(2017, 11, 2, 9, kPv, 2), on_day(2017, 11, 3, 9, kPv, 2)},
      {on_day(2017, 11, 4, 9, kPv, 3)},
  };
}

RetentionResult retention_run(const std::vector<std::vector<Event>>& users, RetentionOptions options,
                    std::int64_t last_day, bool split = false) {
  const EventNames n = names();
  const LocalClock clock("UTC");
  RetentionAccumulator a(options, n, clock), b(options, n, clock);
  for (std::size_t u = 0; u < users.size(); ++u) (split && u % 2 ? a : b).add_user(u, users[u]);
  a.merge(b);
  return a.finish(last_day);
}

TEST(RetentionAccumulator, DailyTriangle) {
  const std::int64_t last = common::days_from_civil(2017, 11, 4);
  const RetentionResult r = retention_run(november_users(), {}, last);
  EXPECT_EQ(r.event, "any");
  ASSERT_EQ(r.cohorts.size(), 3u);  // no one was first seen on 11-03
  EXPECT_EQ(r.cohorts[0].cohort, common::days_from_civil(2017, 11, 1));
  EXPECT_EQ(r.cohorts[0].users, 2);
  EXPECT_EQ(r.cohorts[0].active, (Counts{2, 1, 1, 1}));
  EXPECT_EQ(r.cohorts[0].share, (std::vector<double>{1.0, 0.5, 0.5, 0.5}));
  EXPECT_EQ(r.cohorts[1].cohort, common::days_from_civil(2017, 11, 2));
  EXPECT_EQ(r.cohorts[1].active, (Counts{1, 1, 0}));
  EXPECT_EQ(r.cohorts[2].active, (Counts{1}));
  // Split over two accumulators: the same.
  const RetentionResult split = retention_run(november_users(), {}, last, true);
  for (std::size_t c = 0; c < 3; ++c) EXPECT_EQ(split.cohorts[c].active, r.cohorts[c].active);
}

TEST(RetentionAccumulator, BuyOnlyCountsBuysInTheCohortsOfFirstEvents) {
  RetentionOptions options;
  options.buy_only = true;
  const RetentionResult r = retention_run(november_users(), options, common::days_from_civil(2017, 11, 4));
  EXPECT_EQ(r.event, "buy");
  ASSERT_EQ(r.cohorts.size(), 3u);
  EXPECT_EQ(r.cohorts[0].users, 2);
  EXPECT_EQ(r.cohorts[0].active, (Counts{0, 0, 1, 1}));
  EXPECT_EQ(r.cohorts[1].active, (Counts{0, 0, 0}));
  EXPECT_EQ(r.cohorts[2].active, (Counts{0}));
  EXPECT_EQ(r.cohorts[2].share, (std::vector<double>{0.0}));
}

std::vector<std::vector<Event>> autumn_users() {
  return {
      {on_day(2017, 10, 31, 9, kPv, 0), on_day(2017, 11, 7, 9, kPv, 0)},  // Tuesdays
      {on_day(2017, 11, 5, 9, kPv, 1), on_day(2017, 12, 1, 9, kBuy, 1)},  // a Sunday, a Friday
      {on_day(2017, 11, 6, 9, kPv, 2)},                                   // a Monday
  };
}

TEST(RetentionAccumulator, IsoWeeksAndMonths) {
  const std::int64_t last = common::days_from_civil(2017, 12, 1);
  RetentionOptions weeks;
  weeks.period = Period::kWeek;
  const RetentionResult w = retention_run(autumn_users(), weeks, last);
  ASSERT_EQ(w.cohorts.size(), 2u);
  EXPECT_EQ(w.cohorts[0].cohort, common::days_from_civil(2017, 10, 30));
  EXPECT_EQ(w.cohorts[0].users, 2);
  EXPECT_EQ(w.cohorts[0].active, (Counts{2, 1, 0, 0, 1}));
  EXPECT_EQ(w.cohorts[1].cohort, common::days_from_civil(2017, 11, 6));
  EXPECT_EQ(w.cohorts[1].active, (Counts{1, 0, 0, 0}));
  RetentionOptions months;
  months.period = Period::kMonth;
  const RetentionResult m = retention_run(autumn_users(), months, last);
  ASSERT_EQ(m.cohorts.size(), 2u);
  EXPECT_EQ(m.cohorts[0].cohort, common::days_from_civil(2017, 10, 1));
  EXPECT_EQ(m.cohorts[0].active, (Counts{1, 1, 0}));
  EXPECT_EQ(m.cohorts[1].cohort, common::days_from_civil(2017, 11, 1));
  EXPECT_EQ(m.cohorts[1].active, (Counts{2, 1}));
  EXPECT_EQ(m.cohorts[1].share, (std::vector<double>{1.0, 0.5}));
}

}  // namespace
}  // namespace custlens::analysis::events
