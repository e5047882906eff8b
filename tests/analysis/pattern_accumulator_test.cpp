// The streaming PatternAccumulator: fed line by line with ids dense in order of first appearance
// and names that grow as the scan goes (as the pipeline's scan does), it must equal
// compute_patterns on the same lines field by field, doubles bitwise, and an independent naive
// reference (ordered maps and sets per group, std::chrono calendar, sums in line order).
#include "analysis/pattern_accumulator.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "analysis/categories.h"
#include "analysis/order_lines_builder.h"
#include "custlens/clean.h"
#include "custlens/error.h"
#include "custlens/ingest.h"
#include "custlens/roles.h"
#include "support/order_csv.h"
#include "support/patterns_golden.h"

namespace custlens {
namespace {

namespace chrono = std::chrono;
using pipeline::kNoId;

constexpr std::int64_t kDay = 86400;

// ------------------------------------------------------------------------------------------------
// The scan as the pipeline runs it: dense ids in order of first appearance, a name appended to
// LineNames just before the first line that uses it is handed over, lines one by one or in spans.

class DenseIds {
 public:
  DenseIds(const std::vector<std::string>& source, std::vector<std::string>& names)
      : source_(source), names_(names), dense_(source.size(), kNoId) {}
  std::uint32_t operator()(std::uint32_t id) {
    if (id == OrderLines::kNone) return kNoId;
    if (dense_[id] == kNoId) {
      dense_[id] = static_cast<std::uint32_t>(names_.size());
      names_.push_back(source_[id]);
    }
    return dense_[id];
  }

