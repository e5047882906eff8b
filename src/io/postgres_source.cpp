// A PostgreSQL table or query as an input: described once for its header and column types, its
// rows streamed by `COPY (SELECT ...) TO STDOUT` in text format and decoded into batches.
#include <fmt/format.h>

#include <memory>

#include "custlens/error.h"
#include "io/postgres_connection.h"
#include "io/sql_source.h"

namespace custlens::io {
namespace {

// Built-in type OIDs (pg_type.dat): the kinds the role check tells apart.
DeclaredKind kind_of(Oid type) {
  switch (type) {
    case 20:
    case 21:
    case 23:
    case 26:  // int8, int2, int4, oid
      return DeclaredKind::kInteger;
    case 700:
    case 701:
    case 1700:  // float4, float8, numeric
      return DeclaredKind::kDecimal;
    case 18:
    case 19:
    case 25:
    case 1042:
    case 1043:  // char, name, text, bpchar, varchar
      return DeclaredKind::kText;
    case 705:  // unknown: an untyped literal in a --query
      return DeclaredKind::kUnknown;
    case 1082:
      return DeclaredKind::kDate;
    case 1114:
    case 1184:  // timestamp, timestamptz
      return DeclaredKind::kTimestamp;
    case 16:
      return DeclaredKind::kBoolean;
    case 17:
      return DeclaredKind::kBinary;
    default:
      return DeclaredKind::kOther;
  }
}

constexpr Oid kTimestampTz = 1184;

struct PgFreeMem {
  void operator()(char* buffer) const { PQfreemem(buffer); }
};

// Appends one field of COPY's text format with its backslash escapes undone; \N (NULL) appends
// nothing: an empty field, as in a CSV file.
void unescape_copy_field(std::string_view field, std::string& arena) {
  for (std::size_t i = 0; i < field.size(); ++i) {
    const char c = field[i];
    if (c != '\\' || i + 1 == field.size()) {
      arena += c;
      continue;
    }
    const char next = field[++i];
    switch (next) {
      case 'b':
        arena += '\b';
        break;
      case 'f':
        arena += '\f';
        break;
      case 'n':
        arena += '\n';
        break;
      case 'r':
        arena += '\r';
        break;
      case 't':
        arena += '\t';
        break;
      case 'v':
        arena += '\v';
        break;
      case 'N':
        break;
      default:
        if (next >= '0' && next <= '7') {
          int value = next - '0';
          for (int digits = 1;
               digits < 3 && i + 1 < field.size() && field[i + 1] >= '0' && field[i + 1] <= '7';
               ++digits) {
            value = value * 8 + (field[++i] - '0');
          }
          arena += static_cast<char>(value);
        } else {
          arena += next;  // \\ and any other escaped character stand for themselves
        }
    }
  }
}

// Decodes one row of COPY's text format ("a\tb\n") into `rows`; returns the number of fields.
// Fields without a backslash (most) are copied whole.
std::size_t decode_copy_row(std::string_view line, RowBatchBuilder& rows) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  std::string& arena = rows.arena();
  std::size_t fields = 0;
  std::size_t begin = 0;
  while (true) {
    const std::size_t tab = line.find('\t', begin);
    const std::string_view field =
        line.substr(begin, (tab == std::string_view::npos ? line.size() : tab) - begin);
    if (field.find('\\') == std::string_view::npos) {
      arena.append(field);
    } else {
      unescape_copy_field(field, arena);
    }
    rows.end_field();
    ++fields;
    if (tab == std::string_view::npos) return fields;
    begin = tab + 1;
  }
}

// The rows of one COPY ... TO STDOUT. Abandoned before its end (an exception in a callback), it
// closes the connection: the server stops the query when the socket goes.
class CopyCursor : public SqlCursor {
 public:
  CopyCursor(std::unique_ptr<PgConnection>& connection, const std::string& sql,
             std::size_t num_columns, bool limited)
      : connection_(connection), num_columns_(num_columns), limited_(limited) {
    connection_->check(PQexec(connection_->get(), sql.c_str()), PGRES_COPY_OUT, "reading rows");
  }
  CopyCursor(const CopyCursor&) = delete;
  CopyCursor& operator=(const CopyCursor&) = delete;

  ~CopyCursor() override {
    if (done_) return;
    if (!limited_) {
      connection_.reset();
      return;
    }
    // A sample's LIMIT ends the stream soon: read its rest so the connection stays usable.
    PGconn* conn = connection_->get();
    char* buffer = nullptr;
    while (PQgetCopyData(conn, &buffer, 0) > 0) PQfreemem(buffer);
    while (PGresult* result = PQgetResult(conn)) PQclear(result);
  }

