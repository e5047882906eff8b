// Test helper: bytes written into a pipe by a thread, read by the code under test as "/dev/fd/N".
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <utility>

namespace custlens::testing {

class PipeFeed {
 public:
  explicit PipeFeed(std::string bytes) : bytes_(std::move(bytes)) {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    read_fd_ = fds[0];
    std::signal(SIGPIPE, SIG_IGN);  // a reader that stops early must not kill the test
    writer_ = std::thread([this, fd = fds[1]] {
      std::size_t done = 0;
      while (done < bytes_.size()) {
        const ssize_t wrote = ::write(fd, bytes_.data() + done, bytes_.size() - done);
        if (wrote <= 0) break;
        done += static_cast<std::size_t>(wrote);
      }
      ::close(fd);
    });
  }
  /// The bytes of the file at `path`.
  static PipeFeed of_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return PipeFeed(std::string(std::istreambuf_iterator<char>(in), {}));
  }
  PipeFeed(PipeFeed&&) = delete;
  ~PipeFeed() {
    ::close(read_fd_);
    writer_.join();
  }
  std::string path() const { return "/dev/fd/" + std::to_string(read_fd_); }

 private:
  std::string bytes_;
  int read_fd_ = -1;
  std::thread writer_;
};

}  // namespace custlens::testing
