// Streaming sales patterns. Each line adds its amount to one group per dimension (in line order,
// so sums equal compute_patterns' bitwise) and meets the per-order and per-customer state: the
// (country, month, weekday, hour) combination of the entity's first line, which counts it once
// per group; a hash set of (group, entity) pairs is touched only when a later line of the same
// entity falls in another group.
#include "analysis/pattern_accumulator.h"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>

#include "common/calendar.h"
#include "custlens/error.h"

namespace custlens {
namespace {

constexpr std::array<const char*, 7> kWeekdayNames = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                      "Friday", "Saturday", "Sunday"};
constexpr std::int64_t kMaxSpanDays = 200 * 366;  // guards group and customer-day id sizes
// Months are slots around the first line's month. Lines within kMaxSpanDays of it lie within
// 2,410 months, so kMonthBias slots either side hold every date range finish() accepts.
constexpr std::int64_t kMonthBias = 4096;
constexpr std::size_t kMonthSlots = 2 * kMonthBias + 1;

enum Dimension : std::size_t { kCountry = 0, kMonth = 1, kWeekday = 2, kHour = 3 };

std::int64_t month_index_of_day(std::int64_t day) {
  const common::CivilDate date = common::civil_from_days(day);
  return static_cast<std::int64_t>(date.year) * 12 + (date.month - 1);
}

std::string month_key(std::int64_t month) {
  const std::int64_t year = common::floor_div(month, 12);
  return fmt::format("{:04}-{:02}", year, month - year * 12 + 1);
}

// Key of a (group, entity) pair in the per-dimension hash sets.
std::uint64_t pair_key(std::uint32_t group, std::uint32_t entity) {
  return (static_cast<std::uint64_t>(group) << 32) | entity;
}

double share_of(double revenue, double total) { return total != 0 ? revenue / total : 0.0; }

// Index of the highest revenue; the first wins ties.
std::size_t peak_of(const std::vector<PatternBucket>& buckets) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < buckets.size(); ++i) {
    if (buckets[i].revenue > buckets[best].revenue) best = i;
  }
  return best;
}

}  // namespace

PatternAccumulator::PatternAccumulator(const PatternOptions& options, bool has_invoice,
                                       bool has_country,
                                       const std::vector<std::string>* descriptions,
                                       const std::vector<std::string>* category_names)
    : has_invoice_(has_invoice),
      has_country_(has_country),
      month_revenue_(kMonthSlots, 0.0),
      description_names_(descriptions),
      category_column_names_(category_names) {
  if (has_country_) {
    country_revenue_.assign(1, 0.0);  // the Unknown bucket
    country_lines_.assign(1, 0);
  }
  if (options.category_map.empty() && category_names != nullptr) {
    category_source_ = CategorySource::kColumn;
    category_path_ = "column";
    other_ = intern_category("Other");
  } else if (descriptions != nullptr) {
    category_path_ =
        options.category_map.empty() ? analysis::default_category_map_path() : options.category_map;
    try {
      map_ = analysis::CategoryMap::load(category_path_);
    } catch (const Error& error) {
      map_error_ = error.what();  // compute_patterns reports it after the checks of the lines
      return;
    }
    category_source_ = CategorySource::kMap;
    for (const std::string& name : map_->categories()) {
      map_category_.push_back(intern_category(name));
    }
    other_ = intern_category("Other");
  }
}

PatternAccumulator::PatternAccumulator(const PatternOptions& options,
                                       const pipeline::LineNames& names)
    : PatternAccumulator(options, names.has_invoice, names.has_country,
                         names.has_description ? &names.descriptions : nullptr,
                         names.has_category ? &names.category_names : nullptr) {}

PatternAccumulator::PatternAccumulator(const PatternOptions& options, const OrderLines& lines)
    : PatternAccumulator(options, !lines.invoice.empty(), !lines.country.empty(),
                         lines.description.empty() ? nullptr : &lines.descriptions,
                         lines.category.empty() ? nullptr : &lines.category_names) {
  if (category_source_ == CategorySource::kMap) {
    // Every name is known: classify them all now, in parallel, rather than one by one in add().
    const std::vector<std::string>& names = *description_names_;
    category_of_id_.resize(names.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, names.size(), 256),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t d = range.begin(); d != range.end(); ++d) {
                          const std::uint32_t category = map_->classify(names[d]);
                          category_of_id_[d] = category == analysis::CategoryMap::kOther
                                                   ? other_
                                                   : map_category_[category];
                        }
                      });
  } else if (category_source_ == CategorySource::kColumn && !lines.category_names.empty()) {
    resolve_categories_through(static_cast<std::uint32_t>(lines.category_names.size() - 1));
  }
}

