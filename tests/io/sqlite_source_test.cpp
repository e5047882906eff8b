// The SQLite input source: header and declared types from the statement, values as the CSV
// readers read them, row numbers as provenance, one-line errors, nothing written.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "custlens/error.h"
#include "io/row_source.h"
#include "io/sql_source.h"

namespace custlens::io {
namespace {

class SqliteSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            fmt::format("custlens_sqlite_source_{}_{}.db",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name(),
                        static_cast<unsigned>(::getpid()));
    std::filesystem::remove(path_);
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(
        db,
        "CREATE TABLE \"Order Lines\" (invoice TEXT, qty INTEGER, price REAL, amount NUMERIC, "
        "at TIMESTAMP, paid BOOLEAN, photo BLOB, note);"
        "INSERT INTO \"Order Lines\" VALUES ('536365', 6, 2.55, '22.200000000000003', "
        "'2010-12-01 08:26:00', 1, x'00ff', 'tab\there, line' || char(10) || 'break');"
        "INSERT INTO \"Order Lines\" VALUES ('536366', NULL, 2.0, NULL, NULL, NULL, NULL, NULL);"
        "INSERT INTO \"Order Lines\" VALUES ('C536367', -2, 1e-7, 3, '2011-01-02', 0, NULL, "
        "'客户');",
        nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
    url_ = "sqlite:" + path_.string();
  }
  void TearDown() override { std::filesystem::remove(path_); }

  std::vector<std::vector<std::string>> rows(RowSource& source, std::vector<std::int64_t>* lines) {
    std::vector<std::vector<std::string>> out;
    source.scan(
        [&](std::size_t, const RowBatch& batch) {
          for (std::size_t r = 0; r < batch.num_rows(); ++r) {
            std::vector<std::string> row;
            for (std::size_t c = 0; c < batch.num_columns; ++c) row.emplace_back(batch.field(r, c));
            out.push_back(std::move(row));
            if (lines) lines->push_back(batch.lines[r]);
          }
        },
        {});
    return out;
  }

  std::string message_for(const std::string& url, const std::string& table,
                          const std::string& query) {
    ReadOptions options;
    options.table = table;
    options.query = query;
    try {
      open_input(url, options)->sample(10);
    } catch (const Error& error) {
      return error.what();
    }
    return "";
  }

  std::filesystem::path path_;
  std::string url_;
};

TEST_F(SqliteSourceTest, ReadsTableAsCsvText) {
  ReadOptions options;
  options.table = "main.Order Lines";
  std::unique_ptr<RowSource> source = open_input(url_, options);
  EXPECT_EQ(source->format(), "sqlite");
  EXPECT_EQ(source->header(), (std::vector<std::string>{"invoice", "qty", "price", "amount", "at",
                                                        "paid", "photo", "note"}));
  const auto types = source->declared_types();
  ASSERT_EQ(types.size(), 8U);
  EXPECT_EQ(types[0].kind, DeclaredKind::kText);
  EXPECT_EQ(types[1].kind, DeclaredKind::kInteger);
  EXPECT_EQ(types[2].kind, DeclaredKind::kDecimal);
  EXPECT_EQ(types[3].kind, DeclaredKind::kDecimal);
  EXPECT_EQ(types[4].kind, DeclaredKind::kTimestamp);
  EXPECT_EQ(types[5].kind, DeclaredKind::kBoolean);
  EXPECT_EQ(types[6].kind, DeclaredKind::kBinary);
  EXPECT_EQ(types[7].kind, DeclaredKind::kUnknown);
  EXPECT_EQ(source->sample(1).num_rows(), 1U);
  std::vector<std::int64_t> lines;
  const auto read = rows(*source, &lines);
  EXPECT_EQ(lines, (std::vector<std::int64_t>{1, 2, 3}));
  ASSERT_EQ(read.size(), 3U);
  // REAL and NUMERIC values: the shortest text that reads back as the same double.
  EXPECT_EQ(read[0], (std::vector<std::string>{"536365", "6", "2.55", "22.200000000000003",
                                               "2010-12-01 08:26:00", "1", "\\x00ff",
                                               "tab\there, line\nbreak"}));
  EXPECT_EQ(read[1], (std::vector<std::string>{"536366", "", "2", "", "", "", "", ""}));
  EXPECT_EQ(read[2], (std::vector<std::string>{"C536367", "-2", "1e-07", "3", "2011-01-02", "0", "",
                                               "客户"}));
  EXPECT_EQ(source->rows_read(), 3);

  ReadOptions wanted;
  wanted.column_types = {{"paid", ColumnType::kDouble}};
  EXPECT_THROW(check_declared_types(*source, url_, wanted), Error);
  wanted.column_types = {{"qty", ColumnType::kTimestamp}};
  EXPECT_THROW(check_declared_types(*source, url_, wanted), Error);
  wanted.column_types = {{"note", ColumnType::kTimestamp}, {"amount", ColumnType::kDouble}};
  EXPECT_NO_THROW(check_declared_types(*source, url_, wanted));
}

TEST_F(SqliteSourceTest, QueryAndErrors) {
  ReadOptions options;
  options.query = "SELECT invoice, qty * 2 AS twice FROM \"Order Lines\" WHERE qty IS NOT NULL;";
  std::unique_ptr<RowSource> source = open_input(url_, options);
  EXPECT_EQ(source->header(), (std::vector<std::string>{"invoice", "twice"}));
  EXPECT_EQ(rows(*source, nullptr),
            (std::vector<std::vector<std::string>>{{"536365", "12"}, {"C536367", "-4"}}));

  EXPECT_EQ(message_for(url_, "orders", ""), url_ + ": --table orders: no such table: orders");
  EXPECT_NE(message_for(url_, "x\"; DROP TABLE t; --", "").find("no such table"),
            std::string::npos);
  EXPECT_NE(message_for(url_, "", "DELETE FROM \"Order Lines\"").find("would change the database"),
            std::string::npos);
  EXPECT_NE(message_for(url_, "", "SELECT 1; DELETE FROM \"Order Lines\"").find("more than one"),
            std::string::npos);
  EXPECT_NE(message_for(url_, "", "").find("needs --table TABLE or --query"), std::string::npos);
  EXPECT_EQ(message_for("sqlite:/no/such.db", "t", ""),
            "sqlite:/no/such.db: cannot open: no such file");
  // A file that is no database.
  const std::filesystem::path text = path_.string() + ".txt";
  std::ofstream(text) << "InvoiceNo,CustomerID\n1,2\n";
  EXPECT_NE(message_for("sqlite:" + text.string(), "t", "").find("file is not a database"),
            std::string::npos);
  std::filesystem::remove(text);
  // Nothing was changed.
  ReadOptions count;
  count.query = "SELECT count(*) FROM \"Order Lines\"";
  EXPECT_EQ(open_input(url_, count)->sample(1).field(0, 0), "3");
}

}  // namespace
}  // namespace custlens::io
