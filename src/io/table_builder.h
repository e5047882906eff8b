// Turns raw field batches into typed columns: type inference from a sample, per-batch conversion
// (thread-safe), and the final concatenation into a Dataset.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "custlens/ingest.h"
#include "io/dates.h"
#include "io/row_source.h"

namespace custlens::io {

/// How one header column is read.
struct ColumnPlan {
  std::string name;
  bool materialize = false;
  ColumnType type = ColumnType::kString;
  std::string date_format;     ///< for kTimestamp
  bool forced = false;         ///< type given by the caller rather than inferred
  bool integral_hint = false;  ///< inferred as whole numbers: parsed as double, narrowed at the end
  bool id = false;             ///< ReadOptions::id_column: located in the content of rejects
};

/// Decides every column's type from the sample rows and the caller's options.
std::vector<ColumnPlan> plan_columns(const std::vector<std::string>& header, const RowBatch& sample,
                                     const ReadOptions& options);

/// The typed rows of one batch.
struct TypedBatch {
  std::vector<Column> columns;  ///< one per materialized column, in header order
  std::vector<std::int64_t> lines;
  std::vector<std::uint64_t> hashes;
  std::vector<Reject> rejects;
};

/// Converts batches of one file. convert() is const and safe to call from several threads.
class BatchConverter {
 public:
  BatchConverter(std::vector<ColumnPlan> plans, std::string file);
  TypedBatch convert(const RowBatch& batch) const;
  const std::vector<ColumnPlan>& plans() const { return plans_; }

 private:
  std::vector<ColumnPlan> plans_;
  std::vector<std::optional<DateParser>> date_parsers_;  // per plan; set for timestamps
  std::string file_;
};

/// A row rejected after it was split: its raw fields joined by commas, cut to a few hundred bytes
/// (whole UTF-8 sequences), with the field of column `id_col` located when the cut keeps it.
Reject raw_row_reject(const RowBatch& batch, std::size_t row, std::size_t id_col);
/// Why a field does not convert: "bad number '1,5' in column 'Quantity'", "bad date ... (format
/// %Y-%m-%d)".
std::string bad_value_detail(const ColumnPlan& plan, std::string_view text);

/// A field without the spaces and tabs around it (and a trailing CR), as numbers and dates are
/// read.
std::string_view trim_field(std::string_view text);

/// Parses a number the way the readers do (surrounding spaces ignored; fast_float). Returns
/// false for anything else.
bool parse_double(std::string_view text, double& value);
bool parse_int(std::string_view text, std::int64_t& value);
/// TRUE/FALSE, true/false, yes/no, 是/否 (1/0 only when the column is forced to bool).
bool parse_bool(std::string_view text, bool allow_digits, bool& value);
/// Empty, blank or a conventional null marker (NA, N/A, NULL, null, NaN, nan, None).
bool is_null_text(std::string_view text);

}  // namespace custlens::io
