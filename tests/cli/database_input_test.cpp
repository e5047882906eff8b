// A database as the input of `analyze`: the same order lines loaded into PostgreSQL and SQLite
// with typed columns (integer, numeric/real, timestamp, text, NULLs) give the same summary.json
// (apart from the input's description) and customers.csv as the CSV file; bad inputs are
// one-line errors that write nothing.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/database.h"
#include "support/cli_runner.h"
#include "support/postgres_test.h"

namespace custlens::testing {
namespace {

const std::string kDatabaseInputCsv = std::string(CUSTLENS_TEST_DATA) + "/patterns_orders.csv";

// The rows of a CSV file with a header and double-quoted fields (no quote inside a field).
std::vector<std::vector<std::string>> database_input_csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (const char c : text) {
    if (quoted) {
      if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  return rows;
}

// The columns of patterns_orders.csv and their types in each database.
constexpr const char* kDatabaseInputPostgresTable =
    "CREATE TABLE public.orders (\"InvoiceNo\" text, \"StockCode\" text, \"Description\" text, "
    "\"Quantity\" integer, \"InvoiceDate\" timestamp, \"UnitPrice\" numeric(10,2), "
    "\"CustomerID\" bigint, \"Country\" text)";
constexpr const char* kDatabaseInputSqliteTable =
    "CREATE TABLE orders (InvoiceNo TEXT, StockCode TEXT, Description TEXT, Quantity INTEGER, "
    "InvoiceDate TIMESTAMP, UnitPrice REAL, CustomerID INTEGER, Country TEXT)";

// Compares a summary read from a database with the CSV one: numbers to 1e-12 relative (sums
// over other batch boundaries round differently in the last bits), a reject's or example's
// `line` one less (the result's row number against the file's line, header on line 1), its
// `file` not at all (the input as named), everything else exactly.
void database_input_compare(const nlohmann::json& database, const nlohmann::json& csv,
                            const std::string& where) {
  if (csv.is_object()) {
    ASSERT_TRUE(database.is_object()) << where;
    EXPECT_EQ(database.size(), csv.size()) << where;
    for (const auto& [key, value] : csv.items()) {
      if (key == "file") continue;
      ASSERT_TRUE(database.contains(key)) << where << "." << key;
      if (key == "line") {
        EXPECT_EQ(database.at(key), value.get<std::int64_t>() - 1) << where << ".line";
        continue;
      }
      database_input_compare(database.at(key), value, where + "." + key);
    }
  } else if (csv.is_array()) {
    ASSERT_TRUE(database.is_array()) << where;
    ASSERT_EQ(database.size(), csv.size()) << where;
    for (std::size_t i = 0; i < csv.size(); ++i) {
      database_input_compare(database[i], csv[i], where + "[" + std::to_string(i) + "]");
    }
  } else if (csv.is_number_float() || database.is_number_float()) {
    ASSERT_TRUE(database.is_number()) << where;
    const double expected = csv.get<double>();
    EXPECT_NEAR(database.get<double>(), expected, 1e-12 * std::max(1.0, std::abs(expected)))
        << where;
  } else {
    EXPECT_EQ(database, csv) << where;
  }
}

class DatabaseInputTest : public CliTest {
 protected:
  // summary.json of `analyze ARGS --out NAME`, without the input's description.
  nlohmann::json analyze(const std::string& arguments, const std::string& name) {
    const int code = run(fmt::format("analyze {} --out '{}' --quiet", arguments, path(name)));
    EXPECT_EQ(code, 0) << err();
    nlohmann::json summary = nlohmann::json::parse(slurp(path(name + "/summary.json")));
    summary.erase("input");
    return summary;
  }

  void load_postgres(const std::string& url) {
    const auto rows = database_input_csv_rows(slurp(kDatabaseInputCsv));
    std::unique_ptr<io::Database> db = io::open_postgresql(url);
    db->execute_script(kDatabaseInputPostgresTable);
    std::vector<std::string_view> columns;
    for (const std::string& name : rows.front()) columns.push_back(name);
    std::size_t next = 1;
    db->insert_rows("public.orders", columns, [&](std::vector<io::SqlValue>& row) {
      if (next == rows.size()) return false;
      for (std::size_t c = 0; c < columns.size(); ++c) {
        const std::string& field = rows[next][c];
        row[c] = field.empty() ? io::SqlValue{} : io::SqlValue{field};
      }
      ++next;
      return true;
    });
  }

  std::string load_sqlite() {
    const auto rows = database_input_csv_rows(slurp(kDatabaseInputCsv));
    const std::string file = path("orders.db");
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, kDatabaseInputSqliteTable, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &insert,
                       nullptr);
    for (std::size_t r = 1; r < rows.size(); ++r) {
      for (std::size_t c = 0; c < rows[r].size(); ++c) {
        const std::string& field = rows[r][c];
        const int slot = static_cast<int>(c) + 1;
        // Text bound to INTEGER and REAL columns is stored as a number (type affinity).
        if (field.empty()) {
          sqlite3_bind_null(insert, slot);
        } else {
          sqlite3_bind_text(insert, slot, field.c_str(), static_cast<int>(field.size()),
                            SQLITE_TRANSIENT);
        }
      }
      EXPECT_EQ(sqlite3_step(insert), SQLITE_DONE);
      sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    return "sqlite:" + file;
  }
};

TEST_F(DatabaseInputTest, SqliteGivesTheSameAnswersAsCsv) {
  const std::string sqlite = load_sqlite();
  const nlohmann::json from_csv = analyze("'" + kDatabaseInputCsv + "'", "csv");
  const nlohmann::json from_sqlite = analyze("'" + sqlite + "' --table orders", "sqlite");
  database_input_compare(from_sqlite, from_csv, "summary");
  EXPECT_EQ(from_csv.at("audit").at("rows_read"), 3000);
  EXPECT_EQ(slurp(path("sqlite/customers.csv")), slurp(path("csv/customers.csv")));
}

TEST_F(DatabaseInputTest, PostgresqlGivesTheSameAnswersAsCsvAndRefusesBadInputs) {
  CUSTLENS_POSTGRES_DATABASE(url);
  load_postgres(url);
  const nlohmann::json from_csv = analyze("'" + kDatabaseInputCsv + "'", "csv");
  const nlohmann::json from_table = analyze("'" + url + "' --table orders", "table");
  database_input_compare(from_table, from_csv, "summary");
  EXPECT_EQ(slurp(path("table/customers.csv")), slurp(path("csv/customers.csv")));
  // A query reading a view of the same rows, through the postgres:// spelling.
  const std::string postgres = "postgres://" + url.substr(url.find("://") + 3);
  const nlohmann::json from_query =
      analyze("'" + postgres + "' --query 'SELECT * FROM orders WHERE \"Quantity\" <> 0'", "query");
  database_input_compare(from_query, from_csv, "summary");

  // A role on a column of the wrong type, a missing table, a refused connection: one line each,
  // no output folder.
  expect_one_line_error(
      run(fmt::format("analyze '{}' --query 'SELECT *, \"InvoiceDate\" > now() AS late FROM "
                      "orders' --map quantity=late --out '{}'",
                      url, path("bad"))),
      "column 'late' has type boolean, which cannot be read as a number");
  expect_one_line_error(
      run(fmt::format("analyze '{}' --table missing --out '{}'", url, path("bad"))),
      "relation \"missing\" does not exist");
  expect_one_line_error(
      run(fmt::format("analyze postgresql://custlens@127.0.0.1:1/db --table orders --out '{}'",
                      path("bad"))),
      "port 1 failed");
  EXPECT_FALSE(std::filesystem::exists(path("bad/summary.json")));
}

}  // namespace
}  // namespace custlens::testing