 private:
  const std::vector<std::string>& source_;
  std::vector<std::string>& names_;
  std::vector<std::uint32_t> dense_;
};

SalesPatterns stream(const OrderLines& lines, const PatternOptions& options) {
  pipeline::LineNames names;
  names.has_invoice = !lines.invoice.empty();
  names.has_country = !lines.country.empty();
  names.has_description = !lines.description.empty();
  names.has_category = !lines.category.empty();
  PatternAccumulator accumulator(options, names);
  DenseIds customer(lines.customer_ids, names.customer_ids);
  DenseIds invoice(lines.invoice_ids, names.invoice_ids);
  DenseIds country(lines.country_names, names.country_names);
  DenseIds description(lines.descriptions, names.descriptions);
  DenseIds category(lines.category_names, names.category_names);
  std::vector<pipeline::KeptLine> batch;  // every other run of lines goes in as one span
  for (std::size_t i = 0; i < lines.size(); ++i) {
    pipeline::KeptLine line;
    line.customer = customer(lines.customer[i]);
    if (names.has_invoice) line.invoice = invoice(lines.invoice[i]);
    line.timestamp = lines.timestamp[i];
    line.amount = lines.amount[i];
    if (names.has_country) line.country = country(lines.country[i]);
    if (names.has_description) line.description = description(lines.description[i]);
    if (names.has_category) line.category = category(lines.category[i]);
    if (i / 5 % 2 == 0) {
      accumulator.add(line);
    } else {
      batch.push_back(line);
      if (batch.size() == 5) {
        accumulator.add(batch);
        batch.clear();
      }
    }
  }
  accumulator.add(batch);
  return accumulator.finish(names);
}

// ------------------------------------------------------------------------------------------------
// The naive reference.

std::int64_t naive_day(std::int64_t timestamp) {
  return static_cast<std::int64_t>(
      chrono::floor<chrono::days>(chrono::sys_seconds(chrono::seconds(timestamp)))
          .time_since_epoch()
          .count());
}

chrono::year_month_day naive_date(std::int64_t day) {
  return chrono::year_month_day(chrono::sys_days(chrono::days(day)));
}

std::int64_t naive_month(std::int64_t day) {
  const chrono::year_month_day date = naive_date(day);
  return static_cast<std::int64_t>(static_cast<int>(date.year())) * 12 +
         static_cast<unsigned>(date.month()) - 1;
}

std::size_t naive_weekday(std::int64_t day) {  // Monday = 0
  return chrono::weekday(chrono::sys_days(chrono::days(day))).iso_encoding() - 1;
}

struct NaiveGroup {
  double revenue = 0;
  std::int64_t lines = 0;
  std::set<std::int64_t> orders;
  std::set<std::uint32_t> customers;
};

PatternBucket naive_bucket(const std::string& key, const NaiveGroup& group, double total) {
  PatternBucket bucket;
  bucket.key = key;
  bucket.revenue = group.revenue;
  bucket.orders = static_cast<std::int64_t>(group.orders.size());
  bucket.customers = static_cast<std::int64_t>(group.customers.size());
  bucket.revenue_share = total != 0 ? group.revenue / total : 0.0;
  return bucket;
}

std::string naive_peak(const std::vector<PatternBucket>& buckets) {
  std::size_t best = 0;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    if (buckets[i].revenue > buckets[best].revenue) best = i;
  }
  return buckets[best].key;
}

SalesPatterns naive_patterns(const OrderLines& lines, const PatternOptions& options) {
  const bool use_column = options.category_map.empty() && !lines.category.empty();
  const std::string map_path =
      options.category_map.empty() ? analysis::default_category_map_path() : options.category_map;
  std::optional<analysis::CategoryMap> map;
  if (!use_column && !lines.description.empty()) map = analysis::CategoryMap::load(map_path);

  SalesPatterns p;
  std::map<std::int64_t, NaiveGroup> countries, months, weekdays, hours;  // country -1 = Unknown
  std::map<std::string, NaiveGroup> categories;
  std::int64_t first_day = naive_day(lines.timestamp[0]), last_day = first_day;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::int64_t t = lines.timestamp[i];
    const std::int64_t day = naive_day(t);
    first_day = std::min(first_day, day);
    last_day = std::max(last_day, day);
    const double amount = lines.amount[i];
    p.revenue += amount;
    ++p.lines;
    const std::int64_t order = lines.invoice.empty()
                                   ? static_cast<std::int64_t>(lines.customer[i]) * 10'000'000 + day
                                   : lines.invoice[i];
    auto count = [&](NaiveGroup& group) {
      group.revenue += amount;
      ++group.lines;
      group.orders.insert(order);
      group.customers.insert(lines.customer[i]);
    };
    if (!lines.country.empty()) {
      const std::uint32_t country = lines.country[i];
      count(countries[country == OrderLines::kNone ? -1 : static_cast<std::int64_t>(country)]);
    }
    count(months[naive_month(day)]);
    count(weekdays[static_cast<std::int64_t>(naive_weekday(day))]);
    const std::int64_t second = t - day * kDay;
    p.has_time_of_day = p.has_time_of_day || second != 0;
    count(hours[second / 3600]);
    std::string category = "Other";
    if (use_column && lines.category[i] != OrderLines::kNone) {
      category = lines.category_names[lines.category[i]];
    } else if (map && lines.description[i] != OrderLines::kNone) {
      const std::uint32_t c = map->classify(lines.descriptions[lines.description[i]]);
      if (c != analysis::CategoryMap::kOther) category = map->categories()[c];
    }
    if (use_column || map) count(categories[category]);
  }
  const double total = p.revenue;

  for (std::size_t id = 0; id < lines.country_names.size(); ++id) {
    const auto found = countries.find(static_cast<std::int64_t>(id));
    if (found != countries.end()) {
      p.countries.push_back(naive_bucket(lines.country_names[id], found->second, total));
    }
  }
  if (countries.contains(-1)) p.countries.push_back(naive_bucket("Unknown", countries[-1], total));
  std::stable_sort(p.countries.begin(), p.countries.end(), [](const auto& a, const auto& b) {
    return a.revenue != b.revenue ? a.revenue > b.revenue : a.key < b.key;
  });

