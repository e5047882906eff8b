// Sales patterns: per-dimension revenue, distinct orders and customers, peaks, and categories.
// Each dimension is one pass that maps rows to a small dense group id, then sums and counts
// distinct entities per group; no per-row maps or strings.
#include "custlens/patterns.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <span>
#include <string_view>

#include "analysis/categories.h"
#include "common/calendar.h"
#include "common/distinct.h"
#include "custlens/error.h"

namespace custlens {
namespace {

constexpr std::array<const char*, 7> kWeekdayNames = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                      "Friday", "Saturday", "Sunday"};
constexpr std::int64_t kMaxSpanDays = 200 * 366;  // guards group and customer-day id sizes

std::int64_t day_of(std::int64_t timestamp) {
  return common::floor_div(timestamp, common::kSecondsPerDay);
}

std::int64_t month_index_of(std::int64_t timestamp) {
  const common::CivilDate date = common::civil_from_days(day_of(timestamp));
  return static_cast<std::int64_t>(date.year) * 12 + (date.month - 1);
}

// What every dimension counts distinct: orders (invoices or customer-days) and customers.
struct Entities {
  std::span<const std::uint32_t> order;
  std::size_t num_orders = 0;
  std::span<const std::uint32_t> customer;
  std::size_t num_customers = 0;
};

// Sums and distinct counts per group; keys name the groups. Shares use `total`.
std::vector<PatternBucket> aggregate(std::span<const std::uint32_t> group,
                                     std::vector<std::string> keys, std::span<const double> amount,
                                     const Entities& entities, double total,
                                     std::vector<std::int64_t>* lines_per_group = nullptr) {
  const std::size_t num_groups = keys.size();
  std::vector<PatternBucket> buckets(num_groups);
  std::vector<std::int64_t> lines(num_groups, 0);
  for (std::size_t i = 0; i < group.size(); ++i) {
    buckets[group[i]].revenue += amount[i];
    ++lines[group[i]];
  }
  const auto orders =
      common::count_distinct_per_group(group, num_groups, entities.order, entities.num_orders);
  const auto customers = common::count_distinct_per_group(group, num_groups, entities.customer,
                                                          entities.num_customers);
  for (std::size_t g = 0; g < num_groups; ++g) {
    buckets[g].key = std::move(keys[g]);
    buckets[g].orders = orders[g];
    buckets[g].customers = customers[g];
    buckets[g].revenue_share = total != 0 ? buckets[g].revenue / total : 0.0;
  }
  if (lines_per_group != nullptr) *lines_per_group = std::move(lines);
  return buckets;
}

// Index of the highest revenue; the first wins ties.
std::size_t peak_of(const std::vector<PatternBucket>& buckets) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < buckets.size(); ++i) {
    if (buckets[i].revenue > buckets[best].revenue) best = i;
  }
  return best;
}

void check_shape(const OrderLines& lines) {
  const std::size_t n = lines.size();
  auto check = [&](std::size_t size, bool optional, const char* column) {
    if (size != n && !(optional && size == 0)) {
      throw Error(fmt::format("order lines are inconsistent: {} has {} entries for {} lines",
                              column, size, n));
    }
  };
  check(lines.timestamp.size(), false, "timestamp");
  check(lines.amount.size(), false, "amount");
  check(lines.invoice.size(), true, "invoice");
  check(lines.country.size(), true, "country");
  check(lines.description.size(), true, "description");
  check(lines.category.size(), true, "category");
  auto check_ids = [&](std::span<const std::uint32_t> ids, std::size_t names, bool nullable,
                       const char* column) {
    for (std::uint32_t id : ids) {
      if (id >= names && !(nullable && id == OrderLines::kNone)) {
        throw Error(fmt::format("order lines are inconsistent: {} id {} out of range", column, id));
      }
    }
  };
  check_ids(lines.customer, lines.customer_ids.size(), false, "customer");
  check_ids(lines.invoice, lines.invoice_ids.size(), false, "invoice");
  check_ids(lines.country, lines.country_names.size(), true, "country");
  check_ids(lines.description, lines.descriptions.size(), true, "description");
  check_ids(lines.category, lines.category_names.size(), true, "category");
  const auto [first, last] = std::minmax_element(lines.timestamp.begin(), lines.timestamp.end());
  if (day_of(*last) - day_of(*first) > kMaxSpanDays) {
    throw Error(
        fmt::format("order dates span more than 200 years ({} to {} days since 1970); "
                    "check the date column",
                    day_of(*first), day_of(*last)));
  }
}

// Dense ids of (customer, day) pairs: the orders of data without invoice numbers.
std::size_t customer_day_ids(const OrderLines& lines, std::vector<std::uint32_t>& ids) {
  const std::size_t n = lines.size();
  std::int64_t min_day = day_of(lines.timestamp[0]);
  for (std::int64_t t : lines.timestamp) min_day = std::min(min_day, day_of(t));
  std::vector<std::uint64_t> keys(n);
  for (std::size_t i = 0; i < n; ++i) {
    keys[i] = (static_cast<std::uint64_t>(lines.customer[i]) << 32) |
              static_cast<std::uint64_t>(day_of(lines.timestamp[i]) - min_day);
  }
  std::vector<std::uint64_t> distinct = keys;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  ids.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    ids[i] = static_cast<std::uint32_t>(
        std::lower_bound(distinct.begin(), distinct.end(), keys[i]) - distinct.begin());
  }
  return distinct.size();
}