// The per-line path, inlined into the three entry points; rare cases call out.
[[gnu::always_inline]] inline void PatternAccumulator::add_line(const pipeline::KeptLine& line) {
  const std::int64_t day = common::floor_div(line.timestamp, common::kSecondsPerDay);
  if (day != day_) enter_day(day);
  ++lines_;
  const double amount = line.amount;
  revenue_ += amount;
  if (span_exceeded_) [[unlikely]] {
    return;
  }
  const std::int64_t second = line.timestamp - day * common::kSecondsPerDay;
  has_time_of_day_ = has_time_of_day_ || second != 0;
  const auto hour = static_cast<std::uint32_t>(second / 3600);
  month_revenue_[month_slot_] += amount;
  weekday_revenue_[weekday_] += amount;
  hour_revenue_[hour] += amount;
  std::uint32_t country = pipeline::kNoId;
  if (has_country_) {
    country = line.country;
    const std::uint32_t slot = country + 1;  // kNoId wraps to 0, the Unknown bucket
    if (slot >= country_revenue_.size()) [[unlikely]] {
      country_revenue_.resize(std::size_t{slot} + 1, 0.0);
      country_lines_.resize(std::size_t{slot} + 1, 0);
    }
    country_revenue_[slot] += amount;
    ++country_lines_[slot];
  }
  const std::uint64_t key =
      (static_cast<std::uint64_t>(country) << 32) | (month_slot_ << 8) | (weekday_ << 5) | hour;
  if (key != current_key_) {
    current_ = combination_of(key);
    current_key_ = key;
  }
  if (line.customer >= customers_.size() && !grow_customers(line.customer)) return;
  std::uint32_t order = line.invoice;
  if (!has_invoice_) {
    const auto offset = static_cast<std::int32_t>(day - base_day_);  // |offset| <= kMaxSpanDays
    const CustomerDay& latest = customer_days_[line.customer];
    order = latest.order != kUnseen && latest.day == offset
                ? latest.order
                : new_customer_day(line.customer, offset);
  }
  // Most lines repeat their order's and customer's groups: then nothing is left to count.
  if (order >= order_first_.size() || order_first_[order] != current_) note_order(order);
  if (customers_[line.customer].latest != current_) note_customer(line.customer);
  if (category_source_ != CategorySource::kNone) {
    const std::uint32_t id =
        category_source_ == CategorySource::kColumn ? line.category : line.description;
    std::uint32_t category = other_;
    if (id != pipeline::kNoId) {
      if (id >= category_of_id_.size() && !resolve_categories_through(id)) return;
      category = category_of_id_[id];
    }
    category_revenue_[category] += amount;
    ++category_lines_[category];
  }
}

void PatternAccumulator::add(const pipeline::KeptLine& line) { add_line(line); }

void PatternAccumulator::add(std::span<const pipeline::KeptLine> lines) {
  for (const pipeline::KeptLine& line : lines) add_line(line);
}

void PatternAccumulator::add_lines(const OrderLines& lines) {
  pipeline::KeptLine line;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    line.customer = lines.customer[i];
    line.invoice = has_invoice_ ? lines.invoice[i] : pipeline::kNoId;
    line.timestamp = lines.timestamp[i];
    line.amount = lines.amount[i];
    line.country = has_country_ ? lines.country[i] : pipeline::kNoId;
    line.description = lines.description.empty() ? pipeline::kNoId : lines.description[i];
    line.category = lines.category.empty() ? pipeline::kNoId : lines.category[i];
    add_line(line);
  }
}