  std::map<std::int64_t, std::int64_t> days_in_range_of_month;
  std::array<std::int64_t, 7> days_in_range_of_weekday{};
  for (std::int64_t day = first_day; day <= last_day; ++day) {
    ++days_in_range_of_month[naive_month(day)];
    ++days_in_range_of_weekday[naive_weekday(day)];
  }
  for (std::int64_t month = naive_month(first_day); month <= naive_month(last_day); ++month) {
    const chrono::year year(static_cast<int>(std::floor(static_cast<double>(month) / 12)));
    const chrono::month month_of_year(
        static_cast<unsigned>(month - static_cast<int>(year) * 12 + 1));
    PatternBucket bucket = naive_bucket(
        fmt::format("{:04}-{:02}", static_cast<int>(year), static_cast<unsigned>(month_of_year)),
        months[month], total);
    bucket.days = days_in_range_of_month[month];
    bucket.partial =
        bucket.days < static_cast<unsigned>(
                          chrono::year_month_day_last(year / month_of_year / chrono::last).day());
    if (bucket.partial) p.partial_months.push_back(bucket.key);
    p.months.push_back(bucket);
  }
  const char* names[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                         "Friday", "Saturday", "Sunday"};
  for (std::int64_t weekday = 0; weekday < 7; ++weekday) {
    PatternBucket bucket = naive_bucket(names[weekday], weekdays[weekday], total);
    bucket.days = days_in_range_of_weekday[static_cast<std::size_t>(weekday)];
    if (bucket.orders == 0 && bucket.days >= kClosedWeekdayMinDays) {
      p.closed_weekdays.push_back(bucket.key);
    }
    p.weekdays.push_back(bucket);
  }
  if (p.has_time_of_day) {
    for (std::int64_t hour = 0; hour < 24; ++hour) {
      p.hours.push_back(naive_bucket(std::to_string(hour), hours[hour], total));
    }
    p.peak_hour = std::stoi(naive_peak(p.hours));
  }
  p.peak_month = naive_peak(p.months);
  p.peak_weekday = naive_peak(p.weekdays);
  for (const auto& [name, group] : categories) {
    p.categories.push_back(
        CategoryBucket{name, group.revenue, group.lines, total != 0 ? group.revenue / total : 0.0});
  }
  std::stable_sort(p.categories.begin(), p.categories.end(), [](const auto& a, const auto& b) {
    return a.revenue != b.revenue ? a.revenue > b.revenue : a.category < b.category;
  });
  if (use_column) p.category_source = "column";
  if (map) p.category_source = map_path;
  return p;
}

// ------------------------------------------------------------------------------------------------
// Field-by-field equality, doubles bitwise.

void expect_same_bits(double expected, double actual, const std::string& what) {
  EXPECT_EQ(std::bit_cast<std::uint64_t>(expected), std::bit_cast<std::uint64_t>(actual))
      << what << ": expected " << fmt::format("{:.17g}", expected) << ", got "
      << fmt::format("{:.17g}", actual);
}

void expect_same_buckets(const std::vector<PatternBucket>& expected,
                         const std::vector<PatternBucket>& actual, const std::string& what) {
  ASSERT_EQ(expected.size(), actual.size()) << what;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const std::string where = fmt::format("{} #{} {}", what, i, expected[i].key);
    EXPECT_EQ(expected[i].key, actual[i].key) << where;
    expect_same_bits(expected[i].revenue, actual[i].revenue, where + " revenue");
    EXPECT_EQ(expected[i].orders, actual[i].orders) << where;
    EXPECT_EQ(expected[i].customers, actual[i].customers) << where;
    expect_same_bits(expected[i].revenue_share, actual[i].revenue_share, where + " share");
    EXPECT_EQ(expected[i].days, actual[i].days) << where;
    EXPECT_EQ(expected[i].partial, actual[i].partial) << where;
  }
}

