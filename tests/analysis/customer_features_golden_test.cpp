// Customer features and labels against the independent pandas reference
// (tests/reference/predict_features_reference.py, goldens in golden/predict_features/): the line
// fixture tests/data/predict_orders.csv (cancellations, 17 countries, descriptions) at the cutoff
// (as_of - 90) and at as_of, and the invoice-level tests/data/online_retail_invoices.csv at its
// cutoff. Tolerance: 1e-9 relative between the matrix's float and the reference's double rounded
// to float (the matrix holds floats; the doubles behind both agree to about 1e-15).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/customer_features.h"
#include "common/calendar.h"
#include "pipeline/order_scan.h"

namespace custlens {
namespace {

struct Golden {
  std::vector<std::string> columns;  // the features, without customer_id and label
  std::vector<std::string> ids;
  std::vector<float> labels;
  std::vector<std::vector<double>> rows;
};

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  std::string field;
  while (std::getline(in, field, ',')) fields.push_back(field);
  return fields;
}

Golden read_golden(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  Golden golden;
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = split(line);
  golden.columns.assign(header.begin() + 2, header.end());
  while (std::getline(in, line)) {
    const std::vector<std::string> fields = split(line);
    if (fields.size() != header.size()) throw std::runtime_error("bad golden row: " + line);
    golden.ids.push_back(fields[0]);
    golden.labels.push_back(std::stof(fields[1]));
    std::vector<double>& row = golden.rows.emplace_back();
    for (std::size_t i = 2; i < fields.size(); ++i) {
      row.push_back(fields[i] == "nan" ? std::nan("") : std::stod(fields[i]));
    }
  }
  return golden;
}

void expect_matches_reference(const std::string& dataset, bool apply_cut_too) {
  SCOPED_TRACE(dataset);
  const std::string file = std::string(CUSTLENS_TEST_DATA) + "/" + dataset + ".csv";
  pipeline::OrderScan scan({file}, pipeline::OrderScanOptions{});
  analysis::CustomerFeatureAccumulator acc(!scan.columns().has_invoice);
  pipeline::LineConsumer* consumers[] = {&acc};
  const pipeline::OrderScanResult result = scan.run(consumers, {});
  const std::int64_t as_of = acc.day_after_last_purchase();
  std::vector<std::int64_t> cuts = {as_of - 90};
  if (apply_cut_too) cuts.push_back(as_of);
  for (const std::int64_t cut : cuts) {
    const std::string date = common::format_date(cut * common::kSecondsPerDay);
    SCOPED_TRACE(date);
    const Golden golden = read_golden(std::string(CUSTLENS_REFERENCE_DIR) +
                                      "/golden/predict_features/" + dataset + "_" + date + ".csv");
    const analysis::CustomerFeatureSet set = acc.features_at(cut, result.names);
    ASSERT_EQ(set.features.names, golden.columns);
    ASSERT_EQ(set.customers.size(), golden.ids.size());
    ASSERT_GT(golden.ids.size(), 40U);
    const std::vector<float> labels = acc.labels(set, as_of);
    EXPECT_EQ(labels, golden.labels);
    std::size_t positives = 0;
    for (const float label : labels) positives += label > 0;
    if (cut < as_of) EXPECT_GT(positives, 0U);  // the horizon has buyers: the test can fail
    for (std::size_t r = 0; r < golden.ids.size(); ++r) {
      ASSERT_EQ(result.names.customer_ids[set.customers[r]], golden.ids[r]) << r;
      for (std::size_t c = 0; c < golden.columns.size(); ++c) {
        const float ours = set.features.at(r, c);
        const auto want = static_cast<float>(golden.rows[r][c]);
        if (std::isnan(want)) {
          EXPECT_TRUE(std::isnan(ours)) << golden.ids[r] << " " << golden.columns[c];
          continue;
        }
        EXPECT_NEAR(ours, want, 1e-9 * std::abs(want)) << golden.ids[r] << " " << golden.columns[c];
      }
    }
  }
}

TEST(CustomerFeaturesGolden, OrderLinesWithCancellationsAndCountries) {
  expect_matches_reference("predict_orders", true);
}

TEST(CustomerFeaturesGolden, InvoiceLevelInput) {
  expect_matches_reference("online_retail_invoices", false);
}

}  // namespace
}  // namespace custlens
