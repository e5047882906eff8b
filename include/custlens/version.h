// The custlens version, as summary.json and the run store record it.
#pragma once

#include <string_view>

namespace custlens {

/// "0.1.0": the project version of CMakeLists.txt.
std::string_view version();

}  // namespace custlens
