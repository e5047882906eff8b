// MBG/NBD (Batislam, Denizel & Filiztekin 2007): BG/NBD in which a customer may also drop out
// right after the first purchase, so a one-time buyer can be inactive.
#include <cmath>

#include "models/autodiff.h"
#include "models/btyd.h"
#include "models/btyd/beta_geometric.h"
#include "models/btyd/likelihood_sum.h"
#include "models/hypergeometric.h"

namespace custlens::models {
namespace {

using D = Dual<4>;

class MbgNbd final : public BtydModel {
 public:
  std::string_view name() const override { return "mbgnbd"; }
  std::string_view title() const override { return "MBG/NBD"; }
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
    // What depends on x only: log Γ(r+x)/Γ(r) α^r B(a, b+x+1)/B(a, b) and log a/(b+x).
    std::vector<D> head(static_cast<std::size_t>(g.max_x) + 1), ratio(head.size());
    const D base = D(r * log_alpha - log_gamma(r) - log_beta(a, b));
    for (std::size_t x = 0; x < head.size(); ++x) {
      const double xd = static_cast<double>(x);
      head[x] = D(base + log_gamma(D(r + xd)) + log_beta(a, D(b + (xd + 1))));
      ratio[x] = D(log_a - log(D(b + xd)));
    }
    const auto term = [&](std::size_t i) {
      const double x = g.x[i];
      const auto xi = static_cast<std::size_t>(x);
      const D log_alpha_T = log(D(alpha + g.T[i]));
      const D log_alpha_tx = log(D(alpha + g.t_x[i]));
      return D(head[xi] - (r + x) * log_alpha_T +
               softplus(D(ratio[xi] + (r + x) * (log_alpha_T - log_alpha_tx))));
    };
    return btyd::sum_log_likelihood<4>(g.size(), g.weight, term, gradient);
  }

  std::vector<BtydParams> starts(double repeat_rate, double /*mean_T*/) const override {
    return btyd::beta_geometric_starts(repeat_rate);
  }

  double p_alive(const BtydParams& p, double x, double t_x, double T) const override {
    const auto [r, alpha, a, b] = p;
    const double u =
        std::log(a) - std::log(b + x) + (r + x) * (std::log(alpha + T) - std::log(alpha + t_x));
    return 1 / (1 + std::exp(u));
  }

  double expected_conditional(const BtydParams& p, double t, double x, double t_x,
                              double T) const override {
    if (t <= 0) return 0;
    const auto [r, alpha, a0, b] = p;
    const double a = btyd::away_from_one(a0);
    // Euler's transformation of 2F1(r+x, b+x+1; a+b+x; z) times (1 − z)^(r+x).
    const double z = t / (alpha + T + t);
    const double g = hyp2f1(a + b - r, a - 1, a + b + x, z);
    const double core = (a + b + x) / (a - 1) * btyd::transformed_bracket(a, z, g);
    return core * p_alive(p, x, t_x, T);
  }

  double expected_new(const BtydParams& p, double t) const override {
    if (t <= 0) return 0;
    const auto [r, alpha, a0, b] = p;
    const double a = btyd::away_from_one(a0);
    const double z = t / (alpha + t);
    const double g = hyp2f1(a + b - r, a - 1, a + b, z);
    return b / (a - 1) * btyd::transformed_bracket(a, z, g);
  }
};

std::unique_ptr<BtydModel> make() { return std::make_unique<MbgNbd>(); }

}  // namespace

CUSTLENS_REGISTER_BTYD(mbgnbd, make);

}  // namespace custlens::models
