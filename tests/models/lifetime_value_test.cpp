// The lifetime-value run against the scipy reference (golden/clv/): the holdout scorecard and the
// weekly tracking of every model at the fitted parameters (1e-5 relative: the fits agree to about
// 1e-6), and the discounted CLV at fixed parameters (per_customer.csv's clv_bgnbd, 1e-9).
#include "models/lifetime_value.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/calendar.h"
#include "custlens/error.h"
#include "support/clv_golden.h"

namespace custlens {
namespace {

using testing::close_relative;

std::int64_t parse_day(const std::string& text) {
  return common::days_from_civil(std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2)),
                                 std::stoi(text.substr(8, 2)));
}

models::ClvData cdnow_data() {
  const testing::GoldenCsv golden =
      testing::read_golden_csv(testing::clv_golden_path("summary.csv"));
  const testing::GoldenCsv tracking =
      testing::read_golden_csv(testing::clv_golden_path("tracking.csv"));
  models::ClvData data;
  data.rf.x = golden.numbers("x");
  data.rf.t_x = golden.numbers("t_x");
  data.rf.T = golden.numbers("T");
  data.zbar = golden.numbers("zbar");
  data.holdout_x = golden.numbers("holdout_x");
  for (const std::string& day : golden.texts("first_day")) data.first_day.push_back(parse_day(day));
  data.tracking_start = parse_day(tracking.texts("first_day").front());
  data.last_day = parse_day("1998-06-30");
  data.calibration_end = parse_day("1997-09-30");
  for (const double v : tracking.numbers("actual")) {
    data.weekly_repeats.push_back(static_cast<std::int64_t>(v));
  }
  return data;
}

models::ClvOptions holdout_options() {
  models::ClvOptions options;
  options.holdout_length = 39;
  return options;
}

const models::ClvRun& cdnow_run() {
  static const models::ClvRun run = models::run_clv(cdnow_data(), holdout_options());
  return run;
}

TEST(LifetimeValue, ScorecardMatchesTheReference) {
  const models::ClvRun& run = cdnow_run();
  const nlohmann::json golden =
      testing::read_golden_json(testing::clv_golden_path("scorecard.json"));
  ASSERT_EQ(run.holdout.size(), 3U);
  for (const models::HoldoutScore& score : run.holdout) {
    SCOPED_TRACE(score.model);
    const nlohmann::json& want = golden[score.model];
    EXPECT_EQ(score.actual_purchases, want["actual_purchases"].get<double>());
    for (const char* key :
         {"expected_purchases", "msle", "mae", "mape_by_frequency", "bias", "mape_cumulative"}) {
      const double got = key == std::string("expected_purchases")  ? score.expected_purchases
                         : key == std::string("msle")              ? score.msle
                         : key == std::string("mae")               ? score.mae
                         : key == std::string("mape_by_frequency") ? score.mape_by_frequency
                         : key == std::string("bias")              ? score.bias
                                                                   : score.mape_cumulative;
      EXPECT_TRUE(close_relative(got, want[key].get<double>(), 1e-5)) << key << " " << got;
    }
    ASSERT_EQ(score.bins.size(), want["bins"].size());
    for (std::size_t b = 0; b < score.bins.size(); ++b) {
      const nlohmann::json& bin = want["bins"][b];
      EXPECT_EQ(score.bins[b].label, bin["frequency"].get<std::string>());
      EXPECT_EQ(score.bins[b].customers, bin["customers"].get<std::size_t>());
      EXPECT_EQ(score.bins[b].actual_sum, bin["actual_sum"].get<double>());
      EXPECT_TRUE(
          close_relative(score.bins[b].expected_sum, bin["expected_sum"].get<double>(), 1e-5));
    }
  }
}

TEST(LifetimeValue, TrackingMatchesTheReference) {
  const models::ClvRun& run = cdnow_run();
  const testing::GoldenCsv golden =
      testing::read_golden_csv(testing::clv_golden_path("tracking.csv"));
  ASSERT_EQ(run.tracking.size(), golden.rows.size());
  const auto holdout = golden.numbers("holdout");
  const auto cumulative = golden.numbers("actual_cumulative");
  for (std::size_t m = 0; m < run.fits.size(); ++m) {
    SCOPED_TRACE(run.fits[m].model);
    const auto want = golden.numbers("expected_cumulative_" + run.fits[m].model);
    const auto weekly = golden.numbers("expected_" + run.fits[m].model);
    for (std::size_t k = 0; k < want.size(); ++k) {
      EXPECT_TRUE(close_relative(run.tracking[k].expected_cumulative[m], want[k], 1e-5)) << k;
      EXPECT_NEAR(run.tracking[k].expected[m], weekly[k], 1e-5 * std::max(1.0, want[k])) << k;
    }
  }
  for (std::size_t k = 0; k < run.tracking.size(); ++k) {
    EXPECT_EQ(run.tracking[k].holdout, holdout[k] == 1) << k;
    EXPECT_EQ(run.tracking[k].actual_cumulative, cumulative[k]) << k;
  }
}