  bool next(RowBatchBuilder& rows) override {
    if (done_) return false;
    PGconn* conn = connection_->get();
    char* raw = nullptr;
    const int size = PQgetCopyData(conn, &raw, 0);
    if (size == -1) {
      done_ = true;
      connection_->check(PQgetResult(conn), PGRES_COMMAND_OK, "reading rows");
      while (PGresult* result = PQgetResult(conn)) PQclear(result);
      return false;
    }
    if (size < 0) {
      throw Error(
          fmt::format("{}: reading rows: {}", connection_->name(), connection_->last_error()));
    }
    const std::unique_ptr<char, PgFreeMem> buffer(raw);
    const std::size_t fields =
        decode_copy_row(std::string_view(raw, static_cast<std::size_t>(size)), rows);
    if (fields != num_columns_) {
      throw Error(fmt::format("{}: internal: a COPY row of {} fields for {} columns",
                              connection_->name(), fields, num_columns_));
    }
    return true;
  }

 private:
  std::unique_ptr<PgConnection>& connection_;
  std::size_t num_columns_;
  bool limited_;
  bool done_ = false;
};

class PostgresSource : public SqlRowSource {
 public:
  PostgresSource(std::string url, std::unique_ptr<PgConnection> connection,
                 std::vector<std::string> header, std::vector<DeclaredType> types,
                 std::string copy_select)
      : SqlRowSource(std::move(header), std::move(types)),
        url_(std::move(url)),
        connection_(std::move(connection)),
        copy_select_(std::move(copy_select)) {}

  std::string_view format() const override { return "postgresql"; }

 protected:
  std::unique_ptr<SqlCursor> open_cursor(std::size_t limit) override {
    if (!connection_) connection_ = connect(url_);
    std::string sql = "COPY (" + copy_select_;
    if (limit > 0) sql += fmt::format(" LIMIT {}", limit);
    sql += ") TO STDOUT";
    return std::make_unique<CopyCursor>(connection_, sql, header().size(), limit > 0);
  }

 public:
  // A connection whose transactions are read only: a --query cannot change the database.
  static std::unique_ptr<PgConnection> connect(const std::string& url) {
    auto connection = std::make_unique<PgConnection>(url);
    connection->run("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", "session settings");
    return connection;
  }

 private:
  std::string url_;
  std::unique_ptr<PgConnection> connection_;
  std::string copy_select_;
};

}  // namespace

std::unique_ptr<RowSource> open_postgres_input(const std::string& url, const ReadOptions& options) {
  require_table_or_query(redact_postgres_url(url), options);
  std::unique_ptr<PgConnection> connection = PostgresSource::connect(url);
  const std::string& name = connection->name();
  const std::string select = options.table.empty()
                                 ? trim_sql(options.query)
                                 : "SELECT * FROM " + quote_qualified_name(options.table);
  const std::string what =
      options.table.empty() ? std::string("--query") : fmt::format("--table {}", options.table);
  PGconn* conn = connection->get();
  connection->check(PQprepare(conn, "", select.c_str(), 0, nullptr), PGRES_COMMAND_OK, what);
  const PgResult described =
      connection->check(PQdescribePrepared(conn, ""), PGRES_COMMAND_OK, what);
  const int num_columns = PQnfields(described.get());
  if (num_columns == 0) throw Error(fmt::format("{}: {} returns no columns", name, what));

  std::vector<std::string> header;
  std::vector<DeclaredType> types;
  std::vector<std::string> oids;
  for (int c = 0; c < num_columns; ++c) {
    header.emplace_back(PQfname(described.get(), c));
    const Oid oid = PQftype(described.get(), c);
    types.push_back(DeclaredType{kind_of(oid), ""});
    oids.push_back(std::to_string(oid));
  }
  // The types' names as the server spells them, for messages.
  const std::string oid_array = "{" + fmt::format("{}", fmt::join(oids, ",")) + "}";
  const char* params[] = {oid_array.c_str()};
  const PgResult names = connection->check(
      PQexecParams(conn,
                   "SELECT format_type(t, NULL) FROM unnest($1::oid[]) WITH ORDINALITY AS u(t, n) "
                   "ORDER BY n",
                   1, nullptr, params, nullptr, nullptr, 0),
      PGRES_TUPLES_OK, "column types");
  for (int c = 0; c < num_columns && c < PQntuples(names.get()); ++c) {
    types[static_cast<std::size_t>(c)].name = PQgetvalue(names.get(), c, 0);
  }

  // Columns renamed c1..cn (the query's own names may repeat or need quoting); a timestamp with
  // time zone read as the UTC time without one, which the date parsers take.
  std::string columns;
  std::string aliases;
  for (int c = 1; c <= num_columns; ++c) {
    if (c > 1) {
      columns += ", ";
      aliases += ", ";
    }
    aliases += fmt::format("c{}", c);
    columns += PQftype(described.get(), c - 1) == kTimestampTz
                   ? fmt::format("c{} AT TIME ZONE 'UTC'", c)
                   : fmt::format("c{}", c);
  }
  std::string copy_select =
      fmt::format("SELECT {} FROM ({}) AS custlens_input({})", columns, select, aliases);
  return std::make_unique<PostgresSource>(url, std::move(connection), std::move(header),
                                          std::move(types), std::move(copy_select));
}

}  // namespace custlens::io
