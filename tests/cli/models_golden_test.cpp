// Golden tests of `custlens ols` and `custlens logit` against statsmodels 0.13: for every
// tests/reference/golden/models/<case>.json (written by tests/reference/models_reference.py) runs
// the CLI with the case's arguments and compares
//   * its --json output field by field: numbers to 1e-6 relative, with an absolute floor of 1e-12
//     for values that are 0 up to rounding (none of the current cases needs it); counts, names
//     and flags exactly;
//   * its text summary line by line with statsmodels' summary().as_text(), except Date: and Time:.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli_runner.h"

namespace custlens {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kRelativeTolerance = 1e-6;
constexpr double kAbsoluteFloor = 1e-12;
constexpr std::size_t kMaxReportedDifferences = 20;

fs::path golden_dir() { return fs::path(CUSTLENS_REFERENCE_DIR) / "golden" / "models"; }

std::vector<std::string> golden_cases(const std::string& command) {
  std::vector<std::string> cases;
  for (const auto& entry : fs::directory_iterator(golden_dir())) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".json" && name.rfind(command + "_", 0) == 0) {
      cases.push_back(entry.path().stem().string());
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool is_date_or_time(const std::string& line) {
  return line.rfind("Date:", 0) == 0 || line.rfind("Time:", 0) == 0;
}

// Walks the expected JSON; every field in it must be in the actual output and agree.
class Comparer {
 public:
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
        if (relative > kRelativeTolerance) {
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
  void differ(const std::string& path, const std::string& what) {
    if (differences.size() < kMaxReportedDifferences) differences.push_back(path + ": " + what);
  }
};

class ModelGoldenTest : public testing::CliTest, public ::testing::WithParamInterface<std::string> {
 protected:
  // A flat folder name: the parameterized test's name holds a '/'.
  void SetUp() override {
    dir_ = fs::temp_directory_path() / fmt::format("custlens_models_golden_{}_{}", GetParam(),
                                                   static_cast<unsigned>(::getpid()));
    fs::create_directories(dir_);
  }

  void check_case() {
    std::ifstream in(golden_dir() / (GetParam() + ".json"));
    const json golden = json::parse(in);
    std::string arguments =
        golden.at("command").get<std::string>() + " " +
        shell_quote(std::string(CUSTLENS_TEST_DATA) + "/" + golden.at("input").get<std::string>());
    for (const auto& arg : golden.at("args"))
      arguments += " " + shell_quote(arg.get<std::string>());

    ASSERT_EQ(run(arguments + " --json --quiet"), 0) << err();
    Comparer comparer;
    comparer.compare(golden.at("expected"), json::parse(out()), GetParam());
    for (const auto& difference : comparer.differences) ADD_FAILURE() << difference;
    RecordProperty("max_relative_deviation", std::to_string(comparer.max_relative));
    std::cout << "[ golden   ] " << GetParam() << ": max relative deviation "
              << comparer.max_relative << " (" << comparer.max_path << ")\n";

    ASSERT_EQ(run(arguments + " --quiet"), 0) << err();
    std::ifstream summary_file(golden_dir() / (GetParam() + ".summary.txt"));
    std::stringstream summary;
    summary << summary_file.rdbuf();
    const std::vector<std::string> expected = lines_of(summary.str());
    const std::vector<std::string> text = lines_of(out());
    auto start = std::find_if(text.begin(), text.end(), [](const std::string& line) {
      return line.find("Regression Results") != std::string::npos;
    });
    ASSERT_NE(start, text.end()) << out();
    const auto offset = static_cast<std::size_t>(start - text.begin());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      ASSERT_LT(offset + i, text.size()) << "the summary ends early";
      if (is_date_or_time(expected[i])) continue;
      EXPECT_EQ(text[offset + i], expected[i]) << "summary line " << i + 1;
    }
  }
};

class OlsGoldenTest : public ModelGoldenTest {};
class LogitGoldenTest : public ModelGoldenTest {};

TEST_P(OlsGoldenTest, MatchesStatsmodels) { check_case(); }
TEST_P(LogitGoldenTest, MatchesStatsmodels) { check_case(); }

std::string case_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

INSTANTIATE_TEST_SUITE_P(Ols, OlsGoldenTest, ::testing::ValuesIn(golden_cases("ols")), case_name);
INSTANTIATE_TEST_SUITE_P(Logit, LogitGoldenTest, ::testing::ValuesIn(golden_cases("logit")),
                         case_name);

}  // namespace
}  // namespace custlens
