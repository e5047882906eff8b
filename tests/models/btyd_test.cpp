// The buy-till-you-die models against the published CDNOW figures (Fader, Hardie & Lee 2005;
// Fader & Hardie's Pareto/NBD note; Batislam et al. 2007) to the printed digits, and against the
// independent scipy reference (tests/reference/clv_reference.py, golden/clv/): fitted parameters
// to 1e-5 relative, log-likelihoods to 1e-8, standard errors to 1e-3; per-customer P(alive) and
// conditional expectations at fixed parameters to 1e-9 relative.
#include "models/btyd.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
#include <cmath>
#include <map>
#include <random>
#include <string>

#include "custlens/error.h"
#include "models/hypergeometric.h"
#include "support/clv_golden.h"

namespace custlens {
namespace {

using models::BtydParams;
using testing::close_relative;

models::RfSummary cdnow_summary() {
  const testing::GoldenCsv golden =
      testing::read_golden_csv(testing::clv_golden_path("summary.csv"));
  models::RfSummary rf;
  rf.x = golden.numbers("x");
  rf.t_x = golden.numbers("t_x");
  rf.T = golden.numbers("T");
  return rf;
}

const std::map<std::string, models::BtydFit>& cdnow_fits() {
  static const std::map<std::string, models::BtydFit> fits = [] {
    std::map<std::string, models::BtydFit> out;
    const models::RfSummary rf = cdnow_summary();
    for (const std::string& name : models::btyd_model_names()) {
      out[name] = models::fit_btyd(*models::make_btyd_model(name), rf);
    }
    return out;
  }();
  return fits;
}

BtydParams fixed_params(const std::string& model) {
  const nlohmann::json fixed = testing::read_golden_json(testing::clv_golden_path("fixed.json"));
  const nlohmann::json& p = fixed["parameters"][model];
  const auto names = models::make_btyd_model(model)->parameter_names();
  BtydParams out{};
  for (std::size_t k = 0; k < 4; ++k) out[k] = p[std::string(names[k])].get<double>();
  return out;
}

// Rounds to `digits` decimals, as the papers print.
double printed(double value, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(value * scale) / scale;
}

TEST(Btyd, RegistryNamesTheThreeModelsInReportOrder) {
  EXPECT_EQ(models::btyd_model_names(),
            (std::vector<std::string>{"bgnbd", "mbgnbd", "pareto_nbd"}));
  EXPECT_THROW(models::make_btyd_model("bg"), Error);
}

TEST(Btyd, PublishedCdnowParametersToThePrintedDigits) {
  const auto& fits = cdnow_fits();
  const std::map<std::string, std::vector<double>> published = {
      {"bgnbd", {0.243, 4.414, 0.793, 2.426}},
      {"mbgnbd", {0.525, 6.183, 0.891, 1.614}},
      {"pareto_nbd", {0.553, 10.578, 0.606, 11.669}}};
  for (const auto& [name, values] : published) {
    SCOPED_TRACE(name);
    const models::BtydFit& fit = fits.at(name);
    EXPECT_TRUE(fit.converged);
    EXPECT_LT(fit.max_abs_gradient, 1e-6);
    EXPECT_EQ(fit.customers, 2357U);
    for (std::size_t k = 0; k < 4; ++k) EXPECT_DOUBLE_EQ(printed(fit.params[k], 3), values[k]);
  }
  EXPECT_DOUBLE_EQ(printed(fits.at("pareto_nbd").log_likelihood, 3), -9594.976);
}

TEST(Btyd, PublishedPerCustomerFigures) {
  const auto& fits = cdnow_fits();
  const auto bg = models::make_btyd_model("bgnbd");
  const BtydParams& p = fits.at("bgnbd").params;
  EXPECT_DOUBLE_EQ(printed(bg->expected_conditional(p, 39, 2, 30.43, 38.86), 3), 1.226);
  EXPECT_DOUBLE_EQ(printed(bg->expected_new(p, 1), 4), 0.0532);
  EXPECT_DOUBLE_EQ(printed(bg->expected_new(p, 3), 4), 0.1506);
  EXPECT_DOUBLE_EQ(printed(bg->expected_new(p, 32), 4), 1.0437);
  EXPECT_DOUBLE_EQ(printed(bg->expected_new(p, 78), 3), 1.858);
  const auto pnbd = models::make_btyd_model("pareto_nbd");
  EXPECT_DOUBLE_EQ(printed(pnbd->p_alive(fits.at("pareto_nbd").params, 26, 30.86, 31), 4), 0.9979);
}

TEST(Btyd, FitsMatchTheScipyReference) {
  const nlohmann::json golden = testing::read_golden_json(testing::clv_golden_path("fits.json"));
  for (const auto& [name, fit] : cdnow_fits()) {
    SCOPED_TRACE(name);
    const nlohmann::json& want = golden[name];
    EXPECT_TRUE(close_relative(fit.log_likelihood, want["log_likelihood"].get<double>(), 1e-8));
    for (const models::ParameterEstimate& p : fit.parameters) {
      SCOPED_TRACE(p.name);
      EXPECT_TRUE(close_relative(p.value, want[p.name].get<double>(), 1e-5)) << p.value;
      EXPECT_TRUE(close_relative(p.se, want["se"][p.name].get<double>(), 1e-3)) << p.se;
      EXPECT_LT(p.ci_lower, p.value);
      EXPECT_GT(p.ci_upper, p.value);
    }
  }
}

TEST(Btyd, PerCustomerQuantitiesAtFixedParametersMatchTheReference) {
  const testing::GoldenCsv golden =
      testing::read_golden_csv(testing::clv_golden_path("per_customer.csv"));
  const models::RfSummary rf = cdnow_summary();
  ASSERT_EQ(golden.rows.size(), rf.size());
  for (const std::string& name : models::btyd_model_names()) {
    SCOPED_TRACE(name);
    const auto model = models::make_btyd_model(name);
    const BtydParams p = fixed_params(name);
    const auto alive = golden.numbers("p_alive_" + name);
    const auto e39 = golden.numbers("expected_39_" + name);
    const auto e52 = golden.numbers("expected_52_" + name);
    int failures = 0;
    for (std::size_t i = 0; i < rf.size() && failures < 5; ++i) {
      const double a = model->p_alive(p, rf.x[i], rf.t_x[i], rf.T[i]);
      const double y39 = model->expected_conditional(p, 39, rf.x[i], rf.t_x[i], rf.T[i]);
      const double y52 = model->expected_conditional(p, 52, rf.x[i], rf.t_x[i], rf.T[i]);
      const bool ok = close_relative(a, alive[i], 1e-9) && close_relative(y39, e39[i], 1e-9) &&
                      close_relative(y52, e52[i], 1e-9);
      if (!ok) {
        ++failures;
        ADD_FAILURE() << "customer " << i << ": " << a << " " << y39 << " " << y52 << " vs "
                      << alive[i] << " " << e39[i] << " " << e52[i];
      }
    }
  }
}

TEST(Btyd, UnconditionalExpectationsMatchTheReference) {
  const nlohmann::json fixed = testing::read_golden_json(testing::clv_golden_path("fixed.json"));
  const std::vector<double> t = fixed["unconditional"]["t"].get<std::vector<double>>();
  for (const std::string& name : models::btyd_model_names()) {
    SCOPED_TRACE(name);
    const auto model = models::make_btyd_model(name);
    const std::vector<double> want = fixed["unconditional"][name].get<std::vector<double>>();
    for (std::size_t k = 0; k < t.size(); ++k) {
      EXPECT_TRUE(close_relative(model->expected_new(fixed_params(name), t[k]), want[k], 1e-9))
          << t[k];
    }
  }
}

// The forward-mode gradient against central differences of the likelihood itself.
// The exact gradient at log-parameters `at` against central differences of the likelihood.
void expect_gradient_matches(const models::BtydModel& model, const models::RfGroups& groups,
                             const BtydParams& at, double tolerance) {
  std::array<double, 4> gradient{}, ignored{};
  model.log_likelihood(at, groups, gradient);
  for (std::size_t k = 0; k < 4; ++k) {
    BtydParams up = at, down = at;
    up[k] += 1e-6;
    down[k] -= 1e-6;
    const double numeric = (model.log_likelihood(up, groups, ignored) -
                            model.log_likelihood(down, groups, ignored)) /
                           2e-6;
    EXPECT_NEAR(gradient[k], numeric, tolerance * std::max(1.0, std::abs(numeric))) << k;
  }
}

TEST(Btyd, GradientsAgreeWithFiniteDifferences) {
  const models::RfGroups groups = models::group_summary(cdnow_summary());
  for (const std::string& name : models::btyd_model_names()) {
    SCOPED_TRACE(name);
    const auto model = models::make_btyd_model(name);
    for (const BtydParams& at :
         {BtydParams{-0.7, 1.2, -0.4, 0.9}, BtydParams{0.3, 2.5, 0.6, 2.2}}) {
      expect_gradient_matches(*model, groups, at, 1e-4);
    }
  }
}

TEST(Btyd, FitIsTheSameOnOneThreadAndFromASampledSearch) {
  const models::RfSummary rf = cdnow_summary();
  const auto model = models::make_btyd_model("bgnbd");
  models::BtydFit one_thread;
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
    one_thread = models::fit_btyd(*model, rf);
  }
  const models::BtydFit& many = cdnow_fits().at("bgnbd");
  EXPECT_EQ(one_thread.params, many.params);  // fixed blocks summed in order: bit for bit
  EXPECT_EQ(one_thread.log_likelihood, many.log_likelihood);
  // Starts searched on every 5th customer, continued on all: the same optimum.
  const models::BtydFit sampled = models::fit_btyd(*model, rf, 500);
  EXPECT_EQ(sampled.search_customers, 472U);
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_TRUE(close_relative(sampled.params[k], many.params[k], 1e-6)) << k;
  }
  EXPECT_LT(sampled.max_abs_gradient, 1e-6);
}

