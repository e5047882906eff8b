// InputStream: open, map or read ahead, release.
#include "io/input_stream.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <system_error>

#include "custlens/error.h"

namespace custlens::io {
namespace {

constexpr std::size_t kReadBytes = std::size_t{1} << 16;

std::string errno_message() { return std::generic_category().message(errno); }

}  // namespace

InputStream::InputStream(const std::string& path) : path_(path) {
  if (path == "-") {
    fd_ = STDIN_FILENO;
  } else {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw Error(fmt::format("{}: cannot open ({})", path, errno_message()));
    owns_fd_ = true;
  }
  struct stat info {};
  if (::fstat(fd_, &info) != 0) {
    const std::string message = fmt::format("{}: cannot open ({})", path, errno_message());
    if (owns_fd_) ::close(fd_);
    throw Error(message);
  }
  if (S_ISDIR(info.st_mode)) {
    if (owns_fd_) ::close(fd_);
    throw Error(fmt::format("{}: is a directory, not a file", path));
  }
  // Standard input is read as a stream even when it is a file: it may not start at offset 0.
  if (S_ISREG(info.st_mode) && info.st_size > 0 && owns_fd_) {
    map_size_ = static_cast<std::size_t>(info.st_size);
    void* map = ::mmap(nullptr, map_size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (map != MAP_FAILED) {
      map_ = map;
      ::madvise(map_, map_size_, MADV_SEQUENTIAL);  // read-ahead, early reclaim; only a hint
    } else {
      map_size_ = 0;  // read() it like a pipe
    }
  }
}

InputStream::~InputStream() {
  if (map_ != nullptr) ::munmap(map_, map_size_);
  if (owns_fd_) ::close(fd_);
}

std::size_t InputStream::read_some(char* out, std::size_t capacity) {
  while (true) {
    const ssize_t got = ::read(fd_, out, capacity);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno != EINTR) throw Error(fmt::format("{}: cannot read ({})", path_, errno_message()));
  }
}

std::string_view InputStream::head(std::size_t n) {
  if (mapped()) return std::string_view(static_cast<const char*>(map_), std::min(n, map_size_));
  while (kept_.size() < n && !ended_) {
    const std::size_t before = kept_.size();
    kept_.resize(before + std::max(kReadBytes, std::min(n - before, std::size_t{1} << 24)));
    const std::size_t got = read_some(kept_.data() + before, kept_.size() - before);
    kept_.resize(before + got);
    ended_ = got == 0;
  }
  return std::string_view(kept_).substr(0, std::min(n, kept_.size()));
}

bool InputStream::empty() { return head(1).empty(); }

std::size_t InputStream::read_after_head(char* out, std::size_t capacity) {
  if (mapped() || ended_ || capacity == 0) return 0;
  const std::size_t got = read_some(out, capacity);
  ended_ = got == 0;
  return got;
}

void InputStream::release(std::string_view part) const {
  if (map_ == nullptr || part.empty()) return;
  const auto base = reinterpret_cast<std::uintptr_t>(map_);
  const auto begin = reinterpret_cast<std::uintptr_t>(part.data());
  if (begin < base || begin + part.size() > base + map_size_) return;
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const std::uintptr_t first = (begin + page - 1) / page * page;
  const std::uintptr_t last = (begin + part.size()) / page * page;
  // The mapping is private and read-only, so dropped pages come back unchanged from the file.
  if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

void InputStream::release_until(const char* end) {
  if (map_ == nullptr) return;
  const char* base = static_cast<const char*>(map_);
  if (end < base || end > base + map_size_) return;
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t until = static_cast<std::size_t>(end - base) / page * page;
  if (until <= released_) return;
  ::madvise(static_cast<char*>(map_) + released_, until - released_, MADV_DONTNEED);
  released_ = until;
}

bool is_stream_path(const std::string& path) {
  if (path == "-") return true;
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return false;
  return !S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode);
}

}  // namespace custlens::io