std::vector<PatternBucket> country_buckets(const OrderLines& lines, const Entities& entities,
                                           double total, std::vector<std::uint32_t>& group) {
  if (lines.country.empty()) return {};
  std::vector<std::string> keys = lines.country_names;
  const auto unknown = static_cast<std::uint32_t>(keys.size());
  keys.emplace_back("Unknown");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    group[i] = lines.country[i] == OrderLines::kNone ? unknown : lines.country[i];
  }
  std::vector<std::int64_t> counts;
  auto buckets = aggregate(group, std::move(keys), lines.amount, entities, total, &counts);
  std::vector<PatternBucket> present;
  for (std::size_t g = 0; g < buckets.size(); ++g) {
    if (counts[g] > 0) present.push_back(std::move(buckets[g]));
  }
  std::sort(present.begin(), present.end(), [](const PatternBucket& a, const PatternBucket& b) {
    return a.revenue != b.revenue ? a.revenue > b.revenue : a.key < b.key;
  });
  return present;
}

std::vector<PatternBucket> month_buckets(const OrderLines& lines, const Entities& entities,
                                         double total, std::vector<std::uint32_t>& group) {
  std::int64_t first = month_index_of(lines.timestamp[0]);
  std::int64_t last = first;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::int64_t month = month_index_of(lines.timestamp[i]);
    first = std::min(first, month);
    last = std::max(last, month);
  }
  std::vector<std::string> keys;
  for (std::int64_t month = first; month <= last; ++month) {
    keys.push_back(fmt::format("{:04}-{:02}", common::floor_div(month, 12),
                               month - common::floor_div(month, 12) * 12 + 1));
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    group[i] = static_cast<std::uint32_t>(month_index_of(lines.timestamp[i]) - first);
  }
  auto buckets = aggregate(group, std::move(keys), lines.amount, entities, total);
  // Days of each month inside [first day, last day]: the first and last months may be partial.
  const auto [first_time, last_time] =
      std::minmax_element(lines.timestamp.begin(), lines.timestamp.end());
  const std::int64_t first_day = day_of(*first_time), last_day = day_of(*last_time);
  for (std::int64_t month = first; month <= last; ++month) {
    const int year = static_cast<int>(common::floor_div(month, 12));
    const int month_of_year = static_cast<int>(month - common::floor_div(month, 12) * 12) + 1;
    const std::int64_t begin = common::days_from_civil(year, month_of_year, 1);
    const std::int64_t end = month_of_year == 12
                                 ? common::days_from_civil(year + 1, 1, 1)
                                 : common::days_from_civil(year, month_of_year + 1, 1);
    PatternBucket& bucket = buckets[static_cast<std::size_t>(month - first)];
    bucket.days = std::min(end, last_day + 1) - std::max(begin, first_day);
    bucket.partial = bucket.days < end - begin;
  }
  return buckets;
}

std::vector<PatternBucket> weekday_buckets(const OrderLines& lines, const Entities& entities,
                                           double total, std::vector<std::uint32_t>& group) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    group[i] = static_cast<std::uint32_t>(common::weekday_from_days(day_of(lines.timestamp[i])));
  }
  auto buckets =
      aggregate(group, std::vector<std::string>(kWeekdayNames.begin(), kWeekdayNames.end()),
                lines.amount, entities, total);
  // How many of each weekday the range [first day, last day] holds: a weekday with no sale is a
  // closing day only when the range holds it often enough.
  const auto [first_time, last_time] =
      std::minmax_element(lines.timestamp.begin(), lines.timestamp.end());
  const std::int64_t first_day = day_of(*first_time);
  const std::int64_t span = day_of(*last_time) - first_day + 1;
  for (std::int64_t offset = 0; offset < std::min<std::int64_t>(span, 7); ++offset) {
    const auto weekday = static_cast<std::size_t>(common::weekday_from_days(first_day + offset));
    buckets[weekday].days = (span - offset + 6) / 7;
  }
  return buckets;
}

std::vector<PatternBucket> hour_buckets(const OrderLines& lines, const Entities& entities,
                                        double total, std::vector<std::uint32_t>& group) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::int64_t t = lines.timestamp[i];
    group[i] = static_cast<std::uint32_t>((t - day_of(t) * common::kSecondsPerDay) / 3600);
  }
  std::vector<std::string> keys;
  for (int hour = 0; hour < 24; ++hour) keys.push_back(std::to_string(hour));
  return aggregate(group, std::move(keys), lines.amount, entities, total);
}

// Category of every line as an index into `names`, from a category column or a keyword map.
struct LineCategories {
  std::vector<std::string> names;      // deduplicated; "Other" included
  std::vector<std::uint32_t> of_name;  // per category-name id (input or map): index into names
  std::uint32_t other = 0;             // index of "Other" in names
  std::vector<std::uint32_t> of_description;  // per description id: index into names
};

