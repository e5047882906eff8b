// open_database: the target names the kind of database.
#include "io/database.h"

#include "io/postgres_connection.h"

namespace custlens::io {

namespace {
constexpr std::string_view kSqlitePrefix = "sqlite:";
}  // namespace

bool is_database_url(std::string_view target) {
  return target.starts_with(kSqlitePrefix) || is_postgres_url(target);
}

std::string redacted_target(std::string_view target) {
  return is_postgres_url(target) ? redact_postgres_url(target) : std::string(target);
}

std::unique_ptr<Database> open_database(const std::string& target) {
  if (is_postgres_url(target)) return open_postgresql(target);
  if (target.starts_with(kSqlitePrefix)) return open_sqlite(target.substr(kSqlitePrefix.size()));
  return open_sqlite(target);
}

}  // namespace custlens::io
