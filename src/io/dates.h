// Dates: compiled strptime-style parsers, the date-format sniffer, and calendar helpers for
// naive timestamps (int64 seconds since 1970-01-01 00:00:00, no time zones).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace custlens::io {

/// Format names of the two numeric encodings a DateParser accepts besides strptime patterns.
inline constexpr std::string_view kExcelSerialFormat = "excel-serial";
inline constexpr std::string_view kUnixSecondsFormat = "unix-seconds";

/// A date format compiled once and applied to many values without allocating.
///
/// Patterns take the directives %Y (4 digits), %y (2 digits: 00–68 → 20xx, 69–99 → 19xx),
/// %m %d %H %I (1 or 2 digits; exactly 2 when next to another numeric directive, as in the
/// compact %Y%m%d), %M %S (2 digits; %S may be followed by a fraction such as
/// ".250", which is truncated), %p (AM/PM), %b (English month abbreviation or full name), %%
/// and literal characters; a space matches one or more spaces. Matching is strict: the whole
/// value (less surrounding whitespace) must be consumed and the date must exist (2011-02-30
/// fails). "excel-serial" reads Excel 1900-system day numbers such as 40513.3541666667, rounded
/// to the second; "unix-seconds" reads integer seconds since the epoch.
class DateParser {
 public:
  /// Compiles `format`. Throws custlens::Error for an unknown directive, a pattern without a
  /// year, or %I without %p.
  explicit DateParser(std::string_view format);

  /// Seconds since 1970-01-01 00:00:00, or nullopt if `text` does not match or is no real date.
  std::optional<std::int64_t> parse(std::string_view text) const;
  /// The format as given.
  const std::string& format() const { return format_; }

 private:
  enum class Mode : std::uint8_t { kPattern, kExcelSerial, kUnixSeconds };
  enum class Token : std::uint8_t {
    kLiteral,
    kSpace,
    kYear4,
    kYear2,
    kMonth,
    kMonthName,
    kDay,
    kHour24,
    kHour12,
    kMinute,
    kSecond,
    kAmPm,
  };
  struct Step {
    Token token;
    char literal;
    bool two_digits = false;  ///< a 1-or-2-digit field written without a separator: exactly 2
  };

  std::optional<std::int64_t> parse_pattern(std::string_view text) const;

  std::string format_;
  Mode mode_ = Mode::kPattern;
  std::vector<Step> steps_;
};

/// Parses one value with a format compiled for the call; for one-off values, not for columns.
std::optional<std::int64_t> parse_timestamp(std::string_view text, std::string_view format);

/// A broken-down naive timestamp.
struct CivilTime {
  int year = 1970;
  int month = 1;  ///< 1–12
  int day = 1;    ///< 1–31
  int hour = 0;
  int minute = 0;
  int second = 0;
};

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1–12, day 1–31; not validated).
std::int64_t days_from_civil(int year, int month, int day);
/// True for Gregorian leap years.
bool is_leap_year(int year);
/// Days in `month` (1–12) of `year`.
int days_in_month(int year, int month);
/// Seconds since the epoch of a civil date and time (not validated).
std::int64_t make_timestamp(int year, int month, int day, int hour = 0, int minute = 0,
                            int second = 0);
/// The civil date and time of a timestamp; negative timestamps give dates before 1970.
CivilTime civil_from_timestamp(std::int64_t seconds);

/// Days since 1970-01-01, rounded down (-1 for 1969-12-31 23:00:00).
std::int64_t day_of(std::int64_t seconds);
/// Day of the week, Monday = 0 … Sunday = 6.
int weekday_of(std::int64_t seconds);
/// Calendar month 1–12.
int month_of(std::int64_t seconds);
/// Calendar year.
int year_of(std::int64_t seconds);
/// Hour of the day 0–23.
int hour_of(std::int64_t seconds);

/// "YYYY-MM-DD HH:MM:SS".
std::string format_timestamp(std::int64_t seconds);
/// "YYYY-MM-DD".
std::string format_date(std::int64_t seconds);

/// The first candidate format that every non-empty sample parses with, or "" when none does
/// (the column is not a date, or its values mix formats). Candidates, in order: ISO
/// (%Y-%m-%d[ %H:%M[:%S]], 'T' separator, %Y/%m/%d, %Y年%m月%d日), month-first and day-first
/// with '/', '-' or '.', 4- or 2-digit years, with or without a 24- or 12-hour time; day-month
/// names (%d-%b-%Y, %b %d, %Y, ...); the compact %Y%m%d and %Y%m%d%H%M%S (8 or 14 digits: a
/// column of such numbers is inferred as numbers and reaches this only when the caller knows it
/// holds dates, ReadOptions::column_types); "unix-seconds" (all integers in 2000..2100);
/// "excel-serial" (all numbers in 20000..80000, and either some have a time fraction or
/// `column_name` reads as a date: integers alone are too often ids or amounts). Throws
/// custlens::Error naming `column_name` when month-first and day-first both fit every sample.
/// `min_fit` < 1 accepts a format that fits at least that share of the samples (and more of
/// them than its day/month twin); used for columns known to hold dates.
std::string sniff_date_format(std::string_view column_name,
                              std::span<const std::string_view> samples, double min_fit = 1.0);

}  // namespace custlens::io
