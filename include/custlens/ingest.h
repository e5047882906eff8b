// Reading input files (CSV/TSV, XLSX; several files or a glob as one data set) into a Table.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "custlens/progress.h"
#include "custlens/table.h"

namespace custlens {

struct ReadOptions {
  std::string encoding;     ///< "" = detect; else utf-8, latin-1, gbk, gb18030, ...
  char delimiter = 0;       ///< 0 = sniff; ' ' = runs of spaces and tabs (aligned columns)
  std::string sheet;        ///< XLSX sheet name; "" = the first sheet
  std::string date_format;  ///< strptime-style (e.g. "%m/%d/%y %H:%M"); "" = sniff per column
  /// Header names of the columns to materialize; empty = all. Others are only checked for count.
  std::vector<std::string> columns;
  /// Types forced by the caller, by header name; other columns are inferred from a sample.
  std::vector<std::pair<std::string, ColumnType>> column_types;
  /// Header name of the identifying column (the customer id of order lines) whose place in each
  /// reject's content is recorded, so that exports can hash it; "" = none.
  std::string id_column;
  /// A registered source's name ("csv", "xlsx": --format); "" = recognised by content and name.
  std::string format;
  /// A database input's table (--table: TABLE or SCHEMA.TABLE, quoted as identifiers) or own
  /// SELECT (--query); exactly one of them for a database input, neither for a file.
  std::string table;
  std::string query;
  int threads = 0;  ///< 0 = every core
  ProgressFn progress;
};

/// A row that was not kept, with where it came from and why.
struct Reject {
  std::string file;
  std::int64_t line = 0;  ///< 1-based physical line (CSV) or sheet row (XLSX)
  std::string rule;       ///< audit rule: malformed, missing_customer, cancelled, ...
  std::string detail;     ///< e.g. "expected 8 fields, found 7"
  std::string content;    ///< the row as text, cut to a few hundred bytes
  /// Bytes [id_begin, id_end) of content hold the identifying field (ReadOptions::id_column).
  /// kNotLocated when there is none, the row was not split into fields, or content was cut
  /// before the field's end.
  static constexpr std::size_t kNotLocated = std::numeric_limits<std::size_t>::max();
  std::size_t id_begin = kNotLocated;
  std::size_t id_end = kNotLocated;
};

/// What the reader found out about one header column.
struct ColumnInfo {
  std::string name;
  ColumnType type = ColumnType::kString;
  std::string
      date_format;  ///< for timestamps: the strptime format, "excel-serial" or "unix-seconds"
  bool materialized = false;
};

/// The rows of one or more files, typed, with where each row came from.
struct Dataset {
  Table table;                          ///< materialized columns of the rows read successfully
  std::vector<std::string> files;       ///< input files, in reading order
  std::vector<std::uint32_t> row_file;  ///< per table row: index into files
  std::vector<std::int64_t> row_line;   ///< per table row: 1-based line (CSV) or sheet row (XLSX)
  /// Per table row: a hash of every field of the row, materialized or not, for exact duplicates.
  std::vector<std::uint64_t> row_hash;
  std::vector<Reject> rejects;      ///< rows that could not be read (rule "malformed")
  std::int64_t rows_read = 0;       ///< data rows seen, rejected ones included
  std::vector<ColumnInfo> columns;  ///< every header column, materialized or not
  std::string encoding;             ///< of the first file, as detected or given
  char delimiter = ',';             ///< of the first CSV file
};

/// Expands globs and directories-as-errors into the list of files to read, in sorted order. "-"
/// (standard input) and paths that are no regular files (a pipe, /dev/fd/N, a FIFO) are inputs
/// as they are; each can be read once, and read_header/sniff_schema keep it open for the
/// read_dataset that follows (see io::open_input).
std::vector<std::string> expand_inputs(std::span<const std::string> inputs);

/// The header of the first input (after encoding and dialect detection).
std::vector<std::string> read_header(const std::string& path, const ReadOptions& options);

/// What a file looks like, from its header and first rows only.
struct Schema {
  std::string file;
  std::string format;  ///< the registered source that read it: "csv", "xlsx", ...
  std::string encoding;
  char delimiter = ',';  ///< ' ': runs of spaces and tabs
  /// A known headerless layout recognised by content ("cdnow"), whose names the columns carry;
  /// "" when the file has a header or fits none.
  std::string layout;
  std::vector<ColumnInfo> columns;  ///< every header column, types inferred from a sample
};

/// Sniffs the first input's encoding, dialect, header and column types without reading it all.
Schema sniff_schema(const std::string& path, const ReadOptions& options);

/// Reads every input into one data set. Files must share their header. Throws custlens::Error for
/// input that cannot be used at all (missing, empty, no header, ambiguous dates); bad rows are
/// Rejects, never errors.
Dataset read_dataset(std::span<const std::string> inputs, const ReadOptions& options);

}  // namespace custlens
