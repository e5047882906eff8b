// `custlens events --json` against the independent pandas reference
// (tests/reference/events_reference.py): every golden in golden/events/ names its input and
// arguments under "case"; the CLI runs them and must agree field by field — counts, days, keys and
// order exactly, rates to 1e-12 relative, nulls as nulls.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/cli_runner.h"
#include "support/json_compare.h"

namespace custlens {
namespace {

class EventsGoldenTest : public testing::CliTest {};

std::vector<std::filesystem::path> goldens() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(CUSTLENS_REFERENCE_DIR) / "golden" / "events")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

TEST_F(EventsGoldenTest, EveryCaseEqualsThePandasReference) {
  const std::vector<std::filesystem::path> files = goldens();
  ASSERT_GE(files.size(), 30u);
  for (const std::filesystem::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    std::ifstream in(file);
    nlohmann::json golden = nlohmann::json::parse(in);
    const nlohmann::json spec = golden.at("case");
    golden.erase("case");
    const std::string data = std::string(CUSTLENS_TEST_DATA) + "/";
    std::string command = "events " + quoted(data + spec.at("input").get<std::string>());
    for (const auto& arg : spec.at("args")) {
      // data:NAME is a file in tests/data/ (the joined view's tables).
      const std::string text = arg.get<std::string>();
      command += " " + quoted(text.rfind("data:", 0) == 0 ? data + text.substr(5) : text);
    }
    const std::string customers = path("customers.csv");
    if (spec.contains("customers")) command += " --customers " + quoted(customers);
    ASSERT_EQ(run(command + " --json --quiet"), 0) << command << "\n" << err();
    nlohmann::json actual = nlohmann::json::parse(out());
    if (spec.contains("customers")) {
      // The per-customer table, byte for byte; the tables' paths are the test's, not compared.
      EXPECT_EQ(slurp(customers),
                slurp(file.parent_path() / spec.at("customers").get<std::string>()))
          << command;
      for (const char* source : {"rfm_tier", "profile_tier"}) {
        if (!golden["joined"][source].is_null()) {
          EXPECT_EQ(actual["joined"][source]["files"].size(), 1u) << source;
          golden["joined"][source].erase("files");
          actual["joined"][source].erase("files");
        }
      }
    }
    testing::JsonComparer comparer(1e-12);
    comparer.compare(golden, actual, "");
    EXPECT_TRUE(comparer.differences.empty()) << command << "\n"
                                              << [&] {
                                                   std::string text;
                                                   for (const std::string& d : comparer.differences)
                                                     text += d + "\n";
                                                   return text;
                                                 }();
    EXPECT_LE(comparer.max_relative, 1e-12) << comparer.max_path;
    // Nothing the reference does not have: the same keys at the top.
    for (const auto& [key, value] : actual.items()) EXPECT_TRUE(golden.contains(key)) << key;
  }
}

}  // namespace
}  // namespace custlens
