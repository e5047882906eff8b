// Golden tests of `custlens rfm`: runs the built CLI on each dataset x scheme and compares its
// JSON summary and customer CSV with what the pandas reference (tests/reference) wrote.
// Tolerances: integers and text exactly, JSON doubles to 1e-9 relative (the Pareto
// concentration curve and the R x F grid's mean monetary included), the CSV's monetary columns
// (printed with 2 decimals) to one cent.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "support/temp_dir.h"

namespace custlens {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kGoldenTolerance = 1e-9;
// Sums equal to 1e-9 relative but on either side of a half cent print a cent apart (UCI invoices:
// 34 of 4,338 averages), so 0.005 would fail on printing alone; a slip of two cents still fails.
constexpr double kMoneyTolerance = 0.01 + 1e-6;
// Past this many differences a case is clearly broken; more lines only bury the first ones.
constexpr size_t kMaxReportedDifferences = 20;

struct GoldenCase {
  std::string dataset;  // folder under golden/
  std::string input;    // file under tests/data/
  std::string scheme;
};

// Names the case in gtest's output instead of dumping the struct's bytes.
void PrintTo(const GoldenCase& golden, std::ostream* out) {
  *out << golden.dataset << "/" << golden.scheme;
}

std::vector<GoldenCase> analyze_golden_cases() {
  const std::vector<std::pair<std::string, std::string>> datasets = {
      {"online_retail_invoices", "online_retail_invoices.csv"},
      {"online_retail_sample", "online_retail_sample.xlsx"},
      {"orders_edge", "orders_edge.csv"},
  };
  std::vector<GoldenCase> cases;
  for (const auto& [dataset, input] : datasets) {
    for (const char* scheme : {"five", "cn8", "rfm11"}) {
      cases.push_back({dataset, input, scheme});
    }
  }
  return cases;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string golden_shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

bool golden_close_relative(double expected, double actual) {
  return std::abs(expected - actual) <=
         kGoldenTolerance * std::max(std::abs(expected), std::abs(actual));
}

/// Every field of `expected` must be in `actual` with the same value (extra fields are allowed).
void compare_json(const json& expected, const json& actual, const std::string& path,
                  std::vector<std::string>& differences) {
  auto differ = [&](const std::string& why) {
    differences.push_back(path + ": " + why + " (expected " + expected.dump() + ", got " +
                          actual.dump() + ")");
  };
  if (expected.is_object()) {
    if (!actual.is_object()) return differ("not an object");
    for (const auto& [key, value] : expected.items()) {
      if (!actual.contains(key)) {
        differences.push_back(path + "." + key + ": missing");
        continue;
      }
      compare_json(value, actual.at(key), path + "." + key, differences);
    }
  } else if (expected.is_array()) {
    if (!actual.is_array()) return differ("not an array");
    if (expected.size() != actual.size()) return differ("array sizes differ");
    for (size_t i = 0; i < expected.size(); ++i) {
      compare_json(expected[i], actual[i], path + "[" + std::to_string(i) + "]", differences);
    }
  } else if (expected.is_number_integer()) {
    if (!actual.is_number_integer()) return differ("not an integer");
    if (expected.get<long long>() != actual.get<long long>()) differ("integers differ");
  } else if (expected.is_number_float()) {
    if (!actual.is_number()) return differ("not a number");
    if (!golden_close_relative(expected.get<double>(), actual.get<double>())) {
      differ("numbers differ beyond 1e-9 relative");
    }
  } else if (expected != actual) {
    differ("values differ");
  }
}

/// Splits RFC 4180 CSV text into rows of fields (quoted fields may hold commas and "").
std::vector<std::vector<std::string>> parse_csv(std::string_view text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool row_started = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
      continue;
    }
    row_started = true;
    if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      row_started = false;
    } else {
      field += c;
    }
  }
  if (row_started) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

