// Sales patterns of order lines: revenue, orders and customers by country, month, weekday and
// hour, the peaks, and revenue by product category.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "custlens/orders.h"

namespace custlens {

struct PatternOptions {
  /// TOML keyword -> category map applied to descriptions. "" = the shipped categories.toml in
  /// $CUSTLENS_SHARE_DIR (else the build's share/), used only when the lines carry no category
  /// column; a path given here is always applied to the descriptions.
  std::string category_map;
};

/// One bucket of one dimension (a country, a month, a weekday or an hour).
struct PatternBucket {
  std::string key;     ///< country name ("Unknown" for none), "YYYY-MM", "Monday", or "0".."23"
  double revenue = 0;  ///< sum of line amounts
  std::int64_t orders = 0;     ///< distinct invoices; distinct customer-days when there are none
  std::int64_t customers = 0;  ///< distinct customers
  double revenue_share = 0;    ///< revenue / SalesPatterns::revenue (0 when that is 0)
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
  std::vector<PatternBucket> hours;      ///< 0..23, all 24
  std::string peak_month;                ///< highest revenue; ties go to the earliest
  std::string peak_weekday;              ///< highest revenue; ties go to the earliest from Monday
  int peak_hour = 0;                     ///< highest revenue; ties go to the earliest
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
