// Batches of owned fields, the scan of a database result, and the check of declared types.
#include "io/sql_source.h"

#include <fmt/format.h>

#include <algorithm>

#include "custlens/error.h"
#include "io/csv.h"
#include "io/postgres_connection.h"

namespace custlens::io {
namespace {

constexpr std::size_t kBatchRows = 16384;
constexpr std::size_t kBatchBytes = std::size_t{8} << 20;

bool holds_number(DeclaredKind kind) {
  return kind == DeclaredKind::kUnknown || kind == DeclaredKind::kText ||
         kind == DeclaredKind::kInteger || kind == DeclaredKind::kDecimal;
}

bool holds_date(DeclaredKind kind) {
  return kind == DeclaredKind::kUnknown || kind == DeclaredKind::kText ||
         kind == DeclaredKind::kDate || kind == DeclaredKind::kTimestamp;
}

}  // namespace

RowBatchBuilder::RowBatchBuilder(std::size_t num_columns) : num_columns_(num_columns) {}

const RowBatch& RowBatchBuilder::batch() {
  batch_.num_columns = num_columns_;
  batch_.fields.clear();
  batch_.fields.reserve(ends_.size());
  std::size_t begin = 0;
  for (const std::size_t end : ends_) {
    batch_.fields.emplace_back(arena_.data() + begin, end - begin);
    begin = end;
  }
  batch_.lines = lines_;
  batch_.hashes.clear();
  batch_.hashes.reserve(lines_.size());
  const std::span<const std::string_view> fields(batch_.fields);
  for (std::size_t row = 0; row < lines_.size(); ++row) {
    batch_.hashes.push_back(hash_fields(fields.subspan(row * num_columns_, num_columns_)));
  }
  batch_.rejects.clear();
  return batch_;
}

void RowBatchBuilder::clear() {
  arena_.clear();
  ends_.clear();
  lines_.clear();
}

SqlRowSource::SqlRowSource(std::vector<std::string> header, std::vector<DeclaredType> types)
    : header_(std::move(header)), types_(std::move(types)) {}

RowBatch SqlRowSource::sample(std::size_t max_rows) {
  sample_rows_ = std::make_unique<RowBatchBuilder>(header_.size());
  if (max_rows > 0) {
    std::unique_ptr<SqlCursor> cursor = open_cursor(max_rows);
    while (sample_rows_->num_rows() < max_rows && cursor->next(*sample_rows_)) {
      sample_rows_->end_row(static_cast<std::int64_t>(sample_rows_->num_rows()) + 1);
    }
  }
  return sample_rows_->batch();
}

void SqlRowSource::scan(const std::function<void(std::size_t, const RowBatch&)>& consume,
                        const ProgressFn& progress) {
  scan_ordered(
      consume, [](std::size_t, const RowBatch&) {}, progress);
}

void SqlRowSource::scan_ordered(const std::function<void(std::size_t, const RowBatch&)>& parallel,
                                const std::function<void(std::size_t, const RowBatch&)>& in_order,
                                const ProgressFn& progress) {
  std::unique_ptr<SqlCursor> cursor = open_cursor(0);
  RowBatchBuilder rows(header_.size());
  std::size_t batch_index = 0;
  std::int64_t row_number = 0;
  auto hand_on = [&] {
    const RowBatch& batch = rows.batch();
    parallel(batch_index, batch);
    in_order(batch_index, batch);
    ++batch_index;
    rows.clear();
    // The total is not known while a result streams: done and total are the rows so far.
    if (progress) progress(static_cast<std::uint64_t>(row_number), 0);
  };
  while (cursor->next(rows)) {
    rows.end_row(++row_number);
    if (rows.num_rows() >= kBatchRows || rows.bytes() >= kBatchBytes) hand_on();
  }
  if (rows.num_rows() > 0) hand_on();
  rows_read_ = row_number;
}

std::string trim_sql(std::string_view sql) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!sql.empty() && space(sql.front())) sql.remove_prefix(1);
  while (!sql.empty() && (space(sql.back()) || sql.back() == ';')) sql.remove_suffix(1);
  return std::string(sql);
}

void require_table_or_query(const std::string& input, const ReadOptions& options) {
  if (options.table.empty() == options.query.empty()) {
    throw Error(
        fmt::format("{}: a database input needs --table TABLE or --query 'SELECT ...' (one "
                    "of them)",
                    input));
  }
}

void check_declared_types(const RowSource& source, const std::string& input,
                          const ReadOptions& options) {
  const std::span<const DeclaredType> types = source.declared_types();
  if (types.empty()) return;
  const std::vector<std::string>& header = source.header();
  const std::string shown = is_postgres_url(input) ? redact_postgres_url(input) : input;
  for (const auto& [name, type] : options.column_types) {
    const auto found = std::find(header.begin(), header.end(), name);
    if (found == header.end()) continue;
    const DeclaredType& declared = types[static_cast<std::size_t>(found - header.begin())];
    if ((type == ColumnType::kDouble || type == ColumnType::kInt64) &&
        !holds_number(declared.kind)) {
      throw Error(fmt::format(
          "{}: column '{}' has type {}, which cannot be read as a number; map another column "
          "(--map) or cast it in --query",
          shown, name, declared.name));
    }
    if (type == ColumnType::kTimestamp && !holds_date(declared.kind)) {
      throw Error(fmt::format(
          "{}: column '{}' has type {}, which cannot be read as a date; map another column "
          "(--map) or cast it in --query",
          shown, name, declared.name));
    }
  }
}

}  // namespace custlens::io
