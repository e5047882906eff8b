#include "custlens/table.h"

#include <gtest/gtest.h>

#include "custlens/error.h"

namespace custlens {
namespace {

TEST(ColumnTest, StringsAreInternedAndNullsTracked) {
  Column column("Country", ColumnType::kString);
  column.append_string("France");
  column.append_null();
  column.append_string("Spain");
  column.append_string("France");
  ASSERT_EQ(column.size(), 4u);
  EXPECT_EQ(column.null_count(), 1u);
  EXPECT_TRUE(column.is_null(1));
  EXPECT_FALSE(column.is_null(0));
  EXPECT_EQ(column.string_at(3), "France");
  EXPECT_EQ(column.codes()[0], column.codes()[3]);
  EXPECT_EQ(column.dictionary().size(), 2u);
}

TEST(ColumnTest, NullStringInEmptyDictionaryReadsAsEmpty) {
  Column column("id", ColumnType::kString);
  column.append_null();
  EXPECT_TRUE(column.is_null(0));
  EXPECT_EQ(column.string_at(0), "");
}

TEST(ColumnTest, AppendColumnRemapsDictionary) {
  Column a("c", ColumnType::kString);
  a.append_string("x");
  a.append_string("y");
  Column b("c", ColumnType::kString);
  b.append_string("y");
  b.append_null();
  b.append_string("z");
  a.append_column(b);
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(a.string_at(2), "y");
  EXPECT_TRUE(a.is_null(3));
  EXPECT_EQ(a.string_at(4), "z");
  EXPECT_EQ(a.codes()[1], a.codes()[2]);
  EXPECT_EQ(a.null_count(), 1u);
}

TEST(ColumnTest, NullBitsSurviveWordBoundaries) {
  Column column("q", ColumnType::kDouble);
  for (int i = 0; i < 200; ++i) {
    if (i % 7 == 0) {
      column.append_null();
    } else {
      column.append_double(i * 0.5);
    }
  }
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(column.is_null(static_cast<std::size_t>(i)), i % 7 == 0) << i;
  }
  std::vector<std::uint8_t> keep(200, 0);
  for (int i = 60; i < 140; ++i) keep[static_cast<std::size_t>(i)] = 1;
  Column part = column.filter(keep);
  ASSERT_EQ(part.size(), 80u);
  for (int i = 60; i < 140; ++i) {
    std::size_t row = static_cast<std::size_t>(i - 60);
    EXPECT_EQ(part.is_null(row), i % 7 == 0);
    if (i % 7 != 0) {
      EXPECT_DOUBLE_EQ(part.double_at(row), i * 0.5);
    }
  }
}

TEST(ColumnTest, AppendingOtherTypeIsAnError) {
  Column a("c", ColumnType::kString);
  Column b("c", ColumnType::kInt64);
  EXPECT_THROW(a.append_column(b), Error);
}

TEST(TableTest, RejectsDuplicateNamesAndRaggedColumns) {
  Table table;
  Column a("a", ColumnType::kInt64);
  a.append_int(1);
  table.add_column(a);
  EXPECT_THROW(table.add_column(a), Error);
  Column b("b", ColumnType::kInt64);
  EXPECT_THROW(table.add_column(b), Error);
  EXPECT_EQ(table.index_of("a"), 0);
  EXPECT_EQ(table.find("zzz"), nullptr);
}

}  // namespace
}  // namespace custlens
