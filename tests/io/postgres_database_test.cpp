// The PostgreSQL Database against a real server (tests/support/postgres_server.sh): values round
// trip with their types, text survives COPY's escapes, transactions roll back, errors are one
// line without the password.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "custlens/error.h"
#include "io/database.h"
#include "support/postgres_test.h"

namespace custlens::io {
namespace {

std::vector<std::vector<SqlValue>> postgres_db_rows(Database& db, const std::string& sql,
                                                    std::span<const SqlValue> params = {}) {
  std::vector<std::vector<SqlValue>> rows;
  db.query(sql, params,
           [&](std::span<const SqlValue> row) { rows.emplace_back(row.begin(), row.end()); });
  return rows;
}

TEST(PostgresDatabase, CreatesItsSchemaAndRoundTripsValues) {
  CUSTLENS_POSTGRES_DATABASE(url);
  std::unique_ptr<Database> db = open_postgresql(url);
  EXPECT_EQ(db->dialect(), "postgresql");
  db->execute_script(
      "CREATE TABLE kinds (id bigint, small int, real double precision, amount numeric, "
      "label text); CREATE INDEX kinds_id ON kinds (id)");
  // The table went into schema custlens (search_path).
  EXPECT_EQ(postgres_db_rows(*db,
                             "SELECT table_schema FROM information_schema.tables WHERE "
                             "table_name = 'kinds'"),
            (std::vector<std::vector<SqlValue>>{{std::string("custlens")}}));
  const std::vector<SqlValue> values{std::int64_t{9007199254740993}, std::int64_t{-7}, 0.1, 2.5,
                                     std::string("it's a ? mark")};
  db->execute("INSERT INTO kinds VALUES (?, ?, ?, ?, ?)", values);
  db->execute("INSERT INTO kinds VALUES (?, ?, ?, ?, ?)",
              std::vector<SqlValue>{std::int64_t{2}, std::monostate{}, std::monostate{},
                                    std::monostate{}, std::monostate{}});
  const auto rows =
      postgres_db_rows(*db, "SELECT * FROM kinds WHERE label = '?' OR id > ? ORDER BY id",
                       std::vector<SqlValue>{std::int64_t{0}});
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0], (std::vector<SqlValue>{std::int64_t{2}, std::monostate{}, std::monostate{},
                                            std::monostate{}, std::monostate{}}));
  EXPECT_EQ(rows[1], values);  // int8 exact beyond 2^53; float8 0.1 exact; numeric as double
  // count(*) is int8, avg() numeric: int64 and double.
  EXPECT_EQ(postgres_db_rows(*db, "SELECT count(*), avg(small) FROM kinds"),
            (std::vector<std::vector<SqlValue>>{{std::int64_t{2}, -7.0}}));
}

TEST(PostgresDatabase, InsertRowsCopiesTenThousandRowsWithAwkwardText) {
  CUSTLENS_POSTGRES_DATABASE(url);
  std::unique_ptr<Database> db = open_postgresql(url);
  db->execute_script("CREATE TABLE customers (n bigint, score double precision, name text)");
  const std::vector<std::string> awkward{
      "tab\there", "line\nbreak", "back\\slash \\N", "quote ' and \"", "unicode 客户 ✓", "cr\r",
      ""};
  const std::vector<std::string_view> columns{"n", "score", "name"};
  std::int64_t next_n = 0;
  Transaction transaction(*db);
  db->insert_rows("customers", columns, [&](std::vector<SqlValue>& row) {
    if (next_n == 10000) return false;
    row[0] = next_n;
    row[1] = next_n % 3 == 0 ? SqlValue{} : SqlValue{static_cast<double>(next_n) / 7.0};
    row[2] = next_n % 11 == 0
                 ? SqlValue{}
                 : SqlValue{awkward[static_cast<std::size_t>(next_n) % awkward.size()]};
    ++next_n;
    return true;
  });
  transaction.commit();
  EXPECT_EQ(postgres_db_rows(*db, "SELECT count(*), count(score), count(name) FROM customers"),
            (std::vector<std::vector<SqlValue>>{
                {std::int64_t{10000}, std::int64_t{10000 - 3334}, std::int64_t{10000 - 910}}}));
  for (std::int64_t n : {1, 2, 4, 5, 6, 7, 8, 10000 - 1}) {
    const auto rows = postgres_db_rows(*db, "SELECT score, name FROM customers WHERE n = ?",
                                       std::vector<SqlValue>{n});
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0][0], n % 3 == 0 ? SqlValue{} : SqlValue{static_cast<double>(n) / 7.0}) << n;
    EXPECT_EQ(rows[0][1], n % 11 == 0
                              ? SqlValue{}
                              : SqlValue{awkward[static_cast<std::size_t>(n) % awkward.size()]})
        << n;
  }
}

TEST(PostgresDatabase, RollbackLeavesNothing) {
  CUSTLENS_POSTGRES_DATABASE(url);
  std::unique_ptr<Database> db = open_postgresql(url);
  db->execute_script("CREATE TABLE runs (run_id text)");
  const std::vector<std::string_view> columns{"run_id"};
  EXPECT_THROW(
      {
        Transaction transaction(*db);
        db->execute("INSERT INTO runs VALUES (?)", std::vector<SqlValue>{std::string("a")});
        int rows = 0;
        db->insert_rows("runs", columns, [&](std::vector<SqlValue>& row) {
          if (++rows == 50) throw Error("stopped half way");
          row[0] = std::string("b");
          return true;
        });
      },
      Error);
  {
    Transaction transaction(*db);
    db->execute("INSERT INTO runs VALUES (?)", std::vector<SqlValue>{std::string("c")});
  }  // no commit: rolled back
  EXPECT_EQ(postgres_db_rows(*db, "SELECT count(*) FROM runs"),
            (std::vector<std::vector<SqlValue>>{{std::int64_t{0}}}));
  // The connection is usable after both.
  db->execute("INSERT INTO runs VALUES (?)", std::vector<SqlValue>{std::string("d")});
  EXPECT_EQ(postgres_db_rows(*db, "SELECT run_id FROM runs"),
            (std::vector<std::vector<SqlValue>>{{std::string("d")}}));
}

TEST(PostgresDatabase, ErrorsAreOneLineAndHideThePassword) {
  CUSTLENS_POSTGRES_DATABASE(url);
  // Trust authentication ignores the password: it is only there to be hidden.
  const std::string with_password = "postgresql://custlens:s3cret@" + url.substr(url.find('@') + 1);
  std::unique_ptr<Database> db = open_postgresql(with_password);
  EXPECT_EQ(db->name().find("s3cret"), std::string::npos);
  for (const std::string sql : {"SELECT * FROM missing_table", "SELEKT 1"}) {
    try {
      postgres_db_rows(*db, sql);
      FAIL() << sql;
    } catch (const Error& error) {
      const std::string message = error.what();
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
      EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
      EXPECT_NE(message.find("custlens:***@"), std::string::npos) << message;
    }
  }
  try {
    db->insert_rows("no_table", std::vector<std::string_view>{"x"},
                    [](std::vector<SqlValue>&) { return false; });
    FAIL();
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("\"no_table\" does not exist"), std::string::npos)
        << error.what();
  }
  EXPECT_THROW(open_postgresql("postgresql://custlens@127.0.0.1:1/x"), Error);
}

}  // namespace
}  // namespace custlens::io
