// BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): purchases at a
// Poisson rate with gamma(r, alpha) heterogeneity; after each repeat purchase the customer drops
// out with probability p, beta(a, b) across customers.
#include <cmath>

#include "models/autodiff.h"
#include "models/btyd.h"
#include "models/btyd/beta_geometric.h"
#include "models/btyd/likelihood_sum.h"
#include "models/hypergeometric.h"

namespace custlens::models {
namespace {

using D = Dual<4>;

class BgNbd final : public BtydModel {
 public:
  std::string_view name() const override { return "bgnbd"; }
  std::string_view title() const override { return "BG/NBD"; }
  std::array<std::string_view, 4> parameter_names() const override {
    return {"r", "alpha", "a", "b"};
  }

  double log_likelihood(const BtydParams& lp, const RfGroups& g,
                        std::span<double, 4> gradient) const override {
    using std::exp;
    using std::log;
    const D log_r = dual_variable<4>(lp[0], 0), log_alpha = dual_variable<4>(lp[1], 1);
    const D log_a = dual_variable<4>(lp[2], 2), log_b = dual_variable<4>(lp[3], 3);
    const D r = exp(log_r), alpha = exp(log_alpha), a = exp(log_a), b = exp(log_b);
    // What depends on x only: log Γ(r+x)/Γ(r) α^r B(a, b+x)/B(a, b) and log a/(b+x−1).
    std::vector<D> head(static_cast<std::size_t>(g.max_x) + 1), ratio(head.size());
    const D base = D(r * log_alpha - log_gamma(r) - log_beta(a, b));
    for (std::size_t x = 0; x < head.size(); ++x) {
      const double xd = static_cast<double>(x);
      head[x] = D(base + log_gamma(D(r + xd)) + log_beta(a, D(b + xd)));
      if (x > 0) ratio[x] = D(log_a - log(D(b + (xd - 1))));
    }
    const auto term = [&](std::size_t i) {
      const double x = g.x[i];
      const auto xi = static_cast<std::size_t>(x);
      const D log_alpha_T = log(D(alpha + g.T[i]));
      D ll = D(head[xi] - (r + x) * log_alpha_T);
      if (xi > 0) {
        const D log_alpha_tx = log(D(alpha + g.t_x[i]));
        ll = D(ll + softplus(D(ratio[xi] + (r + x) * (log_alpha_T - log_alpha_tx))));
      }
      return ll;
    };
    return btyd::sum_log_likelihood<4>(g.size(), g.weight, term, gradient);
  }

  std::vector<BtydParams> starts(double repeat_rate, double /*mean_T*/) const override {
    return btyd::beta_geometric_starts(repeat_rate);
  }

  double p_alive(const BtydParams& p, double x, double t_x, double T) const override {
    if (x <= 0) return 1;
    const auto [r, alpha, a, b] = p;
    const double u =
        std::log(a) - std::log(b + x - 1) + (r + x) * (std::log(alpha + T) - std::log(alpha + t_x));
    return 1 / (1 + std::exp(u));
  }

  double expected_conditional(const BtydParams& p, double t, double x, double t_x,
                              double T) const override {
    if (t <= 0) return 0;
    const auto [r, alpha, a0, b] = p;
    const double a = btyd::away_from_one(a0);
    // Euler's transformation of 2F1(r+x, b+x; a+b+x−1; z) times (1 − z)^(r+x).
    const double z = t / (alpha + T + t);
    const double g = hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z);
    const double core = (a + b + x - 1) / (a - 1) * btyd::transformed_bracket(a, z, g);
    return core * p_alive(p, x, t_x, T);
  }

  double expected_new(const BtydParams& p, double t) const override {
    if (t <= 0) return 0;
    const auto [r, alpha, a0, b] = p;
    const double a = btyd::away_from_one(a0);
    const double z = t / (alpha + t);
    const double g = hyp2f1(a + b - 1 - r, a - 1, a + b - 1, z);
    return (a + b - 1) / (a - 1) * btyd::transformed_bracket(a, z, g);
  }
};

std::unique_ptr<BtydModel> make() { return std::make_unique<BgNbd>(); }

}  // namespace

CUSTLENS_REGISTER_BTYD(bgnbd, make);

}  // namespace custlens::models
