// read_text_file: an ifstream read whole, its failures as custlens::Error.
#include "common/text_file.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "custlens/error.h"

namespace custlens::common {

std::string read_text_file(const std::string& path, std::string_view what) {
  std::error_code ignored;
  // A directory opens as a stream and reads as empty: say what it is instead.
  if (std::filesystem::is_directory(path, ignored)) {
    throw Error(fmt::format("cannot read {} '{}': is a directory", what, path));
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  // errno names the reason (no such file, permission, a directory) where the library set it.
  auto fail = [&] {
    const int error = errno;
    return Error(fmt::format("cannot read {} '{}': {}", what, path,
                             error != 0 ? std::strerror(error) : "read error"));
  };
  if (!in) throw fail();
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw fail();
  return std::move(text).str();
}

}  // namespace custlens::common
