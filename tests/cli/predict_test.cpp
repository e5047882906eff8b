// `custlens predict` end to end: the protocol's numbers counted independently, the scores and the
// evaluation equal to the scikit-learn reference, no leakage from rows after the cutoff, the same
// scores for any thread count, the output files and the errors.
#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/cli_runner.h"
#include "support/json_compare.h"
#include "support/report_model.h"

namespace custlens {
namespace {

class PredictCommandTest : public testing::CliTest {
 protected:
  static std::string uci() {
    return std::string(CUSTLENS_TEST_DATA) + "/online_retail_invoices.csv";
  }
};

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::stringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream fields(line);
    std::string cell;
    while (std::getline(fields, cell, ',')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

// One run (predict is slow under the sanitizers): the protocol's counts, then the scores and the
// evaluation against the references.
TEST_F(PredictCommandTest, ProtocolCountsScoresAndEvaluationMatchIndependentReferences) {
  ASSERT_EQ(run("predict '" + uci() + "' --json --quiet --margin 100 --contact-cost 10 --scores '" +
                path("scores.csv") + "'"),
            0)
      << err();
  const nlohmann::json j = nlohmann::json::parse(out());
  EXPECT_EQ(j.at("as_of"), "2011-12-10");   // the day after the last purchase (2011-12-09)
  EXPECT_EQ(j.at("cutoff"), "2011-09-11");  // 90 days before
  EXPECT_EQ(j.at("horizon_days"), 90);
  EXPECT_EQ(j.at("model"), "xgboost");
  // Count from the file: customers with a purchase before the cutoff, and which of them bought
  // in [cutoff, as_of). ISO dates compare as text.
  absl::flat_hash_set<std::string> before, after;
  const auto rows = csv_rows(testing::CliTest::slurp(uci()));
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const std::string& date = rows[i][1];
    const std::string& customer = rows[i][2];
    if (date < "2011-09-11") before.insert(customer);
    if (date >= "2011-09-11" && date < "2011-12-10") after.insert(customer);
  }
  std::size_t positives = 0;
  for (const auto& c : before) positives += after.contains(c);
  EXPECT_EQ(j.at("population").get<std::size_t>(), before.size());
  EXPECT_EQ(j.at("positives").get<std::size_t>(), positives);
  const nlohmann::json& test = j.at("test");
  for (const char* key :
       {"auc", "auc_ci_lower", "auc_ci_upper", "customers", "positives", "brier"}) {
    EXPECT_TRUE(test.contains(key)) << key;
  }
  EXPECT_NEAR(test.at("customers").get<double>(), 0.3 * static_cast<double>(before.size()), 1.0);
  EXPECT_LT(test.at("auc_ci_lower").get<double>(), test.at("auc").get<double>());
  EXPECT_GT(test.at("auc_ci_upper").get<double>(), test.at("auc").get<double>());
  EXPECT_EQ(j.at("baseline").at("model"), "logistic");
  EXPECT_GT(j.at("baseline").at("auc").get<double>(), 0.5);
  EXPECT_EQ(j.at("gains").size(), 10u);
  EXPECT_EQ(j.at("calibration").size(), 10u);
  EXPECT_FALSE(j.at("importance").empty());
  EXPECT_TRUE(j.at("targeting").contains("best"));
  EXPECT_EQ(j.at("apply").at("customers").get<std::size_t>(), 4338u);  // every current customer

  // The scores of the evaluation fit are the committed fixture that the scikit-learn reference
  // read (tests/reference/predict_reference.py); the evaluation and targeting equal its golden.
  const auto mine = csv_rows(slurp(path("scores.csv")));
  const auto fixture = csv_rows(slurp(std::string(CUSTLENS_TEST_DATA) + "/predict_scores_uci.csv"));
  ASSERT_EQ(mine.size(), fixture.size());
  for (std::size_t i = 0; i < mine.size(); ++i) {
    ASSERT_EQ(mine[i].size(), 4u);
    EXPECT_EQ(mine[i][0], fixture[i][0]);
    EXPECT_EQ(mine[i][1], fixture[i][1]);
    EXPECT_EQ(mine[i][2], fixture[i][2]);
    if (i > 0) EXPECT_NEAR(std::stod(mine[i][3]), std::stod(fixture[i][3]), 1e-6) << mine[i][0];
  }
  std::ifstream golden_file(std::string(CUSTLENS_REFERENCE_DIR) +
                            "/golden/predict/scores_uci.json");
  const nlohmann::json golden = nlohmann::json::parse(golden_file);
  testing::JsonComparer compare(1e-9);
  for (const char* key :
       {"auc", "auc_ci_lower", "auc_ci_upper", "customers", "positives", "brier"}) {
    compare.compare(golden.at(key), j.at("test").at(key), key);
  }
  compare.compare(golden.at("gains"), j.at("gains"), "gains");
  compare.compare(golden.at("calibration"), j.at("calibration"), "calibration");
  const nlohmann::json& t = golden.at("targeting").at(0);
  compare.compare(t.at("best"), j.at("targeting").at("best"), "targeting.best");
  compare.compare(t.at("all"), j.at("targeting").at("all"), "targeting.all");
  EXPECT_TRUE(compare.differences.empty()) << ::testing::PrintToString(compare.differences);
}

// Rows on or after the cutoff may change labels only; here they do not, so no score may move:
// amounts after the cutoff tripled, an extra order for a customer who bought in the horizon
// anyway, a customer first seen after the cutoff. The two runs use 1 and 2 threads: the scores
// must not depend on that either.
TEST_F(PredictCommandTest, RowsAfterTheCutoffAndTheThreadCountChangeNoScore) {
  const auto rows = csv_rows(slurp(uci()));
  std::string changed = "InvoiceNo,InvoiceDate,CustomerID,TotalPrice\n";
  std::string repeat_buyer;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (r[1] >= "2011-09-11") {
      changed += r[0] + "," + r[1] + "," + r[2] + "," + std::to_string(std::stod(r[3]) * 3) + "\n";
      if (repeat_buyer.empty()) repeat_buyer = r[2];
    } else {
      changed += r[0] + "," + r[1] + "," + r[2] + "," + r[3] + "\n";
    }
  }
  changed +=
      "X1,"
      "2011-10-03," +
      repeat_buyer + ",999.5\n";
  changed += "X2,2011-11-20,NEWCOMER,120\n";
  write("changed.csv", changed);
  ASSERT_EQ(
      run("predict '" + uci() + "' --as-of 2011-12-10 --quiet --scores '" + path("a.csv") + "'"), 0)
      << err();
  ASSERT_EQ(run("predict '" + path("changed.csv") +
                "' --as-of 2011-12-10 --threads 2 --quiet --scores '" + path("b.csv") + "'"),
            0)
      << err();
  EXPECT_EQ(slurp(path("a.csv")), slurp(path("b.csv")));
}

TEST_F(PredictCommandTest, OutWritesTargetsSummaryAndReportWithHashedIds) {
  ASSERT_EQ(run("predict '" + uci() + "' --quiet --lang zh --hash-ids --salt s3cret --out '" +
                path("p") + "' --scores '" + path("s.csv") + "'"),
            0)
      << err();
  EXPECT_NE(out().find("购买预测"), std::string::npos) << out();
  const std::filesystem::path dir = path("p");
  const auto targets = csv_rows(slurp(dir / "targets.csv"));
  ASSERT_EQ(targets.size(), 4339u);  // header + every current customer
  EXPECT_EQ(targets[0][0], "customer_id");
  EXPECT_EQ(targets[0][1], "score");
  EXPECT_EQ(targets[0][2], "decile");
  EXPECT_EQ(targets[1][2], "1");
  EXPECT_EQ(targets.back()[2], "10");
  EXPECT_FALSE(targets[1][3].empty());  // the RFM tier
  EXPECT_GE(std::stod(targets[1][1]), std::stod(targets.back()[1]));
  const nlohmann::json summary = nlohmann::json::parse(slurp(dir / "summary.json"));
  EXPECT_TRUE(summary.contains("predict"));
  EXPECT_TRUE(summary.contains("audit"));
  const nlohmann::json model = testing::embedded_model(slurp(dir / "report.html"));
  ASSERT_FALSE(model.is_discarded());
  EXPECT_EQ(model.at("lang"), "zh");
  EXPECT_TRUE(std::filesystem::exists(dir / "rejects.csv"));
  for (const std::filesystem::path& file :
       {std::filesystem::path(path("s.csv")), dir / "targets.csv", dir / "summary.json"}) {
    EXPECT_EQ(slurp(file).find("17850"), std::string::npos) << file;  // a UCI customer id
  }
}

TEST_F(PredictCommandTest, DataThatCannotSupportAModelIsAOneLineError) {
  expect_one_line_error(run("predict '" + uci() + "' --horizon 400"), "before the cutoff");
  expect_one_line_error(run("predict '" + uci() + "' --test-share 1.5"), "--test-share");
  expect_one_line_error(run("predict '" + uci() + "' --model forest"), "unknown model 'forest'");
  write("one_class.csv",
        "InvoiceNo,InvoiceDate,CustomerID,TotalPrice\n1,2011-01-01,a,10\n2,2011-01-02,b,10\n"
        "3,2011-06-01,c,10\n");
  expect_one_line_error(run("predict '" + path("one_class.csv") + "' --horizon 30"),
                        "both buyers and non-buyers");
}

}  // namespace
}  // namespace custlens
