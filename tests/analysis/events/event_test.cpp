#include "analysis/events/event.h"

#include <gtest/gtest.h>

#include "analysis/events/event_builder.h"
#include "analysis/events/period.h"
#include "custlens/error.h"

namespace custlens::analysis::events {
namespace {

using testing::utc;

std::int64_t day_of(int year, int month, int day) {
  return common::days_from_civil(year, month, day);
}

TEST(LocalClock, UtcDaysAndHoursIncludingBefore1970) {
  const LocalClock clock("UTC");
  EXPECT_EQ(clock.zone(), "UTC");
  EXPECT_EQ(clock.day(0), 0);
  EXPECT_EQ(clock.hour(3599), 0);
  EXPECT_EQ(clock.hour(3600), 1);
  EXPECT_EQ(clock.day(-1), -1);
  EXPECT_EQ(clock.hour(-1), 23);
  EXPECT_EQ(clock.day(utc(2017, 11, 25, 23, 59, 59)), day_of(2017, 11, 25));
}

TEST(LocalClock, ShanghaiMidnight) {
  const LocalClock clock("Asia/Shanghai");
  const std::int64_t midnight = utc(2017, 11, 25, 16);  // 2017-11-26 00:00 +08:00
  EXPECT_EQ(clock.day(midnight), day_of(2017, 11, 26));
  EXPECT_EQ(clock.hour(midnight), 0);
  EXPECT_EQ(clock.day(midnight - 1), day_of(2017, 11, 25));
  EXPECT_EQ(clock.hour(midnight - 1), 23);
}

TEST(LocalClock, NewYorkAcrossTheEndOfDaylightSaving2017) {
  const LocalClock clock("America/New_York");
  // 2017-11-05 06:00 UTC: 02:00 EDT becomes 01:00 EST. Every minute, in order, so the cached
  // hour is crossed as a scan would cross it.
  const std::int64_t change = utc(2017, 11, 5, 6);
  for (std::int64_t ts = utc(2017, 11, 4, 20); ts < utc(2017, 11, 6, 8); ts += 60) {
    const std::int64_t local = ts + (ts < change ? -4 : -5) * 3600;
    ASSERT_EQ(clock.day(ts), common::floor_div(local, 86400)) << ts;
    ASSERT_EQ(clock.hour(ts), common::floor_div(local, 3600) % 24) << ts;
  }
  EXPECT_EQ(clock.hour(utc(2017, 11, 5, 5, 30)), 1);  // 01:30 EDT
  EXPECT_EQ(clock.hour(utc(2017, 11, 5, 6, 30)), 1);  // 01:30 EST, the hour again
  EXPECT_EQ(clock.hour(utc(2017, 11, 5, 7)), 2);
  EXPECT_EQ(clock.day(utc(2017, 11, 5, 3, 59, 59)), day_of(2017, 11, 4));
  EXPECT_EQ(clock.day(utc(2017, 11, 6, 4, 59, 59)), day_of(2017, 11, 5));
  EXPECT_EQ(clock.day(utc(2017, 11, 6, 5)), day_of(2017, 11, 6));
  // Spring forward, 2017-03-12 07:00 UTC: 01:59:59 EST, then 03:00 EDT.
  EXPECT_EQ(clock.hour(utc(2017, 3, 12, 6, 59, 59)), 1);
  EXPECT_EQ(clock.hour(utc(2017, 3, 12, 7)), 3);
}

TEST(LocalClock, TwoClocksOnOneThreadKeepTheirOwnHours) {
  const LocalClock utc_clock("UTC"), shanghai("Asia/Shanghai");
  const std::int64_t ts = utc(2017, 11, 25, 10);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(utc_clock.hour(ts + i), 10);
    EXPECT_EQ(shanghai.hour(ts + i), 18);
  }
}

TEST(LocalClock, UnknownZoneNamesTheOption) {
  try {
    LocalClock clock("Mars/Olympus_Mons");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--tz 'Mars/Olympus_Mons'"), std::string::npos);
  }
}

TEST(EventNames, FindBehavior) {
  const EventNames names = testing::names();
  EXPECT_EQ(names.find_behavior("cart"), std::optional<std::uint16_t>(2));
  EXPECT_FALSE(names.find_behavior("checkout"));
}

TEST(Period, IsoWeeksStartOnMondayAndMonthsOnTheFirst) {
  // 2017-11-26 was a Sunday: its week began on Monday 2017-11-20.
  const std::int64_t sunday = day_of(2017, 11, 26);
  EXPECT_EQ(period_start_day(Period::kWeek, period_index(Period::kWeek, sunday)),
            day_of(2017, 11, 20));
  EXPECT_EQ(period_index(Period::kWeek, day_of(2017, 11, 27)),
            period_index(Period::kWeek, sunday) + 1);
  EXPECT_EQ(period_start_day(Period::kWeek, period_index(Period::kWeek, -1)), day_of(1969, 12, 29));
  EXPECT_EQ(period_start_day(Period::kMonth, period_index(Period::kMonth, sunday)),
            day_of(2017, 11, 1));
  EXPECT_EQ(period_index(Period::kMonth, day_of(2018, 1, 3)),
            period_index(Period::kMonth, sunday) + 2);
  EXPECT_EQ(period_start_day(Period::kMonth, period_index(Period::kMonth, -1)),
            day_of(1969, 12, 1));
  EXPECT_EQ(period_index(Period::kDay, sunday), sunday);
  EXPECT_EQ(parse_period("month"), Period::kMonth);
  EXPECT_THROW(parse_period("year"), Error);
}

}  // namespace
}  // namespace custlens::analysis::events