void expect_identical(const SalesPatterns& expected, const SalesPatterns& actual) {
  expect_same_bits(expected.revenue, actual.revenue, "revenue");
  EXPECT_EQ(expected.lines, actual.lines);
  expect_same_buckets(expected.countries, actual.countries, "country");
  expect_same_buckets(expected.months, actual.months, "month");
  expect_same_buckets(expected.weekdays, actual.weekdays, "weekday");
  expect_same_buckets(expected.hours, actual.hours, "hour");
  EXPECT_EQ(expected.has_time_of_day, actual.has_time_of_day);
  EXPECT_EQ(expected.peak_month, actual.peak_month);
  EXPECT_EQ(expected.peak_weekday, actual.peak_weekday);
  EXPECT_EQ(expected.peak_hour, actual.peak_hour);
  EXPECT_EQ(expected.closed_weekdays, actual.closed_weekdays);
  EXPECT_EQ(expected.partial_months, actual.partial_months);
  ASSERT_EQ(expected.categories.size(), actual.categories.size());
  for (std::size_t i = 0; i < expected.categories.size(); ++i) {
    const CategoryBucket& e = expected.categories[i];
    const CategoryBucket& a = actual.categories[i];
    EXPECT_EQ(e.category, a.category) << "category #" << i;
    expect_same_bits(e.revenue, a.revenue, "category " + e.category + " revenue");
    EXPECT_EQ(e.lines, a.lines) << e.category;
    expect_same_bits(e.revenue_share, a.revenue_share, "category " + e.category + " share");
  }
  EXPECT_EQ(expected.category_source, actual.category_source);
}

// ------------------------------------------------------------------------------------------------
// Random order lines.

struct Shape {
  bool invoice = true, country = true, description = true, category = true;
  bool date_only = false;
  bool sorted = true;
  bool before_epoch = false;  // dates around 1970-01-01
  std::uint64_t seed = 1;
};

std::string describe(const Shape& s) {
  return fmt::format(
      "invoice={} country={} description={} category={} date_only={} sorted={} "
      "before_epoch={} seed={}",
      s.invoice, s.country, s.description, s.category, s.date_only, s.sorted, s.before_epoch,
      s.seed);
}

