// One input's raw bytes, opened once: a regular file memory-mapped, anything else (stdin as "-",
// a pipe, /dev/fd/N from `<(...)`, a FIFO) read() in pieces, its head kept for a later pass.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace custlens::io {

/// The bytes of an input, read from the front. head(n) gives the first n bytes (read ahead and
/// kept when the input is a pipe), so sniffing can look at them and a scan still starts at byte
/// 0; read_after_head() then continues where the kept bytes end. Not copyable; one reader.
class InputStream {
 public:
  /// Opens `path` ("-" = standard input). Throws custlens::Error, message starting with the
  /// path, for a missing or unreadable input ("cannot open (...)") or a directory ("is a
  /// directory, not a file"). An empty input is not an error here (see empty()).
  explicit InputStream(const std::string& path);
  ~InputStream();
  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;

  const std::string& path() const { return path_; }
  /// True for a memory-mapped regular file: all bytes are in head(size()), nothing is read.
  bool mapped() const { return map_ != nullptr; }
  /// The file size when mapped; otherwise the bytes read so far.
  std::size_t size() const { return mapped() ? map_size_ : kept_.size(); }

  /// The first min(n, all) bytes, contiguous and stable until the stream is destroyed or the
  /// head grows again (pipes: a longer head() may move the kept bytes).
  std::string_view head(std::size_t n);
  /// True once every byte of the input is in head(size()).
  bool ended() const { return mapped() || ended_; }
  /// True when the input has no byte at all (reads the first bytes of a pipe to tell).
  bool empty();

  /// Reads up to `capacity` bytes that follow the last byte read into `out` (pipes only; a
  /// mapped file has none): the bytes after head(), as a scan needs them. Returns 0 at the end.
  std::size_t read_after_head(char* out, std::size_t capacity);

  /// Drops the whole pages inside `part` (a piece of a mapped file) from this process's memory;
  /// they read back unchanged if touched again. No-op for pipes.
  void release(std::string_view part) const;
  /// Drops the pages of a mapped file wholly before `end` (a byte of the mapping) that an
  /// earlier call did not drop: a scan in file order calls it as it goes. No-op for pipes.
  void release_until(const char* end);

 private:
  std::size_t read_some(char* out, std::size_t capacity);

  std::string path_;
  int fd_ = -1;
  bool owns_fd_ = false;
  void* map_ = nullptr;
  std::size_t map_size_ = 0;
  std::string kept_;  ///< pipes: the bytes read for head(), in order from the first
  bool ended_ = false;
  std::size_t released_ = 0;  ///< mapped: bytes before this offset were released
};

/// True when `path` is "-" or names something other than a regular file or a directory (a pipe,
/// /dev/fd/N, a FIFO, a character device): an input that can be read only once.
bool is_stream_path(const std::string& path);

}  // namespace custlens::io
