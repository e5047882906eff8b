// The `sqlite` source: a table (--table) or query (--query) of a SQLite file named as
// sqlite:PATH, read only (io/sqlite_source.cpp).
#include "io/source_registry.h"
#include "io/sql_source.h"

namespace custlens::io {
namespace {

SourceSpec sqlite_source() {
  SourceSpec spec;
  spec.name = "sqlite";
  spec.description = "SQLite: sqlite:PATH with --table or --query, read only";
  spec.url_prefixes = {"sqlite:"};
  spec.open_url = open_sqlite_input;
  spec.stream_refusal = "a SQLite input is sqlite:PATH, not a pipe";
  return spec;
}

}  // namespace

CUSTLENS_REGISTER_SOURCE(sqlite, sqlite_source());

}  // namespace custlens::io
