#include "custlens/patterns.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "custlens/clean.h"
#include "custlens/error.h"
#include "custlens/ingest.h"
#include "custlens/roles.h"
#include "io/orders_generator.h"
#include "support/order_csv.h"
#include "support/patterns_golden.h"
#include "support/temp_dir.h"

namespace custlens {
namespace {

namespace fs = std::filesystem;
using testing::expect_matches_golden;

constexpr std::int64_t kPatternsDay = 86400;
constexpr std::int64_t kHour = 3600;
// 2011-01-06 00:00, a Thursday.
constexpr std::int64_t kThursday = 14980 * kPatternsDay;

using testing::ScopedEnv;
using testing::TempDir;

// A line builder for hand-made cases; ids are given directly.
struct PatternsLinesBuilder {
  OrderLines lines;
  PatternsLinesBuilder(int customers, int invoices) {
    for (int c = 0; c < customers; ++c) lines.customer_ids.push_back(fmt::format("c{}", c));
    for (int i = 0; i < invoices; ++i) lines.invoice_ids.push_back(fmt::format("i{}", i));
  }
  PatternsLinesBuilder& add(std::uint32_t customer, std::uint32_t invoice, std::int64_t timestamp,
                    double amount) {
    lines.customer.push_back(customer);
    lines.invoice.push_back(invoice);
    lines.timestamp.push_back(timestamp);
    lines.amount.push_back(amount);
    return *this;
  }
};

const PatternBucket& bucket(const std::vector<PatternBucket>& buckets, const std::string& key) {
  for (const PatternBucket& b : buckets) {
    if (b.key == key) return b;
  }
  throw std::runtime_error("no bucket " + key);
}

// ------------------------------------------------------------------------------------------------
// Golden: the pandas reference (tests/reference/patterns_reference.py) on the generated fixture.

OrderLines patterns_fixture_lines() {
  return testing::build_order_lines(
      testing::read_order_rows(std::string(CUSTLENS_TEST_DATA) + "/patterns_orders.csv"));
}

TEST(PatternsGoldenTest, MatchesPandasReferenceWithInvoices) {
  const OrderLines lines = patterns_fixture_lines();
  ASSERT_GT(lines.size(), 1000u);
  const SalesPatterns patterns = compute_patterns(lines, {});
  EXPECT_TRUE(patterns.category_source.ends_with("categories.toml"));
  expect_matches_golden(patterns, "patterns_orders.json");
}

TEST(PatternsGoldenTest, MatchesPandasReferenceWithCustomerDaysAsOrders) {
  OrderLines lines = patterns_fixture_lines();
  lines.invoice.clear();
  lines.invoice_ids.clear();
  expect_matches_golden(compute_patterns(lines, {}), "patterns_orders_no_invoice.json");
}

// Date-only invoices (online_retail_invoices.csv) through the reader and the cleaning rules: no
// hour pattern, Saturdays closed, December 2011 partial.
TEST(PatternsGoldenTest, DateOnlyInvoicesMatchPandasReference) {
  const std::string path = std::string(CUSTLENS_TEST_DATA) + "/online_retail_invoices.csv";
  const std::vector<std::string> header = read_header(path, {});
  const RoleMap roles = detect_roles(header, {});
  const std::vector<std::string> files{path};
  Dataset data = read_dataset(files, order_read_options(header, roles, {}));
  const CleanResult clean = clean_orders(std::move(data), roles, {});
  const SalesPatterns patterns = compute_patterns(clean.lines, {});
  EXPECT_FALSE(patterns.has_time_of_day);
  EXPECT_TRUE(patterns.hours.empty());
  expect_matches_golden(patterns, "patterns_online_retail_invoices.json");
}

// ------------------------------------------------------------------------------------------------
// Hand-made cases.

TEST(PatternsTest, MidnightOnlyTimesHaveNoHourPattern) {
  PatternsLinesBuilder b(1, 2);
  b.add(0, 0, kThursday, 5.0).add(0, 1, kThursday + 2 * kPatternsDay, 1.0);
  SalesPatterns p = compute_patterns(b.lines, {});
  EXPECT_FALSE(p.has_time_of_day);
  EXPECT_TRUE(p.hours.empty());
  EXPECT_FALSE(p.peak_hour.has_value());
  // One order a minute past midnight is a time of day: all 24 hours are listed.
  b.add(0, 1, kThursday + 60, 1.0);
  p = compute_patterns(b.lines, {});
  EXPECT_TRUE(p.has_time_of_day);
  ASSERT_EQ(p.hours.size(), 24u);
  EXPECT_EQ(p.peak_hour, 0);
}

TEST(PatternsTest, ClosedWeekdaysNeedFourDatesInTheRange) {
  // Thursday 2011-01-06 to Wednesday 2011-02-02 (28 days, four of each weekday), no Sunday sale.
  PatternsLinesBuilder b(1, 28);
  for (int day = 0; day < 28; ++day) {
    if ((day + 3) % 7 == 6) continue;  // Sunday
    b.add(0, static_cast<std::uint32_t>(day), kThursday + day * kPatternsDay + 10 * kHour, 1.0 + day);
  }
  SalesPatterns p = compute_patterns(b.lines, {});
  EXPECT_EQ(p.closed_weekdays, std::vector<std::string>{"Sunday"});
  for (const PatternBucket& day : p.weekdays) EXPECT_EQ(day.days, 4) << day.key;
  // Three weeks hold only three Sundays: a quiet day, not a closing day.
  PatternsLinesBuilder short_range(1, 21);
  for (int day = 0; day < 21; ++day) {
    if ((day + 3) % 7 == 6) continue;
    short_range.add(0, static_cast<std::uint32_t>(day), kThursday + day * kPatternsDay + 10 * kHour, 1.0);
  }
  p = compute_patterns(short_range.lines, {});
  EXPECT_TRUE(p.closed_weekdays.empty());
  EXPECT_EQ(bucket(p.weekdays, "Sunday").days, 3);
}

TEST(PatternsTest, FirstAndLastMonthsArePartialWhenTheRangeCutsThem) {
  const std::int64_t jan1 = 14975 * kPatternsDay;   // 2011-01-01
  const std::int64_t mar10 = 15043 * kPatternsDay;  // 2011-03-10
  PatternsLinesBuilder b(1, 2);
  b.add(0, 0, jan1 + kHour, 1.0).add(0, 1, mar10, 2.0);
  SalesPatterns p = compute_patterns(b.lines, {});
  ASSERT_EQ(p.months.size(), 3u);
  EXPECT_FALSE(p.months[0].partial);
  EXPECT_EQ(p.months[0].days, 31);
  EXPECT_FALSE(p.months[1].partial);
  EXPECT_EQ(p.months[1].days, 28);
  EXPECT_TRUE(p.months[2].partial);
  EXPECT_EQ(p.months[2].days, 10);
  EXPECT_EQ(p.partial_months, std::vector<std::string>{"2011-03"});
}

TEST(PatternsTest, ListsEveryWeekdayAndHourFromTheEpochThursday) {
  PatternsLinesBuilder b(1, 1);
  b.add(0, 0, 30, 5.0);  // 1970-01-01 00:00:30, a Thursday
  const SalesPatterns p = compute_patterns(b.lines, {});
  ASSERT_EQ(p.weekdays.size(), 7u);
  ASSERT_EQ(p.hours.size(), 24u);
  EXPECT_EQ(p.weekdays[0].key, "Monday");
  EXPECT_EQ(p.weekdays[6].key, "Sunday");
  EXPECT_EQ(p.hours[23].key, "23");
  EXPECT_EQ(p.peak_weekday, "Thursday");
  EXPECT_DOUBLE_EQ(p.weekdays[3].revenue, 5.0);
  EXPECT_DOUBLE_EQ(p.weekdays[3].revenue_share, 1.0);
  EXPECT_EQ(p.weekdays[2].orders, 0);
  EXPECT_EQ(p.peak_hour, 0);
  ASSERT_EQ(p.months.size(), 1u);
  EXPECT_EQ(p.months[0].key, "1970-01");
  EXPECT_TRUE(p.countries.empty());
  EXPECT_TRUE(p.categories.empty());
  EXPECT_EQ(p.category_source, "");
}

TEST(PatternsTest, TimesBeforeTheEpochFallOnTheRightDay) {
  PatternsLinesBuilder b(1, 1);
  b.add(0, 0, -kHour, 1.0);  // 1969-12-31 23:00, a Wednesday
  const SalesPatterns p = compute_patterns(b.lines, {});
  EXPECT_EQ(p.peak_weekday, "Wednesday");
  EXPECT_EQ(p.peak_hour, 23);
  EXPECT_EQ(p.peak_month, "1969-12");
}

TEST(PatternsTest, MonthsWithoutSalesAreListedBetweenFirstAndLast) {
  const std::int64_t jan = 14975 * kPatternsDay;  // 2011-01-01
  const std::int64_t mar = 15034 * kPatternsDay;  // 2011-03-01
  PatternsLinesBuilder b(2, 3);
  b.add(0, 0, mar, 10).add(1, 1, jan, 4).add(1, 2, mar + kPatternsDay, 1);
  const SalesPatterns p = compute_patterns(b.lines, {});
  ASSERT_EQ(p.months.size(), 3u);
  EXPECT_EQ(p.months[0].key, "2011-01");
  EXPECT_EQ(p.months[1].key, "2011-02");
  EXPECT_EQ(p.months[1].orders, 0);
  EXPECT_DOUBLE_EQ(p.months[1].revenue, 0.0);
  EXPECT_EQ(p.months[2].key, "2011-03");
  EXPECT_EQ(p.months[2].orders, 2);
  EXPECT_EQ(p.months[2].customers, 2);
  EXPECT_DOUBLE_EQ(p.months[2].revenue_share, 11.0 / 15.0);
  EXPECT_EQ(p.peak_month, "2011-03");
}

TEST(PatternsTest, OrdersAndCustomersAreDistinctPerBucket) {
  PatternsLinesBuilder b(2, 3);
  // Invoice 0 has three lines at 10:00; customer 0 comes back at 15:00 (invoice 1) the same day.
  b.add(0, 0, kThursday + 10 * kHour, 1).add(0, 0, kThursday + 10 * kHour, 2);
  b.add(0, 0, kThursday + 10 * kHour, 3).add(0, 1, kThursday + 15 * kHour, 4);
  b.add(1, 2, kThursday + 10 * kHour + 60, 5);
  SalesPatterns p = compute_patterns(b.lines, {});
  EXPECT_EQ(p.hours[10].orders, 2);
  EXPECT_EQ(p.hours[10].customers, 2);
  EXPECT_DOUBLE_EQ(p.hours[10].revenue, 11);
  EXPECT_EQ(p.hours[15].orders, 1);
  EXPECT_EQ(p.weekdays[3].orders, 3);
  EXPECT_EQ(p.weekdays[3].customers, 2);

  // Without invoice numbers an order is a customer-day: customer 0 ordered once that day.
  b.lines.invoice.clear();
  b.lines.invoice_ids.clear();
  p = compute_patterns(b.lines, {});
  EXPECT_EQ(p.weekdays[3].orders, 2);
  EXPECT_EQ(p.hours[10].orders, 2);
  EXPECT_EQ(p.hours[15].orders, 1);
}

TEST(PatternsTest, CountriesSortByRevenueThenNameAndNullIsUnknown) {
  PatternsLinesBuilder b(4, 4);
  b.lines.country_names = {"Spain", "France", "Belgium", "Never Seen"};
  b.add(0, 0, kThursday, 5).add(1, 1, kThursday, 5).add(2, 2, kThursday, 9).add(3, 3, kThursday, 1);
  b.lines.country = {0, 1, 2, OrderLines::kNone};
  const SalesPatterns p = compute_patterns(b.lines, {});
  ASSERT_EQ(p.countries.size(), 4u);
  EXPECT_EQ(p.countries[0].key, "Belgium");
  EXPECT_EQ(p.countries[1].key, "France");  // ties with Spain, first by name
  EXPECT_EQ(p.countries[2].key, "Spain");
  EXPECT_EQ(p.countries[3].key, "Unknown");
  EXPECT_DOUBLE_EQ(p.countries[0].revenue_share, 0.45);
}

TEST(PatternsTest, PeakTiesGoToTheEarliestBucket) {
  PatternsLinesBuilder b(1, 2);
  b.add(0, 0, kThursday + 14 * kHour, 7).add(0, 1, kThursday - 3 * kPatternsDay + 9 * kHour, 7);
  const SalesPatterns p = compute_patterns(b.lines, {});
  EXPECT_EQ(p.peak_weekday, "Monday");
  EXPECT_EQ(p.peak_hour, 9);
}

TEST(PatternsTest, CategoriesFromDescriptionsOncePerDistinctDescription) {
  TempDir dir;
  const std::string map = dir.write("map.toml", R"(
[[category]]
name = "Bags"
keywords = ["bag"]
[[category]]
name = "Lighting"
keywords = ["LIGHT", "LANTERN"]
)");
  PatternsLinesBuilder b(1, 1);
  b.lines.descriptions = {"JUMBO BAG RED", "Hanging Lantern", "LIGHT BAG", "DOORSTOP", "SPOTLIGHT"};
  for (std::uint32_t d = 0; d < 5; ++d) b.add(0, 0, kThursday, 1.0 + d);
  b.add(0, 0, kThursday, 10);
  b.lines.description = {0, 1, 2, 3, 4, OrderLines::kNone};
  PatternOptions options;
  options.category_map = map;
  const SalesPatterns p = compute_patterns(b.lines, options);
  EXPECT_EQ(p.category_source, map);
  ASSERT_EQ(p.categories.size(), 3u);
  EXPECT_EQ(p.categories[0].category, "Other");  // DOORSTOP, SPOTLIGHT, missing: 4 + 5 + 10
  EXPECT_DOUBLE_EQ(p.categories[0].revenue, 19);
  EXPECT_EQ(p.categories[0].lines, 3);
  EXPECT_EQ(p.categories[1].category, "Bags");  // "LIGHT BAG": BAG comes first in the file
  EXPECT_DOUBLE_EQ(p.categories[1].revenue, 4);
  EXPECT_EQ(p.categories[2].category, "Lighting");
  EXPECT_DOUBLE_EQ(p.categories[2].revenue_share, 2.0 / 25.0);
}

TEST(PatternsTest, CategoryColumnIsUsedUnlessAMapIsGiven) {
  TempDir dir;
  PatternsLinesBuilder b(1, 1);
  b.add(0, 0, kThursday, 3).add(0, 0, kThursday, 4).add(0, 0, kThursday, 5);
  b.lines.category_names = {"女装", "Other"};
  b.lines.category = {0, 1, OrderLines::kNone};
  b.lines.descriptions = {"JUMBO BAG"};
  b.lines.description = {0, 0, 0};
  SalesPatterns p = compute_patterns(b.lines, {});
  EXPECT_EQ(p.category_source, "column");
  ASSERT_EQ(p.categories.size(), 2u);  // the input's "Other" and missing values merge
  EXPECT_EQ(p.categories[0].category, "Other");
  EXPECT_EQ(p.categories[0].lines, 2);
  EXPECT_EQ(p.categories[1].category, "女装");

  PatternOptions options;
  options.category_map =
      dir.write("m.toml", "[[category]]\nname = \"Bags\"\nkeywords = [\"BAG\"]\n");
  p = compute_patterns(b.lines, options);
  ASSERT_EQ(p.categories.size(), 1u);
  EXPECT_EQ(p.categories[0].category, "Bags");
  EXPECT_EQ(p.categories[0].lines, 3);
}

TEST(PatternsTest, ShareDirFromTheEnvironmentIsHonoured) {
  TempDir dir;
  dir.write("categories.toml", "[[category]]\nname = \"Everything\"\nkeywords = [\"BAG\"]\n");
  const ScopedEnv env("CUSTLENS_SHARE_DIR", dir.path().string());
  PatternsLinesBuilder b(1, 1);
  b.add(0, 0, kThursday, 3);
  b.lines.descriptions = {"LUNCH BAG"};
  b.lines.description = {0};
  const SalesPatterns p = compute_patterns(b.lines, {});
  EXPECT_EQ(p.category_source, (dir.path() / "categories.toml").string());
  ASSERT_EQ(p.categories.size(), 1u);
  EXPECT_EQ(p.categories[0].category, "Everything");
}

TEST(PatternsTest, BadInputIsAnError) {
  EXPECT_THROW(compute_patterns(OrderLines{}, {}), Error);
  PatternsLinesBuilder b(1, 1);
  b.add(0, 0, kThursday, 3);
  OrderLines short_amounts = b.lines;
  short_amounts.amount.clear();
  EXPECT_THROW(compute_patterns(short_amounts, {}), Error);
  OrderLines bad_invoice = b.lines;
  bad_invoice.invoice[0] = 7;
  EXPECT_THROW(compute_patterns(bad_invoice, {}), Error);
  OrderLines far_apart = b.lines;
  far_apart.customer.push_back(0);
  far_apart.invoice.push_back(0);
  far_apart.amount.push_back(1);
  far_apart.timestamp.push_back(std::int64_t{300} * 366 * kPatternsDay);
  EXPECT_THROW(compute_patterns(far_apart, {}), Error);
  OrderLines with_description = b.lines;
  with_description.descriptions = {"BAG"};
  with_description.description = {0};
  PatternOptions missing_map;
  missing_map.category_map = "/no/such/categories.toml";
  EXPECT_THROW(compute_patterns(with_description, missing_map), Error);
}

// The generator's vocabulary is meant to hit the shipped map (Part A <-> Part B contract).
TEST(PatternsTest, GeneratedDescriptionsHitTheShippedCategories) {
  TempDir dir;
  io::OrdersGeneratorOptions options;
  options.rows = 20000;
  options.customers = 500;
  options.seed = 5;
  const std::string path = (dir.path() / "orders.csv").string();
  io::generate_orders(path, options);
  const SalesPatterns p =
      compute_patterns(testing::build_order_lines(testing::read_order_rows(path)), {});
  double other_share = 0;
  for (const CategoryBucket& c : p.categories) {
    if (c.category == "Other") other_share = c.revenue_share;
  }
  EXPECT_LT(other_share, 0.15);
  EXPECT_GE(p.categories.size(), 15u);
  for (const char* wanted : {"Bags", "Lighting", "Kitchen", "Jewellery", "Christmas", "Candles"}) {
    EXPECT_TRUE(std::any_of(p.categories.begin(), p.categories.end(), [&](const CategoryBucket& c) {
      return c.category == wanted;
    })) << wanted;
  }
  EXPECT_EQ(p.peak_month, "2011-11");
  EXPECT_EQ(bucket(p.weekdays, "Saturday").orders, 0);
}

}  // namespace
}  // namespace custlens
