// Reading a whole small file (TOML settings, a saved summary.json) with one error form.
#pragma once

#include <string>
#include <string_view>

namespace custlens::common {

/// The whole content of the file at `path`; throws custlens::Error
/// "cannot read WHAT 'PATH': REASON" (`what` e.g. "scoring file") when it cannot be read.
std::string read_text_file(const std::string& path, std::string_view what);

}  // namespace custlens::common
