#include "common/calendar.h"

#include <gtest/gtest.h>

namespace custlens::common {
namespace {

TEST(CalendarTest, KnownDays) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(2010, 12, 1), 14944);
  EXPECT_EQ(days_from_civil(2011, 12, 9), 15317);
  EXPECT_EQ(days_from_civil(2012, 2, 29) + 1, days_from_civil(2012, 3, 1));
}

TEST(CalendarTest, RoundTripsOverCenturies) {
  for (std::int64_t day = -200000; day <= 200000; day += 7) {
    const CivilDate date = civil_from_days(day);
    ASSERT_EQ(days_from_civil(date.year, date.month, date.day), day);
  }
  const CivilDate leap = civil_from_days(days_from_civil(2000, 2, 29));
  EXPECT_EQ(leap.month, 2);
  EXPECT_EQ(leap.day, 29);
}

TEST(CalendarTest, WeekdaysAndFloorDivision) {
  EXPECT_EQ(weekday_from_days(0), 3);                             // Thursday
  EXPECT_EQ(weekday_from_days(-1), 2);                            // Wednesday
  EXPECT_EQ(weekday_from_days(days_from_civil(2010, 12, 1)), 2);  // Wednesday
  EXPECT_EQ(weekday_from_days(days_from_civil(2011, 12, 9)), 4);  // Friday
  EXPECT_EQ(weekday_from_days(days_from_civil(1900, 1, 1)), 0);   // Monday
  EXPECT_EQ(floor_div(-1, 86400), -1);
  EXPECT_EQ(floor_div(-86400, 86400), -1);
  EXPECT_EQ(floor_div(86399, 86400), 0);
}

}  // namespace
}  // namespace custlens::common
