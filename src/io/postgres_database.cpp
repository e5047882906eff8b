// Placeholder until the libpq implementation lands (branch i14-postgres replaces this file).
#include <string>

#include "custlens/error.h"
#include "io/database.h"

namespace custlens::io {

std::unique_ptr<Database> open_postgresql(const std::string& url) {
  throw Error(url + ": PostgreSQL output is not built in this version");
}

}  // namespace custlens::io