TEST(Btyd, NoRepeatPurchaseIsAClearError) {
  models::RfSummary rf;
  rf.x = {0, 0, 0};
  rf.t_x = {0, 0, 0};
  rf.T = {10, 20, 30};
  try {
    models::fit_btyd(*models::make_btyd_model("pareto_nbd"), rf);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("two different days"), std::string::npos);
  }
}

TEST(Btyd, GroupsCountCustomersWithOneSummary) {
  models::RfSummary rf;
  rf.x = {1, 0, 1, 2, 1};
  rf.t_x = {3, 0, 3, 5, 3};
  rf.T = {9, 9, 9, 9, 8};
  const models::RfGroups groups = models::group_summary(rf);
  ASSERT_EQ(groups.size(), 4U);
  EXPECT_EQ(groups.x, (std::vector<double>{0, 1, 1, 2}));
  EXPECT_EQ(groups.T, (std::vector<double>{9, 8, 9, 9}));
  EXPECT_EQ(groups.weight, (std::vector<double>{1, 1, 2, 1}));
  EXPECT_EQ(groups.max_x, 2);
}

// The series against Boost.Math's hypergeometric_pFq (an independent summation).
// Pareto/NBD's ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ by composite Simpson in u = log(m + τ),
// m the smaller of α, β: the direct definition, independent of the 2F1 and binomial series.
double pareto_integral(const BtydParams& p, double x, double t_x, double T) {
  const auto [r, alpha, s, beta] = p;
  const double m = std::min(alpha, beta);
  const double u0 = std::log(m + t_x), u1 = std::log(m + T);
  constexpr int kPieces = 200'000;
  const double h = (u1 - u0) / kPieces;
  double sum = 0;
  for (int k = 0; k <= kPieces; ++k) {
    const double w = std::exp(u0 + k * h);
    const double tau = w - m;
    const double f = w * std::pow(alpha + tau, -(r + x)) * std::pow(beta + tau, -(s + 1));
    sum += f * (k == 0 || k == kPieces ? 1 : (k % 2 == 1 ? 4 : 2));
  }
  return sum * h / 3;
}

