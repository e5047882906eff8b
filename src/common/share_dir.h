// Where the shipped data files are (playbook.toml, profile_playbook.toml, categories.toml, the
// tier and scoring examples): beside an installed binary, or in the source tree it was built from.
#pragma once

#include <filesystem>
#include <string>

namespace custlens::common {

/// The folder of shipped data files: $CUSTLENS_SHARE_DIR when set and non-empty; else
/// `<folder of the running binary>/../share/custlens` when it exists (what `cmake --install`
/// lays out); else the source tree's share/ the library was built from.
std::string share_dir();

/// The rule of share_dir with its inputs given: `from_env` (nullptr or "" = unset), the running
/// binary's path (empty = unknown) and the build-time folder. An installed folder is returned in
/// its lexically normal form (no "bin/..").
std::string resolve_share_dir(const char* from_env, const std::filesystem::path& executable,
                              const std::string& built_in);

}  // namespace custlens::common