TEST(LifetimeValue, DiscountedValueAtFixedParametersMatchesTheReference) {
  const testing::GoldenCsv summary =
      testing::read_golden_csv(testing::clv_golden_path("summary.csv"));
  const testing::GoldenCsv per =
      testing::read_golden_csv(testing::clv_golden_path("per_customer.csv"));
  const auto model = models::make_btyd_model("bgnbd");
  const models::BtydParams p = {0.243, 4.414, 0.793, 2.426};
  models::ClvOptions options;  // the reference's: 52 weeks, 10 % a year, margin 0.3
  options.margin = 0.3;
  const auto x = summary.numbers("x"), t_x = summary.numbers("t_x"), T = summary.numbers("T");
  const auto value = per.numbers("expected_value"), want = per.numbers("clv_bgnbd");
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double got = models::discounted_value(*model, p, x[i], t_x[i], T[i], value[i], options);
    EXPECT_TRUE(close_relative(got, want[i], 1e-9)) << i << " " << got << " vs " << want[i];
  }
}

TEST(LifetimeValue, PerCustomerFiguresAreConsistent) {
  const models::ClvRun& run = cdnow_run();
  const models::ClvData data = cdnow_data();
  const models::ClvCustomers& c = run.customers;
  ASSERT_EQ(c.clv.size(), data.rf.size());
  ASSERT_TRUE(run.gamma_gamma.has_value());
  EXPECT_EQ(run.repeat_customers, 946U);
  EXPECT_TRUE(run.excluded.empty());
  EXPECT_EQ(run.population_value_basis, "gamma_gamma");
  for (std::size_t i = 0; i < c.clv.size(); ++i) {
    EXPECT_GE(c.p_alive[i], 0);
    EXPECT_LE(c.p_alive[i], 1);
    // Over 39 holdout weeks fewer purchases are expected than over the 52-week horizon, and
    // discounting makes CLV less than the undiscounted value.
    EXPECT_LE(c.expected_purchases[i], c.expected_horizon[i]);
    EXPECT_LE(c.clv[i], c.expected_horizon[i] * c.expected_value[i] + 1e-9);
    EXPECT_GT(c.clv[i], 0);
    EXPECT_EQ(c.value_from_population[i], data.rf.x[i] > 0 ? 0 : 1);
  }
  // The grid: impossible cells are NaN, possible ones finite and P(alive) falls with the gap
  // since the last purchase for a frequent buyer.
  const models::ClvGrid& grid = run.grid;
  const std::size_t columns = grid.t_x.size();
  EXPECT_TRUE(std::isnan(grid.p_alive[1]));        // x = 0, t_x > 0
  EXPECT_TRUE(std::isnan(grid.p_alive[columns]));  // x = 1, t_x = 0
  const std::size_t row = 5 * columns;
  EXPECT_LT(grid.p_alive[row + 1], grid.p_alive[row + columns - 1]);
}

TEST(LifetimeValue, NonPositiveMeanValuesAreLeftOutOfGammaGammaAndNamed) {
  models::ClvData data = cdnow_data();
  data.zbar[0] = 0;   // customer 1: repeat transactions worth nothing
  data.zbar[1] = -3;  // customer 2: returns
  data.holdout_x.clear();
  const models::ClvRun run = models::run_clv(data, models::ClvOptions{});
  EXPECT_EQ(run.excluded, (std::vector<std::size_t>{0, 1}));
  ASSERT_TRUE(run.gamma_gamma.has_value());
  EXPECT_EQ(run.gamma_gamma->customers, 944U);
  EXPECT_EQ(run.customers.value_from_population[0], 1);
  EXPECT_TRUE(std::isfinite(run.customers.clv[0]));
  EXPECT_TRUE(run.holdout.empty());
  EXPECT_EQ(run.customers.expected_purchases, run.customers.expected_horizon);
}

TEST(LifetimeValue, OptionsOutOfRangeAreClearErrors) {
  models::ClvOptions options;
  options.model = "bg";
  EXPECT_THROW(models::check_clv_options(options), Error);
  options = {};
  options.margin = 1.5;
  EXPECT_THROW(models::check_clv_options(options), Error);
  options = {};
  options.horizon = 0;
  EXPECT_THROW(models::check_clv_options(options), Error);
  options = {};
  options.discount_rate = -0.1;
  EXPECT_THROW(models::check_clv_options(options), Error);
}

}  // namespace
}  // namespace custlens
