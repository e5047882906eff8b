// The calibration summary of the lifetime-value models against the independent pandas reference
// (tests/reference/clv_reference.py, golden/clv/summary.csv, edge_summary.csv, tracking.csv):
// the CDNOW sample and a hand-made set of UCI-style order lines with every edge (two invoices on
// one day, zero-priced repeat lines, a purchase on the calibration-end day, a first purchase after
// it, purchases after the holdout end). Counts exactly; t_x, T and zbar to 1e-12 relative.
#include "analysis/clv_summary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "analysis/rfm_accumulator.h"
#include "common/calendar.h"
#include "custlens/error.h"
#include "pipeline/order_scan.h"
#include "support/clv_golden.h"

namespace custlens {
namespace {

using testing::close_relative;

std::int64_t day(int year, int month, int d) { return common::days_from_civil(year, month, d); }

struct Scanned {
  analysis::CalibrationSummary summary;
  pipeline::OrderScanResult scan;
};

Scanned scan_file(const std::string& name, analysis::ClvPeriods periods, bool keep_zero = true) {
  pipeline::OrderScanOptions options;
  options.keep_zero_value = keep_zero;
  pipeline::OrderScan scan({std::string(CUSTLENS_TEST_DATA) + "/" + name}, options);
  analysis::ClvSummaryAccumulator acc(periods);
  pipeline::LineConsumer* consumers[] = {&acc};
  Scanned out;
  out.scan = scan.run(consumers, {});
  out.summary = acc.finish();
  return out;
}

void expect_matches(const Scanned& got, const std::string& golden_file) {
  const testing::GoldenCsv golden = testing::read_golden_csv(testing::clv_golden_path(golden_file));
  const analysis::CalibrationSummary& s = got.summary;
  ASSERT_EQ(s.size(), golden.rows.size());
  const auto ids = golden.texts("customer_id");
  const auto first = golden.texts("first_day");
  const auto x = golden.numbers("x"), t_x = golden.numbers("t_x"), T = golden.numbers("T");
  const auto zbar = golden.numbers("zbar"), holdout = golden.numbers("holdout_x");
  for (std::size_t i = 0; i < s.size(); ++i) {
    SCOPED_TRACE(ids[i]);
    EXPECT_EQ(got.scan.names.customer_ids[s.customer[i]], ids[i]);
    EXPECT_EQ(common::format_day(s.first_day[i]), first[i]);
    EXPECT_EQ(s.x[i], x[i]);
    EXPECT_TRUE(close_relative(s.t_x[i], t_x[i], 1e-12)) << s.t_x[i] << " vs " << t_x[i];
    EXPECT_TRUE(close_relative(s.T[i], T[i], 1e-12)) << s.T[i] << " vs " << T[i];
    if (std::isnan(zbar[i])) {
      EXPECT_TRUE(std::isnan(s.zbar[i]));
    } else {
      EXPECT_TRUE(close_relative(s.zbar[i], zbar[i], 1e-12, 1e-9))
          << s.zbar[i] << " vs " << zbar[i];
    }
    EXPECT_EQ(s.holdout_x[i], holdout[i]);
  }
}

TEST(ClvSummary, CdnowMatchesReference) {
  const Scanned got =
      scan_file("cdnow_sample_transactions.csv", {day(1997, 9, 30), day(1998, 6, 30), 7.0});
  expect_matches(got, "summary.csv");
  const analysis::CalibrationSummary& s = got.summary;
  EXPECT_EQ(s.size(), 2357U);
  EXPECT_EQ(s.zero_value_lines, 8);  // kept: a purchase worth 0 is still a purchase
  EXPECT_EQ(s.later_customers, 0);
  // The literature's counts: 2,457 repeat transactions in calibration, 1,882 in the holdout.
  EXPECT_EQ(s.calibration_transactions - static_cast<std::int64_t>(s.size()), 2457);
  EXPECT_EQ(s.holdout_transactions, 1882);
  // Weekly repeat transactions, as the reference's tracking.csv counts them.
  const testing::GoldenCsv tracking =
      testing::read_golden_csv(testing::clv_golden_path("tracking.csv"));
  const auto actual = tracking.numbers("actual");
  ASSERT_EQ(s.weekly_repeats.size(), actual.size());
  for (std::size_t k = 0; k < actual.size(); ++k) {
    EXPECT_EQ(static_cast<double>(s.weekly_repeats[k]), actual[k]) << "week " << k;
  }
  EXPECT_EQ(common::format_day(s.tracking_start), tracking.texts("first_day").front());
}

TEST(ClvSummary, EdgeLinesMatchReference) {
  const Scanned got = scan_file("clv_edge_lines.csv", {day(2011, 6, 30), day(2011, 12, 31), 7.0});
  expect_matches(got, "edge_summary.csv");
  EXPECT_EQ(got.summary.later_customers, 1);      // 12004 first bought in July
  EXPECT_EQ(got.summary.unused_transactions, 2);  // 12001 and 12002 in January 2012
  EXPECT_EQ(got.scan.audit.non_positive_price, 0);
}

TEST(ClvSummary, ZeroPricedLinesAreRejectedWithoutTheOption) {
  const Scanned got =
      scan_file("clv_edge_lines.csv", {day(2011, 6, 30), day(2011, 12, 31), 7.0}, false);
  EXPECT_EQ(got.scan.audit.non_positive_price, 5);
  EXPECT_EQ(got.summary.zero_value_lines, 0);
}

TEST(ClvSummary, WithoutCalibrationEndEveryLineIsCalibration) {
  const Scanned got = scan_file("clv_edge_lines.csv", {std::nullopt, std::nullopt, 1.0});
  const analysis::CalibrationSummary& s = got.summary;
  EXPECT_EQ(common::format_day(s.calibration_end), "2012-01-03");
  EXPECT_EQ(s.later_customers, 0);
  EXPECT_EQ(s.holdout_transactions, 0);
  EXPECT_EQ(s.unused_transactions, 0);
  for (std::size_t i = 0; i < s.size(); ++i) {
    EXPECT_LE(s.t_x[i], s.T[i]);
    EXPECT_EQ(s.holdout_x[i], 0);
  }
}

TEST(ClvSummary, NoCustomerBeforeTheCalibrationEndIsAnError) {
  try {
    scan_file("clv_edge_lines.csv", {day(2010, 1, 1), std::nullopt, 7.0});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("2010-01-01"), std::string::npos) << error.what();
  }
}

TEST(ClvSummary, DayFilterPassesTheCalibrationLinesOnly) {
  pipeline::OrderScan scan({std::string(CUSTLENS_TEST_DATA) + "/clv_edge_lines.csv"}, {});
  analysis::RfmAccumulator all(false), calibration(false);
  analysis::DayFilter filter(calibration, day(2011, 6, 30));
  pipeline::LineConsumer* consumers[] = {&all, &filter};
  pipeline::OrderScanResult result = scan.run(consumers, {});
  pipeline::LineNames names = result.names;
  const CustomerTotals totals = all.finish(names);
  names = result.names;
  const CustomerTotals before = calibration.finish(names);
  for (std::size_t c = 0; c < before.size(); ++c) {
    if (before.frequency[c] == 0) continue;
    EXPECT_LE(common::floor_div(before.last_ts[c], common::kSecondsPerDay), day(2011, 6, 30));
    EXPECT_LE(before.frequency[c], totals.frequency[c]);
  }
}

}  // namespace
}  // namespace custlens
