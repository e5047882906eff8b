// filter_profiles: the kept customers in table order, levels renumbered as a file of only their
// rows would number them, optional columns kept absent, and filters on missing columns refused.
#include "custlens/profile_filter.h"

#include <gtest/gtest.h>

#include <cmath>

#include "custlens/error.h"

namespace custlens {
namespace {

// Five customers; region and category as levels in order of first appearance.
ProfileTable sample() {
  ProfileTable table;
  table.header = {"id", "region", "category", "recency", "frequency", "monetary"};
  table.customer_id = {"a", "b", "c", "d", "e"};
  table.recency = {1, 2, 3, 4, 5};
  table.frequency = {10, 20, 30, 40, 50};
  table.monetary = {100, 200, 300, 400, 500};
  table.aov = {1.5, NAN, 3.5, 4.5, 5.5};
  table.region = {{0, 1, 0, 2, 1}, {"North", "(missing)", "South"}};
  table.category = {{0, 0, 1, 1, 0}, {"Toys", "Books"}};
  return table;
}

TEST(ProfileFilterTest, NoConditionKeepsEveryCustomer) {
  const ProfileTable table = sample();
  const ProfileTable all = filter_profiles(table, {});
  EXPECT_EQ(all.customer_id, table.customer_id);
  EXPECT_EQ(all.region.code, table.region.code);
  EXPECT_EQ(all.region.levels, table.region.levels);
  EXPECT_EQ(all.header, table.header);
}

TEST(ProfileFilterTest, LevelsAreRenumberedInOrderOfFirstAppearance) {
  ProfileFilter filter;
  filter.category = "Books";
  const ProfileTable books = filter_profiles(sample(), filter);
  EXPECT_EQ(books.customer_id, (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(books.monetary, (std::vector<double>{300, 400}));
  EXPECT_EQ(books.aov, (std::vector<double>{3.5, 4.5}));
  // c is North, d is South: "(missing)" is gone, South is now level 1.
  EXPECT_EQ(books.region.levels, (std::vector<std::string>{"North", "South"}));
  EXPECT_EQ(books.region.code, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(books.category.levels, (std::vector<std::string>{"Books"}));
  // Roles without a column stay without one.
  EXPECT_TRUE(books.age.empty());
  EXPECT_FALSE(books.gender.present());
}

TEST(ProfileFilterTest, EveryConditionMustHold) {
  ProfileFilter filter;
  filter.region = "(missing)";
  filter.rows = std::vector<std::uint8_t>{1, 0, 1, 1, 1};
  const ProfileTable kept = filter_profiles(sample(), filter);
  EXPECT_EQ(kept.customer_id, (std::vector<std::string>{"e"}));
  ProfileFilter second;
  second.rows = std::vector<std::uint8_t>{0, 1, 0, 0, 0};
  EXPECT_TRUE(std::isnan(filter_profiles(sample(), second).aov.front()));  // missing stays missing
  filter.region = "West";                                                  // no such level: nobody
  EXPECT_EQ(filter_profiles(sample(), filter).size(), 0u);
}

TEST(ProfileFilterTest, FiltersOnAbsentColumnsOrWrongMasksAreErrors) {
  ProfileTable table = sample();
  table.region = {};
  ProfileFilter filter;
  filter.region = "North";
  EXPECT_THROW(filter_profiles(table, filter), Error);
  ProfileFilter mask;
  mask.rows = std::vector<std::uint8_t>{1, 1};
  EXPECT_THROW(filter_profiles(sample(), mask), Error);
}

}  // namespace
}  // namespace custlens
