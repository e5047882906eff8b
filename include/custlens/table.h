// The columnar in-memory table: typed columns with null bitmaps and dictionary-encoded strings.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace custlens {

/// Physical type of a column. Timestamps are seconds since 1970-01-01 00:00:00 (naive, no zone).
enum class ColumnType : std::uint8_t { kInt64, kDouble, kTimestamp, kString, kBool };

/// "int64", "double", "timestamp", "string", "bool".
std::string_view to_string(ColumnType type);

/// One typed column. Int64, Timestamp and Bool values live in ints(), Double in doubles(),
/// String as codes() into dictionary(). A null row holds 0 / 0.0 / code 0 in its slot.
class Column {
 public:
  Column(std::string name, ColumnType type);
  Column(const Column& other);
  Column& operator=(const Column& other);
  Column(Column&&) noexcept;
  Column& operator=(Column&&) noexcept;
  ~Column();

  const std::string& name() const { return name_; }
  ColumnType type() const { return type_; }
  std::size_t size() const { return size_; }
  std::size_t null_count() const { return null_count_; }

  bool is_null(std::size_t row) const {
    return null_count_ != 0 && ((validity_[row >> 6] >> (row & 63)) & 1) == 0;
  }
  std::int64_t int_at(std::size_t row) const { return ints_[row]; }
  double double_at(std::size_t row) const { return doubles_[row]; }
  std::string_view string_at(std::size_t row) const { return dictionary_[codes_[row]]; }
  /// Any numeric column (int64, double, bool, timestamp) as a double.
  double number_at(std::size_t row) const;

  std::span<const std::int64_t> ints() const { return ints_; }
  std::span<const double> doubles() const { return doubles_; }
  std::span<const std::uint32_t> codes() const { return codes_; }
  const std::vector<std::string>& dictionary() const { return dictionary_; }

  /// Builders. Appending a string interns it in the dictionary.
  void append_null();
  void append_int(std::int64_t value);
  void append_double(double value);
  void append_string(std::string_view value);
  void reserve(std::size_t rows);
  /// Appends all rows of `other` (same type), remapping its dictionary codes into this one.
  void append_column(const Column& other);
  /// Keeps the rows whose mask byte is non-zero, in order.
  Column filter(std::span<const std::uint8_t> keep) const;

 private:
  struct Interner;
  void mark_valid();
  void grow_for(std::size_t extra);
  std::uint32_t intern(std::string_view value);

  std::string name_;
  ColumnType type_;
  std::size_t size_ = 0;
  std::size_t null_count_ = 0;
  std::vector<std::uint64_t> validity_;  // bit i set = row i present; kept in step with size_
  std::vector<std::int64_t> ints_;
  std::vector<double> doubles_;
  std::vector<std::uint32_t> codes_;
  std::vector<std::string> dictionary_;
  std::unique_ptr<Interner> interner_;  // string -> code; rebuilt lazily, never copied
};

/// A set of equally long columns with unique names.
class Table {
 public:
  std::size_t num_rows() const { return columns_.empty() ? 0 : columns_.front().size(); }
  std::size_t num_columns() const { return columns_.size(); }
  const Column& column(std::size_t i) const { return columns_[i]; }
  Column& column(std::size_t i) { return columns_[i]; }
  const std::vector<Column>& columns() const { return columns_; }

  /// Index of the column called `name`, or -1.
  int index_of(std::string_view name) const;
  const Column* find(std::string_view name) const;
  /// Adds a column; throws custlens::Error when the name is taken or the length differs.
  void add_column(Column column);
  /// The rows whose mask byte is non-zero, in order.
  Table filter(std::span<const std::uint8_t> keep) const;

 private:
  std::vector<Column> columns_;
};

}  // namespace custlens
