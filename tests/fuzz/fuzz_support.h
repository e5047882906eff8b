// Shared by the fuzz targets: a per-process scratch file that the file-based readers can open.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace custlens::fuzz {

/// Writes `data` to a scratch file named for this process (the readers map or unzip a path) and
/// returns its path; the file is overwritten by the next input and removed at exit.
inline const std::string& write_scratch(const std::uint8_t* data, std::size_t size,
                                        const char* suffix) {
  static const std::string path = [suffix] {
    std::string p = (std::filesystem::temp_directory_path() /
                     ("custlens-fuzz-" + std::to_string(::getpid()) + suffix))
                        .string();
    static std::string to_remove = p;
    std::atexit([] { std::remove(to_remove.c_str()); });
    return p;
  }();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) std::abort();  // a fuzz run without a writable temp folder tests nothing
  return path;
}

/// Stops the run when an invariant of the code under test does not hold.
inline void require(bool holds, const char* what) {
  if (!holds) {
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
  }
}

}  // namespace custlens::fuzz
