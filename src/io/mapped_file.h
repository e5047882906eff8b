// A whole input file's bytes, memory-mapped read-only (RAII), for the readers.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace custlens::io {

/// The bytes of a file: mapped read-only when it is a regular file, read into memory otherwise
/// (pipes). Throws custlens::Error, message starting with the path, for a missing or unreadable
/// file ("cannot open"), a directory ("is a directory") or an empty file ("file is empty").
class MappedFile {
 public:
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const {
    return map_ != nullptr ? std::string_view(static_cast<const char*>(map_), size_) : read_;
  }

  /// Drops the whole pages inside `part` (a piece of bytes()) from this process's memory; the
  /// bytes stay readable and are read from the file again if touched. Keeps peak memory near the
  /// working set instead of the file size. No-op for read (unmapped) files.
  void release(std::string_view part) const;

 private:
  void read_all(int fd, const std::string& path);

  void* map_ = nullptr;
  std::size_t size_ = 0;
  std::string read_;
};

}  // namespace custlens::io
