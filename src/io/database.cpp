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

std::optional<std::string> sqlite_file(std::string_view target) {
  if (is_postgres_url(target)) return std::nullopt;
  if (target.starts_with(kSqlitePrefix)) target.remove_prefix(kSqlitePrefix.size());
  return std::string(target);
}

std::unique_ptr<Database> open_database(const std::string& target) {
  if (const std::optional<std::string> file = sqlite_file(target)) return open_sqlite(*file);
  return open_postgresql(target);
}

}  // namespace custlens::io
