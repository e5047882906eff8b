// Civil-calendar arithmetic on naive timestamps (seconds since 1970-01-01 00:00:00, no zone).
#pragma once

#include <cstdint>
#include <string>

namespace custlens::common {

inline constexpr std::int64_t kSecondsPerDay = 86400;

struct CivilDate {
  int year = 1970;
  int month = 1;  ///< 1..12
  int day = 1;    ///< 1..31
};

/// Floor division, so that times before 1970 fall on the right day.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr std::int64_t days_from_civil(int year, int month, int day) {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/// The date of a day number (inverse of days_from_civil).
constexpr CivilDate civil_from_days(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return CivilDate{static_cast<int>(year), month, day};
}

/// Day of the week with Monday = 0 ... Sunday = 6; 1970-01-01 was a Thursday (3).
constexpr int weekday_from_days(std::int64_t days) {
  return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

/// "YYYY-MM-DD HH:MM:SS".
std::string format_timestamp(std::int64_t seconds);
/// "YYYY-MM-DD".
std::string format_date(std::int64_t seconds);
/// "YYYY-MM-DD" of a day number (days since 1970-01-01).
std::string format_day(std::int64_t days);

}  // namespace custlens::common