// Where one of α, β is far above the other and the time (the 2F1 argument near 1: no dropout,
// or a tiny α beside a moderate β for customers first seen at t = 0), P(alive) still equals the
// definition: P(alive) = 1 / (1 + s·I·(α+T)^(r+x)·(β+T)^s).
TEST(Btyd, ParetoNbdNearTheNoDropoutBoundaryMatchesQuadrature) {
  const auto model = models::make_btyd_model("pareto_nbd");
  struct Case {
    BtydParams p;
    double x, t_x, T;
  };
  for (const Case& c : std::vector<Case>{{{1.3, 50, 1e-3, 1e5}, 3, 20, 40},
                                         {{1.3, 50, 6e-6, 1.6e5}, 0, 0, 45},
                                         {{0.5, 0.01, 0.6, 10}, 0, 0, 40},
                                         {{0.5, 0.01, 0.6, 10}, 4, 0.5, 40},
                                         {{0.5, 1e5, 0.6, 0.5}, 5, 10, 30},
                                         {{0.55, 10.6, 0.61, 11.7}, 2, 30.43, 38.86},
                                         {{2.0, 3.0, 40.0, 2000}, 12, 5, 52}}) {
    SCOPED_TRACE(::testing::Message() << c.p[0] << " " << c.p[1] << " " << c.p[2] << " "
                                      << c.p[3] << " x " << c.x << " " << c.t_x << " " << c.T);
    const auto [r, alpha, s, beta] = c.p;
    const double dropped = s * pareto_integral(c.p, c.x, c.t_x, c.T) *
                           std::pow(alpha + c.T, r + c.x) * std::pow(beta + c.T, s);
    const double p_alive = model->p_alive(c.p, c.x, c.t_x, c.T);
    EXPECT_TRUE(close_relative(p_alive, 1 / (1 + dropped), 1e-12)) << p_alive;
    // The dropped-out share itself, where P(alive) keeps enough digits of it.
    if (dropped > 1e-6) {
      EXPECT_TRUE(close_relative(1 / p_alive - 1, dropped, 1e-8))
          << 1 / p_alive - 1 << " vs " << dropped;
    }
  }
}

