// Tests of src/io/table_builder.cpp: where the id column lies in the content of a reject.
#include "io/table_builder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "custlens/error.h"

namespace custlens::io {
namespace {

// One batch of rows over the header below, from owned strings.
struct Batch {
  std::vector<std::string> texts;
  RowBatch batch;
  explicit Batch(std::vector<std::vector<std::string>> rows) {
    batch.num_columns = 3;
    for (const auto& row : rows) {
      for (const auto& field : row) texts.push_back(field);
    }
    for (const std::string& text : texts) batch.fields.emplace_back(text);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      batch.lines.push_back(static_cast<std::int64_t>(i) + 2);
      batch.hashes.push_back(i);
    }
  }
};

const std::vector<std::string> kHeader = {"Quantity", "CustomerID", "Note"};

BatchConverter converter(const RowBatch& sample, std::string id_column) {
  ReadOptions options;
  options.column_types = {{"Quantity", ColumnType::kDouble}, {"CustomerID", ColumnType::kString}};
  options.id_column = std::move(id_column);
  return BatchConverter(plan_columns(kHeader, sample, options), "orders.csv");
}

std::string_view id_of(const Reject& reject) {
  return std::string_view(reject.content).substr(reject.id_begin, reject.id_end - reject.id_begin);
}

TEST(BatchConverterTest, RejectsLocateTheIdColumn) {
  Batch input({{"1", "a", "ok"}, {"three", "17850.0", "x,y"}, {"bad", "", "z"}});
  const TypedBatch typed = converter(input.batch, "CustomerID").convert(input.batch);
  ASSERT_EQ(typed.rejects.size(), 2u);
  EXPECT_EQ(typed.rejects[0].content, "three,17850.0,x,y");
  EXPECT_EQ(id_of(typed.rejects[0]), "17850.0");
  EXPECT_EQ(typed.rejects[0].line, 3);
  EXPECT_EQ(typed.rejects[0].rule, "malformed");
  EXPECT_EQ(typed.rejects[1].id_begin, 4u);  // an empty id: an empty range
  EXPECT_EQ(typed.rejects[1].id_end, 4u);
}

TEST(BatchConverterTest, NoIdColumnOrAnIdCutOffIsNotLocated) {
  Batch input({{"bad", "17850", "z"}});
  const TypedBatch plain = converter(input.batch, "").convert(input.batch);
  ASSERT_EQ(plain.rejects.size(), 1u);
  EXPECT_EQ(plain.rejects[0].id_begin, Reject::kNotLocated);

  // Content is cut to 300 bytes: an id that starts before the cut and ends after it.
  Batch cut({{"bad", std::string(298, '7'), "z"}});
  const TypedBatch typed = converter(cut.batch, "CustomerID").convert(cut.batch);
  ASSERT_EQ(typed.rejects.size(), 1u);
  EXPECT_EQ(typed.rejects[0].content.size(), 303u);  // 300 bytes and "..."
  EXPECT_EQ(typed.rejects[0].id_begin, Reject::kNotLocated);
  EXPECT_EQ(typed.rejects[0].id_end, Reject::kNotLocated);
}

// 8-digit numbers are dates only in a column the caller says holds dates.
TEST(PlanColumnsTest, YyyymmddNumbersAreDatesOnlyWhenForced) {
  Batch input({{"19970101", "19970101", "a"}, {"19971231", "19970118", "b"}});
  const std::vector<std::string> header = {"code", "date", "Note"};
  ReadOptions options;
  const std::vector<ColumnPlan> inferred = plan_columns(header, input.batch, options);
  EXPECT_EQ(inferred[0].type, ColumnType::kDouble);
  EXPECT_TRUE(inferred[0].integral_hint);
  EXPECT_EQ(inferred[1].type, ColumnType::kDouble);  // a name like "date" is not enough
  EXPECT_TRUE(inferred[1].integral_hint);

  options.column_types = {{"date", ColumnType::kTimestamp}};
  const std::vector<ColumnPlan> forced = plan_columns(header, input.batch, options);
  EXPECT_EQ(forced[0].type, ColumnType::kDouble);
  EXPECT_EQ(forced[1].type, ColumnType::kTimestamp);
  EXPECT_EQ(forced[1].date_format, "%Y%m%d");

  // A forced date column of 8-digit numbers that are no dates fails with the usual message.
  Batch months({{"1", "19971301", "a"}, {"2", "19971401", "b"}});
  EXPECT_THROW(plan_columns(header, months.batch, options), Error);
}

}  // namespace
}  // namespace custlens::io