bool parse_double(const std::string& text, double& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

/// Compares customer tables cell by cell: monetary columns to one cent, the rest exactly.
void compare_customer_csv(std::string_view expected_text, std::string_view actual_text,
                          std::vector<std::string>& differences) {
  const auto expected = parse_csv(expected_text);
  const auto actual = parse_csv(actual_text);
  if (expected.empty()) {
    differences.push_back("golden customer CSV is empty");
    return;
  }
  if (actual.empty() || actual[0] != expected[0]) {
    differences.push_back("header differs: got '" + std::string(actual_text.substr(0, 200)) + "'");
    return;
  }
  const auto& header = expected[0];
  if (expected.size() != actual.size()) {
    differences.push_back("customer rows: expected " + std::to_string(expected.size() - 1) +
                          ", got " + std::to_string(actual.size() - 1));
  }
  const size_t rows = std::min(expected.size(), actual.size());
  for (size_t r = 1; r < rows; ++r) {
    const auto& want = expected[r];
    const auto& got = actual[r];
    const std::string where = "customers.csv row " + std::to_string(r) + " (customer " +
                              (want.empty() ? std::string() : want[0]) + ")";
    if (want.size() != got.size()) {
      differences.push_back(where + ": field count differs");
      continue;
    }
    for (size_t c = 0; c < header.size() && c < want.size(); ++c) {
      const bool money = header[c] == "monetary" || header[c] == "avg_order_value";
      if (money) {
        double want_value = 0;
        double got_value = 0;
        if (!parse_double(want[c], want_value) || !parse_double(got[c], got_value) ||
            std::abs(want_value - got_value) > kMoneyTolerance) {
          differences.push_back(where + " " + header[c] + ": expected " + want[c] + ", got " +
                                got[c]);
        }
      } else if (want[c] != got[c]) {
        differences.push_back(where + " " + header[c] + ": expected '" + want[c] + "', got '" +
                              got[c] + "'");
      }
    }
  }
}

std::string join_differences(const std::vector<std::string>& differences) {
  std::string text;
  for (size_t i = 0; i < differences.size() && i < kMaxReportedDifferences; ++i) {
    text += "  " + differences[i] + "\n";
  }
  if (differences.size() > kMaxReportedDifferences) {
    text += "  ... and " + std::to_string(differences.size() - kMaxReportedDifferences) + " more\n";
  }
  return text;
}

using testing::TempDir;

class RfmGoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(RfmGoldenTest, MatchesPandasReference) {
  const GoldenCase& golden = GetParam();
  const fs::path golden_dir =
      fs::path(CUSTLENS_REFERENCE_DIR) / "golden" / golden.dataset / golden.scheme;
  const fs::path input = fs::path(CUSTLENS_TEST_DATA) / golden.input;
  ASSERT_TRUE(fs::exists(golden_dir / "summary.json")) << golden_dir;
  ASSERT_TRUE(fs::exists(golden_dir / "customers.csv")) << golden_dir;
  ASSERT_TRUE(fs::exists(input)) << input;
  ASSERT_TRUE(fs::exists(CUSTLENS_BIN)) << "build the custlens target first";

  TempDir temp;
  const fs::path customers = temp.path() / "customers.csv";
  const fs::path stdout_path = temp.path() / "stdout.json";
  const fs::path stderr_path = temp.path() / "stderr.txt";
  const std::string command =
      golden_shell_quote(CUSTLENS_BIN) + " rfm " + golden_shell_quote(input.string()) + " --scheme " +
      golden.scheme + " --json --customers " + golden_shell_quote(customers.string()) + " >" +
      golden_shell_quote(stdout_path.string()) + " 2>" + golden_shell_quote(stderr_path.string());
  const int status = std::system(command.c_str());
  ASSERT_EQ(status, 0) << command << "\nstderr:\n" << read_file(stderr_path);

  const std::string stdout_text = read_file(stdout_path);
  const json actual = json::parse(stdout_text, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(actual.is_discarded()) << "stdout is not one JSON object:\n"
                                      << stdout_text.substr(0, 2000);
  const json expected = json::parse(read_file(golden_dir / "summary.json"));
  // compare_json checks only what the golden holds: a reference that lost a key checks nothing.
  ASSERT_TRUE(expected.contains("rf_grid") && expected["rf_grid"].size() == 25) << golden_dir;
  ASSERT_GE(expected["pareto"].value("concentration", json::array()).size(), 2u) << golden_dir;

  std::vector<std::string> differences;
  compare_json(expected, actual, "summary", differences);
  EXPECT_TRUE(differences.empty()) << "summary differs from " << golden_dir / "summary.json"
                                   << ":\n"
                                   << join_differences(differences);

  ASSERT_TRUE(fs::exists(customers)) << "--customers wrote nothing at " << customers;
  differences.clear();
  compare_customer_csv(read_file(golden_dir / "customers.csv"), read_file(customers), differences);
  EXPECT_TRUE(differences.empty()) << "customer table differs from " << golden_dir / "customers.csv"
                                   << ":\n"
                                   << join_differences(differences);
}

INSTANTIATE_TEST_SUITE_P(Goldens, RfmGoldenTest, ::testing::ValuesIn(analyze_golden_cases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& info) {
                           return info.param.dataset + "_" + info.param.scheme;
                         });

// The comparers themselves must be able to fail, or a green golden test means nothing.

TEST(GoldenCompareTest, GoldenSummaryMatchesItself) {
  const json golden = json::parse(read_file(fs::path(CUSTLENS_REFERENCE_DIR) / "golden" /
                                            "orders_edge" / "rfm11" / "summary.json"));
  std::vector<std::string> differences;
  compare_json(golden, golden, "summary", differences);
  EXPECT_TRUE(differences.empty()) << join_differences(differences);
}

TEST(GoldenCompareTest, FlagsChangedMissingAndRetypedFields) {
  const json golden = json::parse(read_file(fs::path(CUSTLENS_REFERENCE_DIR) / "golden" /
                                            "orders_edge" / "five" / "summary.json"));
  json changed = golden;
  changed["audit"]["duplicates"] = golden["audit"]["duplicates"].get<int>() + 1;
  changed["revenue"] = golden["revenue"].get<double>() * (1 + 1e-7);
  changed["segments"][0]["name_zh"] = "x";
  changed["pareto"].erase("top20pct_revenue_share");
  changed["customers"] = golden["customers"].get<double>();  // an integer printed as a double
  std::vector<std::string> differences;
  compare_json(golden, changed, "summary", differences);
  EXPECT_EQ(differences.size(), 5u) << join_differences(differences);

  json within_tolerance = golden;
  within_tolerance["revenue"] = golden["revenue"].get<double>() * (1 + 1e-12);
  differences.clear();
  compare_json(golden, within_tolerance, "summary", differences);
  EXPECT_TRUE(differences.empty()) << join_differences(differences);
}

TEST(GoldenCompareTest, FlagsSegmentOrderAndCount) {
  const json golden = json::parse(read_file(fs::path(CUSTLENS_REFERENCE_DIR) / "golden" /
                                            "orders_edge" / "cn8" / "summary.json"));
  json reordered = golden;
  std::swap(reordered["segments"][0], reordered["segments"][1]);
  std::vector<std::string> differences;
  compare_json(golden, reordered, "summary", differences);
  EXPECT_FALSE(differences.empty());

  json shorter = golden;
  shorter["segments"].erase(shorter["segments"].size() - 1);
  differences.clear();
  compare_json(golden, shorter, "summary", differences);
  EXPECT_EQ(differences.size(), 1u) << join_differences(differences);
}

TEST(GoldenCompareTest, ParsesQuotedCsvFields) {
  const auto rows = parse_csv("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\n1,2,3");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"x, y", "say \"hi\"", ""}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"1", "2", "3"}));
}