void PatternAccumulator::enter_day(std::int64_t day) {
  day_ = day;
  if (!started_) {
    started_ = true;
    min_day_ = max_day_ = base_day_ = day;
    base_month_ = month_index_of_day(day);
  }
  min_day_ = std::min(min_day_, day);
  max_day_ = std::max(max_day_, day);
  if (max_day_ - min_day_ > kMaxSpanDays) {
    span_exceeded_ = true;
    return;
  }
  if (day < month_first_day_ || day >= month_end_day_) {
    const common::CivilDate date = common::civil_from_days(day);
    month_first_day_ = common::days_from_civil(date.year, date.month, 1);
    month_end_day_ = date.month == 12 ? common::days_from_civil(date.year + 1, 1, 1)
                                      : common::days_from_civil(date.year, date.month + 1, 1);
    const std::int64_t month = static_cast<std::int64_t>(date.year) * 12 + (date.month - 1);
    month_slot_ = static_cast<std::uint32_t>(month - base_month_ + kMonthBias);
  }
  weekday_ = static_cast<std::uint32_t>(common::weekday_from_days(day));
}

std::uint32_t PatternAccumulator::combination_of(std::uint64_t key) {
  const auto [it, added] =
      combination_ids_.try_emplace(key, static_cast<std::uint32_t>(combinations_.size()));
  if (added) {
    Combination combination;
    combination.group = {static_cast<std::uint32_t>(key >> 32), month_slot_, weekday_,
                         static_cast<std::uint32_t>(key & 31)};
    combinations_.push_back(combination);
  }
  return it->second;
}

bool PatternAccumulator::grow_customers(std::uint32_t customer) {
  if (customer == pipeline::kNoId) {
    bad_id_.emplace("customer", customer);
    return false;
  }
  customers_.resize(std::size_t{customer} + 1);
  if (!has_invoice_) customer_days_.resize(std::size_t{customer} + 1);
  return true;
}

std::uint32_t PatternAccumulator::new_customer_day(std::uint32_t customer,
                                                   std::int32_t day_offset) {
  const std::uint64_t key =
      (static_cast<std::uint64_t>(customer) << 32) | static_cast<std::uint32_t>(day_offset);
  const auto [it, added] =
      customer_day_ids_.try_emplace(key, static_cast<std::uint32_t>(customer_day_ids_.size()));
  customer_days_[customer] = CustomerDay{day_offset, it->second};
  return it->second;
}

void PatternAccumulator::note_order(std::uint32_t order) {
  if (order >= order_first_.size()) [[unlikely]] {
    if (order == pipeline::kNoId) {  // an invoice column with a null the scan should have dropped
      bad_id_.emplace("invoice", order);
      return;
    }
    order_first_.resize(std::size_t{order} + 1, kUnseen);
  }
  std::uint32_t& first = order_first_[order];
  if (first == current_) return;
  if (first == kUnseen) {
    first = current_;
    ++combinations_[current_].first_orders;
    return;
  }
  const Groups& now = combinations_[current_].group;
  const Groups& was = combinations_[first].group;
  for (std::size_t d = 0; d < kDimensions; ++d) {
    if (now[d] != was[d]) order_pairs_[d].insert(pair_key(now[d], order));
  }
}

void PatternAccumulator::note_customer(std::uint32_t customer) {
  CustomerState& state = customers_[customer];
  if (state.latest == current_) return;
  if (state.first == kUnseen) {
    state.first = state.latest = current_;
    ++combinations_[current_].first_customers;
    return;
  }
  const Groups& now = combinations_[current_].group;
  const Groups& first = combinations_[state.first].group;
  const Groups& latest = combinations_[state.latest].group;
  for (std::size_t d = 0; d < kDimensions; ++d) {
    // A group equal to the latest line's was recorded with it.
    if (now[d] != first[d] && now[d] != latest[d]) {
      customer_pairs_[d].insert(pair_key(now[d], customer));
    }
  }
  state.latest = current_;
}

bool PatternAccumulator::resolve_categories_through(std::uint32_t id) {
  const bool column = category_source_ == CategorySource::kColumn;
  const std::vector<std::string>& names = column ? *category_column_names_ : *description_names_;
  if (id >= names.size()) {
    bad_id_.emplace(column ? "category" : "description", id);
    return false;
  }
  for (std::size_t next = category_of_id_.size(); next <= id; ++next) {
    if (column) {
      category_of_id_.push_back(intern_category(names[next]));
    } else {
      const std::uint32_t category = map_->classify(names[next]);
      category_of_id_.push_back(
          category == analysis::CategoryMap::kOther ? other_ : map_category_[category]);
    }
  }
  return true;
}

std::uint32_t PatternAccumulator::intern_category(const std::string& name) {
  const auto [it, added] =
      category_index_.try_emplace(name, static_cast<std::uint32_t>(category_names_.size()));
  if (added) {
    category_names_.push_back(name);
    category_revenue_.push_back(0.0);
    category_lines_.push_back(0);
  }
  return it->second;
}

