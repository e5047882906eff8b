// Tests of src/common/name_list.cpp: the short lists of names in error messages.
#include "common/name_list.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace custlens::common {
namespace {

TEST(ListNamesTest, ShortListsAreJoinedWhole) {
  const std::vector<std::string> names{"id", "date", "amount"};
  EXPECT_EQ(list_names(names), "id, date, amount");
  EXPECT_EQ(list_names(names, ","), "id,date,amount");
  EXPECT_EQ(list_names(std::vector<std::string>{}), "");
  std::vector<std::string> twenty;
  for (int i = 1; i <= 20; ++i) twenty.push_back("c" + std::to_string(i));
  EXPECT_EQ(list_names(twenty).find("more"), std::string::npos);
}

TEST(ListNamesTest, AMillionColumnsListTwentyAndCountTheRest) {
  std::vector<std::string> names;
  for (int i = 1; i <= 1000000; ++i) names.push_back("column_" + std::to_string(i));
  const std::string text = list_names(names);
  EXPECT_TRUE(text.starts_with("column_1, column_2, ")) << text;
  EXPECT_TRUE(text.ends_with("column_19, column_20, \u2026 and 999,980 more")) << text;
  EXPECT_LT(text.size(), 300u);
  EXPECT_EQ(list_names(names, ", ", 2), "column_1, column_2, \u2026 and 999,998 more");
  EXPECT_EQ(list_names(names, ", ", 0), "\u2026 and 1,000,000 more");
}

TEST(ListNamesTest, LongNamesAreCutAtACharacterBoundary) {
  // 26 three-byte characters: the 80-byte cut would fall inside the 27th; it backs off to 78.
  std::string chinese;
  for (int i = 0; i < 40; ++i) chinese += "\u4e2d";
  const std::vector<std::string> names{std::string(500, 'x'), chinese};
  EXPECT_EQ(list_names(names),
            std::string(80, 'x') + "\u2026, " + chinese.substr(0, 78) + "\u2026");
}

}  // namespace
}  // namespace custlens::common
