// The `csv` source: CSV and TSV text in any encoding (io/csv.cpp), from a file or a pipe. It
// reads whatever no other source claims.
#include "io/csv.h"

#include "io/source_registry.h"

namespace custlens::io {
namespace {

std::unique_ptr<RowSource> open_csv_stream(std::unique_ptr<InputStream> input,
                                           const ReadOptions& options) {
  return open_csv(std::move(input), options);
}

SourceSpec csv_source() {
  SourceSpec spec;
  spec.name = "csv";
  spec.description = "CSV/TSV text: delimiter, quoting and encoding sniffed; files, pipes, stdin";
  spec.extensions = {".csv", ".tsv", ".txt", ".tab"};
  spec.fallback = true;  // delimited text has no signature: anything unclaimed is tried as CSV
  spec.open_file = open_csv;
  spec.open_stream = open_csv_stream;
  return spec;
}

}  // namespace

CUSTLENS_REGISTER_SOURCE(csv, csv_source());

}  // namespace custlens::io
