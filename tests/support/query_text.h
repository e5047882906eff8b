// Text helpers of the dashboard tests: a CSV field for a pre-filtered file, and a query value
// percent-encoded for a URL.
#pragma once

#include <fmt/format.h>

#include <cctype>
#include <string>

namespace custlens::testing {

/// The field quoted as RFC 4180 asks when it holds a comma, quote or newline.
inline std::string csv_field(const std::string& field) {
  if (field.find_first_of(",\"\n") == std::string::npos) return field;
  std::string quoted = "\"";
  for (char c : field) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  return quoted + "\"";
}

/// Every byte but [A-Za-z0-9-_.] as %XX.
inline std::string url_encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace custlens::testing
