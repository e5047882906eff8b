// Fuzz target: the CSV reader (encoding, dialect and line-break sniffing, the header, the
// streaming chunked scan) and the table builder behind read_dataset.
//
// Invariant checked besides "no crash, no sanitizer report": scanning in chunks of a few bytes
// gives the same rows, lines and rejects as scanning in one chunk.
#include <cstdint>
#include <string>
#include <vector>

#include "custlens/error.h"
#include "custlens/ingest.h"
#include "fuzz/fuzz_support.h"
#include "io/csv.h"

namespace {

struct Scan {
  std::vector<std::string> header;
  std::vector<std::string> fields;
  std::vector<std::int64_t> lines;
  std::vector<std::string> rejects;  // "line: detail"
  std::int64_t rows_read = 0;
  bool operator==(const Scan&) const = default;
};

Scan scan(const std::string& path, std::size_t chunk_bytes) {
  custlens::ReadOptions options;
  options.threads = 1;
  custlens::io::CsvTuning tuning;
  tuning.chunk_bytes = chunk_bytes;
  Scan out;
  auto source = custlens::io::open_csv(path, options, tuning);
  out.header = source->header();
  source->sample(3);
  source->scan(
      [&](std::size_t, const custlens::io::RowBatch& batch) {
        for (std::string_view field : batch.fields) out.fields.emplace_back(field);
        out.lines.insert(out.lines.end(), batch.lines.begin(), batch.lines.end());
        for (const custlens::Reject& reject : batch.rejects) {
          out.rejects.push_back(std::to_string(reject.line) + ": " + reject.detail);
        }
      },
      nullptr);
  out.rows_read = source->rows_read();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = custlens::fuzz::write_scratch(data, size, ".csv");
  try {
    const Scan whole = scan(path, std::size_t{1} << 20);
    const std::size_t small_chunk = size == 0 ? 1 : 1 + data[0] % 24;
    const Scan chunked = scan(path, small_chunk);
    custlens::fuzz::require(whole == chunked, "a chunked scan differs from a one-chunk scan");
    custlens::fuzz::require(
        whole.rows_read == static_cast<std::int64_t>(whole.lines.size() + whole.rejects.size()),
        "rows_read != rows + rejects");
  } catch (const custlens::Error&) {
    // An unusable file (empty, no header) is a user error, not a finding.
  }
  try {
    custlens::ReadOptions options;
    options.threads = 1;
    const std::vector<std::string> inputs{path};
    const custlens::Dataset dataset = custlens::read_dataset(inputs, options);
    custlens::fuzz::require(
        dataset.rows_read ==
            static_cast<std::int64_t>(dataset.table.num_rows() + dataset.rejects.size()),
        "read_dataset: rows_read != rows + rejects");
  } catch (const custlens::Error&) {
  }
  return 0;
}
