// A small buffered CSV writer (RFC 4180 quoting) for customer tables, rejects and exports.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace custlens::io {

class CsvWriter {
 public:
  /// Opens `path` for writing; throws custlens::Error when it cannot.
  explicit CsvWriter(const std::string& path);
  ~CsvWriter();
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  /// Appends one field (quoted when it holds a comma, quote, CR or LF).
  void field(std::string_view text);
  void field(std::int64_t value);
  /// A number with `decimals` digits after the point.
  void field(double value, int decimals);
  void end_row();
  /// Flushes and closes; throws custlens::Error on a write failure (disk full, ...).
  void close();

 private:
  void flush_buffer();
  std::string path_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
  bool row_started_ = false;
};

/// The field as it would be written to a CSV file.
std::string csv_escape(std::string_view text);

}  // namespace custlens::io
