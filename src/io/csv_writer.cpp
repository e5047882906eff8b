// CsvWriter: buffered output with RFC 4180 quoting.
#include "io/csv_writer.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "custlens/error.h"

namespace custlens::io {

std::string csv_escape(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

CsvWriter::CsvWriter(const std::string& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) throw Error(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  buffer_.reserve(1 << 20);
}

CsvWriter::~CsvWriter() {
  if (file_) std::fclose(file_);
}

void CsvWriter::field(std::string_view text) {
  if (row_started_) buffer_ += ',';
  row_started_ = true;
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    buffer_ += text;
  } else {
    buffer_ += csv_escape(text);
  }
}

void CsvWriter::field(std::int64_t value) {
  if (row_started_) buffer_ += ',';
  row_started_ = true;
  fmt::format_to(std::back_inserter(buffer_), "{}", value);
}

void CsvWriter::field(double value, int decimals) {
  if (row_started_) buffer_ += ',';
  row_started_ = true;
  fmt::format_to(std::back_inserter(buffer_), "{:.{}f}", value, decimals);
}

void CsvWriter::end_row() {
  buffer_ += '\n';
  row_started_ = false;
  if (buffer_.size() >= (1 << 20)) flush_buffer();
}

void CsvWriter::flush_buffer() {
  if (buffer_.empty()) return;
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    throw Error(fmt::format("{}: write failed: {}", path_, std::strerror(errno)));
  }
  buffer_.clear();
}

void CsvWriter::close() {
  if (!file_) return;
  flush_buffer();
  std::FILE* file = file_;
  file_ = nullptr;
  if (std::fclose(file) != 0) {
    throw Error(fmt::format("{}: write failed: {}", path_, std::strerror(errno)));
  }
}

}  // namespace custlens::io