class Random {  // splitmix64: the same numbers on every platform
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  std::uint32_t below(std::uint64_t n) { return static_cast<std::uint32_t>(next() % n); }
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

// Names in a shuffled dictionary order (ids are not in order of first appearance), with unused
// entries.
std::vector<std::uint32_t> shuffled_ids(std::size_t n, Random& random) {
  std::vector<std::uint32_t> ids(n);
  for (std::uint32_t i = 0; i < n; ++i) ids[i] = i;
  for (std::size_t i = n; i > 1; --i) std::swap(ids[i - 1], ids[random.below(i)]);
  return ids;
}

OrderLines random_lines(const Shape& shape, std::size_t target_lines) {
  Random random(shape.seed);
  OrderLines lines;
  const std::size_t customers = 25 + random.below(60);
  for (std::size_t c = 0; c < customers + 3; ++c)
    lines.customer_ids.push_back(fmt::format("c{}", c));
  const std::vector<std::uint32_t> customer_id = shuffled_ids(customers + 3, random);
  const std::vector<std::string> countries = {"France", "Unknown", "Germany", "EIRE",
                                              "Spain",  "Norway",  "Japan"};
  if (shape.country) lines.country_names = countries;
  const std::vector<std::string> descriptions = {"WHITE HANGING HEART T-LIGHT HOLDER",
                                                 "JUMBO BAG RED RETROSPOT",
                                                 "PARTY BUNTING",
                                                 "REGENCY CAKESTAND 3 TIER",
                                                 "WASHBAG FLORAL",
                                                 "christmas bauble gold",
                                                 "ASSORTED COLOUR BIRD ORNAMENT",
                                                 "SET OF 3 CAKE CASES",
                                                 "PAPER CHAIN KIT 50S",
                                                 "SPACEBOY LUNCH BOX",
                                                 "LANTERN",
                                                 "Candle and bag",
                                                 "",
                                                 "POSTAGE",
                                                 "HAND WARMER UNION JACK"};
  if (shape.description) lines.descriptions = descriptions;
  const std::vector<std::string> categories = {"Toys", "Garden", "Other", "Kitchen", "Lighting"};
  if (shape.category) lines.category_names = categories;

  const std::int64_t start_day =
      shape.before_epoch ? -40 : 14944 + static_cast<std::int64_t>(random.below(400));
  const std::int64_t range_days = 30 + random.below(500);
  std::int64_t order_number = 0;
  std::int64_t sorted_day = start_day;
  while (lines.size() < target_lines) {
    // One order: its customer, time and country; some of its lines stray to another customer,
    // another time (other hours, days, months) or another country.
    const std::uint32_t customer = customer_id[random.below(customers)];
    std::int64_t day = start_day + random.below(range_days);
    if (shape.sorted) {
      sorted_day += random.below(3) == 0 ? 1 : 0;
      day = sorted_day;
    }
    const std::int64_t time = shape.date_only ? 0 : 8 * 3600 + random.below(12 * 3600);
    const std::uint32_t country = random.below(5);  // 5 and 6 never used
    const std::size_t order_lines = 1 + random.below(8);
    const auto invoice = static_cast<std::uint32_t>(order_number++);
    for (std::size_t k = 0; k < order_lines; ++k) {
      lines.customer.push_back(random.chance(0.1) ? customer_id[random.below(customers)]
                                                  : customer);
      if (shape.invoice) lines.invoice.push_back(invoice);
      std::int64_t t = day * kDay + time;
      if (random.chance(0.08)) {
        t += (static_cast<std::int64_t>(random.below(90)) - 45) * kDay;
        if (!shape.date_only) t += static_cast<std::int64_t>(random.below(24)) * 3600;
      }
      lines.timestamp.push_back(t);
      // Amounts of many magnitudes and both signs, so that the order of a sum shows in its bits.
      const double magnitude = std::pow(10.0, static_cast<double>(random.below(6)) - 2);
      lines.amount.push_back((random.uniform() * 120 - 10) * magnitude);
      if (shape.country) {
        lines.country.push_back(random.chance(0.1)    ? OrderLines::kNone
                                : random.chance(0.05) ? random.below(5)
                                                      : country);
      }
      if (shape.description) {
        lines.description.push_back(random.chance(0.05) ? OrderLines::kNone
                                                        : random.below(descriptions.size()));
      }
      if (shape.category) {
        lines.category.push_back(random.chance(0.1) ? OrderLines::kNone
                                                    : random.below(categories.size() - 1));
      }
    }
  }
  if (shape.invoice) {
    // Invoice numbers in a shuffled dictionary, some unused.
    const std::vector<std::uint32_t> invoice_id =
        shuffled_ids(static_cast<std::size_t>(order_number) + 5, random);
    for (std::size_t i = 0; i < invoice_id.size(); ++i) {
      lines.invoice_ids.push_back(fmt::format("{}", 536365 + i));
    }
    for (std::uint32_t& invoice : lines.invoice) invoice = invoice_id[invoice];
  }
  if (!shape.sorted) {
    // Lines in no order at all: an invoice's lines apart, dates up and down.
    const std::vector<std::uint32_t> order = shuffled_ids(lines.size(), random);
    auto permute = [&](auto& column) {
      if (column.empty()) return;
      auto copy = column;
      for (std::size_t i = 0; i < order.size(); ++i) column[i] = copy[order[i]];
    };
    permute(lines.customer);
    permute(lines.invoice);
    permute(lines.timestamp);
    permute(lines.amount);
    permute(lines.country);
    permute(lines.description);
    permute(lines.category);
  }
  return lines;
}

TEST(PatternAccumulatorTest, RandomLinesEqualComputePatternsAndANaiveReference) {
  int cases = 0;
  for (int columns = 0; columns < 16; ++columns) {
    for (int variant = 0; variant < 6; ++variant) {
      Shape shape;
      shape.invoice = (columns & 1) != 0;
      shape.country = (columns & 2) != 0;
      shape.description = (columns & 4) != 0;
      shape.category = (columns & 8) != 0;
      shape.date_only = (variant & 1) != 0;
      shape.sorted = variant < 2;
      shape.before_epoch = variant >= 4;
      shape.seed = static_cast<std::uint64_t>(1000 + columns * 10 + variant);
      SCOPED_TRACE(describe(shape));
      const OrderLines lines = random_lines(shape, 1500 + 100 * static_cast<std::size_t>(variant));
      const SalesPatterns batch = compute_patterns(lines, {});
      expect_identical(naive_patterns(lines, {}), batch);
      expect_identical(batch, stream(lines, {}));
      ++cases;
      if (::testing::Test::HasFailure()) return;  // one case's differences are enough to read
    }
  }
  EXPECT_EQ(cases, 96);
}

TEST(PatternAccumulatorTest, AGivenMapClassifiesDescriptionsDespiteACategoryColumn) {
  testing::TempFile map(
      "map.toml",
      "[[category]]\nname = \"Bags and more\"\nkeywords = [\"BAG\", \"LANTERN\"]\n"
      "[[category]]\nname = \"Seasonal\"\nkeywords = [\"CHRISTMAS\", \"T-LIGHT\"]\n"
      "[[category]]\nname = \"Bags and more\"\nkeywords = [\"CAKE CASES\"]\n");
  PatternOptions options;
  options.category_map = map.path();
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    Shape shape;
    shape.seed = seed;
    shape.sorted = seed % 2 == 0;
    SCOPED_TRACE(describe(shape));
    const OrderLines lines = random_lines(shape, 2000);
    const SalesPatterns batch = compute_patterns(lines, options);
    EXPECT_EQ(batch.category_source, map.path());
    ASSERT_EQ(batch.categories.size(), 3u);  // two names, "Bags and more" twice in the map
    expect_identical(naive_patterns(lines, options), batch);
    expect_identical(batch, stream(lines, options));
  }
}

