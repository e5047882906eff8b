// The outlier statistics: linear-interpolation quantiles, IQR and z-score bounds, option words.
#include "custlens/outliers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "custlens/error.h"

namespace custlens {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Expected values below are NumPy's np.quantile(x, p) (method "linear", pandas' default).
TEST(QuantileSortedTest, InterpolatesLinearlyBetweenOrderStatistics) {
  const std::vector<double> x = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(quantile_sorted(x, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(quantile_sorted(x, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(quantile_sorted(x, 0.75), 3.25);
  EXPECT_DOUBLE_EQ(quantile_sorted(x, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(x, 1.0), 4.0);
  const std::vector<double> five = {10, 20, 30, 40, 50};
  EXPECT_DOUBLE_EQ(quantile_sorted(five, 0.25), 20.0);  // h = 1: an order statistic exactly
  EXPECT_DOUBLE_EQ(quantile_sorted(five, 0.75), 40.0);
  const std::vector<double> one = {7};
  EXPECT_DOUBLE_EQ(quantile_sorted(one, 0.25), 7.0);
  EXPECT_TRUE(std::isnan(quantile_sorted(std::vector<double>{}, 0.5)));
}

TEST(DescribeFieldTest, IqrBoundsAndCounts) {
  // np.quantile on the same values: Q1 2.5, median 5, Q3 7.5; bounds -5 and 15.
  const std::vector<double> values = {9, 1, 2, 3, 4, 5, 6, 7, 8, 100, -20, kNaN};
  OutlierOptions options;
  const OutlierField f = describe_field("amount", "line", values, options);
  EXPECT_EQ(f.count, 11);  // NaN is not a value
  EXPECT_DOUBLE_EQ(f.min, -20);
  EXPECT_DOUBLE_EQ(f.max, 100);
  EXPECT_DOUBLE_EQ(f.q1, 2.5);
  EXPECT_DOUBLE_EQ(f.median, 5);
  EXPECT_DOUBLE_EQ(f.q3, 7.5);
  EXPECT_DOUBLE_EQ(f.iqr, 5);
  EXPECT_DOUBLE_EQ(f.lower, 2.5 - 1.5 * 5);
  EXPECT_DOUBLE_EQ(f.upper, 7.5 + 1.5 * 5);
  EXPECT_EQ(f.below, 1);
  EXPECT_EQ(f.above, 1);
  EXPECT_FALSE(is_outlier(f, kNaN));
  EXPECT_TRUE(is_outlier(f, 100));
  EXPECT_FALSE(is_outlier(f, f.upper));  // on the bound is inside
  EXPECT_EQ(f.action, "flag");
}

TEST(DescribeFieldTest, KWidensTheFences) {
  const std::vector<double> values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 20};
  OutlierOptions options;
  EXPECT_EQ(describe_field("q", "line", values, options).above, 1);  // upper 14.5
  options.k = 3.0;
  const OutlierField wide = describe_field("q", "line", values, options);
  EXPECT_DOUBLE_EQ(wide.upper, wide.q3 + 3 * wide.iqr);
  EXPECT_EQ(wide.above, 0);
}

TEST(DescribeFieldTest, ZScoreUsesTheSampleStandardDeviation) {
  // Twenty values of 10 and one of 100: mean 100/21 + 200/21 = 14.2857..., sd (n - 1).
  std::vector<double> values(20, 10.0);
  values.push_back(100.0);
  OutlierOptions options;
  options.method = OutlierMethod::kZ;
  const OutlierField f = describe_field("amount", "line", values, options);
  const double mean = 300.0 / 21.0;
  double squares = 20 * (10 - mean) * (10 - mean) + (100 - mean) * (100 - mean);
  const double sd = std::sqrt(squares / 20.0);
  EXPECT_DOUBLE_EQ(f.mean, mean);
  EXPECT_NEAR(f.sd, sd, 1e-12);
  EXPECT_NEAR(f.lower, mean - 3 * sd, 1e-9);
  EXPECT_NEAR(f.upper, mean + 3 * sd, 1e-9);
  EXPECT_EQ(f.above, 1);  // z = 4.36
  EXPECT_EQ(f.below, 0);
  options.k = 5.0;
  EXPECT_EQ(describe_field("amount", "line", values, options).above, 0);
}

TEST(DescribeFieldTest, DegenerateFields) {
  OutlierOptions options;
  const OutlierField empty = describe_field("x", "line", std::vector<double>{kNaN}, options);
  EXPECT_EQ(empty.count, 0);
  EXPECT_EQ(empty.below + empty.above, 0);
  // All equal: IQR 0, nothing outside; one value: sd 0 for z.
  const OutlierField flat = describe_field("x", "line", std::vector<double>{2, 2, 2}, options);
  EXPECT_EQ(flat.below + flat.above, 0);
  options.method = OutlierMethod::kZ;
  const OutlierField one = describe_field("x", "line", std::vector<double>{5}, options);
  EXPECT_DOUBLE_EQ(one.sd, 0);
  EXPECT_EQ(one.below + one.above, 0);
}

TEST(OutlierOptionsTest, WordsAndDefaults) {
  EXPECT_EQ(parse_outlier_method("iqr"), OutlierMethod::kIqr);
  EXPECT_EQ(parse_outlier_method("z"), OutlierMethod::kZ);
  EXPECT_EQ(parse_outlier_method("off"), OutlierMethod::kOff);
  EXPECT_THROW(parse_outlier_method("mad"), Error);
  EXPECT_EQ(parse_outlier_action("cap"), OutlierAction::kCap);
  EXPECT_THROW(parse_outlier_action("remove"), Error);
  OutlierOptions options;
  EXPECT_DOUBLE_EQ(options.multiplier(), 1.5);
  options.method = OutlierMethod::kZ;
  EXPECT_DOUBLE_EQ(options.multiplier(), 3.0);
  options.k = 0.0;
  EXPECT_THROW(options.multiplier(), Error);
  options.k = kNaN;
  EXPECT_THROW(options.multiplier(), Error);
  EXPECT_EQ(outlier_method_name(OutlierMethod::kZ), "z");
  EXPECT_EQ(outlier_action_name(OutlierAction::kDrop), "drop");
}

}  // namespace
}  // namespace custlens
