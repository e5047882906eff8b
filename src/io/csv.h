// Internal entry points of the CSV reader: its tuning knobs (for tests and benchmarks) and the
// row hash it stores in RowBatch::hashes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "io/input_stream.h"
#include "io/row_source.h"

namespace custlens::io {

/// Sizes the reader works in; the defaults suit files of any size, tests shrink them to put
/// chunk boundaries inside quoted fields.
struct CsvTuning {
  std::size_t chunk_bytes = std::size_t{4} << 20;   ///< unit of the parallel scan and conversion
  std::size_t sniff_bytes = std::size_t{64} << 10;  ///< prefix read to sniff the delimiter
  /// Prefix read at open to detect the encoding (and kept from a pipe for the scan); grows when
  /// the header or sample() needs more.
  std::size_t head_bytes = std::size_t{4} << 20;
};

/// open_csv with explicit tuning.
std::unique_ptr<RowSource> open_csv(const std::string& path, const ReadOptions& options,
                                    const CsvTuning& tuning);
/// open_csv over an input already opened (open_input looked at its first bytes).
std::unique_ptr<RowSource> open_csv(std::unique_ptr<InputStream> input, const ReadOptions& options,
                                    const CsvTuning& tuning = {});

/// The hash of a row's fields as RowBatch::hashes holds it: stable across runs and platforms,
/// equal for equal field lists, and the field lengths are mixed in so ("ab","c") != ("a","bc").
std::uint64_t hash_fields(std::span<const std::string_view> fields);

}  // namespace custlens::io
