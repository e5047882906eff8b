// A connection to a SQL database — SQLite (the run store's embedded default) or PostgreSQL — with
// one small interface, so that the store (io/store.h) writes and reads the same schema in either
// (docs/store.md). SQL is written once with `?` placeholders; values are always bound, never
// spliced into the text.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace custlens::io {

/// One SQL value: NULL, an integer, a double or text.
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;

/// A database connection. Errors are custlens::Error, one line, naming the database (the target
/// as given, without any password) and what failed.
class Database {
 public:
  virtual ~Database() = default;
  /// "sqlite" or "postgresql".
  virtual std::string_view dialect() const = 0;
  /// The target as the user gave it, any password removed: for messages.
  virtual const std::string& name() const = 0;
  /// Runs `sql`, which may hold several statements separated by `;` and no placeholder
  /// (schema changes).
  virtual void execute_script(std::string_view sql) = 0;
  /// Runs one statement with its `?` placeholders bound to `params`, in order.
  virtual void execute(std::string_view sql, std::span<const SqlValue> params) = 0;
  /// Runs one query with its `?` placeholders bound to `params`; `row` is called for each result
  /// row, in order, with one value per column (integers as int64, reals as double, text as
  /// string, NULL as monostate; PostgreSQL numeric types come back as int64 or double).
  virtual void query(std::string_view sql, std::span<const SqlValue> params,
                     const std::function<void(std::span<const SqlValue> row)>& row) = 0;
  /// Appends many rows to `table` (its `columns`, in order): `next(row)` fills `row` (resized to
  /// the number of columns) and returns false when there are no more. SQLite: one prepared
  /// INSERT re-bound per row; PostgreSQL: COPY ... FROM STDIN. Inside the caller's transaction.
  virtual void insert_rows(std::string_view table, std::span<const std::string_view> columns,
                           const std::function<bool(std::vector<SqlValue>& row)>& next) = 0;
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
};

/// A transaction that rolls back unless commit() was called (an exception unwinds it).
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) { db_.begin(); }
  ~Transaction() {
    if (!done_) {
      try {
        db_.rollback();
      } catch (...) {  // NOLINT(bugprone-empty-catch): already failing; the first error wins
      }
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    db_.commit();
    done_ = true;
  }

 private:
  Database& db_;
  bool done_ = false;
};

/// True when `target` names a database rather than a file: "sqlite:PATH", "postgresql://..." or
/// "postgres://...".
bool is_database_url(std::string_view target);

/// `target` as messages and the run store may show it: a PostgreSQL URL's password replaced by
/// "***"; anything else as it is.
std::string redacted_target(std::string_view target);

/// The SQLite file `target` names ("sqlite:PATH" or a plain path); none for a PostgreSQL URL.
std::optional<std::string> sqlite_file(std::string_view target);

/// Opens `target`: "sqlite:PATH" or a plain path (a SQLite file, created if missing, in WAL mode
/// with a busy timeout), or "postgresql://user@host:port/db" / "postgres://..." (libpq; tables in
/// schema `custlens`, created if missing). Throws custlens::Error for a malformed URL, a refused
/// connection or a file that is not a SQLite database.
std::unique_ptr<Database> open_database(const std::string& target);

/// Opens a SQLite file (open_database without the "sqlite:" prefix).
std::unique_ptr<Database> open_sqlite(const std::string& path);
/// Connects to PostgreSQL; `url` is a libpq connection URI. Sets search_path to schema
/// `custlens`, creating the schema if it is missing.
std::unique_ptr<Database> open_postgresql(const std::string& url);

}  // namespace custlens::io
