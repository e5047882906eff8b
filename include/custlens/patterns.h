// Sales patterns of order lines: revenue, orders and customers by country, month, weekday and
// hour, the peaks, and revenue by product category.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "custlens/orders.h"

namespace custlens {

/// A weekday with no sale on this many dates of the range or more counts as a closing day.
inline constexpr std::int64_t kClosedWeekdayMinDays = 4;

struct PatternOptions {
  /// TOML keyword -> category map applied to descriptions. "" = the shipped categories.toml
  /// ($CUSTLENS_SHARE_DIR, else the installed share/custlens, else the source share/), used only
  /// when the lines carry no category column; a path given here is always applied to them.
  std::string category_map;
};

/// One bucket of one dimension (a country, a month, a weekday or an hour).
struct PatternBucket {
  std::string key;     ///< country name ("Unknown" for none), "YYYY-MM", "Monday", or "0".."23"
  double revenue = 0;  ///< sum of line amounts
  std::int64_t orders = 0;     ///< distinct invoices; distinct customer-days when there are none
  std::int64_t customers = 0;  ///< distinct customers
  double revenue_share = 0;    ///< revenue / SalesPatterns::revenue (0 when that is 0)
  /// Months and weekdays: calendar days of this bucket inside the data's date range (first to
  /// last order day); 0 for countries and hours.
  std::int64_t days = 0;
  /// Months: the data's range covers only part of the month (the first or the last month).
  bool partial = false;
};

/// Revenue of one product category.
struct CategoryBucket {
  std::string category;  ///< a map category, an input category, or "Other"
  double revenue = 0;
  std::int64_t lines = 0;
  double revenue_share = 0;  ///< revenue / SalesPatterns::revenue (0 when that is 0)
};

struct SalesPatterns {
  double revenue = 0;                    ///< sum of all line amounts
  std::int64_t lines = 0;                ///< order lines seen
  std::vector<PatternBucket> countries;  ///< by revenue desc, ties by name; empty if no country
  std::vector<PatternBucket> months;     ///< every month from the first to the last, in order
  std::vector<PatternBucket> weekdays;   ///< Monday..Sunday, all seven
  /// 0..23, all 24; empty when the dates carry no time of day (has_time_of_day false).
  std::vector<PatternBucket> hours;
  /// False when every order time is at midnight (a date-only column): there is no hour pattern.
  bool has_time_of_day = false;
  std::string peak_month;        ///< highest revenue; ties go to the earliest
  std::string peak_weekday;      ///< highest revenue; ties go to the earliest from Monday
  std::optional<int> peak_hour;  ///< highest revenue, ties to the earliest; none without
                                 ///< a time of day
  /// Weekdays with no order although the date range holds at least kClosedWeekdayMinDays of
  /// them: the shop is likely closed that day (never named the quietest day). Monday first.
  std::vector<std::string> closed_weekdays;
  /// Months the date range covers only in part (see PatternBucket::partial), in order.
  std::vector<std::string> partial_months;
  /// By revenue desc, ties by name; only categories with lines. Empty when the lines have neither
  /// a category column nor descriptions.
  std::vector<CategoryBucket> categories;
  /// Where the categories came from: "column", the path of the keyword map, or "".
  std::string category_source;
};

/// Computes the patterns of cleaned order lines. Each distinct description is categorised once:
/// by the first keyword of the map (in file order) found in it as a whole word, ignoring case,
/// else "Other". Timestamps are naive seconds since 1970-01-01 (a Thursday). Throws
/// custlens::Error for no lines, lines whose columns disagree in length or hold out-of-range ids,
/// dates spanning more than 200 years, or a category map that cannot be read.
SalesPatterns compute_patterns(const OrderLines& lines, const PatternOptions& options = {});

}  // namespace custlens
