// The `postgresql` source: a table (--table) or query (--query) of a PostgreSQL database named by
// a postgresql:// or postgres:// URL, streamed through COPY (io/postgres_source.cpp).
#include "io/source_registry.h"
#include "io/sql_source.h"

namespace custlens::io {
namespace {

SourceSpec postgresql_source() {
  SourceSpec spec;
  spec.name = "postgresql";
  spec.description =
      "PostgreSQL: postgresql://user@host:port/db with --table or --query, streamed by COPY";
  spec.url_prefixes = {"postgresql://", "postgres://"};
  spec.open_url = open_postgres_input;
  spec.stream_refusal = "a PostgreSQL input is a postgresql:// URL, not a file";
  return spec;
}

}  // namespace

CUSTLENS_REGISTER_SOURCE(postgresql, postgresql_source());

}  // namespace custlens::io
