// The PostgreSQL Database (io/database.h) over libpq: `?` placeholders rewritten to $1..$n and
// bound as text, results typed by their column types, bulk rows through COPY ... FROM STDIN, and
// the tables in schema `custlens`.
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <iterator>

#include "custlens/error.h"
#include "io/database.h"
#include "io/postgres_connection.h"

namespace custlens::io {

std::string postgres_placeholders(std::string_view sql, std::size_t& count) {
  std::string out;
  out.reserve(sql.size() + 8);
  count = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // a string or quoted identifier: to its closing quote
      const std::size_t end = sql.find(c, i + 1);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;  // a doubled quote ('') reopens at the next step, which is the same
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const std::size_t end = sql.find('\n', i);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const std::size_t end = sql.find("*/", i + 2);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 2;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '?') {
      fmt::format_to(std::back_inserter(out), "${}", ++count);
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

// A double as PostgreSQL reads it back exactly (shortest round trip; its names for the
// non-finite values).
std::string double_text(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return fmt::format("{}", value);
}

// Appends `text` in COPY's text format: backslash, tab, newline and carriage return escaped.
void append_copy_text(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

SqlValue typed_value(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return std::monostate{};
  const char* text = PQgetvalue(result, row, column);
  const auto size = static_cast<std::size_t>(PQgetlength(result, row, column));
  switch (PQftype(result, column)) {
    case 20:
    case 21:
    case 23:
    case 26: {  // int8, int2, int4, oid
      std::int64_t value = 0;
      std::from_chars(text, text + size, value);
      return value;
    }
    case 700:
    case 701:
    case 1700:  // float4, float8, numeric
      return std::strtod(text, nullptr);
    default:
      return std::string(text, size);
  }
}

class PostgresDatabase : public Database {
 public:
  explicit PostgresDatabase(const std::string& url) : connection_(url) {}

  std::string_view dialect() const override { return "postgresql"; }
  const std::string& name() const override { return connection_.name(); }

  void execute_script(std::string_view sql) override { connection_.run(sql, "executing"); }

  void execute(std::string_view sql, std::span<const SqlValue> params) override {
    run(sql, params, PGRES_COMMAND_OK);
  }

  void query(std::string_view sql, std::span<const SqlValue> params,
             const std::function<void(std::span<const SqlValue> row)>& row) override {
    const PgResult result = run(sql, params, PGRES_TUPLES_OK);
    const int rows = PQntuples(result.get());
    const int columns = PQnfields(result.get());
    std::vector<SqlValue> values(static_cast<std::size_t>(columns));
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < columns; ++c) {
        values[static_cast<std::size_t>(c)] = typed_value(result.get(), r, c);
      }
      row(values);
    }
  }

  void insert_rows(std::string_view table, std::span<const std::string_view> columns,
                   const std::function<bool(std::vector<SqlValue>& row)>& next) override {
    std::string sql = "COPY " + quote_qualified_name(table) + " (";
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) sql += ", ";
      sql += quote_identifier(columns[c]);
    }
    sql += ") FROM STDIN";
    const std::string what = fmt::format("writing {}", table);
    PGconn* conn = connection_.get();
    connection_.check(PQexec(conn, sql.c_str()), PGRES_COPY_IN, what);
    std::string buffer;
    std::vector<SqlValue> row;
    auto send = [&] {
      if (PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size())) != 1) {
        throw Error(fmt::format("{}: {}: {}", name(), what, connection_.last_error()));
      }
      buffer.clear();
    };
    try {
      while (true) {
        row.assign(columns.size(), std::monostate{});
        if (!next(row)) break;
        row.resize(columns.size());
        for (std::size_t c = 0; c < row.size(); ++c) {
          if (c > 0) buffer += '\t';
          if (const auto* integer = std::get_if<std::int64_t>(&row[c])) {
            fmt::format_to(std::back_inserter(buffer), "{}", *integer);
          } else if (const auto* real = std::get_if<double>(&row[c])) {
            buffer += double_text(*real);
          } else if (const auto* text = std::get_if<std::string>(&row[c])) {
            append_copy_text(buffer, *text);
          } else {
            buffer += "\\N";
          }
        }
        buffer += '\n';
        if (buffer.size() >= (std::size_t{1} << 20)) send();
      }
      if (!buffer.empty()) send();
    } catch (...) {
      // The COPY fails on the server, so nothing of it is kept; the caller's error wins.
      PQputCopyEnd(conn, "custlens: writing stopped");
      while (PGresult* result = PQgetResult(conn)) PQclear(result);
      throw;
    }
    if (PQputCopyEnd(conn, nullptr) != 1) {
      throw Error(fmt::format("{}: {}: {}", name(), what, connection_.last_error()));
    }
    PgResult result = connection_.check(PQgetResult(conn), PGRES_COMMAND_OK, what);
    while (PGresult* more = PQgetResult(conn)) PQclear(more);
  }

  void begin() override { connection_.run("BEGIN", "begin"); }
  void commit() override { connection_.run("COMMIT", "commit"); }
  void rollback() override { connection_.run("ROLLBACK", "rollback"); }

  PgConnection& connection() { return connection_; }

 private:
  PgResult run(std::string_view sql, std::span<const SqlValue> params, ExecStatusType expected) {
    std::size_t placeholders = 0;
    const std::string text = postgres_placeholders(sql, placeholders);
    if (placeholders != params.size()) {
      throw Error(fmt::format("{}: internal: {} placeholders for {} values in: {}", name(),
                              placeholders, params.size(), sql.substr(0, 80)));
    }
    std::vector<std::string> storage(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (const auto* integer = std::get_if<std::int64_t>(&params[i])) {
        storage[i] = std::to_string(*integer);
      } else if (const auto* real = std::get_if<double>(&params[i])) {
        storage[i] = double_text(*real);
      } else if (const auto* string = std::get_if<std::string>(&params[i])) {
        storage[i] = *string;
      } else {
        continue;  // NULL
      }
      values[i] = storage[i].c_str();
    }
    // The first line of the statement names it in an error.
    const std::string_view head = sql.substr(0, std::min(sql.find('\n'), std::size_t{60}));
    return connection_.check(
        PQexecParams(connection_.get(), text.c_str(), static_cast<int>(params.size()), nullptr,
                     values.data(), nullptr, nullptr, 0),
        expected, head);
  }

  PgConnection connection_;
};

}  // namespace

std::unique_ptr<Database> open_postgresql(const std::string& url) {
  auto db = std::make_unique<PostgresDatabase>(url);
  // Created only when missing, so that a role without CREATE on the database can still use a
  // schema made for it.
  bool exists = false;
  db->query("SELECT 1 FROM pg_namespace WHERE nspname = 'custlens'", {},
            [&](std::span<const SqlValue>) { exists = true; });
  if (!exists) db->execute_script("CREATE SCHEMA IF NOT EXISTS custlens");
  db->execute_script("SET search_path TO custlens");
  return db;
}

}  // namespace custlens::io
