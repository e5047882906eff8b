// filter_order_lines and filtered_as_of: date ranges by calendar day, countries, customer sets.
#include "custlens/order_filter.h"

#include <gtest/gtest.h>

#include "analysis/order_lines_builder.h"
#include "custlens/error.h"

namespace custlens {
namespace {

using testing::seconds;

// Five lines of three customers in two countries; the last line has no country.
OrderLines sample_lines() {
  testing::LinesBuilder builder;
  builder.add("c1", "i1", "2011-01-01 23:59:59", 10)
      .add("c2", "i2", "2011-01-02 00:00:00", 20)
      .add("c1", "i3", "2011-01-03 12:00:00", 30)
      .add("c3", "i4", "2011-01-05 08:00:00", 40)
      .add("c2", "i5", "2011-01-06 08:00:00", 50);
  OrderLines lines = builder.lines();
  lines.quantity = {1, 2, 3, 4, 5};
  lines.country_names = {"France", "Spain"};
  lines.country = {0, 1, 0, 1, OrderLines::kNone};
  lines.descriptions = {"mug", "lamp", "unused"};
  lines.description = {0, OrderLines::kNone, 1, 0, 0};
  return lines;
}

std::vector<double> amounts(const OrderLines& lines) { return lines.amount; }

TEST(OrderFilterTest, NoConditionKeepsEveryLine) {
  const OrderLines lines = sample_lines();
  const OrderLines out = filter_order_lines(lines, {});
  EXPECT_EQ(out.amount, lines.amount);
  EXPECT_EQ(out.customer, lines.customer);
  EXPECT_EQ(out.customer_ids, lines.customer_ids);
  EXPECT_EQ(out.invoice, lines.invoice);
  EXPECT_EQ(out.quantity, lines.quantity);
  EXPECT_EQ(out.country, lines.country);
  EXPECT_EQ(out.description, lines.description);
  EXPECT_EQ(out.descriptions, (std::vector<std::string>{"mug", "lamp"}));  // "unused" dropped
}

TEST(OrderFilterTest, DateRangeIsInclusiveByCalendarDay) {
  OrderFilter filter;
  filter.from = seconds("2011-01-02");
  filter.to = seconds("2011-01-05");
  EXPECT_EQ(amounts(filter_order_lines(sample_lines(), filter)), (std::vector<double>{20, 30, 40}));
  // Any second of a day names the whole day.
  filter.from = seconds("2011-01-01 12:00:00");
  filter.to = seconds("2011-01-01 00:00:00");
  EXPECT_EQ(amounts(filter_order_lines(sample_lines(), filter)), (std::vector<double>{10}));
  filter.from = seconds("2011-02-01");
  filter.to.reset();
  EXPECT_EQ(filter_order_lines(sample_lines(), filter).size(), 0u);
}

TEST(OrderFilterTest, CountryByExactNameAndUnknownForNone) {
  OrderFilter filter;
  filter.country = "Spain";
  EXPECT_EQ(amounts(filter_order_lines(sample_lines(), filter)), (std::vector<double>{20, 40}));
  filter.country = "spain";
  EXPECT_EQ(filter_order_lines(sample_lines(), filter).size(), 0u);
  filter.country = "Unknown";
  EXPECT_EQ(amounts(filter_order_lines(sample_lines(), filter)), (std::vector<double>{50}));
}

TEST(OrderFilterTest, CountryFilterWithoutCountryColumnIsAnError) {
  OrderLines lines = sample_lines();
  lines.country.clear();
  lines.country_names.clear();
  OrderFilter filter;
  filter.country = "Spain";
  EXPECT_THROW(filter_order_lines(lines, filter), Error);
}

TEST(OrderFilterTest, NamesAreRenumberedInOrderOfFirstAppearance) {
  OrderFilter filter;
  filter.customers = std::vector<std::string>{"c3", "c2", "nobody"};
  const OrderLines out = filter_order_lines(sample_lines(), filter);
  EXPECT_EQ(out.amount, (std::vector<double>{20, 40, 50}));
  EXPECT_EQ(out.customer_ids, (std::vector<std::string>{"c2", "c3"}));
  EXPECT_EQ(out.customer, (std::vector<std::uint32_t>{0, 1, 0}));
  EXPECT_EQ(out.invoice, (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(out.invoice_ids, (std::vector<std::string>{"i2", "i4", "i5"}));
  EXPECT_EQ(out.quantity, (std::vector<double>{2, 4, 5}));
  // Only the names in use; a null stays null.
  EXPECT_EQ(out.country, (std::vector<std::uint32_t>{0, 0, OrderLines::kNone}));
  EXPECT_EQ(out.country_names, (std::vector<std::string>{"Spain"}));
  EXPECT_EQ(out.description, (std::vector<std::uint32_t>{OrderLines::kNone, 0, 0}));
  EXPECT_EQ(out.descriptions, (std::vector<std::string>{"mug"}));
  // An empty set keeps nothing (an empty tier), unlike no set.
  filter.customers = std::vector<std::string>{};
  EXPECT_EQ(filter_order_lines(sample_lines(), filter).size(), 0u);
}

TEST(OrderFilterTest, ConditionsCombine) {
  OrderFilter filter;
  filter.country = "France";
  filter.customers = std::vector<std::string>{"c1"};
  filter.to = seconds("2011-01-02");
  EXPECT_EQ(amounts(filter_order_lines(sample_lines(), filter)), (std::vector<double>{10}));
}

TEST(OrderFilterTest, AsOfMovesOnlyWhenTheViewEndsEarlier) {
  const std::int64_t full = seconds("2011-01-07");
  OrderFilter filter;
  EXPECT_EQ(filtered_as_of(full, filter), full);
  filter.from = seconds("2011-01-03");
  EXPECT_EQ(filtered_as_of(full, filter), full);
  filter.to = seconds("2011-01-03 15:00:00");
  EXPECT_EQ(filtered_as_of(full, filter), seconds("2011-01-04"));
  filter.to = seconds("2011-01-06");
  EXPECT_EQ(filtered_as_of(full, filter), full);
  filter.to = seconds("2012-01-01");
  EXPECT_EQ(filtered_as_of(full, filter), full);
}

}  // namespace
}  // namespace custlens
