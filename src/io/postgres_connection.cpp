// The libpq connection shared by the PostgreSQL source and Database.
#include "io/postgres_connection.h"

#include <fmt/format.h>

#include <array>

#include "custlens/error.h"

namespace custlens::io {
namespace {

// The first line of a libpq message, trimmed, with runs of spaces (libpq's "FATAL:  ") made one.
std::string first_line(std::string_view message) {
  message = message.substr(0, message.find('\n'));
  std::string line;
  for (char c : message) {
    if (c == ' ' && (line.empty() || line.back() == ' ')) continue;
    line += c;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

// Server notices (e.g. "schema already exists, skipping") would go to stderr: dropped.
void drop_notice(void* /*arg*/, const char* /*message*/) {}

}  // namespace

bool is_postgres_url(std::string_view target) {
  return target.starts_with("postgresql://") || target.starts_with("postgres://");
}

std::string redact_postgres_url(std::string_view url) {
  std::string out(url);
  // user:PASSWORD@host in the authority part.
  const std::size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const std::size_t authority = scheme + 3;
    const std::size_t end = out.find_first_of("/?", authority);
    const std::size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
    if (at != std::string::npos && at >= authority) {
      const std::size_t colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=... among the query parameters.
  for (std::size_t pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    if (pos > 0 && out[pos - 1] != '?' && out[pos - 1] != '&') continue;
    const std::size_t value = pos + 9;
    const std::size_t end = out.find('&', value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

std::string quote_identifier(std::string_view name) {
  if (name.empty()) throw Error("an empty table or column name");
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string quote_qualified_name(std::string_view name) {
  const std::size_t dot = name.find('.');
  if (dot == std::string_view::npos) return quote_identifier(name);
  if (dot == 0 || dot + 1 == name.size() || name.find('.', dot + 1) != std::string_view::npos) {
    throw Error(fmt::format("--table '{}' must be TABLE or SCHEMA.TABLE", name));
  }
  return quote_identifier(name.substr(0, dot)) + "." + quote_identifier(name.substr(dot + 1));
}

std::string pg_error_message(const PGresult* result, const PGconn* conn) {
  if (result) {
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    if (primary && *primary) return first_line(primary);
    const char* message = PQresultErrorMessage(result);
    if (message && *message) return first_line(message);
  }
  if (conn) return first_line(PQerrorMessage(conn));
  return "out of memory";
}

PgConnection::PgConnection(const std::string& url) : name_(redact_postgres_url(url)) {
  if (!is_postgres_url(url)) {
    throw Error(
        fmt::format("{}: not a PostgreSQL URL (postgresql://user@host:port/database)", name_));
  }
  // Later keywords win: the URL's own connect_timeout or application_name overrides these.
  const std::array<const char*, 4> keywords{"connect_timeout", "application_name", "dbname",
                                            nullptr};
  const std::array<const char*, 4> values{"10", "custlens", url.c_str(), nullptr};
  conn_ = PQconnectdbParams(keywords.data(), values.data(), 1);
  if (conn_ == nullptr) throw Error(fmt::format("{}: cannot connect: out of memory", name_));
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string why = first_line(PQerrorMessage(conn_));
    // libpq quotes a URI it cannot parse, password included: shown redacted.
    for (std::size_t at = why.find(url); at != std::string::npos; at = why.find(url, at)) {
      why.replace(at, url.size(), name_);
      at += name_.size();
    }
    PQfinish(conn_);
    conn_ = nullptr;
    throw Error(fmt::format("{}: cannot connect: {}", name_, why));
  }
  PQsetNoticeProcessor(conn_, drop_notice, nullptr);
  try {
    run("SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'; SET extra_float_digits = 1; "
        "SET client_encoding = 'UTF8'; SET IntervalStyle = 'iso_8601'",
        "session settings");
  } catch (...) {
    PQfinish(conn_);
    conn_ = nullptr;
    throw;
  }
}

PgConnection::~PgConnection() {
  if (conn_) PQfinish(conn_);
}

void PgConnection::run(std::string_view sql, std::string_view what) {
  const std::string text(sql);
  check(PQexec(conn_, text.c_str()), PGRES_COMMAND_OK, what);
}

PgResult PgConnection::check(PGresult* raw, ExecStatusType expected, std::string_view what) const {
  PgResult result(raw);
  // A script's last statement decides a multi-statement PQexec; a SELECT gives TUPLES_OK.
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == expected || (expected == PGRES_COMMAND_OK && status == PGRES_TUPLES_OK)) {
    return result;
  }
  throw Error(fmt::format("{}: {}: {}", name_, what, pg_error_message(result.get(), conn_)));
}

std::string PgConnection::last_error() const { return first_line(PQerrorMessage(conn_)); }

}  // namespace custlens::io