TEST(Btyd, ParetoNbdGradientNearTheBoundaryAgreesWithFiniteDifferences) {
  models::RfSummary rf;
  rf.x = {0, 1, 3, 7, 0, 2};
  rf.t_x = {0, 10, 20, 33, 0, 5};
  rf.T = {45, 40, 40, 35, 2, 30};
  const models::RfGroups groups = models::group_summary(rf);
  const auto model = models::make_btyd_model("pareto_nbd");
  for (const BtydParams& at : {BtydParams{0.3, 3.9, -7.0, 11.5}, BtydParams{-0.7, -4.6, -0.5, 2.3},
                               BtydParams{-0.7, 11.5, -0.5, -0.7}}) {
    expect_gradient_matches(*model, groups, at, 1e-5);
  }
}

// Customers who never leave: Poisson purchases at gamma-spread rates over a year, first purchases
// spread over the first 12 weeks. The beta-geometric models' likelihood rises towards no dropout
// (Pareto/NBD may find a slight dropout in a sample); every fit ends, and one that did not
// converge says why and still estimates r and alpha with intervals.
TEST(Btyd, CustomersWhoNeverLeaveGiveANoDropoutFitThatEnds) {
  std::mt19937_64 rng(7);
  std::gamma_distribution<double> rate(1.5, 1 / 40.0);
  std::uniform_real_distribution<double> uniform(0, 1);
  models::RfSummary rf;
  for (int i = 0; i < 3000; ++i) {
    const double first = std::floor(84 * uniform(rng)) / 7;
    const double T = 52 - first;
    std::poisson_distribution<int> count(rate(rng) * T);
    const int x = count(rng);
    double last = 0;
    for (int k = 0; k < x; ++k) last = std::max(last, std::floor(7 * T * uniform(rng)) / 7);
    rf.x.push_back(x);
    rf.t_x.push_back(x > 0 ? last : 0);
    rf.T.push_back(T);
  }
  for (const std::string& name : models::btyd_model_names()) {
    SCOPED_TRACE(name);
    const models::BtydFit fit = models::fit_btyd(*models::make_btyd_model(name), rf);
    EXPECT_LT(fit.evaluations, 20'000);
    EXPECT_GT(fit.mean_p_alive, 0.9);
    if (name != "pareto_nbd") {
      EXPECT_FALSE(fit.converged);
      EXPECT_TRUE(fit.no_dropout);
    }
    EXPECT_EQ(fit.no_dropout, !fit.converged && fit.mean_p_alive >= models::kNoDropoutPAlive);
    // The purchase rates: mean r/alpha near the simulated 1.5/40 per week, with intervals.
    EXPECT_NEAR(fit.params[0] / fit.params[1], 1.5 / 40, 0.006);
    for (std::size_t k = 0; k < 2; ++k) {
      EXPECT_TRUE(std::isfinite(fit.parameters[k].ci_lower));
      EXPECT_LT(fit.parameters[k].ci_lower, fit.parameters[k].value);
      EXPECT_GT(fit.parameters[k].ci_upper, fit.parameters[k].value);
    }
  }
}

TEST(Btyd, CdnowFitsFindDropout) {
  for (const auto& [name, fit] : cdnow_fits()) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(fit.converged);
    EXPECT_FALSE(fit.no_dropout);
    EXPECT_TRUE(fit.at_bound.empty());
    EXPECT_LT(fit.mean_p_alive, 0.9);
  }
}

TEST(Hypergeometric, SeriesAgreesWithBoost) {
  for (const auto& [a, b, c, z] : std::vector<std::array<double, 4>>{{1, 0.5, 3.2, 0.3},
                                                                     {1, 12.5, 14.1, 0.95},
                                                                     {2.4, -0.2, 30.0, 0.6},
                                                                     {0.7, 1.3, 2.0, 0.999},
                                                                     {-0.5, 0.25, 1.5, 0.5}}) {
    const double ours = models::hyp2f1(a, b, c, z);
    const double boost = boost::math::hypergeometric_pFq({a, b}, {c}, z);
    EXPECT_TRUE(close_relative(ours, boost, 1e-12)) << a << " " << b << " " << c << " " << z;
  }
}

}  // namespace
}  // namespace custlens
