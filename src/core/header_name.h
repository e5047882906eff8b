// How header names are compared with role aliases, shared by the order-line and profile roles.
#pragma once

#include <string>
#include <string_view>

namespace custlens::core {

/// Lower-case ASCII; drops spaces, '_', '-', '.', a UTF-8 BOM and the ideographic space.
std::string normalize_header_name(std::string_view name);

}  // namespace custlens::core
