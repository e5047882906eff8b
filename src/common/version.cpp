#include "custlens/version.h"

namespace custlens {

// CUSTLENS_VERSION is set for this file only (CMakeLists.txt), so a version bump rebuilds one file.
std::string_view version() { return CUSTLENS_VERSION; }

}  // namespace custlens
