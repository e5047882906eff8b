// open_database: the target names the kind of database.
#include "io/database.h"

namespace custlens::io {

namespace {
constexpr std::string_view kSqlitePrefix = "sqlite:";
}  // namespace

bool is_database_url(std::string_view target) {
  return target.starts_with(kSqlitePrefix) || target.starts_with("postgresql://") ||
         target.starts_with("postgres://");
}

std::unique_ptr<Database> open_database(const std::string& target) {
  if (target.starts_with("postgresql://") || target.starts_with("postgres://")) {
    return open_postgresql(target);
  }
  if (target.starts_with(kSqlitePrefix)) return open_sqlite(target.substr(kSqlitePrefix.size()));
  return open_sqlite(target);
}

}  // namespace custlens::io
