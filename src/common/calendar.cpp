// Formatting of naive timestamps; shared by io (dates), core (reject content) and report.
#include "common/calendar.h"

#include <fmt/format.h>

namespace custlens::common {

std::string format_timestamp(std::int64_t seconds) {
  const std::int64_t days = floor_div(seconds, kSecondsPerDay);
  const std::int64_t in_day = seconds - days * kSecondsPerDay;
  const CivilDate date = civil_from_days(days);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", date.year, date.month, date.day,
                     in_day / 3600, in_day / 60 % 60, in_day % 60);
}

std::string format_date(std::int64_t seconds) {
  return format_day(floor_div(seconds, kSecondsPerDay));
}

std::string format_day(std::int64_t days) {
  const CivilDate date = civil_from_days(days);
  return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day);
}

}  // namespace custlens::common