// Dates just inside the 200-year limit: 2,400 months, all listed; the accumulator's month slots
// must hold them whichever end comes first.
TEST(PatternAccumulatorTest, DatesNearlyTwoCenturiesApart) {
  for (bool late_first : {false, true}) {
    OrderLines lines;
    lines.customer_ids = {"a", "b"};
    lines.invoice_ids = {"1", "2", "3"};
    const std::int64_t early = testing::days_from_civil(1850, 3, 2) * kDay + 3600;
    const std::int64_t late = early + 200 * 366 * kDay;  // exactly kMaxSpanDays apart
    const std::int64_t middle = testing::days_from_civil(1950, 7, 15) * kDay;
    for (std::int64_t t :
         late_first ? std::vector{late, middle, early} : std::vector{early, middle, late}) {
      lines.invoice.push_back(static_cast<std::uint32_t>(lines.size()));
      lines.customer.push_back(static_cast<std::uint32_t>(lines.size() % 2));
      lines.timestamp.push_back(t);
      lines.amount.push_back(1.5);
    }
    const SalesPatterns batch = compute_patterns(lines, {});
    EXPECT_GT(batch.months.size(), 2400u);
    EXPECT_EQ(batch.months.front().key, "1850-03");
    expect_identical(naive_patterns(lines, {}), batch);
    expect_identical(batch, stream(lines, {}));
  }
}

// ------------------------------------------------------------------------------------------------
// Errors: the messages of compute_patterns.

