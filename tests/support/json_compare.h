// Field-by-field comparison of a golden JSON with a command's JSON output, for the golden tests:
// every field of the expected value must be in the actual one; numbers agree to a relative
// tolerance (with an absolute floor of 1e-12 for values that are 0 up to rounding), everything
// else exactly.
#pragma once

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace custlens::testing {

// Walks the expected JSON; every field in it must be in the actual output and agree.
class JsonComparer {
 public:
  using json = nlohmann::json;

  explicit JsonComparer(double relative_tolerance) : tolerance_(relative_tolerance) {}

  void compare(const json& expected, const json& actual, const std::string& path) {
    if (expected.is_object()) {
      if (!actual.is_object()) return differ(path, "not an object");
      for (const auto& [key, value] : expected.items()) {
        if (!actual.contains(key)) {
          differ(path + "." + key, "missing");
          continue;
        }
        compare(value, actual.at(key), path + "." + key);
      }
    } else if (expected.is_array()) {
      if (!actual.is_array() || actual.size() != expected.size()) {
        return differ(path, "array of a different length: " + actual.dump());
      }
      for (std::size_t i = 0; i < expected.size(); ++i) {
        const json& item = actual[i];
        // design.excluded: the reference lists names, the CLI objects with a column and reason.
        if (expected[i].is_string() && item.is_object()) {
          compare(expected[i], item.at("column"), path + "[" + std::to_string(i) + "]");
        } else {
          compare(expected[i], item, path + "[" + std::to_string(i) + "]");
        }
      }
    } else if (expected.is_null()) {
      if (!actual.is_null()) differ(path, "expected null, got " + actual.dump());
    } else if (expected.is_number()) {
      if (!actual.is_number()) return differ(path, "expected a number, got " + actual.dump());
      const double e = expected.get<double>(), a = actual.get<double>();
      const double scale = std::max(std::fabs(e), std::fabs(a));
      const double relative = scale == 0 ? 0 : std::fabs(e - a) / scale;
      if (std::fabs(e - a) > kAbsoluteFloor) {
        if (relative > max_relative) {
          max_relative = relative;
          max_path = path;
        }
        if (relative > tolerance_) {
          differ(path, "expected " + expected.dump() + ", got " + actual.dump());
        }
      }
    } else if (expected != actual) {
      differ(path, "expected " + expected.dump() + ", got " + actual.dump());
    }
  }

  std::vector<std::string> differences;
  double max_relative = 0;
  std::string max_path;

 private:
  static constexpr double kAbsoluteFloor = 1e-12;
  static constexpr std::size_t kMaxReportedDifferences = 20;
  double tolerance_;

  void differ(const std::string& path, const std::string& what) {
    if (differences.size() < kMaxReportedDifferences) differences.push_back(path + ": " + what);
  }
};

}  // namespace custlens::testing
