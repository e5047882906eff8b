// One libpq connection, shared by the PostgreSQL input source and the PostgreSQL Database: the
// URL checked and shown without its password, session settings that make values read back as
// the CSV readers read them (ISO dates, UTC, shortest exact floats), and one-line errors.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <string_view>

namespace custlens::io {

/// True when `target` starts with "postgresql://" or "postgres://".
bool is_postgres_url(std::string_view target);

/// `url` with any password (user:PASSWORD@ or a password= parameter) replaced by "***".
std::string redact_postgres_url(std::string_view url);

/// A PostgreSQL identifier quoted ("a""b"); `schema.table` quotes each part. Throws
/// custlens::Error for an empty name or part.
std::string quote_identifier(std::string_view name);
std::string quote_qualified_name(std::string_view name);

/// `sql` with each `?` outside quotes ('...', "...") and comments replaced by $1, $2, ...;
/// `count` gets how many there were.
std::string postgres_placeholders(std::string_view sql, std::size_t& count);

/// Frees a PGresult.
struct PgResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

/// An open connection. Errors are custlens::Error naming the URL without its password.
class PgConnection {
 public:
  /// Connects to `url` (postgresql:// or postgres://, libpq's URI syntax; a password may also
  /// come from PGPASSWORD or ~/.pgpass) and sets DateStyle ISO, TimeZone UTC,
  /// extra_float_digits 1 and client_encoding UTF8; server notices are dropped. Throws
  /// custlens::Error for a malformed URL, a refused connection (naming host:port) or failed
  /// authentication.
  explicit PgConnection(const std::string& url);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  PGconn* get() const { return conn_; }
  /// The URL without its password, for messages.
  const std::string& name() const { return name_; }
  /// Runs `sql` (no parameters, several statements allowed) and throws unless it succeeded.
  void run(std::string_view sql, std::string_view what);
  /// Throws custlens::Error "<name>: <what>: <server message>" unless `result` has status
  /// `expected`; returns the result.
  PgResult check(PGresult* result, ExecStatusType expected, std::string_view what) const;
  /// The first line of the connection's last error, without libpq's "ERROR:" prefix.
  std::string last_error() const;

 private:
  PGconn* conn_ = nullptr;
  std::string name_;
};

/// The primary message of a failed result (one line), or the connection's error.
std::string pg_error_message(const PGresult* result, const PGconn* conn);

}  // namespace custlens::io
