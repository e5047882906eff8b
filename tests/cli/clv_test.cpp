// `custlens clv` and `analyze --clv` end to end: the JSON keys the issue lists, the per-customer
// file, the CDNOW text layout giving the fits of its CSV, hashed ids, one-line errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli_runner.h"

namespace custlens {
namespace {

// customers.csv has no quoted fields: ids, tier names and numbers.
struct CsvFile {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  static CsvFile read(const std::string& text) {
    CsvFile out;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      std::vector<std::string> fields;
      std::istringstream cells(line);
      std::string cell;
      while (std::getline(cells, cell, ',')) fields.push_back(cell);
      if (out.header.empty()) {
        out.header = std::move(fields);
      } else {
        out.rows.push_back(std::move(fields));
      }
    }
    return out;
  }
  bool has(const std::string& name) const {
    return std::find(header.begin(), header.end(), name) != header.end();
  }
  std::vector<std::string> column(const std::string& name) const {
    const auto k = static_cast<std::size_t>(
        std::find(header.begin(), header.end(), name) - header.begin());
    std::vector<std::string> out;
    for (const auto& row : rows) out.push_back(k < row.size() ? row[k] : std::string());
    return out;
  }
  std::vector<double> numbers(const std::string& name) const {
    std::vector<double> out;
    for (const std::string& v : column(name)) out.push_back(std::stod(v));
    return out;
  }
};

class ClvCommandTest : public testing::CliTest {
 protected:
  static std::string data(const std::string& name) {
    return std::string(CUSTLENS_TEST_DATA) + "/" + name;
  }
  static std::string cdnow() { return data("cdnow_sample_transactions.csv"); }
  static constexpr const char* kPeriods =
      " --calibration-end 1997-09-30 --holdout-end 1998-06-30";
  nlohmann::json run_json(const std::string& arguments) {
    EXPECT_EQ(run("clv " + arguments + " --json --quiet"), 0) << err();
    return nlohmann::json::parse(out());
  }
};

// One run (each fits four models): the JSON keys the issue lists and the per-customer file.
TEST_F(ClvCommandTest, JsonHasTheIssuesKeysAndTheCustomersFileItsColumns) {
  const nlohmann::json json =
      run_json("'" + cdnow() + "'" + kPeriods + " --customers '" + path("customers.csv") + "'");
  EXPECT_EQ(json["customers"], 2357);
  EXPECT_EQ(json["repeat_customers"], 946);
  for (const char* model : {"bgnbd", "mbgnbd"}) {
    for (const char* key : {"r", "alpha", "a", "b", "log_likelihood"}) {
      EXPECT_TRUE(json[model][key].is_number()) << model << " " << key;
    }
    for (const char* key : {"r", "alpha", "a", "b"}) {
      EXPECT_GT(json[model]["se"][key].get<double>(), 0) << model << " " << key;
    }
  }
  for (const char* key : {"r", "alpha", "s", "beta", "log_likelihood"}) {
    EXPECT_TRUE(json["pareto_nbd"][key].is_number()) << key;
  }
  for (const char* key : {"p", "q", "v", "customers", "excluded"}) {
    EXPECT_TRUE(json["gamma_gamma"][key].is_number()) << key;
  }
  EXPECT_EQ(json["gamma_gamma"]["customers"], 946);
  EXPECT_EQ(json["holdout"]["actual_purchases"], 1882);
  EXPECT_TRUE(json["holdout"]["expected_purchases"].is_number());
  for (const char* model : {"bgnbd", "mbgnbd", "pareto_nbd"}) {
    const nlohmann::json& score = json["holdout"]["models"][model];
    for (const char* key : {"msle", "mae", "mape_by_frequency", "bias", "mape_cumulative"}) {
      EXPECT_TRUE(score[key].is_number()) << model << " " << key;
    }
    EXPECT_EQ(score["bins"].size(), 8u);
  }
  EXPECT_FALSE(json["tracking"].empty());
  EXPECT_EQ(json["tracking"][0]["expected"].size(), 3u);
  EXPECT_EQ(json["holdout_length"], 39);

  const CsvFile table = CsvFile::read(slurp(path("customers.csv")));
  for (const char* column : {"customer_id", "x", "t_x", "T", "p_alive", "expected_purchases",
                             "expected_value", "clv", "tier"}) {
    EXPECT_TRUE(table.has(column)) << column;
  }
  ASSERT_EQ(table.rows.size(), 2357u);
  // Sorted by CLV, highest first; P(alive) a probability.
  const std::vector<double> clv = table.numbers("clv");
  for (std::size_t i = 1; i < clv.size(); ++i) EXPECT_GE(clv[i - 1], clv[i]);
  for (const double p : table.numbers("p_alive")) {
    EXPECT_GE(p, 0);
    EXPECT_LE(p, 1);
  }
}

// CDNOW_sample.txt (whitespace-separated, headerless, YYYYMMDD) gives the CSV's fits: those of
// the scipy reference (golden/clv/fits.json).
TEST_F(ClvCommandTest, TheCdnowTextLayoutGivesTheReferenceFits) {
  const nlohmann::json txt = run_json("'" + data("CDNOW_sample.txt") + "'" + kPeriods);
  std::ifstream in(std::string(CUSTLENS_REFERENCE_DIR) + "/golden/clv/fits.json");
  const nlohmann::json golden = nlohmann::json::parse(in);
  EXPECT_EQ(txt["customers"], 2357);
  EXPECT_EQ(txt["holdout"]["actual_purchases"], 1882);
  for (const char* model : {"bgnbd", "mbgnbd", "pareto_nbd"}) {
    const double ll = golden[model]["log_likelihood"].get<double>();
    EXPECT_NEAR(txt[model]["log_likelihood"].get<double>(), ll, 1e-6 * std::abs(ll)) << model;
  }
  const double p = golden["gamma_gamma"]["p"].get<double>();
  EXPECT_NEAR(txt["gamma_gamma"]["p"].get<double>(), p, 1e-5 * p);
}

// One run: --hash-ids leaves no id in the clear in --out's files, and a holdout end past the
// data is warned about.
TEST_F(ClvCommandTest, HashIdsHashesEveryIdOutAndAHoldoutPastTheDataIsWarnedAbout) {
  ASSERT_EQ(run("clv '" + cdnow() +
                "' --calibration-end 1997-09-30 --holdout-end 1998-12-31 --hash-ids --salt s1 "
                "--out '" +
                path("out") + "'"),
            0)
      << err();
  EXPECT_NE(err().find("warning: --holdout-end 1998-12-31 is 184 days after the last purchase "
                       "day 1998-06-30"),
            std::string::npos)
      << err();
  const CsvFile table = CsvFile::read(slurp(path("out/customers.csv")));
  std::set<std::string> ids;
  for (const std::string& id : table.column("customer_id")) ids.insert(id);
  EXPECT_EQ(ids.size(), 2357u);
  // CDNOW's ids are 1 … 2357: none is left in the clear.
  for (int id = 1; id <= 2357; ++id) EXPECT_FALSE(ids.contains(std::to_string(id))) << id;
  std::ifstream in(path("out/summary.json"));
  const nlohmann::json summary = nlohmann::json::parse(in);
  for (const auto& customer : summary["clv"]["top_customers"]) {
    EXPECT_TRUE(ids.contains(customer["customer_id"].get<std::string>()));
  }
  for (const char* file : {"report.html", "rejects.csv"}) {
    EXPECT_TRUE(std::filesystem::exists(path(std::string("out/") + file))) << file;
  }
}

TEST_F(ClvCommandTest, BadOptionsAreOneLineErrors) {
  const std::string input = "clv '" + cdnow() + "' --quiet ";
  expect_one_line_error(run(input + "--holdout-end 1998-06-30"), "needs --calibration-end");
  expect_one_line_error(run(input + "--calibration-end 1997-09-30 --holdout-end 1997-09-01"),
                        "must be after --calibration-end");
  expect_one_line_error(run(input + "--unit year"), "--unit");
  expect_one_line_error(run(input + "--calibration-end 1997-13-40"), "not a date");
  expect_one_line_error(run(input + "--calibration-end 1996-01-01"), "calibration end");
  expect_one_line_error(run(input + "--margin 1.5"), "--margin");
  expect_one_line_error(run(input + "--discount-rate -1"), "--discount-rate");
  expect_one_line_error(run(input + "--horizon 0"), "--horizon");
  expect_one_line_error(run(input + "--model gompertz"), "unknown model");
  expect_one_line_error(run(input + "--as-of 1997-09-30"), "--calibration-end");
  expect_one_line_error(run("clv '" + path("missing.csv") + "'"), "cannot open");
}

TEST_F(ClvCommandTest, NoRepeatPurchaseIsAnErrorNotANan) {
  write("once.csv",
        "InvoiceNo,InvoiceDate,CustomerID,Quantity,UnitPrice\n"
        "1,2024-01-02,a,1,5\n2,2024-01-03,b,2,5\n3,2024-02-03,c,1,9\n");
  expect_one_line_error(run("clv '" + path("once.csv") + "' --quiet"), "two different days");
}

// `custlens gen orders` customers never leave: the report says so instead of running on.
TEST_F(ClvCommandTest, GeneratedOrdersWithoutDropoutAreSaidToBeSo) {
  ASSERT_EQ(run("gen orders --rows 20000 --customers 400 --seed 3 -o '" + path("gen.csv") + "'"),
            0)
      << err();
  ASSERT_EQ(run("clv '" + path("gen.csv") + "' --quiet --out '" + path("out") + "'"), 0) << err();
  EXPECT_NE(out().find("next to no dropout"), std::string::npos) << out();
  std::ifstream in(path("out/summary.json"));
  const nlohmann::json json = nlohmann::json::parse(in)["clv"];
  int no_dropout = 0;
  for (const char* model : {"bgnbd", "mbgnbd", "pareto_nbd"}) {
    const nlohmann::json& fit = json[model];
    if (!fit["no_dropout"].get<bool>()) continue;
    ++no_dropout;
    EXPECT_FALSE(fit["converged"].get<bool>()) << model;
    EXPECT_GE(fit["mean_p_alive"].get<double>(), 0.99) << model;
    EXPECT_TRUE(fit["ci_lower"]["r"].is_number()) << model;
  }
  EXPECT_GE(no_dropout, 2);
}

TEST_F(ClvCommandTest, AnalyzeClvAddsTheSummaryAndTheCustomerFile) {
  ASSERT_EQ(run("analyze '" + cdnow() + "' --clv --calibration-end 1997-09-30 --quiet --out '" +
                path("out") + "'"),
            0)
      << err();
  std::ifstream in(path("out/summary.json"));
  const nlohmann::json summary = nlohmann::json::parse(in);
  ASSERT_TRUE(summary.contains("clv"));
  EXPECT_TRUE(summary.contains("rfm"));
  EXPECT_TRUE(summary["clv"]["bgnbd"]["r"].is_number());
  const CsvFile table = CsvFile::read(slurp(path("out/clv_customers.csv")));
  EXPECT_EQ(table.rows.size(), summary["clv"]["customers"].get<std::size_t>());
}

}  // namespace
}  // namespace custlens