TEST(GoldenCompareTest, CustomerCsvToleratesOnlyMoneyRounding) {
  const std::string golden = read_file(fs::path(CUSTLENS_REFERENCE_DIR) / "golden" / "orders_edge" /
                                       "five" / "customers.csv");
  std::vector<std::string> differences;
  compare_customer_csv(golden, golden, differences);
  EXPECT_TRUE(differences.empty()) << join_differences(differences);

  const std::string header =
      "customer_id,recency_days,frequency,monetary,first_purchase,last_purchase,r_score,f_score,"
      "m_score,rfm_code,segment,tenure_days,avg_order_value\n";
  const std::string row =
      "12347,130,2,36.00,2010-12-06 09:00:00,2011-08-02 09:00:00,3,2,2,322,Potential,369,18.00\n";
  const std::string more_digits =
      "12347,130,2,36.001,2010-12-06 09:00:00,2011-08-02 09:00:00,3,2,2,322,Potential,369,18\n";
  const std::string cent_off =
      "12347,130,2,36.01,2010-12-06 09:00:00,2011-08-02 09:00:00,3,2,2,322,Potential,369,17.99\n";
  const std::string cents_off =
      "12347,130,2,36.02,2010-12-06 09:00:00,2011-08-02 09:00:00,3,2,2,322,Potential,369,18.00\n";
  const std::string score_off =
      "12347,130,2,36.00,2010-12-06 09:00:00,2011-08-02 09:00:00,3,2,3,323,Potential,369,18.00\n";
  differences.clear();
  compare_customer_csv(header + row, header + more_digits, differences);
  EXPECT_TRUE(differences.empty()) << join_differences(differences);
  differences.clear();
  compare_customer_csv(header + row, header + cent_off, differences);
  EXPECT_TRUE(differences.empty()) << join_differences(differences);
  differences.clear();
  compare_customer_csv(header + row, header + cents_off, differences);
  EXPECT_EQ(differences.size(), 1u) << join_differences(differences);
  differences.clear();
  compare_customer_csv(header + row, header + score_off, differences);
  EXPECT_EQ(differences.size(), 2u) << join_differences(differences);
  differences.clear();
  compare_customer_csv(header + row + row, header + row, differences);
  EXPECT_EQ(differences.size(), 1u) << join_differences(differences);
}

}  // namespace
}  // namespace custlens
