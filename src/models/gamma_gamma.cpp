// The Gamma-Gamma spend model (see gamma_gamma.h).
#include "models/gamma_gamma.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "custlens/error.h"
#include "models/autodiff.h"
#include "models/btyd/likelihood_sum.h"

namespace custlens::models {
namespace {

using D = Dual<3>;

constexpr std::array<std::string_view, 3> kNames = {"p", "q", "v"};

}  // namespace

double GammaGammaFit::expected_value(double x, double zbar) const {
  return p * (v + x * zbar) / (p * x + q - 1);
}

double GammaGammaFit::population_mean() const { return q > 1 ? p * v / (q - 1) : std::nan(""); }

GammaGammaFit fit_gamma_gamma(std::span<const double> x, std::span<const double> zbar) {
  const std::size_t n = x.size();
  if (n < 2) {
    throw Error(
        fmt::format("Gamma-Gamma needs at least two repeat customers with a positive mean "
                    "value; there are {}",
                    n));
  }
  const auto [low, high] = std::minmax_element(zbar.begin(), zbar.end());
  if (*low == *high) {
    throw Error(
        "Gamma-Gamma: every repeat customer has the same mean value; a spread of values "
        "is needed");
  }
  int max_x = 0;
  double mean = 0;
  std::vector<double> log_zbar(n), log_x(n), weight(n, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    max_x = std::max(max_x, static_cast<int>(x[i]));
    log_zbar[i] = std::log(zbar[i]);
    log_x[i] = std::log(x[i]);
    mean += zbar[i] / static_cast<double>(n);
  }
  // log L_i = log Γ(px+q) − log Γ(px) − log Γ(q) + q log v + (px − 1) log zbar + px log x
  //           − (px + q) log(v + x·zbar)
  const LogLikelihood function = [&](std::span<const double> lp, std::span<double> g) {
    using std::exp;
    using std::log;
    const D log_p = dual_variable<3>(lp[0], 0), log_q = dual_variable<3>(lp[1], 1);
    const D log_v = dual_variable<3>(lp[2], 2);
    const D p = exp(log_p), q = exp(log_q), v = exp(log_v);
    std::vector<D> head(static_cast<std::size_t>(max_x) + 1);
    const D base = D(q * log_v - log_gamma(q));
    for (std::size_t k = 1; k < head.size(); ++k) {
      const D px = D(p * static_cast<double>(k));
      head[k] = D(base + log_gamma(D(px + q)) - log_gamma(px));
    }
    const auto term = [&](std::size_t i) {
      const D px = D(p * x[i]);
      return D(head[static_cast<std::size_t>(x[i])] + (px - 1.0) * log_zbar[i] + px * log_x[i] -
               (px + q) * log(D(v + x[i] * zbar[i])));
    };
    return btyd::sum_log_likelihood<3>(n, weight, term, std::span<double, 3>(g.data(), 3));
  };
  std::vector<std::vector<double>> starts = {{0, 0, 0}};
  for (double p : {1.0, 5.0}) {
    for (double q : {2.0, 5.0}) {
      starts.push_back({std::log(p), std::log(q), std::log(mean * (q - 1) / p)});
    }
  }
  const MleResult mle = maximise_log_likelihood(function, nullptr, starts);
  GammaGammaFit fit;
  fit.p = std::exp(mle.log_params[0]);
  fit.q = std::exp(mle.log_params[1]);
  fit.v = std::exp(mle.log_params[2]);
  static_cast<MleSummary&>(fit) = summarise_mle(mle, kNames);
  fit.customers = n;
  return fit;
}

}  // namespace custlens::models
