// What the database input sources (PostgreSQL, SQLite) share: rows of owned fields gathered into
// RowBatch batches, and the sampling and scanning of a RowSource over a cursor of rows.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/row_source.h"

namespace custlens::io {

/// Rows whose fields are copied into one arena, handed out as a RowBatch of views into it.
class RowBatchBuilder {
 public:
  explicit RowBatchBuilder(std::size_t num_columns);
  /// The arena: append a field's bytes here, then call end_field().
  std::string& arena() { return arena_; }
  void end_field() { ends_.push_back(arena_.size()); }
  void add_field(std::string_view bytes) {
    arena_.append(bytes);
    end_field();
  }
  /// Closes a row of num_columns fields, numbered `line` (the result's 1-based row number).
  void end_row(std::int64_t line) { lines_.push_back(line); }
  std::size_t num_rows() const { return lines_.size(); }
  std::size_t bytes() const { return arena_.size(); }
  /// The batch of the rows so far (views into the arena, row hashes as the CSV reader's), valid
  /// until clear() or the next add.
  const RowBatch& batch();
  void clear();

 private:
  std::size_t num_columns_;
  std::string arena_;
  std::vector<std::size_t> ends_;  // per field: end offset in arena_
  std::vector<std::int64_t> lines_;
  RowBatch batch_;
};

/// A database result read row by row.
class SqlCursor {
 public:
  virtual ~SqlCursor() = default;
  /// Adds the next row's fields (end_field once per column) to `rows`; false at the end.
  virtual bool next(RowBatchBuilder& rows) = 0;
};

/// A RowSource over a database result: the header and declared types known at opening, the
/// rows read through cursors. Rows are read on the scanning thread in batches of a fixed size,
/// each handed to both callbacks before the next is read: memory is one batch, whatever the
/// size of the result.
class SqlRowSource : public RowSource {
 public:
  const std::vector<std::string>& header() const override { return header_; }
  std::span<const DeclaredType> declared_types() const override { return types_; }
  /// The first rows, read by a cursor limited to max_rows; valid until the next sample().
  RowBatch sample(std::size_t max_rows) override;
  void scan(const std::function<void(std::size_t, const RowBatch&)>& consume,
            const ProgressFn& progress) override;
  void scan_ordered(const std::function<void(std::size_t, const RowBatch&)>& parallel,
                    const std::function<void(std::size_t, const RowBatch&)>& in_order,
                    const ProgressFn& progress) override;
  std::int64_t rows_read() const override { return rows_read_; }

 protected:
  SqlRowSource(std::vector<std::string> header, std::vector<DeclaredType> types);
  /// A cursor over the result's first `limit` rows; all of them when limit is 0.
  virtual std::unique_ptr<SqlCursor> open_cursor(std::size_t limit) = 0;

 private:
  std::vector<std::string> header_;
  std::vector<DeclaredType> types_;
  std::unique_ptr<RowBatchBuilder> sample_rows_;
  std::int64_t rows_read_ = 0;
};

/// SQL text without surrounding whitespace and trailing semicolons (a --query to wrap).
std::string trim_sql(std::string_view sql);

}  // namespace custlens::io

namespace custlens::io {

/// Opens `url` (postgresql://... or postgres://...) as an input: options.table or options.query
/// (exactly one) is described at once for its header and column types; the rows stream through
/// `COPY (...) TO STDOUT` when scanned (docs/databases.md). Throws custlens::Error for a bad
/// URL, a refused connection, failed authentication, a missing table or a failing query.
std::unique_ptr<RowSource> open_postgres_input(const std::string& url, const ReadOptions& options);

/// Opens `url` ("sqlite:PATH") as an input, read only, with options.table or options.query.
/// Throws custlens::Error for a missing file, a file that is no SQLite database, a missing table
/// or a failing query.
std::unique_ptr<RowSource> open_sqlite_input(const std::string& url, const ReadOptions& options);

/// Throws custlens::Error unless exactly one of options.table and options.query is given.
void require_table_or_query(const std::string& input, const ReadOptions& options);

}  // namespace custlens::io
