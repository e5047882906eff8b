// The interface between a file reader (CSV, XLSX, ...) and the table builder: batches of raw
// fields.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
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

/// What a typed source (a database table or query) declares a column to hold; text formats
/// declare nothing. Used to refuse a role mapped to a column of an incompatible type.
enum class DeclaredKind : std::uint8_t {
  kUnknown,    ///< not declared (a SQLite expression, an unknown type): read as text
  kText,       ///< text, varchar, char: read as a CSV field is
  kInteger,    ///< int2/int4/int8, SQLite INTEGER
  kDecimal,    ///< numeric, real, double precision
  kDate,       ///< date
  kTimestamp,  ///< timestamp with or without time zone
  kBoolean,
  kBinary,  ///< bytea, BLOB
  kOther,   ///< any other type (time, interval, json, uuid, money, arrays...)
};

/// One column's declared type: its kind and its name as the database spells it ("numeric").
struct DeclaredType {
  DeclaredKind kind = DeclaredKind::kUnknown;
  std::string name;
};

/// One opened input. header(), encoding(), delimiter() and sample() work right after opening;
/// then the rows are read by one scan (scan_ordered, or scan). A source that reads a pipe can be
/// scanned only once (a second scan throws custlens::Error); the bytes read ahead for sniffing
/// are kept and replayed, so the scan still sees every row.
class RowSource {
 public:
  virtual ~RowSource() = default;
  virtual const std::vector<std::string>& header() const = 0;
  /// The first `max_rows` data rows, for type and date-format sniffing.
  virtual RowBatch sample(std::size_t max_rows) = 0;
  /// Scans every data row once. `consume(batch_index, batch)` may run on several threads at once;
  /// batch indices are dense (0, 1, 2, ...) and follow file order, so results can be put back in
  /// order. Same as scan_ordered with an empty `in_order`.
  virtual void scan(const std::function<void(std::size_t batch_index, const RowBatch&)>& consume,
                    const ProgressFn& progress) = 0;
  /// Scans every data row once. `parallel(batch_index, batch)` runs on several threads at once;
  /// `in_order(batch_index, batch)` runs one at a time, in batch order (0, 1, 2, ...), after
  /// `parallel` of that batch has returned, with the same batch (its string_views still valid).
  /// At most a small, fixed number of batches (about 2-3 per thread) exist at once, whatever the
  /// input size: memory is bounded by the chunk size, not the file size. Rejects of rows that
  /// could not be split are in batch.rejects (rule "malformed"), in line order within a batch.
  /// An exception thrown by either callback stops the scan and reaches the caller.
  virtual void scan_ordered(const std::function<void(std::size_t, const RowBatch&)>& parallel,
                            const std::function<void(std::size_t, const RowBatch&)>& in_order,
                            const ProgressFn& progress) = 0;
  /// Data rows seen by the scan, rejects included.
  virtual std::int64_t rows_read() const = 0;
  /// A guess of the number of data rows, made after sample(); 0 when the source cannot tell (a
  /// pipe longer than what sample() read).
  virtual std::size_t estimated_rows() const { return 0; }
  /// The name of the registered source that reads it ("csv", "xlsx"; io/source_registry.h):
  /// where the rows came from, for schema and summaries.
  virtual std::string_view format() const = 0;
  virtual std::string encoding() const { return "utf-8"; }
  virtual char delimiter() const { return ','; }
  /// The known headerless layout (io/layouts.h) recognised by content whose column names header()
  /// gives ("cdnow"), or empty.
  virtual std::string_view layout() const { return {}; }
  /// Per header column, the type a database declares for it; empty for text formats.
  virtual std::span<const DeclaredType> declared_types() const { return {}; }
};

/// Throws custlens::Error "<input>: column 'C' has type T, which cannot be read as a number|
/// date..." when a column that `options.column_types` wants as a number or a timestamp is
/// declared by `source` with a type that cannot be one (boolean, bytea, a date for a number, an
/// integer for a date, ...). Text and undeclared columns pass: their values are parsed as CSV
/// fields are.
void check_declared_types(const RowSource& source, const std::string& input,
                          const ReadOptions& options);

/// Opens one input for reading, once, with the registered source (io/source_registry.h) named by
/// options.format, or else the one that recognises it (an XLSX workbook by its zip signature or
/// its .xlsx/.xlsm name, else CSV/TSV). `path` may be "-" (standard input) or any non-seekable
/// path (a pipe, /dev/fd/N from `<(...)`, a FIFO), read as a stream; a format that cannot be read
/// front to back is refused there (XLSX: a zip must be read from its end). A non-seekable input
/// that read_header() or sniff_schema() opened is kept, unscanned, and this call hands that same
/// source out (once) instead of opening the used-up pipe again; it throws custlens::Error if the
/// encoding, delimiter, sheet or format options differ from those it was opened with. Throws
/// custlens::Error for an unusable input or an unknown options.format (naming the registered ones).
std::unique_ptr<RowSource> open_input(const std::string& path, const ReadOptions& options);

/// Opens a CSV/TSV file: detects encoding (or takes options.encoding) from the head, sniffs
/// delimiter and quoting, reads the header; the scan decodes chunk by chunk (see
/// is_chunk_safe). Throws custlens::Error for a missing, empty or header-less file.
std::unique_ptr<RowSource> open_csv(const std::string& path, const ReadOptions& options);

/// Opens the first sheet (or options.sheet) of an XLSX file, streaming. Date-styled numeric cells
/// are given as ISO text "YYYY-MM-DD HH:MM:SS". Throws custlens::Error if it is not an XLSX file.
std::unique_ptr<RowSource> open_xlsx(const std::string& path, const ReadOptions& options);

/// sniff_schema over a source already open (it only samples: the source can still be scanned).
/// `file` is the name the schema reports.
Schema sniff_schema(RowSource& source, const std::string& file, const ReadOptions& options);

/// read_dataset over `files` (already expanded: expand_inputs) of which the first may already be
/// open: `first` is the source of files[0] that the caller opened (with open_input, e.g. to read
/// its header; the same encoding, delimiter, sheet and threads as `options`), or null to open it
/// here. The other files are opened one at a time as they are read. Each file is scanned once,
/// in order (scan_ordered), so batches are appended as they come and none waits in memory.
Dataset read_dataset(std::span<const std::string> files, std::unique_ptr<RowSource> first,
                     const ReadOptions& options);

}  // namespace custlens::io
