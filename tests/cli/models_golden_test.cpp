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
#include "support/json_compare.h"

namespace custlens {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kModelsTolerance = 1e-6;

fs::path models_golden_dir() { return fs::path(CUSTLENS_REFERENCE_DIR) / "golden" / "models"; }

std::vector<std::string> models_golden_cases(const std::string& command) {
  std::vector<std::string> cases;
  for (const auto& entry : fs::directory_iterator(models_golden_dir())) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".json" && name.rfind(command + "_", 0) == 0) {
      cases.push_back(entry.path().stem().string());
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::string models_shell_quote(const std::string& text) {
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

class ModelGoldenTest : public testing::CliTest, public ::testing::WithParamInterface<std::string> {
 protected:
  // A flat folder name: the parameterized test's name holds a '/'.
  void SetUp() override {
    dir_ = fs::temp_directory_path() / fmt::format("custlens_models_golden_{}_{}", GetParam(),
                                                   static_cast<unsigned>(::getpid()));
    fs::create_directories(dir_);
  }

  void check_case() {
    std::ifstream in(models_golden_dir() / (GetParam() + ".json"));
    const json golden = json::parse(in);
    std::string arguments =
        golden.at("command").get<std::string>() + " " +
        models_shell_quote(std::string(CUSTLENS_TEST_DATA) + "/" + golden.at("input").get<std::string>());
    for (const auto& arg : golden.at("args"))
      arguments += " " + models_shell_quote(arg.get<std::string>());

    ASSERT_EQ(run(arguments + " --json --quiet"), 0) << err();
    testing::JsonComparer comparer(kModelsTolerance);
    comparer.compare(golden.at("expected"), json::parse(out()), GetParam());
    for (const auto& difference : comparer.differences) ADD_FAILURE() << difference;
    RecordProperty("max_relative_deviation", std::to_string(comparer.max_relative));
    std::cout << "[ golden   ] " << GetParam() << ": max relative deviation "
              << comparer.max_relative << " (" << comparer.max_path << ")\n";

    ASSERT_EQ(run(arguments + " --quiet"), 0) << err();
    std::ifstream summary_file(models_golden_dir() / (GetParam() + ".summary.txt"));
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

INSTANTIATE_TEST_SUITE_P(Ols, OlsGoldenTest, ::testing::ValuesIn(models_golden_cases("ols")), case_name);
INSTANTIATE_TEST_SUITE_P(Logit, LogitGoldenTest, ::testing::ValuesIn(models_golden_cases("logit")),
                         case_name);

}  // namespace
}  // namespace custlens
