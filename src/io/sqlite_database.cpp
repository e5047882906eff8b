// The SQLite side of io::Database (the run store's embedded default): one file, WAL mode, a busy
// timeout so that two runs writing the same store wait for each other instead of failing.
#include <fmt/format.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <unordered_map>

#include "custlens/error.h"
#include "io/database.h"

namespace custlens::io {
namespace {

// Another run holding the write lock: wait this long before giving up.
constexpr int kBusyTimeoutMs = 30000;

struct StatementDeleter {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(std::string path) : path_(std::move(path)) {
    const int rc =
        sqlite3_open_v2(path_.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      const std::string reason = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      db_ = nullptr;
      throw Error(fmt::format("{}: cannot open the SQLite database: {}", path_, reason));
    }
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    // A file that is not a database fails on its first read: say so here, by name.
    try {
      execute_script("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL");
    } catch (...) {
      sqlite3_close(db_);
      db_ = nullptr;
      throw;
    }
  }
  ~SqliteDatabase() override {
    statements_.clear();  // finalised before the close, which refuses live statements
    sqlite3_close(db_);
  }
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  std::string_view dialect() const override { return "sqlite"; }
  const std::string& name() const override { return path_; }

  void execute_script(std::string_view sql) override {
    const std::string text(sql);
    char* message = nullptr;
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string reason = message != nullptr ? message : sqlite3_errmsg(db_);
      sqlite3_free(message);
      fail(reason);
    }
  }

  void execute(std::string_view sql, std::span<const SqlValue> params) override {
    sqlite3_stmt* statement = prepared(sql);
    bind(statement, params);
    step_to_end(statement);
  }

  void query(std::string_view sql, std::span<const SqlValue> params,
             const std::function<void(std::span<const SqlValue>)>& row) override {
    sqlite3_stmt* statement = prepared(sql);
    bind(statement, params);
    const int columns = sqlite3_column_count(statement);
    std::vector<SqlValue> values(static_cast<std::size_t>(columns));
    for (;;) {
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        sqlite3_reset(statement);
        fail(sqlite3_errmsg(db_));
      }
      for (int c = 0; c < columns; ++c) values[static_cast<std::size_t>(c)] = column(statement, c);
      try {
        row(values);
      } catch (...) {
        sqlite3_reset(statement);
        throw;
      }
    }
    sqlite3_reset(statement);
  }

  void insert_rows(std::string_view table, std::span<const std::string_view> columns,
                   const std::function<bool(std::vector<SqlValue>&)>& next) override {
    std::string sql = fmt::format("INSERT INTO {} (", table);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      sql += fmt::format("{}{}", c == 0 ? "" : ", ", columns[c]);
    }
    sql += ") VALUES (";
    for (std::size_t c = 0; c < columns.size(); ++c) sql += c == 0 ? "?" : ", ?";
    sql += ')';
    sqlite3_stmt* statement = prepared(sql);
    std::vector<SqlValue> row(columns.size());
    while (next(row)) {
      bind(statement, row);
      step_to_end(statement);
    }
  }

  void begin() override { execute_script("BEGIN IMMEDIATE"); }
  void commit() override { execute_script("COMMIT"); }
  void rollback() override { execute_script("ROLLBACK"); }

 private:
  [[noreturn]] void fail(std::string_view reason) const {
    throw Error(fmt::format("{}: {}", path_, reason));
  }

  // Statements are prepared once per text and kept: a run re-binds the same INSERT many times.
  sqlite3_stmt* prepared(std::string_view sql) {
    auto found = statements_.find(std::string(sql));
    if (found != statements_.end()) return found->second.get();
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, nullptr) !=
        SQLITE_OK) {
      fail(sqlite3_errmsg(db_));
    }
    return statements_.emplace(std::string(sql), Statement(raw)).first->second.get();
  }

  void bind(sqlite3_stmt* statement, std::span<const SqlValue> params) {
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(statement)) {
      fail(fmt::format("{} values for {} placeholders in: {}", params.size(),
                       sqlite3_bind_parameter_count(statement), sqlite3_sql(statement)));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      int rc = SQLITE_OK;
      if (const auto* integer = std::get_if<std::int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(statement, index, *integer);
      } else if (const auto* real = std::get_if<double>(&params[i])) {
        rc = sqlite3_bind_double(statement, index, *real);
      } else if (const auto* text = std::get_if<std::string>(&params[i])) {
        rc = sqlite3_bind_text64(statement, index, text->data(), text->size(), SQLITE_STATIC,
                                 SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_null(statement, index);
      }
      if (rc != SQLITE_OK) fail(sqlite3_errmsg(db_));
    }
  }

  void step_to_end(sqlite3_stmt* statement) {
    int rc = SQLITE_ROW;
    while (rc == SQLITE_ROW) rc = sqlite3_step(statement);
    if (rc != SQLITE_DONE) {
      const std::string reason = sqlite3_errmsg(db_);
      sqlite3_reset(statement);
      fail(reason);
    }
    sqlite3_reset(statement);
  }

  static SqlValue column(sqlite3_stmt* statement, int c) {
    switch (sqlite3_column_type(statement, c)) {
      case SQLITE_INTEGER:
        return static_cast<std::int64_t>(sqlite3_column_int64(statement, c));
      case SQLITE_FLOAT:
        return sqlite3_column_double(statement, c);
      case SQLITE_NULL:
        return std::monostate{};
      default: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, c));
        return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, c)));
      }
    }
  }

  std::string path_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, Statement> statements_;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path) {
  return std::make_unique<SqliteDatabase>(path);
}

}  // namespace custlens::io