std::string accumulator_error_of(const std::function<void()>& run) {
  try {
    run();
  } catch (const Error& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(PatternAccumulatorTest, ErrorsAreThoseOfComputePatterns) {
  const OrderLines none;
  EXPECT_EQ(accumulator_error_of([&] { stream(none, {}); }), accumulator_error_of([&] { compute_patterns(none, {}); }));
  EXPECT_NE(accumulator_error_of([&] { compute_patterns(none, {}); }), "(no error)");

  Shape shape;
  OrderLines far_apart = random_lines(shape, 50);
  far_apart.timestamp[20] = std::int64_t{300} * 366 * kDay;
  far_apart.timestamp[30] = -std::int64_t{5} * 366 * kDay;
  const std::string span_error = accumulator_error_of([&] { compute_patterns(far_apart, {}); });
  EXPECT_NE(span_error.find("more than 200 years"), std::string::npos) << span_error;
  EXPECT_EQ(accumulator_error_of([&] { stream(far_apart, {}); }), span_error);

  PatternOptions missing_map;
  missing_map.category_map = "/no/such/categories.toml";
  const std::string map_error = accumulator_error_of([&] { compute_patterns(far_apart, missing_map); });
  EXPECT_EQ(map_error, span_error);  // the lines are checked before the map
  const OrderLines lines = random_lines(shape, 50);
  EXPECT_NE(accumulator_error_of([&] { compute_patterns(lines, missing_map); }).find("/no/such/"),
            std::string::npos);
  EXPECT_EQ(accumulator_error_of([&] { stream(lines, missing_map); }),
            accumulator_error_of([&] { compute_patterns(lines, missing_map); }));
}

TEST(PatternAccumulatorTest, AnIdWithoutANameIsAnError) {
  pipeline::LineNames names;
  names.has_description = true;
  PatternAccumulator accumulator({}, names);
  pipeline::KeptLine line;
  line.timestamp = 15000 * kDay;
  line.amount = 2;
  line.description = 0;  // names.descriptions is still empty
  accumulator.add(line);
  names.customer_ids = {"c"};
  names.descriptions = {"BAG"};
  EXPECT_EQ(accumulator_error_of([&] { accumulator.finish(names); }),
            "order lines are inconsistent: description id 0 out of range");

  pipeline::LineNames with_invoice;
  with_invoice.has_invoice = true;
  with_invoice.customer_ids = {"c"};
  PatternAccumulator no_invoice_id({}, with_invoice);
  line.description = kNoId;
  no_invoice_id.add(line);  // an invoice column, but the line has none
  EXPECT_NE(accumulator_error_of([&] { no_invoice_id.finish(with_invoice); }).find("invoice id"),
            std::string::npos);

  PatternAccumulator unknown_customer({}, names);
  line.customer = 1;
  unknown_customer.add(line);
  EXPECT_EQ(accumulator_error_of([&] { unknown_customer.finish(names); }),
            "order lines are inconsistent: customer id 1 out of range");
}

// ------------------------------------------------------------------------------------------------
// Goldens (tests/reference/patterns_reference.py) through the accumulator.

OrderLines fixture_lines() {
  return testing::build_order_lines(
      testing::read_order_rows(std::string(CUSTLENS_TEST_DATA) + "/patterns_orders.csv"));
}

TEST(PatternAccumulatorGoldenTest, MatchesPandasReferenceWithInvoices) {
  const OrderLines lines = fixture_lines();
  const SalesPatterns streamed = stream(lines, {});
  testing::expect_matches_golden(streamed, "patterns_orders.json");
  expect_identical(compute_patterns(lines, {}), streamed);
}

TEST(PatternAccumulatorGoldenTest, MatchesPandasReferenceWithCustomerDaysAsOrders) {
  OrderLines lines = fixture_lines();
  lines.invoice.clear();
  lines.invoice_ids.clear();
  const SalesPatterns streamed = stream(lines, {});
  testing::expect_matches_golden(streamed, "patterns_orders_no_invoice.json");
  expect_identical(compute_patterns(lines, {}), streamed);
}

TEST(PatternAccumulatorGoldenTest, DateOnlyInvoicesMatchPandasReference) {
  const std::string path = std::string(CUSTLENS_TEST_DATA) + "/online_retail_invoices.csv";
  const std::vector<std::string> header = read_header(path, {});
  const RoleMap roles = detect_roles(header, {});
  const std::vector<std::string> files{path};
  Dataset data = read_dataset(files, order_read_options(header, roles, {}));
  const CleanResult clean = clean_orders(std::move(data), roles, {});
  const SalesPatterns streamed = stream(clean.lines, {});
  EXPECT_FALSE(streamed.has_time_of_day);
  testing::expect_matches_golden(streamed, "patterns_online_retail_invoices.json");
  expect_identical(compute_patterns(clean.lines, {}), streamed);
}

}  // namespace
}  // namespace custlens
