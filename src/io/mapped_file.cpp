// MappedFile: open, check, map (or read) and unmap.
#include "io/mapped_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

#include "custlens/error.h"

namespace custlens::io {
namespace {

std::string errno_message() { return std::generic_category().message(errno); }

/// Closes a descriptor on every path out of the constructor.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

MappedFile::MappedFile(const std::string& path) {
  const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw Error(fmt::format("{}: cannot open ({})", path, errno_message()));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) {
    throw Error(fmt::format("{}: cannot open ({})", path, errno_message()));
  }
  if (S_ISDIR(info.st_mode)) throw Error(fmt::format("{}: is a directory, not a file", path));
  if (S_ISREG(info.st_mode) && info.st_size > 0) {
    size_ = static_cast<std::size_t>(info.st_size);
    void* map = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd.get(), 0);
    if (map != MAP_FAILED) {
      map_ = map;
      ::madvise(map_, size_, MADV_WILLNEED);  // start read-ahead; only a hint
    }
  }
  if (map_ == nullptr) read_all(fd.get(), path);
  if (bytes().empty()) throw Error(fmt::format("{}: file is empty", path));
}

MappedFile::~MappedFile() {
  if (map_ != nullptr) ::munmap(map_, size_);
}

void MappedFile::release(std::string_view part) const {
  if (map_ == nullptr || part.empty()) return;
  const auto base = reinterpret_cast<std::uintptr_t>(map_);
  const auto begin = reinterpret_cast<std::uintptr_t>(part.data());
  if (begin < base || begin + part.size() > base + size_) return;
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const std::uintptr_t first = (begin + page - 1) / page * page;
  const std::uintptr_t last = (begin + part.size()) / page * page;
  // The mapping is private and read-only, so dropped pages come back unchanged from the file.
  if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

void MappedFile::read_all(int fd, const std::string& path) {
  char buffer[1 << 16];
  while (true) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      throw Error(fmt::format("{}: cannot read ({})", path, errno_message()));
    }
    read_.append(buffer, static_cast<std::size_t>(got));
  }
}

}  // namespace custlens::io
