// A small buffered CSV writer (RFC 4180 quoting) for customer tables, rejects and exports.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "io/output_files.h"

namespace custlens::io {

class CsvWriter {
 public:
  /// Opens `path` for writing; throws custlens::Error when it cannot.
  explicit CsvWriter(const std::string& path);
  /// Writes into `file` (e.g. OutputFiles::open("rejects.csv"), filled as a scan goes); the
  /// rows go straight to its buffer, so closing the file (or committing its set) writes them all.
  explicit CsvWriter(OutputFile& file);
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  /// Appends one field (quoted when it holds a comma, quote, CR or LF).
  void field(std::string_view text);
  void field(std::int64_t value);
  /// A number with `decimals` digits after the point.
  void field(double value, int decimals);
  void end_row();
  /// Flushes and closes the file this writer opened; throws custlens::Error naming the file on a
  /// write failure (disk full, ...). A borrowed OutputFile is left for its owner to close.
  void close();

 private:
  std::unique_ptr<OutputFile> owned_;
  OutputFile* file_;
  std::string& buffer_;
  bool row_started_ = false;
};

/// The field as it would be written to a CSV file.
std::string csv_escape(std::string_view text);

}  // namespace custlens::io
