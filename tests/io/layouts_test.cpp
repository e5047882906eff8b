// Tests of src/io/layouts.cpp: the table of known headerless layouts and their field tests.
#include "io/layouts.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace custlens::io {
namespace {

using Fields = std::vector<std::string_view>;

std::string recognised(const Fields& rows, std::size_t num_columns) {
  const Layout* layout = recognise_layout(rows, num_columns);
  return layout ? std::string(layout->name) : "";
}

TEST(LayoutsTest, TableHoldsCdnowAndTaobaoWithDistinctNames) {
  std::set<std::string_view> layouts;
  for (const Layout& layout : known_layouts()) {
    EXPECT_TRUE(layouts.insert(layout.name).second) << layout.name;
    std::set<std::string_view> columns;
    for (const LayoutColumn& column : layout.columns) {
      EXPECT_TRUE(columns.insert(column.name).second) << layout.name << ": " << column.name;
      EXPECT_NE(column.matches, nullptr);
    }
  }
  EXPECT_EQ(layouts, (std::set<std::string_view>{"cdnow", "taobao_user_behavior"}));
}

TEST(LayoutsTest, CdnowRowsAreRecognised) {
  const Layout* layout =
      recognise_layout(Fields{"00004", "0001", "19970101", "2", "29.33", "00018", "0002",
                              "19970112", "0", "0.00", "23569", "2357", "19980630", " 12 ", "137"},
                       5);
  ASSERT_NE(layout, nullptr);
  EXPECT_EQ(layout->name, "cdnow");
  std::vector<std::string_view> names;
  for (const LayoutColumn& column : layout->columns) names.push_back(column.name);
  EXPECT_EQ(names,
            (std::vector<std::string_view>{"master_id", "customer_id", "date", "cds", "amount"}));
}

TEST(LayoutsTest, OneBadFieldInAnyRowMeansNoCdnow) {
  const Fields good{"00004", "0001", "19970101", "2", "29.33"};
  EXPECT_EQ(recognised(good, 5), "cdnow");
  for (std::size_t column = 0; column < good.size(); ++column) {
    for (std::string_view bad : {"", "x", "1e3", "19971301"}) {
      if (column == 4 && bad == "19971301") continue;  // a number is an amount
      if (column < 2 && bad == "19971301") continue;   // digits are an id
      if (column == 3 && bad == "19971301") continue;  // and a count
      Fields rows = good;
      rows.insert(rows.end(), good.begin(), good.end());
      rows[5 + column] = bad;
      EXPECT_EQ(recognised(rows, 5), "") << "column " << column << ": '" << bad << "'";
    }
  }
  // Dates that do not exist, or not 8 digits; counts that are negative or fractional.
  for (std::string_view date : {"19970230", "19970001", "1997011", "199701011", "1997-01-01"}) {
    EXPECT_EQ(recognised(Fields{"4", "1", date, "2", "29.33"}, 5), "") << date;
  }
  for (std::string_view cds : {"-1", "1.5", "+"}) {
    EXPECT_EQ(recognised(Fields{"4", "1", "19970101", cds, "29.33"}, 5), "") << cds;
  }
  for (std::string_view amount : {"-3.5", "12.", ".5", "7"}) {
    EXPECT_EQ(recognised(Fields{"4", "1", "19970101", "1", amount}, 5), "cdnow") << amount;
  }
  for (std::string_view amount : {".", "-", "1.2.3", "$5", "nan"}) {
    EXPECT_EQ(recognised(Fields{"4", "1", "19970101", "1", amount}, 5), "") << amount;
  }
}

TEST(LayoutsTest, TaobaoRowsAreRecognisedByTheirBehaviours) {
  EXPECT_EQ(recognised(Fields{"1",   "2268318", "2520377", "pv",   "1511544070",
                              "1",   "2333346", "2520771", "buy",  "1511561733",
                              "100", "1",       "2",       "fav",  "-1",
                              "100", "1",       "2",       "cart", "1512000000"},
                       5),
            "taobao_user_behavior");
  for (std::string_view behavior : {"view", "PV", "", "click"}) {
    EXPECT_EQ(recognised(Fields{"1", "2268318", "2520377", behavior, "1511544070"}, 5), "")
        << behavior;
  }
  EXPECT_EQ(recognised(Fields{"1", "2268318", "2520377", "pv", "2017-11-25"}, 5), "");
  EXPECT_EQ(recognised(Fields{"u1", "2268318", "2520377", "pv", "1511544070"}, 5), "");
}

TEST(LayoutsTest, WrongShapesAreNoLayout) {
  EXPECT_EQ(recognised(Fields{}, 5), "");
  EXPECT_EQ(recognised(Fields{"00004", "0001", "19970101", "2"}, 4), "");
  EXPECT_EQ(recognised(Fields{"00004", "0001", "19970101", "2", "29.33", "x"}, 6), "");
  EXPECT_EQ(recognised(Fields{"00004", "0001", "19970101", "2", "29.33", "1"}, 5), "");
  EXPECT_EQ(recognised(Fields{"00004"}, 0), "");
}

}  // namespace
}  // namespace custlens::io
