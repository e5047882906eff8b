// A SQLite table or query as an input ("sqlite:PATH"), opened read only: the statement's column
// names and declared types at opening, its rows stepped into batches when scanned.
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iterator>

#include "custlens/error.h"
#include "io/sql_source.h"

namespace custlens::io {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";

// SQLite's type affinity rules (datatype3.html, 3.1), with dates and booleans told apart first.
DeclaredType declared_type(const char* declared) {
  if (declared == nullptr || *declared == '\0') return {DeclaredKind::kUnknown, "(none)"};
  std::string upper(declared);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  auto has = [&](std::string_view word) { return upper.find(word) != std::string::npos; };
  DeclaredKind kind = DeclaredKind::kDecimal;  // NUMERIC affinity
  if (has("DATE") || has("TIME")) {
    kind = has("TIME") ? DeclaredKind::kTimestamp : DeclaredKind::kDate;
  } else if (has("BOOL")) {
    kind = DeclaredKind::kBoolean;
  } else if (has("INT")) {
    kind = DeclaredKind::kInteger;
  } else if (has("CHAR") || has("CLOB") || has("TEXT")) {
    kind = DeclaredKind::kText;
  } else if (has("BLOB")) {
    kind = DeclaredKind::kBinary;
  }
  return {kind, declared};
}

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

class SqliteCursor : public SqlCursor {
 public:
  SqliteCursor(Statement statement, std::string name)
      : statement_(std::move(statement)), name_(std::move(name)) {}

  bool next(RowBatchBuilder& rows) override {
    sqlite3_stmt* statement = statement_.get();
    const int rc = sqlite3_step(statement);
    if (rc == SQLITE_DONE) return false;
    if (rc != SQLITE_ROW) {
      throw Error(
          fmt::format("{}: reading rows: {}", name_, sqlite3_errmsg(sqlite3_db_handle(statement))));
    }
    std::string& arena = rows.arena();
    const int columns = sqlite3_column_count(statement);
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(statement, c)) {
        case SQLITE_INTEGER:
          fmt::format_to(std::back_inserter(arena), "{}", sqlite3_column_int64(statement, c));
          break;
        case SQLITE_FLOAT:  // the shortest text that reads back as the same double
          fmt::format_to(std::back_inserter(arena), "{}", sqlite3_column_double(statement, c));
          break;
        case SQLITE_TEXT: {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, c));
          arena.append(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, c)));
          break;
        }
        case SQLITE_BLOB: {  // as PostgreSQL writes bytea: \x and hex digits
          const auto* bytes = static_cast<const unsigned char*>(sqlite3_column_blob(statement, c));
          arena += "\\x";
          for (int b = 0; b < sqlite3_column_bytes(statement, c); ++b) {
            fmt::format_to(std::back_inserter(arena), "{:02x}", bytes[b]);
          }
          break;
        }
        default:  // NULL: an empty field, as in a CSV file
          break;
      }
      rows.end_field();
    }
    return true;
  }

 private:
  Statement statement_;
  std::string name_;
};

class SqliteSource : public SqlRowSource {
 public:
  SqliteSource(std::string name, std::unique_ptr<sqlite3, SqliteCloser> db, std::string select,
               std::vector<std::string> header, std::vector<DeclaredType> types)
      : SqlRowSource(std::move(header), std::move(types)),
        name_(std::move(name)),
        db_(std::move(db)),
        select_(std::move(select)) {}

  std::string_view format() const override { return "sqlite"; }

  static Statement prepare(sqlite3* db, const std::string& sql, const std::string& name,
                           std::string_view what) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()) + 1, &raw, &tail) !=
        SQLITE_OK) {
      throw Error(fmt::format("{}: {}: {}", name, what, sqlite3_errmsg(db)));
    }
    Statement statement(raw);
    if (!statement) throw Error(fmt::format("{}: {} is empty", name, what));
    if (tail != nullptr && !trim_sql(tail).empty()) {
      throw Error(fmt::format("{}: {} holds more than one statement", name, what));
    }
    if (sqlite3_stmt_readonly(raw) == 0) {
      throw Error(fmt::format("{}: {} would change the database; give a SELECT", name, what));
    }
    return statement;
  }

 protected:
  // Stepping stops at `limit` (SqlRowSource::sample): no LIMIT clause is needed.
  std::unique_ptr<SqlCursor> open_cursor(std::size_t /*limit*/) override {
    return std::make_unique<SqliteCursor>(prepare(db_.get(), select_, name_, "reading rows"),
                                          name_);
  }

 private:
  std::string name_;
  std::unique_ptr<sqlite3, SqliteCloser> db_;
  std::string select_;
};

// A SQLite identifier quoted ("a""b"); SCHEMA.TABLE quotes each part.
std::string quote_sqlite_name(std::string_view name) {
  auto quote = [](std::string_view part) {
    std::string quoted = "\"";
    for (char c : part) {
      if (c == '"') quoted += '"';
      quoted += c;
    }
    return quoted + "\"";
  };
  const std::size_t dot = name.find('.');
  if (name.empty() ||
      (dot != std::string_view::npos &&
       (dot == 0 || dot + 1 == name.size() || name.find('.', dot + 1) != std::string_view::npos))) {
    throw Error(fmt::format("--table '{}' must be TABLE or SCHEMA.TABLE", name));
  }
  if (dot == std::string_view::npos) return quote(name);
  return quote(name.substr(0, dot)) + "." + quote(name.substr(dot + 1));
}

}  // namespace

std::unique_ptr<RowSource> open_sqlite_input(const std::string& url, const ReadOptions& options) {
  require_table_or_query(url, options);
  const std::string path = url.substr(std::min(url.size(), kSqlitePrefix.size()));
  if (path.empty()) throw Error(fmt::format("{}: give a file: sqlite:PATH", url));
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw Error(fmt::format("{}: cannot open: no such file", url));
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, SqliteCloser> db(raw);
  if (rc != SQLITE_OK) {
    throw Error(
        fmt::format("{}: cannot open: {}", url, raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  sqlite3_busy_timeout(raw, 5000);
  const std::string select = options.table.empty()
                                 ? trim_sql(options.query)
                                 : "SELECT * FROM " + quote_sqlite_name(options.table);
  const std::string what =
      options.table.empty() ? std::string("--query") : fmt::format("--table {}", options.table);
  const Statement statement = SqliteSource::prepare(raw, select, url, what);
  const int num_columns = sqlite3_column_count(statement.get());
  if (num_columns == 0) throw Error(fmt::format("{}: {} returns no columns", url, what));
  std::vector<std::string> header;
  std::vector<DeclaredType> types;
  for (int c = 0; c < num_columns; ++c) {
    const char* name = sqlite3_column_name(statement.get(), c);
    header.emplace_back(name ? name : "");
    types.push_back(declared_type(sqlite3_column_decltype(statement.get(), c)));
  }
  return std::make_unique<SqliteSource>(url, std::move(db), select, std::move(header),
                                        std::move(types));
}

}  // namespace custlens::io
