// The PostgreSQL input source against a real server: header and types from the description,
// values as the CSV readers read them, row numbers as provenance, one-line errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "custlens/error.h"
#include "io/database.h"
#include "io/row_source.h"
#include "io/sql_source.h"
#include "support/postgres_test.h"

namespace custlens::io {
namespace {

std::vector<std::vector<std::string>> postgres_source_rows(RowSource& source,
                                                           std::vector<std::int64_t>* lines) {
  std::vector<std::vector<std::string>> rows;
  source.scan_ordered([](std::size_t, const RowBatch&) {},
                      [&](std::size_t, const RowBatch& batch) {
                        for (std::size_t r = 0; r < batch.num_rows(); ++r) {
                          std::vector<std::string> row;
                          for (std::size_t c = 0; c < batch.num_columns; ++c) {
                            row.emplace_back(batch.field(r, c));
                          }
                          rows.push_back(std::move(row));
                          if (lines) lines->push_back(batch.lines[r]);
                        }
                      },
                      {});
  return rows;
}

void postgres_source_fill(const std::string& url) {
  std::unique_ptr<Database> db = open_postgresql(url);
  db->execute_script(
      "CREATE SCHEMA sales; CREATE TABLE sales.\"Order Lines\" (invoice text, qty integer, "
      "price numeric(10,2), ratio double precision, at timestamp, at_tz timestamptz, day date, "
      "paid boolean, note text); "
      "INSERT INTO sales.\"Order Lines\" VALUES "
      "('536365', 6, 2.55, 0.1, '2010-12-01 08:26:00', '2010-12-01 09:26:00+01', '2010-12-01', "
      "true, E'tab\\there, line\\nbreak, back\\\\slash'), "
      "('536366', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), "
      "('C536367', -2, 1234567.89, 1e-7, '2011-01-02 03:04:05.25', '2011-06-30 23:59:59+00', "
      "'2011-06-30', false, '客户 \\N')");
}

TEST(PostgresSource, ReadsTypedColumnsAsCsvText) {
  CUSTLENS_POSTGRES_DATABASE(url);
  postgres_source_fill(url);
  ReadOptions options;
  options.table = "sales.Order Lines";
  std::unique_ptr<RowSource> source = open_input(url, options);
  EXPECT_EQ(source->format(), "postgresql");
  EXPECT_EQ(source->header(), (std::vector<std::string>{"invoice", "qty", "price", "ratio", "at",
                                                        "at_tz", "day", "paid", "note"}));
  const auto types = source->declared_types();
  ASSERT_EQ(types.size(), 9U);
  EXPECT_EQ(types[1].kind, DeclaredKind::kInteger);
  EXPECT_EQ(types[2].kind, DeclaredKind::kDecimal);
  EXPECT_EQ(types[2].name, "numeric");
  EXPECT_EQ(types[5].kind, DeclaredKind::kTimestamp);
  EXPECT_EQ(types[6].kind, DeclaredKind::kDate);
  EXPECT_EQ(types[7].name, "boolean");
  const RowBatch sample = source->sample(2);
  EXPECT_EQ(sample.num_rows(), 2U);
  EXPECT_EQ(sample.field(1, 0), "536366");
  std::vector<std::int64_t> lines;
  const auto rows = postgres_source_rows(*source, &lines);
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(lines, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(rows[0], (std::vector<std::string>{"536365", "6", "2.55", "0.1", "2010-12-01 08:26:00",
                                               "2010-12-01 08:26:00", "2010-12-01", "t",
                                               "tab\there, line\nbreak, back\\slash"}));
  // NULL is an empty field, as in a CSV file.
  EXPECT_EQ(rows[1], (std::vector<std::string>{"536366", "", "", "", "", "", "", "", ""}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"C536367", "-2", "1234567.89", "1e-07",
                                               "2011-01-02 03:04:05.25", "2011-06-30 23:59:59",
                                               "2011-06-30", "f", "客户 \\N"}));
  EXPECT_EQ(source->rows_read(), 3);
}

TEST(PostgresSource, QueryHasItsOwnColumnsEvenRepeatedOnes) {
  CUSTLENS_POSTGRES_DATABASE(url);
  postgres_source_fill(url);
  ReadOptions options;
  options.query =
      "SELECT invoice AS \"InvoiceNo\", qty, qty FROM sales.\"Order Lines\" WHERE qty IS NOT "
      "NULL ORDER BY qty;  ";
  std::unique_ptr<RowSource> source = open_input(url, options);
  EXPECT_EQ(source->header(), (std::vector<std::string>{"InvoiceNo", "qty", "qty"}));
  const auto rows = postgres_source_rows(*source, nullptr);
  EXPECT_EQ(rows,
            (std::vector<std::vector<std::string>>{{"C536367", "-2", "-2"}, {"536365", "6", "6"}}));
}

TEST(PostgresSource, RoleOnAnIncompatibleColumnIsAnError) {
  CUSTLENS_POSTGRES_DATABASE(url);
  postgres_source_fill(url);
  ReadOptions options;
  options.table = "sales.Order Lines";
  std::unique_ptr<RowSource> source = open_input(url, options);
  auto message_for = [&](const std::string& column, ColumnType type) -> std::string {
    ReadOptions wanted;
    wanted.column_types = {{column, type}};
    try {
      check_declared_types(*source, "in", wanted);
    } catch (const Error& error) {
      return error.what();
    }
    return "";
  };
  EXPECT_EQ(message_for("paid", ColumnType::kDouble),
            "in: column 'paid' has type boolean, which cannot be read as a number; map another "
            "column (--map) or cast it in --query");
  EXPECT_NE(message_for("day", ColumnType::kDouble).find("type date"), std::string::npos);
  EXPECT_NE(message_for("qty", ColumnType::kTimestamp).find("column 'qty' has type integer"),
            std::string::npos);
  EXPECT_EQ(message_for("qty", ColumnType::kDouble), "");
  EXPECT_EQ(message_for("note", ColumnType::kDouble), "");  // text: parsed as CSV fields are
  EXPECT_EQ(message_for("day", ColumnType::kTimestamp), "");
  EXPECT_EQ(message_for("paid", ColumnType::kString), "");
  // The input is named without its password.
  ReadOptions wanted;
  wanted.column_types = {{"paid", ColumnType::kDouble}};
  try {
    check_declared_types(*source, "postgresql://ann:s3cret@db/shop", wanted);
    FAIL();
  } catch (const Error& error) {
    EXPECT_TRUE(
        std::string(error.what()).starts_with("postgresql://ann:***@db/shop: column 'paid'"))
        << error.what();
  }
}

TEST(PostgresSource, ErrorsAreOneLine) {
  CUSTLENS_POSTGRES_DATABASE(url);
  postgres_source_fill(url);
  auto message_for = [&](const std::string& target, const std::string& table,
                         const std::string& query) -> std::string {
    ReadOptions options;
    options.table = table;
    options.query = query;
    try {
      open_input(target, options);
    } catch (const Error& error) {
      return error.what();
    }
    return "";
  };
  EXPECT_NE(
      message_for(url, "orders", "").find("--table orders: relation \"orders\" does not exist"),
      std::string::npos);
  // A name that would break out of its quotes is only ever a name.
  EXPECT_NE(message_for(url, "x\"; DROP SCHEMA sales CASCADE; --", "").find("does not exist"),
            std::string::npos);
  EXPECT_NE(message_for(url, "", "SELEKT 1").find("--query: syntax error"), std::string::npos);
  EXPECT_NE(message_for(url, "", "").find("needs --table TABLE or --query"), std::string::npos);
  EXPECT_NE(message_for(url, "a", "SELECT 1").find("needs --table TABLE or --query"),
            std::string::npos);
  // A --query cannot change the database: read only, and wrapped in a SELECT.
  for (const std::string query :
       {"DELETE FROM sales.\"Order Lines\" RETURNING *",
        "WITH gone AS (DELETE FROM sales.\"Order Lines\" RETURNING *) SELECT * FROM gone"}) {
    ReadOptions options;
    options.query = query;
    EXPECT_THROW(open_input(url, options)->sample(10), Error) << query;
  }
  ReadOptions count;
  count.query = "SELECT count(*) FROM sales.\"Order Lines\"";
  EXPECT_EQ(open_input(url, count)->sample(1).field(0, 0), "3");
  for (const std::string& message :
       {message_for(url, "orders", ""), message_for(url, "", "SELEKT 1"),
        message_for("postgresql://custlens@127.0.0.1:1/x", "orders", "")}) {
    EXPECT_FALSE(message.empty());
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
  ReadOptions file_options;
  file_options.table = "orders";
  EXPECT_THROW(open_input("orders.csv", file_options), Error);
}

}  // namespace
}  // namespace custlens::io
