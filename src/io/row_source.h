// The interface between a file reader (CSV, XLSX, ...) and the table builder: batches of raw
// fields.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "custlens/ingest.h"

namespace custlens::io {

/// Rows of raw UTF-8 fields, row-major, all with exactly num_columns fields. Rows that could not
/// be split into the header's number of fields are in rejects instead (rule "malformed").
struct RowBatch {
  std::size_t num_columns = 0;
  std::vector<std::string_view> fields;  ///< num_rows() * num_columns views, valid during the call
  std::vector<std::int64_t> lines;       ///< per row: final 1-based physical line or sheet row
  std::vector<std::uint64_t> hashes;     ///< per row: hash of all of the row's fields
  std::vector<Reject> rejects;           ///< rows of this batch that could not be split
  std::size_t num_rows() const { return lines.size(); }
  std::string_view field(std::size_t row, std::size_t col) const {
    return fields[row * num_columns + col];
  }
};

/// One opened input file. scan() may call `consume` from several threads at once; batch indices
/// are dense (0, 1, 2, ...) and follow file order, so results can be put back in order.
class RowSource {
 public:
  virtual ~RowSource() = default;
  virtual const std::vector<std::string>& header() const = 0;
  /// The first `max_rows` data rows, for type and date-format sniffing.
  virtual RowBatch sample(std::size_t max_rows) = 0;
  virtual void scan(const std::function<void(std::size_t batch_index, const RowBatch&)>& consume,
                    const ProgressFn& progress) = 0;
  /// Scans every data row once: `parallel` on any thread, `in_order` one batch at a time in batch
  /// order after `parallel` of that batch, with the same batch. This default runs both on one
  /// thread and needs the source to hand out batches in order.
  virtual void scan_ordered(const std::function<void(std::size_t, const RowBatch&)>& parallel,
                            const std::function<void(std::size_t, const RowBatch&)>& in_order,
                            const ProgressFn& progress);
  /// Data rows seen by scan(), rejects included.
  virtual std::int64_t rows_read() const = 0;
  /// A guess of the number of data rows, made after sample(); 0 when the source cannot tell.
  virtual std::size_t estimated_rows() const { return 0; }
  virtual std::string encoding() const { return "utf-8"; }
  virtual char delimiter() const { return ','; }
};

/// Opens one input: an XLSX workbook (by extension or zip magic) or else a CSV/TSV file.
std::unique_ptr<RowSource> open_input(const std::string& path, const ReadOptions& options);

/// Opens a CSV/TSV file: detects encoding (or takes options.encoding) and converts to UTF-8,
/// sniffs delimiter and quoting, reads the header. Throws custlens::Error for a missing, empty or
/// header-less file.
std::unique_ptr<RowSource> open_csv(const std::string& path, const ReadOptions& options);

/// Opens the first sheet (or options.sheet) of an XLSX file, streaming. Date-styled numeric cells
/// are given as ISO text "YYYY-MM-DD HH:MM:SS". Throws custlens::Error if it is not an XLSX file.
std::unique_ptr<RowSource> open_xlsx(const std::string& path, const ReadOptions& options);

}  // namespace custlens::io
