// share_dir: the environment, then the installed layout beside /proc/self/exe, then the source
// tree.
#include "common/share_dir.h"

#include <cstdlib>
#include <system_error>

// The build sets it to the source tree's share/ (CMakeLists.txt, on this file only).
#ifndef CUSTLENS_SHARE_DIR
#define CUSTLENS_SHARE_DIR "share"
#endif

namespace custlens::common {

std::string resolve_share_dir(const char* from_env, const std::filesystem::path& executable,
                              const std::string& built_in) {
  if (from_env != nullptr && *from_env != '\0') return from_env;
  if (!executable.empty()) {
    const std::filesystem::path installed =
        (executable.parent_path() / ".." / "share" / "custlens").lexically_normal();
    std::error_code ignored;
    if (std::filesystem::is_directory(installed, ignored)) return installed.string();
  }
  return built_in;
}

std::string share_dir() {
  std::error_code error;
  // The binary itself, links resolved: a symlink in PATH to prefix/bin/custlens finds prefix/share.
  std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) executable.clear();
  return resolve_share_dir(std::getenv("CUSTLENS_SHARE_DIR"), executable, CUSTLENS_SHARE_DIR);
}

}  // namespace custlens::common
