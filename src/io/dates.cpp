// Dates: the hand-written strptime-style parser, Excel serial and unix-second readers, civil
// calendar arithmetic, and the per-column date-format sniffer.
#include "io/dates.h"

#include <fmt/format.h>

#include <array>
#include <cmath>

#include "common/calendar.h"
#include "custlens/error.h"

namespace custlens::io {
namespace {

using common::floor_div;
using common::kSecondsPerDay;
// Sniffer bounds: unix seconds of 2000-01-01 and 2100-01-01, and the Excel serial range
// (1954..2119) that a date column plausibly holds.
constexpr std::int64_t kUnixSniffMin = 946684800;
constexpr std::int64_t kUnixSniffMax = 4102444800;
constexpr std::int64_t kExcelSniffMin = 20000;
constexpr std::int64_t kExcelSniffMax = 80000;
// 9999-12-31 in Excel's 1900 system; larger serials are not dates.
constexpr std::int64_t kExcelMaxSerial = 2958465;

constexpr std::array<std::string_view, 12> kMonthNames = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_blank(char c) { return c == ' ' || c == '\t'; }
char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trim(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Reads min_digits..max_digits decimal digits at pos (greedy) into value.
bool read_number(std::string_view text, std::size_t& pos, int min_digits, int max_digits,
                 int& value) {
  int digits = 0;
  value = 0;
  while (digits < max_digits && pos < text.size() && is_digit(text[pos])) {
    value = value * 10 + (text[pos] - '0');
    ++pos;
    ++digits;
  }
  return digits >= min_digits;
}

bool read_ranged(std::string_view text, std::size_t& pos, int min_digits, int max_digits, int low,
                 int high, int& value) {
  return read_number(text, pos, min_digits, max_digits, value) && value >= low && value <= high;
}

bool matches_ignoring_case(std::string_view text, std::size_t pos, std::string_view lower_word) {
  if (text.size() - pos < lower_word.size()) return false;
  for (std::size_t i = 0; i < lower_word.size(); ++i) {
    if (to_lower(text[pos + i]) != lower_word[i]) return false;
  }
  return true;
}

// An English month as a three-letter abbreviation, the full name, or "Sept".
bool read_month_name(std::string_view text, std::size_t& pos, int& month) {
  for (std::size_t i = 0; i < kMonthNames.size(); ++i) {
    const std::string_view name = kMonthNames[i];
    if (!matches_ignoring_case(text, pos, name.substr(0, 3))) continue;
    month = static_cast<int>(i) + 1;
    if (matches_ignoring_case(text, pos, name)) {
      pos += name.size();
    } else if (month == 9 && matches_ignoring_case(text, pos, "sept")) {
      pos += 4;
    } else {
      pos += 3;
    }
    return true;
  }
  return false;
}

// A plain decimal number "123" or "123.45": integer part and the fraction as digits / 10^n.
struct Decimal {
  std::int64_t integer = 0;
  std::uint64_t fraction_digits = 0;
  std::uint64_t fraction_scale = 1;
  bool negative = false;
  bool has_point = false;
};

std::optional<Decimal> read_decimal(std::string_view text, int max_integer_digits) {
  Decimal number;
  std::size_t pos = 0;
  if (pos < text.size() && text[pos] == '-') {
    number.negative = true;
    ++pos;
  }
  int integer_digits = 0;
  while (pos < text.size() && is_digit(text[pos])) {
    if (++integer_digits > max_integer_digits) return std::nullopt;
    number.integer = number.integer * 10 + (text[pos] - '0');
    ++pos;
  }
  int fraction_digits = 0;
  if (pos < text.size() && text[pos] == '.') {
    number.has_point = true;
    ++pos;
    while (pos < text.size() && is_digit(text[pos])) {
      // Digits past the 15th are below a microsecond of a day: read but ignored.
      if (fraction_digits < 15) {
        number.fraction_digits = number.fraction_digits * 10 + (text[pos] - '0');
        number.fraction_scale *= 10;
      }
      ++fraction_digits;
      ++pos;
    }
  }
  if (pos != text.size() || integer_digits + fraction_digits == 0) return std::nullopt;
  return number;
}

std::optional<std::int64_t> parse_excel_serial(std::string_view text) {
  const std::optional<Decimal> serial = read_decimal(text, 7);
  if (!serial || serial->negative || serial->integer > kExcelMaxSerial) return std::nullopt;
  // Excel's 1900 system counts a 1900-02-29 that never was (serial 60): before it, day 1 is
  // 1900-01-01; from 61 on, serials count from 1899-12-30.
  if (serial->integer == 60) return std::nullopt;
  const std::int64_t epoch =
      serial->integer < 60 ? days_from_civil(1899, 12, 31) : days_from_civil(1899, 12, 30);
  // Rounded to the nearest second: stored serials carry float error (08:29:59.99999).
  const auto day_seconds = static_cast<std::int64_t>(
      std::llround(static_cast<double>(serial->fraction_digits) * kSecondsPerDay /
                   static_cast<double>(serial->fraction_scale)));
  return (epoch + serial->integer) * kSecondsPerDay + day_seconds;
}

std::optional<std::int64_t> parse_unix_seconds(std::string_view text) {
  const std::optional<Decimal> value = read_decimal(text, 12);
  if (!value || value->has_point) return std::nullopt;
  return value->negative ? -value->integer : value->integer;
}

}  // namespace

DateParser::DateParser(std::string_view format) : format_(format) {
  if (format == kExcelSerialFormat) {
    mode_ = Mode::kExcelSerial;
    return;
  }
  if (format == kUnixSecondsFormat) {
    mode_ = Mode::kUnixSeconds;
    return;
  }
  bool has_year = false;
  bool has_hour12 = false;
  bool has_ampm = false;
  for (std::size_t i = 0; i < format.size(); ++i) {
    const char c = format[i];
    if (c == ' ') {
      steps_.push_back({Token::kSpace, ' '});
      continue;
    }
    if (c != '%') {
      steps_.push_back({Token::kLiteral, c});
      continue;
    }
    if (i + 1 == format.size()) {
      throw Error(fmt::format("date format '{}' ends with a lone '%'", format));
    }
    const char directive = format[++i];
    Token token = Token::kLiteral;
    switch (directive) {
      case 'Y':
        token = Token::kYear4;
        break;
      case 'y':
        token = Token::kYear2;
        break;
      case 'm':
        token = Token::kMonth;
        break;
      case 'b':
        token = Token::kMonthName;
        break;
      case 'd':
        token = Token::kDay;
        break;
      case 'H':
        token = Token::kHour24;
        break;
      case 'I':
        token = Token::kHour12;
        break;
      case 'M':
        token = Token::kMinute;
        break;
      case 'S':
        token = Token::kSecond;
        break;
      case 'p':
        token = Token::kAmPm;
        break;
      case '%':
        token = Token::kLiteral;
        break;
      default:
        throw Error(fmt::format(
            "date format '{}': unknown directive '%{}' (known: %Y %y %m %d %b %H %I %M %S %p "
            "%%, or the formats excel-serial and unix-seconds)",
            format, directive));
    }
    has_year = has_year || token == Token::kYear4 || token == Token::kYear2;
    has_hour12 = has_hour12 || token == Token::kHour12;
    has_ampm = has_ampm || token == Token::kAmPm;
    steps_.push_back({token, directive});
  }
  if (!has_year) {
    throw Error(fmt::format("date format '{}' has no year (%Y or %y)", format));
  }
  // Without a separator, "1997011" could be 1997-01-1 or 1997-0-11: widths must be fixed.
  const auto numeric = [&](std::size_t i) {
    if (i >= steps_.size()) return false;
    const Token token = steps_[i].token;
    return token != Token::kLiteral && token != Token::kSpace && token != Token::kMonthName &&
           token != Token::kAmPm;
  };
  for (std::size_t i = 0; i < steps_.size(); ++i) {
    steps_[i].two_digits = numeric(i) && ((i > 0 && numeric(i - 1)) || numeric(i + 1));
  }
  if (has_hour12 && !has_ampm) {
    throw Error(fmt::format("date format '{}' uses %I (12-hour clock) without %p (AM/PM)", format));
  }
}

std::optional<std::int64_t> DateParser::parse(std::string_view text) const {
  text = trim(text);
  switch (mode_) {
    case Mode::kExcelSerial:
      return parse_excel_serial(text);
    case Mode::kUnixSeconds:
      return parse_unix_seconds(text);
    case Mode::kPattern:
      break;
  }
  return parse_pattern(text);
}

// Hand-written: strptime and std::get_time are slow and depend on the process locale.
std::optional<std::int64_t> DateParser::parse_pattern(std::string_view text) const {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int hour12 = -1;
  bool pm = false;
  std::size_t pos = 0;
  bool ok = true;
  for (std::size_t i = 0; ok && i < steps_.size(); ++i) {
    const Step step = steps_[i];
    switch (step.token) {
      case Token::kLiteral:
        ok = pos < text.size() && text[pos] == step.literal;
        ++pos;
        break;
      case Token::kSpace:
        ok = pos < text.size() && is_blank(text[pos]);
        while (pos < text.size() && is_blank(text[pos])) ++pos;
        break;
      case Token::kYear4:
        ok = read_number(text, pos, 4, 4, year);
        break;
      case Token::kYear2:
        ok = read_number(text, pos, 2, 2, year);
        year += year <= 68 ? 2000 : 1900;
        break;
      case Token::kMonth:
        ok = read_ranged(text, pos, step.two_digits ? 2 : 1, 2, 1, 12, month);
        break;
      case Token::kMonthName:
        ok = read_month_name(text, pos, month);
        break;
      case Token::kDay:
        ok = read_ranged(text, pos, step.two_digits ? 2 : 1, 2, 1, 31, day);
        break;
      case Token::kHour24:
        ok = read_ranged(text, pos, step.two_digits ? 2 : 1, 2, 0, 23, hour);
        break;
      case Token::kHour12:
        ok = read_ranged(text, pos, step.two_digits ? 2 : 1, 2, 1, 12, hour12);
        break;
      case Token::kMinute:
        ok = read_ranged(text, pos, 2, 2, 0, 59, minute);
        break;
      case Token::kSecond: {
        ok = read_ranged(text, pos, 2, 2, 0, 59, second);
        // An optional fraction ".250" or ",250", unless the format itself goes on with that mark.
        const bool format_continues_with_mark =
            i + 1 < steps_.size() && steps_[i + 1].token == Token::kLiteral &&
            (steps_[i + 1].literal == '.' || steps_[i + 1].literal == ',');
        if (ok && !format_continues_with_mark && pos + 1 < text.size() &&
            (text[pos] == '.' || text[pos] == ',') && is_digit(text[pos + 1])) {
          ++pos;
          while (pos < text.size() && is_digit(text[pos])) ++pos;
        }
        break;
      }
      case Token::kAmPm:
        if (matches_ignoring_case(text, pos, "am") || matches_ignoring_case(text, pos, "pm")) {
          pm = to_lower(text[pos]) == 'p';
          pos += 2;
        } else {
          ok = false;
        }
        break;
    }
  }
  if (!ok || pos != text.size()) return std::nullopt;
  if (hour12 >= 0) hour = hour12 % 12 + (pm ? 12 : 0);
  if (day > days_in_month(year, month)) return std::nullopt;
  return make_timestamp(year, month, day, hour, minute, second);
}

std::optional<std::int64_t> parse_timestamp(std::string_view text, std::string_view format) {
  return DateParser(format).parse(text);
}

std::int64_t days_from_civil(int year, int month, int day) {
  return common::days_from_civil(year, month, day);
}

bool is_leap_year(int year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) return 29;
  return kDays[static_cast<std::size_t>(month - 1)];
}

std::int64_t make_timestamp(int year, int month, int day, int hour, int minute, int second) {
  return days_from_civil(year, month, day) * kSecondsPerDay + hour * 3600 + minute * 60 + second;
}

CivilTime civil_from_timestamp(std::int64_t seconds) {
  const std::int64_t days = floor_div(seconds, kSecondsPerDay);
  const std::int64_t second_of_day = seconds - days * kSecondsPerDay;
  const common::CivilDate date = common::civil_from_days(days);
  CivilTime civil;
  civil.year = date.year;
  civil.month = date.month;
  civil.day = date.day;
  civil.hour = static_cast<int>(second_of_day / 3600);
  civil.minute = static_cast<int>(second_of_day / 60 % 60);
  civil.second = static_cast<int>(second_of_day % 60);
  return civil;
}

std::int64_t day_of(std::int64_t seconds) { return floor_div(seconds, kSecondsPerDay); }

int weekday_of(std::int64_t seconds) { return common::weekday_from_days(day_of(seconds)); }

int month_of(std::int64_t seconds) { return civil_from_timestamp(seconds).month; }

int year_of(std::int64_t seconds) { return civil_from_timestamp(seconds).year; }

int hour_of(std::int64_t seconds) {
  return static_cast<int>((seconds - day_of(seconds) * kSecondsPerDay) / 3600);
}

std::string format_timestamp(std::int64_t seconds) { return common::format_timestamp(seconds); }

std::string format_date(std::int64_t seconds) { return common::format_date(seconds); }

namespace {

// One sniffer candidate: a format, or a month-first format with its day-first twin.
struct Candidate {
  DateParser format;
  std::optional<DateParser> day_first;
};

std::vector<Candidate> build_candidates() {
  std::vector<Candidate> candidates;
  auto single = [&](std::string_view format) {
    candidates.push_back({DateParser(format), std::nullopt});
  };
  for (std::string_view date : {"%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"}) {
    for (std::string_view time : {" %H:%M:%S", " %H:%M", "T%H:%M:%S", "T%H:%M", ""}) {
      if (time.front() == 'T' && date != "%Y-%m-%d") continue;
      single(fmt::format("{}{}", date, time));
    }
  }
  for (char separator : {'/', '-', '.'}) {
    for (std::string_view year : {"%Y", "%y"}) {
      for (std::string_view time : {" %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p", ""}) {
        candidates.push_back({DateParser(fmt::format("%m{0}%d{0}{1}{2}", separator, year, time)),
                              DateParser(fmt::format("%d{0}%m{0}{1}{2}", separator, year, time))});
      }
    }
  }
  for (std::string_view date : {"%d-%b-%Y", "%d-%b-%y", "%d %b %Y", "%b %d, %Y", "%b %d %Y"}) {
    for (std::string_view time : {" %H:%M:%S", " %H:%M", ""}) {
      single(fmt::format("{}{}", date, time));
    }
  }
  // Compact dates (19970101): they parse digit strings of exactly 8 or 14 digits only.
  single("%Y%m%d");
  single("%Y%m%d%H%M%S");
  return candidates;
}

const std::vector<Candidate>& candidates() {
  static const std::vector<Candidate> kCandidates = build_candidates();
  return kCandidates;
}

std::size_t count_parsed(const DateParser& parser, std::span<const std::string_view> values) {
  std::size_t parsed = 0;
  for (std::string_view value : values) parsed += parser.parse(value).has_value();
  return parsed;
}

bool all_unix_seconds(std::span<const std::string_view> values) {
  for (std::string_view value : values) {
    const std::optional<Decimal> number = read_decimal(value, 10);
    if (!number || number->negative || number->has_point || number->integer < kUnixSniffMin ||
        number->integer >= kUnixSniffMax) {
      return false;
    }
  }
  return true;
}

// A header such as InvoiceDate, order_time, 下单时间 or 日期.
bool name_reads_as_date(std::string_view column_name) {
  std::string lower(column_name);
  for (char& c : lower) c = to_lower(c);
  for (std::string_view word : {"date", "time", "day", "日期", "时间", "日"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

bool all_excel_serials(std::string_view column_name, std::span<const std::string_view> values) {
  bool some_time_of_day = false;
  for (std::string_view value : values) {
    const std::optional<Decimal> number = read_decimal(value, 6);
    if (!number || number->negative || number->integer < kExcelSniffMin ||
        number->integer > kExcelSniffMax) {
      return false;
    }
    some_time_of_day = some_time_of_day || number->fraction_digits != 0;
  }
  return some_time_of_day || name_reads_as_date(column_name);
}

}  // namespace

std::string sniff_date_format(std::string_view column_name,
                              std::span<const std::string_view> samples, double min_fit) {
  std::vector<std::string_view> values;
  values.reserve(samples.size());
  for (std::string_view sample : samples) {
    sample = trim(sample);
    if (!sample.empty()) values.push_back(sample);
  }
  if (values.empty()) return "";
  // With min_fit < 1 a few impossible values ("2/30/2011", "n/a") do not hide the format of the
  // rest; they become rejected rows later.
  const auto needed =
      static_cast<std::size_t>(std::ceil(min_fit * static_cast<double>(values.size())));
  for (const Candidate& candidate : candidates()) {
    const std::size_t month_first = count_parsed(candidate.format, values);
    const std::size_t day_first =
        candidate.day_first ? count_parsed(*candidate.day_first, values) : 0;
    const bool fits = month_first >= needed && month_first >= day_first;
    if (candidate.day_first && day_first >= needed && day_first >= month_first) {
      if (fits) {
        // The example shows the date part, where the ambiguity is.
        const std::string_view example = values.front().substr(0, values.front().find(' '));
        throw Error(fmt::format(
            "column '{}': day/month order is ambiguous (every day and month ≤ 12, e.g. '{}'); "
            "give --date-format, e.g. --date-format '{}'",
            column_name, example, candidate.format.format()));
      }
      return candidate.day_first->format();
    }
    if (fits) return candidate.format.format();
  }
  if (all_unix_seconds(values)) return std::string(kUnixSecondsFormat);
  if (all_excel_serials(column_name, values)) return std::string(kExcelSerialFormat);
  return "";
}

}  // namespace custlens::io
