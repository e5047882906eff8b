// Numbers as people read them in text output: digits grouped by thousands.
#pragma once

#include <cstdint>
#include <string>

namespace custlens::common {

/// "-1234567.89" -> "-1,234,567.89": commas every three digits of the integer part.
inline std::string group_thousands(std::string digits) {
  const std::size_t start = digits.starts_with('-') ? 1 : 0;
  std::size_t end = digits.find('.');
  if (end == std::string::npos) end = digits.size();
  for (std::size_t at = end; at > start + 3; at -= 3) digits.insert(at - 3, 1, ',');
  return digits;
}

/// 1234567 -> "1,234,567".
inline std::string thousands(std::int64_t value) { return group_thousands(std::to_string(value)); }

}  // namespace custlens::common