SalesPatterns PatternAccumulator::finish(const pipeline::LineNames& names) const {
  return build(
      names.country_names,
      NameCounts{names.customer_ids.size(),
                 std::max(names.invoice_ids.size(), names.invoice_count),
                 names.country_names.size(),
                 names.descriptions.size(), names.category_names.size()});
}

SalesPatterns PatternAccumulator::finish(const OrderLines& lines) const {
  return build(
      lines.country_names,
      NameCounts{lines.customer_ids.size(), lines.invoice_ids.size(), lines.country_names.size(),
                 lines.descriptions.size(), lines.category_names.size()});
}

SalesPatterns PatternAccumulator::build(std::span<const std::string> country_names,
                                        const NameCounts& counts) const {
  if (lines_ == 0) throw Error("no order lines to compute sales patterns from");
  auto out_of_range = [](const char* column, std::size_t id) {
    return Error(fmt::format("order lines are inconsistent: {} id {} out of range", column, id));
  };
  if (bad_id_) throw out_of_range(bad_id_->first, bad_id_->second);
  if (customers_.size() > counts.customers) throw out_of_range("customer", customers_.size() - 1);
  if (has_invoice_ && order_first_.size() > counts.invoices) {
    throw out_of_range("invoice", order_first_.size() - 1);
  }
  if (has_country_ && country_revenue_.size() - 1 > counts.countries) {
    throw out_of_range("country", country_revenue_.size() - 2);
  }
  if (category_source_ == CategorySource::kMap && category_of_id_.size() > counts.descriptions) {
    throw out_of_range("description", category_of_id_.size() - 1);
  }
  if (category_source_ == CategorySource::kColumn && category_of_id_.size() > counts.categories) {
    throw out_of_range("category", category_of_id_.size() - 1);
  }
  if (span_exceeded_) {
    throw Error(
        fmt::format("order dates span more than 200 years ({} to {} days since 1970); "
                    "check the date column",
                    min_day_, max_day_));
  }
  if (!map_error_.empty()) throw Error(map_error_);

  SalesPatterns patterns;
  patterns.lines = lines_;
  patterns.revenue = revenue_;
  const double total = revenue_;
  if (has_country_) patterns.countries = country_buckets(country_names, total);
  patterns.months = month_buckets(total);

  std::vector<std::int64_t> orders(7, 0), customers(7, 0);
  count_distinct(kWeekday, 0, orders, customers);
  // How many of each weekday the range [first day, last day] holds: a weekday with no sale is a
  // closing day only when the range holds it often enough.
  const std::int64_t span = max_day_ - min_day_ + 1;
  for (std::size_t weekday = 0; weekday < 7; ++weekday) {
    PatternBucket bucket;
    bucket.key = kWeekdayNames[weekday];
    bucket.revenue = weekday_revenue_[weekday];
    bucket.orders = orders[weekday];
    bucket.customers = customers[weekday];
    bucket.revenue_share = share_of(bucket.revenue, total);
    patterns.weekdays.push_back(std::move(bucket));
  }
  for (std::int64_t offset = 0; offset < std::min<std::int64_t>(span, 7); ++offset) {
    const auto weekday = static_cast<std::size_t>(common::weekday_from_days(min_day_ + offset));
    patterns.weekdays[weekday].days = (span - offset + 6) / 7;
  }

  // A date-only column reads as midnight everywhere: then there is no hour-of-day pattern.
  patterns.has_time_of_day = has_time_of_day_;
  if (has_time_of_day_) {
    orders.assign(24, 0);
    customers.assign(24, 0);
    count_distinct(kHour, 0, orders, customers);
    for (std::size_t hour = 0; hour < 24; ++hour) {
      PatternBucket bucket;
      bucket.key = std::to_string(hour);
      bucket.revenue = hour_revenue_[hour];
      bucket.orders = orders[hour];
      bucket.customers = customers[hour];
      bucket.revenue_share = share_of(bucket.revenue, total);
      patterns.hours.push_back(std::move(bucket));
    }
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
  if (category_source_ != CategorySource::kNone) {
    patterns.categories = category_buckets(total);
    patterns.category_source = category_path_;
  }
  return patterns;
}

void PatternAccumulator::count_distinct(std::size_t dimension, std::uint32_t shift,
                                        std::vector<std::int64_t>& orders,
                                        std::vector<std::int64_t>& customers) const {
  for (const Combination& combination : combinations_) {
    const std::uint32_t index = combination.group[dimension] + shift;
    orders[index] += combination.first_orders;
    customers[index] += combination.first_customers;
  }
  for (std::uint64_t key : order_pairs_[dimension]) {
    ++orders[static_cast<std::uint32_t>(key >> 32) + shift];
  }
  for (std::uint64_t key : customer_pairs_[dimension]) {
    ++customers[static_cast<std::uint32_t>(key >> 32) + shift];
  }
}

std::vector<PatternBucket> PatternAccumulator::country_buckets(
    std::span<const std::string> country_names, double total) const {
  std::vector<std::int64_t> orders(country_revenue_.size(), 0);
  std::vector<std::int64_t> customers(country_revenue_.size(), 0);
  count_distinct(kCountry, 1, orders, customers);  // kNoId + 1 wraps to slot 0, Unknown
  std::vector<PatternBucket> present;
  auto add_present = [&](std::size_t slot, const std::string& key) {
    if (country_lines_[slot] == 0) return;
    PatternBucket bucket;
    bucket.key = key;
    bucket.revenue = country_revenue_[slot];
    bucket.orders = orders[slot];
    bucket.customers = customers[slot];
    bucket.revenue_share = share_of(bucket.revenue, total);
    present.push_back(std::move(bucket));
  };
  // Names in id order, then Unknown: compute_patterns' order before the sort, for equal keys.
  for (std::size_t slot = 1; slot < country_revenue_.size(); ++slot) {
    add_present(slot, country_names[slot - 1]);
  }
  add_present(0, "Unknown");
  std::sort(present.begin(), present.end(), [](const PatternBucket& a, const PatternBucket& b) {
    return a.revenue != b.revenue ? a.revenue > b.revenue : a.key < b.key;
  });
  return present;
}

std::vector<PatternBucket> PatternAccumulator::month_buckets(double total) const {
  std::vector<std::int64_t> orders(kMonthSlots, 0), customers(kMonthSlots, 0);
  count_distinct(kMonth, 0, orders, customers);
  // Days of each month inside [first day, last day]: the first and last months may be partial.
  const std::int64_t first = month_index_of_day(min_day_), last = month_index_of_day(max_day_);
  std::vector<PatternBucket> buckets;
  for (std::int64_t month = first; month <= last; ++month) {
    const auto slot = static_cast<std::size_t>(month - base_month_ + kMonthBias);
    PatternBucket bucket;
    bucket.key = month_key(month);
    bucket.revenue = month_revenue_[slot];
    bucket.orders = orders[slot];
    bucket.customers = customers[slot];
    bucket.revenue_share = share_of(bucket.revenue, total);
    const int year = static_cast<int>(common::floor_div(month, 12));
    const int month_of_year = static_cast<int>(month - common::floor_div(month, 12) * 12) + 1;
    const std::int64_t begin = common::days_from_civil(year, month_of_year, 1);
    const std::int64_t end = month_of_year == 12
                                 ? common::days_from_civil(year + 1, 1, 1)
                                 : common::days_from_civil(year, month_of_year + 1, 1);
    bucket.days = std::min(end, max_day_ + 1) - std::max(begin, min_day_);
    bucket.partial = bucket.days < end - begin;
    buckets.push_back(std::move(bucket));
  }
  return buckets;
}

std::vector<CategoryBucket> PatternAccumulator::category_buckets(double total) const {
  std::vector<CategoryBucket> present;
  for (std::size_t c = 0; c < category_names_.size(); ++c) {
    if (category_lines_[c] == 0) continue;
    CategoryBucket bucket;
    bucket.category = category_names_[c];
    bucket.revenue = category_revenue_[c];
    bucket.lines = category_lines_[c];
    bucket.revenue_share = share_of(bucket.revenue, total);
    present.push_back(std::move(bucket));
  }
  // Names are distinct, so the order is total and independent of the order names were met in.
  std::sort(present.begin(), present.end(), [](const CategoryBucket& a, const CategoryBucket& b) {
    return a.revenue != b.revenue ? a.revenue > b.revenue : a.category < b.category;
  });
  return present;
}

}  // namespace custlens
