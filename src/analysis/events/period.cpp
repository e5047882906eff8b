// Period numbering on day numbers (common/calendar.h).
#include "analysis/events/period.h"

#include <string>

#include "common/calendar.h"
#include "custlens/error.h"

namespace custlens::analysis::events {

std::string_view period_name(Period period) {
  switch (period) {
    case Period::kWeek:
      return "week";
    case Period::kMonth:
      return "month";
    case Period::kDay:
      break;
  }
  return "day";
}

Period parse_period(std::string_view text) {
  if (text == "day") return Period::kDay;
  if (text == "week") return Period::kWeek;
  if (text == "month") return Period::kMonth;
  throw Error("--period '" + std::string(text) + "' is not one of day, week, month");
}

std::int64_t period_index(Period period, std::int64_t day) {
  switch (period) {
    case Period::kWeek:
      // Day 0 (1970-01-01) was a Thursday: shifting by 3 puts every Monday at a multiple of 7.
      return common::floor_div(day + 3, 7);
    case Period::kMonth: {
      const common::CivilDate date = common::civil_from_days(day);
      return static_cast<std::int64_t>(date.year) * 12 + (date.month - 1);
    }
    case Period::kDay:
      break;
  }
  return day;
}

std::int64_t period_start_day(Period period, std::int64_t index) {
  switch (period) {
    case Period::kWeek:
      return index * 7 - 3;
    case Period::kMonth:
      return common::days_from_civil(
          static_cast<int>(common::floor_div(index, 12)),
          static_cast<int>(index - common::floor_div(index, 12) * 12) + 1, 1);
    case Period::kDay:
      break;
  }
  return index;
}

}  // namespace custlens::analysis::events
