// Fuzz target: the XLSX reader (libzip archive, workbook parts, the streaming sheet reader, cell
// references, shared strings, date styles) and the table builder behind read_dataset.
#include <cstdint>
#include <string>
#include <vector>

#include "custlens/error.h"
#include "custlens/ingest.h"
#include "fuzz/fuzz_support.h"
#include "io/row_source.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = custlens::fuzz::write_scratch(data, size, ".xlsx");
  try {
    custlens::ReadOptions options;
    options.threads = 1;
    auto source = custlens::io::open_xlsx(path, options);
    const std::size_t width = source->header().size();
    source->sample(5);
    std::int64_t rows = 0;
    source->scan(
        [&](std::size_t, const custlens::io::RowBatch& batch) {
          custlens::fuzz::require(batch.num_columns == width, "batch width != header width");
          custlens::fuzz::require(batch.fields.size() == batch.num_rows() * width,
                                  "fields != rows x width");
          rows += static_cast<std::int64_t>(batch.num_rows() + batch.rejects.size());
          for (std::int64_t line : batch.lines) {
            custlens::fuzz::require(line >= 1 && line <= 1048576, "a kept row outside the sheet");
          }
        },
        nullptr);
    custlens::fuzz::require(rows == source->rows_read(), "rows_read != rows + rejects");
  } catch (const custlens::Error&) {
    // Not a workbook, a damaged part, an empty sheet: user errors, not findings.
  }
  try {
    custlens::ReadOptions options;
    options.threads = 1;
    const std::vector<std::string> inputs{path};
    custlens::read_dataset(inputs, options);
  } catch (const custlens::Error&) {
  }
  return 0;
}
