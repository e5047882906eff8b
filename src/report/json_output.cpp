// require_finite_numbers: the walk over a JSON document for NaN and infinite numbers.
#include "report/json_output.h"

#include <fmt/format.h>

#include <cmath>
#include <string>

#include "custlens/error.h"

namespace custlens::report {
namespace {

/// A key as a JSON pointer token (RFC 6901: "~" is "~0", "/" is "~1").
std::string pointer_token(const std::string& key) {
  std::string token;
  for (const char c : key) {
    if (c == '~') {
      token += "~0";
    } else if (c == '/') {
      token += "~1";
    } else {
      token += c;
    }
  }
  return token;
}

/// The JSON pointer of the first non-finite number under `json` (whose own pointer is `at`), or
/// nothing; the pointer text is built only on the way out of a hit.
bool find_non_finite(const nlohmann::json& json, std::string& at) {
  if (json.is_number_float()) return !std::isfinite(json.get<double>());
  if (json.is_object()) {
    for (const auto& [key, value] : json.items()) {
      if (find_non_finite(value, at)) {
        at.insert(0, "/" + pointer_token(key));
        return true;
      }
    }
  } else if (json.is_array()) {
    for (std::size_t i = 0; i < json.size(); ++i) {
      if (find_non_finite(json[i], at)) {
        at.insert(0, "/" + std::to_string(i));
        return true;
      }
    }
  }
  return false;
}

}  // namespace

void require_finite_numbers(const nlohmann::json& json, std::string_view what) {
  std::string at;
  if (find_non_finite(json, at)) {
    throw Error(fmt::format(
        "internal: {} would hold a number that is not finite at {} (written as null); nothing "
        "was written: please report this with the input that caused it",
        what, at.empty() ? "/" : at));
  }
}

nlohmann::json number_or_null(double value) {
  return std::isnan(value) ? nlohmann::json(nullptr) : nlohmann::json(value);
}

}  // namespace custlens::report
