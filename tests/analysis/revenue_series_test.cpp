// Revenue per day streamed from kept lines, periods with partial ends, and the gaps said.
#include "analysis/revenue_series.h"

#include <gtest/gtest.h>

#include "common/calendar.h"
#include "custlens/error.h"

namespace custlens::analysis {
namespace {

pipeline::KeptLine line_on(int year, int month, int day, double amount, int hour = 10) {
  pipeline::KeptLine line;
  line.timestamp = common::days_from_civil(year, month, day) * common::kSecondsPerDay + hour * 3600;
  line.amount = amount;
  return line;
}

TEST(RevenueSeries, SumsPerLocalDayInAnyOrderWithZerosBetween) {
  RevenueSeriesAccumulator accumulator;
  const std::vector<pipeline::KeptLine> first = {line_on(2024, 1, 3, 5),
                                                 line_on(2024, 1, 3, 2.5, 23)};
  const std::vector<pipeline::KeptLine> second = {line_on(2024, 1, 1, 1),
                                                  line_on(2024, 1, 6, 4, 0)};
  accumulator.add(first);
  accumulator.add(second);
  const DailyRevenue daily = accumulator.finish();
  EXPECT_EQ(daily.first_day, common::days_from_civil(2024, 1, 1));
  EXPECT_EQ(daily.revenue, (std::vector<double>{1, 0, 7.5, 0, 0, 4}));
  EXPECT_EQ(daily.lines, (std::vector<std::uint32_t>{1, 0, 2, 0, 0, 1}));
}

TEST(RevenueSeries, WeeksAreIsoAndPartialEndsAreSetApart) {
  // 2024-01-03 is a Wednesday; 2024-01-23 a Tuesday: weeks of Jan 1 and Jan 22 are partial.
  DailyRevenue daily;
  daily.first_day = common::days_from_civil(2024, 1, 3);
  daily.revenue.assign(21, 1.0);
  daily.lines.assign(21, 1);
  const PeriodSeries weeks = to_periods(daily, Frequency::kWeek);
  ASSERT_EQ(weeks.periods.size(), 2u);
  EXPECT_EQ(weeks.periods[0].start_day, common::days_from_civil(2024, 1, 8));
  EXPECT_DOUBLE_EQ(weeks.periods[0].revenue, 7);
  EXPECT_TRUE(weeks.has_partial_first);
  EXPECT_EQ(weeks.partial_first.covered_days, 5);
  EXPECT_DOUBLE_EQ(weeks.partial_first.revenue, 5);
  EXPECT_TRUE(weeks.has_partial_last);
  EXPECT_EQ(weeks.partial_last.covered_days, 2);

  const PeriodSeries months = to_periods(daily, Frequency::kMonth);
  EXPECT_TRUE(months.periods.empty());
  EXPECT_TRUE(months.has_partial_first);
  EXPECT_FALSE(months.has_partial_last);  // one month, cut at both ends: said once

  const PeriodSeries days = to_periods(daily, Frequency::kDay);
  EXPECT_EQ(days.periods.size(), 21u);
  EXPECT_FALSE(days.has_partial_first || days.has_partial_last);
}

TEST(RevenueSeries, MonthsAdvanceOverYearEnds) {
  const std::int64_t nov = common::days_from_civil(2023, 11, 1);
  EXPECT_EQ(advance_period(nov, Frequency::kMonth, 3), common::days_from_civil(2024, 2, 1));
  EXPECT_EQ(advance_period(nov, Frequency::kWeek, 2), nov + 14);
  EXPECT_EQ(parse_frequency("week"), Frequency::kWeek);
  EXPECT_THROW(parse_frequency("year"), Error);
}

TEST(RevenueSeries, GapsCountWeekdaysRunsAndTheLongest) {
  // Two weeks from Monday 2024-01-01; no Saturdays; Jan 9..12 (Tue..Fri) empty too, so Jan 9..13
  // is one run of five.
  DailyRevenue daily;
  daily.first_day = common::days_from_civil(2024, 1, 1);
  for (int d = 0; d < 14; ++d) {
    const bool empty = d % 7 == 5 || (d >= 8 && d <= 11);
    daily.revenue.push_back(empty ? 0 : 10);
    daily.lines.push_back(empty ? 0 : 3);
  }
  const SalesGaps gaps = find_gaps(daily);
  EXPECT_EQ(gaps.days, 14);
  EXPECT_EQ(gaps.zero_days, 6);  // Jan 6, 9..13
  EXPECT_EQ(gaps.weekday_days[5], 2);
  EXPECT_EQ(gaps.weekday_sales_days[5], 0);
  EXPECT_EQ(gaps.weekday_sales_days[0], 2);
  EXPECT_EQ(gaps.zero_runs, 1);
  EXPECT_EQ(gaps.longest_gap_days, 5);
  EXPECT_EQ(gaps.longest_gap_start, common::days_from_civil(2024, 1, 9));
}

}  // namespace
}  // namespace custlens::analysis