std::uint32_t intern_name(LineCategories& result,
                          absl::flat_hash_map<std::string, std::uint32_t>& index,
                          const std::string& name) {
  const auto [it, added] = index.try_emplace(name, static_cast<std::uint32_t>(result.names.size()));
  if (added) result.names.push_back(name);
  return it->second;
}

std::vector<CategoryBucket> category_buckets(const OrderLines& lines, const PatternOptions& options,
                                             double total, std::string& source) {
  const bool use_column = options.category_map.empty() && !lines.category.empty();
  if (!use_column && lines.description.empty()) return {};
  LineCategories result;
  absl::flat_hash_map<std::string, std::uint32_t> index;
  std::span<const std::uint32_t> line_ids;
  if (use_column) {
    source = "column";
    for (const std::string& name : lines.category_names) {
      result.of_name.push_back(intern_name(result, index, name));
    }
    result.other = intern_name(result, index, "Other");
    line_ids = lines.category;
  } else {
    source =
        options.category_map.empty() ? analysis::default_category_map_path() : options.category_map;
    const analysis::CategoryMap map = analysis::CategoryMap::load(source);
    for (const std::string& name : map.categories()) {
      result.of_name.push_back(intern_name(result, index, name));
    }
    result.other = intern_name(result, index, "Other");
    // Each distinct description is classified once; lines then look their category up.
    result.of_description.resize(lines.descriptions.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, lines.descriptions.size(), 256),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t d = range.begin(); d != range.end(); ++d) {
                          const std::uint32_t category = map.classify(lines.descriptions[d]);
                          result.of_description[d] = category == analysis::CategoryMap::kOther
                                                         ? result.other
                                                         : result.of_name[category];
                        }
                      });
    line_ids = lines.description;
  }
  const std::vector<std::uint32_t>& lookup = use_column ? result.of_name : result.of_description;

  std::vector<CategoryBucket> buckets(result.names.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::uint32_t id = line_ids[i];
    CategoryBucket& bucket = buckets[id == OrderLines::kNone ? result.other : lookup[id]];
    bucket.revenue += lines.amount[i];
    ++bucket.lines;
  }
  std::vector<CategoryBucket> present;
  for (std::size_t c = 0; c < buckets.size(); ++c) {
    if (buckets[c].lines == 0) continue;
    buckets[c].category = result.names[c];
    buckets[c].revenue_share = total != 0 ? buckets[c].revenue / total : 0.0;
    present.push_back(std::move(buckets[c]));
  }
  std::sort(present.begin(), present.end(), [](const CategoryBucket& a, const CategoryBucket& b) {
    return a.revenue != b.revenue ? a.revenue > b.revenue : a.category < b.category;
  });
  return present;
}

}  // namespace

SalesPatterns compute_patterns(const OrderLines& lines, const PatternOptions& options) {
  if (lines.size() == 0) throw Error("no order lines to compute sales patterns from");
  check_shape(lines);
  SalesPatterns patterns;
  patterns.lines = static_cast<std::int64_t>(lines.size());
  for (double amount : lines.amount) patterns.revenue += amount;

  std::vector<std::uint32_t> customer_days;
  Entities entities;
  entities.customer = lines.customer;
  entities.num_customers = lines.customer_ids.size();
  if (!lines.invoice.empty()) {
    entities.order = lines.invoice;
    entities.num_orders = lines.invoice_ids.size();
  } else {
    entities.num_orders = customer_day_ids(lines, customer_days);
    entities.order = customer_days;
  }

  std::vector<std::uint32_t> group(lines.size());  // reused by every dimension
  const double total = patterns.revenue;
  patterns.countries = country_buckets(lines, entities, total, group);
  patterns.months = month_buckets(lines, entities, total, group);
  patterns.weekdays = weekday_buckets(lines, entities, total, group);
  // A date-only column reads as midnight everywhere: then there is no hour-of-day pattern.
  patterns.has_time_of_day =
      std::any_of(lines.timestamp.begin(), lines.timestamp.end(),
                  [](std::int64_t t) { return t - day_of(t) * common::kSecondsPerDay != 0; });
  if (patterns.has_time_of_day) {
    patterns.hours = hour_buckets(lines, entities, total, group);
    patterns.peak_hour = static_cast<int>(peak_of(patterns.hours));
  }
  patterns.peak_month = patterns.months[peak_of(patterns.months)].key;
  patterns.peak_weekday = patterns.weekdays[peak_of(patterns.weekdays)].key;
  for (const PatternBucket& day : patterns.weekdays) {
    if (day.orders == 0 && day.days >= kClosedWeekdayMinDays) {
      patterns.closed_weekdays.push_back(day.key);
    }
  }
  for (const PatternBucket& month : patterns.months) {
    if (month.partial) patterns.partial_months.push_back(month.key);
  }
  patterns.categories = category_buckets(lines, options, total, patterns.category_source);
  return patterns;
}

}  // namespace custlens
