// `custlens campaign --json` against the independent statsmodels/scipy reference
// (tests/reference/campaign_reference.py): every golden in golden/campaign/ names its orders,
// contact list and arguments under "case"; the CLI runs them and must agree field by field —
// counts, names, nulls and the verdict exactly, every number to 1e-9 relative.
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

class CampaignGoldenTest : public testing::CliTest {};

std::vector<std::filesystem::path> campaign_goldens() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(CUSTLENS_REFERENCE_DIR) / "golden" / "campaign")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST_F(CampaignGoldenTest, EveryCaseEqualsTheStatsmodelsReference) {
  const std::vector<std::filesystem::path> files = campaign_goldens();
  ASSERT_GE(files.size(), 3u);
  for (const std::filesystem::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    std::ifstream in(file);
    nlohmann::json golden = nlohmann::json::parse(in);
    const nlohmann::json spec = golden.at("case");
    golden.erase("case");
    const std::string data = std::string(CUSTLENS_TEST_DATA) + "/";
    std::string command = "campaign '" + data + spec.at("orders").get<std::string>() +
                          "' --contacts '" + data + spec.at("contacts").get<std::string>() + "'";
    for (const auto& arg : spec.at("args")) command += " '" + arg.get<std::string>() + "'";
    ASSERT_EQ(run(command + " --json --quiet"), 0) << command << "\n" << err();
    nlohmann::json actual = nlohmann::json::parse(out());
    ASSERT_TRUE(actual.contains("contacts")) << out();
    // The reference reads the file by another path; every other field is compared.
    actual["contacts"].erase("file");
    actual["contacts"].erase("columns");
    testing::JsonComparer comparer(1e-9);
    comparer.compare(golden, actual, "");
    std::string differences;
    for (const std::string& d : comparer.differences) differences += d + "\n";
    EXPECT_TRUE(comparer.differences.empty()) << command << "\n" << differences;
    EXPECT_LE(comparer.max_relative, 1e-9) << comparer.max_path;
  }
}

}  // namespace
}  // namespace custlens
